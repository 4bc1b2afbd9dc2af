"""The web page and JSON API of `fill.py serve`: upload workbooks, see their problems, download reports; a collection's pages.

May import core, workbook, report, layout, pipeline and collect; only the command line's serve command imports it.
"""
