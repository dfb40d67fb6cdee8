"""Every machine format of `hocr check`, registered in one place: name -> a writer for an output stream.

A writer takes each screened item (`write(item, include)`: an incident's reported outcomes, or a rejected
record) as it comes and ends the document with the run's summary (`close(summary)`). The formats are
documented in docs/findings.md.
"""

from __future__ import annotations

from typing import IO, Callable, Protocol

from hocr_rules.annotations import GitHubWriter
from hocr_rules.findings import FindingsWriter
from hocr_rules.rulebook.pack import RulePack


class Writer(Protocol):
    def write(self, item, include: frozenset[str]) -> None: ...

    def close(self, summary: dict) -> None: ...


def _sarif(out: IO[str], pack: RulePack) -> Writer:
    """Imported when asked for: sarif_pydantic's models take longer to build than a whole small `hocr check`."""
    from hocr_rules.sarif import SarifWriter
    return SarifWriter(out, pack)


def _junit(out: IO[str], pack: RulePack) -> Writer:
    """Imported when asked for: junitparser brings in xml.sax, urllib and ssl."""
    from hocr_rules.junit import JUnitWriter
    return JUnitWriter(out)


WRITERS: dict[str, Callable[[IO[str], RulePack], Writer]] = {
    "json": lambda out, pack: FindingsWriter(out, "json"),
    "jsonl": lambda out, pack: FindingsWriter(out, "jsonl"),
    "csv": lambda out, pack: FindingsWriter(out, "csv"),
    "sarif": _sarif,
    "junit": _junit,
    "github": lambda out, pack: GitHubWriter(out),
}
FORMATS = tuple(WRITERS)


def open_writer(fmt: str, out: IO[str], pack: RulePack) -> Writer:
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return WRITERS[fmt](out, pack)
