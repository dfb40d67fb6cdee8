"""Phrases in, matches out: where a log says "punched" or "threatened to kill", and whether it says it did not
happen, may happen, happened long ago, happened to someone else, or was only a risk-script question.

Phrases are compiled to word sequences and found by a table from each phrase's first word: time linear in the
words of the text (times the few phrases sharing a first word), with no regular expression from a phrase ever
run. Capitals are folded; a word of seven letters or more that is one edit (a letter changed, added, dropped or
two swapped) from a phrase word with the same first letter counts as that word ("strangeld", "punchd"), found
by comparing it with the few phrase words of about its length (an optimal-string-alignment distance of one, the
first such word in the candidates' order, as RapidFuzz's `extractOne` chose) and remembered. Shorter words are compared exactly: one edit
from "kicked" is "licked" or "picked". The cues around each match are read NegEx-style (see cues.py).

`PhraseMatcher.matches(text)` reads one text; `matches_in(texts)` reads a whole incident log and gives what
`matches` gives text by text, in one pass: `screen(texts)` (and `may_match(text)`), a cheap Aho-Corasick screen,
leaves out the texts where no phrase can match, and the texts it names are joined by line breaks and tokenised,
searched and given their spans once, not once each (a line break is a sentence break and no phrase or cue holds
one, so no match, cue window or risk-script answer reaches across two texts).
"""

from __future__ import annotations

import string
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Sequence

import ahocorasick_rs

from hocr_rules.phrases import cues
from hocr_rules.rulebook import cache
from hocr_rules.phrases.tokens import BREAKS, QUESTION, SENTENCE_BREAKS, folded, spans, words

FUZZY_MIN_LENGTH = 7
_CACHE_LIMIT = 100_000
#: for the cheap screen: capitals folded, punctuation and white space a space (apostrophes are deleted, as the
#: tokeniser does)
_FOLD = bytes.maketrans((string.ascii_uppercase + string.punctuation + string.whitespace).encode(),
                        (string.ascii_lowercase + " " * (len(string.punctuation) + len(string.whitespace))).encode())
_TYPO_LETTERS = string.ascii_lowercase + string.digits
FLAGS = ("negated", "hypothetical", "historical", "other_person", "question")
#: The screen's automaton: a contiguous NFA, not a DFA. With the indicators' 139 phrases the screen has 31,128
#: keys (the one-edit typos); building the DFA took 0.11 s of CPU in every process that reads a log (and each
#: matcher built, the AVI and withdrawal phrase lists too), the contiguous NFA 0.025 s. Searching is slower:
#: 4.0 us against 2.5 us for an incident with 20 log entries (1 KB), so the DFA pays back only after some 57,000
#: incidents with logs in one process, and a worker process starts with none (issue 11, start-up).
SCREEN_AUTOMATON = ahocorasick_rs.Implementation.ContiguousNFA


@dataclass(frozen=True, slots=True)
class Match:
    """One phrase found in one text, with its character span and what the cues around it say."""

    phrase: str
    start: int
    end: int
    negated: bool = False
    hypothetical: bool = False
    historical: bool = False
    other_person: bool = False
    question: bool = False

    @property
    def flags(self) -> frozenset[str]:
        return frozenset(name for name in FLAGS if getattr(self, name))


def _index(sequences: Iterable[tuple[tuple[str, ...], object]]) -> dict[str, list[tuple[tuple[str, ...], object]]]:
    """First word -> (words, value), longest first, so the longest phrase at a position is tried first."""
    table: dict[str, list] = {}
    for seq, value in sequences:
        if seq:
            table.setdefault(seq[0], []).append((seq, value))
    for entries in table.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return table


def _find(table: dict, text: list[str]) -> list[tuple[int, int, object]]:
    """(first token, one past the last, value) of the sequences in `text`, leftmost-longest and not overlapping
    ("he will kill her" is one match of "will kill her", not also one of "kill her"). Only the positions of
    words that start a sequence are visited; most texts have none, found by one set intersection."""
    starting = table.keys() & set(text)
    if not starting:
        return []
    found = []
    after = 0
    for i in [i for i, word in enumerate(text) if word in starting]:
        if i < after:
            continue
        for seq, value in table[text[i]]:
            if len(seq) == 1 or tuple(text[i:i + len(seq)]) == seq:
                found.append((i, i + len(seq), value))
                after = i + len(seq)
                break
    return found


def _cue_table() -> dict:
    """Cue words -> every kind of cue they are ("denied" comes before or after what it denies)."""
    kinds: dict[tuple[str, ...], set[str]] = {}
    for kind, lexicon in (("pre_negation", cues.PRE_NEGATION), ("post_negation", cues.POST_NEGATION),
                          ("pseudo", cues.PSEUDO), ("termination", cues.TERMINATION),
                          ("hypothetical", cues.HYPOTHETICAL), ("historical", cues.HISTORICAL_PRE),
                          ("historical_post", cues.HISTORICAL_POST), ("other_person", cues.OTHER_PERSON)):
        for cue in lexicon:
            kinds.setdefault(words(cue), set()).add(kind)
    return _index((seq, frozenset(found)) for seq, found in kinds.items())


_CUES = _cue_table()
_PRE = {"pre_negation": "negated", "hypothetical": "hypothetical", "historical": "historical",
        "other_person": "other_person"}
_POST = {"post_negation": "negated", "historical_post": "historical"}


def _one_edit(word: str) -> set[str]:
    """`word` and every word one edit from it (OSA) that keeps its first letter and `canonical` would take back."""
    found = {word}
    for k in range(1, len(word) + 1):
        found.add(word[:k] + word[k + 1:])
        if k < len(word) - 1:
            found.add(word[:k] + word[k + 1] + word[k] + word[k + 2:])
        for letter in _TYPO_LETTERS:
            found.add(word[:k] + letter + word[k:])
            if k < len(word):
                found.add(word[:k] + letter + word[k + 1:])
    return {w for w in found if len(w) >= FUZZY_MIN_LENGTH - 1}


def _screen_keys(phrases: Iterable[tuple[str, ...]]) -> list[bytes]:
    """Each phrase's longest word, and every one-edit typo of it that `canonical` would accept, between spaces."""
    return sorted({f" {variant} ".encode("ascii") for seq in phrases for key in [max(seq, key=len)]
                   for variant in (_one_edit(key) if len(key) >= FUZZY_MIN_LENGTH else (key,)) if variant.isascii()})


class PhraseMatcher:
    def __init__(self, phrases: Iterable[str]):
        compiled = {}
        for phrase in phrases:
            seq = words(phrase)
            if not seq:
                raise ValueError(f"the phrase {phrase!r} has no words")
            compiled.setdefault(seq, phrase)
        self._phrases = _index(compiled.items())
        self.words = frozenset(word for seq in compiled for word in seq)
        self._fuzzy: dict[tuple[str, int], list[str]] = {}
        for word in self.words:
            if len(word) >= FUZZY_MIN_LENGTH:
                self._fuzzy.setdefault((word[0], len(word)), []).append(word)
        self._seen: dict[str, str | None] = {}  # a word not in a phrase -> the phrase word it is a typo of, or None
        self._sequences = tuple(compiled)
        self._ascii_only = all(word.isascii() for word in self.words)

    @cached_property
    def _automaton(self) -> ahocorasick_rs.BytesAhoCorasick:
        """The screen's automaton, built on the first `screen`: `matches` never needs it, and a matcher that only
        reads single notes (an AVI's text) was paying 0.02 s of CPU per run for it (issue 11, start-up). Its keys
        are the same for the same phrases: remembered by the pack cache between runs."""
        keys = cache.remember("phrase-screen", __file__, "\n".join(sorted(map(" ".join, self._sequences))),
                              lambda: _screen_keys(self._sequences))
        return ahocorasick_rs.BytesAhoCorasick(keys, implementation=SCREEN_AUTOMATON)

    def canonical(self, word: str) -> str | None:
        """The phrase word `word` is, exactly or as a typo; None if it is none of them."""
        if word in self.words:
            return word
        known = self._seen.get(word, ...)
        if known is not ...:
            return known
        found = None
        if len(word) >= FUZZY_MIN_LENGTH - 1:
            near = [w for n in (len(word) - 1, len(word), len(word) + 1) for w in self._fuzzy.get((word[0], n), ())]
            found = next((candidate for candidate in near if _one_edit_apart(word, candidate)), None)
        if len(self._seen) >= _CACHE_LIMIT:  # hostile or huge input: bounded memory, at the cost of recomputing
            self._seen.clear()
        self._seen[word] = found
        return found

    def may_match(self, text: str) -> bool:
        """False only if no phrase can match `text` (see `screen`)."""
        return bool(self.screen([text]))

    def screen(self, texts: Sequence[str]) -> list[int]:
        """The indexes of the texts in which a phrase may match; any other text certainly has none. One
        Aho-Corasick pass (ahocorasick-rs, in Rust) over all the texts folded by a byte table and joined,
        looking for each phrase's longest word, and every one-edit typo of it that `canonical` would accept,
        between spaces: far cheaper than `matches`, so a caller passes a whole incident log and tokenises only
        the entries named. A text with non-ASCII characters is always named (the table folds ASCII only)."""
        # two spaces between texts, so that a match ending one text never overlaps one starting the next
        joined = "  ".join(texts)
        if not (joined.isascii() and self._ascii_only):
            return self._screen_each(texts)
        hits = self._automaton.find_matches_as_indexes(b" " + joined.encode("ascii").translate(_FOLD, b"'") + b" ",
                                                    overlapping=False)
        if not hits:
            return []
        starts, offset = [], 1  # where each text begins in the folded bytes (apostrophes are deleted)
        for text in texts:
            starts.append(offset)
            offset += len(text) - text.count("'") + 2
        return sorted({bisect_right(starts, hit_start + 1) - 1 for _, hit_start, _ in hits})

    def _screen_each(self, texts: Sequence[str]) -> list[int]:
        """`screen` one text at a time, naming every text with non-ASCII characters."""
        return [index for index, text in enumerate(texts)
                if not (text.isascii() and self._ascii_only) or self.screen([text])]

    def matches(self, text: str) -> list[Match]:
        return [match for _, match in self._joined([text], [0])]

    def matches_in(self, texts: Sequence[str]) -> list[tuple[int, Match]]:
        """(index of the text, match) for every match in `texts`: `matches` of each text in turn, found in one
        pass over the texts the screen names."""
        named = self.screen(texts)
        return self._joined([texts[index] for index in named], named) if named else []

    def _joined(self, texts: list[str], indexes: list[int]) -> list[tuple[int, Match]]:
        """The matches in `texts` (the texts numbered `indexes`), read as one text with a line break between
        each two."""
        joined = "\n".join(texts)
        raw = folded(joined)
        found = _find(self._phrases, self._as_phrase_words(raw))
        if not found:
            return []
        where = spans(joined)  # the character spans, only for texts with a match
        starts, offset = [], 0  # where each text begins in `joined`
        for text in texts:
            starts.append(offset)
            offset += len(text) + 1
        starts.append(offset)
        cues_found = _Cues(_find(_CUES, raw))
        matches = []
        for i, j, phrase in found:
            k = bisect_right(starts, where[i].start()) - 1
            matches.append((indexes[k], _read_cues(phrase, i, j, where, raw, cues_found, starts[k], starts[k + 1])))
        return matches

    def _as_phrase_words(self, raw: list[str]) -> list[str]:
        """`raw` with each typo of a phrase word replaced by that word; `raw` itself when it has none (words
        too short to be a typo, and words of the phrases, are not looked at)."""
        typos = {}
        for word in set(raw).difference(self.words):
            if len(word) >= FUZZY_MIN_LENGTH - 1:
                meant = self.canonical(word)
                if meant is not None:
                    typos[word] = meant
        return [typos.get(word, word) for word in raw] if typos else raw


def _one_edit_apart(word: str, other: str) -> bool:
    """Whether two different words are one optimal-string-alignment edit apart: a letter changed, added or
    dropped, or two neighbours swapped. Compared directly, in time linear in the word: RapidFuzz, which did this
    before, cost 0.01-0.03 s to import in every run that met a long word near a phrase word (issue 11)."""
    if abs(len(word) - len(other)) > 1:
        return False
    i = 0
    for i, (a, b) in enumerate(zip(word, other)):  # i: the first place they differ
        if a != b:
            break
    else:
        i = min(len(word), len(other))
    if len(word) > len(other):
        return word[i + 1:] == other[i:]
    if len(word) < len(other):
        return word[i:] == other[i + 1:]
    swapped = word[i:i + 2] == other[i + 1:i + 2] + other[i:i + 1]
    return word[i + 1:] == other[i + 1:] or (swapped and word[i + 2:] == other[i + 2:])


class _Cues:
    """The cues found in a text, with what every match in it shares: which tokens are inside a pseudo-cue, and
    where a termination cue stands."""

    def __init__(self, found: list[tuple[int, int, frozenset]]):
        self.found = found
        self.pseudo = {k for a, b, kinds in found if "pseudo" in kinds for k in range(a, b)}
        self.terminations = [a for a, _, kinds in found if "termination" in kinds]


def _read_cues(phrase: str, i: int, j: int, where: list, raw: list[str], found_cues: _Cues, base: int,
               limit: int) -> Match:
    """The flags of the phrase at tokens i..j from the cues in its sentence (NegEx windows); `where` holds the
    tokens' character spans. The phrase's own text starts at character `base` and ends before `limit`: its
    span is given from `base`, and a risk-script answer is looked for before `limit` only."""
    start = i
    while start > 0 and raw[start - 1] not in SENTENCE_BREAKS:
        start -= 1
    end = j
    while end < len(raw) and raw[end] not in SENTENCE_BREAKS:
        end += 1
    flags = set()
    in_sentence = [cue for cue in found_cues.found if cue[0] >= start and cue[1] <= end]
    if in_sentence:
        pseudo = found_cues.pseudo
        stops = found_cues.terminations + [k for k in range(start, end) if raw[k] == ","]
        for a, b, kinds in in_sentence:
            if a in pseudo:
                continue
            if b <= i and i - b <= cues.PRE_WINDOW and not any(b <= s < i for s in stops):
                flags.update(_PRE[kind] for kind in kinds if kind in _PRE)
            elif a >= j and a - j <= cues.POST_WINDOW and not any(j <= s < a for s in stops):
                flags.update(_POST[kind] for kind in kinds if kind in _POST)
    question = end < len(raw) and raw[end] == QUESTION
    if question:
        answer = None
        for k in range(end + 1, len(raw)):
            if where[k].start() >= limit:
                break  # the next text: this one gave no answer
            if raw[k] not in BREAKS:
                answer = raw[k]
                break
        if answer not in cues.YES:
            flags.add("negated")  # "No", "not known", or no answer: the script asked, nobody alleged it
    return Match(phrase, where[i].start() - base, where[j - 1].end() - base, question=question,
                 **{f: True for f in flags})
