"""One workbook or a folder of them through every step, and the receiving office's summary.

May import: core, workbook, report, layout.
"""
