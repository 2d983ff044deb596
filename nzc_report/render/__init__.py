"""Rendering a zone's results.json and figures into its PDF report."""
from __future__ import annotations

import json
from pathlib import Path

from nzc_report.dataset.vocab import DOMAINS, EMISSION_SECTORS, MECHANISMS
from nzc_report.render.environment import jinja_env
from nzc_report.render.pdf import check_harfbuzz_subset, write_pdf
from nzc_report.resources import TEMPLATES_DIR

__all__ = ["render_zone_html", "render_zone_pdf", "check_harfbuzz_subset"]

STATUS_LABELS = {
    "on_track": "进度正常", "at_risk": "存在风险", "off_track": "进度滞后",
    "achieved": "已实现", "missed": "未实现", "no_data": "无数据",
}
METRIC_LABELS = {
    "net_emissions_tco2e": "净排放量（吨二氧化碳当量）",
    "net_reduction_pct": "净排放较基准年降幅（%）",
    "non_fossil_share_pct": "非化石能源占比（%）",
}
PROBLEM_CATEGORIES = {
    "concept": "概念认识", "evaluation": "评价标准与数据", "policy": "配套政策", "progress": "建设进展",
}
RECOMMENDATION_CATEGORIES = {
    "guidance": "加强政策引导", "supporting_policy": "出台配套政策",
    "pilot": "鼓励先行先试", "international": "推动国际交流",
}


def render_zone_html(results: dict, zone_dir: Path) -> str:
    figures = {name: (zone_dir / rel).resolve().as_uri() for name, rel in results["figures"].items()}
    return jinja_env().get_template("zone_report.html.j2").render(
        r=results,
        figures=figures,
        css_url=(TEMPLATES_DIR / "report.css").as_uri(),
        status_labels=STATUS_LABELS,
        metric_labels=METRIC_LABELS,
        problem_categories=PROBLEM_CATEGORIES,
        recommendation_categories=RECOMMENDATION_CATEGORIES,
        domains=DOMAINS,
        sectors=EMISSION_SECTORS,
        mechanisms=MECHANISMS,
    )


def render_zone_pdf(zone_dir: str | Path, *, lang: str = "zh", pdf_variant: str | None = None) -> list[str]:
    """Reads zone_dir/results.json and figures, writes zone_dir/report.pdf.

    Returns WeasyPrint's warnings (a missing glyph, say) for the build log.
    """
    zone_dir = Path(zone_dir)
    results = json.loads((zone_dir / "results.json").read_text(encoding="utf-8"))
    html = render_zone_html(results, zone_dir)
    return write_pdf(html, zone_dir / "report.pdf", base_url=TEMPLATES_DIR,
                     allowed_roots=[TEMPLATES_DIR, zone_dir])
