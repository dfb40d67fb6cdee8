"""`hocr explain`: one incident, every rule considered, as a tree."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import render
from cli.options import (AssumeLondonOption, ConfigOption, ExtendSelectOption, IgnoreOption, IsolatedOption,
                         ProfileOption, RulesOption, SelectOption, load_pack, naive_zone, reporting, settings,
                         user_errors)
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.errors import HocrError, InputError
from hocr_rules.intake import Intake


@user_errors
def explain(
    file: Annotated[str, typer.Argument(help="Incident file (JSON or JSON Lines); '-' reads stdin.")],
    incident: Annotated[str, typer.Option("--incident", "-i", help="Id of the incident to explain.")],
    rules: RulesOption = None,
    profile: ProfileOption = None,
    assume_london: AssumeLondonOption = False,
    select: SelectOption = None,
    extend_select: ExtendSelectOption = None,
    ignore: IgnoreOption = None,
    config: ConfigOption = None,
    isolated: IsolatedOption = False,
) -> None:
    """Show what every rule said about one incident, what did not apply and why, with citations and facts."""
    found = settings(config, isolated)
    engine = Evaluator(load_pack(rules, profile, found))
    selected = reporting(engine.pack, found, select, extend_select, ignore)
    for item in Intake(engine.offences, naive_zone(assume_london)).read_one(file):
        if isinstance(item, InputError):
            if item.record == incident:
                raise item
            continue
        if item.incident.id == incident:
            result = selected.screened(engine.evaluate(item.incident, keep_out_of_scope=True), item.source, item.line)
            render.console().print(render.explain(result))
            return
    raise HocrError(f"{file}: no incident with id '{incident}'")
