"""The command line: thin Click commands over the library, in Chinese.

May import: everything; nothing imports it.
"""

from annual_report.cli.chinese import speak_chinese

speak_chinese()  # before any command is defined: Click translates some texts when its decorators run
