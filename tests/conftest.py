"""Hypothesis profiles: `ci` (fixed examples, deadline suited to a shared 2-core machine, no database) and
`deep` for local exploration (HYPOTHESIS_PROFILE=deep). The database stays out of the repository. Also: the rule
pack loaded once per process for each set of rule files (see `_load_once`), and a force's folder of rule files."""

import functools
import hashlib
import os
from pathlib import Path

import pytest

from hypothesis import HealthCheck, settings

from hocr_rules.rulebook.pack import DEFAULT_RULES, RulePack
from makers import examples

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=2000)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def _contents(folders: tuple[Path, ...]) -> str:
    """A digest of every file under the folders: what `RulePack.load` reads (rule, parameter and indicator
    files) and nothing else it depends on, so equal digests mean an equal pack."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def _loaded(folders: tuple[Path, ...], contents: str) -> RulePack:
    return _load(folders)


_load = RulePack.load


def _load_once(folders=None, profile=None):
    """`RulePack.load` once per process for each set of rule files, without a profile: hundreds of tests (most
    through the command line) load the same 41 YAML files, which was the largest share of the suite's time. The
    key is the folders and the digest of what is in them, so a test that writes or changes a rule file gets a
    fresh load (and its errors, which are never cached); a profile always loads for real. Nothing mutates a pack
    once loaded (rules, parameters and indicators are only read), so sharing one is safe."""
    if profile is not None:
        return _load(folders, profile)
    key = tuple(Path(f).resolve() for f in (folders or [DEFAULT_RULES]))
    return _loaded(key, _contents(key))


RulePack.load = staticmethod(_load_once)


FORCE_RULE = """\
# yaml-language-server: $schema=../schemas/rule-file.schema.json
code: {code}
name: {name}
title: A crime recorded slowly
subject: disclosure
severity: medium
statement: A crime is recorded within a day of the report.
why: Inspections find crimes recorded days late.
known_problems: None, it is a fixture.
references:
  - {{document: Fixture, edition: "1", section: "1", url: "https://example.org", grade: R}}
versions:
  - {{from: 2002-04-01, grade: R, note: "fixture"}}
applies_when: has_crime_record
breach_when: hours_between(received_at, first_recorded_at) > 24
messages: {{breach: "late", compliant: "on time"}}
"""


@pytest.fixture
def force_rules(tmp_path):
    """A force's folder of rule files: XX01 whose cases pass, and XX02 whose second case wrongly expects a
    breach."""
    folder = tmp_path / "force"
    folder.mkdir()
    (folder / "XX01-slow-record.yaml").write_text(
        FORCE_RULE.format(code="XX01", name="slow-record") + examples(), encoding="utf-8")
    (folder / "XX02-slow-record-again.yaml").write_text(
        FORCE_RULE.format(code="XX02", name="slow-record-again") + examples(
            "wrongly expected to be late", "[{subject: D1, outcome: breach}, {subject: D7, outcome: compliant}]"),
        encoding="utf-8")
    return folder
