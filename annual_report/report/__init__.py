"""The output side: the context (every printed number built once), its trace, rendering and finishing the .docx.

May import: core, workbook.
"""
