"""The results of rule examples in the formats CI systems read: JUnit XML and TAP.

JUnit XML (one test suite per rule, one test case per example case) is what GitLab, Jenkins, Azure DevOps and
GitHub's test-report actions show as a dashboard; it is written with junitparser, which keeps the attributes
those readers expect. TAP version 14 (one line per case, a YAML block saying what differed) is what `prove`,
tap-junit and many editors read; its three kinds of line need no library, so it is written here.
"""

from __future__ import annotations

from itertools import groupby

import yaml
from junitparser import Failure, JUnitXml, TestCase, TestSuite

from hocr_rules.rulebook.examples import CaseResult


def _sentence(text: str) -> str:
    return " ".join(text.split())


def junit(results: list[CaseResult]) -> str:
    document = JUnitXml("hocr rules test")
    for code, cases in groupby(results, key=lambda r: r.rule):
        suite = TestSuite(code)
        for result in cases:
            case = TestCase(f"{result.id} {_sentence(result.name)}", classname=f"rules.{code}", time=0)
            if not result.passed:
                failure = Failure(result.differences[0])
                failure.text = "\n".join(result.differences)
                case.result = [failure]
            suite.add_testcase(case)
        suite.update_statistics()
        document.add_testsuite(suite)
    document.update_statistics()
    return '<?xml version="1.0" encoding="utf-8"?>\n' + document.tostring().decode("utf-8") + "\n"


def tap(results: list[CaseResult]) -> str:
    lines = ["TAP version 14", f"1..{len(results)}"]
    for number, result in enumerate(results, start=1):
        description = f"{result.id} {_sentence(result.name)}".replace("\\", "\\\\").replace("#", "\\#")
        lines.append(f"{'ok' if result.passed else 'not ok'} {number} - {description}")
        if not result.passed:
            block = yaml.safe_dump({"message": result.differences[0], "differences": list(result.differences)},
                                   allow_unicode=True, sort_keys=False, width=1000)
            lines += ["  ---", *(f"  {line}" for line in block.splitlines()), "  ..."]
    return "\n".join(lines) + "\n"
