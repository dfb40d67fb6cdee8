"""Hypothesis profiles: `ci` (fixed examples, deadline suited to a shared 2-core machine, no database) and
`deep` for local exploration (HYPOTHESIS_PROFILE=deep). The database stays out of the repository."""

import os

import pytest

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=2000)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


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
examples:
  - name: A crime recorded 25 h after the report is late
    incident:
      id: X-1
      received_at: "2025-05-01T10:00:00+01:00"
      channel: emergency_call
      disclosures: [{{id: D1, offence: 105A, reported_by: victim}}]
      crime_records: [{{reference: CR1, offence: 105A, disclosures: [D1], recorded_at: "2025-05-02T11:00:00+01:00"}}]
    expect: [{{subject: D1, outcome: breach}}]
  - name: A crime recorded 2 h after the report is {second}
    incident:
      id: X-2
      received_at: "2025-05-01T10:00:00+01:00"
      channel: emergency_call
      disclosures: [{{id: D1, offence: 105A, reported_by: victim}}]
      crime_records: [{{reference: CR1, offence: 105A, disclosures: [D1], recorded_at: "2025-05-01T12:00:00+01:00"}}]
    expect: {expect}
"""


@pytest.fixture
def force_rules(tmp_path):
    """A force's folder of rule files: XX01 whose cases pass, and XX02 whose second case wrongly expects a
    breach."""
    folder = tmp_path / "force"
    folder.mkdir()
    (folder / "XX01-slow-record.yaml").write_text(
        FORCE_RULE.format(code="XX01", name="slow-record", second="on time",
                        expect="[{subject: D1, outcome: compliant}]"), encoding="utf-8")
    (folder / "XX02-slow-record-again.yaml").write_text(
        FORCE_RULE.format(code="XX02", name="slow-record-again", second="wrongly expected to be late",
                          expect="[{subject: D1, outcome: breach}, {subject: D7, outcome: compliant}]"), encoding="utf-8")
    return folder
