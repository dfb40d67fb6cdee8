"""An incident with its records indexed, so every fact is a dictionary look-up rather than a search."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from hocr_rules.model.incident import CrimeRecord, Disclosure, Incident, N100Record, Person
from hocr_rules.model.timestamps import epoch
from hocr_rules.offences import Offence, OffenceTable

#: Where the rules treat a relationship as domestic (Domestic Abuse Act 2021: partners, ex-partners, relatives).
DOMESTIC_RELATIONSHIPS = frozenset({"partner", "ex_partner", "family"})


@dataclass
class IncidentView:
    incident: Incident
    offences: OffenceTable
    people: dict[str, Person] = field(init=False)
    crimes_by_reference: dict[str, CrimeRecord] = field(init=False)
    crimes_by_disclosure: dict[str, list[CrimeRecord]] = field(init=False)
    n100s_by_disclosure: dict[str, list[N100Record]] = field(init=False)
    disclosures: dict[str, Disclosure] = field(init=False)
    _companions: dict[str, list[Disclosure]] = field(init=False, default_factory=dict)
    _received: dict[str, float] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        incident = self.incident
        self.people = {p.id: p for p in incident.people}
        self.disclosures = {d.id: d for d in incident.disclosures}
        self.crimes_by_reference = {c.reference: c for c in incident.crime_records}
        self.crimes_by_disclosure = {}
        for crime in incident.crime_records:
            for disclosure_id in crime.disclosures:
                self.crimes_by_disclosure.setdefault(disclosure_id, []).append(crime)
        self.n100s_by_disclosure = {}
        for n100 in incident.n100s:
            self.n100s_by_disclosure.setdefault(n100.disclosure, []).append(n100)

    def offence(self, code: str) -> Offence:
        return self.offences.lookup(code)

    def received_at(self, disclosure: Disclosure) -> float:
        """When this offence was first reported: its own disclosure time, or the incident's receipt. Its crime
        records ask again, so each answer is kept."""
        found = self._received.get(disclosure.id)
        if found is None:
            found = self._received[disclosure.id] = epoch(disclosure.disclosed_at or self.incident.received_at)
        return found

    @cached_property
    def incident_received_at(self) -> float:
        return epoch(self.incident.received_at)

    @cached_property
    def disclosure_order(self) -> dict[str, int]:
        return {d.id: i for i, d in enumerate(self.incident.disclosures)}

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
