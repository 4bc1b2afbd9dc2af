"""The pictures of a workbook's sheets by row, whichever way they were pasted, read from the package itself.

Three ways put a picture on a row:
- floating over the cells (every program): xl/drawings/… anchored at a row, the picture in xl/media;
- WPS's 嵌入单元格图片: the cell holds =DISPIMG("ID_…",1), xl/cellimages.xml names the picture ID_… ;
- Excel 365's 放置在单元格中: the cell's vm attribute → xl/metadata.xml → xl/richData/… → the picture.
A row's picture is the first one found on it; the cells holding a picture are named so that their value
(the DISPIMG formula, or #VALUE!) is not read as text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from annual_report.workbook.opc import Package

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "rd": "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata",
}
_R_EMBED = f"{{{_NS['rel']}}}embed"
_R_ID = f"{{{_NS['rel']}}}id"
_MAIN = f"{{{_NS['main']}}}"
_DISPIMG = re.compile(r"DISPIMG\(\s*\"([^\"]+)\"", re.IGNORECASE)
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
LOCAL_IMAGE_KEY = "_rvRel:LocalImageIdentifier"  # the rich value key that points at the picture


@dataclass
class SheetPictures:
    """One sheet's pictures: each row's first picture, and the cells that hold a picture as their value."""

    rows: dict[int, bytes] = field(default_factory=dict)
    cells: set[str] = field(default_factory=set)

    def add(self, row: int, data: bytes) -> None:
        self.rows.setdefault(row, data)


def sheet_pictures(archive: zipfile.ZipFile) -> dict[str, SheetPictures]:
    """Every sheet's pictures (floating and in cells), by sheet name; sheets without pictures are left out."""
    package = Package(archive)
    main = package.main_part()
    if main not in package:
        return {}
    targets = package.relationships(main)
    workbook = ElementTree.fromstring(package.read(main))
    wps = _wps_pictures(package, main)
    rich = _rich_value_pictures(package, main)
    found: dict[str, SheetPictures] = {}
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        part = targets.get(sheet.get(_R_ID), "")
        if part not in package:
            continue
        pictures = SheetPictures()
        _floating(package, part, pictures)
        if wps or rich:
            _in_cells(package, part, wps, rich, pictures)
        if pictures.rows or pictures.cells:
            found[sheet.get("name")] = pictures
    return found


def _floating(package: Package, part: str, pictures: SheetPictures) -> None:
    """Pictures placed over the sheet, by the (1-based) row of their top-left corner."""
    for drawing in package.relationships(part, kind="/drawing").values():
        if drawing not in package:
            continue
        media = package.relationships(drawing)
        for anchor in ElementTree.fromstring(package.read(drawing)):
            row, blip = anchor.find("xdr:from/xdr:row", _NS), anchor.find(".//a:blip", _NS)
            target = media.get(blip.get(_R_EMBED)) if blip is not None else None
            if row is not None and (row.text or "").strip().isdigit() and target in package:
                pictures.add(int(row.text) + 1, package.read(target))


def _in_cells(
    package: Package, part: str, wps: dict[str, bytes], rich: dict[int, bytes], pictures: SheetPictures
) -> None:
    """Cells whose value is a picture: a DISPIMG formula naming a WPS picture, or a vm index to a rich value."""
    with package.open(part) as stream:
        for _event, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == f"{_MAIN}c":
                data = _cell_picture(element, wps, rich)
                match = _REF.match((element.get("r") or "").replace("$", "").upper())
                if data is not None and match:
                    pictures.add(int(match.group(2)), data)
                    pictures.cells.add(match.group(0))
            elif element.tag == f"{_MAIN}row":
                element.clear()


def _cell_picture(cell, wps: dict[str, bytes], rich: dict[int, bytes]) -> bytes | None:
    vm = cell.get("vm")
    if vm and vm.isdigit() and int(vm) in rich:
        return rich[int(vm)]
    if wps:
        for child in cell:
            if child.tag in (f"{_MAIN}f", f"{_MAIN}v") and child.text and "DISPIMG" in child.text.upper():
                match = _DISPIMG.search(child.text)
                if match and match.group(1) in wps:
                    return wps[match.group(1)]
    return None


def _wps_pictures(package: Package, main: str) -> dict[str, bytes]:
    """WPS's cell pictures: the ID a DISPIMG formula names → the picture's bytes."""
    part = package.by_type(main).get("cellimage", "")
    part = part or next((n for n in package.names() if n.lower() == "xl/cellimages.xml"), "")
    if part not in package:
        return {}
    media = package.relationships(part)
    found = {}
    for picture in ElementTree.fromstring(package.read(part)).iter(f"{{{_NS['xdr']}}}pic"):
        properties, blip = picture.find("xdr:nvPicPr/xdr:cNvPr", _NS), picture.find(".//a:blip", _NS)
        target = media.get(blip.get(_R_EMBED)) if blip is not None else None
        if properties is not None and properties.get("name") and target in package:
            found.setdefault(properties.get("name"), package.read(target))
    return found


def _rich_value_pictures(package: Package, main: str) -> dict[int, bytes]:
    """Excel's in-cell pictures: a cell's vm index (1-based) → the picture's bytes."""
    parts = package.by_type(main)
    metadata = parts.get("sheetmetadata") or parts.get("metadata") or "xl/metadata.xml"
    if metadata not in package:
        return {}
    parts |= package.by_type(metadata)
    values = parts.get("rdrichvalue") or parts.get("richvalue") or "xl/richData/rdrichvalue.xml"
    structures = (
        parts.get("rdrichvaluestructure") or parts.get("richvaluestructure") or "xl/richData/rdrichvaluestructure.xml"
    )
    rel_table = parts.get("richvaluerel") or "xl/richData/richValueRel.xml"
    if values not in package or rel_table not in package:
        return {}
    media = package.relationships(rel_table)
    rels = [
        media.get(rel.get(_R_ID)) for rel in ElementTree.fromstring(package.read(rel_table)).iter() if rel.get(_R_ID)
    ]
    keys = _structure_keys(package, structures)
    pictures: list[bytes | None] = []
    for value in ElementTree.fromstring(package.read(values)).iter(f"{{{_NS['rd']}}}rv"):
        index = _picture_index(value, keys)
        target = rels[index] if index is not None and index < len(rels) else None
        pictures.append(package.read(target) if target in package else None)
    found = {}
    for vm, rich_value in enumerate(_value_metadata(package, metadata), start=1):
        if rich_value is not None and rich_value < len(pictures) and pictures[rich_value] is not None:
            found[vm] = pictures[rich_value]
    return found


def _structure_keys(package: Package, part: str) -> list[list[str]]:
    """Each rich value structure's key names, in order."""
    if part not in package:
        return []
    root = ElementTree.fromstring(package.read(part))
    return [
        [key.get("n", "") for key in structure.iter(f"{{{_NS['rd']}}}k")]
        for structure in root.iter(f"{{{_NS['rd']}}}s")
    ]


def _picture_index(value, keys: list[list[str]]) -> int | None:
    """The relationship index a rich value gives its picture under, if it is a picture."""
    items = value.findall("rd:v", _NS)
    structure = value.get("s")
    if structure is not None and structure.isdigit() and int(structure) < len(keys):
        names = keys[int(structure)]
        if LOCAL_IMAGE_KEY in names and names.index(LOCAL_IMAGE_KEY) < len(items):
            text = (items[names.index(LOCAL_IMAGE_KEY)].text or "").strip()
            return int(text) if text.isdigit() else None
    marked = next((item for item in items if item.get("kind") == "rel"), None)  # an older variant
    return int(marked.text) if marked is not None and (marked.text or "").strip().isdigit() else None


def _value_metadata(package: Package, part: str) -> list[int | None]:
    """For each value metadata record (vm = 1, 2…), the rich value it stands for, or None."""
    root = ElementTree.fromstring(package.read(part))
    types = [t.get("name") for t in root.iterfind("main:metadataTypes/main:metadataType", _NS)]
    future = {}
    for block in root.iterfind("main:futureMetadata", _NS):
        future[block.get("name")] = [
            int(found.get("i"))
            if (found := bk.find(".//rd:rvb", _NS)) is not None and found.get("i", "").isdigit()
            else None
            for bk in block.iterfind("main:bk", _NS)
        ]
    records: list[int | None] = []
    for bk in root.iterfind("main:valueMetadata/main:bk", _NS):
        record = bk.find("main:rc", _NS)
        kind, index = (record.get("t", ""), record.get("v", "")) if record is not None else ("", "")
        name = types[int(kind) - 1] if kind.isdigit() and 0 < int(kind) <= len(types) else None
        blocks = future.get(name, [])
        records.append(blocks[int(index)] if index.isdigit() and int(index) < len(blocks) else None)
    return records
