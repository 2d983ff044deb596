"""The working paper (a zone's executed assessment.ipynb) as HTML, through nbconvert.

nbconvert's ``basic`` template gives the cells only: no <head>, so none of the lab
template's remote require.js/MathJax scripts and no inline styles that the page's
Content-Security-Policy would refuse; the portal's own page and CSS go around it.
Outputs are shown as figures (``<img src="data:…">``: an image cannot run scripts)
or as escaped plain text, never as the HTML or Markdown a cell produced; any HTML
left (``sanitize_html``) is cleaned by bleach. Markdown cells are the project's
notebook text (templates/portal/paper_cells.html.j2).
"""
from __future__ import annotations

import logging
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
    """resources.TEMPLATES_DIR when called: on a worker, the project files the build shipped."""
    return resources.TEMPLATES_DIR / "portal" / CELLS_TEMPLATE


@lru_cache(maxsize=1)
def _exporter(template: Path) -> HTMLExporter:
    """One exporter per process (and template): building it (templates, Pygments) costs more than a conversion.
    nbconvert is imported here: planning a build's portal (sources.py) does not need it."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config({"NbConvertBase": {"display_data_priority": OUTPUT_PRIORITY}})
    return HTMLExporter(config=config, template_name="basic", template_file=str(template),
                        sanitize_html=True, exclude_input_prompt=True, exclude_output_prompt=True, log=_log)


def notebook_body(ipynb: bytes) -> str:
    import nbformat

    nb = nbformat.reads(ipynb.decode("utf-8"), as_version=4)
    # papermill gives its injected-parameters cell a random id, which the HTML would carry
    # into the page: ids by position keep the page byte-identical from build to build
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    body, _ = _exporter(cells_template()).from_notebook_node(nb)
    return body
