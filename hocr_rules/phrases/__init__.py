"""A reusable phrase layer: phrases in, matches out, with NegEx-style negated / hypothetical / historical /
other-person / question flags and character spans. Used by the crime indicators; free of the rule pack."""

from hocr_rules.phrases.matcher import FLAGS, Match, PhraseMatcher

__all__ = ["FLAGS", "Match", "PhraseMatcher"]
