"""Place a picture of the 图片 sheet in the document, at most the text width wide (read and checked in workbook.pictures)."""

from __future__ import annotations

import io

from docx.shared import Mm
from docx.text.paragraph import Paragraph
from PIL import Image

MAX_WIDTH, MAX_HEIGHT = Mm(150), Mm(110)
WORD_FORMATS = {"PNG", "JPEG", "GIF", "BMP", "TIFF"}


def add_picture(document, paragraph, blob: bytes) -> None:
    """Replace the paragraph's content with the picture, at most the text width wide and 110 mm high."""
    with Image.open(io.BytesIO(blob)) as image:
        width, height = image.size
        if image.format not in WORD_FORMATS:
            converted = io.BytesIO()
            image.convert("RGBA").save(converted, format="PNG")
            blob = converted.getvalue()
    scale = min(MAX_WIDTH / width, MAX_HEIGHT / height)
    run = Paragraph(paragraph, document).clear().add_run()  # the figure's name goes, its style stays
    run.add_picture(io.BytesIO(blob), width=int(width * scale), height=int(height * scale))
