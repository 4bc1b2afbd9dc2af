"""Slowing down code guessing: each client's wrong codes make it wait longer, and many from everywhere slow all checks."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

FREE_TRIES = 5  # wrong codes a client may type before it has to wait
FIRST_WAIT = 1.0  # seconds after the first wrong code beyond the free ones; doubled for each further one
LONGEST_WAIT = 300.0
FORGET_AFTER = 3600.0  # a client without wrong codes for this long starts afresh
CLIENTS = 10_000  # clients remembered at most (the oldest are forgotten first)
OVERALL_FREE = 30  # wrong codes from all clients within OVERALL_WINDOW before every check is spaced
OVERALL_WINDOW = 60.0
OVERALL_GAP = 1.0  # seconds between two checks while that many come in


class Throttle:
    """Whether a code may be checked now, and for how long a client (or everyone) must wait otherwise."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: OrderedDict[str, tuple[int, float, float]] = OrderedDict()  # failures, may try at, last
        self._recent: deque[float] = deque()
        self._next_overall = 0.0
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds before this client's code may be checked (0: now; the check is then counted)."""
        now = self._clock()
        with self._lock:
            _failures, allowed, _last = self._entry(client, now)
            while self._recent and self._recent[0] < now - OVERALL_WINDOW:
                self._recent.popleft()
            overall = len(self._recent) >= OVERALL_FREE
            waiting = max(allowed - now, self._next_overall - now if overall else 0.0, 0.0)
            if waiting == 0.0 and overall:
                self._next_overall = now + OVERALL_GAP
            return waiting

    def failed(self, client: str) -> tuple[int, float]:
        """Count a wrong code: the client's failures so far and how long it must now wait."""
        now = self._clock()
        with self._lock:
            failures, _allowed, _last = self._entry(client, now)
            failures += 1
            delay = 0.0 if failures <= FREE_TRIES else min(FIRST_WAIT * 2 ** (failures - FREE_TRIES - 1), LONGEST_WAIT)
            self._clients[client] = (failures, now + delay, now)
            self._clients.move_to_end(client)
            while len(self._clients) > CLIENTS:
                self._clients.popitem(last=False)
            self._recent.append(now)
            return failures, delay

    def succeeded(self, client: str) -> None:
        """A right code: the client starts afresh."""
        with self._lock:
            self._clients.pop(client, None)

    def _entry(self, client: str, now: float) -> tuple[int, float, float]:
        entry = self._clients.get(client)
        if entry is None or now - entry[2] > FORGET_AFTER:
            return 0, 0.0, now
        return entry
