"""`hocr check`: screen incident files and report breaches."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cli import render
from cli.intake import open_reads
from cli.options import MappingOption
from cli.options import (EXIT_BREACHES, EXIT_CLEAN, EXIT_ERROR, AssumeLondonOption, ProfileOption, RulesOption,
                         load_pack, user_errors)
from hocr_rules.engine.engines import build_engine
from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, REVIEW
from hocr_rules.errors import InputError
from hocr_rules.findings import FORMATS, FindingsWriter
from hocr_rules.outputs import report_file
from hocr_rules.screening import Summary, screen


@user_errors
def check(
    files: Annotated[list[str], typer.Argument(help="Incident files (JSON or JSON Lines); '-' reads stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Output: table, or {', '.join(FORMATS)} for machines.")]
    = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write findings here instead of stdout.")]
    = None,
    all_outcomes: Annotated[bool, typer.Option("--all-outcomes", help="Include compliant and not-evaluable.")]
    = False,
    strict: Annotated[bool, typer.Option("--strict", help="Stop at the first invalid record.")] = False,
    rules: RulesOption = None,
    profile: ProfileOption = None,
    assume_london: AssumeLondonOption = False,
    mapping: MappingOption = None,
    engine_name: Annotated[str, typer.Option(
        "--engine", help="default (our evaluator), durable (durable-rules, in worker processes), or both "
                         "(compare them; any disagreement is an error).")] = "default",
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Worker processes for --engine durable/both (0: in this process). Default: one per core.")]
    = None,
) -> None:
    """Check incidents against the crime recording rules.

    Exit 0: no breach and no review; 1: breaches found, or incidents to review as possible unrecorded crimes;
    2: usage error, or records rejected as invalid (the rest are still checked and reported)."""
    if fmt not in ("table",) + FORMATS:
        raise typer.BadParameter(f"choose table, {', '.join(FORMATS)}", param_hint="--format")
    pack = load_pack(rules, profile)
    engine = build_engine(engine_name, pack, workers)
    include = frozenset({BREACH, REVIEW, COMPLIANT, NOT_EVALUABLE} if all_outcomes else {BREACH, REVIEW})
    summary = Summary()
    reads = open_reads(files, engine.offences, assume_london, mapping, summary)
    with report_file(output, line_buffered=fmt == "jsonl") as out:
        if fmt == "table":
            render.check_table(screen(reads, engine, summary, strict), include, summary, out)
        else:
            writer = FindingsWriter(out, fmt)
            with render.progress(enabled=out is not sys.stdout or not sys.stdout.isatty()) as tick:
                for item in screen(reads, engine, summary, strict):
                    writer.write(item, include)
                    if isinstance(item, InputError):
                        render.rejection(item)
                    tick()
            writer.close(summary.as_record())
            render.summary(summary, to_stderr=True)
    disagreed = getattr(engine, "disagreements", 0)
    raise typer.Exit(EXIT_ERROR if summary.rejected or disagreed else
                     EXIT_BREACHES if summary.breaches_by_rule or summary.reviews_by_indicator else EXIT_CLEAN)
