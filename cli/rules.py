"""`hocr rules`: list, show, test the rule pack, and list the facts rules are written in."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cli import render
from cli.options import EXIT_ERROR, ProfileOption, RulesOption, load_pack, user_errors
from hocr_rules.errors import HocrError
from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.facts.vocabulary import VOCABULARY
from hocr_rules.rulebook import case_reports
from hocr_rules.rulebook.coverage import measure, total_percent
from hocr_rules.rulebook.examples import cases, indicator_cases, run_case, run_indicator_case
from hocr_rules.rulebook.pack import PARAMETERS_FILE

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
    """One rule or crime indicator in full: statement, why, known problems, references, versions and examples;
    a rule's let steps and parameters, an indicator's signals, phrases, cues and the offence it suggests."""
    pack = load_pack(rules, profile)
    indicator = pack.indicators.find(rule)
    render.console().print(render.indicator_detail(indicator, pack.indicators.offences) if indicator is not None
                           else render.rule_detail(pack.find(rule)), crop=False)


class CaseFormat(str, Enum):
    text = "text"
    junit = "junit"
    tap = "tap"


@app.command("test")
@user_errors
def test(only: Annotated[list[str] | None, typer.Argument(
             help="Rule codes, or rule files (each file's folder is loaded on top of the bundled pack, as "
                  "pre-commit passes changed files; a parameters.yaml tests every rule of its folder). "
                  "Default: all.", show_default=False)] = None,
         rules: RulesOption = None, profile: ProfileOption = None,
         output: Annotated[CaseFormat, typer.Option(
             "--format", help="text (one line per case), junit (JUnit XML) or tap (TAP 14), for CI.")
         ] = CaseFormat.text,
         coverage: Annotated[bool, typer.Option(
             "--coverage", help="Also show which branches and conditions of each rule its examples exercised "
                                "(on stderr with --format junit or tap).")] = False,
         fail_under: Annotated[float | None, typer.Option(
             "--fail-under", help="Exit 1 if rule coverage is below this per cent (implies --coverage).",
             show_default=False)] = None) -> None:
    """Run every rule's and indicator's example cases; exit 1 if any fails (or coverage is below --fail-under)."""
    codes, files = _targets(only or [])
    folders = list(dict.fromkeys([*(rules or []), *(f.parent for f in files)]))
    evaluator = Evaluator(load_pack(folders, profile))
    indicators = evaluator.pack.indicators
    wanted = ({(indicators.find(code) or evaluator.pack.find(code)).code for code in codes}
              | _rules_of(evaluator.pack, files))
    chosen = [rule for rule in evaluator.pack.rules if not (codes or files) or rule.code in wanted]
    results = [run_case(evaluator, rule, index, example) for rule, index, example in cases(evaluator)
               if rule in chosen]
    results += [run_indicator_case(evaluator, indicator, index, example)
                for indicator, index, example in indicator_cases(evaluator)
                if not (codes or files) or indicator.code in wanted]
    if output is CaseFormat.text:
        render.case_results(results, render.console())
    else:
        typer.echo((case_reports.junit if output is CaseFormat.junit else case_reports.tap)(results), nl=False)
    low = False
    if coverage or fail_under is not None:
        report = measure(evaluator, chosen)
        total = total_percent(report)
        render.rule_coverage(report, total, render.console(sys.stderr if output is not CaseFormat.text else None))
        low = fail_under is not None and total < fail_under
        if low:
            render.error(HocrError(f"rule coverage {total:.1f} % is below --fail-under {fail_under:g} %"))
    if low or any(not r.passed for r in results):
        raise typer.Exit(1)


def _targets(arguments: list[str]) -> tuple[list[str], list[Path]]:
    """Split the arguments into rule codes and rule files (anything that names an existing file)."""
    files = [Path(a) for a in arguments if Path(a).is_file()]
    return [a for a in arguments if not Path(a).is_file()], files


def _rules_of(pack, files: list[Path]) -> set[str]:
    """The codes of the rules in these files; a folder's parameters.yaml stands for every rule of that folder."""
    found = set()
    for path in files:
        path = path.resolve()
        if path.name == PARAMETERS_FILE:
            found |= {r.code for r in pack.rules if r.path.resolve().parent == path.parent}
            continue
        rule = next((r for r in pack.rules if r.path.resolve() == path), None)
        if rule is None:
            raise HocrError(f"{path}: not a rule file of the pack (a rule file is named <code>-<name>.yaml; "
                            "is another file of its folder using its code?)")
        found.add(rule.code)
    return found


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
