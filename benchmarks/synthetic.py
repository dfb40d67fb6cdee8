"""Synthetic incidents for the benchmark: a seeded, realistic audit sample, standard library only.

Each incident is one of seven scenarios a crime data integrity audit meets every day (assault, domestic abuse,
acquisitive crime, rape, a state-based offence, a third-party report, a transferred or cancelled crime), with
the people, disclosures, crime records, N100s and cancellations the force would export for it. About 78 % are
recorded correctly; the rest carry exactly one recording defect, chosen from those an inspector finds (a missed
crime, a late record, a course of conduct recorded as a single act, a rape held as an N100, a C2 without
additional verifiable information, ...). `generate_labelled` says which defect each incident carries, so the
mix can be compared with what the rule pack reports; the labels are not in the records, because the input model
rejects unknown fields.

The same seed gives the same bytes (one `random.Random`, no sets, fixed key order). Dates run from January 2025
to September 2026, so both sides of the 2026/27 edition are exercised, and all times carry their offset.

    python benchmarks/synthetic.py 20000 --seed 1 -o incidents.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
START = datetime(2025, 1, 1, tzinfo=LONDON).timestamp()
DAYS = 638  # to 30 September 2026
HOUR = 3600.0
#: Calls by hour of day: quiet before dawn, busiest in the evening.
HOURLY = [3, 2, 2, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 6, 7, 7, 7, 6, 5, 4, 4]

ETHNICITY = {"W1": 60, "W3": 2, "W9": 6, "A1": 4, "A2": 4, "A3": 2, "A9": 2, "B1": 3, "B2": 3, "B9": 1,
             "M1": 1, "M2": 1, "M3": 1, "M9": 1, "O2": 1, "O9": 1, "NS": 2}
RELIGION = {"Christian": 46, "No religion": 37, "Muslim": 7, "Hindu": 2, "Sikh": 1, "Jewish": 1, "Buddhist": 1,
            "Other": 1, "Not stated": 4}
ORIENTATION = {"heterosexual": 88, "gay_or_lesbian": 3, "bisexual": 3, "other": 1, "not_stated": 5}

# scenario -> (share of incidents, share of them carrying a defect, defects it can carry with their weights)
SCENARIOS: dict[str, tuple[int, float, dict[str, int]]] = {
    "assault": (22, 0.20, {"missed-crime": 35, "late-record": 30, "fewer-crimes-than-victims": 20,
                           "equality-data-missing": 15}),
    "domestic": (20, 0.30, {"missed-crime": 15, "late-record": 15, "conduct-recorded-as-single-act": 15,
                            "ex-partner-harassment-without-rationale": 12, "single-occasion-conduct-crime": 10,
                            "domestic-abuse-flag-missing": 25, "equality-data-missing": 8}),
    "acquisitive": (28, 0.15, {"missed-crime": 40, "late-record": 45, "equality-data-missing": 15}),
    "rape": (5, 0.30, {"rape-neither-crimed-nor-n100": 25, "n100-instead-of-rape-crime": 30,
                       "invalid-n100-reason": 15, "n100-transfer-without-reference": 15, "n100-for-non-rape": 10,
                       "late-record": 15}),
    "state": (7, 0.10, {"missed-crime": 60, "late-record": 40}),
    "third_party": (8, 0.25, {"missed-crime": 45, "late-record": 30, "third-party-report-waited-for-victim": 25}),
    "cancellation": (10, 0.35, {"invalid-cancellation-code": 18, "c2-without-avi": 18, "cancelled-by-wrong-role": 12,
                                "cancelled-by-investigator": 10, "transfer-without-reference": 12,
                                "victim-not-informed": 12, "c5-outside-assaults": 9,
                                "duplicate-without-live-master": 9}),
}


def generate_labelled(n: int, seed: int = 1) -> Iterator[tuple[str | None, dict]]:
    """(defect or None, incident) for `n` incidents; the same seed always gives the same sequence."""
    rng = random.Random(seed)
    serial = itertools.count(1)
    names = list(SCENARIOS)
    shares = [SCENARIOS[s][0] for s in names]
    for number in range(1, n + 1):
        scenario = rng.choices(names, shares)[0]
        _, rate, defects = SCENARIOS[scenario]
        defect = rng.choices(list(defects), list(defects.values()))[0] if rng.random() < rate else None
        build = _Incident(rng, f"SYN{seed}-{number:07d}", serial)
        BUILDERS[scenario](build, defect)
        yield defect, build.record()


def generate(n: int, seed: int = 1) -> Iterator[dict]:
    """`n` synthetic incidents as plain dicts, valid against `hocr_rules.model.incident.Incident`."""
    for _, incident in generate_labelled(n, seed):
        yield incident


def write_jsonl(path: str | Path, n: int, seed: int = 1, malformed: float = 0.0) -> Counter:
    """Write `n` incidents as JSON Lines; returns how many carry each defect (None: recorded correctly).

    With `malformed` (a share from 0 to 1), that share of the records, spread evenly, is damaged so that the
    intake must reject it, in turn in each of the ways of `MALFORMED` (counted as "malformed: <way>")."""
    mix: Counter = Counter()
    damaged = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as out:
        for number, (defect, incident) in enumerate(generate_labelled(n, seed), 1):
            line = json.dumps(incident, ensure_ascii=False, separators=(",", ":"))
            if int(number * malformed) > damaged:  # evenly spread: the k-th damaged record at about k / share
                way = list(MALFORMED)[damaged % len(MALFORMED)]
                line, defect = MALFORMED[way](incident, line), f"malformed: {way}"
                damaged += 1
            mix[defect] += 1
            out.write(line + "\n")
    return mix


def _damaged(change: Callable[[dict], None]) -> Callable[[dict, str], str]:
    def damage(incident: dict, line: str) -> str:
        change(incident)
        return json.dumps(incident, ensure_ascii=False, separators=(",", ":"))
    return damage


#: Ways a force export goes wrong, each one the intake must reject with the record and field named.
MALFORMED: dict[str, Callable[[dict, str], str]] = {
    "naive timestamp": _damaged(lambda i: i.update(received_at=i["received_at"][:19])),
    "unknown offence code": _damaged(lambda i: i["disclosures"][0].update(offence="999/99")),
    "wrong type": _damaged(lambda i: i["people"][0].update(age="forty")),
    "broken JSON": lambda incident, line: line[: len(line) // 2],
}


class _Incident:
    """One incident under construction; every id, time and code goes through here so the order is fixed."""

    def __init__(self, rng: random.Random, incident_id: str, serial: Iterator[int]):
        self.rng, self.id, self.serial = rng, incident_id, serial
        day = rng.randrange(DAYS)
        hour = rng.choices(range(24), HOURLY)[0]
        self.t0 = START + day * 24 * HOUR + hour * HOUR + rng.randrange(3600)
        self.utc = rng.random() < 0.1  # some force systems export UTC
        self.fields: dict = {}
        self.people: list[dict] = []
        self.disclosures: list[dict] = []
        self.crimes: list[dict] = []
        self.n100s: list[dict] = []

    # ------------------------------------------------------------ small pieces
    def pick(self, weights: dict):
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def ts(self, seconds: float) -> str:
        moment = datetime.fromtimestamp(int(seconds), timezone.utc if self.utc else LONDON)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if self.utc else moment.isoformat(timespec="seconds")

    def on_time(self) -> float:
        """Hours from report to record when the force records promptly (always under 24 h)."""
        band = self.pick({(0.1, 4.0): 60, (4.0, 18.0): 30, (18.0, 23.5): 10})
        return self.rng.uniform(*band) * HOUR

    def late(self) -> float:
        band = self.pick({(24.5, 30.0): 40, (30.0, 72.0): 40, (72.0, 300.0): 20})
        return self.rng.uniform(*band) * HOUR

    def delay(self, defect: str | None) -> float:
        return self.late() if defect == "late-record" else self.on_time()

    def occasions(self, count: int) -> list[str]:
        days = sorted(self.rng.sample(range(1, 120), count), reverse=True)
        return [self.ts(self.t0 - d * 24 * HOUR + self.rng.randrange(-6 * 3600, 6 * 3600)) for d in days]

    # ------------------------------------------------------------ records
    def person(self, prefix: str, age: tuple[int, int] | None, sex: str | None = None,
               relationship: str | None = None, equality: str = "full") -> str:
        pid = f"{prefix}{sum(p['id'][0] == prefix for p in self.people) + 1}"
        person: dict = {"id": pid}
        if age is not None and equality != "none":
            person["age"] = self.rng.randint(*age)
        if equality != "none":
            person["sex"] = sex or self.pick({"female": 48, "male": 50, "unknown": 2})
        if equality in ("full", "partial"):
            person["ethnicity"] = self.pick(ETHNICITY)
        if equality == "full":
            person["disability"] = self.chance(0.18)
            # a full record asks every characteristic EQ01 checks; an unstated answer is recorded as such
            person["religion"] = self.pick(RELIGION) if self.chance(0.6) else "Not stated"
            person["sexual_orientation"] = self.pick(ORIENTATION) if self.chance(0.4) else "Not stated"
            if self.chance(0.3):
                person["marriage_or_civil_partnership"] = self.chance(0.45)
        if equality == "none" and age is not None and prefix == "V":
            person["age"] = self.rng.randint(*age)  # the age is known even when nothing else was asked
        if relationship:
            person["relationship_to_offender"] = relationship
        self.people.append(person)
        return pid

    def victim(self, defect: str | None, age=(18, 85), sex=None, relationship=None) -> str:
        equality = "none" if defect == "equality-data-missing" else self.pick({"full": 80, "partial": 20})
        return self.person("V", age, sex or self.pick({"female": 52, "male": 48}), relationship, equality)

    def offender(self, age=(16, 65), sex=None) -> str:
        known = self.pick({"full": 30, "partial": 45, "age_sex": 25})
        if known == "age_sex":
            return self.person("O", age, sex, equality="age_sex")
        return self.person("O", age, sex, equality=known)

    def disclose(self, offence: str, victims: list[str], offenders: list[str], reported_by: str, **more) -> str:
        did = f"D{len(self.disclosures) + 1}"
        self.disclosures.append({"id": did, "offence": offence, "victims": victims, "offenders": offenders,
                                 "reported_by": reported_by, **more})
        return did

    def crime(self, offence: str, victim: str | None, offenders: list[str], disclosures: list[str],
              after: float, **more) -> str:
        reference = f"SY/{datetime.fromtimestamp(self.t0, LONDON):%y}/{next(self.serial):07d}"
        record: dict = {"reference": reference, "offence": offence}
        if victim:
            record["victim"] = victim
        record.update(offenders=offenders, disclosures=disclosures, recorded_at=self.ts(self.t0 + after))
        record.update(more)
        self.crimes.append(record)
        return reference

    def n100(self, disclosure: str, reason: str | None, after: float, **more) -> str:
        nid = f"N{len(self.n100s) + 1}"
        record = {"id": nid, "disclosure": disclosure, "created_at": self.ts(self.t0 + after)}
        if reason is not None:
            record["reason"] = reason
        record.update(more)
        self.n100s.append(record)
        return nid

    def record(self) -> dict:
        incident = {"id": self.id, "received_at": self.ts(self.t0)}
        incident.update(self.fields)
        incident.update(people=self.people, disclosures=self.disclosures)
        if self.crimes:
            incident["crime_records"] = self.crimes
        if self.n100s:
            incident["n100s"] = self.n100s
        return incident

    def header(self, channels: dict, opening: str, qualifiers: list[str] = (), closing: str | None = None) -> None:
        self.fields["channel"] = self.pick(channels)
        if self.chance(0.05):
            self.fields.update(kind="secondary", parent=f"{self.id}-P")
        self.fields["opening_code"] = opening
        if closing:
            self.fields["closing_code"] = closing
        if qualifiers:
            self.fields["qualifiers"] = list(qualifiers)


# ---------------------------------------------------------------- scenarios
STRANGER = {"stranger": 50, "acquaintance": 20, "unknown": 15, None: 15}


def _assault(b: _Incident, defect: str | None) -> None:
    shape = "two_victims" if defect == "fewer-crimes-than-victims" else b.pick(
        {"single": 70, "two_victims": 10, "push_then_punch": 10, "assault_and_damage": 10})
    qualifiers = ["alcohol"] if b.chance(0.25) else []
    b.header({"emergency_call": 50, "non_emergency_call": 25, "online": 10, "front_counter": 10, "other": 5},
             "ASSAULT", qualifiers, "NO CRIME" if defect == "missed-crime" else "CRIME RECORDED")
    v1 = b.victim(defect, relationship=b.pick(STRANGER))
    offenders = [b.offender()] if b.chance(0.75) else []
    reporter = b.pick({"victim": 85, "on_behalf_of_victim": 5, "witness": 10})
    more: dict = {}
    start = 0.0
    if reporter == "witness":
        start = b.rng.uniform(1, 30) * HOUR
        more = {"victim_confirmed": "yes", "confirmed_at": b.ts(b.t0 + start)}
    offence = b.pick({"105A": 50, "105/01": 10, "008/06": 30, "8N": 10})
    flags = ["alcohol"] if qualifiers else []
    if shape == "two_victims":
        v2 = b.victim(None, relationship=b.people[0].get("relationship_to_offender"))
        d1 = b.disclose(offence, [v1, v2], offenders, reporter, **more)
        if defect != "missed-crime":
            b.crime(offence, v1, offenders, [d1], start + b.delay(defect), flags=flags)
            if defect != "fewer-crimes-than-victims":
                b.crime(offence, v2, offenders, [d1], start + b.delay(defect), flags=flags)
        return
    d1 = b.disclose("008/06" if shape == "push_then_punch" else offence, [v1], offenders, reporter, **more)
    linked = [d1]
    if shape == "push_then_punch" and offenders:
        linked.append(b.disclose("105A", [v1], offenders, reporter, **more))
    elif shape == "assault_and_damage" and offenders:
        linked.append(b.disclose(b.pick({"149/00": 70, "058/00": 30}), [v1], offenders, reporter, **more))
    if defect != "missed-crime":
        b.crime(b.disclosures[0]["offence"], v1, offenders, linked, start + b.delay(defect), flags=flags)


def _domestic(b: _Incident, defect: str | None) -> None:
    relationship = b.pick({"partner": 50, "ex_partner": 35, "family": 15})
    if defect == "ex-partner-harassment-without-rationale":
        relationship = "ex_partner"
    shape = b.pick({"conduct": 35, "conduct_and_assault": 25, "assault": 30, "conduct_assault_damage": 10})
    if defect in ("conduct-recorded-as-single-act", "ex-partner-harassment-without-rationale"):
        shape = b.pick({"conduct": 60, "conduct_and_assault": 40})
    if defect == "single-occasion-conduct-crime":
        shape = "single_message"
    qualifiers = ["domestic_abuse"] + (["marac"] if b.chance(0.1) else []) + (["alcohol"] if b.chance(0.2) else [])
    b.header({"emergency_call": 60, "non_emergency_call": 20, "online": 8, "public_protection": 7,
              "front_counter": 5}, "DOMESTIC", qualifiers, "NFA" if defect == "missed-crime" else "CRIME RECORDED")
    victim = b.victim(defect, age=(17, 75), sex=b.pick({"female": 80, "male": 20}), relationship=relationship)
    offender = b.person("O", (18, 70), equality=b.pick({"full": 30, "partial": 50, "age_sex": 20}))
    reporter = b.pick({"victim": 88, "on_behalf_of_victim": 4, "professional_third_party": 8})
    flags = [] if defect == "domestic-abuse-flag-missing" else ["domestic_abuse"]
    if "alcohol" in qualifiers and flags:
        flags.append("alcohol")
    conduct = {"partner": {"8U": 70, "8L": 30}, "ex_partner": {"8Q": 70, "8L": 30},
               "family": {"8L": 60, "8U": 40}}[relationship]
    if defect == "ex-partner-harassment-without-rationale":
        conduct = {"8L": 1}
    elif defect == "conduct-recorded-as-single-act":
        conduct = {"8Q": 50, "8U": 50} if relationship != "family" else {"8U": 1}
    linked: list[str] = []
    if shape == "single_message":
        linked.append(b.disclose("8L", [victim], [offender], reporter, occasions=b.occasions(1)))
        recorded = "8L"
    elif shape == "assault":
        linked.append(b.disclose(b.pick({"105A": 60, "008/06": 40}), [victim], [offender], reporter))
        recorded = b.disclosures[0]["offence"]
    else:
        recorded = b.pick(conduct)
        linked.append(b.disclose(recorded, [victim], [offender], reporter,
                                 occasions=b.occasions(b.rng.randint(2, 8))))
        if shape != "conduct":
            linked.append(b.disclose(b.pick({"105A": 70, "008/06": 30}), [victim], [offender], reporter))
        if shape == "conduct_assault_damage":
            linked.append(b.disclose(b.pick({"149/00": 60, "058/00": 40}), [victim], [offender], reporter))
    if defect == "missed-crime":
        return
    more: dict = {}
    if recorded == "8L" and relationship == "ex_partner" and defect != "ex-partner-harassment-without-rationale":
        more = {"classification_rationale": "Messages about child contact only; no fixation, obsession or fear "
                                            "of violence: harassment, not stalking",
                "rationale_approved_by": "force_crime_registrar"}
    if defect == "conduct-recorded-as-single-act":
        recorded = b.pick({"8R": 70, "105A": 30})
    b.crime(recorded, victim, [offender], linked, b.delay(defect), flags=flags, **more)


ACQUISITIVE = {"49": 14, "049/10": 6, "46": 10, "046/00": 5, "45": 10, "48": 6, "44": 8, "39": 5, "28I": 8,
               "30C": 3, "58A": 8, "58C": 9, "58D": 3, "126": 5}


def _acquisitive(b: _Incident, defect: str | None) -> None:
    offence = b.pick(ACQUISITIVE)
    b.header({"online": 45, "non_emergency_call": 35, "emergency_call": 10, "front_counter": 10},
             "DAMAGE" if offence.startswith("58") else "BURGLARY" if offence in ("28I", "30C") else "THEFT",
             closing="NO CRIME" if defect == "missed-crime" else "CRIME RECORDED")
    victim = b.victim(defect, relationship=b.pick({"stranger": 50, "unknown": 20, None: 30}))
    shop = offence in ("46", "046/00")
    offenders = [b.offender()] if b.chance(0.8 if shop else 0.3) else []
    reporter = "on_behalf_of_victim" if shop else b.pick({"victim": 95, "on_behalf_of_victim": 5})
    d1 = b.disclose(offence, [victim], offenders, reporter)
    if defect != "missed-crime":
        flags = ["online_crime"] if b.chance(0.03) else []
        b.crime(offence, victim, offenders, [d1], b.delay(defect), flags=flags)


def _rape(b: _Incident, defect: str | None) -> None:
    shape = {"rape-neither-crimed-nor-n100": "victim_report", "n100-instead-of-rape-crime": "victim_report",
             "invalid-n100-reason": b.pick({"third_party": 60, "contrary": 40}),
             "n100-transfer-without-reference": "other_force", "late-record": "victim_report",
             "n100-for-non-rape": "third_party"}.get(defect) or b.pick(
        {"victim_report": 45, "third_party": 14, "contrary": 8, "other_force": 10, "sarc": 8, "later_crimed": 9,
         "child": 6})
    b.header({"emergency_call": 30, "non_emergency_call": 25, "agency_referral": 25, "front_counter": 10,
              "online": 10}, "SEXUAL OFFENCE", ["sexual_offence"] + (["vulnerable_victim"] if b.chance(0.3) else []))
    sex = b.pick({"female": 88, "male": 12})
    if shape == "child":
        victim = b.victim(defect, age=(10, 15), sex=sex, relationship=b.pick({"family": 40, "acquaintance": 60}))
        offence = "19D" if sex == "female" else "19G"
    else:
        victim = b.victim(defect, age=(16, 70), sex=sex, relationship=b.pick(
            {"acquaintance": 45, "partner": 15, "ex_partner": 15, "stranger": 25}))
        offence = b.pick({"19C": 80, "019/08": 10, "019/12": 10}) if sex == "female" else "19F"
    if defect == "n100-for-non-rape":  # a sexual assault, not a rape, held as an N100
        offence = "20A" if sex == "female" else "17A"
    offenders = [b.offender(sex="male")]
    if shape == "victim_report" and defect is None and b.chance(0.08):
        offenders.append(b.offender(sex="male"))  # one rape crime for each offender
    reason = {"third_party": "N100/01", "sarc": "N100/01", "contrary": "N100/02", "other_force": "N100/03"}.get(shape)
    if defect == "invalid-n100-reason":
        reason = b.pick({"N100/04": 30, "N100": 25, "NFA": 25, "N101/01": 20})
    relationship = b.people[0].get("relationship_to_offender")
    flags = ["domestic_abuse"] if relationship in ("partner", "ex_partner") else []
    if shape in ("victim_report", "child"):
        reporter = "victim" if shape == "victim_report" else b.pick(
            {"parent_or_carer": 50, "professional_third_party": 50})
        d1 = b.disclose(offence, [victim], offenders, reporter)
        if defect == "n100-instead-of-rape-crime":
            b.n100(d1, "N100/01", b.on_time())
        elif defect != "rape-neither-crimed-nor-n100":
            for offender in offenders:
                b.crime(offence, victim, [offender], [d1], b.delay(defect), flags=flags)
    elif shape == "third_party":
        d1 = b.disclose(offence, [victim], offenders, b.pick({"other_third_party": 70, "witness": 30}),
                        victim_confirmed=b.pick({"not_asked": 30, "untraceable": 40, "no": 30}))
        b.fields["non_crime_rationale"] = "Third-party report; victim not traced or does not confirm: N100/01"
        b.n100(d1, reason, b.on_time())
    elif shape == "contrary":
        d1 = b.disclose(offence, [victim], offenders, "victim",
                        contrary_evidence=b.pick({"CCTV shows the named man was at work elsewhere all evening": 1,
                                                  "Door camera footage shows the caller was not at the address": 1}))
        b.n100(d1, reason, b.on_time())
    elif shape == "other_force":
        d1 = b.disclose(offence, [victim], offenders, "victim", other_force_area=True)
        more = {} if defect == "n100-transfer-without-reference" else {
            "receiving_force_reference": f"{b.pick({'WM': 1, 'GMP': 1, 'MPS': 1, 'WY': 1, 'TVP': 1})}/"
                                         f"{datetime.fromtimestamp(b.t0, LONDON):%y}/{b.rng.randrange(10000, 99999)}"}
        b.n100(d1, reason, b.on_time(), **more)
    elif shape == "sarc":
        b.fields["channel"] = "agency_referral"
        d1 = b.disclose(offence, [victim], offenders, "professional_third_party", sarc_withheld=True)
        b.n100(d1, reason, b.on_time())
    else:  # later_crimed: a friend reported, the victim confirmed next day, the N100 became a rape crime
        confirmed = b.rng.uniform(6, 72) * HOUR
        d1 = b.disclose(offence, [victim], offenders, "other_third_party", victim_confirmed="yes",
                        confirmed_at=b.ts(b.t0 + confirmed))
        crime = b.crime(offence, victim, offenders, [d1], confirmed + b.on_time(), flags=flags)
        b.n100(d1, "N100/01", b.on_time(), rape_crime=crime)


def _state(b: _Incident, defect: str | None) -> None:
    b.header({"police_generated": 100}, "DRUGS", closing="CRIME RECORDED")
    offender = b.offender(age=(15, 60))
    proved = defect is not None or b.chance(0.9)  # a few finds are not yet made out (substance untested)
    d1 = b.disclose(b.pick({"92E": 45, "092/61": 10, "92D": 25, "092/50": 10, "092/60": 10}), [], [offender],
                    "police", recording_necessary=proved)
    if not proved:
        b.fields["non_crime_rationale"] = "Substance sent for analysis; points to prove not yet made out"
    elif defect != "missed-crime":
        b.crime(b.disclosures[0]["offence"], None, [offender], [d1], b.delay(defect))


def _third_party(b: _Incident, defect: str | None) -> None:
    shape = b.pick({"lay_confirmed": 30, "lay_declined": 20, "professional": 30, "parent": 20})
    if defect and shape == "lay_declined":
        shape = "lay_confirmed"
    if defect == "third-party-report-waited-for-victim":
        shape = b.pick({"professional": 60, "parent": 40})
    offence = b.pick({"105A": 50, "008/06": 15, "8R": 20, "49": 15})
    if shape in ("lay_confirmed", "lay_declined"):
        b.header({"non_emergency_call": 60, "emergency_call": 30, "online": 10}, "CONCERN FOR SAFETY",
                 closing="CRIME RELATED INCIDENT" if shape == "lay_declined" else "CRIME RECORDED")
        victim = b.victim(defect, relationship=b.pick(STRANGER))
        reporter = b.pick({"witness": 50, "other_third_party": 50})
        offenders = [b.offender()]
        if shape == "lay_declined":
            b.fields["non_crime_rationale"] = "Victim traced and spoken to; does not confirm that an offence occurred"
            b.disclose(offence, [victim], offenders, reporter, victim_confirmed="no")
            return
        start = b.rng.uniform(2, 48) * HOUR
        d1 = b.disclose(offence, [victim], offenders, reporter, victim_confirmed="yes",
                        confirmed_at=b.ts(b.t0 + start))
    else:
        child = shape == "parent" or b.chance(0.6)
        qualifiers = ["child_at_risk"] + (["school_premises"] if child and b.chance(0.4) else [])
        if not child:
            qualifiers = ["adult_at_risk"]
        b.header({"agency_referral": 50, "public_protection": 30, "non_emergency_call": 20}, "SAFEGUARDING",
                 qualifiers, "NFA" if defect == "missed-crime" else "CRIME RECORDED")
        victim = b.victim(defect, age=(4, 15) if child else (18, 90), relationship=b.pick(
            {"acquaintance": 40, "family": 20, "carer": 15, "stranger": 25}))
        offenders = [b.offender(age=(11, 17) if child and b.chance(0.5) else (18, 70))]
        reporter = "parent_or_carer" if shape == "parent" else "professional_third_party"
        if defect == "third-party-report-waited-for-victim":  # recorded only once the victim confirmed, days later
            start = b.rng.uniform(26, 120) * HOUR
            d1 = b.disclose(offence, [victim], offenders, reporter, victim_confirmed="yes",
                            confirmed_at=b.ts(b.t0 + start))
            defect = None
        else:
            start = 0.0
            d1 = b.disclose(offence, [victim], offenders, reporter,
                            victim_expected_to_confirm=not (child and b.chance(0.3)))
    if defect != "missed-crime":
        domestic = b.people[0].get("relationship_to_offender") == "family" and b.people[0].get("age", 0) >= 18
        b.crime(offence, victim, offenders, [d1], start + b.delay(defect), flags=["domestic_abuse"] if domestic else [])


AVI = ["CCTV from the shop shows the phone was left on the counter and handed in; the owner has it back",
       "Bank statement shows the disputed payment was made by the account holder's own card at home",
       "Dashcam footage from an independent driver shows the damage was caused by a falling branch",
       "The bicycle was found in the communal store; the building manager's log shows it was moved there"]
NOT_AVI = ["victim withdrew", "Victim does not support police action", "no evidence", "unable to contact victim"]
DECIDERS = {"designated_decision_maker": 70, "force_crime_registrar": 15, "deputy_force_crime_registrar": 15}


def _cancellation(b: _Incident, defect: str | None) -> None:
    code = {"invalid-cancellation-code": b.pick({"C1": 30, "C2": 70}), "c2-without-avi": "C2",
            "cancelled-by-wrong-role": b.pick({"C2": 40, "C4": 30, "C5": 30}),
            "cancelled-by-investigator": b.pick({"C2": 60, "C5": 40}), "transfer-without-reference": "C1",
            "victim-not-informed": b.pick({"C1": 30, "C2": 50, "C5": 20}), "c5-outside-assaults": "C5",
            "duplicate-without-live-master": "C3"}.get(defect) or b.pick(
        {"C1": 25, "C2": 25, "C3": 20, "C4": 15, "C5": 15})
    b.header({"emergency_call": 30, "non_emergency_call": 35, "online": 25, "front_counter": 10},
             "ASSAULT" if code == "C5" else "THEFT", closing="CRIME RECORDED")
    victim = b.victim(None, relationship=b.pick({"stranger": 60, "acquaintance": 25, "unknown": 15}))
    offenders = [b.offender()] if code in ("C3", "C5") or b.chance(0.4) else []
    if code == "C5":
        offence = b.pick({"008/01": 50, "105B": 30, "58A": 20} if defect == "c5-outside-assaults" else
                         {"105A": 60, "008/06": 40})
    else:
        offence = b.pick({"49": 30, "44": 15, "58C": 15, "39": 10, "105A": 15, "45": 15})
    d1 = b.disclose(offence, [victim], offenders, "victim", **({"other_force_area": True} if code == "C1" else {}))
    recorded = b.on_time()
    decided = recorded + b.rng.uniform(24, 30 * 24) * HOUR
    status = "transferred" if code == "C1" else "cancelled"
    cancellation: dict = {"code": code}
    if defect == "invalid-cancellation-code":  # the decision was right, the code written is not
        written = b.pick({"C6": 40, "T1": 30, "C0": 30} if code == "C1" else {"c2": 25, "C02": 25, "C6": 25, None: 25})
        cancellation = {"code": written} if written else {}
    cancellation["decided_at"] = b.ts(b.t0 + decided)
    if code == "C1":
        cancellation["decided_by"] = b.pick({"designated_decision_maker": 50, "supervisor": 50})
    elif defect == "cancelled-by-wrong-role":
        cancellation.update(decided_by=b.pick({"supervisor": 70, "other": 30}), decider_is_investigator=False)
    else:
        cancellation.update(decided_by=b.pick(DECIDERS), decider_is_investigator=defect == "cancelled-by-investigator")
    if code == "C1":
        cancellation["rationale"] = "Offence took place in the neighbouring force area; accepted by them"
        if defect != "transfer-without-reference":
            cancellation["receiving_force_reference"] = f"NX/{b.rng.randrange(100000, 999999)}"
    elif code == "C2":
        cancellation["rationale"] = "Additional verifiable information shows no notifiable crime occurred"
        if defect != "c2-without-avi" or b.chance(0.5):
            cancellation["additional_verifiable_information"] = b.rng.choice(
                NOT_AVI if defect == "c2-without-avi" else AVI)
    elif code == "C4":
        cancellation["rationale"] = "Recorded on the wrong incident by the contact centre: it was lost property"
    elif code == "C5":
        cancellation["rationale"] = "Independent witness and CCTV show the suspect used reasonable force"
    if defect != "victim-not-informed" and code in ("C1", "C2", "C5"):
        cancellation["victim_informed_at"] = b.ts(b.t0 + decided - b.rng.uniform(1, 72) * HOUR)
    elif code in ("C1", "C2", "C5"):
        cancellation["victim_informed"] = "no"  # the record says so: an unexported answer is not a breach
    if code == "C3":
        master = b.crime(offence, victim, offenders, [d1], recorded)
        if defect != "duplicate-without-live-master":
            cancellation["master_record"] = master
        recorded += b.rng.uniform(0.1, 3) * HOUR  # the duplicate came a little later
    b.crime(offence, victim, offenders, [d1], recorded, status=status, cancellation=cancellation)


BUILDERS: dict[str, Callable[[_Incident, str | None], None]] = {
    "assault": _assault, "domestic": _domestic, "acquisitive": _acquisitive, "rape": _rape, "state": _state,
    "third_party": _third_party, "cancellation": _cancellation,
}


def main() -> None:
    parser = argparse.ArgumentParser(description="Write synthetic incidents as JSON Lines.")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", default="incidents.jsonl")
    args = parser.parse_args()
    mix = write_jsonl(args.output, args.n, args.seed)
    print(f"{args.n} incidents written to {args.output}; {mix[None] / args.n:.1%} recorded correctly")
    for defect, count in sorted(((d, c) for d, c in mix.items() if d), key=lambda x: -x[1]):
        print(f"  {defect:42} {count:7d}  {count / args.n:6.2%}")


if __name__ == "__main__":
    main()
