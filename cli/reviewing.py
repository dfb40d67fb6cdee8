"""`hocr check --write-baseline FILE --reviewed-by NAME --reason TEXT`: mark this run's findings as reviewed.

An auditor who has been through a run's findings records them once, with who and why; `--baseline FILE` on
the next run leaves them out (hocr_rules.reviewed). Every finding counted in the run (breaches and
not-evaluable outcomes of the selected rules, not already reviewed) is added; entries already in the file
are kept. Who and why are required: a reviewed finding without them could not be audited itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Iterable, Iterator, Optional

import typer

from cli import render
from hocr_rules.reporting import Screened
from hocr_rules import reviewed

WriteBaselineOption = Annotated[Optional[Path], typer.Option(
    "--write-baseline", help="Add this run's findings to a reviewed-findings file (needs --reviewed-by and "
                             "--reason).", show_default=False)]
ReviewedByOption = Annotated[Optional[str], typer.Option("--reviewed-by", help="Who reviewed the findings.",
                                                         show_default=False)]
ReasonOption = Annotated[Optional[str], typer.Option("--reason", help="Why the reviewed findings need not be shown "
                                                                      "again.", show_default=False)]


@dataclass
class Review:
    path: Path | None = None
    by: str = ""
    reason: str = ""
    found: list[reviewed.Key] = field(default_factory=list)  # keys only: a run may find many

    @classmethod
    def of(cls, path: Path | None, by: str | None, reason: str | None) -> "Review":
        if path is None:
            if by or reason:
                raise typer.BadParameter("--reviewed-by and --reason go with --write-baseline",
                                         param_hint="--write-baseline")
            return cls()
        if not (by and by.strip()) or not (reason and reason.strip()):
            raise typer.BadParameter("say who reviewed the findings and why: --reviewed-by NAME --reason TEXT",
                                     param_hint="--write-baseline")
        return cls(path, by.strip(), reason.strip())

    def watch(self, items: Iterable) -> Iterator:
        """Pass the run through, keeping its counted findings when they are to be written."""
        for item in items:
            if self.path is not None and isinstance(item, Screened):
                self.found.extend(reviewed.key_of(o) for o in item.counted)
            yield item

    def write(self, quiet: bool) -> None:
        if self.path is None:
            return
        added = reviewed.write(self.path, self.found, self.by, self.reason, date.today())
        if not quiet:
            render.reviewed_written(self.path, added, len(self.found))
