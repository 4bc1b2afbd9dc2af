"""The input side: the typed model of a workbook, reading and validating a filled one, the blank workbook.

May import: core (the layers are checked by the import-linter contract in pyproject.toml).
"""
