"""Build hook: copy schema.json and the templates into the package, so a plain `pip install .` works.

The top-level files stay the only sources (annual_report/core/resources.py finds them in a checkout).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("schema.json", "templates/年报模板.docx", "templates/年报填报模板.xlsx")


class BuildWithData(build_py):
    """build_py that also places the shipped data files in annual_report/data."""

    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "annual_report" / "data"
        target.mkdir(parents=True, exist_ok=True)
        for name in SHIPPED:
            shutil.copyfile(HERE / name, target / Path(name).name)


setup(cmdclass={"build_py": BuildWithData})
