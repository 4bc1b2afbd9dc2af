"""The code stays lint-clean (ruff runs with the tests) and its modules short enough to read."""

import subprocess
import sys

from make_samples import ROOT


def test_ruff_check_is_clean():
    # ruff from this interpreter's environment: the suite also runs as /path/to/venv/bin/python -m pytest
    result = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_over_400_lines():
    long = {
        path.relative_to(ROOT).as_posix(): count
        for path in (ROOT / "annual_report").rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}, "split these modules by what they do"
