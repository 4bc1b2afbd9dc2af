"""Run one function over many tasks in worker processes, each task isolated from the others.

A worker handles one task at a time and is reused for the next. A worker that dies (a crash in a
reader, the memory limit) or passes the time limit (core.limits.FILE_SECONDS) is stopped and
replaced; only its task fails, with a reason the caller turns into a Chinese message.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing.connection import wait

from annual_report.core import limits

DIED, TIMED_OUT = "died", "timed-out"
MAX_WORKERS = 61  # Windows waits on at most 63 handles at once


def run_isolated(
    work: Callable,
    tasks: list[tuple],
    jobs: int,
    failed: Callable[[tuple, str], object],
    done: Callable[[object], None] | None = None,
) -> list:
    """work(*task) for every task in worker processes; failed(task, DIED or TIMED_OUT) stands in for a lost one."""
    results: list = [None] * len(tasks)
    pending = list(reversed(range(len(tasks))))
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    workers: list[_Worker] = []
    size = max(1, min(jobs, len(tasks), MAX_WORKERS))
    try:
        while pending or workers:
            for worker in workers:
                if worker.index is None and pending:
                    worker.give(pending.pop(), tasks)
            while len(workers) < size and pending:
                worker = _Worker(context, work)
                worker.give(pending.pop(), tasks)
                workers.append(worker)
            for worker in [w for w in workers if w.index is None]:
                worker.close()
                workers.remove(worker)
            if not workers:
                break
            soonest = min(worker.deadline for worker in workers)
            wait([w.connection for w in workers] + [w.process.sentinel for w in workers], max(0, soonest - _now()))
            for worker in list(workers):
                index, outcome = worker.index, worker.collect()
                if outcome is _Worker.BUSY:
                    continue
                if outcome in (DIED, TIMED_OUT):
                    workers.remove(worker)
                    worker.kill()
                    outcome = failed(tasks[index], outcome)
                results[index] = outcome
                if done:
                    done(outcome)
    finally:
        for worker in workers:
            worker.kill()
    return results


def _now() -> float:
    return time.monotonic()


class _Worker:
    """One worker process and the task it has, if any."""

    BUSY = object()

    def __init__(self, context, work: Callable):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, work), daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.deadline = 0.0

    def give(self, index: int, tasks: list[tuple]) -> None:
        self.index = index
        self.deadline = _now() + limits.FILE_SECONDS
        self.connection.send(tasks[index])

    def collect(self):
        """The task's result, DIED, TIMED_OUT, or BUSY while it is still working; frees the worker when done."""
        if self.connection.poll():
            try:
                outcome = self.connection.recv()
            except (EOFError, OSError):
                outcome = DIED
            if outcome is not DIED:
                self.index = None
            return outcome
        if not self.process.is_alive():
            return DIED
        if _now() >= self.deadline:
            return TIMED_OUT
        return self.BUSY

    def close(self) -> None:
        """Let an idle worker end on its own, or stop it."""
        with contextlib.suppress(OSError):
            self.connection.send(None)
        self.process.join(5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection, work: Callable) -> None:
    """A worker's life: run each task it is given until told to stop (None) or its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle: it stops the workers
    limit_memory()
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        connection.send(work(*task))


def limit_memory() -> None:
    """Cap the worker's address space (Linux): a workbook that needs more fails alone, not the machine."""
    if not sys.platform.startswith("linux"):
        return
    import resource

    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as statm:  # a forked worker starts with its parent's address space
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
        wanted = max(limits.WORKER_MEMORY_BYTES, in_use + limits.WORKER_MEMORY_BYTES // 3)
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
