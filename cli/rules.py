"""`hocr rules`: list, show, test the rule pack, and list the facts rules are written in."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from cli import render
from cli.options import EXIT_ERROR, ProfileOption, RulesOption, load_pack, user_errors
from hocr_rules.errors import HocrError
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.rulebook.examples import cases, indicator_cases, run_case, run_indicator_case

app = typer.Typer(help="The rule pack: list, show, test, and the facts rules use.", no_args_is_help=True)


@app.command("list")
@user_errors
def list_rules(rules: RulesOption = None, profile: ProfileOption = None) -> None:
    """Every rule with its statement, versions and evidence grade."""
    render.console().print(render.rules_table(load_pack(rules, profile).rules))


@app.command("show")
@user_errors
def show(rule: Annotated[str, typer.Argument(help="Code, name or alias, e.g. TL01 or late-crime-record.")],
         rules: RulesOption = None, profile: ProfileOption = None) -> None:
    """One rule in full: statement, why, known problems, references, versions and examples."""
    render.console().print(render.rule_detail(load_pack(rules, profile).find(rule)))


@app.command("test")
@user_errors
def test(only: Annotated[list[str] | None, typer.Argument(help="Rule codes to test (default: all).")] = None,
         rules: RulesOption = None, profile: ProfileOption = None) -> None:
    """Run every rule's and indicator's example cases, one line per case; exit 1 if any fails."""
    evaluator = Evaluator(load_pack(rules, profile))
    indicators = evaluator.pack.indicators
    wanted = {(indicators.find(code) or evaluator.pack.find(code)).code for code in only or []}
    results = [run_case(evaluator, rule, index, example) for rule, index, example in cases(evaluator)
               if not wanted or rule.code in wanted]
    results += [run_indicator_case(evaluator, indicator, index, example)
                for indicator, index, example in indicator_cases(evaluator) if not wanted or indicator.code in wanted]
    render.case_results(results, render.console())
    if any(not r.passed for r in results):
        raise typer.Exit(1)


@app.command("facts")
def facts(subject: Annotated[str | None, typer.Argument(help="incident, disclosure, crime_record or n100.")] = None
          ) -> None:
    """The facts a rule may use, per subject, with what they mean."""
    if subject is not None and subject not in VOCABULARY:
        render.error(HocrError(f"no subject '{subject}'; the subjects are: {', '.join(VOCABULARY)}"))
        raise typer.Exit(EXIT_ERROR)
    table = Table(header_style="bold")
    for column in ("subject", "fact", "kind", "meaning", "when absent"):
        table.add_column(column, overflow="fold")
    for kind, vocabulary in VOCABULARY.items():
        if subject and kind != subject:
            continue
        for fact in vocabulary.values():
            table.add_row(kind, fact.name, fact.kind, fact.about, fact.absent)
    render.console().print(table)
