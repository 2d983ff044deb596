"""Rendering a zone's results.json and figures into its PDF report."""
from __future__ import annotations

from pathlib import Path

from nzc_report import __version__
from nzc_report.results_model import ZoneResults, read_results
from nzc_report.render.environment import jinja_env
from nzc_report.render.messages import check_lang
from nzc_report.render.pdf import PDF_VARIANTS, check_harfbuzz_subset, pdf_options, write_pdf
from nzc_report.render.zone_view import PeerRank, ZoneView
from nzc_report.resources import Project, current_project, using_project

__all__ = ["PDF_VARIANTS", "PeerRank", "render_zone_html", "render_zone_pdf", "check_harfbuzz_subset"]


def render_zone_html(results: ZoneResults | dict, zone_dir: Path, lang: str = "zh", pdf_variant: str | None = None,
                     rank: PeerRank | None = None, *, link_css: bool = True, project: Project | None = None) -> str:
    """The report as HTML; with ``link_css`` False, without its stylesheet link (the PDF
    renderer passes it parsed: render.pdf.stylesheet). ``project``: whose templates and params
    (default: the current project, resources.current_project)."""
    check_lang(lang)
    project = project or current_project()
    zone_dir = Path(zone_dir)
    model = results if isinstance(results, ZoneResults) else ZoneResults.from_dict(results)
    figures = {name: (zone_dir / rel).resolve().as_uri() for name, rel in model.figures.items()}
    with using_project(project):
        view = ZoneView(results, lang, figures, pdf_variant, rank)
        return _zone_html(view.r, view, lang, project.templates, link_css)


def _zone_html(results: dict, view: ZoneView, lang: str, templates: Path, link_css: bool) -> str:
    return jinja_env(templates).get_template("zone_report.html.j2").render(
        r=results,
        v=view,
        t=view.t,
        lang=lang,
        generator=f"nzc-report {__version__}",
        css_url=(templates / "report.css").as_uri() if link_css else None,
    )


def render_zone_pdf(zone_dir: str | Path, *, lang: str = "zh", pdf_variant: str | None = None,
                    rank: PeerRank | None = None, target: str | Path | None = None,
                    project: Project | None = None) -> list[str]:
    """Reads zone_dir/results.json and figures, writes ``target`` (default zone_dir/report.pdf).

    Tagged PDF always; ``pdf_variant`` 'pdf/a-2b' (archives) or 'pdf/ua-1'.
    ``rank``: the zone's place among the zones of its type (ranking.json), shown on
    the summary page; None shows none (a report rendered outside a build).
    Returns WeasyPrint's warnings (a missing glyph, say) for the build log.
    ``project``: the project files it renders with (a build's task: those the build shipped;
    default: the current project, resources.current_project).
    """
    project = project or current_project()
    templates = project.templates
    zone_dir = Path(zone_dir)
    options = pdf_options(pdf_variant)
    # through the typed model; validated against the schema when the notebook wrote it
    results = read_results(zone_dir / "results.json", validate=False)
    html = render_zone_html(results, zone_dir, lang, pdf_variant, rank, link_css=False, project=project)
    return write_pdf(html, Path(target) if target is not None else zone_dir / "report.pdf", base_url=templates,
                     allowed_roots=[templates, zone_dir], pdf_options=options,
                     stylesheets=(templates / "report.css",))
