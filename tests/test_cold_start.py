"""A fresh process imports only what its command uses: no mail code to render, no chart writer to validate."""

from __future__ import annotations

import subprocess
import sys

from conftest import INPUTS
from make_samples import ROOT


def modules_after(*args: str) -> set[str]:
    """The modules a fresh Python process has imported after running the command line with these arguments."""
    code = (
        "import sys\nfrom annual_report.cli.main import main\n"
        f"try:\n    main({list(args)!r}, standalone_mode=False)\n"
        "finally:\n    print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_render_imports_no_mail_code(tmp_path):
    loaded = modules_after(
        "render", str(INPUTS / "丽江市图书馆-2020.xlsx"), "-o", str(tmp_path / "r.docx"), "--no-layout"
    )
    assert "annual_report.report.chartxml" in loaded  # the sample has a chart
    assert not {name for name in loaded if name.startswith(("annual_report.mail", "smtplib", "email.mime", "pptx"))}
    assert "annual_report.cli.send" not in loaded


def test_validate_imports_neither_the_chart_writer_nor_the_template_tools():
    loaded = modules_after("validate", str(INPUTS / "丽江市图书馆-2020.xlsx"))
    assert not {"annual_report.report.chartxml", "annual_report.cli.send", "docxtpl"} & loaded
