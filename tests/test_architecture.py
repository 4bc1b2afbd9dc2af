"""The code's structure as docs/ARCHITECTURE.md draws it: layers import downwards only, no import cycles, and the
modules the developer documents name exist."""

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
