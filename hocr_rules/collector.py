"""Python's cycle collector paused while a run builds what it keeps for the whole run (issue 11, start-up).

Importing the packages a command needs and loading the rule pack make a few hundred thousand objects (classes,
functions, validators, documents from the pack cache, expression trees, generated code) that live as long as
the process. The collections their allocation triggers find nothing to free, yet each walks every object made
so far: measured on a loaded machine, a fifth to a third of the CPU time of the pack load (53 million of its 436
million instructions under callgrind) and about a sixth of the command's imports. So both run with the
collector paused. Reference counting still frees everything as usual; only cycles wait, and the collector
resumes as it was when the block ends, also after an error.

Pausing only defers the walk: once resumed, the collector still walks those objects as they age (callgrind
counts the whole run the same). In the `hocr` program itself, which owns its process, `settled()` therefore
freezes them once the rule pack is loaded (`gc.freeze`: moved where the collector never looks again), 68
million instructions and about 15 % of the CPU time of a short check on a loaded machine. The price is that
any cycle already garbage by then is never freed: a bounded amount, once per process (the docs of
`gc.freeze` recommend the same before forking, which `--workers` does). Anywhere else (tests, a program that
calls `app` or the library in its own process), nothing is frozen.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The block runs with the cycle collector off; it is back as it was (on, or off) afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_OWNED = {"process": False}  # whether the `hocr` program owns this process (its console script ran)


def own_process() -> None:
    """The `hocr` program's entry point (cli.main.run) says the process is its own, so `settled()` may freeze."""
    _OWNED["process"] = True


def settled() -> None:
    """Start-up is over (the rule pack is loaded): in a process the program owns, what exists now lives until it
    exits, so it is frozen out of the collector's walks; once per process. Anywhere else, nothing happens."""
    if _OWNED["process"]:
        _OWNED["process"] = False
        gc.freeze()
