"""Rendering provincial and national summaries from their results.json and figures."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml

from nzc_report.render.environment import jinja_env
from nzc_report.render.pdf import write_pdf
from nzc_report.resources import TEMPLATES_DIR, params_file
from nzc_report.summary import PROBLEM_CATEGORIES, RECOMMENDATION_CATEGORIES, STATUS_ORDER

CN_NUMBERS = "一二三四五六七八九十"
# Why a zone is not in a summary, when the build (not the zone) is the reason.
MISSING_REASONS = {
    "outside": "本次构建未纳入（不在 --zones/--province 范围内，且此前未构建）",
    "stale": "本次构建未纳入（不在 --zones/--province 范围内，且此前结果已过期）",
}
STATUS_LABELS = {
    "on_track": "进度正常", "at_risk": "存在风险", "off_track": "进度滞后",
    "achieved": "已实现", "missed": "未实现", "no_data": "无数据",
}


@lru_cache(maxsize=None)
def summary_texts() -> dict:
    with open(params_file("summary.yaml"), encoding="utf-8") as f:
        return yaml.safe_load(f)


def change_text(pct: float | None) -> str:
    """A reduction as words: 下降12.3% or 上升4.0%."""
    if pct is None:
        return "—"
    return f"下降{pct:.1f}%" if pct >= 0 else f"上升{-pct:.1f}%"


def render_summary_html(summary: dict, folder: Path) -> str:
    texts = summary_texts()
    figures = {name: (folder / rel).resolve().as_uri() for name, rel in summary.get("figures", {}).items()}
    template = "national_summary.html.j2" if summary["kind"] == "national" else "province_summary.html.j2"
    return jinja_env().get_template(template).render(
        s=summary, figures=figures, texts=texts,
        css_url=(TEMPLATES_DIR / "report.css").as_uri(),
        summary_css_url=(TEMPLATES_DIR / "summary.css").as_uri(),
        status_labels=STATUS_LABELS,
        status_order=list(reversed(STATUS_ORDER)),
        problem_order=PROBLEM_CATEGORIES,
        recommendation_order=RECOMMENDATION_CATEGORIES,
        recommendation_categories=texts["recommendation_categories"],
        grade_order=texts["grade_order"],
        cn_numbers=CN_NUMBERS,
        change_text=change_text,
        missing_reasons=MISSING_REASONS,
    )


def render_summary_pdf(folder: str | Path, *, lang: str = "zh", pdf_variant: str | None = None) -> list[str]:
    """Reads folder/results.json and figures, writes folder/summary.pdf; returns WeasyPrint's warnings."""
    folder = Path(folder)
    summary = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    html = render_summary_html(summary, folder)
    return write_pdf(html, folder / "summary.pdf", base_url=TEMPLATES_DIR,
                     allowed_roots=[TEMPLATES_DIR, folder], pdf_options=None)
