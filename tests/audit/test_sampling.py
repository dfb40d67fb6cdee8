"""Reproducible samples and the auditor worksheet."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hocr_rules.audit.sampling import COLUMNS, Judgement, read_judgements, sample, write_worksheet


def incidents(count, prefix="INC"):
    return [f"{prefix}{number:05d}" for number in range(count)]


def test_the_same_seed_and_input_give_the_same_sample():
    records = incidents(10_000)
    assert sample(records, 50, seed=2017) == sample(iter(records), 50, seed=2017)
    assert sample(records, 50, seed=2017) != sample(records, 50, seed=2018)


def test_a_sample_is_drawn_in_one_pass_from_a_stream_and_kept_in_input_order():
    drawn = sample((f"INC{number:06d}" for number in range(100_000)), 25, seed=1)
    assert len(drawn) == 25 == len(set(drawn))
    assert drawn == sorted(drawn)


def test_asking_for_more_than_there_are_returns_everything_and_0_returns_nothing():
    assert sample(incidents(7), 10, seed=3) == incidents(7)
    assert sample(incidents(7), 0, seed=3) == []
    assert sample([], 5, seed=3) == []


def test_every_record_is_about_equally_likely_to_be_drawn():
    records = incidents(20)
    hits = Counter(record for seed in range(2000) for record in sample(records, 5, seed=seed))
    assert all(400 <= hits[record] <= 600 for record in records), hits  # expected 500, sd about 19


def test_strata_get_a_share_proportional_to_their_size():
    records = [(kind, n) for kind, count in (("violence", 60), ("sexual", 30), ("other", 10)) for n in range(count)]
    drawn = sample(records, 10, seed=5, stratum=lambda record: record[0])
    assert Counter(kind for kind, _ in drawn) == {"violence": 6, "sexual": 3, "other": 1}


def test_leftover_places_go_to_the_largest_remainders_then_to_the_earlier_stratum_name():
    records = [("a", n) for n in range(5)] + [("b", n) for n in range(3)] + [("c", n) for n in range(2)]
    drawn = sample(records, 4, seed=1, stratum=lambda record: record[0])
    assert Counter(kind for kind, _ in drawn) == {"a": 2, "b": 1, "c": 1}  # quotas 2.0, 1.2, 0.8
    tied = [("y", 0), ("x", 0), ("y", 1), ("x", 1)]
    assert [kind for kind, _ in sample(tied, 1, seed=1, stratum=lambda record: record[0])] == ["x"]


def test_a_stratified_sample_is_ordered_by_stratum_name_then_input_order():
    records = [(kind, n) for n in range(50) for kind in ("violence", "other", "sexual")]
    drawn = sample(records, 30, seed=9, stratum=lambda record: record[0])
    assert drawn == sorted(drawn, key=lambda record: (record[0], records.index(record)))
    assert drawn == sample(list(records), 30, seed=9, stratum=lambda record: record[0])


def test_within_a_stratum_every_record_is_about_equally_likely_to_be_drawn():
    records = [("big", n) for n in range(12)] + [("small", n) for n in range(4)]
    hits = Counter(r for seed in range(2000) for r in sample(records, 4, seed=seed, stratum=lambda r: r[0]))
    assert all(400 <= hits[("big", n)] <= 600 for n in range(12)), hits  # 3 of 12: expected 500
    assert all(400 <= hits[("small", n)] <= 600 for n in range(4)), hits  # 1 of 4: expected 500


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers()), max_size=60), st.integers(0, 30), st.integers())
def test_a_sample_is_a_subset_of_the_right_size(records, size, seed):
    numbered = list(enumerate(records))
    drawn = sample(numbered, size, seed=seed, stratum=lambda record: record[1][0])
    assert len(drawn) == min(size, len(records)) == len(set(drawn))
    assert set(drawn) <= set(numbered)


@pytest.mark.parametrize(("size", "seed"), [(-1, 1), (2.0, 1), (2, "2017"), (2, None)])
def test_size_and_seed_must_be_whole_numbers(size, seed):
    with pytest.raises(ValueError, match="must be a whole number"):
        sample(incidents(5), size, seed=seed)


ROWS = [
    {"incident": "INC001", "category": "violence", "engine_outcome": "breach", "engine_findings": "TL01: late"},
    {"incident": "INC002", "category": "sexual", "engine_outcome": "ok", "engine_findings": "",
     "auditor_outcome": "", "auditor_note": ""},
]


def test_a_fresh_worksheet_reads_back_as_not_yet_judged(tmp_path):
    path = tmp_path / "worksheet.csv"
    assert write_worksheet(ROWS, path) == 2
    assert path.read_bytes().startswith(b"\xef\xbb\xbfincident,category,")
    assert read_judgements(path) == {
        "INC001": Judgement("INC001", None, "", 2),
        "INC002": Judgement("INC002", None, "", 3),
    }


def test_filled_in_outcomes_are_read_back_trimmed_and_in_lower_case(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n"
        "INC001,violence,breach,x, Recorded_Correctly ,fine\n"
        "\n"
        'INC002,sexual,ok,,not_a_crime,"two\nlines"\n'
        "INC003,other,ok,,NOT_RECORDED,\n",
        encoding="utf-8",
    )
    judgements = read_judgements(path)
    assert [(j.outcome, j.note, j.line) for j in judgements.values()] == [
        ("recorded_correctly", "fine", 2), ("not_a_crime", "two\nlines", 4), ("not_recorded", "", 6),
    ]


def test_an_unknown_outcome_is_refused_naming_the_line_and_the_allowed_values(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text(",".join(COLUMNS) + '\nINC001,v,b,,recorded_correctly,"a\nb"\nINC002,v,b,,crimed,Jane Doe\n')
    with pytest.raises(ValueError) as caught:
        read_judgements(path)
    message = str(caught.value)
    assert "line 4: unknown auditor_outcome 'crimed'" in message
    assert "recorded_correctly, not_recorded, not_a_crime, or blank" in message
    assert "Jane Doe" not in message


def test_a_repeated_incident_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "worksheet.csv"
    path.write_text(",".join(COLUMNS) + "\nINC001,v,b,,,\nINC002,v,b,,,\nINC001,v,b,,not_recorded,\n")
    with pytest.raises(ValueError, match="line 4: incident repeated \\(first on line 2\\)"):
        read_judgements(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the worksheet is empty"), ("incident,category\n", "line 1: missing column\\(s\\) auditor_outcome"),
     (",".join(COLUMNS) + "\n ,v,b,,,\n", "line 2: the incident reference is blank")],
)
def test_a_malformed_worksheet_is_refused_saying_where(tmp_path, text, message):
    path = tmp_path / "worksheet.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_judgements(path)


def test_writing_a_row_with_unknown_or_missing_keys_is_refused_naming_the_row(tmp_path):
    with pytest.raises(ValueError, match="worksheet row 2: missing engine_findings; unknown victim_name"):
        write_worksheet([ROWS[0], {"incident": "X", "category": "c", "engine_outcome": "o", "victim_name": "n"}],
                        tmp_path / "w.csv")
