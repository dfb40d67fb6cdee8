"""An incident with its records indexed, so every fact is a dictionary look-up rather than a search."""

from __future__ import annotations

from typing import Any, Callable

from hocr_rules.model.incident import CrimeRecord, Disclosure, Incident, N100Record, Person
from hocr_rules.model.timestamps import epoch
from hocr_rules.offences import Offence, OffenceTable

#: Where the rules treat a relationship as domestic (Domestic Abuse Act 2021: partners, ex-partners, relatives).
DOMESTIC_RELATIONSHIPS = frozenset({"partner", "ex_partner", "family"})


class _index:
    """An index built the first time it is read, then an ordinary attribute. `functools.cached_property` does the
    same but, before Python 3.12, takes a lock on every first read; a view belongs to one evaluation."""

    def __init__(self, build: Callable[[Any], Any]):
        self.build, self.name = build, build.__name__

    def __get__(self, view: Any, owner: type | None = None) -> Any:
        if view is None:
            return self
        value = view.__dict__[self.name] = self.build(view)
        return value


class IncidentView:
    """Each index is built the first time a fact needs it: most incidents need only some of them."""

    def __init__(self, incident: Incident, offences: OffenceTable):
        self.incident, self.offences = incident, offences
        # `offence(code)` is the table's own look-up: rules and facts ask it a few times per subject, and a method
        # of ours around it was one Python call more each time
        self.offence: Callable[[str], Offence] = offences.lookup
        self._companions: dict[str, list[Disclosure]] = {}
        self.rivals: dict[str, list[Disclosure]] = {}  # facts/principal.py keeps its answers here
        self._received: dict[str, float] = {}

    @_index
    def people(self) -> dict[str, Person]:
        return {p.id: p for p in self.incident.people}

    @_index
    def disclosures(self) -> dict[str, Disclosure]:
        return {d.id: d for d in self.incident.disclosures}

    @_index
    def crimes_by_reference(self) -> dict[str, CrimeRecord]:
        return {c.reference: c for c in self.incident.crime_records}

    @_index
    def crimes_by_disclosure(self) -> dict[str, list[CrimeRecord]]:
        found: dict[str, list[CrimeRecord]] = {}
        for crime in self.incident.crime_records:
            for disclosure_id in crime.disclosures:
                found.setdefault(disclosure_id, []).append(crime)
        return found

    @_index
    def n100s_by_disclosure(self) -> dict[str, list[N100Record]]:
        found: dict[str, list[N100Record]] = {}
        for n100 in self.incident.n100s:
            found.setdefault(n100.disclosure, []).append(n100)
        return found

    def received_at(self, disclosure: Disclosure) -> float:
        """When this offence was first reported: its own disclosure time, or the incident's receipt. Its crime
        records ask again, so each answer is kept."""
        found = self._received.get(disclosure.id)
        if found is None:
            found = self._received[disclosure.id] = epoch(disclosure.disclosed_at or self.incident.received_at)
        return found

    @_index
    def incident_received_at(self) -> float:
        return epoch(self.incident.received_at)

    def tie_key(self, disclosure: Disclosure) -> tuple[int, float, str]:
        """Which of two equally serious companions is the principal crime: one the force recorded as a crime,
        then one it holds on an N100 (a rape report awaiting its decision, p. 63), then one it did neither for;
        then the one reported first, then the lower disclosure id. Never its place in a list, so the same
        incident exported in another order gets the same answer (see PC01's known problems)."""
        held = (0 if disclosure.id in self.crimes_by_disclosure else
                1 if disclosure.id in self.n100s_by_disclosure else 2)
        return held, self.received_at(disclosure), disclosure.id

    def companions(self, disclosure: Disclosure) -> list[Disclosure]:
        """Other disclosures in this incident between the same victim and offender: the set the principal
        crime rule (and the conduct-crime rules) choose among. Several facts ask, so it is worked out once."""
        if len(self.incident.disclosures) < 2:
            return []
        found = self._companions.get(disclosure.id)
        if found is None:
            victims, offenders = set(disclosure.victims), set(disclosure.offenders)
            found = [] if not victims or not offenders else [
                d for d in self.incident.disclosures
                if d is not disclosure and victims & set(d.victims) and offenders & set(d.offenders)]
            self._companions[disclosure.id] = found
        return found

    def ages(self, ids: list[str]) -> list[int | None]:
        return [self.people[i].age if i in self.people else None for i in ids]

    def relationships(self, ids: list[str]) -> set[str]:
        return {self.people[i].relationship_to_offender for i in ids
                if i in self.people and self.people[i].relationship_to_offender}
