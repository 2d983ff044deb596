"""Charts of provincial and national summaries, in the zone reports' style."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from nzc_report.charts import PALETTE, apply_style, save_svg

LABELS = {
    "zh": {"score": "综合得分", "zones": "示范区数量", "type": "示范区类型", "reduction": "净排放较基准年降幅（%）",
           "province": "省份", "no_score": "暂无评分"},
    "en": {"score": "Score", "zones": "Zones", "type": "Zone type", "reduction": "Net reduction vs baseline (%)",
           "province": "Province", "no_score": "No scores yet"},
}


def score_distribution_chart(summary: dict, lang: str = "zh") -> Figure:
    """Each zone's score as a dot on the 0–100 scale, with the grade cut-offs shaded."""
    apply_style()
    t = LABELS[lang]
    fig = Figure(figsize=(6.3, 1.9))
    ax = fig.subplots()
    rows = pd.DataFrame([z for z in summary["zones"] if z.get("score") is not None])
    ax.axvspan(0, 60, color="#f3d9d6", zorder=0)
    ax.axvspan(60, 85, color="#f5ecd2", zorder=0)
    ax.axvspan(85, 100, color="#dcebd5", zorder=0)
    if rows.empty:
        ax.text(50, 0, t["no_score"], ha="center", va="center")
    else:
        sns.stripplot(data=rows, x="score", y="zone_type_label" if lang == "zh" else "zone_type",
                      ax=ax, color=PALETTE[0], size=5, jitter=0.15)
    ax.set_xlim(0, 100)
    ax.set_xlabel(t["score"])
    ax.set_ylabel("")
    return fig


def reduction_by_type_chart(summary: dict, lang: str = "zh") -> Figure:
    """Net reduction versus baseline of every zone, grouped by zone type."""
    apply_style()
    t = LABELS[lang]
    rows = pd.DataFrame([z for z in summary["zones"] if z.get("net_reduction_pct") is not None])
    height = 0.9 + 0.32 * max(1, rows["zone_type"].nunique() if not rows.empty else 1)
    fig = Figure(figsize=(6.3, height))
    ax = fig.subplots()
    if not rows.empty:
        ycol = "zone_type_label" if lang == "zh" else "zone_type"
        sns.barplot(data=rows, x="net_reduction_pct", y=ycol, ax=ax, color=PALETTE[0], alpha=0.35,
                    errorbar=None)
        sns.stripplot(data=rows, x="net_reduction_pct", y=ycol, ax=ax, color=PALETTE[0], size=4, jitter=0.1)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.set_xlabel(t["reduction"])
    ax.set_ylabel("")
    ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:.0f}"))
    return fig


def reduction_by_province_chart(summary: dict, lang: str = "zh") -> Figure:
    apply_style()
    t = LABELS[lang]
    rows = pd.DataFrame([{"province": p["province_name"] if lang == "zh" else p["province_code"],
                          "mean": p["reduction_stats"]["mean"]}
                         for p in summary["provinces"] if p.get("reduction_stats")])
    fig = Figure(figsize=(6.3, 0.9 + 0.3 * max(1, len(rows))))
    ax = fig.subplots()
    if not rows.empty:
        sns.barplot(data=rows, x="mean", y="province", ax=ax, color=PALETTE[2], errorbar=None)
    ax.axvline(0, color="#555", linewidth=0.8)
    ax.set_xlabel(t["reduction"])
    ax.set_ylabel("")
    return fig


PROVINCE_CHARTS = {"scores": score_distribution_chart, "reduction_by_type": reduction_by_type_chart}
NATIONAL_CHARTS = {**PROVINCE_CHARTS, "reduction_by_province": reduction_by_province_chart}


def write_summary_charts(summary: dict, folder: str | Path, lang: str = "zh") -> dict[str, str]:
    folder = Path(folder)
    charts = NATIONAL_CHARTS if summary["kind"] == "national" else PROVINCE_CHARTS
    out = {}
    for name, make in charts.items():
        save_svg(make(summary, lang), folder / f"{name}.svg")
        out[name] = f"{folder.name}/{name}.svg"
    return out
