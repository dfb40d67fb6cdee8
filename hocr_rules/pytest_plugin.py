"""A pytest plugin: the `examples:` of each rule file are collected as test items, so `pytest rules/` runs a
force's own rules (and ours) as pytest runs any test, with -k, -x, --junitxml and IDE integration.

Registered through the `pytest11` entry point, so it is active wherever hocr-rules is installed. It collects only
files named like a rule file (`TL01-late-crime-record.yaml`, and crime indicator files in a rule folder's
`indicators/`), one item per case, named by code and case number (`TL01-2`, `IN03-4`, the ids `hocr rules test`
prints), and each item is run by the runner behind `hocr rules test`
(hocr_rules.rulebook.examples), so the two can never disagree. A file's cases run with the whole pack loaded: the
bundled rules with the file's folder on top, as `hocr rules test --rules FOLDER` loads them, because a force's
rule may read facts our rules derive or replace one of ours. A pack that cannot load is a collection error
naming the file and line, without a traceback. Imports of the engine wait until a rule file is collected, so
the plugin costs nothing in projects that have none.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest

_EVALUATORS = pytest.StashKey[dict]()


@functools.cache
def rule_file_name() -> re.Pattern:
    """A rule file's name, `<code>-<name>.yaml`, from the patterns the rule-file schema checks."""
    from hocr_rules.rulebook.schema import CODE, NAME

    return re.compile(f"^{CODE.pattern.strip('^$')}-{NAME.pattern.strip('^$')}\\.yaml$")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.suffix == ".yaml" and rule_file_name().match(file_path.name):
        return RuleExamples.from_parent(parent, path=file_path)
    return None


def evaluator_for(config: pytest.Config, folder: Path):
    """One evaluator per folder of rule files, for the whole session: the bundled pack, then that folder."""
    from hocr_rules.engine.evaluator import Evaluator
    from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack

    cache = config.stash.setdefault(_EVALUATORS, {})
    folder = folder.resolve()
    if folder not in cache:
        try:
            cache[folder] = Evaluator(RulePack.load(dict.fromkeys([DEFAULT_RULES, folder])))
        except Exception as error:  # noqa: BLE001 - kept, so every file of the folder reports the same error
            cache[folder] = error
    if isinstance(cache[folder], Exception):
        raise cache[folder]
    return cache[folder]


class RuleExamples(pytest.File):
    """The example cases of one rule file."""

    def collect(self):
        from hocr_rules.errors import HocrError
        from hocr_rules.rulebook import yamlfile

        from hocr_rules.indicators.pack import FOLDER
        from hocr_rules.rulebook.examples import run_case, run_indicator_case

        is_indicator = self.path.parent.name == FOLDER
        try:
            evaluator = evaluator_for(self.config, self.path.parent.parent if is_indicator else self.path.parent)
        except HocrError as error:
            raise self.CollectError(f"the rule pack does not load: {error}") from None
        pack = evaluator.pack
        found = pack.indicators.indicators if is_indicator else pack.rules
        rule = next((r for r in found if r.path.resolve() == self.path.resolve()), None)
        if rule is None:
            raise self.CollectError(f"{self.path.name} is not in the pack loaded from its folder (is its code used "
                                    "by another file of the folder?)")
        _, lines = yamlfile.read(self.path)
        for index, example in enumerate(rule.examples):
            yield RuleCase.from_parent(self, name=f"{rule.code}-{index + 1}", evaluator=evaluator, rule=rule,
                                       index=index, example=example,
                                       run=run_indicator_case if is_indicator else run_case,
                                       line=yamlfile.line_of(lines, ("examples", index)) or 1)


class CaseFailed(Exception):
    """A case whose outcomes differ from what it expects."""


class RuleCase(pytest.Item):
    """One example case: the rule must say what the case expects about each named subject."""

    def __init__(self, *, evaluator, rule, index: int, example, run, line: int, **kwargs: Any):
        super().__init__(**kwargs)
        self.evaluator, self.rule, self.index, self.example, self.line = evaluator, rule, index, example, line
        self.run = run
        self.user_properties.append(("case", example.name))

    def runtest(self) -> None:
        result = self.run(self.evaluator, self.rule, self.index, self.example)
        if not result.passed:
            raise CaseFailed(result)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CaseFailed):
            result = excinfo.value.args[0]
            return "\n  ".join([f"{self.path.name}:{self.line}: {' '.join(self.example.name.split())}",
                                *result.differences])
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.line - 1, f"{self.name}: {' '.join(self.example.name.split())}"
