"""Seaborn charts of a zone, in one style, written as deterministic vector SVG.

Text stays text (svg.fonttype none) in the CJK sans, so the PDF carries real,
searchable Chinese and WeasyPrint draws it with the embedded Noto font.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("svg")  # no GUI backend in kernels or workers

import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from nzc_report.atomic import atomic_path  # noqa: E402
from nzc_report.dataset.vocab import EMISSION_SECTORS  # noqa: E402

CJK_SANS = "Noto Sans CJK SC"
PALETTE = ["#1b6f8a", "#e07b39", "#5b9e4d", "#8a5fa8", "#c4473a", "#7f7f7f"]
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "nzc-report",  # stable ids: identical inputs, identical bytes
    "font.family": "sans-serif",
    "font.sans-serif": [CJK_SANS, "DejaVu Sans"],
    "axes.unicode_minus": False,  # U+2212 is missing from some CJK faces
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "figure.dpi": 100,
}


def apply_style() -> None:
    sns.set_theme(style="whitegrid", palette=PALETTE, rc=STYLE)
    matplotlib.rcParams.update(STYLE)


def save_svg(fig: Figure, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": "nzc-report"},
                    bbox_inches="tight")
    return path


def _tonnes_axis(ax) -> None:
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def net_emissions_chart(results: dict, lang: str = "zh") -> Figure:
    """Net emissions over time with the baseline and each net-emission milestone."""
    apply_style()
    fig = Figure(figsize=(6.3, 3.0))
    ax = fig.subplots()
    s = pd.DataFrame(results["emissions_by_year"])
    sns.lineplot(data=s, x="year", y="net_tco2e", marker="o", ax=ax, color=PALETTE[0], label="净排放")
    sns.lineplot(data=s, x="year", y="gross_tco2e", ax=ax, color=PALETTE[5], linestyle="--",
                 label="总排放")
    base = results["emissions"]["baseline_net_tco2e"]
    baseline_year = results["baseline_year"]
    ax.axhline(base, color=PALETTE[1], linewidth=1, linestyle=":",
               label=f"基准年（{baseline_year}年）净排放")
    for t in results["targets"]:
        if t["metric"] == "net_reduction_pct":
            level = base * (1 - t["target_value"] / 100)
        elif t["metric"] == "net_emissions_tco2e":
            level = t["target_value"]
        else:
            continue
        ax.plot([baseline_year, t["target_year"]], [base, level], color=PALETTE[2],
                linewidth=0.8, linestyle="-.")
        ax.scatter([t["target_year"]], [level], marker="D", color=PALETTE[2], zorder=3)
        ax.annotate(f"{t['target_year']}年目标", (t["target_year"], level), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=7)
    ax.set_xlabel("年份")
    ax.set_ylabel("吨二氧化碳当量")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    _tonnes_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


def sector_chart(results: dict, lang: str = "zh") -> Figure:
    """Emissions by sector, stacked."""
    apply_style()
    fig = Figure(figsize=(6.3, 2.8))
    ax = fig.subplots()
    rows = pd.DataFrame(results["emissions_by_sector"])
    table = rows.pivot_table(index="year", columns="sector", values="emissions_tco2e", aggfunc="sum").fillna(0.0)
    bottom = None
    for i, sector in enumerate(c for c in EMISSION_SECTORS if c in table.columns):
        values = table[sector]
        ax.bar(table.index, values, bottom=bottom, color=PALETTE[i % len(PALETTE)],
               label=EMISSION_SECTORS[sector], width=0.7)
        bottom = values if bottom is None else bottom + values
    ax.set_xlabel("年份")
    ax.set_ylabel("吨二氧化碳当量")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    _tonnes_axis(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return fig


ZONE_CHARTS = {
    "net_emissions": net_emissions_chart,
    "sectors": sector_chart,
}


def write_zone_charts(results: dict, folder: str | Path, lang: str = "zh") -> dict[str, str]:
    """Writes every chart of a zone's results as SVG; returns name → path relative to
    the zone folder (``folder``'s parent), as results.json records them."""
    folder = Path(folder)
    out = {}
    for name, make in ZONE_CHARTS.items():
        fig = make(results, lang)
        save_svg(fig, folder / f"{name}.svg")
        out[name] = f"{folder.name}/{name}.svg"
    return out
