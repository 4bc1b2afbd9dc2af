"""The developer scripts work on this checkout: its package, never another one installed in the environment."""

import subprocess
import sys
import textwrap

from make_samples import ROOT


def test_the_sample_generator_and_the_template_builder_import_this_checkouts_package(tmp_path):
    other = tmp_path / "annual_report"  # another checkout's package, first on the path
    other.mkdir()
    (other / "__init__.py").write_text("raise ImportError('another checkout')\n")
    for script in (ROOT / "tests" / "make_samples.py", ROOT / "templates" / "build_report_template.py"):
        probe = textwrap.dedent(f"""
            import runpy, sys
            sys.argv = ["{script.name}"]
            namespace = runpy.run_path({str(script)!r}, run_name="probe")
            import annual_report
            print(annual_report.__file__)
        """)
        done = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)}, cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip().startswith(str(ROOT / "annual_report")), script
