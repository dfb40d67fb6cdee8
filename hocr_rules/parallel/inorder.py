"""The bookkeeping both worker pools share: items read ahead up to a bound, numbered, sent as workers free up,
answered in any order and handed on in input order.

The default engine's forked pool (`hocr_rules.parallel.pool`) and the durable engine's spawned pool
(`hocr_rules.engine.durable.workers`) differ in how they start, feed and replace workers; what they must both
get right is this: read no further ahead than the bound (so memory stays flat whatever the input's size), never
lose or reorder an item, and know when everything read has been handed on.
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterator


class InOrder:
    """`read_ahead()` takes items until `ahead` are held; a worker takes its next number from `unsent`; its
    answer goes in `done[number]`; `answered()` yields (item, answer) pairs in input order as they complete.
    An item of `None` ends the input, as `next(items, None)` does."""

    def __init__(self, items: Iterator[Any], ahead: int):
        self.items, self.ahead = items, ahead
        self.held: dict[int, Any] = {}      # items read and not yet handed on, by number
        self.unsent: deque[int] = deque()   # numbers of held items no worker has been given
        self.done: dict[int, Any] = {}      # answers not yet handed on, by number
        self.read = self.following = 0
        self.exhausted = False

    def read_ahead(self) -> None:
        while not self.exhausted and len(self.held) < self.ahead:
            item = next(self.items, None)
            if item is None:
                self.exhausted = True
            else:
                self.held[self.read] = item
                self.unsent.append(self.read)
                self.read += 1

    def answered(self) -> Iterator[tuple[Any, Any]]:
        while self.following in self.done:
            yield self.held.pop(self.following), self.done.pop(self.following)
            self.following += 1

    @property
    def finished(self) -> bool:
        """Everything read has been handed on, and there is nothing more to read."""
        return self.exhausted and not self.held
