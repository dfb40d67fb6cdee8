"""The generator turns the Home Office list into rules/offences.csv the same way every time."""

import csv
from pathlib import Path

import pytest

from datetime import date

from hocr_rules.offence_list import build_table, main, parse_list_date, parse_max_sentence, split_category

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "sources" / "notifiable-offences-2026-27.csv"
COMMITTED = REPO / "rules" / "offences.csv"

needs_source = pytest.mark.skipif(not SOURCE.exists(), reason=f"Home Office list not found at {SOURCE}")


def source_row(**fields: str) -> dict[str, str]:
    row = {"Home Office code": "008/30", "Max Sentence": "10", "Victim or State Based": "V",
           "Class": "Violence Against The Person", "Sub class": "Stalking and Harassment",
           "Offence category": "8L Harassment", "Offence": "Putting people in fear of violence", "Current": "Y"}
    return row | fields


@pytest.mark.parametrize(("text", "months"), [
    ("Life", 9999), ("14", 168), ("14 yrs", 168), ("2 ", 24), ("6m", 6), ("6 months", 6), ("51 weeks", 12),
    ("fine", 0), ("Fine", 0), ("£5000", 0), ("", 0),
])
def test_a_maximum_sentence_is_read_as_months(text, months):
    assert parse_max_sentence(text) == months


def test_a_maximum_sentence_that_cannot_be_read_is_reported_not_guessed():
    assert parse_max_sentence("?") is None
    table, warnings = build_table([(2, source_row(**{"Max Sentence": "?"}))])
    assert table[0]["max_sentence_months"] == "0"
    assert any("'?'" in warning and "008/30" in warning for warning in warnings)


@pytest.mark.parametrize(("category", "classification"), [
    ("8L Harassment", "8L"), ("105A Assault without Injury  ", "105A"), ("NFIB 11 Bankruptcy", "NFIB11"),
    ("NFIB10 False Accounting", "NFIB10"), ("4/10 Corporate Manslaughter", "4/10"), ("Various sub classes", ""),
])
def test_the_classification_is_the_first_word_of_the_offence_category(category, classification):
    assert split_category(category)[0] == classification


def test_rows_sharing_a_classification_and_ho_code_become_one_row_with_the_highest_sentence():
    table, _ = build_table([(2, source_row(Offence="First text ")), (3, source_row(**{"Max Sentence": "Life"}))])
    assert len(table) == 1
    assert table[0]["title"] == "First text"
    assert table[0]["max_sentence"] == "Life"


def test_a_row_without_a_single_classification_is_skipped_with_a_warning():
    table, warnings = build_table([(7, source_row(**{"Offence category": "Various sub classes"}))])
    assert table == []
    assert any(warning.startswith("line 7: skipped 008/30") for warning in warnings)


def test_an_expected_family_classification_missing_from_the_list_is_reported():
    _, warnings = build_table([(2, source_row())])
    assert "expected classification 19C is not in the source" in warnings
    assert "expected classification 8L is not in the source" not in warnings


@needs_source
def test_the_generator_gives_the_same_bytes_every_time(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert main([str(SOURCE), "-o", str(first)]) == 0
    assert main([str(SOURCE), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()


@needs_source
def test_the_committed_table_is_a_fresh_generation_not_a_hand_edit(tmp_path):
    fresh = tmp_path / "offences.csv"
    assert main([str(SOURCE), "-o", str(fresh)]) == 0
    assert COMMITTED.read_bytes() == fresh.read_bytes(), (
        "rules/offences.csv differs from the generator's output; regenerate it (see rules/offences.md)")


def test_reported_incidents_such_as_n100_are_not_offences():
    with COMMITTED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert not [row for row in rows if row["ho_code"].startswith(("100/", "200/"))]
    assert not [row for row in rows if row["classification"].startswith("N1")]


def test_a_missing_source_is_an_error_without_a_traceback(tmp_path, capsys):
    assert main([str(tmp_path / "absent.csv"), "-o", str(tmp_path / "out.csv")]) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.parametrize(("text", "day", "noted"), [
    ("2024-01-31 00:00:00", date(2024, 1, 31), False), ("13 April 2015", date(2015, 4, 13), False),
    ("23 Februay 2011", date(2011, 2, 23), True), ("28/02/22?", date(2022, 2, 28), True), ("", None, False),
    ("TBC", None, True),
])
def test_commencement_and_cessation_dates_are_read_and_a_loose_reading_is_noted(text, day, noted):
    found, note = parse_list_date(text)
    assert found == day
    assert (note is not None) == noted


def test_the_table_keeps_each_offence_s_commencement_and_cessation():
    table, _ = build_table([(2, source_row(**{"Commencement date": "2024-01-31 00:00:00",
                                               "Cessation date": "2026-04-01 00:00:00"}))])
    assert (table[0]["commenced"], table[0]["ceased"]) == ("2024-01-31", "2026-04-01")


def test_a_fraud_listed_without_a_single_nfib_sub_class_is_kept_not_skipped():
    table, warnings = build_table([(9, source_row(**{"Home Office code": "053/40", "Class": "NFIB Fraud",
                                                      "Offence category": "Various sub classes"}))])
    assert [(row["classification"], row["ho_code"]) for row in table] == [("NFIB", "053/40")]
    assert not [w for w in warnings if "skipped" in w]


def test_a_breach_of_an_order_in_a_conduct_classification_is_a_single_act_not_a_conduct_crime():
    table, _ = build_table([(2, source_row(**{"Home Office code": "008/31"}))])
    assert "order_breach" in table[0]["families"].split()
    assert "conduct_crime" not in table[0]["families"].split()
