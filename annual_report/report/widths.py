"""Column widths of the report's tables from their printed text: short names stay on one line, long text wraps.

Like a browser's automatic table layout: each column has the width its longest cell needs on one line (natural)
and the least it may have (minimum: a cell of at most SHORT characters, a number, is never broken; longer text may
wrap, but no column is made narrower than WRAPPED characters). The table keeps its width; columns get their natural
width when everything fits, else their minimum plus a share of the room left, in proportion to what they lack.
"""

from __future__ import annotations

import itertools

from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from docx.table import Table, _Cell

from annual_report.core.width import is_wide
from annual_report.report.ooxml import cell_margins, table_grid, text_of

SHORT = 10  # characters (a CJK character counts one, a digit or Latin letter half): kept on one line
HEADER_SHORT = 4  # when even the short cells do not fit: a header may wrap, but not within its first 4 characters
WRAPPED = 6  # characters: the narrowest column of text that wraps
SLACK = 0.5  # characters added to a one-line width, for fonts that set a little wider than their size
DEFAULT_SIZE = Pt(12)
BOUNDARY = 0.125  # characters: the space set between a Chinese character and a Latin letter or digit (autoSpaceDN)


def fit_columns(document, marked: str) -> None:
    """Set the column widths of every table whose alt-text description starts with marked (the report's tables)."""
    for element in document.element.body.iter(qn("w:tbl")):
        if _described(element, marked):
            rows = table_grid(element)
            if rows:
                fit_table(Table(element, document), rows)


def fit_table(table: Table, rows: list[list]) -> None:
    """Widths for one table (rows: its cell elements, no spans), its total width kept."""
    columns = table.columns
    total = sum(column.width.twips if column.width else 0 for column in columns)
    if not total:
        return
    sides = sum(cell_margins(table._tbl, table.part.styles.element)[side] for side in ("left", "right"))
    size = _font_size(table, rows)
    natural = [0.0] * len(columns)
    least = [0.0] * len(columns)
    header = [0.0] * len(columns)
    for row_index, row in enumerate(rows):
        for index, cell in enumerate(row):
            text = text_of(cell)
            width = text_width(text)
            one_line = width + SLACK if width else 0
            natural[index] = max(natural[index], one_line)
            short = width <= SHORT or _is_number(text)
            least[index] = max(least[index], one_line if short else WRAPPED)
            if row_index:
                header[index] = max(header[index], one_line if short else WRAPPED)
            else:
                header[index] = max(header[index], min(one_line, HEADER_SHORT + SLACK))
    def to_twips(chars: float) -> float:
        return chars * size.pt * 20 + sides

    wanted = [to_twips(chars) for chars in natural]
    for minimum in ([to_twips(c) for c in least], [to_twips(c) for c in header]):
        if sum(minimum) <= total:
            break
    widths = _share(minimum, wanted, total)
    for column, width in zip(columns, widths, strict=True):
        column.width = Twips(width)
    for row in rows:  # the cells found already: python-docx's column.cells recomputes the grid for every column
        for cell, width in zip(row, widths, strict=True):
            _Cell(cell, table).width = Twips(width)


def _share(minimum: list[float], wanted: list[float], total: int) -> list[int]:
    """Widths that add up to total: the wanted ones and the room left shared in their proportion when all fit;
    else each minimum plus the room left in proportion to what it lacks (in proportion to the minimum when even
    those do not fit)."""
    if sum(wanted) <= total:
        spare = total - sum(wanted)
        widths = [w + spare * w / sum(wanted) for w in wanted]
    elif sum(minimum) <= total:
        lacking = [max(w - m, 0) for w, m in zip(wanted, minimum, strict=True)]
        room = total - sum(minimum)
        widths = [m + room * lack / (sum(lacking) or 1) for m, lack in zip(minimum, lacking, strict=True)]
    else:
        widths = [total * m / sum(minimum) for m in minimum]
    rounded = [int(w) for w in widths]
    rounded[-1] += total - sum(rounded)
    return rounded


def text_width(text: str) -> float:
    """The width of a line of text in characters of its font size: wide (CJK, full-width) characters one, others
    half, and the eighth of a character Word and LibreOffice put between Chinese and Latin letters or digits."""
    wide = [is_wide(ch) for ch in text if not ch.isspace()]
    boundaries = sum(a != b for a, b in itertools.pairwise(wide))
    return sum(1.0 if char_is_wide else 0.5 for char_is_wide in wide) + boundaries * BOUNDARY


def _is_number(text: str) -> bool:
    return bool(text) and all(ch.isdigit() or ch in "+-.,%—" for ch in text)


def _font_size(table: Table, rows: list[list]):
    """The font size of the table's body text: its first data cell's paragraph style, through its base styles."""
    cell = _Cell(rows[1][0] if len(rows) > 1 else rows[0][0], table)
    style = cell.paragraphs[0].style if cell.paragraphs else None
    while style is not None:
        if style.font.size:
            return style.font.size
        style = style.base_style
    return DEFAULT_SIZE


def _described(table, marked: str) -> bool:
    description = table.find(f"{qn('w:tblPr')}/{qn('w:tblDescription')}")
    return description is not None and description.get(qn("w:val"), "").startswith(marked)
