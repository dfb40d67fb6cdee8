"""Opening a command's inputs: JSON files, STORM prints, or a tabular export read through `--mapping`.

One place, so that `check`, `audit`, `sample` and `explain` read exports the same way and the summary carries
each export table's reconciliation (rows read = used + rejected).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from cli.options import naive_zone
from hocr_rules.errors import FileError
from hocr_rules.intake import Intake, Read
from hocr_rules.offences import OffenceTable
from hocr_rules.parallel import Job, screen_in_workers
from hocr_rules.reporting import Reporting
from hocr_rules.screening import Summary


def open_reads(files: list[str], offences: OffenceTable, assume_london: bool, mapping: Path | None,
               summary: Summary | None = None) -> Iterator[Read]:
    """The records of `files`; the mapping is loaded and the files are looked at now, so that a bad mapping or a
    file that is not there stops the command at once, before any figure is printed."""
    check_files(files)
    return _reads(make_intake(offences, assume_london, mapping), files, summary)


def open_in_workers(files: list[str], engine, reporting: Reporting, assume_london: bool, mapping: Path | None,
                    summary: Summary, strict: bool, fmt: str, include: frozenset[str], workers: int) -> Iterator:
    """`hocr check` spread over `workers` processes (hocr_rules.parallel): the output pieces in input order."""
    check_files(files)
    intake = make_intake(engine.offences, assume_london, mapping)
    return screen_in_workers(Job(engine, reporting, intake, fmt, include), intake, files, summary, workers, strict)


def check_files(files: list[str]) -> None:
    """Every input named on the command line exists and is a file: one line and exit 2 otherwise, rather than a
    missing file counted as a rejected incident among the figures."""
    for name in files:
        path = Path(name)
        if name != "-" and not path.is_file():
            raise FileError(name, "is a folder, not a file of incidents" if path.is_dir() else "no such file")


def make_intake(offences: OffenceTable, assume_london: bool, mapping: Path | None) -> Intake:
    if mapping:
        from hocr_rules.intake.mapping import load_mapping  # its model is built only for an export (0.05 s)
    return Intake(offences, naive_zone(assume_london), load_mapping(mapping) if mapping else None)


def _reads(intake: Intake, files: list[str], summary: Summary | None) -> Iterator[Read]:
    yield from intake.read(files)
    if summary is not None:
        summary.notes.extend(intake.table_counts())
