"""Indicator files read, checked and compiled into one screen over incidents.

Indicators live in an `indicators/` folder beside the rule files of each rule folder (`rules/indicators/` for
ours; a force's `--rules DIR` may bring `DIR/indicators/`, adding indicators or replacing ours by code), read by
the same safe YAML reader with file:line errors. A profile's `disabled` list may name indicator codes.

The screen is one stage shared by both engines, run on each incident before its result is reported, not rules
inside either engine: its answer depends only on the incident, so the default engine and durable-rules cannot
disagree about it, and the durable engine needs no phrase matching in its Rete network (see
hocr_rules.screening).

Judging "matching" (no crying wolf): a candidate is answered, and no review raised, when the incident already
has a disclosure or a crime record (of any status) whose offence is in one of the groups or families, or is one
of the classifications or HO codes, the indicator names in `satisfied_by.offences` (a log saying "punched" on an
incident with a coded 8N assault is answered; the same words beside a coded theft are not). Whether the coded
offence is the *right* one is left to the rules (classification, principal crime). Indicators for crime-related
closing codes may also be answered by any record at all or by a recorded non-crime rationale (`any_record`,
`non_crime_rationale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from hocr_rules.errors import RuleFileError
from hocr_rules.indicators.review import Evidence, Review
from hocr_rules.indicators.schema import IndicatorFile
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable, UnknownOffenceCode
from hocr_rules.phrases import PhraseMatcher
from hocr_rules.phrases.tokens import words
from hocr_rules.rulebook import yamlfile
from hocr_rules.rulebook.compiled import london_midnight

FOLDER = "indicators"
MAX_PHRASE_EVIDENCE = 5  # quoted matches per candidate; the auditor needs a few, not every one in a long log


@dataclass(frozen=True)
class IndicatorVersion:
    start: date
    start_seconds: float
    grade: str
    note: str
    suggests: str | None
    in_force: bool

    @property
    def label(self) -> str:
        return self.start.isoformat()


@dataclass(frozen=True)
class CompiledIndicator:
    source: IndicatorFile
    path: Path
    versions: tuple[IndicatorVersion, ...]
    answered_by: frozenset[str]  # offence groups, families, classifications or HO codes that answer the candidate

    @property
    def code(self) -> str:
        return self.source.code

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def severity(self) -> str:
        return self.source.severity

    @property
    def hint(self) -> str:
        return " ".join(self.source.hint.split())

    @property
    def examples(self):
        return self.source.examples

    @cached_property
    def citation(self) -> str:
        r = self.source.references[0]
        pages = f", pp. {r.pages}" if r.pages else ""
        return f"{r.document} {r.edition}, {r.section}{pages} [{r.grade}]"

    def version_at(self, seconds: float) -> IndicatorVersion | None:
        found = None
        for version in self.versions:
            if version.start_seconds <= seconds:
                found = version
        return found


@dataclass
class IndicatorSet:
    indicators: list[CompiledIndicator] = field(default_factory=list)
    offences: OffenceTable | None = None

    def __post_init__(self) -> None:
        self._by_meaning: dict[str, list[CompiledIndicator]] = {}
        self._by_qualifier: dict[str, list[CompiledIndicator]] = {}
        self._by_phrase: dict[tuple[str, ...], list[CompiledIndicator]] = {}
        for indicator in self.indicators:
            signals = indicator.source.signals
            for meaning in signals.codes:
                self._by_meaning.setdefault(meaning, []).append(indicator)
            for qualifier in signals.qualifiers:
                self._by_qualifier.setdefault(qualifier, []).append(indicator)
            for phrase in signals.phrases:
                self._by_phrase.setdefault(words(phrase), []).append(indicator)
        # by the phrase as the matcher reports it, with the flags each indicator accepts: read for every match
        self._by_match = {" ".join(seq): [(indicator, frozenset(indicator.source.signals.accept))
                                          for indicator in found] for seq, found in self._by_phrase.items()}

    @cached_property
    def matcher(self) -> PhraseMatcher | None:
        """The phrase matcher, built the first time an incident has a log to read: building its typo screen
        costs about 0.03 s of CPU (see matcher.SCREEN_AUTOMATON), and an input without logs never needs it."""
        return PhraseMatcher(" ".join(seq) for seq in self._by_phrase) if self._by_phrase else None

    def find(self, code: str) -> CompiledIndicator | None:
        return next((i for i in self.indicators if code in (i.code, i.name, i.source.stem)), None)

    def screen(self, incident: Incident) -> list[Review]:
        """The candidates on one incident that nothing the force recorded answers, in indicator order."""
        evidence: dict[str, list[Evidence]] = {}
        for reading in incident.code_readings:
            for meaning in reading.means:
                for indicator in self._by_meaning.get(meaning, ()):
                    fields = indicator.source.signals.code_fields
                    if not fields or reading.field in fields:
                        found = evidence.setdefault(indicator.code, [])
                        if not any(e.kind == "code" and e.field == reading.field and e.value == reading.code
                                   for e in found):
                            found.append(Evidence("code", reading.field, reading.code, tuple(reading.means)))
        for qualifier in incident.qualifiers:
            for indicator in self._by_qualifier.get(qualifier, ()):
                evidence.setdefault(indicator.code, []).append(Evidence("qualifier", "qualifiers", qualifier))
        if incident.log and self.matcher is not None:
            self._phrases(incident, evidence)
        if not evidence:
            return []
        seconds = incident.received_at.timestamp()
        reviews = []
        for indicator in self.indicators:
            found = evidence.get(indicator.code)
            if not found:
                continue
            version = indicator.version_at(seconds)
            if version is None or not version.in_force or self._answered(incident, indicator):
                continue
            reviews.append(Review(indicator, version.label, incident.id, version.suggests or indicator.source.suggests,
                                  tuple(found)))
        return reviews

    def _phrases(self, incident: Incident, evidence: dict[str, list[Evidence]]) -> None:
        log = incident.log
        quoted: dict[str, int] = {}  # phrase evidence given so far, by indicator
        for index, match in self.matcher.matches_in([entry.text for entry in log]):
            flags = match.flags
            for indicator, accepted in self._by_match[match.phrase]:
                if flags <= accepted and quoted.get(indicator.code, 0) < MAX_PHRASE_EVIDENCE:
                    quoted[indicator.code] = quoted.get(indicator.code, 0) + 1
                    evidence.setdefault(indicator.code, []).append(Evidence(
                        "phrase", "log", match.phrase, entry=index, start=match.start, end=match.end,
                        quote=log[index].text[match.start:match.end]))

    def _answered(self, incident: Incident, indicator: CompiledIndicator) -> bool:
        wanted = indicator.source.satisfied_by
        if wanted.any_record and (incident.disclosures or incident.crime_records or incident.crime_numbers):
            return True
        if wanted.non_crime_rationale and incident.non_crime_rationale:
            return True
        answers = indicator.answered_by
        if answers:
            for record in (*incident.disclosures, *incident.crime_records):
                offence = self.offences.lookup(record.offence)
                if (offence.group in answers or offence.classification in answers or offence.ho_code in answers
                        or not answers.isdisjoint(offence.families)):
                    return True
        return False


def read_files(folders: Iterable[Path]) -> dict[str, tuple[IndicatorFile, Path, dict]]:
    """Every indicator file in the `indicators/` folder of each rule folder; a later folder's code wins."""
    files: dict[str, tuple[IndicatorFile, Path, dict]] = {}
    for folder in folders:
        for path in sorted((Path(folder) / FOLDER).glob("*.yaml")):
            data, lines = yamlfile.read(path)
            indicator = yamlfile.validate(IndicatorFile, data, path, lines)
            if path.stem != indicator.stem:
                raise RuleFileError(path, 1, "code", f"the file should be named {indicator.stem}.yaml")
            files[indicator.code] = (indicator, path, lines)
    return files


def compile_all(files: dict[str, tuple[IndicatorFile, Path, dict]], parameters: dict[str, Any],
                rule_codes: Iterable[str], version_start, offences: OffenceTable | None = None) -> IndicatorSet:
    """Check each file against the offence table and the rule pack, and resolve its version dates with
    `version_start(value, parameters, fail)`, the rule pack's own resolver."""
    offences = offences or OffenceTable.load()
    every = list(offences.offences())
    known_groups = {o.group for o in every} | {f for o in every for f in o.families}
    rules = set(rule_codes)
    compiled = []
    for code, (source, path, lines) in sorted(files.items()):
        def fail(key: tuple, message: str) -> RuleFileError:
            return RuleFileError(path, yamlfile.line_of(lines, key), ".".join(map(str, key)), message)

        if code in rules:
            raise fail(("code",), f"{code} is already a rule's code; an indicator needs a code of its own")
        for key, value in [(("suggests",), source.suggests)] + [
                (("versions", i, "suggests"), v.suggests) for i, v in enumerate(source.versions)]:
            if value is not None:
                try:
                    offences.lookup(value)
                except UnknownOffenceCode as error:
                    raise fail(key, str(error)) from None
        for index, name in enumerate(source.satisfied_by.offences):
            if name not in known_groups and name not in offences:
                raise fail(("satisfied_by", "offences", index), f"'{name}' is neither an offence group or family "
                           f"({', '.join(sorted(known_groups))}) nor an offence code")
        versions = []
        for index, version in enumerate(source.versions):
            start = version_start(version.start, parameters, lambda m, i=index: fail(("versions", i, "from"), m))
            if versions and start <= versions[-1].start:
                raise fail(("versions", index, "from"), "versions must be listed oldest first, with distinct dates")
            versions.append(IndicatorVersion(start, london_midnight(start), version.grade, version.note,
                                             version.suggests, version.in_force))
        compiled.append(CompiledIndicator(source, path, tuple(versions), frozenset(source.satisfied_by.offences)))
    return IndicatorSet(compiled, offences)
