"""Warm LibreOffice instances sharing one queue of documents: each instance lays out the next document when it is free.

A batch keeps one instance per core for its run, the web server a few between requests:

    with OfficePool(2) as pool:  # both instances start now, without waiting for them
        laid_out = pool.lay_out(docx, pdf=True)  # from any thread; see LibreOffice.lay_out

Only the first documents wait for a start. An instance that crashed (or was stopped for taking too long) is started
again at once; one that has laid out `max_documents` documents or run `max_seconds` is replaced by a new one, started
while the old one still works. An instance that does not start takes no documents; when none does, each document
gets that LayoutError, and the pool tries again after RETRY_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from annual_report.core.messages import message
from annual_report.layout.libreoffice import LaidOut, LayoutError, LibreOffice

MAX_DOCUMENTS = 200  # documents an instance lays out before it is replaced (LibreOffice's memory grows)
MAX_SECONDS = 3600  # seconds an instance serves before it is replaced
RETRY_SECONDS = 60  # after an instance failed to start, this long before another is started in its place


class _Instance:
    """One LibreOffice of the pool, with what the pool knows of it."""

    def __init__(self, office: LibreOffice) -> None:
        self.office = office
        self.documents = 0
        self.since = time.monotonic()
        self.replacing = False  # its replacement is starting
        self.retired = False  # replaced: stopped as soon as it is free


class OfficePool:
    """`size` warm LibreOffice instances laying out documents from any thread, each taking the next when it is free."""

    def __init__(
        self,
        size: int = 1,
        *,
        max_documents: int = MAX_DOCUMENTS,
        max_seconds: float = MAX_SECONDS,
        office: Callable[[], LibreOffice] = LibreOffice,
    ) -> None:
        self.size = max(1, size)
        self._make = office
        self._max_documents, self._max_seconds = max_documents, max_seconds
        self._changed = threading.Condition()
        self._idle: deque[_Instance] = deque()  # first come, first served
        self._usable: set[_Instance] = set()  # idle or busy
        self._starting: set[_Instance] = set()  # replacements not yet ready
        self._every: list[LibreOffice] = []  # every office made, for kill
        self._closing: list[threading.Thread] = []
        self._failure: tuple[LayoutError, float] | None = None  # the last failed start and when
        self._stopped = False

    def __enter__(self) -> OfficePool:
        try:
            self.start()
        except BaseException:
            self.kill()
            raise
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:  # interrupted or failed: stop every LibreOffice now
            self.kill()

    def start(self) -> None:
        """Launch every instance at once, without waiting for them; raises LayoutError if LibreOffice is missing."""
        with self._changed:
            self._fill()

    def lay_out(self, docx: bytes, *, pdf: bool = False, thumbnail: bool = False) -> LaidOut:
        """Lay the document out on the next free instance (as LibreOffice.lay_out does); raises LayoutError."""
        while True:
            instance = self._take()
            try:
                instance.office.start()  # at once when warm; otherwise waits for it to be ready
            except LayoutError as exc:
                self._drop(instance, exc)  # an instance that does not start takes no more documents
                continue
            except BaseException:
                self._give_back(instance)
                raise
            try:
                return instance.office.lay_out(docx, pdf=pdf, thumbnail=thumbnail)
            finally:
                self._give_back(instance)

    def close(self) -> None:
        """Stop every instance once its work is done (call when no document is being laid out)."""
        with self._changed:
            self._stopped = True
            usable, starting = list(self._usable), list(self._starting)
            self._idle.clear()
            self._usable.clear()
            self._changed.notify_all()
        for instance in starting:
            instance.office.kill()  # not ready yet: nothing to finish
        closing = [threading.Thread(target=instance.office.close) for instance in usable]  # all at once
        for thread in closing:
            thread.start()
        for thread in [*closing, *self._closing]:
            thread.join()

    def kill(self) -> None:
        """Stop every instance at once (the work is being interrupted); documents being laid out fail."""
        with self._changed:
            self._stopped = True
            every = list(self._every)
            self._changed.notify_all()
        for office in every:
            office.kill()

    def _fill(self) -> None:
        """Launch instances until there are `size` of them (the caller holds the lock)."""
        while len(self._usable) + len(self._starting) < self.size:
            instance = _Instance(self._new_office())
            try:
                instance.office.launch()
            except LayoutError as exc:
                self._failure = (exc, time.monotonic())
                raise
            self._usable.add(instance)
            self._idle.append(instance)
            self._changed.notify()

    def _new_office(self) -> LibreOffice:
        office = self._make()
        self._every.append(office)
        return office

    def _take(self) -> _Instance:
        """The next free instance, waiting for one; raises LayoutError when none can start or the pool is stopped."""
        with self._changed:
            while True:
                if self._stopped:
                    raise LayoutError(message("layout-interrupted"))
                if self._idle:
                    return self._idle.popleft()
                failed = self._failure is not None and time.monotonic() - self._failure[1] < RETRY_SECONDS
                if not failed and len(self._usable) + len(self._starting) < self.size:
                    self._fill()  # first use without start(), or again some time after a failed start
                    continue
                if not self._usable and not self._starting:
                    raise self._failure[0]
                self._changed.wait()

    def _drop(self, instance: _Instance, failure: LayoutError) -> None:
        with self._changed:
            self._usable.discard(instance)
            self._failure = (failure, time.monotonic())
            self._changed.notify_all()

    def _give_back(self, instance: _Instance) -> None:
        """Put an instance back after a document: started again if it stopped, replaced in the background if due."""
        with self._changed:
            instance.documents += 1
            if instance.retired and not self._stopped:  # replaced while it worked
                self._close_later(instance)
            if self._stopped or instance not in self._usable:
                return
            if not instance.office.running:  # crashed, or stopped for taking too long: start it again now
                instance.documents, instance.since = 0, time.monotonic()
                try:
                    instance.office.launch()
                except LayoutError as exc:
                    self._usable.discard(instance)
                    self._failure = (exc, time.monotonic())
                    self._changed.notify_all()
                    return
            elif not instance.replacing and self._due(instance):
                instance.replacing = True
                threading.Thread(target=self._replace, args=(instance,), daemon=True).start()
            self._idle.append(instance)
            self._changed.notify()

    def _due(self, instance: _Instance) -> bool:
        return instance.documents >= self._max_documents or time.monotonic() - instance.since >= self._max_seconds

    def _replace(self, old: _Instance) -> None:
        """Start a new instance while the old one works; then the new one takes its place and the old one stops."""
        with self._changed:
            if self._stopped:
                return
            new = _Instance(self._new_office())
            self._starting.add(new)
        try:
            new.office.start()
        except LayoutError:  # keep the old one for another round
            with self._changed:
                self._starting.discard(new)
                old.replacing, old.documents, old.since = False, 0, time.monotonic()
            return
        with self._changed:
            self._starting.discard(new)
            if self._stopped:
                new.office.kill()
                return
            new.since = time.monotonic()
            self._usable.add(new)
            self._idle.append(new)
            self._usable.discard(old)
            old.retired = True
            if old in self._idle:  # free: stop it now; a busy one is stopped when it is given back
                self._idle.remove(old)
                self._close_later(old)
            self._changed.notify()

    def _close_later(self, instance: _Instance) -> None:
        """Close a replaced instance in the background (the caller holds the lock)."""
        closing = threading.Thread(target=instance.office.close, daemon=True)
        self._closing.append(closing)
        closing.start()
