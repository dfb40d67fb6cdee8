"""Police log text as tokens: words folded to lower case with their character spans, and sentence breaks.

One fixed pattern, written here, scans the text once. It has no nested or overlapping repetition (each repeat
of the apostrophe group must start with an apostrophe), so it runs in time linear in the text whatever the text
holds; no pattern written by a user is ever run on input text. Apostrophes are dropped inside a word
("didn't" is "didnt"), so cue lists and phrases need not spell them. A full stop is a break only where no word
follows it at once ("10.30" and "P.C." are not sentence ends). Commas are clause breaks: NegEx-style scopes stop
at them (see cues.py for why).
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[;!?,\n]|\.(?!\w)")
_APOSTROPHES = str.maketrans("", "", "'\u2019")
QUESTION = "?"
SENTENCE_BREAKS = frozenset(".;!?\n")
BREAKS = SENTENCE_BREAKS | {","}


class Token(NamedTuple):
    text: str   # the folded word, or the break character
    start: int  # first character in the source text
    end: int    # one past the last


def tokens(text: str) -> list[Token]:
    """Every word and break in `text`, in order."""
    return [Token(m.group().casefold().translate(_APOSTROPHES), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spans(text: str) -> list[re.Match]:
    """The pattern's matches in `text`, one for each of `tokens(text)`, for their character spans: made in C,
    with nothing folded, for the few texts where a phrase was found."""
    return list(_TOKEN.finditer(text))


def folded(text: str) -> list[str]:
    """The `text` of each of `tokens(text)`, without the spans: what a matcher compares, made for every log
    entry it reads. ASCII text (nearly every log) is folded whole and split by the pattern in C, with no Python
    work per word; for ASCII, `lower` is `casefold`, and the pattern splits the folded text where it splits the
    original."""
    if text.isascii():
        found = _TOKEN.findall(text.lower())
        return [word.replace("'", "") for word in found] if "'" in text else found
    return [m.group().casefold().translate(_APOSTROPHES) for m in _TOKEN.finditer(text)]


def words(phrase: str) -> tuple[str, ...]:
    """A phrase as written in a file, as the words the matcher compares (breaks dropped)."""
    return tuple(t.text for t in tokens(phrase) if t.text not in BREAKS)
