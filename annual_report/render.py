"""Render the Word template with a context, after checking its variables against the schema."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate

from .context import DERIVED_VARIABLES
from .errors import TemplateError
from .schema import Schema, load_schema

TEMPLATE_PATH = Path(__file__).resolve().parent.parent / "templates" / "年报模板.docx"


class _CompilingOnceEnvironment(jinja2.Environment):
    """An environment that compiles each template source once: docxtpl hands it the same XML on every render."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) >= 32:  # a few parts per template; bounded in case of many templates
                self._compiled.clear()
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


@cache
def jinja_environment() -> jinja2.Environment:
    """Strict (a typo fails loudly) and escaping (a librarian's < & cannot break the XML); one per process."""
    return _CompilingOnceEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


class _Template(DocxTemplate):
    """docxtpl's template, with its XML clean-up (the same for every render of one file) done once."""

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in _PATCHED:
            if len(_PATCHED) >= 32:
                _PATCHED.clear()
            _PATCHED[src_xml] = super().patch_xml(src_xml)
        return _PATCHED[src_xml]


_PATCHED: dict[str, str] = {}


def known_variables(schema: Schema) -> set[str]:
    """Every top-level name a template may use."""
    return {part.key for part in schema.parts} | DERIVED_VARIABLES


def load_template(path: Path | str = TEMPLATE_PATH, schema: Schema | None = None) -> DocxTemplate:
    """Open a template and refuse it if it names a variable the schema does not define."""
    schema = schema or load_schema()
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"找不到 Word 模板：{path}")
    stat = path.stat()
    _check_template(path.resolve(), stat.st_mtime_ns, stat.st_size, schema)
    return _Template(path)


@cache
def _check_template(path: Path, mtime_ns: int, size: int, schema: Schema) -> None:
    """Check a template's variables once per version of the file (a failure is not cached)."""
    try:
        template = DocxTemplate(path)
        used = template.get_undeclared_template_variables(jinja_environment())
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(f"Word 模板 {path.name} 有语法错误：{exc.message}") from exc
    except Exception as exc:  # a corrupt .docx raises from deep inside python-docx
        raise TemplateError(f"无法打开 Word 模板 {path}：{exc}") from exc
    unknown = sorted(used - known_variables(schema))
    if unknown:
        raise TemplateError(f"Word 模板 {path.name} 使用了 schema 中没有的变量：{'、'.join(unknown)}")


def render_document(context: dict, template: DocxTemplate) -> DocxTemplate:
    """The template rendered with the context (still open, for the finishing step)."""
    try:
        template.render(context, jinja_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"Word 模板使用了未定义的内容：{exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"Word 模板无法生成：{exc}") from exc
    return template


def to_bytes(template: DocxTemplate) -> bytes:
    """The rendered document as .docx bytes."""
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
