"""Check a Word template against the schema: Jinja syntax, unknown variables, fields never used."""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path

import jinja2
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from jinja2 import meta, nodes

from annual_report import __version__
from annual_report.core.errors import TemplateError
from annual_report.core.folders import cache_folder
from annual_report.core.messages import message
from annual_report.core.problems import Problem, problem, restored
from annual_report.core.schema import Schema, load_schema
from annual_report.report.context import DERIVED_VARIABLES, derived_sources
from annual_report.report.finish import REQUIRED_STYLES
from annual_report.workbook.inserts import block_sources

_DOCXTPL_TAGS = (
    (re.compile(r"\{%-?\s*(?:p|tr|tc|r)\s"), "{% "),
    (re.compile(r"\{\{-?\s*(?:p|r)\s"), "{{ "),
    (re.compile(r"\{%-?\s*[vh]m\s*-?%\}"), ""),
)




def check_template(path: Path | str, schema: Schema | None = None) -> list[Problem]:
    """Every problem of a template; errors make it unusable, warnings name fields it never shows."""
    path = Path(path)
    stat = path.stat() if path.is_file() else None
    mtime, size = (stat.st_mtime_ns, stat.st_size) if stat else (0, 0)
    return list(_remembered(path, mtime, size, schema or load_schema()))


@cache
def _remembered(path: Path, mtime: int, size: int, schema: Schema) -> tuple[Problem, ...]:
    """The template's problems, kept across processes in the user's cache folder by the content of all it depends on."""
    try:
        stored = cache_folder() / f"template-check-{_content_key(path, schema)}.json"
    except OSError:  # no template to read: _check says so
        return _check(path, schema)
    with contextlib.suppress(OSError, ValueError, TypeError):
        return tuple(restored(item) for item in json.loads(stored.read_text(encoding="utf-8")))
    found = _check(path, schema)
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        stored.parent.mkdir(parents=True, exist_ok=True)
        draft = stored.with_name(f".{stored.name}.{os.getpid()}")
        draft.write_text(json.dumps([dataclasses.asdict(p) for p in found], ensure_ascii=False), encoding="utf-8")
        os.replace(draft, stored)
    return found


def _content_key(path: Path, schema: Schema) -> str:
    """A digest of the template, the schema, the version and the package's code (any module may change the result)."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(schema.raw, sort_keys=True).encode())
    digest.update(__version__.encode())
    digest.update(_code_digest())
    return digest.hexdigest()


@cache
def _code_digest() -> bytes:
    """A digest of every module of the package, read once per process."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.digest()


def _check(path: Path, schema: Schema) -> tuple[Problem, ...]:
    paragraphs = _paragraphs(path)
    source = "\n".join(text for _, text in paragraphs)
    environment = jinja2.Environment()
    name = path.name
    try:
        tree = environment.parse(source)
        environment.compile(tree)  # what only compiling finds: a filter or test that does not exist
    except jinja2.TemplateSyntaxError as exc:
        where, text = paragraphs[min(max(exc.lineno, 1), len(paragraphs)) - 1] if paragraphs else ("", "")
        return (problem("template-syntax", name, where, value=exc.message, extra=text[:60]),)
    placed = {node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str)}
    found = _missing_styles(path, placed)
    known = {part.key for part in schema.parts} | DERIVED_VARIABLES
    for variable in sorted(meta.find_undeclared_variables(tree) - known):
        where = next((w for w, text in paragraphs if re.search(rf"\b{re.escape(variable)}\b", text)), "")
        found.append(problem("template-unknown-variable", name, where, variable, value=variable))
    for entry in schema.inserts:
        if entry.block and entry.block not in placed:
            found.append(problem("template-missing-block", name, "", entry.block, value=entry.name, extra=entry.block))
    used = _used_fields(tree, schema)
    for part in schema.parts:
        for item in part.fields:
            dotted = f"{part.key}.{item.key}"
            if not item.in_document:
                continue
            if not any(fnmatch.fnmatch(dotted, pattern) for pattern in used):
                found.append(problem("template-unused-field", name, "", dotted, label=item.label, value=dotted))
    return tuple(found)


def _missing_styles(path: Path, placed: set[str]) -> list[Problem]:
    """The styles the report needs for what the template places (its blocks, its contents) that it does not define."""
    document = Document(path)
    styles = {style.style_id: style.name for style in document.styles if style.type == WD_STYLE_TYPE.PARAGRAPH}
    used = {styles.get(paragraph.style, "") for paragraph in document.element.body.iter(qn("w:p"))}
    needs = placed | ({"table"} if any(str(kind).endswith("_table") for kind in placed) else set())
    needs |= {"contents"} if "TOC Heading" in used else set()
    return [
        problem("template-missing-style", path.name, "", style, value=style, extra=used_for)
        for style, (used_for, needed_by) in REQUIRED_STYLES.items()
        if needed_by in needs and style not in styles.values()
    ]


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    """(where, text with docxtpl's tags made plain Jinja) of every paragraph, headers and footers included."""
    try:
        document = Document(path)
    except Exception as exc:  # python-docx raises many kinds for a file that is no .docx
        raise TemplateError(message("template-not-docx", file=path)) from exc
    parts = [("正文", document.element.body)]
    for index, section in enumerate(document.sections, start=1):
        for label, story in (
            ("页眉", section.header),
            ("页脚", section.footer),
            ("偶数页页脚", section.even_page_footer),
        ):
            if not story.is_linked_to_previous:
                parts.append((f"第 {index} 节{label}", story.part.element))
    found = []
    for label, element in parts:
        for number, paragraph in enumerate(element.iter(qn("w:p")), start=1):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            for pattern, replacement in _DOCXTPL_TAGS:
                text = pattern.sub(replacement, text)
            found.append((f"{label}第{number}段", text))
    return found


def _used_fields(tree: nodes.Template, schema: Schema) -> set[str]:
    """Field patterns the template shows: direct uses, and what derived variables and insert blocks are made of."""
    used = set()
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name):
            used.add(f"{node.node.name}.{node.attr}")
        used.add(f"*.{node.attr}")  # a loop variable's attribute: r.department
    derived = derived_sources(schema)
    for name in {n.name for n in tree.find_all(nodes.Name)} | used:
        used.update(derived.get(name, ()))
    blocks = block_sources(schema)
    for constant in tree.find_all(nodes.Const):  # an insert's block: {% if block.kind == "<its key>" %}
        if isinstance(constant.value, str):
            used.update(blocks.get(constant.value, ()))
    return {pattern for pattern in used if not pattern.startswith("*.")} | {
        f"{part}.{pattern[2:]}" for pattern in used if pattern.startswith("*.") for part in _table_parts(tree)
    }


def _table_parts(tree: nodes.Template) -> set[str]:
    """Parts the template loops over directly (for r in organisation)."""
    return {node.iter.name for node in tree.find_all(nodes.For) if isinstance(node.iter, nodes.Name)}
