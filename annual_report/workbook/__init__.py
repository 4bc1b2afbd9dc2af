"""The input side: the blank workbook, reading a filled one, and validating it.

May import: core, and report.inserts for the names of what can be inserted.
"""
