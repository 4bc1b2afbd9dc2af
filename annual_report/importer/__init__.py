"""Import last year's hand-made Word report (.docx, .doc, .wps) into a filled workbook for the next year.

May import annual_report.core and annual_report.workbook only (never report, layout, pipeline or cli)."""
