"""Pictures placed in a cell, written into a workbook part by part the way each program writes them.

WPS 表格 (嵌入单元格图片), as in a file saved by WPS 11.1 (see tests/fixtures/real/README.md): the cell is
  <c r="B2" t="str"><f>_xlfn.DISPIMG("ID_…",1)</f><v>=DISPIMG("ID_…",1)</v></c>
xl/cellimages.xml (namespace etc: of wps.cn) names the picture ID_… in an xdr:pic, xl/_rels/cellimages.xml.rels
points at xl/media/…, the workbook has a relationship of type wps.cn/officeDocument/2020/cellImage to it and
[Content_Types].xml an override application/vnd.wps-officedocument.cellimage+xml.

Excel 365 (放置在单元格中), as in a file saved by Excel (tests/fixtures/real/excel-place-in-cell.xlsx): the
cell is <c r="B2" t="e" vm="1"><v>#VALUE!</v></c>; xl/metadata.xml's valueMetadata record 1 → futureMetadata
XLRICHVALUE → rich value 0 in xl/richData/rdrichvalue.xml, whose _localImage structure's first key
(_rvRel:LocalImageIdentifier) is an index into xl/richData/richValueRel.xml → its .rels → xl/media/….
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from pathlib import Path

WPS_REL = "http://www.wps.cn/officeDocument/2020/cellImage"
WPS_TYPE = "application/vnd.wps-officedocument.cellimage+xml"
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def put_wps_pictures(path: Path, sheet_part: str, pictures: dict[str, bytes]) -> Path:
    """Place each picture (cell reference → PNG bytes) in its cell as WPS does."""
    ids = {ref: "ID_" + uuid.uuid4().hex.upper() for ref in pictures}
    images = "".join(
        f'<etc:cellImage><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="{n + 2}" name="{ids[ref]}" descr="图片{n + 1}"/>'
        f'<xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId{n + 1}"/><a:stretch><a:fillRect/>'
        f'</a:stretch></xdr:blipFill><xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1676400" cy="1257300"/>'
        f'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic></etc:cellImage>'
        for n, ref in enumerate(pictures)
    )
    cell_images = (
        XML_HEAD + '<etc:cellImages xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData">{images}</etc:cellImages>'
    )
    media = {ref: f"xl/media/cellimage{n + 1}.png" for n, ref in enumerate(pictures)}
    rels = _relationships(
        (f"rId{n + 1}", IMAGE_REL, media[ref].removeprefix("xl/")) for n, ref in enumerate(pictures)
    )

    def cell(ref: str, attributes: str) -> str:
        formula = f"DISPIMG(&quot;{ids[ref]}&quot;,1)"
        return f'<c r="{ref}"{attributes} t="str"><f>_xlfn.{formula}</f><v>={formula}</v></c>'

    parts = {"xl/cellimages.xml": cell_images, "xl/_rels/cellimages.xml.rels": rels}
    return _rewrite(path, sheet_part, pictures, media, cell, parts, [(WPS_REL, "cellimages.xml")],
                    [("/xl/cellimages.xml", WPS_TYPE)])


def put_excel_pictures(path: Path, sheet_part: str, pictures: dict[str, bytes]) -> Path:
    """Place each picture (cell reference → PNG bytes) in its cell as Excel 365 does."""
    refs = list(pictures)
    future = "".join(
        f'<bk><extLst><ext uri="{{3e2802c4-a4d2-4d8b-9148-e3be6c30e623}}"><xlrd:rvb i="{n}"/></ext></extLst></bk>'
        for n in range(len(refs))
    )
    records = "".join(f'<bk><rc t="1" v="{n}"/></bk>' for n in range(len(refs)))
    metadata = (
        XML_HEAD + '<metadata xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:xlrd="http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"><metadataTypes count="1">'
        '<metadataType name="XLRICHVALUE" minSupportedVersion="120000" copy="1" pasteAll="1" pasteValues="1" '
        'merge="1" splitFirst="1" rowColShift="1" clearFormats="1" clearComments="1" assign="1" coerce="1"/>'
        f'</metadataTypes><futureMetadata name="XLRICHVALUE" count="{len(refs)}">{future}</futureMetadata>'
        f'<valueMetadata count="{len(refs)}">{records}</valueMetadata></metadata>'
    )
    richdata = "http://schemas.microsoft.com/office/spreadsheetml/2017/richdata"
    values = "".join(f'<rv s="0"><v>{n}</v><v>5</v></rv>' for n in range(len(refs)))
    media = {ref: f"xl/media/image{n + 101}.png" for n, ref in enumerate(refs)}
    parts = {
        "xl/metadata.xml": metadata,
        "xl/richData/rdrichvalue.xml": f'{XML_HEAD}<rvData xmlns="{richdata}" count="{len(refs)}">{values}</rvData>',
        "xl/richData/rdrichvaluestructure.xml": f'{XML_HEAD}<rvStructures xmlns="{richdata}" count="1">'
        '<s t="_localImage"><k n="_rvRel:LocalImageIdentifier" t="i"/><k n="CalcOrigin" t="i"/></s></rvStructures>',
        "xl/richData/rdRichValueTypes.xml": f'{XML_HEAD}<rvTypesInfo xmlns="{richdata}2"><global><keyFlags>'
        '<key name="_Self"><flag name="ExcludeFromFile" value="1"/></key></keyFlags></global></rvTypesInfo>',
        "xl/richData/richValueRel.xml": XML_HEAD
        + '<richValueRels xmlns="http://schemas.microsoft.com/office/spreadsheetml/2022/richvaluerel" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        + "".join(f'<rel r:id="rId{n + 1}"/>' for n in range(len(refs)))
        + "</richValueRels>",
        "xl/richData/_rels/richValueRel.xml.rels": _relationships(
            (f"rId{n + 1}", IMAGE_REL, "../" + media[ref].removeprefix("xl/")) for n, ref in enumerate(refs)
        ),
    }
    vm = {ref: n + 1 for n, ref in enumerate(refs)}

    def cell(ref: str, attributes: str) -> str:
        return f'<c r="{ref}"{attributes} t="e" vm="{vm[ref]}"><v>#VALUE!</v></c>'

    office = "http://schemas.microsoft.com/office"
    links = [
        ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/sheetMetadata", "metadata.xml"),
        (f"{office}/2017/06/relationships/rdRichValue", "richData/rdrichvalue.xml"),
        (f"{office}/2017/06/relationships/rdRichValueStructure", "richData/rdrichvaluestructure.xml"),
        (f"{office}/2017/06/relationships/rdRichValueTypes", "richData/rdRichValueTypes.xml"),
        (f"{office}/2022/10/relationships/richValueRel", "richData/richValueRel.xml"),
    ]
    types = [
        ("/xl/metadata.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml"),
        ("/xl/richData/richValueRel.xml", "application/vnd.ms-excel.richvaluerel+xml"),
        ("/xl/richData/rdrichvalue.xml", "application/vnd.ms-excel.rdrichvalue+xml"),
        ("/xl/richData/rdrichvaluestructure.xml", "application/vnd.ms-excel.rdrichvaluestructure+xml"),
        ("/xl/richData/rdRichValueTypes.xml", "application/vnd.ms-excel.rdrichvaluetypes+xml"),
    ]
    return _rewrite(path, sheet_part, pictures, media, cell, parts, links, types)


def _relationships(rels) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{kind}" Target="{target}"/>' for i, kind, target in rels)
    return f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}</Relationships>'


def _rewrite(path, sheet_part, pictures, media, cell, parts, links, types) -> Path:
    """The package with the picture cells replaced, the new parts and media added, and both indexes updated."""
    source = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == sheet_part:
                data = _with_cells(data.decode("utf-8"), pictures, cell).encode("utf-8")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                added = "".join(
                    f'<Relationship Id="rIdPic{n}" Type="{kind}" Target="{target}"/>' for n, (kind, target) in enumerate(links)
                )
                data = data.replace(b"</Relationships>", added.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                added = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in types)
                if b'Extension="png"' not in data:
                    added = '<Default Extension="png" ContentType="image/png"/>' + added
                data = data.replace(b"</Types>", added.encode() + b"</Types>")
            new.writestr(info, data)
        for name, text in parts.items():
            new.writestr(name, text.encode("utf-8"))
        for ref, name in media.items():
            new.writestr(name, pictures[ref])
    return path


def _with_cells(xml: str, pictures: dict[str, bytes], cell) -> str:
    """The sheet's XML with each picture's cell written anew (its style kept)."""
    for ref in pictures:
        row = re.match(r"[A-Z]+(\d+)$", ref).group(1)
        pattern = re.compile(rf'<c r="{ref}"((?:\s+s="\d+")?)[^>]*?(?:/>|>.*?</c>)', re.S)
        found = pattern.search(xml)
        assert found, f"cell {ref} (row {row}) is not in the sheet"
        xml = xml[: found.start()] + cell(ref, found.group(1)) + xml[found.end() :]
    return xml
