"""What every render would build again, built once per process before the renders fork.

Each report and summary is rendered in a fork of the worker (batch/deadline.py): what a
render builds and keeps for the next one (WeasyPrint's font configuration, the parsed
stylesheets, the compiled Jinja templates, the message catalogue, the params files the
views read and the validators that check them) was built in the fork and went with it, so
every document paid for it again: about 0.6 s of CPU a document (3.1 → 2.6 s for a zone
report; the first render of a process costs that much more than the next).
``warm`` builds it in the worker, once per project and language, before the first fork;
each fork inherits it copy-on-write. Every one of these is kept per file (path, and the
stylesheets' size and time), as the renders keep it: a document renders the same bytes warm
or cold.
"""
from __future__ import annotations

import logging
import threading

from nzc_report.render.environment import jinja_env
from nzc_report.render.messages import catalogue
from nzc_report.render.pdf import check_harfbuzz_subset, font_config, stylesheet
from nzc_report.render.significance import significance_texts
from nzc_report.render.zone_view import report_defaults
from nzc_report.resources import Project, using_project

# the stylesheets a document of the build renders with (render_zone_pdf, render_summary_pdf)
STYLESHEETS = ("report.css", "summary.css")
log = logging.getLogger("nzc_report")
_WARMED: set[tuple[str, str | None, str]] = set()
_LOCK = threading.Lock()


def warm(project: Project, lang: str) -> None:
    """Builds what a render of ``project``'s documents in ``lang`` reads, once per process."""
    key = (str(project.root), str(project.overlay) if project.overlay else None, lang)
    if key in _WARMED:
        return
    with _LOCK:
        if key in _WARMED:
            return
        _WARMED.add(key)
        try:
            _warm(project, lang)
        except Exception:  # a broken file is the render's to report, in its fork, as before
            log.debug("warming the renders up failed; each render builds its own", exc_info=True)


def _warm(project: Project, lang: str) -> None:
    check_harfbuzz_subset()  # WeasyPrint imported
    font_config()
    templates = project.templates
    logger = logging.getLogger("weasyprint")
    propagate = logger.propagate
    # a stylesheet's parse warnings are said with each document that uses it (pdf.stylesheet),
    # not here, outside any document
    logger.propagate = False
    try:
        for name in STYLESHEETS:
            if (templates / name).is_file():
                stylesheet(templates / name)
    finally:
        logger.propagate = propagate
    env = jinja_env(templates)
    # every template of the documents (their partials and macros too), not the portal's: the portal task renders those
    for name in env.list_templates(extensions=["j2"]):
        if not name.startswith("portal/"):
            env.get_template(name)
    with using_project(project):
        catalogue(lang)
        report_defaults()
        significance_texts()
