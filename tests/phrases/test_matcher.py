"""The phrase layer: NegEx-style cues, typo tolerance, spans, and the cheap screen agreeing with the matcher."""

import pytest
from hypothesis import given, strategies as st

from hocr_rules.phrases import PhraseMatcher
from hocr_rules.phrases.matcher import _one_edit_apart
from hocr_rules.phrases.tokens import tokens

MATCHER = PhraseMatcher(["punched", "kicked", "assault", "injuries", "strangled", "threatened to kill", "dv",
                         "took my phone", "keeps turning up", "victim no longer supports police action"])


def flags(text: str) -> list[tuple[str, str, list[str]]]:
    return [(m.phrase, text[m.start:m.end], sorted(m.flags)) for m in MATCHER.matches(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("He PUNCHED her in the face", [("punched", "PUNCHED", [])]),
    ("no injuries", [("injuries", "injuries", ["negated"])]),
    ("Male denies any assault", [("assault", "assault", ["negated"])]),
    ("assault denied by both", [("assault", "assault", ["negated"])]),
    ("Denies any assault but admits he kicked her",
     [("assault", "assault", ["negated"]), ("kicked", "kicked", [])]),
    ("no injuries, punched to the face", [("injuries", "injuries", ["negated"]), ("punched", "punched", [])]),
    ("NO INJURIES. Punched her twice", [("injuries", "INJURIES", ["negated"]), ("punched", "Punched", [])]),
    ("Advised to call 999 if he comes back and kicked the door", [("kicked", "kicked", ["hypothetical"])]),
    ("Previous DV with ex partner", [("dv", "DV", ["historical"])]),
    ("threatened to kill her 2 years ago", [("threatened to kill", "threatened to kill", ["historical"])]),
    ("her friend was punched", [("punched", "punched", ["other_person"])]),
    ("Her brother punched her", [("punched", "punched", [])]),
    ("Q4 Has he ever strangled you? N", [("strangled", "strangled", ["negated", "question"])]),
    ("Q4 Has he ever strangled you? Yes", [("strangled", "strangled", ["question"])]),
    ("IP states he strangeld her", [("strangled", "strangeld", [])]),
    ("keeps turnin up at the house", [("keeps turning up", "keeps turnin up", [])]),
    ("Took my PHONE!", [("took my phone", "Took my PHONE", [])]),
    ("no doubt he punched her", [("punched", "punched", [])]),
    ("Victim no longer supports police action",
     [("victim no longer supports police action", "Victim no longer supports police action", [])]),
])
def test_cues(text, expected):
    assert flags(text) == expected


def test_short_words_are_matched_exactly():
    """One edit from "kicked" is "licked" or "picked": words under seven letters are not typo-matched."""
    assert MATCHER.matches("he picked her up from school") == []
    assert MATCHER.canonical("kicekd") is None
    assert MATCHER.canonical("puncehd") == "punched"


def test_typos_keep_their_first_letter():
    assert MATCHER.canonical("strangled") == "strangled"
    assert MATCHER.canonical("wtrangled") is None


def _osa_distance(a: str, b: str) -> int:
    """The optimal-string-alignment distance by its textbook table, as the reference for the direct check."""
    d = [[i + j if not i * j else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


@given(st.text("abc", max_size=7), st.text("abc", max_size=7))
def test_one_edit_apart_is_an_osa_distance_of_one(word, other):
    """The typo check gives what RapidFuzz's OSA distance gave, without importing it (start-up, issue 11)."""
    if word != other:
        assert _one_edit_apart(word, other) == (_osa_distance(word, other) == 1)


@pytest.mark.parametrize(("word", "other"), [("strangeld", "strangled"), ("strangled", "strangld"),
                                             ("strangld", "strangled"), ("strangxed", "strangled")])
def test_one_edit_apart_each_kind_of_edit(word, other):
    assert _one_edit_apart(word, other)


def test_a_phrase_with_no_words_is_refused():
    with pytest.raises(ValueError, match="no words"):
        PhraseMatcher(["?!"])


def test_hostile_text_is_linear_and_safe():
    """A long run that would make a backtracking pattern explode is tokenised in one pass."""
    hostile = ("a'" * 50_000) + "!" + "no " * 10_000 + "punched"
    assert [m.phrase for m in MATCHER.matches(hostile)] == ["punched"]
    assert len(tokens("x" * 100_000)) == 1


WORDS = st.sampled_from(["he", "punched", "PUNCHED", "puncHed,", "no", "if", "kicked", "took", "my", "phone",
                         "strangeld", "assualt", "injuries.", "q1?", "yes", "dv", "x", "keeps", "turning", "up",
                         "didn't", "it's", "10.30", "-", "\n"])


@given(st.lists(WORDS, max_size=30).map(" ".join))
def test_the_screen_never_hides_a_match(text):
    """`may_match` is false only when `matches` finds nothing."""
    if MATCHER.matches(text):
        assert MATCHER.may_match(text)


@given(st.text(max_size=200))
def test_spans_point_at_the_text(text):
    for m in MATCHER.matches(text):
        assert 0 <= m.start < m.end <= len(text)


@given(st.lists(st.lists(WORDS, max_size=8).map(" ".join), max_size=6))
def test_the_screen_names_every_text_with_a_match(texts):
    named = MATCHER.screen(texts)
    assert named == sorted(set(named))
    for index, text in enumerate(texts):
        if MATCHER.matches(text):
            assert index in named


def test_the_screen_names_texts_side_by_side():
    assert MATCHER.screen(["he punched", "kicked", "nothing", "caf\u00e9 talk", "no injuries"]) == [0, 1, 3, 4]


@given(st.text(alphabet=st.sampled_from("aZ9 '\u2019.,;?!\n_-ßİé"), max_size=40) | st.text(max_size=40))
def test_the_folded_words_and_spans_are_the_tokens(text):
    """The matcher's fast forms (every word folded at once; spans without folding) are `tokens` exactly."""
    from hocr_rules.phrases.tokens import folded, spans
    assert folded(text) == [t.text for t in tokens(text)]
    assert [m.span() for m in spans(text)] == [(t.start, t.end) for t in tokens(text)]


@given(st.lists(st.lists(WORDS | st.sampled_from(["?", "strangled?", "Y", "N", "caf\u00e9", "no,"]), max_size=8)
                .map(" ".join), max_size=6))
def test_a_log_read_in_one_pass_is_each_text_read_alone(texts):
    """`matches_in` joins the named texts: no match, cue or risk-script answer may reach into the next text."""
    assert MATCHER.matches_in(texts) == [(index, match) for index, text in enumerate(texts)
                                         for match in MATCHER.matches(text)]


def test_a_question_ending_one_text_takes_no_answer_from_the_next():
    assert MATCHER.matches_in(["Has he ever strangled you?", "Yes he punched me"]) == [
        (0, MATCHER.matches("Has he ever strangled you?")[0]), (1, MATCHER.matches("Yes he punched me")[0])]
    assert MATCHER.matches_in(["Has he ever strangled you?", "Yes"])[0][1].negated
