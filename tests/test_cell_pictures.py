"""Pictures placed in a cell (WPS's 嵌入单元格图片, Excel's 放置在单元格中) count as the row's picture, as a floating
one does: in validate, in the report, on the web page and in next year's workbook."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from cell_pictures import put_excel_pictures, put_wps_pictures
from conftest import INPUTS
from docx import Document
from hostile import sheet_part
from make_samples import PHOTO, org_chart, write_test_workbook
from PIL import Image
from report_content import report_content

from annual_report.pipeline.options import RenderOptions
from annual_report.pipeline.single import render_workbook
from annual_report.web.app import Settings, close_app, create_app
from annual_report.workbook.next_year import write_next_year
from annual_report.workbook.sheetpictures import sheet_pictures
from annual_report.workbook.validate import validate_workbook

REAL = INPUTS.parent / "tests" / "fixtures" / "real"
QUFU = INPUTS / "曲阜市图书馆-2020.xlsx"
PLACERS = {"wps": put_wps_pictures, "excel": put_excel_pictures}


def png(data: dict) -> bytes:
    buffer = io.BytesIO()
    org_chart(data).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(params=sorted(PLACERS))
def in_cell(request, tmp_path, qufu):
    """曲阜's workbook with its org chart placed in cell 图片!B2 the way one program does, and its photo folder."""
    path = write_test_workbook(tmp_path / "曲阜.xlsx", qufu)
    shutil.copytree(PHOTO.parent, tmp_path / PHOTO.parent.name)
    chart = png(qufu)
    PLACERS[request.param](path, sheet_part(path, "图片"), {"B2": chart})
    return path, chart


def docx_media(path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]


def test_a_picture_in_a_cell_is_the_rows_picture(in_cell):
    path, chart = in_cell
    book, result = validate_workbook(path)
    assert book.pictures[0].data == chart
    assert "file" not in book.data["pictures"][0], "the cell's =DISPIMG(…) or #VALUE! is no file name"
    assert [p.code for p in result.errors] == []
    assert not [p for p in result.problems if p.sheet == "图片"]


def test_the_report_shows_a_picture_placed_in_a_cell(in_cell, tmp_path):
    path, chart = in_cell
    outcome = render_workbook(path, RenderOptions(output=tmp_path / "report.docx"))
    assert chart in docx_media(outcome.output)
    assert any("组织结构图" in p.text for p in Document(outcome.output).paragraphs)


def pixels(data: bytes) -> tuple:
    with Image.open(io.BytesIO(data)) as image:
        return image.size, image.convert("RGB").tobytes()


def test_next_years_workbook_keeps_the_pictures(in_cell, tmp_path):
    """The picture in a cell and the one named by a file are both pasted into next year's workbook."""
    path, chart = in_cell
    (tmp_path / "next").mkdir()
    written, _ = write_next_year(path, tmp_path / "next" / "2021.xlsx")  # another folder: the photo's path is gone
    book, result = validate_workbook(written)
    assert [row["name"] for row in book.data["pictures"]] == ["组织结构图", "服务保障"]
    assert pixels(book.pictures[0].data) == pixels(chart)
    assert pixels(book.pictures[1].data) == pixels(PHOTO.read_bytes())
    assert not [p for p in result.problems if p.sheet == "图片"]


def test_pictures_placed_in_cells_of_a_file_saved_by_excel():
    with zipfile.ZipFile(REAL / "excel-place-in-cell.xlsx") as archive:
        excel = sheet_pictures(archive)["Sheet1"]
        pngs = [archive.read(f"xl/media/image{n}.png") for n in (1, 2)]
    assert excel.rows == {2: pngs[0], 3: pngs[0], 4: pngs[1]} and excel.cells == {"B2", "B3", "B4"}


# On the web page ---------------------------------------------------------------------------------------


@pytest.fixture
def client():
    app = create_app(Settings(layout=False))
    yield app.test_client()
    close_app(app)


def post(client, url: str, data: bytes, name: str):
    return client.post(url, data={"workbook": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_the_web_page_reports_with_a_picture_placed_in_a_cell(client, in_cell, tmp_path):
    path, chart = in_cell
    response = post(client, "/api/validate", path.read_bytes(), "曲阜.xlsx")
    errors = [p for p in response.get_json()["problems"] if p["severity"] == "error"]
    assert [(p["code"], p["cell"]) for p in errors] == [("picture-not-pasted", "B3")], "the photo is a file beside it"
    zipped = tmp_path / "曲阜.zip"
    with zipfile.ZipFile(zipped, "w") as archive:  # with its photo folder, as the page asks
        archive.write(path, path.name)
        for photo in (tmp_path / PHOTO.parent.name).iterdir():
            archive.write(photo, f"{PHOTO.parent.name}/{photo.name}")
    response = post(client, "/api/render", zipped.read_bytes(), "曲阜.zip")
    assert response.status_code == 200, response.get_data(as_text=True)
    report = tmp_path / "web.docx"
    report.write_bytes(response.data)
    assert chart in docx_media(report) and PHOTO.read_bytes() in docx_media(report)


class _GbkName(zipfile.ZipInfo):
    """An entry whose name is written in GBK without the UTF-8 flag, as Windows' own zip does in China."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def sample_zip(tmp_path, gbk_names: bool) -> bytes:
    """曲阜's sample and its photo folder zipped, the names as Chinese Windows writes them (GBK) or as UTF-8."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for source, name in ((QUFU, QUFU.name), (PHOTO, f"{PHOTO.parent.name}/{PHOTO.name}")):
            archive.writestr((_GbkName if gbk_names else zipfile.ZipInfo)(name), source.read_bytes())
    return buffer.getvalue()


@pytest.mark.parametrize("gbk_names", [False, True])
def test_the_samples_report_from_a_zip_is_the_command_lines(client, tmp_path, gbk_names, rendered_qufu):
    response = post(client, "/api/validate", sample_zip(tmp_path, gbk_names), "曲阜.zip")
    assert response.status_code == 200 and response.get_json()["valid"], response.get_json()
    response = post(client, "/api/render", sample_zip(tmp_path, gbk_names), "曲阜.zip")
    (tmp_path / "web.docx").write_bytes(response.data)
    assert report_content(tmp_path / "web.docx") == report_content(rendered_qufu)


@pytest.fixture(scope="module")
def rendered_qufu(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "qufu.docx"
    return render_workbook(QUFU, RenderOptions(output=out)).output
