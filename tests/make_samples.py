"""Regenerate every committed file made from code: README's generated tables, the Word template, the blank workbook,
the samples in inputs/ and Click's compiled Chinese catalogue.

Run after changing schema.json, a fixture, the template builder or click.po: python tests/make_samples.py
(tests/test_generated.py fails while one of them is out of date).
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's package, never another one installed in the environment

from openpyxl import load_workbook
from openpyxl.drawing.image import Image as SheetImage
from PIL import Image, ImageDraw, ImageFont

from annual_report.cli import catalogue
from annual_report.core.limits import limits_table
from annual_report.core.reporting import codes_table
from annual_report.core.schema import load_schema
from annual_report.workbook.blank import write_workbook
from annual_report.workbook.inserts import inserts_table
from annual_report.workbook.wording import wording_table

FIXTURES = ROOT / "tests" / "fixtures"
BLANK = ROOT / "templates" / "年报填报模板.xlsx"
TEMPLATE = ROOT / "templates" / "年报模板.docx"
OFFICE_TEMPLATE = ROOT / "templates" / "示例-红头模板.docx"  # README's worked example of an office's own template
README = ROOT / "README.md"
CODES_START, CODES_END = "<!-- codes:start -->", "<!-- codes:end -->"
INSERTS_START, INSERTS_END = "<!-- inserts:start -->", "<!-- inserts:end -->"
WORDING_START, WORDING_END = "<!-- wording:start -->", "<!-- wording:end -->"
LIMITS_START, LIMITS_END = "<!-- limits:start -->", "<!-- limits:end -->"
SAMPLES = {"qufu_2020": "曲阜市图书馆-2020.xlsx", "lijiang_2020": "丽江市图书馆-2020.xlsx"}
_WRITTEN: dict[str, bytes] = {}  # write_test_workbook's workbooks by their data, for this process


def fixture(name: str) -> dict:
    """A sample report's data as the schema describes it."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def write_test_workbook(path: Path | str, data: dict | None = None) -> Path:
    """write_workbook for tests: the same data is written once per process, then copied (writing costs 0.1 s)."""
    path = Path(path)
    key = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr)
    if key in _WRITTEN:
        path.write_bytes(_WRITTEN[key])
    else:
        _WRITTEN[key] = write_workbook(path, copy.deepcopy(data)).read_bytes()
    return path


PHOTO = ROOT / "inputs" / "图片" / "曲阜市图书馆阅览室.jpg"
FONT_FILES = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "C:/Windows/Fonts/simhei.ttf")


def readme_with_codes(text: str) -> str:
    """The README with its problem-code table regenerated from the code."""
    return _between(text, CODES_START, CODES_END, codes_table())


def readme_with_inserts(text: str) -> str:
    """The README with its list of insertable items regenerated from the insert registry."""
    return _between(text, INSERTS_START, INSERTS_END, inserts_table(load_schema()))


def readme_with_wording(text: str) -> str:
    """The README with its table of how figures are found in the text regenerated from schema.json's x-text-names."""
    return _between(text, WORDING_START, WORDING_END, wording_table(load_schema()))


def readme_with_limits(text: str) -> str:
    """The README with its table of limits regenerated from core/limits.py."""
    return _between(text, LIMITS_START, LIMITS_END, limits_table())


def _between(text: str, start: str, end: str, content: str) -> str:
    head, rest = text.split(start)
    _, tail = rest.split(end)
    return f"{head}{start}\n{content}\n{end}{tail}"


def compiled_catalogue() -> bytes:
    """Click's Chinese catalogue (click.po) compiled to .mo by polib."""
    import polib

    return polib.pofile(str(catalogue.PO_PATH)).to_binary()


def build_template(path: Path, schema=None) -> Path:
    """The Word template as templates/build_report_template.py builds it, for a schema."""
    spec = importlib.util.spec_from_file_location("build_report_template", ROOT / "templates" / "build_report_template.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder.build(path, schema)


def build_office_template(path: Path, base: Path = TEMPLATE) -> Path:
    """The worked example of an office's template, as templates/build_office_template.py builds it."""
    spec = importlib.util.spec_from_file_location("build_office_template", ROOT / "templates" / "build_office_template.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    return builder.build(path, base)


def main() -> None:
    text = README.read_text(encoding="utf-8")
    text = readme_with_limits(readme_with_wording(readme_with_inserts(readme_with_codes(text))))
    README.write_text(text, encoding="utf-8")
    catalogue.MO_PATH.write_bytes(compiled_catalogue())
    build_template(TEMPLATE)
    build_office_template(OFFICE_TEMPLATE)
    write_workbook(BLANK)
    for name, filename in SAMPLES.items():
        write_workbook(ROOT / "inputs" / filename, fixture(name))
    PHOTO.parent.mkdir(exist_ok=True)
    reading_room().save(PHOTO, quality=70, optimize=True)
    attach_pictures(ROOT / "inputs" / SAMPLES["qufu_2020"], fixture("qufu_2020"))
    print("written:", README, catalogue.MO_PATH, TEMPLATE, OFFICE_TEMPLATE, BLANK, PHOTO, *(ROOT / "inputs" / f for f in SAMPLES.values()))


def attach_pictures(workbook: Path, data: dict) -> None:
    """Give a workbook written from data its pictures: rows without a file get a pasted org chart,
    and the photos' folder is copied beside it (file paths are relative to the workbook)."""
    rows = data.get("pictures", [])
    if any(row.get("file") for row in rows) and workbook.parent != PHOTO.parent.parent:
        shutil.copytree(PHOTO.parent, workbook.parent / PHOTO.parent.name, dirs_exist_ok=True)
    pasted = [index for index, row in enumerate(rows) if not row.get("file")]
    for index in pasted:
        paste_picture(workbook, org_chart(data), row=index + 2)


def paste_picture(workbook: Path, picture: Image.Image, row: int) -> None:
    """Paste a picture into the 图片 sheet with its top-left corner in this row, as a librarian would."""
    book = load_workbook(workbook)
    sheet = book["图片"]
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    image = SheetImage(buffer)
    image.width, image.height = 240, 240 * picture.height // picture.width
    sheet.add_image(image, f"D{row}")
    sheet.row_dimensions[row].height = image.height * 0.75 + 6
    book.save(workbook)


def _font(size: int) -> ImageFont.ImageFont:
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)  # index 2: SC
    return ImageFont.load_default(size)


def org_chart(data: dict) -> Image.Image:
    """A simple organisation chart: the library above its departments."""
    departments = [row.get("department", "") for row in data.get("organisation", [])] or ["办公室"]
    width, height = 1200, 560
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font, small = _font(34), _font(28)
    top = (width // 2 - 180, 60, width // 2 + 180, 150)
    draw.rectangle(top, outline="#1f3864", width=4, fill="#dae3f3")
    draw.text((width // 2, 105), data.get("cover", {}).get("name", "图书馆"), font=font, fill="black", anchor="mm")
    draw.line((width // 2, 150, width // 2, 230), fill="#1f3864", width=4)
    step = width // len(departments)
    draw.line((step // 2, 230, width - step // 2, 230), fill="#1f3864", width=4)
    for index, name in enumerate(departments):
        x = step // 2 + index * step
        draw.line((x, 230, x, 300), fill="#1f3864", width=4)
        draw.rectangle((x - 70, 300, x + 70, 500), outline="#1f3864", width=3, fill="#f2f2f2")
        for line, chars in enumerate(_columns(name, 5)):
            draw.text((x, 330 + line * 36), chars, font=small, fill="black", anchor="mm")
    return image


def _columns(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def reading_room() -> Image.Image:
    """A stand-in photo: bookshelves, a reading table and a window, drawn with code."""
    image = Image.new("RGB", (800, 500), "#e9e1d3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 800, 500), fill="#b08d64")
    draw.rectangle((560, 40, 760, 260), fill="#cfe3f1", outline="#8a8a8a", width=6)
    draw.line((660, 40, 660, 260), fill="#8a8a8a", width=4)
    colours = ["#8e3b2f", "#2f5d8e", "#3f7d4a", "#c9a227", "#6b4c8e", "#7a7a7a"]
    for shelf in range(4):
        y = 60 + shelf * 80
        draw.rectangle((40, y + 64, 500, y + 72), fill="#6b4a2b")
        for book in range(30):
            x = 46 + book * 15
            draw.rectangle((x, y + 14 + (book * 7) % 12, x + 12, y + 64), fill=colours[(book + shelf) % 6])
    draw.rectangle((150, 330, 650, 350), fill="#7b5634")
    for leg in (170, 620):
        draw.rectangle((leg, 350, leg + 12, 440), fill="#5c3f25")
    return image


if __name__ == "__main__":
    main()
