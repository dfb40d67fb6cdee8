"""What a cancellation's free text says, read with the phrase layer: grounds found by phrases in a phrase file.

Whether a note says something is a question of wording, so the wording is data. Each file in `rules/phrases/`
lists, for each ground, its phrases (graded, with the guidance it rests on) and example texts that the tests
check; the phrase layer (hocr_rules.phrases) reads them as the crime indicators read the incident log, so "not
scared of him" (negated), "if he threatens her again" (hypothetical) and "presurised" (a typo) are read as an
auditor reads them, which a list of exact strings could not do. Two files:

- `withdrawal.yaml`: the victim's withdrawal. A withdrawal under fear, coercion, influence or pressure is not
  additional verifiable information, and such a crime cannot be cancelled (OFG p. 29).
- `avi.yaml`: what the additional verifiable information says. AVI must say where it came from and how it can
  be verified (OFG p. 28); a text that gives a ground that is not AVI (a withdrawal, no contact, drink, an
  opinion) and names no source of information is not AVI, however it is worded.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from hocr_rules import bundled
from hocr_rules.errors import RuleFileError
from hocr_rules.phrases import PhraseMatcher
from hocr_rules.rulebook import yamlfile


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)  # built when the file is first read


class Ground(_Strict):
    about: str = Field(min_length=1, description="What the ground means and the rule it matters to, with page.")
    grade: str = Field(pattern="^[VSR]$")
    note: str = ""
    phrases: list[str] = Field(min_length=1)


class Example(_Strict):
    text: str = Field(min_length=1)
    grounds: list[str] = Field(description="Every ground the text gives; empty: none.")


class GroundPhrases(_Strict):
    grounds: dict[str, Ground] = Field(min_length=1)
    examples: list[Example] = Field(default_factory=list)


class PhraseFile:
    """One file of grounds in `rules/phrases/`, loaded and matched on first use."""

    def __init__(self, name: str):
        self.name = name

    def default_path(self) -> Path:
        """The file in the rule pack's default folder: `bundled.RULES` is the one place that says where the
        bundled rules are (a clone or an installed wheel)."""
        return bundled.RULES / "phrases" / self.name

    def load(self, path: Path | None = None) -> GroundPhrases:
        """The phrase file (by default the pack's), validated with errors that name its line; an example naming
        no ground is an error."""
        path = path or self.default_path()
        data, lines = yamlfile.read(path, "phrase file")
        phrases = yamlfile.validate(GroundPhrases, data, path, lines)
        for index, example in enumerate(phrases.examples):
            unknown = set(example.grounds) - set(phrases.grounds)
            if unknown:
                raise RuleFileError(path, yamlfile.line_of(lines, ("examples", index, "grounds")),
                                    f"examples.{index}.grounds",
                                    f"{', '.join(sorted(unknown))}: not a ground of this file")
        return phrases

    @cached_property
    def _matchers(self) -> tuple[tuple[str, PhraseMatcher], ...]:
        return tuple((name, PhraseMatcher(ground.phrases)) for name, ground in self.load().grounds.items())

    def grounds(self, text: str | None) -> frozenset[str] | None:
        """The grounds `text` gives, each by a phrase that no cue (negation, hypothesis, history, another person,
        a question) takes back; None when there is no text to read."""
        if text is None:
            return None
        return frozenset(name for name, matcher in self._matchers
                         if matcher.may_match(text) and any(not match.flags for match in matcher.matches(text)))


WITHDRAWAL = PhraseFile("withdrawal.yaml")
AVI = PhraseFile("avi.yaml")
FILES = (WITHDRAWAL, AVI)
