"""The importer and the prose checks on real reports labelled by hand: python bench/prose.py [--corpus FILE]… [-v]

Measured over ../shared/real-prose/corpus.json and the two seeds (tests/fixtures/seeds: structure.json for the
headings, labels.json for the figures), each report typed as a plain .docx, one paragraph per line:
1. headings imported with the right level and title (an imported heading nobody labelled counts as wrong);
2. reports refused by template --from-docx;
3. recall: the figures the text states for its year (no shorter period) that the import takes into 上年;
4. precision: the figures taken that are right (a number labelled `could_be` counts neither way);
5. a figure of 主要数据 raised by 17 %: reported as a contradiction (by figure, and reports where every one was;
   an approximate figure is not raised: "3万余" agrees with a figure 17 % higher);
6. false alarms: stale-year and text-contradicts-figure warnings where the text and the figures agree;
and warnings on traps: phrases that look like a figure or an old year but are not one, each checked with a
主要数据 that disagrees with the trap's number.  --corpus adds a corpus in the same format, measured apart.
Without ../shared only the seeds are measured.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from prose_measures import SHARED_CORPUS, TARGETS, Report, measure, seed_reports, shared_reports, summary  # noqa: E402

from annual_report.core.schema import load_schema  # noqa: E402


def printed(measures: dict) -> str:
    """The measures as lines, each with its target."""

    def mark(ok: bool) -> str:
        return "ok " if ok else "LOW"

    counts = measures["counts"]
    return "\n".join(
        [
            f"{measures['corpus']}: {measures['reports']} reports",
            f"  {mark(measures['headings'] >= TARGETS['headings'])} headings right      {measures['headings']:6.1%}"
            f"  ({counts['headings']}; target ≥ {TARGETS['headings']:.0%})",
            f"  {mark(measures['refused'] == 0)} refused             {measures['refused']:6d}  (target 0)",
            f"  {mark(measures['recall'] >= TARGETS['recall'])} figures recall      {measures['recall']:6.1%}"
            f"  ({counts['recall']}; target ≥ {TARGETS['recall']:.0%})",
            f"  {mark(measures['precision'] >= TARGETS['precision'])} figures precision   {measures['precision']:6.1%}"
            f"  ({counts['precision']}; target ≥ {TARGETS['precision']:.0%})",
            f"  {mark(measures['raised'] >= TARGETS['raised'])} +17 % reported      {measures['raised']:6.1%}"
            f"  ({counts['raised']}; target ≥ {TARGETS['raised']:.0%} of reports)",
            f"  {mark(measures['alarms'] <= TARGETS['alarms'])} false alarms / 10   {measures['alarms']:6.1f}"
            f"  ({counts['alarms']} warnings; target ≤ {TARGETS['alarms']:g})",
            f"  {mark(measures['trap_warnings'] == 0)} warnings on traps   {measures['trap_warnings']:6d}"
            f"  (of {measures['traps']} traps; target 0)",
            f"  {mark(measures['stale_missed'] == 0)} old years missed    {measures['stale_missed']:6d}  (target 0)",
        ]
    )


def run(corpora: list[tuple[str, list[Report]]], verbose: bool = False) -> list[dict]:
    """Measure every corpus and print the measures (and with verbose every failure); each report is measured once."""
    schema = load_schema()
    found, measured = [], {}
    with tempfile.TemporaryDirectory() as folder:
        for name, reports in corpora:
            for report in reports:
                if id(report) not in measured:
                    measured[id(report)] = measure(report, schema, Path(folder))
                    if verbose:
                        _print_notes(measured[id(report)])
            measures = summary(name, [measured[id(report)] for report in reports])
            print(printed(measures))
            found.append(measures)
    return found


def _print_notes(result) -> None:
    print(f"-- {result.id} (year read {result.year_read})" + (f" REFUSED: {result.refused}" if result.refused else ""))
    for note in result.notes:
        print(f"   {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[], help="another corpus file, measured apart")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every failure")
    parser.add_argument("--json", type=Path, help="write the measures to this file")
    args = parser.parse_args()
    corpora = []
    if SHARED_CORPUS.is_file():
        shared, seeds = shared_reports(SHARED_CORPUS), seed_reports()
        corpora += [("shared real-prose", shared), ("seeds", seeds), ("shared real-prose + seeds", shared + seeds)]
    else:
        print(f"({SHARED_CORPUS} not found: the seeds only)")
        corpora.append(("seeds", seed_reports()))
    corpora += [(str(path), shared_reports(path)) for path in args.corpus]
    measures = run(corpora, args.verbose)
    if args.json:
        args.json.write_text(json.dumps(measures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
