"""Facts that are one attribute of the input: where each lives, as source the rule programs inline.

Most facts are plain attributes: a disclosure's `reported_by`, its offence's `families`, a crime record's
cancellation `code`. Reading each through a Python reader costs more than the rules that use it, so such a fact
says only where it lives (`Attribute`). The rule programs (hocr_rules.engine.program) read it inline, and its
own reader, for everything else, is generated from the same source, so the two cannot disagree.

The source is built from our own vocabulary (attribute names are checked identifiers), never from a rule file.
"""

from __future__ import annotations

import typing
import functools
from dataclasses import dataclass
from typing import Any, Callable

from hocr_rules.model.incident import Disclosure, Incident
from hocr_rules.offences import Offence
from hocr_rules.rulebook import cache

#: Where an attribute lives, as source over the view `v` and the subject's record `r`, and whether that owner
#: may be absent (a live crime record has no cancellation): every fact of an absent owner is absent.
OWNERS: dict[str, tuple[str, bool]] = {
    "record": ("r", False),
    "incident": ("v.incident", False),
    "offence": ("v.offence(r.offence)", False),       # as looked up in the offence table
    "cancellation": ("r.cancellation", True),
    "outcome": ("r.outcome", True),                 # a crime record's outcome, absent while it is open
    "disclosure": ("v.disclosures[r.disclosure]", False),  # an N100's disclosure
}

#: The type of each owner that is always there; a subject's own record is of its subject's model.
_OWNER_TYPES: dict[str, type] = {"incident": Incident, "offence": Offence, "disclosure": Disclosure}


@dataclass(frozen=True, slots=True)
class Attribute:
    """A fact read straight off one attribute of its owner; a time is converted to epoch seconds."""

    owner: str
    name: str
    time: bool = False

    def __post_init__(self) -> None:
        if self.owner not in OWNERS or not self.name.isidentifier() or self.name.startswith("_"):
            raise ValueError(f"not an attribute fact: {self.owner}.{self.name}")

    def always_present(self, record_type: type) -> bool:
        """Whether the fact can never be absent: its owner is always there and the validated model requires
        the attribute (its type does not admit None). Rule programs then skip the test for unknown."""
        if OWNERS[self.owner][1]:
            return False
        annotation = _type_hints(_OWNER_TYPES.get(self.owner, record_type))[self.name]
        return annotation is not type(None) and type(None) not in typing.get_args(annotation)

    def source(self, owner: str) -> str:
        """Python source reading this attribute, given source for its owner that is cheap to repeat."""
        value = f"{owner}.{self.name}"
        if self.time:
            value = f"(None if (_time := {value}) is None else _time.timestamp())"
        return f"(None if {owner} is None else {value})" if OWNERS[self.owner][1] else value


def readers(attributes: list[Attribute]) -> list[Callable[[Any, Any], Any]]:
    """A `(view, record) -> value` reader of each attribute, generated as one module: one compiled-pack cache
    entry and one `exec` for the hundred or so attribute facts the vocabulary defines at import, not one of each
    per fact (a few ms of every run's start-up, issue 11)."""
    namespace: dict[str, Any] = {"__builtins__": {}}
    source = "\n".join(f"def read_{n}(v, r):\n  _owner = {OWNERS[a.owner][0]}\n  return {a.source('_owner')}"
                       for n, a in enumerate(attributes))
    exec(cache.compiled(source, "<attribute facts>"), namespace)  # noqa: S102 - see module docstring
    return [namespace[f"read_{n}"] for n in range(len(attributes))]


@functools.cache
def _type_hints(owner_type: type) -> dict[str, Any]:
    """The resolved annotations of a model, once per model: resolving them evaluates every annotation's text,
    and the vocabulary asks for about ninety facts of a handful of models at import."""
    return typing.get_type_hints(owner_type)
