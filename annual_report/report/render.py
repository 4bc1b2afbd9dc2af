"""Render the Word template with a context, after checking its variables against the schema."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import jinja2
import markupsafe
from docxtpl import DocxTemplate

from annual_report.core.errors import TemplateError
from annual_report.core.messages import message
from annual_report.core.problems import ERROR
from annual_report.core.resources import TEMPLATE_PATH
from annual_report.core.schema import Schema, load_schema
from annual_report.report.template_check import check_template


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
    return _CompilingOnceEnvironment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=_as_written)


def _as_written(value):
    """A value escaped so that it comes out as written: docxtpl turns {_{ and }_} into {{ and }} after rendering."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup) and "_" in value:
        escaped = str(markupsafe.escape(value))
        return markupsafe.Markup(escaped.replace("{_", "{&#95;").replace("_}", "&#95;}"))
    return value


class _Template(DocxTemplate):
    """docxtpl's template, with its XML clean-up (the same for every render of one file) done once."""

    def patch_xml(self, src_xml: str) -> str:
        if src_xml not in _PATCHED:
            if len(_PATCHED) >= 32:
                _PATCHED.clear()
            _PATCHED[src_xml] = super().patch_xml(src_xml)
        return _PATCHED[src_xml]


_PATCHED: dict[str, str] = {}


def load_template(path: Path | str = TEMPLATE_PATH, schema: Schema | None = None) -> DocxTemplate:
    """Open a template, refusing it if check-template finds an error in it."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError(message("template-not-found", file=path))
    errors = [p.message for p in check_template(path, schema or load_schema()) if p.severity == ERROR]
    if errors:
        raise TemplateError(message("template-has-errors", errors="；".join(errors)))
    return _Template(path)


def render_document(context: dict, template: DocxTemplate) -> DocxTemplate:
    """The template rendered with the context (still open, for the finishing step)."""
    try:
        template.render(context, jinja_environment(), autoescape=True)
    except jinja2.UndefinedError as exc:
        raise TemplateError(message("template-undefined", detail=exc.message)) from exc
    except jinja2.TemplateError as exc:
        error = TemplateError(message("template-failed"))
        error.add_note(f"Jinja2: {exc}")  # English: shown only in --debug's traceback
        raise error from exc
    return template


def to_bytes(template: DocxTemplate) -> bytes:
    """The rendered document as .docx bytes."""
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
