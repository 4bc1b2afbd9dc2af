"""A .doc, .wps, .rtf, .odt or Word 2003 XML file converted to .docx by LibreOffice, each conversion on its own.

Every conversion gets its own scratch folder holding the copy of the source, the output, LibreOffice's profile,
its temporary files and a HOME of its own (so nothing lands in the user's home: dconf, fontconfig and GTK caches
included); it is stopped, with everything it started, after CONVERT_SECONDS.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from annual_report.core.refusals import refused
from annual_report.core.scratch import private_environment, scratch_folder
from annual_report.layout import libreoffice

CONVERT_SECONDS = 120  # LibreOffice converts a report of a hundred pages in a few seconds
SOURCE_NAMES = {
    "doc": "source.doc",
    "rtf": "source.rtf",
    "odt": "source.odt",
    "wordml": "source.xml",
    "fodt": "source.fodt",
}


@contextmanager
def converted_to_docx(path: Path, kind: str) -> Iterator[Path]:
    """The .docx LibreOffice makes of the file (of core.sniff's kind), in a scratch folder removed afterwards."""
    soffice = libreoffice.find_soffice()  # looked up when called: tests put a stand-in there
    if soffice is None:
        raise refused("doc-needs-libreoffice", path, name=path.name)
    with scratch_folder("import-") as scratch:
        folder = Path(scratch)
        source = folder / SOURCE_NAMES.get(kind, "source.doc")  # named by what it is, never like the output
        source.write_bytes(path.read_bytes())
        output = folder / "out"
        output.mkdir()
        command = [str(soffice), f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore"]
        command += [
            "--nologo",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(output),
            str(source),
        ]
        _run(command, private_environment(folder), path)
        made = output / "source.docx"
        if not made.is_file():
            raise refused("doc-not-converted", path, name=path.name)
        yield made


def _run(command: list[str], environment: dict[str, str], path: Path) -> None:
    """Run the conversion; stop it and everything it started when it takes too long."""
    group = (
        {"start_new_session": True}
        if sys.platform != "win32"
        else {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
    )
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=environment,
            **group,
        )
    except OSError as exc:
        raise refused("doc-no-start", path, name=path.name) from exc
    try:
        process.wait(timeout=CONVERT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        _stop(process)
        raise refused("doc-timeout", path, name=path.name, seconds=CONVERT_SECONDS) from exc
    except BaseException:
        _stop(process)
        raise


def _stop(process: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            process.kill()
    process.wait()
