"""Everything a user reads is Chinese: Click's messages from our .po catalogue, problems from one message catalogue."""

from __future__ import annotations

import ast
import gettext
import io
import os
import string
import subprocess
import sys
from pathlib import Path

import click
import polib
import pytest
from click.testing import CliRunner
from make_samples import ROOT, compiled_catalogue

from annual_report.cli import catalogue
from annual_report.cli.main import main
from annual_report.core.problems import CODES, MESSAGES

CLICK_SOURCE = Path(click.__file__).parent
# click.po's translated entries as .mo keys and values: plural forms joined by NUL
PO_ENTRIES = {
    entry.msgid + (f"\0{entry.msgid_plural}" if entry.msgid_plural else ""): entry.msgstr
    or "\0".join(entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural))
    for entry in polib.pofile(str(catalogue.PO_PATH)).translated_entries()
}
HEADER = ""

# Each entry of click.po, keyed by its msgid (singular of a plural entry), and a command line that shows it:
# (arguments, what is typed at the prompts, whether the file given is unreadable).
SHOWN_BY = {
    "Usage:": (["render", "--help"],),
    "Options": (["render", "--help"],),
    "Commands": (["--help"],),
    "Show this message and exit.": (["render", "--help"],),
    "default: {default}": (["validate", "--help"],),
    "Error: {message}": (["render"],),
    "Try '{command} {option}' for help.": (["render"],),
    "Missing command.": (["--debug"],),
    "Missing argument": (["render"],),
    "{name} {filename!r} does not exist.": (["serve", "--collect", "没有这个文件夹"],),
    "No such command {name!r}.": (["rendr"],),
    "No such option {name!r}.": (["render", "--bogus"],),
    "Did you mean {possibility}?": (["render", "--forse"],),
    "Option {name!r} requires an argument.": (["render", "x.xlsx", "-o"],),
    "Option {name!r} does not take a value.": (["render", "x.xlsx", "--force=yes"],),
    "Got unexpected extra argument ({args})": (["validate", "a.xlsx", "b.xlsx"],),
    "Invalid value for {param_hint}: {message}": (["validate", "x.xlsx", "--format", "xml"],),
    "{value!r} is not {choice}.": (["validate", "x.xlsx", "--format", "xml"],),
    "{value} is not in the range {range}.": (["render", "x.xlsx", "-j", "0"],),
    "{value!r} is not a valid {number_type}.": (["render", "x.xlsx", "-j", "two"],),
    "{name} {filename!r} is a directory.": (["template", "-o", "."],),
    "{name} {filename!r} is a file.": (["validate", "x.xlsx", "--branches", __file__],),
    "{name} {filename!r} is not readable.": (["validate", "locked.xlsx"], "", True),
    "Error: invalid input": (["send", "--setup"], "me@qq.com\n1\ncode\nmaybe\n"),
    "Aborted!": (["send", "--setup"], ""),
}

# Click's messages (of the versions pyproject.toml allows) our commands never show, and why; a message of a
# new Click release fails the test below until it is translated or listed here.
NOT_SHOWN = {
    # our -V has its own Chinese help and message
    "Show the version and exit.",
    "%(prog)s, version %(version)s",
    # our messages leave out Path's kind ("file", "path"); no option takes only folders
    "file",
    "path",
    "directory",
    # no Path that is writable or executable
    "{name} {filename!r} is not writable.",
    "{name} {filename!r} is not executable.",
    # no required option (commands say themselves what is missing), no option shown with its environment variable,
    # no dynamic default
    "Missing option",
    "Missing parameter",
    "Missing {param_type}",
    "Missing parameter: {param_name}",
    "required",
    "env var: {var}",
    # no argument has a help text (so no such section); no batch runs for days (the progress bar's ETA)
    "Positional arguments",
    "d",
    "(dynamic)",
    "Choose from:\n\t{choices}",
    # every BadParameter of ours names its parameter
    "Invalid value: {message}",
    # no deprecated command or option
    "deprecated",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
    # parameter types and features we do not use
    "{value!r} is not a valid boolean. Recognized values: {states}",
    "{value!r} is not a valid UUID.",
    "{value!r} does not match the format {format}.",
    "{len_type} values are required, but {len_value} was given.",
    "Takes {nargs} values but 1 was given.",
    "Argument {name!r} takes {nargs} values.",
    "Value must be an iterable.",
    "Choice({choices})",
    "Could not open file {filename!r}: {message}",
    "unknown error",
    "Repeat for confirmation",
    "Error: The two entered values do not match.",
    "Press any key to continue...",
    "Do you want to continue?",
    "Confirm the action without prompting.",
    "{editor}: Editing failed",
    "{editor}: Editing failed: {e}",
    "Unknown color {colour!r}",
    "Unknown standard stream '{name}'",
    "Windows error: {error}",
    "Couldn't detect Bash version, shell completion is not supported.",
    "Shell completion is not supported for Bash versions older than 4.4.",
    # mistakes in the program, not in the command line
    "Invalid start character for option ({option})",
    "Name '{name}' defined twice",
    "Could not determine name for option with declarations {decls!r}",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
}


def click_msgids() -> set[str]:
    """Every message Click's source passes to gettext or ngettext (the singular of a plural)."""
    found = set()
    for path in CLICK_SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            if node.func.id in ("_", "ngettext") and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
    return found


def literal_parts(template: str) -> list[str]:
    """The fixed text of a format string, without its {fields}."""
    return [text.strip() for text, *_ in string.Formatter().parse(template) if text.strip()]


def msgid(key: str) -> str:
    return key.split("\0")[0]


def test_every_catalogue_entry_has_a_command_line_that_shows_it():
    assert set(SHOWN_BY) == {msgid(key) for key in PO_ENTRIES if key != HEADER}


def test_every_message_click_can_show_is_translated_or_known_not_to_be_shown():
    """Fails loudly when a Click release renames or adds a message."""
    translated = {msgid(key) for key in PO_ENTRIES if key != HEADER}
    assert translated <= click_msgids(), "the catalogue translates texts this Click does not have"
    assert click_msgids() - translated <= NOT_SHOWN


@pytest.mark.parametrize("entry", list(SHOWN_BY))
def test_click_message_is_in_chinese(entry, tmp_path, monkeypatch):
    arguments, typed, unreadable = (*SHOWN_BY[entry], "", False)[:3]
    key = next(key for key in PO_ENTRIES if msgid(key) == entry)
    monkeypatch.chdir(tmp_path)
    if unreadable:
        (tmp_path / "locked.xlsx").write_bytes(b"")
        monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    result = CliRunner().invoke(main, arguments, input=typed, prog_name="python fill.py")
    assert "Traceback" not in result.output
    for chinese in PO_ENTRIES[key].split("\0"):
        for text in literal_parts(chinese):
            assert text in result.output, f"{text!r} missing from:\n{result.output}"
    for english in key.split("\0"):
        for text in literal_parts(english):
            if any(letter.isalpha() for letter in text):
                assert text not in result.output, f"{text!r} in:\n{result.output}"


def test_usage_errors_exit_2():
    for arguments in (["render"], ["render", "--bogus"], ["validate", "x.xlsx", "--format", "xml"], ["rendr"]):
        assert CliRunner().invoke(main, arguments).exit_code == 2


def test_fill_py_answers_a_wrong_option_in_chinese():
    result = subprocess.run(
        [sys.executable, "fill.py", "render", "--bogus"], cwd=ROOT, capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 2
    assert "错误：没有选项 --bogus。" in result.stderr
    assert (
        "用法: python fill.py render" in result.stderr
        and "运行 python fill.py render --help 查看用法。" in result.stderr
    )
    assert "No such option" not in result.stderr and "Usage" not in result.stderr and not result.stdout


@pytest.mark.parametrize("command", [[], *([name] for name in main.commands)])
def test_every_help_page_has_chinese_headings(command):
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("用法:") and "\n选项:\n" in result.output and "显示本帮助并退出。" in result.output
    assert ("\n命令:\n" in result.output) == (command == [])
    assert not {"Usage", "Options", "Commands", "Show this message"} & set(result.output.split(":"))


def test_every_click_module_with_gettext_names_speaks_chinese():
    """The command line rebinds the gettext names Click's modules took at import (see annual_report/cli/chinese.py)."""
    modules = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")
    for name in modules:
        module = sys.modules[f"click.{name}"]
        assert isinstance(module._.__self__, gettext.GNUTranslations), name
    for name in ("core", "exceptions", "parser", "types"):
        assert isinstance(sys.modules[f"click.{name}"].ngettext.__self__, gettext.GNUTranslations), name


def test_the_committed_catalogue_is_compiled_from_its_source():
    committed = catalogue.translations()
    compiled = gettext.GNUTranslations(io.BytesIO(compiled_catalogue()))
    assert committed._catalog == compiled._catalog, "run: python tests/make_samples.py"
    assert committed.gettext("Usage:") == "用法:"
    assert committed.ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 2) == (
        "是不是要写 {possibilities}？"
    )


# The problem catalogue ---------------------------------------------------------------------------------


def test_every_problem_code_has_a_message_and_every_message_a_code():
    assert {key.split("/")[0] for key in MESSAGES} == set(CODES)


def test_no_problem_is_made_outside_the_catalogue():
    """A Problem(...) built by hand would carry a message the catalogue does not hold."""
    package = ROOT / "annual_report"
    for path in package.rglob("*.py"):
        if path == package / "core" / "problems.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
                pytest.fail(f"{path.relative_to(ROOT)}:{node.lineno} builds a Problem; use problems.problem()")
