"""The server's pool of worker processes: each task isolated, workers kept warm and replaced when needed."""

from __future__ import annotations

import time

import pytest
from pool_tasks import prepare, work

from annual_report.pipeline.pool import FAILED, Lost, Pool
from annual_report.pipeline.workers import DIED, TIMED_OUT


@pytest.fixture
def pool():
    made = Pool(work, 2, setup=prepare, recycle_after=3, seconds=1.5)
    yield made
    made.close()


def test_tasks_run_in_other_processes_and_give_their_results_in_order(pool):
    results = [future.result(timeout=30) for future in pool.map([("double", n) for n in range(8)])]
    assert [value for _pid, value in results] == [n * 2 for n in range(8)]
    assert len({pid for pid, _value in results}) >= 2
    assert pool.waiting == 0


def test_a_task_that_kills_its_worker_or_fails_loses_only_itself(pool):
    for kind, why in (("die", DIED), ("raise", FAILED)):
        with pytest.raises(Lost) as lost:
            pool.submit((kind,)).result(timeout=30)
        assert lost.value.why == why
    assert "ValueError: boom" in (pool.submit(("raise",)).exception(timeout=30).detail)
    assert pool.submit(("double", 21)).result(timeout=30)[1] == 42


def test_a_task_over_the_time_limit_is_stopped_with_its_worker(pool):
    started = time.monotonic()
    with pytest.raises(Lost) as lost:
        pool.submit(("sleep", 60)).result(timeout=30)
    assert lost.value.why == TIMED_OUT and time.monotonic() - started < 30
    assert pool.submit(("double", 1)).result(timeout=30)[1] == 2


def test_a_worker_is_replaced_after_its_tasks_by_one_already_prepared(pool):
    results = [future.result(timeout=30) for future in pool.map([("state",) for _ in range(9)])]
    per_worker: dict[int, set] = {}
    for pid, made in results:
        per_worker.setdefault(pid, set()).add(made)
    assert all(len(times) == 1 for times in per_worker.values())  # prepared once, used for every task
    assert max(sum(1 for pid, _ in results if pid == worker) for worker in per_worker) <= 3  # recycle_after
    assert len(per_worker) >= 3


def test_a_worker_that_says_it_is_unhealthy_is_replaced(pool):
    sick = pool.submit(("unhealthy",)).result(timeout=30)
    later = {pool.submit(("double", 1)).result(timeout=30)[0] for _ in range(4)}
    assert sick not in later


def test_the_tasks_of_two_callers_take_turns(pool):
    slow = Pool(work, 1, setup=prepare, seconds=30)
    try:
        slow.submit(("sleep", 0.3))  # keeps the one worker busy while both batches are queued
        first = slow.map([("sleep", 0.01) for _ in range(6)])
        second = slow.map([("sleep", 0.01)])
        second[0].result(timeout=30)
        assert sum(future.done() for future in first) <= 2  # the second caller did not wait for all six
    finally:
        slow.close()
