"""`hocr explain`: one incident, every rule considered, verdicts first; `--set` asks what if a field differed."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from cli import render
from cli.explanation import VERDICTS, Explanation
from cli.intake import check_files, make_intake
from cli.options import Chosen, shared_options, user_errors
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.engine.outcomes import IncidentResult
from hocr_rules.errors import HocrError, InputError
from hocr_rules.intake import Intake
from hocr_rules.model.incident import Incident
from hocr_rules.whatif import Change, changed_incident, differences


@user_errors
@shared_options
def explain(
    file: Annotated[str, typer.Argument(help="Incident file (JSON or JSON Lines, a STORM print, or an export table with --mapping); '-' reads stdin.")],
    incident: Annotated[str, typer.Option("--incident", "-i", help="Id of the incident to explain.")],
    only: Annotated[Optional[list[str]], typer.Option(
        "--only", help=f"Show only these outcomes ({', '.join(VERDICTS)}); repeat for more.", show_default=False)]
    = None,
    changes: Annotated[Optional[list[str]], typer.Option(
        "--set", help="What if: PATH=VALUE, e.g. disclosures.D1.reported_by=professional_third_party; repeat "
                      "for more. Shows the outcomes that change and why.", show_default=False)] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour (as the NO_COLOR variable does).")]
    = False,
    chosen: Chosen = Chosen(),
) -> None:
    """Show what every rule said about one incident: breaches, the crime indicators' reviews (with the quoted
    evidence), not evaluable and compliant first, each with the facts it read; then why each other rule did not
    apply, naming the deciding condition."""
    for verdict in only or []:
        if verdict not in VERDICTS:
            raise typer.BadParameter(f"'{verdict}': choose from {', '.join(VERDICTS)}", param_hint="--only")
    wanted = [Change.parse(c) for c in changes or []]
    loaded = chosen.load()
    pack, selected = loaded.pack, loaded.reporting
    engine = Evaluator(pack)
    check_files([file])
    intake = make_intake(engine.offences, chosen.assume_london, chosen.mapping)
    found = _find(intake, file, incident)
    explanation, screen = Explanation(pack, engine.offences), render.console(color=not no_color)
    before = selected.screened(_judged(engine, found))
    if not wanted:
        screen.print(explanation.incident(before, found, only or VERDICTS))
        return
    after = selected.screened(_judged(engine, changed_incident(found, wanted, intake, file)))
    changed = [d for d in differences(before, after) if d.outcome.outcome in (only or VERDICTS)
               or (d.before is not None and d.before.outcome in (only or VERDICTS))]
    screen.print(explanation.what_if(incident, [c.written for c in wanted], changed))


def _judged(engine: Evaluator, incident: Incident) -> IncidentResult:
    """Every rule's outcome, those not in scope too, and the crime indicators' reviews, as `hocr check` screens."""
    result = engine.evaluate(incident, keep_out_of_scope=True)
    result.reviews = engine.pack.indicators.screen(incident)
    return result


def _find(intake: Intake, file: str, incident: str):
    for item in intake.read([file]):
        if isinstance(item, InputError):
            if item.record == incident:
                raise item
            continue
        if item.incident.id == incident:
            return item.incident
    raise HocrError(f"{file}: no incident with id '{incident}'")
