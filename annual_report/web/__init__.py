"""The web page and JSON API of `fill.py serve`: upload workbooks, see their problems, download reports.

May import core, workbook, report and pipeline; only the command line's serve command imports it.
"""
