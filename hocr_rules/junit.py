"""JUnit XML findings, for CI dashboards (GitLab, Jenkins, Azure): one test suite per incident, one test case per
rule and subject.

A breach is a failure (its type the rule's severity), a not-evaluable outcome is skipped with the facts it
lacks as the message (the dashboard shows it as "not run", which is what it is: nothing was judged), a
compliant outcome passes, and a rejected record is a test case with an error. A dashboard reads a run as a
whole, so this format always lists compliant and not-evaluable outcomes as well as breaches. `junitparser`
builds each suite; suites are written as each incident is judged, not held for the end.
"""

from __future__ import annotations

from typing import IO
from xml.sax.saxutils import quoteattr

from junitparser import Error, Failure, Skipped, TestCase, TestSuite

from hocr_rules.engine.outcomes import BREACH, NOT_EVALUABLE, Outcome
from hocr_rules.errors import InputError

SUITES = "hocr"


def case(outcome: Outcome) -> TestCase:
    rule = outcome.rule
    test = TestCase(f"{rule.code} {rule.name} [{outcome.subject_kind.replace('_', ' ')} {outcome.subject_id}]",
                    classname=f"hocr.{outcome.incident}", time=0)
    if outcome.outcome == BREACH:
        test.result = [Failure(outcome.message, type_=rule.severity or "breach")]
        test.system_out = "\n".join(part for part in (rule.source.hint, rule.citation) if part)
    elif outcome.outcome == NOT_EVALUABLE:
        test.result = [Skipped(f"not evaluable: {outcome.message}")]
    return test


class JUnitWriter:
    #: what this format lists whatever the run's choice: a dashboard counts passes as well as failures
    include = frozenset({"breach", "compliant", "not_evaluable"})

    def __init__(self, out: IO[str]):
        self.out = out
        out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<testsuites name={quoteattr(SUITES)}>\n')

    def write(self, item, include: frozenset[str]) -> None:
        if isinstance(item, InputError):
            self.rejected(item)
            return
        suite = TestSuite(item.incident)
        suite.add_testcases(case(outcome) for outcome in item.findings(self.include | include))
        if item.source:
            suite.add_property("file", f"{item.source}:{item.line}")
        self._suite(suite)

    def rejected(self, error: InputError) -> None:
        suite = TestSuite(f"rejected {error.source}" + (f":{error.line}" if error.line else ""))
        test = TestCase(f"record {error.record or '(no id)'} is valid input", classname="hocr.intake", time=0)
        test.result = [Error(str(error), type_="rejected")]
        suite.add_testcase(test)
        self._suite(suite)

    def _suite(self, suite: TestSuite) -> None:
        suite.update_statistics()
        self.out.write(suite.tostring().decode("utf-8") + "\n")

    def close(self, summary: dict) -> None:
        self.out.write("</testsuites>\n")
        self.out.flush()
