"""Options every command shares, and the one place user errors become messages and exit codes.

Exit codes follow Ruff's: 0 nothing found, 1 breaches found, 2 usage, input or rule-file error.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from cli import render
from hocr_rules.errors import HocrError
from hocr_rules.model.timestamps import LONDON
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack, load_profile

EXIT_CLEAN, EXIT_BREACHES, EXIT_ERROR = 0, 1, 2

RulesOption = Annotated[Optional[list[Path]], typer.Option(
    "--rules", help="Folder of rule files; repeat to add folders. Later folders add rules or replace ours by code. "
                    "Default: the bundled pack.", show_default=False)]
ProfileOption = Annotated[Optional[Path], typer.Option(
    "--profile", help="Force profile (YAML): parameter overrides and disabled rules.", show_default=False)]
MappingOption = Annotated[Optional[Path], typer.Option(
    "--mapping", help="Force mapping (YAML) for CSV/XLSX exports and STORM prints: tables and columns, date formats, "
                      "value maps and dated code lists (draft one with `hocr mapping init`).", show_default=False)]
AssumeLondonOption = Annotated[bool, typer.Option(
    "--assume-london", help="Read timestamps without a time zone as Europe/London instead of rejecting them.")]


def load_pack(rules: list[Path] | None, profile: Path | None) -> RulePack:
    """The bundled pack, then each --rules folder on top of it."""
    folders = [DEFAULT_RULES] + [f for f in (rules or []) if f.resolve() != DEFAULT_RULES]
    return RulePack.load(folders, load_profile(profile) if profile else None)


def naive_zone(assume_london: bool):
    return LONDON if assume_london else None


def user_errors(command: Callable) -> Callable:
    """Print a user's error as bullets on stderr and exit 2, without a traceback or local variables."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except HocrError as error:
            render.error(error)
            raise typer.Exit(EXIT_ERROR) from None
        except (BrokenPipeError, KeyboardInterrupt):
            raise typer.Exit(EXIT_ERROR) from None
    return wrapper
