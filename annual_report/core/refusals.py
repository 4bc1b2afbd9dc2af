"""Why a file is refused before any of it is read, by a stable code: the catalogue of those messages.

Every message names the file ({file}) and says what to do. "已损坏" is said only of what is damaged;
what is merely another format is "无法读取这种格式", with the program to save it again from.
"""

from __future__ import annotations

from pathlib import Path

from annual_report.core import sniff
from annual_report.core.errors import InputUnreadable
from annual_report.core.program import program

SAVE_AS_XLSX = "请在 Excel 或 WPS 中打开它，“另存为”Excel 工作簿（.xlsx）后再使用"
ROW = "第 {row} 行"  # a place beyond the last column, where no cell reference can name it
OTHER_PROGRAM = "其他程序的文件"
OTHER_PACKAGE = "其他文件"  # a zip package that holds neither a document nor a workbook
KINDS: dict[str, str] = {  # what a file of a kind of core.sniff's is, where "format-other" and "not-word" name it
    **dict.fromkeys(sniff.SPREADSHEETS, "表格文件"),
    **dict.fromkeys(sniff.OOXML_SPREADSHEETS, "Excel 工作簿"),
    sniff.XLS: "Excel 97-2003 工作簿或 WPS 表格",
    sniff.TEXT: "纯文本文件",
    sniff.XML: "其他程序的 XML 文件",
    sniff.PDF: "PDF 文件",
    sniff.IMAGE: "图片",
    sniff.PRESENTATION: "演示文稿",
    sniff.HTML: "网页",
    sniff.ZIP: "压缩包",
    sniff.OLE: OTHER_PROGRAM,
    sniff.BINARY: OTHER_PROGRAM,
}
SAVE_AS_DOCX = "请在 Word 或 WPS 中打开它，选择“文件 → 另存为”，保存类型选“Word 文档（*.docx）”，再导入新文件"

REFUSALS: dict[str, str] = {
    # Not a file that can be opened at all
    "not-found": "找不到文件：{file}",
    "folder": "{file} 是一个文件夹，不是{wanted}",
    "not-regular": "{file} 不是普通文件（可能是管道或设备），不是{wanted}",
    "lock-file": "{file} 是 Excel 或 WPS 打开文件时生成的临时锁文件，请选择原来的文件",
    "no-permission": "无法读取 {file}：没有读取权限，或文件正被其他程序占用，请关闭后重试",
    "empty": "{file} 是空文件（0 字节），请重新保存",
    "encrypted": "{file} 设置了打开密码，本工具无法读取：请在 Excel、WPS 或 Word 中打开它，"
    "在“文件 → 信息 → 保护”中用密码加密处清空密码并保存，再使用",
    # Damaged
    "broken-zip": "{file} 已损坏（压缩包不完整，可能没有完整复制或下载）：请找到完整的原文件，或在 Excel 或 WPS 中重新保存为 .xlsx",
    "broken-ole": "{file} 已损坏（文件开头像 Excel 97-2003 或 Word 97-2003 的文件，但其中的内容读不出来），"
    "请找到完整的原文件，或在原来的程序中重新保存为 .xlsx 或 .docx",
    "broken-workbook": "{file} 已损坏（其中的表格内容无法解析），无法作为 Excel 工作簿读取：请用 Excel 或 WPS 打开后重新另存为 .xlsx",
    "broken-document": "{file} 已损坏（其中的文档内容无法解析），无法读取。" + SAVE_AS_DOCX,
    # Another format: what it is and where to save it again
    "format-numbers": "{file} 是 Apple Numbers 文件，本工具无法读取这种格式：请在 Numbers 中选择“文件 → 导出为 → Excel”，导出 .xlsx 后再使用",
    "format-fods": "{file} 是 LibreOffice 平面 XML 表格（.fods），本工具无法读取这种格式：请在 LibreOffice Calc 中“另存为”Excel 2007-365（.xlsx）后再使用",
    "format-spreadsheetml": "{file} 是 Excel 2003 XML 表格（SpreadsheetML），本工具无法读取这种格式：" + SAVE_AS_XLSX,
    "format-slk": "{file} 是 SYLK 文本表格（.slk），本工具无法读取这种格式：" + SAVE_AS_XLSX,
    "format-html": "{file} 是网页（HTML）格式的表格，只是名称像 Excel 工作簿，本工具无法读取这种格式：" + SAVE_AS_XLSX,
    "format-text": "{file} 是纯文本表格（CSV、TSV 等），不是 Excel 工作簿，本工具无法读取这种格式：请用空白模板填写后保存为 .xlsx",
    "format-legacy": "{file} 是 {format}，本工具无法读取这种格式（其中的内容读不出来）：" + SAVE_AS_XLSX,
    "format-other": "{file} 不是 Excel 工作簿（看起来是{what}），请选择填好的年报工作簿（.xlsx）",
    "format-word": "{file} 是 Word 文档，不是 Excel 工作簿：要由上一年的 Word 年报生成工作簿，请用 {program} template --from-docx {file}",
    "format-archive": "{file} 是压缩包，不是 Excel 工作簿：请解压后选择其中的工作簿",
    # A workbook's package beyond core.limits, or not what Excel writes (workbook/package.py)
    "broken-package": "{file} 已损坏，无法作为 Excel 工作簿读取：请用 Excel 或 WPS 打开后重新另存为 .xlsx",
    "package-too-large": "{file}：文件有 {size}，超过了本工具读取的上限 {limit}，请压缩其中的图片后重新保存",
    "package-too-many-parts": "{file}：文件由 {count} 个部分组成，超过了上限 {limit}，不像是正常的工作簿",
    "package-inflated-too-large": "{file}：解压后有 {size}，超过了本工具读取的上限 {limit}"
    "（可能是异常文件或“压缩炸弹”），请检查文件来源，或删除多余内容后重新保存",
    "package-xml-too-large": "{file}：其中的表格内容（XML）解压后有 {size}，超过了本工具读取的上限 {limit}，"
    "请删除多余内容后重新保存",
    "package-part-bomb": "{file}：其中的 {part} 解压后有 {size}（压缩比 {ratio:.0f}:1），超过了上限"
    "（可能是异常文件或“压缩炸弹”），请检查文件来源，或删除多余内容后重新保存",
    "package-index-too-large": "{file}：其中的 {part} 有 {size}，不像是正常的工作簿",
    "package-doctype": "{file}：含有 XML 文档类型声明（DOCTYPE），正常的工作簿没有，不予读取",
    "package-part-longer": "{file}：其中的 {part} 解压后比文件目录所写的大（文件已损坏或被篡改），不予读取",
    "package-compression": "{file}：其中的 {part} 用了 Excel 不用的压缩方式，请用 Excel 或 WPS 重新保存",
    "package-area-too-large": "{file}：各工作表用到的行列范围合计超过了本工具读取的上限（到工作表「{sheet}」为止已超过），"
    "请删除各表中多余的行和列（只设置了格式的也要删除）后保存",
    "package-cell-too-far": "{file}：工作表「{sheet}」的 {cell} 有单元格，超出了本工具读取的范围（最多 {rows} 行、"
    "{columns} 列，即到 {last} 列）。请删除多余的行和列（只设置了格式的也要删除）后保存",
    "package-too-many-cells": "{file}：工作簿有超过 {limit} 个单元格（到工作表「{sheet}」为止），超出了本工具读取的范围。"
    "请删除多余的行和列（只设置了格式的也要删除）后保存",
    # A .zip holding a workbook and its picture folder
    "archive-broken": "{file} 已损坏（压缩包不完整、设了密码或用了不支持的压缩方式），请重新压缩后上传",
    "archive-too-many": "{file} 中有 {count} 个文件和文件夹，超过了上限 {limit}：压缩包里只需放工作簿和它的图片文件夹",
    "archive-too-large": "{file} 解压后超过 {size} MB，超过了上限 {limit} MB（可能是异常文件或“压缩炸弹”）："
    "压缩包里只需放工作簿和它的图片文件夹，请压缩图片后重新上传",
    "archive-link": "{file} 中的 {entry} 是符号链接，不予解压：请只压缩工作簿和图片文件本身",
    "archive-outside": "{file} 中的 {entry} 指向压缩包以外的位置，不予解压：请重新压缩后上传",
    "archive-no-workbook": "{file} 中没有 Excel 工作簿：请把填好的工作簿（.xlsx）和它的图片文件夹一起压缩后上传",
    "archive-many-workbooks": "{file} 中有 {count} 个工作簿（{names}），一个压缩包只能放一个馆的工作簿和它的图片文件夹",
    # The importer's side
    "not-word": "{file} 不是 Word 文档（看起来是{what}）。" + SAVE_AS_DOCX,
    "doc-needs-libreoffice": "{file} 是旧式的 Word/WPS 文件（.doc、.wps 或 .rtf），需要 LibreOffice 才能读取，本机没有安装。"
    + SAVE_AS_DOCX,
    "doc-not-converted": "LibreOffice 无法转换 {file}（文件可能已损坏）。" + SAVE_AS_DOCX,
    "doc-timeout": "LibreOffice 在 {seconds} 秒内没能转换 {file}，已停止。" + SAVE_AS_DOCX,
    "doc-no-start": "无法启动 LibreOffice 转换 {file}。" + SAVE_AS_DOCX,
    "document-too-large": "{file} 解压后超过 {size} MB，不像是一份年报，已拒绝读取",
    "not-a-report": "{file} 中没有中文的年报正文，不像年度报告，没有生成工作簿。请确认选对了文件",
    "import-not-valid": "由 {file} 生成的工作簿仍有本工具无法自动改正的问题（{problems}），没有生成工作簿："
    "请用 {program} template -o 年报.xlsx 生成空白工作簿，参照 {file} 填写，并把 {file} 发给维护人员以便改进导入",
}


def refused(code: str, path: Path | str, **values) -> InputUnreadable:
    """The InputUnreadable of a refusal: the catalogue's message for this file (call with raise)."""
    name = values.pop("name", None) or str(path)
    text = REFUSALS[code].format(file=name, program=program(), wanted=values.pop("wanted", "Excel 工作簿"), **values)
    return InputUnreadable(text, code)
