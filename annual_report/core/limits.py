"""Every limit on what the tool reads, in one place: workbooks, documents and uploads from others are untrusted input.

README's table in 来自他人的工作簿 is made from TABLE below (python tests/make_samples.py).
"""

from __future__ import annotations

KB = 1024
MB = 1024 * KB

# The workbook file (.xlsx is a zip package)
WORKBOOK_BYTES = 100 * MB  # the file on disk
INFLATED_BYTES = 200 * MB  # all parts together, unpacked
XML_BYTES = 100 * MB  # the XML parts (sheets, shared strings…) together, unpacked: the readers hold their text
PART_BYTES = 100 * MB  # one part (a sheet's XML, a picture), unpacked
PART_RATIO = 200  # unpacked : packed, for a part larger than RATIO_FLOOR_BYTES unpacked
RATIO_FLOOR_BYTES = 10 * MB
PARTS = 2000  # entries in the package

# Where a sheet's cells may lie, and how many cells (styled empty ones included) all sheets may have
SHEET_ROWS = 50_000
SHEET_COLUMNS = 50  # column AX; the template's widest sheet uses 5
WORKBOOK_CELLS = 200_000  # <c> elements of all sheets
WORKBOOK_AREA = 2_500_000  # rows × columns used, summed over the sheets (a reader may fill the gaps)

# Pictures (pasted on the 图片 sheet or named by a file beside the workbook)
PICTURE_BYTES = 20 * MB
PICTURE_PIXELS = 50_000_000  # e.g. 10000 × 5000

# Last year's Word report (template --from-docx): a report with photos is tens of MB; more is no report
DOCUMENT_INFLATED_BYTES = 300 * MB

# A .zip holding a workbook and its picture folder (the web page's upload)
ARCHIVE_FILES = 500  # entries (files and folders)
ARCHIVE_INFLATED_BYTES = 300 * MB  # all files together, unpacked

# Batch work: one workbook per worker process
FILE_SECONDS = 600  # a workbook that takes longer fails (its worker is stopped); the others go on
REQUEST_SECONDS = 180  # the same for a workbook checked or rendered by the web page (someone is waiting)
WORKER_MEMORY_BYTES = 3 * 1024 * MB  # address space of a worker process (Linux, macOS)

# The web page and the office's collection (fill.py serve; the defaults of its options)
UPLOAD_BYTES = 50 * MB  # one upload (--max-upload)
UPLOAD_FILES = 200  # workbooks in one upload
UPLOAD_KEEP_SECONDS = 3600  # an upload of the plain page is deleted after this
UPLOAD_DISK_BYTES = 2048 * MB  # uploads and reports held at once (--disk-quota)
QUEUED_REQUESTS = 16  # requests worked on or waiting at once; one more is told to come back (--queue)
SUBMISSIONS_PER_LIBRARY = 50  # submissions a library may make to a collection (--per-library)
LOGIN_BYTES = 64 * KB  # a sign-in form
FORM_BYTES = 1 * MB  # any other form without files
LIBRARY_LIST_BYTES = 10 * MB  # the office's list of expected libraries
LINGER_SECONDS = 5  # after refusing an upload, how long its body is still read and thrown away (so the refusal
LINGER_BYTES = 64 * MB  # reaches the browser) — and at most how much of it


def shown(name: str) -> str:
    """A limit as README's table writes it: 100 MB, 64 KB, 600 秒, 50000."""
    value = globals()[name]
    if name.endswith("_BYTES"):
        return f"{value // MB} MB" if value >= MB else f"{value // KB} KB"
    if name.endswith("_SECONDS"):
        return f"{value} 秒"
    return str(value)


# README's table: what each limit bounds, and its names
TABLE = (
    ("工作簿文件大小", ("WORKBOOK_BYTES",)),
    ("解压后的总大小", ("INFLATED_BYTES",)),
    ("其中表格内容（XML）解压后的大小", ("XML_BYTES",)),
    ("解压后单个部分（一张表的 XML、一张图片）", ("PART_BYTES",)),
    (f"单个部分的压缩比（解压后超过 {RATIO_FLOOR_BYTES // MB} MB 时）", ("PART_RATIO", "RATIO_FLOOR_BYTES")),
    ("文件的组成部分", ("PARTS",)),
    ("每张工作表的行", ("SHEET_ROWS",)),
    ("每张工作表的列（50 列即到 AX 列）", ("SHEET_COLUMNS",)),
    ("全部工作表的单元格（含只设了格式的）", ("WORKBOOK_CELLS",)),
    ("全部工作表用到的行数 × 列数之和", ("WORKBOOK_AREA",)),
    ("图片文件大小", ("PICTURE_BYTES",)),
    ("图片像素", ("PICTURE_PIXELS",)),
    ("去年的 Word 年报（--from-docx）解压后的总大小", ("DOCUMENT_INFLATED_BYTES",)),
    ("网页版上传的 .zip（工作簿连同图片文件夹）：文件和文件夹个数", ("ARCHIVE_FILES",)),
    ("网页版上传的 .zip：解压后的总大小（单个文件的大小和压缩比同上）", ("ARCHIVE_INFLATED_BYTES",)),
    ("批量处理时每个工作簿的时间", ("FILE_SECONDS",)),
    ("网页版检查或生成一个工作簿的时间", ("REQUEST_SECONDS",)),
    ("批量处理时每个工作进程的内存（Linux）", ("WORKER_MEMORY_BYTES",)),
    ("网页版每次上传的大小（默认，可用 --max-upload 改）", ("UPLOAD_BYTES",)),
    ("网页版每次上传的工作簿个数", ("UPLOAD_FILES",)),
    ("网页版（不收集时）上传的文件保留的时间", ("UPLOAD_KEEP_SECONDS",)),
    ("网页版同时暂存的上传和报告（默认，--disk-quota）", ("UPLOAD_DISK_BYTES",)),
    ("网页版同时在处理和排队的请求（默认，--queue）", ("QUEUED_REQUESTS",)),
    ("收集时每馆的提交次数（默认，--per-library）", ("SUBMISSIONS_PER_LIBRARY",)),
    ("登录表单的大小", ("LOGIN_BYTES",)),
    ("其他不带文件的表单的大小", ("FORM_BYTES",)),
    ("收报单位的图书馆名单文件", ("LIBRARY_LIST_BYTES",)),
    ("拒绝一次上传后仍读取并丢弃其内容的时间和大小（让中文提示送到浏览器）", ("LINGER_SECONDS", "LINGER_BYTES")),
)


def limits_table() -> str:
    """README's table of the limits, as Markdown."""
    lines = ["| 项目 | 上限 | 名称（`annual_report/core/limits.py`） |", "| --- | --- | --- |"]
    for what, names in TABLE:
        values = "、".join(shown(name) for name in names if name != "RATIO_FLOOR_BYTES")
        lines.append(f"| {what} | {values} | {'、'.join(f'`{name}`' for name in names)} |")
    return "\n".join(lines)
