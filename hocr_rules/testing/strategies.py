"""Hypothesis strategies for valid incidents and their parts, read from the model rather than guessed.

pydantic v2 has no Hypothesis plugin, and `st.from_type` ignores constraints inside `Optional` (`age: int |
None = Field(ge=0, le=130)`), strips nothing (`str_strip_whitespace` turns "  " into an empty id) and knows
nothing of references between records. So each record here is built field by field from the model itself:
closed code lists come from its `Literal`s, numeric bounds and minimum lengths from its field constraints,
nested records from their own models, and every id a record points at is one the incident holds. A field
added to the model is generated without a change here. Offence codes are drawn from the notifiable offence
table, times are written as a force exports them (local time with its offset, or UTC) and lean towards the
hours around the clocks changing and the days rule editions start.

The strategies give plain dicts, the shape of a record after `json.loads`; `incidents()` validates each one
through `Incident.model_validate`, so a strategy that drifted from the schema fails at once.
"""

from __future__ import annotations

import types
import typing
from datetime import date, datetime, timedelta, timezone
from functools import cache
from typing import Annotated, Any, Callable, Iterable, Literal, get_args, get_origin

import annotated_types as at
from hypothesis import strategies as st
from pydantic import BaseModel

from hocr_rules.model.incident import (Cancellation, CodeReading, CrimeRecord, Disclosure, Incident, LogEntry,
                                       N100Record, Outcome, Person, Reclassification)
from hocr_rules.model.timestamps import LONDON
from hocr_rules.offences import Offence, OffenceTable
from hocr_rules.testing.assertions import default_pack

HOUR, DAY = 3600, 86400
DEFAULT_START = int(datetime(2013, 1, 1, tzinfo=LONDON).timestamp())
DEFAULT_END = int(datetime(2027, 12, 31, tzinfo=LONDON).timestamp())
#: How times are written: local time in England and Wales with its offset, UTC with Z, or a fixed offset.
STYLES = ("london", "utc", "+02:00", "-05:00")
ID_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789/-_"
PHRASES = ("Victim traced and spoken to; does not confirm that an offence occurred",
           "CCTV shows the named man was at work elsewhere all evening", "victim withdrew", "no evidence",
           "Bank statement shows the payment was made by the account holder's own card", "NX/482211")
OMIT = object()  # in `given`: leave the field out, so the model's default applies


# ---------------------------------------------------------------- the schema, read from the model

def choices(model: type[BaseModel], field: str) -> tuple:
    """The closed set of codes a field takes (its `Literal`, also inside `Optional` or `list`), in model order."""
    def walk(annotation: Any) -> tuple:
        if get_origin(annotation) is Literal:
            return get_args(annotation)
        return tuple(code for arg in get_args(annotation) for code in walk(arg))

    found = walk(model.model_fields[field].annotation)
    if not found:
        raise KeyError(f"{model.__name__}.{field} is not a closed set of codes")
    return found


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `Annotated` and `Optional`, and whether None is allowed."""
    nullable = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            nullable = nullable or len(args) < len(get_args(annotation))
            if len(args) != 1:
                return annotation, nullable
            annotation = args[0]
        else:
            return annotation, nullable


def _limit(metadata: Iterable, kind: type, attribute: str, default: Any) -> Any:
    return next((getattr(m, attribute) for m in metadata if isinstance(m, kind)), default)


def _values(annotation: Any, metadata: Iterable) -> st.SearchStrategy | None:
    """Values for one field, honouring its constraints; None for a time (the caller knows which times
    make sense), and nested models are the caller's business."""
    core, _ = _unwrap(annotation)
    metadata = list(metadata)
    if get_origin(core) is Literal:
        return st.sampled_from(get_args(core))
    if get_origin(core) is list:
        inner = _values(get_args(core)[0], ())
        return None if inner is None else st.lists(inner, max_size=4, unique=True)
    if core is bool:
        return st.booleans()
    if core is int:
        return st.integers(_limit(metadata, at.Ge, "ge", -(10 ** 6)), _limit(metadata, at.Le, "le", 10 ** 6))
    if core is float:
        low = _limit(metadata, at.Gt, "gt", None)
        return st.floats(min_value=low if low is not None else -1e6, max_value=1e6, exclude_min=low is not None,
                         allow_nan=False, allow_infinity=False)
    if core is datetime:
        return None
    if core is str:
        return text(min_size=_limit(metadata, at.MinLen, "min_length", 0))
    raise TypeError(f"no strategy for {annotation!r}; give one in `given`")


@cache
def _field(model: type[BaseModel], name: str) -> tuple[st.SearchStrategy | None, bool, bool]:
    """(values or None for times, whether a list, whether it may be written as null), worked out once."""
    field = model.model_fields[name]
    core, nullable = _unwrap(field.annotation)
    values = _values(field.annotation, field.metadata)
    nullable = nullable and not field.is_required()
    return (st.none() | values if values is not None and nullable else values), get_origin(core) is list, nullable


def _record(draw, model: type[BaseModel], times: st.SearchStrategy[str], given: dict[str, Any]) -> dict:
    """One record: required fields always, optional ones sometimes (sometimes explicitly null), `given`
    fields (a value, a strategy, or OMIT) as the caller says."""
    record: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in given:
            value = given[name]
            value = draw(value) if isinstance(value, st.SearchStrategy) else value
            if value is not OMIT:
                record[name] = value
            continue
        if not field.is_required() and not draw(st.booleans()):
            continue
        values, many, nullable = _field(model, name)
        if values is None:  # a time, or a list of times
            values = st.lists(times, max_size=4, unique=True) if many else st.none() | times if nullable else times
        record[name] = draw(values)
    return record


# ---------------------------------------------------------------- times

def seconds_of(value: str | datetime) -> float:
    """Epoch seconds of an aware timestamp, as written in an incident dict or as a datetime."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise ValueError(f"timestamp {value!r} has no offset")
    return moment.timestamp()


def write(seconds: float, style: str = "london") -> str:
    """A moment as an export writes it (see STYLES); always with its offset, so never ambiguous."""
    if style == "london":
        return datetime.fromtimestamp(seconds, LONDON).isoformat()
    if style == "utc":
        return datetime.fromtimestamp(seconds, timezone.utc).isoformat().replace("+00:00", "Z")
    return datetime.fromtimestamp(seconds, datetime.strptime(style, "%z").tzinfo).isoformat()


def clock_changes(start: float = DEFAULT_START, end: float = DEFAULT_END) -> list[int]:
    """The moments the clocks change in the UK (01:00 UTC on the last Sundays of March and October)."""
    found = []
    years = range(datetime.fromtimestamp(start, timezone.utc).year, datetime.fromtimestamp(end, timezone.utc).year + 1)
    for year, month in ((year, month) for year in years for month in (3, 10)):
        last = date(year, month, 31) - timedelta(days=(date(year, month, 31).weekday() - 6) % 7)
        moment = int(datetime(year, month, last.day, 1, tzinfo=timezone.utc).timestamp())
        found += [moment] if start <= moment <= end else []
    return found


@cache
def edition_starts() -> tuple[int, ...]:
    """Every date a rule version of the bundled pack starts (local midnight), oldest first."""
    return tuple(sorted({int(v.start_seconds) for rule in default_pack().rules for v in rule.versions}))


def instants(start: float = DEFAULT_START, end: float = DEFAULT_END, *,
             near: Iterable[float] | None = None) -> st.SearchStrategy[int]:
    """Epoch seconds in [start, end]; half of them within six hours of a point in `near` (by default the
    clock changes and rule edition starts in the window)."""
    start, end = int(start), int(end)
    points = sorted({int(p) for p in (near if near is not None else [*clock_changes(start, end), *edition_starts()])
                     if start <= p <= end})
    anywhere = st.integers(start, end)
    if not points:
        return anywhere
    close = st.builds(lambda p, d: min(max(p + d, start), end), st.sampled_from(points),
                      st.integers(-6 * HOUR, 6 * HOUR))
    return st.one_of(anywhere, close)


def timestamps(start: float = DEFAULT_START, end: float = DEFAULT_END, *, near: Iterable[float] | None = None,
               styles: Iterable[str] = STYLES) -> st.SearchStrategy[str]:
    """Aware ISO timestamps as exports write them, leaning towards clock changes and edition starts."""
    return st.builds(write, instants(start, end, near=near), st.sampled_from(tuple(styles)))


def times_near(moment: float | None) -> st.SearchStrategy[str]:
    """Timestamps around a moment: mostly within hours after it (where limits bite), some weeks either side;
    anywhere (`timestamps()`) if the moment is None."""
    if moment is None:
        return timestamps()
    offsets = st.one_of(st.integers(0, 80 * HOUR), st.integers(-30 * DAY, 60 * DAY))
    return st.builds(lambda offset, style: write(int(moment) + offset, style), offsets, st.sampled_from(STYLES))


def map_times(record: dict, change: Callable[[Any], Any], model: type[BaseModel] = Incident) -> dict:
    """A copy of an incident dict (or of one of its records) with `change` applied to every timestamp the
    model declares, nested records included."""
    out = dict(record)
    for name, value in record.items():
        field = model.model_fields.get(name)
        if field is None or value is None:
            continue
        core, _ = _unwrap(field.annotation)
        inner = _unwrap(get_args(core)[0])[0] if get_origin(core) is list else core
        if inner is datetime:
            out[name] = [change(v) for v in value] if isinstance(value, list) else change(value)
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            out[name] = ([map_times(v, change, inner) for v in value] if isinstance(value, list)
                         else map_times(value, change, inner))
    return out


def shift_times(incident: dict, seconds: float) -> dict:
    """The same incident `seconds` later (earlier if negative): every time moves by the same elapsed time,
    UTC times stay UTC and the others are written in local time with the offset then in force."""
    return map_times(incident, lambda v: write(seconds_of(v) + seconds,
                                               "utc" if str(v).endswith("Z") else "london"))


# ---------------------------------------------------------------- codes and text

def offences(*, families: Iterable[str] = (), excluding: Iterable[str] = (), victim_based: bool | None = None,
             where: Callable[[Offence], bool] | None = None) -> st.SearchStrategy[str]:
    """Offence codes (classifications and HO codes) from the notifiable offence table: with any of
    `families`, none of `excluding`, and passing `where`."""
    return _offence_codes(frozenset(families), frozenset(excluding), victim_based, where)


@cache
def _offence_codes(wanted: frozenset, unwanted: frozenset, victim_based: bool | None, where) -> st.SearchStrategy:
    table = OffenceTable.load()
    codes = [c for c in table.codes() if (not wanted or wanted & table.lookup(c).families)
             and not unwanted & table.lookup(c).families
             and victim_based in (None, table.lookup(c).victim_based) and (where is None or where(table.lookup(c)))]
    if not codes:
        raise ValueError(f"no offence in the table has families {sorted(wanted)}, none of {sorted(unwanted)}")
    return st.sampled_from(codes)


@cache
def text(min_size: int = 0) -> st.SearchStrategy[str]:
    """Free text as the model stores it: already stripped (the model strips), realistic or arbitrary."""
    arbitrary = st.text(st.characters(categories=("L", "N", "P")) | st.just(" "), max_size=40).map(str.strip)
    return st.one_of(st.sampled_from(PHRASES), arbitrary).filter(lambda s: len(s) >= min_size)


@cache
def identifiers(prefix: str = "") -> st.SearchStrategy[str]:
    """Ids as forces write them: `V1`, `CR/25/0001`, or any short code without spaces."""
    return st.one_of(st.integers(1, 20).map(lambda n: f"{prefix}{n}"),
                     st.text(ID_CHARACTERS, min_size=1, max_size=10))


def _some(values: list[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), unique=True, max_size=3) if values else st.just([])


# ---------------------------------------------------------------- records

@st.composite
def people(draw, person_id: str | None = None) -> dict:
    """A person: any mix of the equality data the model allows, each absent, null or given."""
    return _record(draw, Person, times_near(None), {"id": person_id or identifiers("P")})


@st.composite
def disclosures(draw, disclosure_id: str | None = None, person_ids: Iterable[str] = (),
                near: float | None = None, log_texts: Iterable[str] = ()) -> dict:
    """A disclosure whose victims and offenders are among `person_ids`, quoting (sometimes) a span of one of
    the incident's log entries, whose texts are `log_texts`."""
    ids, texts = list(person_ids), list(log_texts)
    return _record(draw, Disclosure, times_near(near), {"id": disclosure_id or identifiers("D"), "offence": offences(),
                                                        "victims": _some(ids), "offenders": _some(ids),
                                                        "log_span": st.none() | log_spans(texts) if texts else OMIT})


@st.composite
def log_spans(draw, log_texts: list[str]) -> dict:
    """A span within one of the log entries whose texts are given."""
    entry = draw(st.integers(0, len(log_texts) - 1))
    start = draw(st.integers(0, len(log_texts[entry])))
    return {"entry": entry, "start": start, "end": draw(st.none() | st.integers(start, len(log_texts[entry])))}


@st.composite
def log_entries(draw, near: float | None = None) -> dict:
    """One entry of the incident log: any mix of time, author, text, kind and sequence, each sometimes absent."""
    return _record(draw, LogEntry, times_near(near), {})


@st.composite
def code_readings(draw) -> dict:
    """A force code with the meanings a mapping gave it (sometimes none)."""
    return _record(draw, CodeReading, times_near(None), {})


@st.composite
def cancellations(draw, near: float | None = None) -> dict:
    """How a record left the statistics; codes are often right (C1-C5) and sometimes what forces mistype."""
    codes = st.sampled_from(("C1", "C2", "C3", "C4", "C5")) | st.sampled_from(("C6", "c2", "C02", "T1"))
    return _record(draw, Cancellation, times_near(near), {"code": st.none() | codes})


#: Outcome types as the framework lists them (2026/27 p. 24), and as forces mistype them.
OUTCOME_TYPES = (*map(str, range(1, 25)), "1A", "2A", "3A")
MISTYPED_OUTCOME_TYPES = ("0", "25", "16A", "O8", "08")


@st.composite
def outcomes(draw, near: float | None = None, person_ids: Iterable[str] = ()) -> dict:
    """How a crime was finalised: any mix of type, time, authoriser, named suspect and victim's view; its
    suspect, when it names one, is one of `person_ids`."""
    types = st.sampled_from(OUTCOME_TYPES) | st.sampled_from(MISTYPED_OUTCOME_TYPES)
    ids = list(person_ids)
    return _record(draw, Outcome, times_near(near), {
        "type": st.none() | types, "charged_offence": st.none() | offences(),
        "suspect": st.none() | st.sampled_from(ids) if ids else OMIT})


@st.composite
def reclassifications(draw, near: float | None = None) -> dict:
    """One change of a crime's classification: offences from the table, any mix of time and role, and a
    justification that is sometimes missing or blank."""
    return _record(draw, Reclassification, times_near(near), {
        "from_offence": st.none() | offences(), "to_offence": offences(),
        "rationale": st.none() | st.just("  ") | st.sampled_from(PHRASES)})


@st.composite
def crime_records(draw, reference: str | None = None, person_ids: Iterable[str] = (),
                  disclosure_ids: Iterable[str] = (), near: float | None = None) -> dict:
    """A crime record pointing only at people and disclosures the incident holds; a cancellation only when
    its status says the record left the statistics (the model's own rule)."""
    ids, linked = list(person_ids), list(disclosure_ids)
    status = draw(st.sampled_from(choices(CrimeRecord, "status")))
    cancellation = OMIT if status == "recorded" else draw(st.just(OMIT) | st.none() | cancellations(near))
    return _record(draw, CrimeRecord, times_near(near), {
        "reference": reference or identifiers("CR/"), "offence": offences(),
        "victim": st.sampled_from(ids) | st.none() if ids else OMIT, "offenders": _some(ids),
        "disclosures": _some(linked), "status": status, "cancellation": cancellation,
        "outcome": st.just(OMIT) | st.none() | outcomes(near, ids),
        "classification_history": st.just(OMIT) | st.none() | st.lists(reclassifications(near), max_size=3)})


N100_REASONS = ("N100/01", "N100/02", "N100/03", "100/01", "N100/1", "N100/04", "N101/01", "NFA")


@st.composite
def n100s(draw, n100_id: str | None = None, disclosure_ids: Iterable[str] = ("D1",),
          crime_references: Iterable[str] = (), near: float | None = None) -> dict:
    """An N100 on one of `disclosure_ids`, with a reason that is valid or as a force mistyped it; a cancellation
    only when its status is cancelled or not given (the model's own rule)."""
    linked, crimes = list(disclosure_ids), list(crime_references)
    status = draw(st.just(OMIT) | st.sampled_from(choices(N100Record, "status")))
    live = {field: OMIT for field in ("cancelled_at", "cancelled_by", "cancellation_reason")}
    return _record(draw, N100Record, times_near(near), {
        "id": n100_id or identifiers("N"), "disclosure": st.sampled_from(linked),
        "reason": st.none() | st.sampled_from(N100_REASONS) | text(1),
        "rape_crime": st.none() | st.sampled_from(crimes) if crimes else OMIT,
        "status": status, **(live if status in ("open", "crimed") else {})})


@st.composite
def incident_dicts(draw, start: float = DEFAULT_START, end: float = DEFAULT_END, *, max_people: int = 4,
                   max_disclosures: int = 3, max_crime_records: int = 3, max_n100s: int = 2) -> dict:
    """Any valid incident: every field the model has, every reference resolving, ids unique. Not
    compliant, not realistic: the space the engine must cope with (most outcomes are not evaluable)."""
    t0 = draw(instants(start, end))
    person_ids = draw(st.lists(identifiers("P"), unique=True, max_size=max_people))
    disclosure_ids = draw(st.lists(identifiers("D"), unique=True, max_size=max_disclosures))
    references = draw(st.lists(identifiers("CR/"), unique=True, max_size=max_crime_records))
    n100_ids = draw(st.lists(identifiers("N"), unique=True, max_size=max_n100s if disclosure_ids else 0))
    kind = draw(st.sampled_from(choices(Incident, "kind")))
    log = draw(st.lists(log_entries(t0), max_size=3))
    texts = [entry.get("text", "").strip() for entry in log]
    return _record(draw, Incident, times_near(t0), {
        "id": identifiers("INC-"), "received_at": write(t0, draw(st.sampled_from(STYLES))), "kind": kind,
        "parent": identifiers("INC-") if kind == "secondary" else st.just(OMIT) | identifiers("INC-"),
        "people": st.tuples(*(people(p) for p in person_ids)).map(list),
        "disclosures": st.tuples(*(disclosures(d, person_ids, t0, texts) for d in disclosure_ids)).map(list),
        "crime_records": st.tuples(*(crime_records(r, person_ids, disclosure_ids, t0)
                                     for r in references)).map(list),
        "n100s": st.tuples(*(n100s(n, disclosure_ids, references, t0) for n in n100_ids)).map(list),
        "log": log, "code_readings": st.lists(code_readings(), max_size=2)})


def incidents(start: float = DEFAULT_START, end: float = DEFAULT_END, **sizes: int) -> st.SearchStrategy[Incident]:
    """`incident_dicts()` validated into the model."""
    return incident_dicts(start, end, **sizes).map(Incident.model_validate)
