"""`hocr mapping`: draft a force mapping from an export's headers, check an export against one, print its schema.

`init` guesses; `check` is the truth: it reads the export through the mapping exactly as `hocr check` would and
reports every column no field reads and every value and code the mapping does not cover, with counts, so a
force sees what its mapping misses before it trusts a figure.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli import render
from cli.options import EXIT_BREACHES, EXIT_CLEAN, EXIT_ERROR, AssumeLondonOption, naive_zone, user_errors
from hocr_rules.errors import InputError
from hocr_rules.intake import Intake
from hocr_rules.intake.draft import draft_mapping
from hocr_rules.intake.mapping import json_schema, load_mapping
from hocr_rules.offences import OffenceTable

app = typer.Typer(help="Force mappings: how a force's export maps onto the incident model.", no_args_is_help=True)


@app.command("init")
@user_errors
def init(
    files: Annotated[list[Path], typer.Argument(help="The export's files (CSV, XLSX, gzip; STORM text).")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the draft here, not stdout.")]
    = None,
) -> None:
    """Draft a mapping from the headers the files have: a first guess to edit, then `hocr mapping check`."""
    text = draft_mapping(files)
    if output:
        output.write_text(text, encoding="utf-8")
        render.wrote(output)
    else:
        typer.echo(text, nl=False)


@app.command("check")
@user_errors
def check(
    mapping: Annotated[Path, typer.Argument(help="The force mapping (YAML).")],
    files: Annotated[list[str], typer.Argument(help="The export's files.")],
    assume_london: AssumeLondonOption = False,
) -> None:
    """Read the export through the mapping; report unmapped columns, uncovered values and codes, with counts.

    Exit 0: everything is mapped and covered; 1: something is not; 2: the mapping or the files are wrong."""
    force = load_mapping(mapping)
    intake = Intake(OffenceTable.load(), naive_zone(assume_london), force)
    read = rejected = 0
    first_errors: list[InputError] = []
    for item in intake.read(files):
        read += 1
        if isinstance(item, InputError):
            rejected += 1
            if len(first_errors) < 10:
                first_errors.append(item)
    unmapped = {source: columns for reader in intake.readers
                for source, columns in getattr(reader, "unmapped_columns", {}).items() if columns}
    values: Counter = Counter()
    codes: Counter = Counter()
    for reader in intake.readers:
        values.update(reader.translate.uncovered_values)
        codes.update(reader.translate.uncovered_codes)
        for name, count in getattr(reader, "unknown_fields", {}).items():
            unmapped.setdefault(f"STORM header field '{name}'", []).append(f"{count} logs")
    render.mapping_check(force.force, read, rejected, intake.table_counts(), unmapped, values, codes, first_errors)
    raise typer.Exit(EXIT_ERROR if rejected else EXIT_BREACHES if unmapped or values or codes else EXIT_CLEAN)


@app.command("schema")
def schema() -> None:
    """Print the mapping file's JSON Schema (draft-07), as published in schemas/mapping.schema.json."""
    typer.echo(json.dumps(json_schema(), indent=2))
