"""Builders several test files share (importable from any test: tests/conftest.py puts this folder on the path):
the example cases that end every fixture rule file, and the crime record of the one-assault incidents the audit
tests count."""

RECEIVED = "2025-05-01T10:00:00+01:00"


def _case(number: int, name: str, recorded_at: str, expect: str) -> str:
    return (f"  - name: {name}\n"
            "    incident:\n"
            f"      id: X-{number}\n"
            f'      received_at: "{RECEIVED}"\n'
            "      channel: emergency_call\n"
            "      disclosures: [{id: D1, offence: 105A, reported_by: victim}]\n"
            "      crime_records: [{reference: CR1, offence: 105A, disclosures: [D1], recorded_at: "
            f'"{recorded_at}"}}]\n'
            f"    expect: {expect}\n")


def examples(second: str = "on time", expect: str = "[{subject: D1, outcome: compliant}]") -> str:
    """The `examples:` of a fixture rule with a 24 h limit: a crime recorded 25 h after the report, expected
    late, and one recorded 2 h after, named `... is {second}` and expecting `expect` (a test makes that case
    wrong to see it fail)."""
    return ("examples:\n"
            + _case(1, "A crime recorded 25 h after the report is late", "2025-05-02T11:00:00+01:00",
                    "[{subject: D1, outcome: breach}]")
            + _case(2, f"A crime recorded 2 h after the report is {second}", "2025-05-01T12:00:00+01:00", expect))


def crime_record(number, offence: str, hours: int, received: str = RECEIVED) -> dict:
    """The crime record of victim V1's disclosure D1 against O1, made `hours` after a report at 10:00 (BST) on the
    day `received` names."""
    day, hour = divmod(10 + hours, 24)
    recorded_at = f"{received[:8]}{int(received[8:10]) + day:02d}T{hour:02d}:00:00+01:00"
    return {"reference": f"CR{number}", "offence": offence, "victim": "V1", "offenders": ["O1"],
            "disclosures": ["D1"], "recorded_at": recorded_at}
