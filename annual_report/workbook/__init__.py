"""The input side: the blank workbook, reading a filled one, and validating it.

May import: core; from report only what the checks share with it: inserts (what can be inserted), the row
kinds of context and pictures (a picture's own checks).
"""
