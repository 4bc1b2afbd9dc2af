"""Import last year's hand-made Word report (.docx, .doc, .wps) into a filled workbook for the next year.

May import annual_report.core, annual_report.workbook, the insert registry and the numbering (report.inserts, report.numbering),
and layout.libreoffice to find LibreOffice for converting a .doc or .wps.
"""
