"""Run one function over many tasks in worker processes, each task isolated from the others.

A worker handles one task at a time and is reused for the next. A worker that dies (a crash in a
reader, the memory limit) or passes the time limit (core.limits.FILE_SECONDS) is stopped and
replaced; only its task fails, with a reason the caller turns into a Chinese message.

A task may ask the parent process for something it keeps for all workers (the batch's LibreOffice pool):
ask_parent(*request) in the worker returns serve(*request), run in a thread of the parent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from annual_report.core import limits
from annual_report.core.errors import ReportError

if sys.platform != "win32":  # the memory limit of a worker: POSIX only
    import resource

DIED, TIMED_OUT = "died", "timed-out"
MAX_WORKERS = 61  # Windows waits on at most 63 handles at once


def run_isolated(
    work: Callable,
    tasks: list[tuple],
    jobs: int,
    failed: Callable[[tuple, str], object],
    done: Callable[[object], None] | None = None,
    serve: Callable | None = None,
) -> list:
    """work(*task) for every task in worker processes; failed(task, DIED or TIMED_OUT) stands in for a lost one.

    serve: what ask_parent calls in this process, for any number of workers at once.
    """
    results: list = [None] * len(tasks)
    pending = list(reversed(range(len(tasks))))
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    workers: list[_Worker] = []
    size = max(1, min(jobs, len(tasks), MAX_WORKERS))
    requests = _Requests(context, serve, size) if serve else None
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
            waited = [w.connection for w in workers] + [w.process.sentinel for w in workers]
            wait(waited + ([requests.woken] if requests else []), max(0, soonest - _now()))
            if requests:
                requests.answer(workers)
            for worker in list(workers):
                index, outcome = worker.index, worker.collect()
                if outcome is _Worker.BUSY:
                    continue
                if isinstance(outcome, _Request):
                    requests.submit(worker, outcome)
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
        if requests:
            requests.close()
    return results


@dataclass(frozen=True)
class _Request:
    """A worker's ask_parent call, on its way to the parent."""

    arguments: tuple


@dataclass(frozen=True)
class _Answer:
    """The parent's answer to a _Request: what serve returned, or the ReportError it raised."""

    value: object = None
    error: ReportError | None = None


_to_parent: Connection | None = None  # in a worker: its connection to the parent


def ask_parent(*arguments):
    """In a worker: what the parent's serve(*arguments) returns (see run_isolated); its ReportError is raised here."""
    _to_parent.send(_Request(arguments))
    answer = _to_parent.recv()
    if answer.error is not None:
        raise answer.error
    return answer.value


class _Requests:
    """The parent's side of ask_parent: each request runs in a thread; its answer goes back from the main loop."""

    def __init__(self, context, serve: Callable, threads: int) -> None:
        self._serve = serve
        self._threads = ThreadPoolExecutor(threads, thread_name_prefix="annual-report-serve")
        self._done: queue.SimpleQueue = queue.SimpleQueue()
        self.woken, self._wake = context.Pipe(duplex=False)  # wakes the main loop when an answer is ready

    def submit(self, worker: _Worker, request: _Request) -> None:
        future = self._threads.submit(self._serve, *request.arguments)
        future.add_done_callback(lambda future: self._finished(worker, future))

    def _finished(self, worker: _Worker, future: Future) -> None:
        self._done.put((worker, future))
        with contextlib.suppress(OSError):  # closed: the run is over
            self._wake.send_bytes(b"")

    def answer(self, workers: list[_Worker]) -> None:
        """Send every ready answer to its worker, if that worker still runs."""
        while self.woken.poll():
            self.woken.recv_bytes()
        while True:
            try:
                worker, future = self._done.get_nowait()
            except queue.Empty:
                return
            if worker in workers:
                with contextlib.suppress(OSError):
                    worker.connection.send(_answer_of(future))

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        self.woken.close()
        self._wake.close()


def _answer_of(future: Future) -> _Answer:
    error = future.exception()
    if error is None:
        return _Answer(future.result())
    if isinstance(error, ReportError):
        return _Answer(error=error)
    return _Answer(error=ReportError(f"{type(error).__name__}: {error}"))  # a defect: the task fails, not the batch


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
        """The task's result, a _Request, DIED, TIMED_OUT, or BUSY while it works; frees the worker when done."""
        if self.connection.poll():
            try:
                outcome = self.connection.recv()
            except (EOFError, OSError):
                outcome = DIED
            if outcome is not DIED and not isinstance(outcome, _Request):
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
    global _to_parent
    _to_parent = connection
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
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as statm:  # a forked worker starts with its parent's address space
            in_use = int(statm.read().split()[0]) * resource.getpagesize()
        wanted = max(limits.WORKER_MEMORY_BYTES, in_use + limits.WORKER_MEMORY_BYTES // 3)
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
