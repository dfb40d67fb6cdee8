"""What a cancellation records of the victim's withdrawal: the grounds its free text gives, read with the phrase layer.

A withdrawal under fear, coercion, influence or pressure is not additional verifiable information, and such a
crime cannot be cancelled (OFG p. 29). Whether a note says so is a question of wording, so the wording is data:
`rules/phrases/withdrawal.yaml` lists, for each ground, its phrases (graded, with the guidance it rests on) and
example texts that the tests check. The phrase layer (hocr_rules.phrases) reads them as the crime indicators
read the incident log, so "not scared of him" (negated), "if he threatens her again" (hypothetical) and
"presurised" (a typo) are read as an auditor reads them, which a list of exact strings could not do.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hocr_rules.errors import RuleFileError
from hocr_rules.phrases import PhraseMatcher
from hocr_rules.rulebook import yamlfile

DEFAULT_PATH = Path(__file__).resolve().parent.parent.parent / "rules" / "phrases" / "withdrawal.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ground(_Strict):
    about: str = Field(min_length=1, description="What the ground means and the rule it matters to, with page.")
    grade: str = Field(pattern="^[VSR]$")
    note: str = ""
    phrases: list[str] = Field(min_length=1)


class Example(_Strict):
    text: str = Field(min_length=1)
    grounds: list[str] = Field(description="Every ground the text gives; empty: none.")


class WithdrawalPhrases(_Strict):
    grounds: dict[str, Ground] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)


def load(path: Path = DEFAULT_PATH) -> WithdrawalPhrases:
    """The phrase file, validated with errors that name its line; an example naming no ground is an error."""
    data, lines = yamlfile.read(path, "phrase file")
    phrases = yamlfile.validate(WithdrawalPhrases, data, path, lines)
    for index, example in enumerate(phrases.examples):
        unknown = set(example.grounds) - set(phrases.grounds)
        if unknown:
            raise RuleFileError(path, yamlfile.line_of(lines, ("examples", index, "grounds")),
                                f"examples.{index}.grounds", f"{', '.join(sorted(unknown))}: not a ground of this file")
    return phrases


@cache
def _matchers() -> tuple[tuple[str, PhraseMatcher], ...]:
    return tuple((name, PhraseMatcher(ground.phrases)) for name, ground in load().grounds.items())


def grounds(text: str | None) -> frozenset[str] | None:
    """The grounds `text` gives, each by a phrase that no cue (negation, hypothesis, history, another person, a
    question) takes back; None when there is no text to read."""
    if text is None:
        return None
    return frozenset(name for name, matcher in _matchers()
                     if matcher.may_match(text) and any(not match.flags for match in matcher.matches(text)))
