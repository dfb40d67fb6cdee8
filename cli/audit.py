"""`hocr audit`: inspection-style figures from incident files (recording rates, timeliness, N100, cancellations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import render
from cli.intake import open_reads
from cli.options import EXIT_BREACHES, EXIT_CLEAN, EXIT_ERROR, Chosen, shared_options, user_errors
from hocr_rules.audit import html, report
from hocr_rules.audit.proportions import DEFAULT_MIN_TRIALS, METHODS
from hocr_rules.audit.sampling import read_judgements
from hocr_rules.audit.tally import CATEGORIES, AuditError, Tally, with_incidents
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import InputError
from hocr_rules.outputs import report_file
from hocr_rules.provenance import record
from hocr_rules.screening import Summary


@user_errors
@shared_options
def audit(
    files: Annotated[list[str], typer.Argument(help="Incident files (JSON or JSON Lines); '-' reads stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table (for people) or json (schema in docs/audit.md).")]
    = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the table or JSON here.")] = None,
    html_path: Annotated[Optional[Path], typer.Option("--html", help="Also write a self-contained HTML report.")]
    = None,
    ci_method: Annotated[str, typer.Option("--ci-method", help=f"Interval: {', '.join(METHODS)} (wald is what the "
                                                               "inspectorate publishes).")] = "wald",
    confidence: Annotated[float, typer.Option("--confidence", help="Confidence level, e.g. 0.95.")] = 0.95,
    recorded_per_year: Annotated[Optional[list[str]], typer.Option(
        "--recorded-per-year", help="Recorded crime (ex. fraud) for the 12 months to the end of the audit period: N "
                                    "for all crime, or CATEGORY=N (e.g. violence=52000); repeatable.")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="A previous audit's JSON to compare with.")]
    = None,
    judgements: Annotated[Optional[Path], typer.Option(
        "--judgements", help="Auditors' worksheet (CSV from `hocr sample`); judged incidents override the engine.")]
    = None,
    min_cases: Annotated[int, typer.Option("--min-cases", help="Fewer cases than this: no rate is stated.")]
    = DEFAULT_MIN_TRIALS,
    ignore_weights: Annotated[bool, typer.Option("--ignore-weights", help="Unweighted rates even when incidents "
                                                                          "carry sampling_weight.")] = False,
    title: Annotated[str, typer.Option("--title", help="Title of the HTML report.")] = "Crime recording audit",
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first invalid record.")] = False,
    chosen: Chosen = Chosen(),
) -> None:
    """Recording rates with confidence intervals, timeliness, N100 and cancellation figures, as an inspection
    reports them. Exit 0: figures produced; 1: figures produced but incidents still need review as possible
    unrecorded crimes (judge them with `hocr sample --from review`); 2: usage error, or records rejected (the rest
    are still counted)."""
    if fmt not in ("table", "json"):
        raise typer.BadParameter("choose table or json", param_hint="--format")
    if ci_method not in METHODS:
        raise typer.BadParameter(f"choose {', '.join(METHODS)}", param_hint="--ci-method")
    if not 0 < confidence < 1:
        raise typer.BadParameter("a fraction between 0 and 1, e.g. 0.95", param_hint="--confidence")
    per_year = parse_recorded_per_year(recorded_per_year or [])
    previous = report.load_baseline(baseline) if baseline else None
    judged = _judgements(judgements) if judgements else None
    loaded = chosen.load()
    pack, reported = loaded.pack, loaded.reporting
    engine = Evaluator(pack)
    tally = Tally(engine.offences, judged, reported.codes or [rule.code for rule in pack.rules])
    summary = Summary()
    reads = open_reads(files, engine.offences, chosen.assume_london, chosen.mapping, summary)
    with render.progress() as tick, render.rejections() as reject:
        for item in with_incidents(reads, engine, summary, strict, reported):
            if isinstance(item, InputError):
                reject(item)
            else:
                tally.add(*item)
            tick()
    doc = report.build(tally.finish(), summary, method=ci_method, confidence=confidence, min_cases=min_cases,
                       recorded_per_year=per_year, baseline=previous, weighted=not ignore_weights)
    doc["provenance"] = record(pack, chosen.profile, files)
    with report_file(output) as out:
        if fmt == "json":
            json.dump(doc, out, indent=2, allow_nan=False)
            out.write("\n")
        else:
            render.audit_report(doc, out)
    if html_path:
        with report_file(html_path) as out:
            out.write(html.render(doc, title))
        render.wrote(html_path)
    raise typer.Exit(EXIT_ERROR if summary.rejected else EXIT_BREACHES if doc["review"]["open"] else EXIT_CLEAN)


def parse_recorded_per_year(values: list[str]) -> dict[str, int]:
    """'123871' is all crime; 'violence=52000' one category. Separators in numbers (123,871) are allowed."""
    found: dict[str, int] = {}
    for value in values:
        name, _, number = value.rpartition("=")
        name = name.strip() or "all"
        digits = number.strip().replace(",", "").replace("_", "")
        if name not in CATEGORIES or not digits.isdigit():
            raise AuditError(f"--recorded-per-year {value!r}: expected N or CATEGORY=N with N a whole number and "
                             f"CATEGORY one of {', '.join(CATEGORIES)}")
        found[name] = int(digits)
    return found


def _judgements(path: Path):
    try:
        return read_judgements(path)
    except ValueError as error:
        raise AuditError(str(error)) from None
