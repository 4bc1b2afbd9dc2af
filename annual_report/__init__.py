"""Turn a library's standard annual-report workbook into the official Word report."""

__version__ = "1.0.0"
