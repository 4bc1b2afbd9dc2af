"""Files of other spreadsheet formats, made by code as their programs write them (small, but the real structure)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from hostile import rewrite, sheet_part


def numbers(path: Path) -> Path:
    """An Apple Numbers document (since Numbers 3): a zip of protobuf streams under Index/ and Metadata/."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x1c\x00\x00")
        archive.writestr("Index/Metadata.iwa", b"\x00\x0a\x00\x00")
        archive.writestr("Metadata/Properties.plist", b"bplist00\xd1\x01\x02")
        archive.writestr("Metadata/DocumentIdentifier", b"6A4F3B2C-0000-0000-0000-000000000000")
        archive.writestr("preview.jpg", b"\xff\xd8\xff\xe0")
    return path


def sylk(path: Path) -> Path:
    """A SYLK file as Excel saves one (ID;P record first)."""
    path.write_text('ID;PWXL;N;E\r\nC;Y1;X1;K"馆名"\r\nC;Y1;X2;K"曲阜市图书馆"\r\nE\r\n', encoding="gb18030")
    return path


def spreadsheet_xml(path: Path) -> Path:
    """An Excel 2003 XML spreadsheet (SpreadsheetML), as Excel writes it."""
    path.write_text(
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"'
        ' xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
        ' <Worksheet ss:Name="封面"><Table><Row><Cell><Data ss:Type="String">馆名</Data></Cell></Row></Table></Worksheet>\n'
        "</Workbook>\n",
        encoding="utf-8",
    )
    return path


def tab_separated(path: Path) -> Path:
    path.write_text("馆名\t曲阜市图书馆\n年度\t2020\n", encoding="utf-8")
    return path


def flat_ods(path: Path) -> Path:
    """A LibreOffice flat XML spreadsheet (.fods)."""
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body>'
        "<office:spreadsheet/></office:body></office:document>\n",
        encoding="utf-8",
    )
    return path


def printing_workbook(source: Path, path: Path) -> Path:
    """A workbook on which openpyxl prints "0 is out of range" (and then fails): a named style whose format is missing,
    and a formula, so that openpyxl and not calamine must read it."""
    path.write_bytes(source.read_bytes())
    part = sheet_part(path, "说明")
    rewrite(
        path,
        "xl/styles.xml",
        lambda xml: re.sub(rb"<cellStyleXfs[^>]*>.*?</cellStyleXfs>", b'<cellStyleXfs count="0"/>', xml, flags=re.S),
    )
    formula = b'<row r="200"><c r="A200"><f>1+1</f><v>2</v></c></row></sheetData>'
    return rewrite(path, part, lambda xml: xml.replace(b"</sheetData>", formula, 1))


def macro_copy(source: Path, path: Path, content_type: str) -> Path:
    """The workbook saved as another OOXML kind (.xlsm, .xltx, .xltm): its main part's content type changed."""
    data = io.BytesIO(source.read_bytes())
    path.write_bytes(data.getvalue())
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    return rewrite(path, "[Content_Types].xml", lambda xml: xml.replace(main, content_type.encode()))
