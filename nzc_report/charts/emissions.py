"""Emission charts of a zone: net emissions against its targets, and emissions by sector."""
from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from nzc_report.charts.labels import labels
from nzc_report.charts.style import (
    GREY, INK, LABEL_BOX, PALETTE, declutter, integer_years, legend_below, new_figure, thousands, unit_label,
)
from nzc_report.dataset.vocab import EMISSION_SECTORS


def emission_milestones(results: dict) -> list[tuple[int, float]]:
    """(target year, net emissions level) of every net-emission target, each once, by year."""
    base = results["emissions"].get("baseline_net_tco2e")
    levels = set()
    for t in results.get("targets") or []:
        if t.get("target_value") is None:
            continue
        if t["metric"] == "net_reduction_pct" and base is not None:
            levels.add((int(t["target_year"]), base * (1 - t["target_value"] / 100)))
        elif t["metric"] == "net_emissions_tco2e":
            levels.add((int(t["target_year"]), float(t["target_value"])))
    return sorted(levels)


def net_emissions_chart(results: dict, lang: str = "zh") -> Figure | None:
    """Net (and gross) emissions by year, the baseline, each milestone and the straight
    path from the baseline to it: the path the progress ratio measures against."""
    rows = pd.DataFrame(results.get("emissions_by_year") or [])
    if rows.empty:
        return None
    t = labels(lang)
    fig = new_figure(2.9)
    ax = fig.subplots()
    if (rows["gross_tco2e"] != rows["net_tco2e"]).any():
        sns.lineplot(data=rows, x="year", y="gross_tco2e", ax=ax, color=GREY, linestyle="--",
                     linewidth=1.0, label=t["gross"])
    sns.lineplot(data=rows, x="year", y="net_tco2e", ax=ax, color=PALETTE[0], marker="o",
                 markersize=4, markeredgewidth=0, label=t["net"])
    base = results["emissions"].get("baseline_net_tco2e")
    baseline_year = results["baseline_year"]
    if base is not None:
        ax.axhline(base, color=PALETTE[1], linewidth=1.0, linestyle=":",
                   label=t["baseline"].format(year=baseline_year))
    milestones = emission_milestones(results) if base is not None else []
    notes = []
    for i, (year, level) in enumerate(milestones):
        ax.plot([baseline_year, year], [base, level], color=PALETTE[2], linewidth=0.9, linestyle="-.",
                label=t["path"] if i == 0 else "_nolegend_")
    if milestones:
        ax.scatter([y for y, _ in milestones], [v for _, v in milestones], marker="D", s=26,
                   color=PALETTE[2], edgecolor="white", linewidth=0.6, zorder=4, label=t["milestone"])
        for year, level in milestones:
            notes.append(ax.annotate(t["target_label"].format(year=year), (year, level),
                                     textcoords="offset points", xytext=(0, 5), ha="center",
                                     va="bottom", fontsize=7.5, color=INK, bbox=LABEL_BOX))
    top = max([rows["gross_tco2e"].max(), rows["net_tco2e"].max()] + ([base] if base else []))
    ax.set_ylim(min(0, rows["net_tco2e"].min() * 1.1), top * 1.18)
    last = max([rows["year"].max()] + [y for y, _ in milestones])
    ax.set_xlim(rows["year"].min() - 0.6, last + 0.9)
    ax.set_xlabel(t["year"])
    unit_label(ax, t["tco2e"])
    integer_years(ax)
    thousands(ax)
    if ax.get_legend():
        ax.get_legend().remove()
    legend_below(ax, ncol=3)
    declutter(notes)
    return fig


def sector_chart(results: dict, lang: str = "zh") -> Figure | None:
    """Gross emissions by sector and year, stacked in the dataset's sector order."""
    rows = pd.DataFrame(results.get("emissions_by_sector") or [])
    if rows.empty:
        return None
    t = labels(lang)
    table = rows.pivot_table(index="year", columns="sector", values="emissions_tco2e",
                             aggfunc="sum").sort_index()
    fig = new_figure(2.7)
    ax = fig.subplots()
    bottom = pd.Series(0.0, index=table.index)
    for i, sector in enumerate(s for s in EMISSION_SECTORS if s in table.columns):
        values = table[sector].fillna(0.0)
        ax.bar(table.index, values, bottom=bottom, color=PALETTE[i % len(PALETTE)], width=0.68,
               edgecolor="white", linewidth=0.4, label=t.get(sector, sector))
        bottom = bottom + values
    ax.set_ylim(0, bottom.max() * 1.08)
    ax.set_xlabel(t["year"])
    unit_label(ax, t["tco2e"])
    ax.grid(axis="x", visible=False)
    integer_years(ax)
    thousands(ax)
    legend_below(ax, ncol=5)
    return fig
