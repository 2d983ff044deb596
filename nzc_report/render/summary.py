"""Rendering provincial and national summaries from their results.json and figures.

Same form as the zone reports: cover, contents, running header, the footer
"第 1 页 共 14 页", bookmarks, a tagged PDF in the summary's language, and the
archival or accessible variant asked for (--pdf-variant).
"""
from __future__ import annotations

import json
from pathlib import Path

from nzc_report import __version__
from nzc_report.render.environment import jinja_env
from nzc_report.render.messages import check_lang
from nzc_report.render.pdf import pdf_options, write_pdf
from nzc_report.render.summary_view import SummaryView
from nzc_report.resources import Project, current_project, using_project


def render_summary_html(summary: dict, folder: Path, lang: str = "zh", pdf_variant: str | None = None,
                        *, link_css: bool = True, project: Project | None = None) -> str:
    """The summary as HTML; with ``link_css`` False, without its stylesheet links (the PDF
    renderer passes them parsed: render.pdf.stylesheet). ``project``: whose templates and
    params (default: the current project, resources.current_project)."""
    check_lang(lang)
    project = project or current_project()
    folder = Path(folder)
    figures = {name: (folder / rel).resolve().as_uri() for name, rel in (summary.get("figures") or {}).items()}
    with using_project(project):
        view = SummaryView(summary, lang, figures, pdf_variant)
        return _summary_html(summary, view, lang, project.templates, link_css)


def _summary_html(summary: dict, view: SummaryView, lang: str, templates: Path, link_css: bool) -> str:
    template = "national_summary.html.j2" if view.national else "province_summary.html.j2"
    return jinja_env(templates).get_template(template).render(
        s=summary, v=view, t=view.t, x=view.x, lang=lang,
        generator=f"nzc-report {__version__}",
        css_url=(templates / "report.css").as_uri() if link_css else None,
        summary_css_url=(templates / "summary.css").as_uri() if link_css else None,
    )


def render_summary_pdf(folder: str | Path, *, lang: str = "zh", pdf_variant: str | None = None,
                       project: Project | None = None) -> list[str]:
    """Reads folder/results.json and figures, writes folder/summary.pdf; returns WeasyPrint's warnings.
    ``project``: the project files it renders with (default: resources.current_project)."""
    project = project or current_project()
    templates = project.templates
    folder = Path(folder)
    options = pdf_options(pdf_variant)
    summary = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    html = render_summary_html(summary, folder, lang, pdf_variant, link_css=False, project=project)
    return write_pdf(html, folder / "summary.pdf", base_url=templates,
                     allowed_roots=[templates, folder], pdf_options=options,
                     stylesheets=(templates / "report.css", templates / "summary.css"))
