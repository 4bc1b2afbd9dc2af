"""The output side: context from validated data, the insert registry, rendering and finishing the .docx.

May import: core, workbook.
"""
