"""The notifiable offence table: what the engine knows about a classification or a Home Office code.

Rules ask questions such as "is this a conduct crime?", "may C5 be used here?" or "which crime is the principal
one?". The answers come from `rules/offences.csv`, generated from the Home Office notifiable offence list by
`hocr_rules.offence_list`, so a new April edition changes data, never code. The table is read once and every
lookup is a dict access.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Iterable

from hocr_rules import bundled
from hocr_rules.rulebook import cache as pack_cache

DEFAULT_PATH = bundled.RULES / "offences.csv"

HO_CODE = re.compile(r"\d{3}/\d{2}")

# Families that belong to particular HO codes, not to a whole classification: C5 covers 8N only for s47 ABH
# (008/06), so 8N as a whole must not inherit it from that one row (addendum 2.1).
# Likewise a breach of an order is a single act (2026/27 p. 52) only for its own HO codes (008/31 in 8L).
ROW_SCOPED_FAMILIES = frozenset({"c5_self_defence", "order_breach", "threatening_message", "fgm", "indictable_only",
                                 "summary_only"})


@dataclass(frozen=True, slots=True)
class Offence:
    code: str  # the code as it is looked up: '8L' or '008/30'
    classification: str  # '8L'
    ho_code: str | None  # '008/30'; None when looked up by classification
    title: str
    group: str
    families: frozenset[str]
    victim_based: bool
    max_sentence_months: int
    seriousness: int
    commenced: date | None = None  # first day the offence could be recorded; None: before the list's dates
    ceased: date | None = None     # first day it could no longer be recorded; None: still current

    def in_force_on(self, day: date) -> bool:
        """Whether the offence existed on this day. The list gives a cessation date as the day its replacement
        commences (008/71 ceased and 088/15 began on 31 January 2024), so that day is already outside."""
        return (self.commenced is None or self.commenced <= day) and (self.ceased is None or day < self.ceased)

    def dates(self) -> str:
        """'from 2024-01-31', 'until 2024-01-31' or both, for messages."""
        parts = [f"from {self.commenced}"] * (self.commenced is not None) + [f"until {self.ceased}"] * (
            self.ceased is not None)
        return " ".join(parts) or "at all times"


class UnknownOffenceCode(LookupError):
    """A code that is neither a classification nor a HO code in the table; the message offers the nearest ones."""

    def __init__(self, code: str, suggestions: list[str]) -> None:
        hint = f"did you mean {', '.join(suggestions)}?" if suggestions else "see rules/offences.csv for valid codes"
        super().__init__(f"unknown offence code {code!r}: {hint}")
        self.code = code
        self.suggestions = suggestions


def code_sort_key(code: str) -> tuple:
    """Order codes as a person reads them: 4/2 before 4/10, 8L before 105A, NFIB codes last."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", code))


def normalise_code(code: str) -> str:
    """'8l', ' 8L ' and 'NFIB 11' are how people type codes; the table holds '8L' and 'NFIB11'."""
    code = code.strip()
    return code if HO_CODE.fullmatch(code) else re.sub(r"\s+", "", code).upper()


class OffenceTable:
    """Offences keyed both by classification ('8L') and by HO code ('008/30')."""

    def __init__(self, offences: dict[str, Offence]) -> None:
        self._by_code = offences
        #: codes limited by a commencement or cessation date, so intake checks dates only where they matter
        self.dated = frozenset(code for code, o in offences.items() if o.commenced or o.ceased)

    @classmethod
    def load(cls, path: Path | None = None) -> OffenceTable:
        """Read the table; the default one is read only once per process."""
        if path is None:
            return _default_table()
        text = Path(path).read_bytes().decode("utf-8")
        # the index is the same for the same table: kept by the pack cache as plain values between runs
        kept = pack_cache.remember("offences", __file__, text, lambda: [
            (key, _as_values(offence)) for key, offence in _index(list(csv.DictReader(io.StringIO(text, newline="")))
                                                                   ).items()])
        return cls({key: _from_values(values) for key, values in kept})

    def lookup(self, code: str) -> Offence:
        found = self._by_code.get(code)  # most input is already in canonical form: skip normalising it
        if found is not None:
            return found
        key = normalise_code(code)
        try:
            return self._by_code[key]
        except KeyError:
            raise UnknownOffenceCode(code, self._nearest(key)) from None

    def knows_all(self, codes: list[str]) -> bool:
        """Whether every code is in the table as written (the usual case, checked at once); a code that is not
        may still be known once normalised, which `lookup` decides."""
        return self._by_code.keys() >= set(codes)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and normalise_code(code) in self._by_code

    def codes(self) -> list[str]:
        return sorted(self._by_code, key=code_sort_key)

    def offences(self) -> Iterable[Offence]:
        """Every entry of the table, in no useful order: for questions about all of it that need no sort (sorting
        its 1,500 codes by `code_sort_key` was a tenth of loading the pack, issue 11)."""
        return self._by_code.values()

    def _nearest(self, key: str) -> list[str]:
        """'8/30' is most likely 008/30 written short; otherwise the codes that look most alike."""
        short = re.fullmatch(r"(\d{1,3})/(\d{1,2})", key)
        padded = [f"{int(short[1]):03d}/{int(short[2]):02d}"] if short else []
        candidates = [c for c in padded if c in self._by_code]
        candidates += difflib.get_close_matches(key, self._by_code, n=3, cutoff=0.5)
        return list(dict.fromkeys(candidates))[:3]


@cache
def _default_table() -> OffenceTable:
    return OffenceTable.load(DEFAULT_PATH)


def _index(rows: list[dict[str, str]]) -> dict[str, Offence]:
    """Build both indexes. A HO code listed under several classifications (008/06 sits in 8N, 8S and 8T) maps to
    the first in code order, which is the general classification (8N); the specialised ones follow it."""
    by_classification: dict[str, list[dict[str, str]]] = {}
    for row in sorted(rows, key=lambda r: (code_sort_key(r["classification"]), r["ho_code"])):
        by_classification.setdefault(row["classification"], []).append(row)

    offences: dict[str, Offence] = {}
    for classification, members in by_classification.items():
        offences[classification] = _classification_offence(classification, members)
        for row in members:
            offences.setdefault(row["ho_code"], _row_offence(row))
    return offences


def _as_values(offence: Offence) -> tuple:
    """An offence as values the pack cache can keep (dates as ISO text)."""
    return (offence.code, offence.classification, offence.ho_code, offence.title, offence.group, offence.families,
            offence.victim_based, offence.max_sentence_months, offence.seriousness,
            offence.commenced and offence.commenced.isoformat(), offence.ceased and offence.ceased.isoformat())


def _from_values(values: tuple) -> Offence:
    *fields, commenced, ceased = values
    return Offence(*fields, commenced=_date(commenced), ceased=_date(ceased))


def _families(row: dict[str, str]) -> frozenset[str]:
    return frozenset(row["families"].split())


def _row_offence(row: dict[str, str]) -> Offence:
    return Offence(
        code=row["ho_code"],
        classification=row["classification"],
        ho_code=row["ho_code"],
        title=row["title"],
        group=row["group"],
        families=_families(row),
        victim_based="V" in row["victim_based"],
        max_sentence_months=int(row["max_sentence_months"]),
        seriousness=int(row["seriousness"]),
        commenced=_date(row.get("commenced")),
        ceased=_date(row.get("ceased")),
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _typical(rows: list[dict[str, str]], column: str) -> int:
    """The value most of a classification's current offences share; with no single most common value, the median.

    Input that gives only a classification ('8N') does not say which offence it means. Its most serious member
    is often an outlier (8N holds 14-year offences beside the 5-year ABH and s20 that make up nearly all 8N
    crime; 58C's life-maximum row is damage endangering life), and ranking every 8N or 58C by its outlier would
    wrongly beat conduct crimes and burglaries in the principal crime rule, so the typical member stands for the
    classification. Give the HO code where the difference matters."""
    current = [r for r in rows if r.get("current", "Y") == "Y"] or rows
    values = sorted(int(r[column]) for r in current)
    counts = Counter(values)
    top = max(counts.values())
    modes = [value for value, count in counts.items() if count == top]
    return modes[0] if len(modes) == 1 else values[(len(values) - 1) // 2]


def _classification_offence(classification: str, rows: list[dict[str, str]]) -> Offence:
    """A classification ranks as its typical offence and is victim based if any of its offences is."""
    row_families = [_families(row) for row in rows]
    families = frozenset().union(*row_families)
    families -= {f for f in ROW_SCOPED_FAMILIES if not all(f in fams for fams in row_families)}
    return Offence(
        code=classification,
        classification=classification,
        ho_code=None,
        title=rows[0]["classification_title"],
        group=Counter(row["group"] for row in rows).most_common(1)[0][0],
        families=families,
        victim_based=any("V" in row["victim_based"] for row in rows),
        max_sentence_months=_typical(rows, "max_sentence_months"),
        seriousness=_typical(rows, "seriousness"),
        # a classification existed whenever any of its offences did
        commenced=None if any(not row.get("commenced") for row in rows) else min(map(_date, (
            row["commenced"] for row in rows))),
        ceased=None if any(not row.get("ceased") for row in rows) else max(map(_date, (
            row["ceased"] for row in rows))),
    )
