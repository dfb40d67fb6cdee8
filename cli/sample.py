"""`hocr sample` (a reproducible audit sample and its worksheet) and `hocr sample-size`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import render
from cli.intake import open_reads
from cli.options import EXIT_CLEAN, EXIT_ERROR, Chosen, shared_options, user_errors
from hocr_rules.audit import sampling
from hocr_rules.audit.sample_size import sample_size as needed
from hocr_rules.audit.tally import AuditError, disclosure_cases, incident_category, incident_outcome, with_incidents
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import BREACH
from hocr_rules.errors import InputError
from hocr_rules.facts.view import IncidentView
from hocr_rules.outputs import report_file
from hocr_rules.screening import Summary

STRATA = ("category", "channel")
SOURCES = ("all", "review")


@user_errors
@shared_options
def sample(
    files: Annotated[list[str], typer.Argument(help="Incident files (JSON or JSON Lines); '-' reads stdin.")],
    size: Annotated[int, typer.Option("--size", "-n", help="Incidents to draw.", min=0)],
    seed: Annotated[int, typer.Option("--seed", help="Random seed: record it, and the same input redraws the same "
                                                     "sample.")],
    out: Annotated[Path, typer.Option("--out", help="Writes OUT.jsonl (the incidents) and OUT.csv (the worksheet).")],
    by: Annotated[Optional[str], typer.Option("--by", help="Stratify: category (rape, sexual, violence, other) or "
                                                           "channel; strata get places in proportion to size.")]
    = None,
    source: Annotated[str, typer.Option("--from", help="all incidents, or review: only those the crime indicators "
                                                       "put up as possible unrecorded crimes.")] = "all",
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first invalid record.")] = False,
    chosen: Chosen = Chosen(),
) -> None:
    """Draw a reproducible (stratified) random sample of incidents for auditors to judge by hand.

    The worksheet has the engine's outcome (review for a possible unrecorded crime) and findings (rule and
    indicator codes) beside blank auditor_outcome (recorded_correctly, not_recorded or not_a_crime) and
    auditor_note columns; `hocr audit --judgements OUT.csv` reads it back. With `--from review` a judgement of
    not_recorded confirms the candidate as an unrecorded crime, not_a_crime dismisses it."""
    if by is not None and by not in STRATA:
        raise typer.BadParameter(f"choose {' or '.join(STRATA)}", param_hint="--by")
    if source not in SOURCES:
        raise typer.BadParameter(f"choose {' or '.join(SOURCES)}", param_hint="--from")
    loaded = chosen.load()
    pack, reported = loaded.pack, loaded.reporting
    engine = Evaluator(pack)
    summary = Summary()
    reads = open_reads(files, engine.offences, chosen.assume_london, chosen.mapping, summary)

    def rows(reject):
        for item in with_incidents(reads, engine, summary, strict, reported):
            if isinstance(item, InputError):
                reject(item)
                continue
            incident, result = item
            if source == "review" and not result.reviews:
                continue
            view = IncidentView(incident, engine.offences)
            category = incident_category(view)
            findings = " ".join(sorted({o.rule.code for o in result.outcomes if o.outcome == BREACH})
                                + sorted(r.rule.code for r in result.reviews))
            yield (incident, {"incident": incident.id, "category": category,
                              "engine_outcome": incident_outcome(disclosure_cases(view, result),
                                                                 bool(result.reviews)),
                              "engine_findings": findings},
                   category if by == "category" else incident.channel)

    try:
        with render.rejections() as reject:
            drawn = sampling.sample(rows(reject), size, seed=seed, stratum=(lambda row: row[2]) if by else None)
    except ValueError as error:
        raise AuditError(str(error)) from None
    jsonl, worksheet = out.with_name(out.name + ".jsonl"), out.with_name(out.name + ".csv")
    with report_file(jsonl) as handle:
        for incident, _, _ in drawn:
            handle.write(incident.model_dump_json(exclude_defaults=True) + "\n")
    sampling.write_worksheet((row for _, row, _ in drawn), worksheet)
    render.sample_drawn(len(drawn), summary.evaluated, seed, by, Counter(stratum for _, _, stratum in drawn),
                        [jsonl, worksheet])
    raise typer.Exit(EXIT_ERROR if summary.rejected else EXIT_CLEAN)


@user_errors
def sample_size(
    expected: Annotated[float, typer.Option("--expected", help="Rate you expect, e.g. 0.9 (0.5 if unknown).")],
    margin: Annotated[float, typer.Option("--margin", help="Half-width of the interval wanted, e.g. 0.02.")],
    population: Annotated[Optional[int], typer.Option("--population", help="Reports to sample from (finite "
                                                                           "population correction).")] = None,
    confidence: Annotated[float, typer.Option("--confidence", help="Confidence level, e.g. 0.95.")] = 0.95,
) -> None:
    """How many reports to audit for a recording rate of the precision wanted."""
    try:
        n = needed(expected, margin, confidence=confidence, population=population)
    except ValueError as error:
        raise AuditError(str(error)) from None
    render.sample_size(n, expected, margin, confidence, population)
