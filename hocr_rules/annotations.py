"""GitHub Actions annotations: one `::error` / `::warning` / `::notice` workflow command per finding, as
`ruff check --output-format github` writes them, so a workflow run shows each finding on the incident's line.

Level: a breach of a high or medium severity rule is an error, of a low one a warning, of an advisory one a
notice; a not-evaluable outcome is a warning (nothing was judged: someone must look). Compliant outcomes are
not annotated even with `--all-outcomes`: an annotation asks for attention. A rejected record is an error.
The summary is a notice at the end. Values are escaped as GitHub's toolkit escapes them.
"""

from __future__ import annotations

from typing import IO

from hocr_rules.engine.outcomes import BREACH, NOT_EVALUABLE, Outcome
from hocr_rules.errors import InputError

LEVELS = {"high": "error", "medium": "error", "low": "warning", "advisory": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, title: str, source: str | None, line: int | None) -> str:
    where = "" if source in (None, "<stdin>") else f"file={_property(source)}," + (f"line={line}," if line else "")
    return f"::{level} {where}title={_property(title)}::{_data(message)}\n"


class GitHubWriter:
    def __init__(self, out: IO[str]):
        self.out = out

    def write(self, item, include: frozenset[str]) -> None:
        if isinstance(item, InputError):
            self.out.write(command("error", str(item), "hocr: rejected record", item.source, item.line))
            return
        for outcome in item.findings(include - {"compliant"}):
            self.out.write(self._annotation(outcome, item.source, item.line))

    @staticmethod
    def _annotation(outcome: Outcome, source: str | None, line: int | None) -> str:
        rule = outcome.rule
        level = LEVELS.get(rule.severity or "", "error") if outcome.outcome == BREACH else "warning"
        what = "" if outcome.outcome == BREACH else f"{NOT_EVALUABLE.replace('_', ' ')}: "
        message = (f"incident {outcome.incident}, {outcome.subject_kind.replace('_', ' ')} {outcome.subject_id}: "
                   f"{rule.code} {what}{outcome.message}")
        return command(level, message, f"hocr ({rule.code} {rule.name})", source, line)

    def close(self, summary: dict) -> None:
        self.out.write(command("notice", f"{summary['read']} incidents read: {summary['evaluated']} evaluated, "
                                         f"{summary['rejected']} rejected; {summary['breaches']} breaches, "
                                         f"{summary['not_evaluable']} not evaluable, {summary['suppressed']} "
                                         "reviewed and left out", "hocr summary", None, None))
        self.out.flush()
