"""`hocr distributed`: `hocr check` of JSON Lines partitions on a Dask cluster (docs/distributed.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import render
from cli.options import (AssumeLondonOption, BaselineOption, ConfigOption, ExitZeroOption, ExtendSelectOption,
                         FailOnOption, IgnoreOption, IsolatedOption, ProfileOption, QuietOption, RulesOption,
                         SelectOption, exit_code, load_pack, pack_sources, reporting, settings, user_errors)
from hocr_rules.distributed import Recipe, check_partitions, connect, parse_size, partitions_of, write_summary
from hocr_rules.engine.outcomes import BREACH, COMPLIANT, NOT_EVALUABLE, REVIEW
from hocr_rules.errors import InputError
from hocr_rules.outputs import report_file
from hocr_rules.parallel import Spliced
from hocr_rules.rulebook.pack import load_profile
from hocr_rules.screening import Summary
from hocr_rules.writers import FORMATS, open_writer


def _size(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        size = parse_size(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a size such as 64MiB or 1GB", param_hint="--blocksize") from None
    if size <= 0:
        raise typer.BadParameter("give a size above 0", param_hint="--blocksize")
    return size


@user_errors
def distributed(
    inputs: Annotated[list[str], typer.Argument(help="JSON Lines files, or folders of them (*.jsonl, *.ndjson), "
                                                     "on a filesystem every worker reads under the same path.")],
    scheduler: Annotated[str, typer.Option(
        "--scheduler", help="A Dask scheduler's address (tcp://HOST:8786), or local: a cluster of --workers "
                            "processes on this machine.")] = "local",
    workers: Annotated[Optional[int], typer.Option(
        "--workers", help="Worker processes of --scheduler local. Default: one per core available.",
        show_default=False)] = None,
    blocksize: Annotated[Optional[str], typer.Option(
        "--blocksize", help="Cut files larger than this (64MiB, 1GB) into partitions at line ends. Default: one "
                            "partition per file.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(FORMATS)} (docs/findings.md); "
                                                            "with --parts, jsonl only.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write findings here instead of "
                                                                         "stdout.", show_default=False)] = None,
    parts: Annotated[Optional[Path], typer.Option(
        "--parts", help="A new folder where each worker writes its partition's findings (part-00000.jsonl, ...) "
                        "and this process the summary (summary.jsonl), instead of one output.",
        show_default=False)] = None,
    all_outcomes: Annotated[bool, typer.Option("--all-outcomes", help="Include compliant and not-evaluable.")]
    = False,
    rules: RulesOption = None,
    profile: ProfileOption = None,
    assume_london: AssumeLondonOption = False,
    select: SelectOption = None,
    extend_select: ExtendSelectOption = None,
    ignore: IgnoreOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
    baseline: BaselineOption = None,
    fail_on: FailOnOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check JSON Lines partitions on a Dask cluster: the findings of `hocr check` on the same files, in
    partition order, and one summary of every record read.

    Exit codes as `hocr check`: 0 nothing found, 1 breaches or reviews, 2 an error or records rejected."""
    found = settings(config, isolated)
    fail_on = fail_on or found.settings.fail_on or BREACH
    if fmt not in FORMATS or (parts is not None and fmt != "jsonl"):
        raise typer.BadParameter("choose jsonl" if parts is not None else f"choose {', '.join(FORMATS)}",
                                 param_hint="--format")
    if parts is not None and output is not None:
        raise typer.BadParameter("--parts and --output both say where findings go; give one", param_hint="--parts")
    if workers is not None and scheduler != "local":
        raise typer.BadParameter("the scheduler's own workers check; --workers is for --scheduler local",
                                 param_hint="--workers")
    if fail_on not in (BREACH, NOT_EVALUABLE):
        raise typer.BadParameter(f"choose {BREACH} or {NOT_EVALUABLE}", param_hint="--fail-on")
    partitions = partitions_of(inputs, _size(blocksize))
    folders, profile_file = pack_sources(rules, profile, found)
    pack = load_pack(rules, profile, found)
    report = reporting(pack, found, select, extend_select, ignore, baseline, reviewed=True)
    include = frozenset({BREACH, REVIEW, COMPLIANT, NOT_EVALUABLE} if all_outcomes else {BREACH, REVIEW})
    recipe = Recipe.of(folders, load_profile(profile_file) if profile_file else None, pack, report, assume_london,
                       fmt, include)
    summary = Summary()
    with connect(scheduler, workers) as client:
        answers = check_partitions(client, recipe, partitions, summary, parts)
        if parts is not None:
            for checked in answers:
                for item in checked.pieces:
                    render.rejection(item)
            written = write_summary(parts, summary)
        else:
            with report_file(output, line_buffered=fmt == "jsonl") as out:
                writer = Spliced(open_writer(fmt, out, pack), out)
                for checked in answers:
                    for item in checked.pieces:
                        writer.write(item, include)
                        if isinstance(item, InputError):
                            render.rejection(item)
                writer.close(summary.as_record())
    if not quiet:
        if parts is not None:
            render.wrote(written.parent)
        render.summary(summary, to_stderr=True)
    raise typer.Exit(exit_code(summary, fail_on, exit_zero))
