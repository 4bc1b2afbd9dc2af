"""Measures of the importer and the prose checks on real reports labelled by hand (../shared/real-prose, the
seeds and any corpus in that format): see bench/prose.py, which prints them, and tests/test_real_prose.py."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from seed_accuracy import score as seed_score
from seed_documents import NAMES as SEED_NAMES
from seed_documents import build as build_seed

from annual_report.core.errors import ReportError
from annual_report.importer.document import import_document
from annual_report.workbook.checks import check_narrative_years, check_text_against_indicators
from annual_report.workbook.model import Workbook

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "real-prose" / "corpus.json"
SEED_LABELS = ROOT / "tests" / "fixtures" / "seeds" / "labels.json"
TARGETS = {"headings": 0.95, "precision": 0.95, "recall": 0.85, "raised": 0.90, "alarms": 1.0}
RAISE = 1.17
UNLIKELY = 987654321  # a figure no trap's number agrees with
_MESSAGE = re.compile(r"正文写“(?P<quote>.*)”，数据表(?P<column>本年|上年)填的是 \S+（「(?P<label>[^」]+)」）")


@dataclass
class Report:
    """One labelled report: its lines (or the seed it is), year and labels."""

    id: str
    year: int
    lines: list[str]
    labels: dict
    seed: str = ""


@dataclass
class Result:
    """What the measures found in one report."""

    id: str
    refused: str = ""
    year_read: int | None = None
    headings_right: int = 0
    headings_total: int = 0
    required: int = 0
    found: int = 0
    taken_right: int = 0
    taken_wrong: int = 0
    raised: int = 0
    raised_caught: int = 0
    alarms: int = 0
    trap_warnings: int = 0
    traps_tried: int = 0
    stale_missed: int = 0
    notes: list[str] = field(default_factory=list)


def shared_reports(path: Path) -> list[Report]:
    """The records of a corpus file in the format of ../shared/real-prose/corpus.json."""
    records = json.loads(path.read_text(encoding="utf-8"))["records"]
    return [Report(r["id"], r["year"], r["lines"], r) for r in records]


def seed_reports() -> list[Report]:
    """The two seeds with their labels."""
    labels = json.loads(SEED_LABELS.read_text(encoding="utf-8"))["records"]
    return [Report(name, labels[name]["year"], [], labels[name], seed=name) for name in SEED_NAMES]


def measure(report: Report, schema, folder: Path) -> Result:
    """Import the report as a .docx and run the prose checks on its text with the labelled figures."""
    result = Result(report.id)
    path = folder / f"{report.id}.docx"
    if report.seed:
        build_seed(report.seed, "plain", path)
    else:
        document = Document()
        for line in report.lines:
            document.add_paragraph(line)
        document.save(path)
    rows = [{"level": "正文", "text": line} for line in report.lines if line.strip()]
    try:
        imported = import_document(path, schema=schema)
    except ReportError as exc:
        result.refused = str(exc)
        result.headings_total = len(report.labels.get("headings", []))
        _figures(report, {}, schema, result)  # every figure the text states is missed
    else:
        rows = imported.data["narrative"]
        result.year_read = imported.report.source_year
        _headings(report, rows, result)
        _figures(report, imported.data.get("indicators", {}), schema, result)
    _checks(report, rows, schema, result)
    return result


def _squash(text: str) -> str:
    return re.sub(r"[\s。．.，,；;：:、]+", "", text or "")


def _headings(report: Report, rows: list[dict], result: Result) -> None:
    if report.seed:
        score = seed_score(report.seed, rows)
        result.headings_right, result.headings_total = score.right, score.total
        result.notes += score.wrong
        return
    labelled = report.labels.get("headings", [])
    shift = min((h["level"] for h in labelled), default=1) - 1
    imported = [row for row in rows if isinstance(row.get("level"), int) or row.get("level") in ("条目", "无编号")]
    numbered = bool(labelled)
    remaining = list(imported)
    for heading in labelled:
        title = _squash(heading["title"])
        match = next((row for row in remaining if _same_title(_squash(row.get("title", "")), title)), None)
        if match is None:
            result.notes.append(f"missing heading {heading['level']} {heading['title'][:30]}")
            continue
        remaining.remove(match)
        levels = {heading["level"] - shift, *(level - shift for level in heading.get("also_levels", ()))}
        level = match.get("level")
        if level in levels or (level == "条目" and min(levels) > 1):
            result.headings_right += 1
        else:
            result.notes.append(f"heading {heading['title'][:20]}: expected {sorted(levels)}, got {level}")
    extras = [row for row in remaining if numbered or row.get("level") != "无编号"]
    result.notes += [f"extra heading {row.get('level')} {row.get('title', '')[:30]}" for row in extras]
    result.notes += [f"unnumbered heading {row.get('title', '')[:30]}" for row in remaining if row not in extras]
    result.headings_total = len(labelled) + len(extras)


def _same_title(found: str, labelled: str) -> bool:
    if not found or not labelled:
        return False
    shorter = min(len(found), len(labelled))
    return (found.startswith(labelled) or labelled.startswith(found)) and shorter >= min(4, len(labelled))


def _keys(schema) -> dict[str, str]:
    return {item.label: item.key for item in schema.part("indicators").fields}


def _figure_keys(figure: dict, keys: dict[str, str]) -> set[str]:
    return {keys[label] for label in [figure["label"], *figure.get("also_labels", ())] if label in keys}


def _figures(report: Report, indicators: dict, schema, result: Result) -> None:
    keys = _keys(schema)
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    required = [f for f in report.labels.get("figures", []) if f.get("year", report.year) == report.year]
    optional = [f for f in required if f.get("period")]
    required = [f for f in required if not f.get("period")]
    neutral = [
        (keys[label], u["value"]) for u in report.labels.get("unmapped", []) if "value" in u
        for label in u.get("could_be", ()) if label in keys
    ] + [(key, f["value"]) for f in optional for key in _figure_keys(f, keys)]  # fmt: skip
    taken = {key: pair["previous"] for key, pair in indicators.items() if "previous" in pair}
    result.required = len(required)
    for figure in required:
        if any(_equal(taken.get(key), figure["value"]) for key in _figure_keys(figure, keys)):
            result.found += 1
        else:
            result.notes.append(f"not taken {figure['label']} {figure['value']:g} ({figure['phrase']})")
    for key, value in taken.items():
        if any(key in _figure_keys(f, keys) and _equal(value, f["value"]) for f in required):
            result.taken_right += 1
        elif (key, value) not in neutral and not any(k == key and _equal(value, v) for k, v in neutral):
            result.taken_wrong += 1
            result.notes.append(f"taken wrongly {labels[key]} {value:g}")


def _equal(value, expected) -> bool:
    return value is not None and abs(value - expected) <= 1e-6 * max(1, abs(expected))


def _truth(report: Report, keys: dict[str, str]) -> dict:
    figures: dict = {}
    for figure in report.labels.get("figures", []):
        if figure.get("period"):
            continue
        column = {report.year: "current", report.year - 1: "previous"}.get(figure.get("year", report.year))
        for key in _figure_keys(figure, keys) if column else ():
            figures.setdefault(key, {}).setdefault(column, figure["value"])
    return figures


def _warnings(rows: list[dict], figures: dict, year: int, schema) -> list:
    """The stale-year and text-contradicts-figure warnings on this text with these figures."""
    book = Workbook.of({"cover": {"year": year}, "narrative": rows, "indicators": figures})
    return [*check_narrative_years(book, schema), *check_text_against_indicators(book, schema)]


def _row_text(rows: list[dict], problem) -> str:
    _, index, column = problem.field.split(".")
    return rows[int(index)].get(column, "")


def _on_phrase(rows: list[dict], problem, phrase: str) -> bool:
    """Whether a warning speaks of this phrase: its cell holds the phrase and the words it quotes overlap it."""
    text = _row_text(rows, problem)
    at = text.find(phrase)
    if at < 0:
        return False
    if problem.code == "stale-year":
        return any(year in phrase for year in re.findall(r"(?:19|20)\d\d", problem.message.split("（")[0]))
    found = _MESSAGE.search(problem.message)
    quote = found.group("quote").rstrip("…").lstrip("…") if found else ""
    begin = text.find(quote) if quote else -1
    return begin >= 0 and begin < at + len(phrase) and at < begin + len(quote)


def _checks(report: Report, rows: list[dict], schema, result: Result) -> None:
    keys = _keys(schema)
    labels = {item.key: item.label for item in schema.part("indicators").fields}
    truth = _truth(report, keys)
    stale = set(report.labels.get("stale_years", []))
    found_stale: set[int] = set()
    for problem in _warnings(rows, truth, report.year, schema):
        years = {int(y) for y in re.findall(r"(?:19|20)\d\d", problem.message.split("（")[0])}
        if problem.code == "stale-year" and years & stale:
            found_stale |= years & stale
            continue
        result.alarms += 1
        result.notes.append(f"false alarm: {problem.message}")
    result.stale_missed = len(stale - found_stale)
    for figure in report.labels.get("figures", []):
        column = {report.year: "current", report.year - 1: "previous"}.get(figure.get("year", report.year))
        if figure.get("period") or figure.get("approx") or not column or figure["label"] not in keys:
            continue  # a written "3万余" still agrees with a figure 17 % higher
        raised = {k: dict(v) for k, v in truth.items()}
        value = figure["value"] * RAISE
        for key in _figure_keys(figure, keys):  # the figure under each label it may have (纸质文献 or 总藏量)
            raised.setdefault(key, {})[column] = round(value) if value >= 100 else round(value, 2)
        result.raised += 1
        name = "本年" if column == "current" else "上年"
        named = {f"「{labels[key]}」" for key in _figure_keys(figure, keys)}
        caught = [
            p for p in _warnings(rows, raised, report.year, schema)
            if p.code == "text-contradicts-figure" and f"数据表{name}" in p.message and any(n in p.message for n in named)
        ]  # fmt: skip
        if caught:
            result.raised_caught += 1
        else:
            result.notes.append(f"raised, not reported: {figure['label']} {figure['value']:g} ({figure['phrase']})")
    for trap in report.labels.get("traps", []):
        forced = {k: dict(v) for k, v in truth.items()}
        if trap["looks_like"] in keys:
            forced.setdefault(keys[trap["looks_like"]], {}).setdefault("current", UNLIKELY)
        result.traps_tried += 1
        on_trap = [p for p in _warnings(rows, forced, report.year, schema) if _on_phrase(rows, p, trap["phrase"])]
        if on_trap:
            result.trap_warnings += 1
            result.notes.append(f"warning on trap «{trap['phrase']}»: {on_trap[0].message}")


def summary(name: str, results: list[Result]) -> dict:
    """The six measures over a set of reports."""

    def total(attribute: str) -> int:
        return sum(getattr(r, attribute) for r in results)

    with_figures = [r for r in results if r.raised]
    taken = total("taken_right") + total("taken_wrong")
    return {
        "corpus": name,
        "reports": len(results),
        "headings": total("headings_right") / max(1, total("headings_total")),
        "refused": sum(bool(r.refused) for r in results),
        "recall": total("found") / max(1, total("required")),
        "precision": total("taken_right") / max(1, taken),
        "raised": sum(r.raised_caught == r.raised for r in with_figures) / max(1, len(with_figures)),
        "raised_figures": total("raised_caught") / max(1, total("raised")),
        "alarms": total("alarms") * 10 / max(1, len(results)),
        "trap_warnings": total("trap_warnings"),
        "traps": total("traps_tried"),
        "stale_missed": total("stale_missed"),
        "counts": {
            "headings": f"{total('headings_right')}/{total('headings_total')}",
            "recall": f"{total('found')}/{total('required')}",
            "precision": f"{total('taken_right')}/{taken}",
            "raised": f"{sum(r.raised_caught == r.raised for r in with_figures)}/{len(with_figures)} reports, "
            f"{total('raised_caught')}/{total('raised')} figures",
            "alarms": total("alarms"),
        },
    }


