"""The grounds read from a cancellation's text (rules/phrases/withdrawal.yaml and avi.yaml): their examples are
tests."""

import pytest

from hocr_rules.errors import RuleFileError
from hocr_rules.facts.phrase_grounds import AVI, FILES, WITHDRAWAL, PhraseFile

EXAMPLES = [(file, example) for file in FILES for example in file.load().examples]


@pytest.mark.parametrize(("file", "example"), EXAMPLES, ids=[f"{f.name}:{e.text[:40]}" for f, e in EXAMPLES])
def test_each_example_gives_exactly_its_grounds(file, example):
    assert file.grounds(example.text) == frozenset(example.grounds)


def test_no_text_is_no_reading_rather_than_no_ground():
    assert WITHDRAWAL.grounds(None) is None and AVI.grounds(None) is None
    assert WITHDRAWAL.grounds("") == frozenset()


@pytest.mark.parametrize("text", ["Is she scared of him? No.", "Her friend was scared of him; victim withdrew.",
                                  "Previously frightened of him, now reconciled and not afraid."])
def test_a_question_answered_no_another_person_or_the_past_is_not_a_ground(text):
    assert WITHDRAWAL.grounds(text) == frozenset()


def test_an_example_naming_an_unknown_ground_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "withdrawal.yaml"
    path.write_text("grounds:\n  fear_or_pressure:\n    about: fear\n    grade: S\n    phrases: [scared]\n"
                    "examples:\n  - text: scared\n    grounds: [fear]\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        PhraseFile("withdrawal.yaml").load(path)
    assert caught.value.line == 8 and "fear: not a ground" in str(caught.value)
