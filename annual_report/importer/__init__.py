"""Import last year's hand-made Word report (.docx, .doc, .wps) into a filled workbook for the next year.

May import: core, workbook, report, and layout to convert a .doc or .wps with LibreOffice.
"""
