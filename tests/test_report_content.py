"""The samples' reports keep their content: read back (paragraphs with styles, tables, charts, pictures), compared
with what they were when the model was refactored; a change of the report's content updates the snapshot on purpose."""

import json

import pytest
from make_samples import FIXTURES, SAMPLES
from report_content import report_content

from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook

SNAPSHOTS = FIXTURES / "report_content"


@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_report_has_the_content_it_had(name, tmp_path):
    from conftest import INPUTS

    outcome = render_workbook(INPUTS / SAMPLES[name], RenderOptions(output=tmp_path / "report.docx"))
    expected = json.loads((SNAPSHOTS / f"{name}.json").read_text(encoding="utf-8"))
    assert report_content(outcome.output) == expected
