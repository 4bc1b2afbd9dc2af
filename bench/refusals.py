"""How fast files that cannot be imported or read are refused, as a fresh command: python bench/refusals.py

A Word import of an OLE file that is no Word document (an .xls named .doc, another program's file), an encrypted
.doc, and validate of a .numbers, must each be refused in well under TARGET seconds: without starting LibreOffice.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from ole import excel_workbook, other_ole, word_document  # noqa: E402
from other_formats import numbers  # noqa: E402

TARGET = 2.0  # seconds
REPEAT = 3


def best_of(command: list[str]) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(REPEAT):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - start)
        code = done.returncode
    return min(times), code


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cases = {
            "Excel 97-2003 named .doc": ["template", "--from-docx", str(excel_workbook(folder / "a.doc"))],
            "another program's OLE file": ["template", "--from-docx", str(other_ole(folder / "b.doc"))],
            "encrypted .doc": ["template", "--from-docx", str(word_document(folder / "c.doc", encrypted=True))],
            "Numbers file": ["validate", str(numbers(folder / "d.numbers"))],
        }
        print(f"{'case':32} {'seconds':>8}  exit  (target < {TARGET} s)")
        for name, args in cases.items():
            seconds, code = best_of(
                [sys.executable, "-m", "annual_report", *args, "-o", str(folder / "x.xlsx")]
                if args[0] == "template"
                else [sys.executable, "-m", "annual_report", *args]
            )
            print(f"{name:32} {seconds:8.2f}  {code:4}  {'ok' if seconds < TARGET and code == 2 else 'SLOW'}")


if __name__ == "__main__":
    main()
