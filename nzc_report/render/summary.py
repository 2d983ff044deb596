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
from nzc_report.resources import TEMPLATES_DIR


def render_summary_html(summary: dict, folder: Path, lang: str = "zh", pdf_variant: str | None = None,
                        *, link_css: bool = True) -> str:
    """The summary as HTML; with ``link_css`` False, without its stylesheet links (the PDF
    renderer passes them parsed: render.pdf.stylesheet)."""
    check_lang(lang)
    folder = Path(folder)
    figures = {name: (folder / rel).resolve().as_uri() for name, rel in (summary.get("figures") or {}).items()}
    view = SummaryView(summary, lang, figures, pdf_variant)
    template = "national_summary.html.j2" if view.national else "province_summary.html.j2"
    return jinja_env().get_template(template).render(
        s=summary, v=view, t=view.t, x=view.x, lang=lang,
        generator=f"nzc-report {__version__}",
        css_url=(TEMPLATES_DIR / "report.css").as_uri() if link_css else None,
        summary_css_url=(TEMPLATES_DIR / "summary.css").as_uri() if link_css else None,
    )


def render_summary_pdf(folder: str | Path, *, lang: str = "zh", pdf_variant: str | None = None) -> list[str]:
    """Reads folder/results.json and figures, writes folder/summary.pdf; returns WeasyPrint's warnings."""
    folder = Path(folder)
    options = pdf_options(pdf_variant)
    summary = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    html = render_summary_html(summary, folder, lang, pdf_variant, link_css=False)
    return write_pdf(html, folder / "summary.pdf", base_url=TEMPLATES_DIR,
                     allowed_roots=[TEMPLATES_DIR, folder], pdf_options=options,
                     stylesheets=(TEMPLATES_DIR / "report.css", TEMPLATES_DIR / "summary.css"))
