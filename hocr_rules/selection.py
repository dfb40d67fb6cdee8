"""Which rules report: `select`, `extend-select` and `ignore` by code or code prefix, resolved as Ruff does.

Selection decides what is *reported*, never what is *evaluated*: every rule still runs, because a
crime-specific rule that is ignored must still take the general rule it overrides out of scope (else
ignoring it would turn its cases into false breaches of the general rule), and derivations feed findings.

Selectors are a rule code (`TL01`), a prefix of codes (`TL`, `T`), or `ALL`. They come in layers: the
configuration file, then the command line. In each layer `select` (if given) starts afresh, `extend-select`
adds and `ignore` removes, the more specific selector winning (`--select TL --ignore TL01` keeps TL others;
`--ignore TL --select TL01` keeps TL01), and at equal specificity ignore wins. A selector that matches no
rule is an error with the nearest codes, never a silent no-op.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from hocr_rules.errors import HocrError

ALL = "ALL"


class SelectionError(HocrError):
    """A selector that names no rule."""


@dataclass(frozen=True)
class Layer:
    """One source of selectors: a configuration file or the command line (`where` names it in errors)."""

    where: str
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, where: str, select: Sequence[str] | None = None, extend_select: Sequence[str] | None = None,
           ignore: Sequence[str] | None = None) -> "Layer":
        return cls(where, tuple(_split(select)) if select is not None else None, tuple(_split(extend_select)),
                   tuple(_split(ignore)))


@dataclass(frozen=True)
class Selection:
    layers: tuple[Layer, ...] = field(default_factory=tuple)

    @property
    def everything(self) -> bool:
        """No layer chooses anything: every rule reports (the common case, filtered at no cost)."""
        return all(layer.select is None and not layer.extend_select and not layer.ignore for layer in self.layers)

    def codes(self, known: Iterable[str]) -> frozenset[str]:
        """The codes of `known` that report, after every layer."""
        known = sorted(set(known))
        chosen = set(known)
        for layer in self.layers:
            if layer.select is not None:
                chosen = set()
            moves = [(selector, True) for selector in (layer.select or ()) + layer.extend_select]
            moves += [(selector, False) for selector in layer.ignore]
            # least specific first, so the more specific selector has the last word; ignore last among equals
            for selector, add in sorted(moves, key=lambda move: (_specificity(move[0]), move[1] is False)):
                matched = _matching(selector, known, layer.where)
                chosen = chosen | matched if add else chosen - matched
        return frozenset(chosen)


def _split(values: Sequence[str] | None) -> list[str]:
    """`--select TL01,CA` and `--select TL01 --select CA` mean the same, as in Ruff; codes are capitals."""
    return [part.strip().upper() for value in values or () for part in value.split(",") if part.strip()]


def _specificity(selector: str) -> int:
    return -1 if selector == ALL else len(selector)


def _matching(selector: str, known: list[str], where: str) -> set[str]:
    if selector == ALL:
        return set(known)
    matched = {code for code in known if code.startswith(selector)}
    if not matched:
        prefixes = sorted({code[:n] for code in known for n in (1, 2, 4)})
        close = difflib.get_close_matches(selector, prefixes, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; `hocr rules list` shows the codes"
        raise SelectionError(f"{where}: '{selector}' is no rule code or prefix of one{hint}")
    return matched
