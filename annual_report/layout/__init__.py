"""LibreOffice, run headless: page numbers for the contents and the PDF.

May import: core.
"""
