"""`hocr explain`: one incident, every rule considered, as a tree."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.intake import open_reads
from cli.options import MappingOption
from cli.options import AssumeLondonOption, ProfileOption, RulesOption, load_pack, user_errors
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import HocrError, InputError


@user_errors
def explain(
    file: Annotated[str, typer.Argument(help="Incident file (JSON or JSON Lines); '-' reads stdin.")],
    incident: Annotated[str, typer.Option("--incident", "-i", help="Id of the incident to explain.")],
    rules: RulesOption = None,
    profile: ProfileOption = None,
    assume_london: AssumeLondonOption = False,
    mapping: MappingOption = None,
) -> None:
    """Show what every rule said about one incident, what did not apply and why, with citations and facts."""
    engine = Evaluator(load_pack(rules, profile))
    for item in open_reads([file], engine.offences, assume_london, mapping):
        if isinstance(item, InputError):
            if item.record == incident:
                raise item
            continue
        if item.incident.id == incident:
            result = engine.evaluate(item.incident, keep_out_of_scope=True)
            render.console().print(render.explain(result))
            return
    raise HocrError(f"{file}: no incident with id '{incident}'")
