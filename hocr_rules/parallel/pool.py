"""Forked worker processes: blocks out, answers back in input order, a bounded number in flight.

Workers are forked (`fork`), not spawned: they inherit the parent's loaded rule pack, engine, reporting and
intake, so a worker starts in milliseconds instead of re-importing and re-compiling the pack (about 0.7 s), and
only blocks and answers cross the pipes. The default engine is pure Python, so forking is safe (durable-rules'
C state is why its own workers are spawned, `hocr_rules.engine.durable.workers`).

Neither `multiprocessing.Pool` nor `concurrent.futures` fits: both read their whole input ahead (memory grows
with the file) and a worker killed by the system leaves them hanging or breaks every pending task without
saying which block was lost. Here at most `3 * workers` blocks are held, and a worker that dies has its block
answered by `lost(block, why)` (reported, never dropped) and is replaced.

Fault injection, to show a real kill loses nothing: a worker that is about to judge an incident whose id is in
the environment variable HOCR_FAULT_KILL_WORKER_ON (comma-separated) kills itself with SIGKILL, as the durable
engine's workers do.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections import deque
from typing import Any, Callable, Iterator

from hocr_rules.parallel.inorder import InOrder

FAULT_KILL = "HOCR_FAULT_KILL_WORKER_ON"


def can_fork() -> bool:
    import multiprocessing  # here and in Pool, not above: a run of one process never loads it (start-up, issue 11)
    return "fork" in multiprocessing.get_all_start_methods()


def _serve(connection, work: Callable[[Any], Any], parents_end) -> None:  # pragma: no cover - in the worker
    """A worker: answer blocks until told to stop. It ends with os._exit, so it never flushes or closes what it
    inherited from the parent (the report being written, the parent's buffered standard output). It closes its
    copy of the parent's end of the pipe first: else, the parent killed, it would wait for a block forever."""
    parents_end.close()
    code = 0
    try:
        while (block := connection.recv()) is not None:
            try:
                answer = ("ok", work(block))
            except BaseException as error:  # noqa: BLE001 - the parent raises it, as one process would
                answer = ("error", _portable(error))
            connection.send(answer)
    except (EOFError, OSError, KeyboardInterrupt):
        code = 1
    finally:
        os._exit(code)


def _portable(error: BaseException) -> BaseException:
    """The exception itself if it can cross the pipe, else a RuntimeError carrying its traceback."""
    import pickle
    try:
        pickle.dumps(error)
        return error
    except Exception:  # noqa: BLE001
        return RuntimeError("a worker process failed:\n" + "".join(traceback.format_exception(error)))


def killed_on() -> frozenset[str]:
    return frozenset(filter(None, os.environ.get(FAULT_KILL, "").split(",")))


def kill_if_asked(incident: str, ids: frozenset[str]) -> None:  # pragma: no cover - kills the worker
    if incident in ids:
        os.kill(os.getpid(), signal.SIGKILL)


class _Worker:
    def __init__(self, context, work: Callable[[Any], Any]):
        sys.stdout.flush()   # a forked child holds a copy of anything still buffered
        sys.stderr.flush()
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, work, self.connection), daemon=True)
        self.process.start()
        child.close()
        self.numbers: deque[int] = deque()   # the blocks sent to it and not answered, the first being worked on


class Pool:
    """`map(blocks)` answers each block with `work(block)` in a worker, in order; a block whose worker died is
    answered with `lost(block, why)`, and the blocks queued behind it go to its replacement. Each worker has
    `QUEUED` blocks sent ahead, so that it starts the next one without waiting for the parent to be scheduled."""

    QUEUED = 2

    def __init__(self, work: Callable[[Any], Any], workers: int, lost: Callable[[Any, str], Any]):
        import multiprocessing
        self.work, self.lost = work, lost
        self.context = multiprocessing.get_context("fork")
        self.workers = [_Worker(self.context, work) for _ in range(workers)]

    def map(self, blocks: Iterator[Any]) -> Iterator[Any]:
        order = InOrder(blocks, (self.QUEUED + 1) * len(self.workers))
        while True:
            order.read_ahead()
            for worker in self.workers:
                while order.unsent and len(worker.numbers) < self.QUEUED:
                    worker.numbers.append(order.unsent.popleft())
                    worker.connection.send(order.held[worker.numbers[-1]])
            for _, answer in order.answered():
                yield answer
            if order.finished:
                return
            if any(worker.numbers for worker in self.workers):
                self._collect(order)
            # else every block read has been answered and yielded (the one the output waited for came last):
            # read on. Waiting here would wait on no worker, for ever.

    def _collect(self, order: InOrder) -> None:
        from multiprocessing.connection import wait
        busy = [w for w in self.workers if w.numbers]
        watched = {w.connection: w for w in busy} | {w.process.sentinel: w for w in busy}
        for ready in wait(list(watched)):
            worker = watched[ready]
            if not worker.numbers:
                continue   # replaced through its other handle in this round
            try:
                message = worker.connection.recv() if worker.connection.poll() else None
            except (EOFError, OSError):
                message = None
            if message is not None:
                status, answer = message
                if status == "error":
                    raise answer
                order.done[worker.numbers.popleft()] = answer
            elif not worker.process.is_alive() or ready is worker.process.sentinel:
                worker.process.join(timeout=5)
                code = worker.process.exitcode
                why = f"was killed (signal {-code})" if code is not None and code < 0 else f"stopped (exit code {code})"
                number = worker.numbers.popleft()
                order.done[number] = self.lost(order.held[number], why)
                order.unsent.extendleft(reversed(worker.numbers))
                worker.numbers.clear()
                worker.connection.close()
                self.workers[self.workers.index(worker)] = _Worker(self.context, self.work)

    def close(self) -> None:
        stop(self.workers)


def stop(workers) -> None:
    """Tell each worker to stop (a `None` down its pipe), wait for it, and terminate one that does not stop.
    Any worker with a `connection` and a `process` (the durable engine's workers too)."""
    for worker in workers:
        try:
            worker.connection.send(None)
        except (OSError, ValueError):
            pass
    for worker in workers:
        worker.process.join(timeout=5)
        if worker.process.is_alive():
            worker.process.terminate()
            worker.process.join(timeout=5)
        worker.connection.close()
