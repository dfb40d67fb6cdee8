"""`hocr check`: screen incident files and report breaches."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli import reviewing
from cli.intake import open_in_workers, open_reads
from cli.options import (BaselineOption, Chosen, ExitZeroOption, FailOnOption, QuietOption, exit_code, shared_options,
                         user_errors)
from hocr_rules.engine.engines import build_engine
from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, REVIEW
from hocr_rules.errors import InputError
from hocr_rules.outputs import report_file
from hocr_rules.parallel import Spliced, worker_count
from hocr_rules.screening import Summary, screen
from hocr_rules.writers import FORMATS, open_writer


@user_errors
@shared_options
def check(
    files: Annotated[list[str], typer.Argument(help="Incident files (JSON or JSON Lines); '-' reads stdin.")],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help=f"Output: table, or {', '.join(FORMATS)} for "
                                                                   "machines (docs/findings.md). Default: table.",
                                            show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write findings here instead of stdout.")]
    = None,
    all_outcomes: Annotated[bool, typer.Option("--all-outcomes", help="Include compliant and not-evaluable.")]
    = False,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first invalid record.")] = False,
    engine_name: Annotated[str, typer.Option(
        "--engine", help="default (our evaluator), durable (durable-rules, in worker processes), or both "
                         "(compare them; any disagreement is an error).")] = "default",
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes (default engine: 1 or 0 checks in this process, as do inputs under 2 "
                          "MiB; durable/both: 0 does). Default: one per core available.")]
    = None,
    baseline: BaselineOption = None,
    write_baseline: reviewing.WriteBaselineOption = None,
    reviewed_by: reviewing.ReviewedByOption = None,
    reason: reviewing.ReasonOption = None,
    fail_on: FailOnOption = None,
    exit_zero: ExitZeroOption = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Counts per rule (breaches, not evaluable) "
                                                                  "instead of each finding, as Ruff's.")] = False,
    quiet: QuietOption = False,
    chosen: Chosen = Chosen(),
) -> None:
    """Check incidents against the crime recording rules.

    Exit 0: no breach and no review; 1: breaches found, or incidents to review as possible unrecorded crimes (or,
    with --fail-on not_evaluable, outcomes that could not be judged); 2: usage error, or records rejected as invalid
    (the rest are still checked and reported)."""
    loaded = chosen.load(baseline, reviewed=True)
    found, pack, report = loaded.settings, loaded.pack, loaded.reporting
    fmt = fmt or found.settings.format or "table"
    fail_on = fail_on or found.settings.fail_on or BREACH
    if fmt not in ("table",) + FORMATS:
        raise typer.BadParameter(f"choose table, {', '.join(FORMATS)}", param_hint="--format")
    if fail_on not in (BREACH, NOT_EVALUABLE):
        raise typer.BadParameter(f"choose {BREACH} or {NOT_EVALUABLE}", param_hint="--fail-on")
    review = reviewing.Review.of(write_baseline, reviewed_by, reason)
    engine = build_engine(engine_name, pack, workers)
    include = frozenset({BREACH, REVIEW, COMPLIANT, NOT_EVALUABLE} if all_outcomes else {BREACH, REVIEW})
    summary = Summary()
    spread = worker_count(workers, files) if engine_name == "default" and review.path is None else 0
    if spread:
        reads = open_in_workers(files, engine, report, chosen.assume_london, chosen.mapping, summary, strict, fmt,
                                include, spread)
    else:
        reads = review.watch(screen(open_reads(files, engine.offences, chosen.assume_london, chosen.mapping, summary),
                                    engine, summary, strict, report))
    with report_file(output, line_buffered=fmt == "jsonl") as out:
        if fmt == "table":
            render.check_table(reads, include, summary, out, statistics=statistics, quiet=quiet)
        else:
            writer = Spliced(open_writer(fmt, out, pack), out)
            with (render.progress(enabled=not quiet and (out is not sys.stdout or not sys.stdout.isatty())) as tick,
                  render.rejections() as reject):
                for item in reads:
                    writer.write(item, include)
                    if isinstance(item, InputError):
                        reject(item)
                    tick()
            writer.close(summary.as_record())
            if not quiet:
                render.summary(summary, to_stderr=True, statistics=statistics)
    review.write(quiet)
    raise typer.Exit(exit_code(summary, fail_on, exit_zero, failed=bool(getattr(engine, "disagreements", 0))))
