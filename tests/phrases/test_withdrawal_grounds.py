"""The withdrawal grounds read from a cancellation's text (rules/phrases/withdrawal.yaml): its examples are tests."""

import pytest

from hocr_rules.errors import RuleFileError
from hocr_rules.facts import withdrawal

PHRASES = withdrawal.load()


@pytest.mark.parametrize("example", PHRASES.examples, ids=[e.text[:40] for e in PHRASES.examples])
def test_each_example_gives_exactly_its_grounds(example):
    assert withdrawal.grounds(example.text) == frozenset(example.grounds)


def test_no_text_is_no_reading_rather_than_no_ground():
    assert withdrawal.grounds(None) is None
    assert withdrawal.grounds("") == frozenset()


@pytest.mark.parametrize("text", ["Is she scared of him? No.", "Her friend was scared of him; victim withdrew.",
                                  "Previously frightened of him, now reconciled and not afraid."])
def test_a_question_answered_no_another_person_or_the_past_is_not_a_ground(text):
    assert withdrawal.grounds(text) == frozenset()


def test_an_example_naming_an_unknown_ground_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "withdrawal.yaml"
    path.write_text("grounds:\n  fear_or_pressure:\n    about: fear\n    grade: S\n    phrases: [scared]\n"
                    "examples:\n  - text: scared\n    grounds: [fear]\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        withdrawal.load(path)
    assert caught.value.line == 8 and "fear: not a ground" in str(caught.value)
