"""Tasks for the worker pool's tests: importable by name, as the pool's worker processes need them."""

from __future__ import annotations

import os
import time


class Prepared:
    """A worker's state: the moment it was made (once per worker), and whether it can go on."""

    def __init__(self) -> None:
        self.made = time.monotonic()
        self.healthy = True
        self.group = None

    def close(self) -> None:
        pass


def prepare() -> Prepared:
    return Prepared()


def work(state, kind: str, value=None):
    """What each test task does in its worker."""
    if kind == "double":
        return os.getpid(), value * 2
    if kind == "sleep":
        time.sleep(value)
        return os.getpid()
    if kind == "die":
        os._exit(3)
    if kind == "raise":
        raise ValueError("boom")
    if kind == "unhealthy":
        state.healthy = False
        return os.getpid()
    if kind == "state":
        return os.getpid(), state.made
    raise AssertionError(kind)


def office_group(state) -> int | None:
    """The process group of the LibreOffice a web worker keeps (web.work.Warm), None without one."""
    return state.group
