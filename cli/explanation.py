"""How `hocr explain` shows one incident: the verdicts first (breaches, the crime indicators' reviews, then not
evaluable, then compliant), each with the facts it read (a review with its evidence: the code and what it means,
or the words quoted from the log and where they are); then every rule that was not in scope, one entry each,
naming the condition that kept it out with its values; then the facts the pack derived. A what-if shows only
what changed.

Written for a trainer's 80-column terminal: plain indented paragraphs, which rich wraps at spaces (a tree's
guides would take a quarter of the width), and an absent value always reads as unknown with the reason,
never as "not recorded", which would say the force failed to record it.
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.text import Text

from cli.render import STYLE
from hocr_rules.engine.evaluator import missing_facts
from hocr_rules.engine.outcomes import (BREACH, COMPLIANT, NOT_EVALUABLE, NOT_IN_SCOPE, REVIEW, IncidentResult,
                                       Outcome)
from hocr_rules.expressions import parse
from hocr_rules.facts.vocabulary import KINDS, VOCABULARY
from hocr_rules.indicators.review import Evidence, Review
from hocr_rules.model.incident import Incident
from hocr_rules.offences import OffenceTable, UnknownOffenceCode
from hocr_rules.rulebook.messages import show
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.whatif import Difference
from hocr_rules.whynot import deciding_conditions, text

VERDICTS = (BREACH, REVIEW, NOT_EVALUABLE, COMPLIANT, NOT_IN_SCOPE)
HEADINGS = {BREACH: "breaches", REVIEW: "reviews", NOT_EVALUABLE: "not evaluable", COMPLIANT: "compliant",
            NOT_IN_SCOPE: "not in scope"}
COUNTED = {**HEADINGS, BREACH: "breach", REVIEW: "review"}  # "1 breach", "2 breaches"
INDENT = 4
CONTEXT = 6  # words of the log entry shown either side of a quoted phrase


class Explanation:
    """Renders one evaluated incident; knows the pack, to say why a derived fact is unknown."""

    def __init__(self, pack: RulePack, offences: OffenceTable):
        self.offences = offences
        self.derivations = {(r.subject, r.source.derives): r for r in pack.rules if r.source.derives}

    # ------------------------------------------------------------ values
    def value(self, kind: str, name: str, value: Any, facts) -> str:
        """A fact as a person reads it; an absent one as `unknown (why)`."""
        if value is not None:
            return show(value, KINDS[kind][name])
        vocabulary = VOCABULARY[kind]
        if name in vocabulary:
            return f"unknown ({vocabulary[name].absent})"
        return f"unknown ({self.why_unknown(kind, name, facts)})" if facts is not None else "unknown"

    def why_unknown(self, kind: str, name: str, facts) -> str:
        """Why the pack could not derive a fact, followed down to the input that is missing: "recording
        ground could not be decided (NC01): victim's age not recorded"."""
        rule = self.derivations.get((kind, name))
        version = rule.version_at(facts[rule.dated_by]) if rule is not None else None
        if version is None:
            return "no rule derives it here"
        reason = missing_facts(rule, version, facts, kind)
        beneath = [n for n in rule.derived_inputs if facts[n] is None]
        return reason + (": " + self.why_unknown(kind, beneath[0], facts) if beneath else "")

    def values(self, kind: str, values: dict[str, Any], facts) -> str:
        return ", ".join(f"{name} = {self.value(kind, name, v, facts)}" for name, v in values.items())

    # ------------------------------------------------------------ one outcome
    def heading(self, o: Outcome | Review) -> str:
        label = o.version if isinstance(o, Review) else o.version and o.version.label
        version = f" (from {label})" if label else ""
        return (f"[{STYLE[o.outcome]}]{o.rule.code}[/] {o.rule.name}, "
                f"{o.subject_kind.replace('_', ' ')} {escape(o.subject_id)}{version}")

    def verdict(self, o: Outcome) -> list[RenderableType]:
        """A breach, not-evaluable or compliant outcome: its message, the facts it read, where it comes from."""
        lines = [escape(o.message)]
        if o.facts:
            lines.append("facts: " + escape(self.values(o.subject_kind, o.facts, o.source)))
        if o.rule.derived_inputs and o.outcome != COMPLIANT:
            lines.append("relied on: " + ", ".join(f"{k} ({c})" for k, c in o.rule.derived_inputs.items()))
        if o.outcome == BREACH and o.rule.source.hint:
            lines.append("hint: " + escape(" ".join(o.rule.source.hint.split())))
        lines.append(f"[dim]{escape(o.rule.citation)}[/]")
        return [_hanging(self.heading(o))] + [_indented(line) for line in lines]

    def why_not(self, o: Outcome) -> str:
        """Not in scope, in one entry: the deciding condition with its values, or the reason the engine gave."""
        conditions = deciding_conditions(o)
        if not conditions:
            return o.reason
        says = {text(parse(condition)): sentence for condition, sentence in o.rule.source.not_in_scope.items()}
        return "; ".join((" ".join(says[condition].split()) if condition in says else f"`{condition}` is false")
                         + (f" ({self.values(o.subject_kind, read, o.source)})" if read else "")
                         for condition, read in conditions)

    def out_of_scope(self, o: Outcome) -> RenderableType:
        return _hanging(f"{self.heading(o)}: {escape(self.why_not(o))}")

    def review(self, r: Review, incident: Incident) -> list[RenderableType]:
        """A crime indicator's review: the offence it suggests, then each piece of evidence and where it is."""
        lines = [f"possible unrecorded crime; suggests {escape(self.offence(r.suggests))}" if r.suggests
                 else "possible unrecorded crime; the indicator suggests no classification (the auditor classifies)"]
        lines += ["evidence: " + escape(self.evidence(e, incident)) for e in r.evidence]
        lines += ["hint: " + escape(" ".join(r.rule.hint.split())), f"[dim]{escape(r.rule.citation)}[/]"]
        return [_hanging(self.heading(r))] + [_indented(line) for line in lines]

    def offence(self, code: str) -> str:
        try:
            return f"{code} {self.offences.lookup(code).title}"
        except UnknownOffenceCode:  # a force's own indicator may suggest a code the list does not hold
            return code

    @staticmethod
    def evidence(e: Evidence, incident: Incident) -> str:
        """A code with what the force mapping says it means; a phrase quoted with its log entry's time and author
        and the words around it, as an auditor would find it on the log."""
        if e.kind != "phrase":
            return e.describe()
        entry = incident.log[e.entry]
        made = ", ".join(part for part in (entry.at and entry.at.isoformat(" ", "minutes"), entry.author and
                                           f"by {entry.author}") if part)
        before, after = entry.text[:e.start].split(), entry.text[e.end:].split()
        around = " ".join(["…"] * (len(before) > CONTEXT) + before[-CONTEXT:] + [e.quote] + after[:CONTEXT]
                          + ["…"] * (len(after) > CONTEXT))
        return (f"\"{e.quote}\" in log entry {e.entry}" + (f" ({made})" if made else "")
                + f", characters {e.start}-{e.end}: {around}")

    # ------------------------------------------------------------ whole incidents
    def incident(self, result: IncidentResult, incident: Incident, only: Iterable[str] = VERDICTS) -> Group:
        wanted = [v for v in VERDICTS if v in set(only)]
        by_verdict = {v: [o for o in result.outcomes if o.outcome == v] for v in VERDICTS}
        by_verdict[REVIEW] = list(result.reviews)
        counts = ", ".join(f"{len(by_verdict[v])} {COUNTED[v] if len(by_verdict[v]) == 1 else HEADINGS[v]}"
                           for v in VERDICTS)
        parts: list[RenderableType] = [_hanging(f"[bold]incident {escape(result.incident)}[/]: {counts}")]
        for v in wanted:
            if not by_verdict[v]:
                continue
            parts.append(Text.from_markup(f"\n[bold]{HEADINGS[v]}[/]"))
            for o in by_verdict[v]:
                parts += ([self.out_of_scope(o)] if v == NOT_IN_SCOPE else self.review(o, incident) if v == REVIEW
                          else self.verdict(o))
        parts += self.derived(result)
        return Group(*parts)

    def derived(self, result: IncidentResult) -> list[RenderableType]:
        sources = {(o.subject_kind, o.subject_id): o.source for o in result.outcomes if o.source is not None}
        shown = [(key, values) for key, values in result.derived.items() if values]
        if not shown:
            return []
        parts: list[RenderableType] = [Text.from_markup("\n[bold]derived facts[/]")]
        for (kind, subject), values in shown:
            parts.append(_hanging(f"{kind.replace('_', ' ')} {escape(subject)}: "
                                  + escape(self.values(kind, values, sources.get((kind, subject))))))
        return parts

    def what_if(self, incident: str, changes: list[str], found: list[Difference]) -> Group:
        """The outcomes a change made different: before -> after, with the facts under them that changed."""
        parts: list[RenderableType] = [_hanging(
            f"[bold]what if[/] in incident {escape(incident)}: " + escape(", ".join(changes)))]
        if not found:
            parts.append(_indented("no outcome changed"))
        for d in found:
            o = d.outcome
            before = d.before.outcome.replace("_", " ") if d.before else "no outcome"
            after = d.after.outcome.replace("_", " ") if d.after else "no outcome"
            parts.append(Text(""))
            parts.append(_hanging(f"{self.heading(o)}: {before} → [{STYLE[o.outcome]}]{after}[/]"))
            if d.after is not None:
                says = self.why_not(d.after) if d.after.outcome == NOT_IN_SCOPE else d.after.message
                parts.append(_indented("now: " + escape(says)))
            if d.before is not None:
                said = self.why_not(d.before) if d.before.outcome == NOT_IN_SCOPE else d.before.message
                parts.append(_indented("was: " + escape(said)))
            if d.facts:
                kind = o.subject_kind
                parts.append(_indented("because: " + escape("; ".join(
                    f"{name}: {self.value(kind, name, old, d.before.source)} → "
                    f"{self.value(kind, name, new, d.after.source)}" for name, (old, new) in d.facts.items()))))
        return Group(*parts)


def _indented(markup: str) -> RenderableType:
    return _Paragraph(Text.from_markup(markup), INDENT)


def _hanging(markup: str) -> RenderableType:
    """An entry whose continuation lines are indented under its first, so entries stay apart when wrapped."""
    return _Paragraph(Text.from_markup(markup), 0)


class _Paragraph:
    """Text wrapped at spaces, its first line indented by `first` and the rest by INDENT. rich's Padding pads
    every line to the full width with spaces and has no hanging indent, so this wraps the text itself."""

    def __init__(self, text: Text, first: int):
        self.text, self.first = text, first

    def __rich_console__(self, console: Console, options):
        width = max(options.max_width - INDENT, 20)
        for index, line in enumerate(self.text.wrap(console, width)):
            line.rstrip()
            yield Text(" " * (self.first if index == 0 else INDENT)) + line
