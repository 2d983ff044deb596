"""The working paper (a zone's executed assessment.ipynb) as HTML, through nbconvert.

nbconvert's ``basic`` template gives the cells only: no <head>, so none of the lab
template's remote require.js/MathJax scripts and no inline styles that the page's
Content-Security-Policy would refuse; the portal's own page and CSS go around it.
Outputs are shown as figures (``<img src="data:…">``: an image cannot run scripts)
or as escaped plain text, never as the HTML or Markdown a cell produced; any HTML
left (``sanitize_html``) is cleaned by bleach. Markdown cells are the project's
notebook text (templates/portal/paper_cells.html.j2).

Every zone's paper is the same notebook: its cells' text (code and Markdown) differs only in
the parameters. The filters that turn a cell's text into HTML (highlighting, bleach's
cleaning, Markdown) are pure functions of that text, so one exporter remembers what they gave
(_Memo) and converts each distinct cell once per process: the same bytes, a fraction of the CPU.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from nzc_report import resources

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

OUTPUT_PRIORITY = ["image/svg+xml", "image/png", "image/jpeg", "text/plain"]
CELLS_TEMPLATE = "paper_cells.html.j2"  # under templates/portal/
# nbconvert's notices (e.g. "alternative text is missing") are not the build's business
_log = logging.getLogger("nzc_report.portal.nbconvert")
_log.setLevel(logging.ERROR)


def cells_template() -> Path:
    """The current project's (make_portal's): on a worker, the project files the build shipped."""
    return resources.current_project().templates / "portal" / CELLS_TEMPLATE


class _Memo:
    """Remembers a pure filter's result by a key made of what the result depends on."""

    LIMIT = 4096  # distinct cells kept; a paper has a few dozen, most the same in every paper

    def __init__(self) -> None:
        self.results: dict = {}

    def get(self, key, make):
        if key not in self.results:
            if len(self.results) >= self.LIMIT:
                self.results.clear()
            self.results[key] = make()
        return self.results[key]


def _remembering_filters(exporter: HTMLExporter, lexer: str) -> dict:
    """highlight_code, clean_html and markdown2html, as nbconvert has them, remembered.

    What each depends on, from nbconvert's code: highlighting on the text, the language and
    a cell's ``magics_language`` (the rest of the metadata, papermill's timings, it ignores);
    bleach on the text; Markdown on the text, the cell's attachments (none in our notebook:
    such a cell is converted afresh) and the resources' path."""
    from jinja2 import pass_context
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.strings import clean_html

    memo = _Memo()
    highlight = Highlight2HTML(pygments_lexer=lexer, parent=exporter)

    def highlight_code(source, language=None, metadata=None):
        key = ("highlight", source, language, (metadata or {}).get("magics_language"))
        return memo.get(key, lambda: highlight(source, language, metadata))

    def clean(element):
        if not isinstance(element, str | bytes):
            return clean_html(element)
        return memo.get(("clean", type(element), element), lambda: clean_html(element))

    @pass_context
    def markdown2html(context, source):
        cell = context.get("cell", {})
        if cell.get("attachments"):
            return exporter.markdown2html(context, source)
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return memo.get(("markdown", source, path), lambda: exporter.markdown2html(context, source))

    return {"highlight_code": highlight_code, "clean_html": clean, "markdown2html": markdown2html}


@lru_cache(maxsize=4)
def _exporter(template: Path, lexer: str) -> HTMLExporter:
    """One exporter per process (template and language), its cell filters remembered: building
    it (templates, Pygments) costs more than a conversion. nbconvert is imported here: planning
    a build's portal (sources.py) does not need it."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"NbConvertBase": {"display_data_priority": OUTPUT_PRIORITY}})
    exporter = HTMLExporter(config=config, template_name="basic", template_file=str(template),
                            sanitize_html=True, exclude_input_prompt=True, exclude_output_prompt=True, log=_log)
    exporter.filters = _remembering_filters(exporter, lexer)
    return exporter


_ESCAPE = re.compile(r"(?<!\\)\\u([0-9a-fA-F]{4})")


def readable_escapes(source: str) -> str:
    """papermill's parameters cell as a reader reads it: ``\\u6d59\\u6c5f`` (JSON's escapes of
    non-ASCII letters in a dict's strings) shown as 浙江. Display only: the notebook keeps its text;
    escapes of control characters and of ASCII stay as they are."""
    def letter(m: re.Match) -> str:
        c = chr(int(m[1], 16))
        return c if ord(c) >= 0xA0 and c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else m[0]
    return _ESCAPE.sub(letter, source)


def notebook_body(ipynb: bytes) -> str:
    import nbformat

    nb = nbformat.reads(ipynb.decode("utf-8"), as_version=4)
    # papermill gives its injected-parameters cell a random id, which the HTML would carry
    # into the page: ids by position keep the page byte-identical from build to build
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        if "injected-parameters" in (cell.get("metadata", {}).get("tags") or []):
            cell["source"] = readable_escapes(cell["source"])
    # as HTMLExporter.from_notebook_node picks the lexer
    info = nb.metadata.get("language_info", {})
    lexer = info.get("pygments_lexer", info.get("name", None)) or "ipython3"
    body, _ = _exporter(cells_template(), lexer).from_notebook_node(nb)
    return body
