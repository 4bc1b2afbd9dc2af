"""The LibreOffice pool (warm instances, one shared queue, restarts) and the batch's use of it, with stand-ins for LibreOffice."""

from __future__ import annotations

import io
import logging
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import hostile
import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from annual_report.layout import libreoffice, profile
from annual_report.layout import pool as pool_module
from annual_report.layout.libreoffice import LaidOut, LayoutError
from annual_report.layout.pool import OfficePool
from annual_report.pipeline import batch_render
from annual_report.pipeline import results as outcome
from annual_report.pipeline.options import Layout, RenderOptions, decide_layout, render_options

PNG = (  # a 1 × 1 white PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
    b"\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\xa0\xa1\x00\x00\x00\x00IEND\xaeB`\x82"
)


class Events:
    """What the stand-ins did, in order: (what, office number, document), shared by every stand-in of a test."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.happened: list[tuple[str, int, str]] = []

    def add(self, what: str, office: int, document: str = "") -> None:
        with self.lock:
            self.happened.append((what, office, document))

    def of(self, what: str) -> list[tuple[int, str]]:
        with self.lock:
            return [(office, document) for kind, office, document in self.happened if kind == what]


class StandIn:
    """Stands in for layout.LibreOffice: records what it does; lay_out runs `act` (which may block or raise)."""

    def __init__(self, number: int, events: Events, act=None, starts: bool = True) -> None:
        self.number, self.events, self.act, self.starts = number, events, act, starts
        self._running = self._stopped = False

    @property
    def running(self) -> bool:
        return self._running

    def check_installed(self) -> None:
        pass

    def launch(self) -> None:
        if self._stopped:
            raise LayoutError("排版已中断")
        if not self._running:
            self._running = True
            self.events.add("launch", self.number)

    def start(self) -> None:
        self.launch()
        if not self.starts:
            self._running = False
            raise LayoutError("LibreOffice 意外退出，无法排版")

    def lay_out(self, docx: bytes, *, pdf: bool = False, thumbnail: bool = False) -> LaidOut:
        title = _library(docx) if docx.startswith(b"PK") else docx.decode()
        self.events.add("begin", self.number, title)
        if self.act:
            self.act(self, title)
        self.events.add("end", self.number, title)
        self.events.add("thumbnail" if thumbnail else "no thumbnail", self.number, title)
        return LaidOut((), b"%PDF-1.7 stand-in" if pdf else None, PNG if thumbnail else None)

    def crash(self) -> None:
        self._running = False
        raise LayoutError("LibreOffice 意外退出，无法排版")

    def close(self) -> None:
        if self._running:
            self.events.add("close", self.number)
        self._running = False

    def kill(self) -> None:
        self._stopped = True
        self.close()


def _library(docx: bytes) -> str:
    """The library a report is of (its subject: 大馆 2020 年年报)."""
    return Document(io.BytesIO(docx)).core_properties.subject.split()[0]


def stand_ins(events: Events, act=None, failing: tuple[int, ...] = ()):
    """A factory of numbered stand-ins, as OfficePool(office=…) and render_folder(office=…) take."""
    made = []

    def make() -> StandIn:
        made.append(StandIn(len(made), events, act, starts=len(made) not in failing))
        return made[-1]

    make.made = made
    return make


def crash_on(name: str):
    """What a stand-in does: crash on the document whose title starts with name."""

    def act(office: StandIn, title: str) -> None:
        if title.startswith(name):
            office.crash()

    return act


def test_a_crashed_instance_is_started_again_for_the_next_document():
    events = Events()
    with OfficePool(1, office=stand_ins(events, crash_on("第1份"))) as pool:
        pool.lay_out("第0份".encode())
        with pytest.raises(LayoutError, match="意外退出"):
            pool.lay_out("第1份".encode())
        pool.lay_out("第2份".encode())
    assert [document for _, document in events.of("end")] == ["第0份", "第2份"]
    assert len(events.of("launch")) == 2  # started again at once after the crash


def test_an_instance_is_replaced_after_its_documents_while_it_still_works():
    events = Events()
    make = stand_ins(events)
    with OfficePool(1, max_documents=2, office=make) as pool:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the replacement starts in the background; the old one serves meanwhile
            pool.lay_out("一份".encode())
            if events.of("end")[-1][0] == 1:
                break
            time.sleep(0.01)
        served = {office for office, _ in events.of("end")}
    assert served == {0, 1}
    assert (0, "") in events.of("close")  # the old one was stopped once replaced


def test_an_instance_that_does_not_start_takes_no_documents():
    events = Events()
    with OfficePool(2, office=stand_ins(events, failing=(0,))) as pool:
        for number in range(4):
            pool.lay_out(f"第{number}份".encode())
    assert {office for office, _ in events.of("end")} == {1}


def test_without_any_instance_that_starts_each_document_fails_at_once():
    events = Events()
    make = stand_ins(events, failing=(0, 1, 2))
    with OfficePool(1, office=make) as pool:
        for _ in range(3):
            with pytest.raises(LayoutError, match="意外退出"):
                pool.lay_out(b"x")
    assert len(make.made) == 1  # not started again for every document (only after RETRY_SECONDS)


def test_a_failed_pool_tries_again_later(monkeypatch):
    events = Events()
    make = stand_ins(events, failing=(0,))
    with OfficePool(1, office=make) as pool:
        with pytest.raises(LayoutError):
            pool.lay_out(b"x")
        monkeypatch.setattr(pool_module, "RETRY_SECONDS", 0)  # as if that long had passed
        pool.lay_out("第1份".encode())
    assert events.of("end") == [(1, "第1份")]


def test_kill_stops_every_instance_and_every_waiting_document():
    events = Events()
    release = threading.Event()
    make = stand_ins(events, lambda office, title: release.wait(30))
    pool = OfficePool(1, office=make)
    pool.start()
    failures = []

    def lay_out(name: str) -> None:
        try:
            pool.lay_out(name.encode())
        except LayoutError as exc:
            failures.append((name, str(exc)))

    busy = threading.Thread(target=lay_out, args=("忙",))
    busy.start()
    while not events.of("begin"):
        time.sleep(0.01)
    waiting = threading.Thread(target=lay_out, args=("等",))
    waiting.start()
    time.sleep(0.05)
    pool.kill()
    waiting.join(10)
    release.set()
    busy.join(10)
    assert ("等", "排版已中断") in failures
    assert all(office._stopped for office in make.made)
    with pytest.raises(LayoutError, match="中断"):
        pool.lay_out(b"x")


def test_the_layout_is_decided_once_in_one_place(monkeypatch):
    monkeypatch.setattr("annual_report.pipeline.options.available", lambda: True)
    assert decide_layout(None, pdf=False) is Layout.IF_POSSIBLE
    assert decide_layout(False, pdf=False) is Layout.NONE
    assert decide_layout(None, pdf=True) is decide_layout(True, pdf=False) is Layout.REQUIRED
    assert render_options().thumbnail and not render_options(folder=True).thumbnail
    assert render_options(folder=True, thumbnail=True).thumbnail
    monkeypatch.setattr("annual_report.pipeline.options.available", lambda: False)
    assert decide_layout(None, pdf=False) is Layout.NONE
    assert not render_options().thumbnail  # nothing to make it with
    with pytest.raises(ValueError):
        RenderOptions(pdf=True)  # a PDF needs the layout


@pytest.fixture(scope="module")
def uneven_folder(tmp_path_factory):
    """Six workbooks (read only); 大馆's report stands for a long one (its layout lasts until the others are laid out)."""
    folder = tmp_path_factory.mktemp("各馆")
    for name in ("大馆", "小馆1", "小馆2", "小馆3", "小馆4", "小馆5"):
        hostile.good(folder / f"{name}.xlsx", name)
    return folder


def test_a_batch_of_uneven_reports_leaves_no_instance_idle_while_reports_wait(uneven_folder, tmp_path):
    events = Events()
    small_done = threading.Event()

    def act(office, title):
        if title == "大馆":  # long: lasts until every other report is laid out (by the other instance)
            events.add("waited", office.number, "done" if small_done.wait(60) else "timed out")
        elif len(events.of("end")) == 4:  # this is the fifth small one
            small_done.set()

    options = RenderOptions(layout=Layout.REQUIRED, pdf=True)
    results = batch_render.render_folder(uneven_folder, tmp_path / "out", options, jobs=2, office=stand_ins(events, act))
    assert [r.status for r in results] == [outcome.OK] * 6, [r.first_problem for r in results]
    [(big_office, waited)] = events.of("waited")
    assert waited == "done"  # the other instance laid out the five small reports while the long one was laid out
    big_began = events.happened.index(("begin", big_office, "大馆"))
    later = [office for kind, office, _ in events.happened[big_began + 1 :] if kind == "begin"]
    assert big_office not in later  # while it worked, the other instance took every waiting report
    assert len(events.of("launch")) == 2
    first_begin = events.happened.index(next(e for e in events.happened if e[0] == "begin"))
    assert all(events.happened.index(e) < first_begin for e in events.happened if e[0] == "launch")  # all at once
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 6


def test_a_batch_makes_thumbnails_only_when_asked(uneven_folder, tmp_path):
    events = Events()
    two = tmp_path / "两馆"
    two.mkdir()
    for name in ("大馆", "小馆1"):
        shutil.copyfile(uneven_folder / f"{name}.xlsx", two / f"{name}.xlsx")
    for name, thumbnail in (("a", None), ("b", True)):
        options = render_options(layout=True, thumbnail=thumbnail, folder=True)
        results = batch_render.render_folder(two, tmp_path / name, options, jobs=2, office=stand_ins(events))
        assert [r.status for r in results] == [outcome.OK] * 2
    assert len(events.of("no thumbnail")) == 2 and len(events.of("thumbnail")) == 2
    document = Document(tmp_path / "b" / "大馆-2020-年报.docx")
    assert document.part.package.part_related_by(RT.THUMBNAIL).content_type == "image/jpeg"


def test_a_failed_layout_fails_only_its_file(uneven_folder, tmp_path):
    events = Events()
    options = RenderOptions(layout=Layout.REQUIRED, pdf=True)
    made = stand_ins(events, crash_on("小馆3"))
    results = {r.file: r for r in batch_render.render_folder(uneven_folder, tmp_path / "out", options, jobs=2, office=made)}
    assert results["小馆3.xlsx"].status == outcome.FAILED and "意外退出" in results["小馆3.xlsx"].first_problem
    assert all(r.status == outcome.OK for name, r in results.items() if name != "小馆3.xlsx")
    assert not (tmp_path / "out" / "小馆3-2020-年报.docx").exists()


class NotLaunching(StandIn):
    """A LibreOffice whose process cannot even be started."""

    def launch(self) -> None:
        raise LayoutError("无法启动 LibreOffice")


def test_where_libreoffice_does_not_start_a_batch_lays_out_only_if_asked(uneven_folder, tmp_path):
    events = Events()
    make = lambda: NotLaunching(0, events)  # noqa: E731
    possible = RenderOptions(layout=Layout.IF_POSSIBLE)
    results = batch_render.render_folder(uneven_folder, tmp_path / "a", possible, jobs=2, office=make)
    assert [r.status for r in results] == [outcome.OK] * 6  # Word fills the contents' pages on opening
    with pytest.raises(LayoutError, match="无法启动"):
        batch_render.render_folder(uneven_folder, tmp_path / "b", RenderOptions(layout=Layout.REQUIRED), jobs=2, office=make)


FAKE_HELPER = """import json, sys
print(json.dumps({"ok": True, "ready": True}), flush=True)
for line in sys.stdin:
    if json.loads(line).get("quit"):
        break
    if "%s" == "crash":
        sys.stderr.write("Fatal exception: Signal 6\\nStack:\\n  /usr/lib/libreoffice/program/libuno_sal.so.3\\n")
        sys.exit(134)
    print(json.dumps({"ok": False, "error": "DisposedException: Binary URP bridge disposed during call"}), flush=True)
"""


@pytest.mark.parametrize(("behaviour", "said"), [("crash", "LibreOffice 意外退出，无法排版"),
                                                   ("refuse", "LibreOffice 无法排版这份文档")])  # fmt: skip
def test_what_libreoffice_says_is_kept_out_of_the_message(behaviour, said, tmp_path, monkeypatch, caplog):
    helper = tmp_path / "helper.py"
    helper.write_text(FAKE_HELPER % behaviour, encoding="utf-8")
    monkeypatch.setattr(libreoffice, "HELPER", helper)
    office = libreoffice.LibreOffice()
    office.soffice = office.python = Path(sys.executable)  # the stand-in helper runs in this Python
    with caplog.at_level(logging.DEBUG, "annual_report.layout"), pytest.raises(LayoutError) as failed:
        office.lay_out(b"docx")
    office.kill()
    english = "Signal 6" if behaviour == "crash" else "DisposedException"
    assert str(failed.value) == said and english in failed.value.detail
    assert english in caplog.text  # logged, for whoever runs the tool with --debug


STARTING_HELPER = """import json, pathlib, sys, time
with open(%r, "a") as starts:
    starts.write("started\\n")
if "%s" == "hangs":
    time.sleep(30)
if "%s" == "fails" or (pathlib.Path(sys.argv[2]) / "user" / "broken").exists():
    sys.exit("cannot start from this profile")
print(json.dumps({"ok": True, "ready": True}), flush=True)
for line in sys.stdin:
    if json.loads(line).get("quit"):
        break
"""


def _office_with_kept_profile(behaviour: str, tmp_path, monkeypatch) -> tuple[libreoffice.LibreOffice, Path, Path]:
    """A LibreOffice whose stand-in helper behaves so, a kept profile LibreOffice cannot start from, and the file
    the helper notes each start in."""
    starts = tmp_path / "starts"
    helper = tmp_path / "helper.py"
    helper.write_text(STARTING_HELPER % (str(starts), behaviour, behaviour), encoding="utf-8")
    monkeypatch.setattr(libreoffice, "HELPER", helper)
    monkeypatch.setattr(profile.tempfile, "tempdir", str(tmp_path))
    office = libreoffice.LibreOffice()
    office.soffice = office.python = Path(sys.executable)  # the stand-in helper runs in this Python
    seed = profile.seed_folder(office.soffice)
    (seed / "user").mkdir(parents=True)
    seed.chmod(0o700)
    (seed / "user" / "broken").write_text("")
    return office, seed, starts


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_kept_profile_libreoffice_cannot_start_from_is_removed(tmp_path, monkeypatch, caplog):
    office, seed, starts = _office_with_kept_profile("starts", tmp_path, monkeypatch)
    with caplog.at_level(logging.DEBUG, "annual_report.layout"):
        office.start()  # from the kept profile it fails; then empty, it starts
    try:
        assert office.running and not seed.exists()
        assert "cannot start from this profile" in caplog.text
        assert starts.read_text().count("started") == 2
    finally:
        office.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize(("behaviour", "kept", "tries"), [("fails", False, 2), ("hangs", True, 1)])
def test_a_start_is_retried_once_and_never_after_a_time_limit(behaviour, kept, tries, tmp_path, monkeypatch):
    office, seed, starts = _office_with_kept_profile(behaviour, tmp_path, monkeypatch)
    monkeypatch.setattr(libreoffice, "ANSWER_TIMEOUT", 1)
    with pytest.raises(LayoutError):
        office.start()
    office.kill()
    assert seed.exists() == kept and starts.read_text().count("started") == tries


@pytest.mark.libreoffice
@pytest.mark.skipif(sys.platform == "win32", reason="LibreOffice's pipes are files in /tmp on POSIX only")
def test_a_killed_instance_leaves_no_pipe_of_its_own():
    office = libreoffice.LibreOffice()
    office.start()
    pipe = Path("/tmp", f"OSL_PIPE_{os.getuid()}_{office._pipe}")
    assert pipe.exists()
    office.kill()
    assert not pipe.exists()


@pytest.mark.libreoffice
def test_a_clean_profile_is_kept_and_starts_the_next_instance(tmp_path, monkeypatch):
    monkeypatch.setattr(profile.tempfile, "tempdir", str(tmp_path))  # the kept profile goes here
    with libreoffice.LibreOffice() as first:
        seed = profile.seed_folder(first.soffice)
        assert not seed.exists()  # nothing kept while it runs
    assert (seed / "user" / "registrymodifications.xcu").is_file()
    (seed / "user" / "kept").write_text("")
    second = libreoffice.LibreOffice()
    try:
        second.launch()
        assert (Path(second._profile.name) / "user" / "kept").is_file()
        second.start()  # and it starts from the copy
    finally:
        second.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_kept_profile_others_may_write_is_not_used(tmp_path):
    seed = tmp_path / "seed"
    (seed / "user").mkdir(parents=True)
    seed.chmod(0o777)
    started = tmp_path / "profile"
    started.mkdir()
    assert not profile.seeded(started, seed)
    assert not (started / "user").exists()
    seed.chmod(0o700)
    assert profile.seeded(started, seed)
