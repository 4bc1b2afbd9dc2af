"""Foundations shared by every step: the schema, problems and their reporters, errors, safe writing.

May import: nothing else of annual_report.
"""
