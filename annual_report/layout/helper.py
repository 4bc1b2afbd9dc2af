"""Lay documents out in LibreOffice: run by LibreOffice's own Python (it needs the uno module).

Not imported by the package: layout/libreoffice.py starts it as a subprocess. It starts one headless
soffice, then answers one JSON request per stdin line with one JSON line on stdout:
{"docx": path, "pdf": path or null, "thumbnail": path or null} → {"ok": true, "contents": [[text, page], ...]}.
It stops at {"quit": true} or at the end of its input; its exit status is 0 when soffice ended cleanly.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _properties(**values):
    found = []
    for name, value in values.items():
        item = PropertyValue()
        item.Name, item.Value = name, value
        found.append(item)
    return tuple(found)


def _url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def start(soffice, profile, pipe):
    """A running soffice and its desktop, connected through a named pipe."""
    process = subprocess.Popen(
        [
            soffice,
            "-env:UserInstallation=" + _url(profile),
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()  # never leave a soffice that did not answer in time
                process.wait()
                raise RuntimeError("soffice did not start") from None
            time.sleep(0.02)  # soffice answers about 1 s after its start: ask often, start sooner
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    return process, desktop


# PDF/A-2b: every font embedded, the title and language (from the document's properties) in its metadata
PDF_OPTIONS = {"SelectPdfVersion": 2, "UseTaggedPDF": True, "ExportBookmarks": True}


def lay_out(desktop, docx, pdf, thumbnail=None):
    """Update the document's contents and return their entries; export the PDF and thumbnail if asked."""
    document = desktop.loadComponentFromURL(_url(docx), "_blank", 0, _properties(Hidden=True, ReadOnly=True))
    if document is None:
        raise RuntimeError("LibreOffice cannot open the document")
    try:
        contents = []
        indexes = document.getDocumentIndexes()
        for number in range(indexes.getCount()):
            index = indexes.getByIndex(number)
            index.update()
            if not contents:
                text = index.getAnchor().getString()
                contents = [line.rsplit("\t", 1) for line in text.splitlines() if "\t" in line]
        if pdf:
            filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", _properties(**PDF_OPTIONS))
            options = _properties(FilterName="writer_pdf_Export", FilterData=filter_data)
            document.storeToURL(_url(pdf), options)
        if thumbnail:  # needs LibreOffice's graphic filters (Debian: libreoffice-draw); none without them
            with contextlib.suppress(Exception):
                document.storeToURL(_url(thumbnail), _properties(FilterName="writer_png_Export"))
        return contents
    finally:
        document.close(True)


def _exit(signum, frame):
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, _exit)  # stopped politely: still stop soffice (finally below)
    soffice, profile, pipe = sys.argv[1:4]
    process, desktop = start(soffice, profile, pipe)
    try:
        print(json.dumps({"ok": True, "ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("quit"):
                break
            try:
                contents = lay_out(desktop, request["docx"], request.get("pdf"), request.get("thumbnail"))
                answer = {"ok": True, "contents": contents}
            except Exception as exc:
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(answer), flush=True)
    finally:
        with contextlib.suppress(Exception):
            desktop.terminate()
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            code = 1
    return code  # 0: soffice ended cleanly, its profile whole


if __name__ == "__main__":
    sys.exit(main())
