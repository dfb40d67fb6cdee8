"""Commands imported when first named: `hocr check` does not pay for importing `audit`, `explain` or `mapping`.

typer builds a command from its function's signature, so a command's module must be imported before its
options or help can be shown. `LazyGroup` holds each command as "module:attribute" and imports it only when
the command line names it (or when the group's help lists every command with its summary). Click's and typer's
own lookups all go through `Group.commands`, a mapping here, so nothing else changes: the order of the help,
the suggestions for a mistyped name (they read only the names), and commands registered the ordinary way.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import typer
import typer.core

from hocr_rules import collector


class _Commands(MutableMapping):
    """name -> click command, built from "module:attribute" (a command function or a Typer app) on first use."""

    def __init__(self, built: dict, lazy: dict[str, str]):
        self._built = dict(built)
        self._lazy = {name: target for name, target in lazy.items() if name not in built}
        self._order = list(built) + list(self._lazy)

    def __getitem__(self, name: str):
        if name not in self._built:
            self._built[name] = _command(name, self._lazy[name])  # KeyError for an unknown name, as a dict
        return self._built[name]

    def __setitem__(self, name: str, command) -> None:
        self._built[name] = command
        if name not in self._order:
            self._order.append(name)

    def __delitem__(self, name: str) -> None:
        self._built.pop(name, None)
        self._lazy.pop(name, None)
        self._order.remove(name)

    def __contains__(self, name) -> bool:
        return name in self._built or name in self._lazy

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)


def _command(name: str, target: str):
    module, attribute = target.split(":")
    with collector.paused():  # most of a run's imports happen here (hocr_rules/collector.py)
        found = getattr(importlib.import_module(module), attribute)
    if isinstance(found, typer.Typer):
        command = typer.main.get_group(found)
    else:
        single = typer.Typer(add_completion=False)  # as the commands of `hocr`: no completion options
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


def group(lazy: dict[str, str]) -> type[typer.core.TyperGroup]:
    """A group class for `typer.Typer(cls=...)` whose commands `lazy` names, in the order of its help."""

    class LazyGroup(typer.core.TyperGroup):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.commands = _Commands(self.commands, lazy)

    return LazyGroup
