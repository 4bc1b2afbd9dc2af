"""Every limit on what the tool reads, in one place: workbooks from others are untrusted input.

README's table 「文件的上限」 lists these numbers; change both together.
"""

from __future__ import annotations

MB = 1024 * 1024

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

# A .zip holding a workbook and its picture folder (the web page's upload)
ARCHIVE_FILES = 500  # entries (files and folders)
ARCHIVE_INFLATED_BYTES = 300 * MB  # all files together, unpacked

# Batch work: one workbook per worker process
FILE_SECONDS = 600  # a workbook that takes longer fails (its worker is stopped); the others go on
REQUEST_SECONDS = 180  # the same for a workbook checked or rendered by the web page (someone is waiting)
WORKER_MEMORY_BYTES = 3 * 1024 * MB  # address space of a worker process (Linux, macOS)
