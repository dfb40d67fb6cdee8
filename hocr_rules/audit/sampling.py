"""Reproducible audit samples drawn from a stream, and the worksheet auditors fill in.

Why reproducible: an audit figure is only defensible if someone else can draw the same sample again. Given the
same records in the same order and the same seed, ``sample`` returns the same records; record the seed with
the results.

Why a stream: a force exports hundreds of thousands of incidents; the sample is drawn in one pass with
reservoir sampling (Algorithm R), holding at most ``size`` records per stratum rather than the whole export.

Why proportional strata: an inspection samples across crime types and routes; allocating the sample to strata
in proportion to their size (largest remainder) keeps every stratum represented about as often as it occurs,
so the unweighted rate stays a fair estimate. Stratum counts are only known at the end of the pass, so each
stratum keeps a reservoir of up to ``size`` records and is trimmed to its allocation afterwards: memory is
O(size x number of strata). A uniform subsample of a uniform sample is uniform, so trimming keeps it random.
Small strata can be allocated 0 records; sample them separately if each must appear.
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from hocr_rules import textfiles
from hocr_rules.outputs import report_file

T = TypeVar("T")

COLUMNS = ("incident", "category", "engine_outcome", "engine_findings", "auditor_outcome", "auditor_note")
OUTCOMES = ("recorded_correctly", "not_recorded", "not_a_crime")
_AUDITOR_COLUMNS = ("auditor_outcome", "auditor_note")


def sample(records: Iterable[T], size: int, *, seed: int, stratum: Callable[[T], str] | None = None) -> list[T]:
    """A simple random sample of ``size`` records (all of them if there are fewer), in one pass.

    With ``stratum``, the sample is allocated to strata in proportion to their counts. The result is ordered by
    stratum name, then by position in the input.
    """
    if isinstance(size, bool) or not isinstance(size, int) or size < 0:
        raise ValueError(f"size must be a whole number of records, 0 or more; got {size!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be a whole number (record it so the sample can be redrawn); got {seed!r}")
    rng = random.Random(seed)
    reservoirs: dict[str, list[tuple[int, T]]] = {}
    counts: dict[str, int] = {}
    for position, record in enumerate(records):
        name = "" if stratum is None else stratum(record)
        seen = counts.get(name, 0)
        counts[name] = seen + 1
        reservoir = reservoirs.setdefault(name, [])
        if seen < size:
            reservoir.append((position, record))
        else:
            slot = rng.randrange(seen + 1)
            if slot < size:
                reservoir[slot] = (position, record)
    chosen: list[T] = []
    for name, quota in sorted(_allocate(counts, size).items()):
        reservoir = reservoirs[name]
        kept = rng.sample(reservoir, quota) if quota < len(reservoir) else reservoir
        chosen.extend(record for _, record in sorted(kept, key=lambda item: item[0]))
    return chosen


def _allocate(counts: Mapping[str, int], size: int) -> dict[str, int]:
    """Largest-remainder (Hamilton) allocation of ``size`` across strata; ties go to the earlier stratum name."""
    total = sum(counts.values())
    size = min(size, total)
    if total == 0:
        return {}
    quotas = {name: size * count // total for name, count in counts.items()}
    remainders = sorted(counts, key=lambda name: (-(size * counts[name] % total), name))
    for name in remainders[: size - sum(quotas.values())]:
        quotas[name] += 1
    return quotas


@dataclass(frozen=True)
class Judgement:
    """An auditor's decision on one incident; ``outcome`` is None while the row is not yet judged."""

    incident: str
    outcome: str | None
    note: str
    line: int


def write_worksheet(rows: Iterable[Mapping[str, object]], path: str | os.PathLike[str]) -> int:
    """Write the auditor worksheet CSV and return the number of rows written.

    Each row is a mapping with the keys in ``COLUMNS``; the auditor columns may be left out and are written
    blank. The file is UTF-8 with a byte-order mark so spreadsheet programs show non-ASCII names correctly.
    """
    count = 0
    with report_file(path, encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for count, row in enumerate(rows, start=1):
            missing = [key for key in COLUMNS if key not in row and key not in _AUDITOR_COLUMNS]
            unknown = sorted(key for key in row if key not in COLUMNS)
            if missing or unknown:
                problems = [f"missing {', '.join(missing)}"] if missing else []
                problems += [f"unknown {', '.join(unknown)}"] if unknown else []
                raise ValueError(
                    f"worksheet row {count}: {'; '.join(problems)}; a row has the keys {', '.join(COLUMNS)}"
                    " (the auditor ones may be left out)"
                )
            writer.writerow(["" if row.get(key) is None else str(row[key]) for key in COLUMNS])
    return count


def read_judgements(path: str | os.PathLike[str]) -> dict[str, Judgement]:
    """Read a filled-in worksheet: one Judgement per incident, keyed by incident reference.

    The worksheet may be UTF-8 (with or without a byte order mark) or Windows-1252, as Excel saves it on
    Windows (see `hocr_rules.textfiles`). Outcomes are trimmed and compared case-insensitively. Raises ValueError naming the CSV line for an unknown
    outcome, a blank or repeated incident, or a missing column. Error messages quote only the outcome cell,
    never other cells: worksheets hold personal data.
    """
    judgements: dict[str, Judgement] = {}
    with io.StringIO(textfiles.read_text(path, "worksheet", windows_fallback=True), newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise ValueError(f"{os.fspath(path)}: the worksheet is empty; expected the header {','.join(COLUMNS)}")
        header = [name.strip() for name in header]
        missing = [name for name in ("incident", *_AUDITOR_COLUMNS) if name not in header]
        if missing:
            raise ValueError(
                f"{os.fspath(path)} line 1: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}"
            )
        where = {name: header.index(name) for name in ("incident", *_AUDITOR_COLUMNS)}
        end = reader.line_num
        for cells in reader:
            line, end = end + 1, reader.line_num  # a quoted cell may span lines; report where the row starts
            if not any(cell.strip() for cell in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            incident = cells[where["incident"]].strip()
            raw = cells[where["auditor_outcome"]].strip()
            if not incident:
                raise ValueError(f"{os.fspath(path)} line {line}: the incident reference is blank")
            if incident in judgements:
                raise ValueError(
                    f"{os.fspath(path)} line {line}: incident repeated (first on line"
                    f" {judgements[incident].line}); judge each incident once"
                )
            if raw and raw.lower() not in OUTCOMES:
                raise ValueError(
                    f"{os.fspath(path)} line {line}: unknown auditor_outcome {raw[:40]!r}; allowed values are"
                    f" {', '.join(OUTCOMES)}, or blank for not yet judged"
                )
            note = cells[where["auditor_note"]].strip()
            judgements[incident] = Judgement(incident, raw.lower() or None, note, line)
    return judgements
