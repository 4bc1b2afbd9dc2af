"""The six measures of issue 22 on real reports (../shared/real-prose and the seeds), read at run time: the importer
and the prose checks must keep meeting their targets (skipped when ../shared is absent)."""

from __future__ import annotations

import pytest
from prose_measures import SHARED_CORPUS, TARGETS, measure, seed_reports, shared_reports, summary

from annual_report.core.schema import load_schema


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    if not SHARED_CORPUS.is_file():
        pytest.skip(f"{SHARED_CORPUS} is not here")
    folder = tmp_path_factory.mktemp("real-prose")
    results = [measure(report, load_schema(), folder) for report in shared_reports(SHARED_CORPUS) + seed_reports()]
    return summary("shared real-prose + seeds", results), results


def test_headings_figures_and_checks_meet_their_targets(measures):
    found, results = measures
    failures = [f"{r.id}: {note}" for r in results for note in r.notes if not note.startswith("unnumbered heading")]
    assert found["refused"] == 0, failures
    assert found["headings"] >= TARGETS["headings"], failures
    assert found["precision"] >= TARGETS["precision"], failures
    assert found["recall"] >= TARGETS["recall"], failures
    assert found["raised"] >= TARGETS["raised"], failures
    assert found["alarms"] <= TARGETS["alarms"], failures
    assert found["trap_warnings"] == 0 and found["stale_missed"] == 0, failures


def test_the_report_year_is_read_from_every_report(measures):
    _, results = measures
    years = {r.id: r.year_read for r in results}
    expected = {r.id: r.year for r in shared_reports(SHARED_CORPUS) + seed_reports()}
    assert years == expected
