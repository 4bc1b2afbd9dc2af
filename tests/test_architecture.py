"""The code's structure as docs/ARCHITECTURE.md draws it: layers import downwards only, no import cycles, and the
modules the developer documents name exist; imports stand at the top of each module, where the graph shows them."""

import ast
import re
import sys

import grimp
from importlinter import cli
from make_samples import ROOT


def test_the_layers_import_downwards_only(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_takes_part_in_an_import_cycle():
    graph = grimp.build_graph("annual_report")
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    assert cycles == []


def test_the_layers_drawn_are_the_layers_checked():
    drawn = re.search(r"Layers import downwards only: (.+)", (ROOT / "docs" / "ARCHITECTURE.md").read_text()).group(1)
    contract = re.search(r"layers = \[(.*?)\]", (ROOT / "pyproject.toml").read_text(), re.S).group(1)
    checked = [layer.replace("annual_report.", "") for layer in re.findall(r'"([^"]+)"', contract)]
    assert [layer.strip() for layer in drawn.rstrip(".").split(" ← ")][::-1] == checked


def test_every_module_the_developer_pages_name_exists():
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text() + (ROOT / "docs" / "DEVELOPING.md").read_text()
    named = set(re.findall(r"`((?:core|workbook|report|layout|pipeline|importer|mail|web|cli|collect)/[\w/]+\.py)`", text))
    missing = {path for path in named if not (ROOT / "annual_report" / path).is_file()}
    assert named and missing == set()


# The imports a function may make, each (module, what it imports, why): heavy optional parts, loaded only when used.
INLINE_IMPORTS = {
    ("web/server.py", "flask", "optional (.[web]): imported to say clearly that it is missing"),
    ("web/server.py", "waitress", "optional (.[web]): imported to say clearly that it is missing"),
    ("web/server.py", "annual_report.web.app", "imports Flask: only once it is known to be installed"),
    ("web/server.py", "annual_report.web.front", "imports waitress: only once it is known to be installed"),
    ("workbook/formats.py", "openpyxl", "heavy: only for what calamine cannot read (test_fastread: a plain render never loads it)"),
    ("workbook/convert.py", "openpyxl.utils.datetime", "imports all of openpyxl: only for a date typed as a serial number"),
}


def inline_imports(tree: ast.Module) -> set[str]:
    """The modules imported inside a function or method of this module."""
    found = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    found.add("." * node.level + (node.module or ""))
    return found


def test_imports_stand_at_the_top_of_modules_but_the_lazy_ones_listed():
    package = ROOT / "annual_report"
    found = {
        (path.relative_to(package).as_posix(), name)
        for path in package.rglob("*.py")
        for name in inline_imports(ast.parse(path.read_text(encoding="utf-8")))
    }
    allowed = {(module, name) for module, name, _why in INLINE_IMPORTS}
    assert found - allowed == set(), "move these imports to the module top, or list them with the reason"
    assert allowed - found == set(), "these listed imports are no longer made inside a function: unlist them"
