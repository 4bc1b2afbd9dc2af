"""The command line: thin Click commands over the library, in Chinese.

May import: everything; nothing imports it.
"""
