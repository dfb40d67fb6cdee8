"""Options every command shares, and the one place user errors become messages and exit codes.

Exit codes follow Ruff's: 0 nothing found, 1 breaches found, 2 usage, input or rule-file error.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from cli import render
from hocr_rules import collector, config as settings_file
from hocr_rules.config import Config
from hocr_rules.engine.outcomes import NOT_EVALUABLE
from hocr_rules.errors import HocrError
from hocr_rules.model.timestamps import LONDON
from hocr_rules.reporting import Reporting
from hocr_rules.reviewed import Reviewed
from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack, load_profile
from hocr_rules.selection import Layer, Selection

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
SelectOption = Annotated[Optional[list[str]], typer.Option(
    "--select", help="Report only these rule codes or prefixes (TL01, CA, ALL); comma-separated or repeated. "
                     "Replaces the settings file's select.", show_default=False)]
ExtendSelectOption = Annotated[Optional[list[str]], typer.Option(
    "--extend-select", help="Report these codes or prefixes as well as those selected.", show_default=False)]
IgnoreOption = Annotated[Optional[list[str]], typer.Option(
    "--ignore", help="Do not report these codes or prefixes (the rules still run: an ignored override still "
                     "applies).", show_default=False)]
ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", help="Settings file (hocr.toml, or a pyproject.toml with a tool.hocr table) instead of the one found "
                     "upward from the working directory.", show_default=False)]
IsolatedOption = Annotated[bool, typer.Option("--isolated", help="Ignore every settings file.")]
BaselineOption = Annotated[Optional[Path], typer.Option(
    "--baseline", help="Reviewed findings (YAML, see docs/settings.md): left out of the report, and counted.",
    show_default=False)]
FailOnOption = Annotated[Optional[str], typer.Option(
    "--fail-on", help="Exit 1 on: breach (default), or not_evaluable (breaches or outcomes that could not be "
                      "judged).", show_default=False)]
ExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings (errors "
                                                                   "still exit 2).")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings and nothing else: no "
                                                                 "summary, notes or progress.")]


def settings(config: Path | None = None, isolated: bool = False) -> Config:
    """The settings in force: the file named, none (--isolated), or the one found upward from here."""
    if config is not None and isolated:
        raise typer.BadParameter("--config and --isolated contradict each other; give one", param_hint="--isolated")
    if isolated:
        return Config()
    return settings_file.load(config) if config is not None else settings_file.discover()


def load_pack(rules: list[Path] | None, profile: Path | None, config: Config | None = None) -> RulePack:
    """The bundled pack, then each rule folder on top of it: --rules, or else the settings file's `rules`; the
    profile is --profile or else the settings file's. Without `config`, the settings file found from here."""
    folders, profile = pack_sources(rules, profile, config)
    pack = RulePack.load(folders, load_profile(profile) if profile else None)
    collector.settled()  # start-up is over: in the hocr program, its objects leave the collector's walks
    return pack


def pack_sources(rules: list[Path] | None, profile: Path | None,
                 config: Config | None = None) -> tuple[list[Path], Path | None]:
    """The rule folders and the profile file `load_pack` loads (a Dask run's workers load the same)."""
    config = settings() if config is None else config
    profile = profile or config.resolve(config.settings.profile)
    return [DEFAULT_RULES] + [f for f in (rules or config.rule_folders) if f.resolve() != DEFAULT_RULES], profile


def reporting(pack: RulePack, config: Config, select: list[str] | None = None,
              extend_select: list[str] | None = None, ignore: list[str] | None = None,
              baseline: Path | None = None, reviewed: bool = False) -> Reporting:
    """What a run reports: the rules selected by the settings file and then the command line; with `reviewed`
    (hocr check), less the reviewed findings of --baseline or the settings file's baseline. Other commands
    show every finding: an explanation or an audit figure counts reviewed findings too."""
    selection = Selection((config.layer, Layer.of("command line", select, extend_select, ignore)))
    codes = None if selection.everything else selection.codes(rule.code for rule in pack.rules)
    baseline = (baseline or config.resolve(config.settings.baseline)) if reviewed else None
    return Reporting(codes, Reviewed.load(baseline) if baseline else None)


@dataclass(frozen=True)
class Loaded:
    """What a command that evaluates incidents runs with: the settings in force, the rule pack, what it reports."""

    settings: Config
    pack: RulePack
    reporting: Reporting


@dataclass(frozen=True)
class Chosen:
    """The options every command that reads incidents and loads rules takes (check, explain, audit, sample):
    which rules, profile and settings file, which rules report, and how the input is read."""

    rules: list[Path] | None = None
    profile: Path | None = None
    assume_london: bool = False
    mapping: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] | None = None
    ignore: list[str] | None = None
    config: Path | None = None
    isolated: bool = False

    def load(self, baseline: Path | None = None, reviewed: bool = False) -> Loaded:
        """The settings, then the pack they and the command line name, then the rules it reports (see
        `reporting`): the one chain these commands share, so their options mean the same in each."""
        found = settings(self.config, self.isolated)
        pack = load_pack(self.rules, self.profile, found)
        return Loaded(found, pack, reporting(pack, found, self.select, self.extend_select, self.ignore, baseline,
                                             reviewed))


_CHOSEN = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=option)
           for name, option, default in (
               ("rules", RulesOption, None), ("profile", ProfileOption, None),
               ("assume_london", AssumeLondonOption, False), ("mapping", MappingOption, None),
               ("select", SelectOption, None), ("extend_select", ExtendSelectOption, None),
               ("ignore", IgnoreOption, None), ("config", ConfigOption, None), ("isolated", IsolatedOption, False))]


def shared_options(command: Callable) -> Callable:
    """Give a command the `Chosen` options: declared here once, after the command's own on the command line and
    in its help, and handed to it as one argument `chosen`. typer reads a command's parameters from its
    signature, so the wrapper's signature is the command's own without `chosen`, plus these."""
    own = [p for p in inspect.signature(command, eval_str=True).parameters.values() if p.name != "chosen"]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        chosen = Chosen(**{p.name: kwargs.pop(p.name) for p in _CHOSEN})
        return command(*args, chosen=chosen, **kwargs)

    wrapper.__signature__ = inspect.Signature(own + _CHOSEN)
    wrapper.__annotations__ = {p.name: p.annotation for p in own + _CHOSEN}
    del wrapper.__wrapped__  # typer must read this signature, not unwrap to the command's
    return wrapper


def exit_code(summary, fail_on: str, exit_zero: bool, failed: bool = False) -> int:
    """2 for an error (records rejected, engines disagreeing); else 1 when there is something at or above the
    --fail-on threshold (a breach or a review of a possible unrecorded crime; not_evaluable also fails on outcomes
    that could not be judged), unless --exit-zero; else 0."""
    if failed or summary.rejected:
        return EXIT_ERROR
    findings = (summary.breaches + summary.incidents_for_review
                + (summary.not_evaluable if fail_on == NOT_EVALUABLE else 0))
    return EXIT_BREACHES if findings and not exit_zero else EXIT_CLEAN


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
