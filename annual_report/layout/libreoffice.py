"""The layout pass: LibreOffice lays a document out once to give its contents' page numbers and its PDF.

LibreOffice's Python (the one that has the uno module) runs helper.py, which starts one
headless soffice with its own profile and fonts.conf; LibreOffice keeps that process for every
document laid out until it is closed:

    with LibreOffice() as office:
        laid_out = office.lay_out(docx_bytes, pdf=True)  # .contents: [(heading, page)], .pdf: bytes

Many documents share warm instances through layout.pool.OfficePool.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from annual_report.core.errors import ReportError
from annual_report.core.messages import message, os_reason
from annual_report.core.scratch import private_environment, scratch_folder
from annual_report.layout import profile

HERE = Path(__file__).resolve().parent
HELPER = HERE / "helper.py"
FONTS_CONF = HERE / "fonts.conf"
SOFFICE_NAMES = ("soffice", "libreoffice")
WINDOWS_SOFFICE = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)")) / "LibreOffice" / "program" / "soffice.exe",
)
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")
UNO_MODULES = ("/usr/lib/python3/dist-packages/uno.py", "/usr/lib/libreoffice/program/uno.py")
LOG = logging.getLogger("annual_report.layout")


class LayoutError(ReportError):
    """LibreOffice is missing or failed to lay the document out."""

    detail = ""  # LibreOffice's own words (English), for --debug and the log: never in the message
    timed_out = False  # it did not answer in time (not a start a kept profile could have broken)


def _failed(message: str, detail: str) -> LayoutError:
    """The LayoutError with message for the user; what LibreOffice said is logged and kept as its detail only."""
    error = LayoutError(message)
    error.detail = detail
    if detail:
        LOG.debug("LibreOffice: %s", detail)
        error.add_note(f"LibreOffice: {detail}")  # shown in --debug's traceback
    return error


def find_soffice() -> Path | None:
    """The LibreOffice executable, if installed."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found).resolve()
    return next((path for path in WINDOWS_SOFFICE if path.is_file()), None)


def find_uno_python(soffice: Path) -> Path | None:
    """A Python that can import uno: LibreOffice's own (Windows, macOS) or the system's (Debian python3-uno)."""
    for name in ("python.exe", "python", "python3"):
        bundled = soffice.parent / name
        if bundled.is_file():
            return bundled
    if any(Path(module).is_file() for module in UNO_MODULES):
        return next((Path(p) for p in SYSTEM_PYTHONS if Path(p).is_file()), None)
    return None


def available() -> bool:
    """Whether a layout pass can run here (no process is started to find out)."""
    soffice = find_soffice()
    return soffice is not None and find_uno_python(soffice) is not None


ANSWER_TIMEOUT = 300  # seconds LibreOffice may take to start or to lay out one document
# The helper gets a process group of its own; soffice, started by it, belongs to the same group.
_OWN_GROUP = (
    {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32" else {"start_new_session": True}
)


def _kill_group(process: subprocess.Popen) -> None:
    """Stop a helper and every process it started (soffice), then reap the helper."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.wait()


@dataclass(frozen=True)
class LaidOut:
    """What LibreOffice made of one document: its contents entries (heading text, page), its PDF and first page if asked."""

    contents: tuple[tuple[str, str], ...]
    pdf: bytes | None = None  # PDF/A-2b
    thumbnail: bytes | None = None  # PNG of the first page


class LibreOffice:
    """One headless LibreOffice, reused for every document laid out until closed; one document at a time."""

    def __init__(self) -> None:
        self.soffice = find_soffice()
        self.python = find_uno_python(self.soffice) if self.soffice else None
        self._process: subprocess.Popen | None = None
        self._ready = False  # it said it is ready
        self._stopped = False  # killed: never started again
        self._profile = None  # its scratch folder (a TemporaryDirectory) while it runs
        self._seed: Path | None = None  # where a clean profile is kept for later starts
        self._fresh = False  # it started with an empty profile (LibreOffice fills it: a slower start)
        self._documents = 0
        self._pipe = ""
        self._busy = threading.Lock()

    def __enter__(self) -> LibreOffice:
        self.start()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:  # interrupted or failed: do not wait for LibreOffice to finish
            self.kill()

    @property
    def running(self) -> bool:
        """Whether it has been launched and has not stopped or crashed since."""
        return self._process is not None

    def launch(self) -> None:
        """Start LibreOffice without waiting for it to be ready (once); raises LayoutError if it cannot be started."""
        if self._process is not None:
            return
        if self._stopped:
            raise LayoutError(message("layout-interrupted"))
        self.check_installed()
        self._profile = scratch_folder("office-")
        self._pipe = f"annual-report-{uuid.uuid4().hex}"  # the name its soffice listens under
        self._seed = profile.seed_folder(self.soffice)
        self._fresh = not profile.seeded(Path(self._profile.name), self._seed)
        # LibreOffice's own temporary files (lu*.tmp), its HOME and caches go into its scratch folder, removed with it
        environment = private_environment(Path(self._profile.name) / "private") | {"FONTCONFIG_FILE": str(FONTS_CONF)}
        try:
            self._process = subprocess.Popen(
                [
                    str(self.python),
                    str(HELPER),
                    str(self.soffice),
                    self._profile.name,
                    self._pipe,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                env=environment,
                **_OWN_GROUP,  # the helper and its soffice are stopped together (kill), never left behind
            )
        except OSError as exc:
            self.close()
            raise LayoutError(message("layout-no-start", soffice=self.soffice, reason=os_reason(exc))) from exc
        self._ready = False

    def start(self) -> None:
        """Start LibreOffice (once) and wait until it is ready; raises LayoutError if it is missing or does not start."""
        self._start(retry=True)

    def _start(self, *, retry: bool) -> None:
        """Start and wait; a start from the kept profile that fails (not by a time limit or kill) removes that
        profile and, once, starts again with an empty one."""
        self.launch()
        if self._ready:
            return
        try:
            self._answer()
        except LayoutError as exc:
            self._stop_now()
            if not retry or self._fresh or self._stopped or exc.timed_out:
                raise
            LOG.debug("LibreOffice did not start from the kept profile %s (%s): starting it empty", self._seed, exc)
            profile.discard_seed(self._seed)  # a kept profile it cannot start from is never used again
            self._start(retry=False)
            return
        except BaseException:
            self._stop_now()
            raise
        self._ready = True

    @property
    def group(self) -> int | None:
        """The process group of its helper and soffice while it runs (POSIX; None when stopped or on Windows)."""
        return self._process.pid if self._process is not None and sys.platform != "win32" else None

    def check_installed(self) -> None:
        """Raise LayoutError, saying what to install, unless LibreOffice and its Python are here."""
        if self.soffice is None:
            raise LayoutError(message("layout-no-libreoffice"))
        if self.python is None:
            raise LayoutError(message("layout-no-uno", soffice=self.soffice))

    def lay_out(self, docx: bytes, *, pdf: bool = False, thumbnail: bool = False) -> LaidOut:
        """Lay out a copy of the .docx (its bytes): its contents entries, its PDF and a PNG of its first page if asked."""
        with self._busy:
            self.start()
            self._documents += 1
            work = Path(self._profile.name) / f"document-{self._documents}"
            work.mkdir()
            try:
                draft = work / "report.docx"
                draft.write_bytes(docx)
                request = {"docx": str(draft), "pdf": None, "thumbnail": None}
                if pdf:
                    request["pdf"] = str(draft.with_suffix(".pdf"))
                if thumbnail:
                    request["thumbnail"] = str(draft.with_suffix(".png"))
                answer = self._ask(request)
                return LaidOut(
                    tuple((text, page) for text, page in answer["contents"]),
                    draft.with_suffix(".pdf").read_bytes() if pdf else None,
                    _read_if_made(draft.with_suffix(".png")) if thumbnail else None,
                )
            finally:
                shutil.rmtree(work, ignore_errors=True)

    def close(self) -> None:
        """Stop LibreOffice and remove its profile."""
        process, self._process = self._process, None
        self._ready = False
        if process is not None:
            with contextlib.suppress(OSError, ValueError):
                # an explicit request: the pipe may stay open in processes forked since it was started
                process.stdin.write(json.dumps({"quit": True}) + "\n")
                process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                if process.wait(timeout=30) == 0 and self._fresh:
                    profile.keep_seed(Path(self._profile.name), self._seed)
            _kill_group(process)  # whatever of it is still running, soffice included
            _remove_pipe(self._pipe)
            process.stdout.close()
            process.stderr.close()
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def kill(self) -> None:
        """Stop LibreOffice at once (the work is being interrupted) and remove its profile; it never starts again."""
        self._stopped = True
        self._stop_now()

    def _stop_now(self) -> None:
        if self._process is not None:
            _kill_group(self._process)
        self.close()

    def _ask(self, request: dict) -> dict:
        # ASCII-only JSON both ways: LibreOffice's own Python may read and write pipes in the system code page
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except (OSError, ValueError, AttributeError):  # it has stopped (crashed, or killed from another thread)
            self._stop_now()
            raise LayoutError(message("layout-died")) from None
        return self._answer()

    def _answer(self) -> dict:
        process = self._process
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(_read_line(process)), daemon=True)
        reader.start()
        reader.join(ANSWER_TIMEOUT)
        if reader.is_alive():  # a document LibreOffice cannot finish: stop it rather than wait forever
            self._stop_now()
            late = LayoutError(message("layout-timeout", seconds=ANSWER_TIMEOUT))
            late.timed_out = True
            raise late
        line = lines[0]
        if not line:
            detail = _stderr_end(process)
            self._stop_now()
            raise _failed(message("layout-died"), detail)
        answer = json.loads(line)
        if not answer.get("ok"):
            raise _failed(message("layout-refused"), str(answer.get("error") or ""))
        return answer


def _read_line(process: subprocess.Popen) -> str:
    """The helper's next line; empty when it has stopped (or was stopped from another thread)."""
    try:
        return process.stdout.readline()
    except (OSError, ValueError):
        return ""


STDERR_KEPT = 2000  # characters of the end of what a crashed helper wrote to stderr, kept for --debug


def _remove_pipe(name: str) -> None:
    """Remove the socket a killed soffice leaves in /tmp (LibreOffice puts its pipes there whatever TMPDIR says)."""
    if sys.platform != "win32" and name:
        with contextlib.suppress(OSError):
            Path("/tmp", f"OSL_PIPE_{os.getuid()}_{name}").unlink()


def _stderr_end(process: subprocess.Popen) -> str:
    """The end of what the helper wrote to stderr (its error), if it can still be read."""
    try:
        return process.stderr.read().strip()[-STDERR_KEPT:]
    except (OSError, ValueError):
        return ""


def _read_if_made(path: Path) -> bytes | None:
    """The file's bytes, or None where LibreOffice could not make it (e.g. no graphic filters for the PNG)."""
    return path.read_bytes() if path.is_file() else None


def page_numbers(entries: list, contents: list[tuple[str, str]]) -> dict[str, str] | None:
    """Each contents entry's bookmark → page, when LibreOffice's contents list the same headings in order."""
    if len(entries) != len(contents):
        return None
    pages = {}
    for entry, (text, page) in zip(entries, contents, strict=True):
        if _squash(entry.text) != _squash(text) or not page.strip().isdigit():
            return None
        pages[entry.bookmark] = page.strip()
    return pages


def _squash(text: str) -> str:
    return "".join(text.split())
