"""Rendering a zone's results.json and figures into its PDF report."""
from __future__ import annotations

from pathlib import Path

from nzc_report import __version__
from nzc_report.results_model import read_results
from nzc_report.render.environment import jinja_env
from nzc_report.render.messages import check_lang
from nzc_report.render.pdf import PDF_VARIANTS, check_harfbuzz_subset, pdf_options, write_pdf
from nzc_report.render.zone_view import PeerRank, ZoneView
from nzc_report.resources import TEMPLATES_DIR

__all__ = ["PDF_VARIANTS", "PeerRank", "render_zone_html", "render_zone_pdf", "check_harfbuzz_subset"]


def render_zone_html(results: dict, zone_dir: Path, lang: str = "zh", pdf_variant: str | None = None,
                     rank: PeerRank | None = None, *, link_css: bool = True) -> str:
    """The report as HTML; with ``link_css`` False, without its stylesheet link (the PDF
    renderer passes it parsed: render.pdf.stylesheet)."""
    check_lang(lang)
    zone_dir = Path(zone_dir)
    figures = {name: (zone_dir / rel).resolve().as_uri()
               for name, rel in (results.get("figures") or {}).items()}
    view = ZoneView(results, lang, figures, pdf_variant, rank)
    return jinja_env().get_template("zone_report.html.j2").render(
        r=results,
        v=view,
        t=view.t,
        lang=lang,
        generator=f"nzc-report {__version__}",
        css_url=(TEMPLATES_DIR / "report.css").as_uri() if link_css else None,
    )


def render_zone_pdf(zone_dir: str | Path, *, lang: str = "zh", pdf_variant: str | None = None,
                    rank: PeerRank | None = None, target: str | Path | None = None) -> list[str]:
    """Reads zone_dir/results.json and figures, writes ``target`` (default zone_dir/report.pdf).

    Tagged PDF always; ``pdf_variant`` 'pdf/a-2b' (archives) or 'pdf/ua-1'.
    ``rank``: the zone's place among the zones of its type (ranking.json), shown on
    the summary page; None shows none (a report rendered outside a build).
    Returns WeasyPrint's warnings (a missing glyph, say) for the build log.
    """
    zone_dir = Path(zone_dir)
    options = pdf_options(pdf_variant)
    # through the typed model; validated against the schema when the notebook wrote it
    results = read_results(zone_dir / "results.json", validate=False).to_dict()
    html = render_zone_html(results, zone_dir, lang, pdf_variant, rank, link_css=False)
    return write_pdf(html, Path(target) if target is not None else zone_dir / "report.pdf", base_url=TEMPLATES_DIR,
                     allowed_roots=[TEMPLATES_DIR, zone_dir], pdf_options=options,
                     stylesheets=(TEMPLATES_DIR / "report.css",))
