"""Worker processes for `DurableEngine.evaluate_many`: batches out, answers back in input order.

Durable runs in worker processes (started with `spawn`, so a script calling it needs the usual
`if __name__ == "__main__":` guard), because some rule shapes crash durable's C code: the batch of a worker that
crashes, or takes longer than `batch_timeout`, is evaluated by the default engine instead, a note says so
(`notes`), and the run completes. Each worker rebuilds the pack from its folders and profile and checks it has
the same translation (a fingerprint), so workers can never judge by other rules than the parent's.

Fault injection, to show a real kill loses nothing: a worker (only a worker, never the parent) that finds the
incident id it is given in the environment variable HOCR_FAULT_KILL_WORKER_ON (comma-separated) kills itself
with SIGKILL before judging it.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import time
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from hocr_rules.errors import EngineUnavailable
from hocr_rules.intake import Accepted
from hocr_rules.model.incident import Incident
from hocr_rules.parallel.inorder import InOrder
from hocr_rules.parallel.pool import kill_if_asked, killed_on, stop
from hocr_rules.rulebook.pack import RulePack

if TYPE_CHECKING:
    from hocr_rules.engine.durable.engine import DurableEngine

def incident_of(item: Any) -> Incident | None:
    item = item.incident if isinstance(item, Accepted) else item
    return item if isinstance(item, Incident) else None


def in_batches(items: Iterable[Any], size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _work(connection, folders, profile, offences, fingerprint, verify, crash_on, hang_on) -> None:  # pragma: no cover
    """A worker process: rebuild the same pack, then judge batches until told to stop."""
    killed = killed_on()
    from hocr_rules.engine.durable.engine import DurableEngine  # the engine imports this module
    engine = DurableEngine(RulePack.load(folders, profile), offences, folders=folders, workers=0, verify=verify)
    if engine.fingerprint != fingerprint:
        connection.send(("error", "the rule files changed while the audit started; run it again"))
        return
    connection.send(("ready", None))
    while (batch := connection.recv()) is not None:
        answers = []
        for incident in batch:
            if incident is None:
                answers.append(None)
                continue
            if incident.id in crash_on:
                os.kill(os.getpid(), signal.SIGSEGV)
            kill_if_asked(incident.id, killed)
            if incident.id in hang_on:
                time.sleep(3600)
            try:
                answers.append(("ok", engine.run(incident)))
            except Exception as error:  # noqa: BLE001 - the parent re-runs it on the default engine
                answers.append(("failed", f"{type(error).__name__}: {error}"))
        connection.send(answers)


class _Worker:
    def __init__(self, engine: DurableEngine, context):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_work, daemon=True, args=(
            child, engine.folders, engine.pack.profile, engine.offences, engine.fingerprint, engine.verify,
            engine.simulate_crash_on, engine.simulate_hang_on))
        self.process.start()
        child.close()
        self.ready, self.number, self.since = False, None, 0.0   # the batch it is working on, since when


class Pool:
    """Batches out to workers, answers back in input order. A worker that dies is replaced; its batch is
    answered with `None`s, which the default engine takes."""

    def __init__(self, engine: DurableEngine):
        self.engine, self.context = engine, multiprocessing.get_context("spawn")
        self.workers = [_Worker(engine, self.context) for _ in range(engine.workers)]

    def run(self, batches: Iterator[list]) -> Iterator[tuple[list, list]]:
        order = InOrder(batches, 2 * len(self.workers))
        while True:
            order.read_ahead()
            for worker in self.workers:
                if worker.ready and worker.number is None and order.unsent:
                    worker.number, worker.since = order.unsent.popleft(), time.monotonic()
                    worker.connection.send([incident_of(item) for item in order.held[worker.number]])
            yield from order.answered()
            if order.finished:
                return
            if order.held:
                self._collect(order)
            # else every batch read has been answered and yielded: read on rather than wait a second for nothing

    def _collect(self, order: InOrder) -> None:
        watched = {w.connection: w for w in self.workers} | {w.process.sentinel: w for w in self.workers}
        for worker in list(self.workers):
            if worker.number is not None and time.monotonic() - worker.since > self.engine.batch_timeout:
                worker.process.kill()   # stuck in durable's C code: its batch goes to the default engine
                worker.process.join(timeout=5)
                self._replace(worker, order, f"took longer than {self.engine.batch_timeout:.0f} s")
                return
        for ready in wait(list(watched), timeout=1.0):
            worker = watched[ready]
            if worker not in self.workers:
                continue  # replaced earlier in this round
            try:
                message = worker.connection.recv() if worker.connection.poll() else None
            except (EOFError, OSError):
                message = None
            if isinstance(message, tuple):
                if message[0] == "error":
                    raise EngineUnavailable(f"a durable-rules worker could not start: {message[1]}")
                worker.ready = True
            elif message is not None:
                order.done[worker.number], worker.number = message, None
            elif not worker.process.is_alive() or ready is worker.process.sentinel:
                worker.process.join(timeout=5)
                code = worker.process.exitcode
                self._replace(worker, order, "crashed (" + (f"signal {-code}" if code is not None and code < 0
                                                                 else f"exit code {code}") + ")")

    def _replace(self, dead: _Worker, order: InOrder, what: str) -> None:
        if not dead.ready:
            raise EngineUnavailable(f"a durable-rules worker {what} while starting")
        if dead.number is not None:
            batch = order.held[dead.number]
            order.done[dead.number] = [None] * len(batch)
            count = sum(incident_of(item) is not None for item in batch)
            self.engine.notes.append(f"a durable-rules worker {what}; the {count} incidents of its batch "
                                     "were evaluated by the default engine")
        dead.connection.close()
        self.workers[self.workers.index(dead)] = _Worker(self.engine, self.context)

    def close(self) -> None:
        stop(self.workers)
