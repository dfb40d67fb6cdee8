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
from itertools import accumulate
from typing import NamedTuple

_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*|[;!?,\n]|\.(?!\w)")
#: `_TOKEN` as one capturing group, for `re.split`; and the same for ASCII text folded to lower case, where
#: `[^\W_]` is `[a-z0-9]`, `\w` is `[a-z0-9_]` and no apostrophe but ' can occur
_SPLIT = re.compile(f"({_TOKEN.pattern})")
_ASCII_SPLIT = re.compile(r"([a-z0-9]+(?:'[a-z0-9]+)*|[;!?,\n]|\.(?![a-z0-9_]))")
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


def tokenised(text: str) -> tuple[list[str], list[int]]:
    """The `text` of each of `tokens(text)`, and their character spans as one list of bounds: token k runs
    from `bounds[2 * k + 1]` to `bounds[2 * k + 2]`. What a matcher compares, made in C with no Python work per
    word: the pattern splits the text (a capturing split gives the gaps and the tokens in turn, so the bounds
    are the running sum of their lengths, with no match object made per token). ASCII text (nearly every log)
    is folded whole first, by a pattern of ASCII classes; for ASCII, `lower` is `casefold`, keeps every
    character where it was, and the ASCII pattern splits the folded text where `_TOKEN` splits the original."""
    if text.isascii():
        pieces = _ASCII_SPLIT.split(text.lower())
        found = pieces[1::2]
        if "'" in text:
            found = [word.replace("'", "") for word in found]
    else:
        pieces = _SPLIT.split(text)
        found = [word.casefold().translate(_APOSTROPHES) for word in pieces[1::2]]
    return found, list(accumulate(map(len, pieces), initial=0))


def words(phrase: str) -> tuple[str, ...]:
    """A phrase as written in a file, as the words the matcher compares (breaks dropped)."""
    return tuple(t.text for t in tokens(phrase) if t.text not in BREAKS)
