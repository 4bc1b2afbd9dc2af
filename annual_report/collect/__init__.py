"""Collecting the libraries' reports for an office: the expected libraries, their codes, every submission kept.

May import: core, workbook, report, layout, pipeline.
"""
