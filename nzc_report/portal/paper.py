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
from html.parser import HTMLParser
from pathlib import Path

from typing import TYPE_CHECKING

from nzc_report import resources

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

# a table (a DataFrame's HTML, rebuilt by table_html: only its cells' text) before plain text;
# any other HTML output is dropped before conversion and shown as its plain text
OUTPUT_PRIORITY = ["image/svg+xml", "image/png", "image/jpeg", "text/html", "text/plain"]
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

    memo = _Memo()
    highlight = Highlight2HTML(pygments_lexer=lexer, parent=exporter)

    def highlight_code(source, language=None, metadata=None):
        key = ("highlight", source, language, (metadata or {}).get("magics_language"))
        return memo.get(key, lambda: highlight(source, language, metadata))

    def clean(element):
        if not isinstance(element, str | bytes):
            return _clean_html(element)
        return memo.get(("clean", type(element), element), lambda: _clean_html(element))

    @pass_context
    def markdown2html(context, source):
        cell = context.get("cell", {})
        if cell.get("attachments"):
            return exporter.markdown2html(context, source)
        path = context.get("resources", {}).get("metadata", {}).get("path", "")
        return memo.get(("markdown", source, path), lambda: exporter.markdown2html(context, source))

    return {"highlight_code": highlight_code, "clean_html": clean, "markdown2html": markdown2html}


_TABLE_TAGS = ["thead", "tbody", "th"]


def _clean_html(element) -> str:
    """nbconvert's clean_html (bleach: anything but its few tags escaped, no script, no style
    attribute), with a table's thead, tbody and th allowed too (table_html's tables)."""
    import bleach

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(text, tags=[*bleach.ALLOWED_TAGS, "div", "pre", "code", "span", "table", "tr", "td",
                                    *_TABLE_TAGS], attributes={**bleach.ALLOWED_ATTRIBUTES, "*": ["class", "id"]})


class _Cells(HTMLParser):
    """The rows of the first <table> of some HTML: (section, [(th or td, text)]) each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, list[tuple[str, str]]]] = []
        self.section, self.cell, self.depth = "tbody", None, 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag in ("thead", "tbody"):
            self.section = tag
        elif self.depth == 1 and tag == "tr":
            self.rows.append((self.section, []))
        elif self.depth == 1 and tag in ("th", "td") and self.rows:
            self.cell, self.text = tag, []

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
        elif self.depth == 1 and tag in ("th", "td") and self.cell and self.rows:
            self.rows[-1][1].append((self.cell, " ".join("".join(self.text).split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            self.text.append(data)


def table_html(html: str) -> str | None:
    """A DataFrame's HTML output rebuilt as a plain table: its cells' text only, escaped (no
    attribute, style or other tag of the output survives); a cell not reported (NaN, None) is
    shown as —, as in the reports. None when the HTML holds no table."""
    import html as html_lib

    cells = _Cells()
    cells.feed(html)
    cells.close()
    if not cells.rows:
        return None
    out, section = ['<table class="dataframe">'], None
    for part, row in cells.rows:
        if part != section:
            out.append(("" if section is None else f"</{section}>") + f"<{part}>")
            section = part
        out.append("<tr>" + "".join(f"<{tag}>{'—' if text in ('NaN', 'None', '<NA>') else html_lib.escape(text)}"
                                    f"</{tag}>" for tag, text in row) + "</tr>")
    out.append(f"</{section}></table>")
    return "\n".join(out)


def _tables_only(nb) -> None:
    """Each output's HTML: a table rebuilt by table_html; any other dropped (its plain text shows)."""
    for cell in nb.cells:
        for output in cell.get("outputs") or []:
            data = output.get("data") or {}
            if "text/html" in data:
                html = data["text/html"]
                table = table_html("".join(html) if isinstance(html, list) else html) \
                    if "<table" in "".join(html) else None
                if table is None or "text/plain" not in data and "image/svg+xml" not in data:
                    del data["text/html"]
                else:
                    data["text/html"] = table


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


# the task folder's own prefixes in the parameters (batch/tasks.py: TASK_DATA, TASK_PROJECT):
# "in/dataset.xlsx" is the user's dataset.xlsx, "project/params/rules.yaml" the params/rules.yaml
_TASK_PATH = re.compile(r'"(?:in|project)/([^"\n]*)"')


def user_names(source: str) -> str:
    """The parameters cell with the user's own file names: the build copied the dataset into
    the task's in/ and the project's files into project/; a reader knows them as dataset.xlsx
    and params/rules.yaml. Display only, like readable_escapes."""
    return _TASK_PATH.sub(lambda m: f'"{m[1]}"', source)


def notebook_body(ipynb: bytes) -> str:
    import nbformat

    nb = nbformat.reads(ipynb.decode("utf-8"), as_version=4)
    # papermill gives its injected-parameters cell a random id, which the HTML would carry
    # into the page: ids by position keep the page byte-identical from build to build
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        if "injected-parameters" in (cell.get("metadata", {}).get("tags") or []):
            cell["source"] = user_names(readable_escapes(cell["source"]))
    _tables_only(nb)
    # as HTMLExporter.from_notebook_node picks the lexer
    info = nb.metadata.get("language_info", {})
    lexer = info.get("pygments_lexer", info.get("name", None)) or "ipython3"
    body, _ = _exporter(cells_template(), lexer).from_notebook_node(nb)
    return body
