"""A pool of worker processes that lives as long as a server: each task isolated, each worker kept warm.

Unlike run_isolated (one batch, then done), the pool keeps `jobs` workers ready for tasks that
arrive at any time. A worker may prepare something expensive once (setup, e.g. start LibreOffice)
and reuse it for every task; it is only given tasks once that is done. A worker is replaced after
`recycle_after` tasks (its successor is started while it does its last one, so no task waits for a
start), when it says it is no longer healthy, when it dies, or when a task passes the time limit;
only that task fails (its future raises Lost).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from multiprocessing.connection import wait

from annual_report.core import limits
from annual_report.pipeline.workers import DIED, TIMED_OUT, limit_memory

FAILED = "failed"
RECYCLE_AFTER = 200  # tasks per worker process before a fresh one takes over
_READY, _DONE = "ready", "done"


class Lost(Exception):
    """A task that gave no result: its worker died (DIED), ran out of time (TIMED_OUT) or the work raised (FAILED)."""

    def __init__(self, why: str, detail: str = ""):
        super().__init__(why, detail)
        self.why, self.detail = why, detail


class Pool:
    """work(state, *task) in `jobs` long-lived worker processes; state = setup() once per worker (None without)."""

    def __init__(
        self,
        work: Callable,
        jobs: int,
        *,
        setup: Callable[[], object] | None = None,
        recycle_after: int = RECYCLE_AFTER,
        seconds: float = limits.FILE_SECONDS,
        preload: tuple[str, ...] = (),
    ) -> None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)  # never fork a process that runs threads
        if method == "forkserver":
            self._context.set_forkserver_preload([work.__module__, *preload])
        self._work, self._setup, self._jobs = work, setup, max(1, jobs)
        self._recycle_after, self._seconds = max(1, recycle_after), seconds
        self._groups: deque[deque] = deque()  # one queue of (task, future) per submitter, served in turn
        self._workers: list[_Worker] = []
        self._lock = threading.Lock()
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._closed = False
        self._manager: threading.Thread | None = None
        self._respawn_at, self._backoff = 0.0, 0.0  # workers that die before they are ready are restarted slower

    def start(self) -> None:
        """Start the workers now (otherwise the first task starts them)."""
        with self._lock:
            if self._manager is None and not self._closed:
                self._manager = threading.Thread(target=self._manage, name="worker-pool", daemon=True)
                self._manager.start()

    def submit(self, task: tuple) -> Future:
        """A future for work(state, *task)."""
        return self.map([task])[0]

    def map(self, tasks: list[tuple]) -> list[Future]:
        """Futures for every task; the tasks of one call take turns with those of other calls."""
        futures = [Future() for _ in tasks]
        if not tasks:
            return futures
        self.start()
        with self._lock:
            if self._closed:
                raise RuntimeError("pool closed")
            self._groups.append(deque(zip(tasks, futures, strict=True)))
        self._wake()
        return futures

    @property
    def waiting(self) -> int:
        """Tasks given to the pool that have not finished (queued or being worked on)."""
        with self._lock:
            return sum(len(group) for group in self._groups) + sum(1 for w in self._workers if w.future)

    def close(self) -> None:
        """Stop every worker; tasks not finished raise Lost."""
        with self._lock:
            self._closed = True
        self._wake()
        if self._manager is not None:
            self._manager.join()
        for group in self._groups:
            for _task, future in group:
                future.set_exception(Lost(DIED, "pool closed"))
        self._groups.clear()
        self._wake_reader.close()
        self._wake_writer.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"!")

    def _manage(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._closed:
                        break
                    self._keep_enough()
                    self._give_tasks()
                    workers = list(self._workers)
                handles = [self._wake_reader, *(w.connection for w in workers), *(w.process.sentinel for w in workers)]
                deadlines = [w.deadline for w in workers if w.future]
                if self._respawn_at > time.monotonic():
                    deadlines.append(self._respawn_at)
                timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
                ready = wait(handles, timeout)
                if self._wake_reader in ready:
                    with contextlib.suppress(EOFError, OSError):
                        while self._wake_reader.poll():
                            self._wake_reader.recv_bytes()
                for worker in workers:
                    self._collect(worker)
        finally:
            for worker in self._workers:
                worker.kill(Lost(DIED, "pool closed"))
            self._workers.clear()

    def _keep_enough(self) -> None:
        active = [w for w in self._workers if not w.retiring]
        if len(active) < self._jobs and time.monotonic() >= self._respawn_at:
            for _ in range(self._jobs - len(active)):
                self._workers.append(_Worker(self._context, self._work, self._setup))

    def _give_tasks(self) -> None:
        for worker in self._workers:
            if not (worker.ready and worker.future is None and not worker.retiring):
                continue
            item = self._next_task()
            if item is None:
                return
            last = worker.given + 1 >= self._recycle_after
            worker.give(*item, self._seconds, last)
            if last:  # its successor starts now, warm by the time it is needed
                self._workers.append(_Worker(self._context, self._work, self._setup))

    def _next_task(self):
        while self._groups:
            group = self._groups.popleft()
            if not group:
                continue
            task, future = group.popleft()
            if group:
                self._groups.append(group)  # the next call's tasks come first
            if future.set_running_or_notify_cancel():
                return task, future
        return None

    def _collect(self, worker: _Worker) -> None:
        with self._lock:
            try:
                worker.receive()
            except Lost as lost:  # died or ran out of time: replaced by the next round
                self._workers.remove(worker)
                worker.kill(lost)
                if not worker.ready:  # died while it prepared (e.g. a broken installation): do not spin
                    self._backoff = min(max(2 * self._backoff, 0.5), 30.0)
                    self._respawn_at = time.monotonic() + self._backoff
                return
            if worker.ready:
                self._backoff = 0.0
            if worker.retiring and worker.future is None:
                self._workers.remove(worker)
                threading.Thread(target=worker.close, name="worker-leaves", daemon=True).start()


class _Worker:
    """One worker process, whether it is ready, and the task it works on."""

    def __init__(self, context, work: Callable, setup: Callable | None) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, work, setup), daemon=True)
        self.process.start()
        child.close()
        self.ready = False
        self.retiring = False
        self.future: Future | None = None
        self.given = 0
        self.deadline = 0.0
        self.groups: list[int] = []  # process groups it started (LibreOffice), stopped with it

    def give(self, task: tuple, future: Future, seconds: float, last: bool) -> None:
        self.future, self.given, self.retiring = future, self.given + 1, last
        self.deadline = time.monotonic() + seconds
        try:
            self.connection.send((task, last))
        except OSError:
            self.deadline = 0.0  # found dead on the next look

    def receive(self) -> None:
        """Take what the worker said; raises Lost (with the task's future settled) if it died or is out of time."""
        while self.connection.poll():
            try:
                kind, *message = self.connection.recv()
            except (EOFError, OSError):
                break
            if kind == _READY:
                self.ready, self.groups = True, message[0]
            elif kind == _DONE:
                (result, failure, groups, unhealthy), future = message, self.future
                self.future, self.groups = None, groups
                self.retiring = self.retiring or unhealthy
                if failure:
                    future.set_exception(Lost(FAILED, failure))
                else:
                    future.set_result(result)
        if not self.process.is_alive() and (self.future or not self.retiring):
            raise Lost(DIED)
        if self.future and time.monotonic() >= self.deadline:
            raise Lost(TIMED_OUT)

    def close(self) -> None:
        """Let a worker that has finished its last task end on its own, or stop it."""
        self.process.join(5)
        self.kill(None)

    def kill(self, lost: Lost | None) -> None:
        if self.future is not None and lost is not None:
            self.future.set_exception(lost)
            self.future = None
        for group in self.groups:
            with contextlib.suppress(OSError):
                os.killpg(group, signal.SIGKILL)
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _serve(connection, work: Callable, setup: Callable | None) -> None:
    """A worker's life: prepare once, then do each task it is given until its last or until its parent is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the server's to handle: it stops the workers
    limit_memory()
    state = setup() if setup else None
    try:
        connection.send((_READY, _groups(state)))
        while True:
            task, last = connection.recv()
            result, failure = None, ""
            try:
                result = work(state, *task)
            except Exception as exc:  # the work should catch its own; this one's task fails alone
                failure = f"{type(exc).__name__}: {exc}"
            unhealthy = not _healthy(state)
            connection.send((_DONE, result, failure, _groups(state), unhealthy))
            if last or unhealthy:
                break
    except (EOFError, OSError):
        pass  # the server is gone
    finally:
        _stop(state)


def _groups(state) -> list[int]:
    group = getattr(state, "group", None)
    return [group] if group else []


def _healthy(state) -> bool:
    return state is None or getattr(state, "healthy", True)


def _stop(state) -> None:
    close = getattr(state, "close", None)
    if close:
        with contextlib.suppress(Exception):
            close()
