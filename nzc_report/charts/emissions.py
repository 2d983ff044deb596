"""Emission charts of a zone: net emissions against its planned path, and emissions by sector."""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from nzc_report.charts.labels import labels
from nzc_report.charts.paths import cut_at, planned_path, year_window
from nzc_report.charts.style import (
    GREY, PALETTE, legend_below, new_figure, side_note, thousands, unit_label, year_axis,
)
from nzc_report.dataset.vocab import EMISSION_SECTORS

MIN_POINTS = 3  # fewer, and the report shows a table instead of a chart
METRICS = ("net_reduction_pct", "net_emissions_tco2e")


def emission_milestones(results: dict) -> dict[str, list[tuple[int, float]]]:
    """metric → (target year, net emissions level) of each net-emission target, by year."""
    base = results["emissions"].get("baseline_net_tco2e")
    out: dict[str, set] = {}
    for t in results.get("targets") or []:
        if t.get("target_value") is None or t.get("metric") not in METRICS:
            continue
        if t["metric"] == "net_reduction_pct":
            if base is None:
                continue
            level = base * (1 - t["target_value"] / 100)
        else:
            level = float(t["target_value"])
        out.setdefault(t["metric"], set()).add((int(t["target_year"]), level))
    return {m: sorted(v) for m, v in out.items()}


def later_note(t: dict, milestones: list[tuple[int, float]], last: int, fmt) -> str:
    later = sorted({(y, v) for y, v in milestones if y > last})
    if not later:
        return ""
    sep = t["later_sep"]
    return t["later_milestones"].format(items=sep.join(t["later_item"].format(year=y, value=fmt(v))
                                                        for y, v in later))


def net_emissions_chart(results: dict, lang: str = "zh") -> Figure | None:
    """Net (and gross) emissions by year, the baseline, the milestones and the planned
    path through them: the path the progress ratio measures against."""
    rows = pd.DataFrame(results.get("emissions_by_year") or [])
    if len(rows) < MIN_POINTS:
        return None
    rows = rows.sort_values("year")
    t = labels(lang)
    base = results["emissions"].get("baseline_net_tco2e")
    baseline_year = results.get("baseline_year")
    by_metric = emission_milestones(results)
    milestones = sorted({m for ms in by_metric.values() for m in ms})
    first, last = year_window(rows["year"].astype(int).tolist(), [y for y, _ in milestones])
    fig = new_figure(2.7)
    ax = fig.subplots()
    if (rows["gross_tco2e"] != rows["net_tco2e"]).any():
        ax.plot(rows["year"], rows["gross_tco2e"], color=GREY, linestyle="--", linewidth=1.0, label=t["gross"])
    ax.plot(rows["year"], rows["net_tco2e"], color=PALETTE[0], marker="o", markersize=4, markeredgewidth=0,
            label=t["net"])
    if base is not None:
        ax.axhline(base, color=PALETTE[1], linewidth=1.0, linestyle=":",
                   label=t["baseline"].format(year=baseline_year))
    drawn = False
    edge = last if last in {y for y, _ in milestones} else last + 0.6  # end on the next milestone
    for metric in METRICS:
        path = cut_at(planned_path(baseline_year, base, by_metric.get(metric, [])), edge)
        if path:
            ax.plot([x for x, _ in path], [y for _, y in path], color=PALETTE[2], linewidth=0.9,
                    linestyle="-.", label=t["path"] if not drawn else "_nolegend_")
            drawn = True
    shown = [(y, v) for y, v in milestones if first <= y <= last]
    if shown:
        ax.scatter([y for y, _ in shown], [v for _, v in shown], marker="D", s=26, color=PALETTE[2],
                   edgecolor="white", linewidth=0.6, zorder=4, label=t["milestone"])
    values = rows["gross_tco2e"].tolist() + rows["net_tco2e"].tolist() + [v for _, v in shown]
    top = max(values + ([base] if base is not None else []))
    ax.set_ylim(min(0, min(values) * 1.1), top * 1.08)
    ax.set_xlabel(t["year"])
    unit_label(ax, t["tco2e"])
    side_note(ax, later_note(t, milestones, last, lambda v: f"{v:,.0f}" if round(v) != 0 else "0"))  # never "-0"
    year_axis(ax, first, last)
    thousands(ax)
    legend_below(ax, ncol=3)
    return fig


def sector_chart(results: dict, lang: str = "zh") -> Figure | None:
    """Gross emissions by sector and year, stacked in the dataset's sector order."""
    rows = pd.DataFrame(results.get("emissions_by_sector") or [])
    if rows.empty or rows["year"].nunique() < MIN_POINTS:
        return None
    t = labels(lang)
    table = rows.pivot_table(index="year", columns="sector", values="emissions_tco2e",
                             aggfunc="sum").sort_index()
    fig = new_figure(2.6)
    ax = fig.subplots()
    bottom = pd.Series(0.0, index=table.index)
    for i, sector in enumerate(s for s in EMISSION_SECTORS if s in table.columns):
        values = table[sector].fillna(0.0)
        drawn = values > 0  # no empty rectangles for years without this sector
        ax.bar(table.index[drawn], values[drawn], bottom=bottom[drawn], color=PALETTE[i % len(PALETTE)],
               width=0.68, edgecolor="white", linewidth=0.4, label=t.get(sector, sector))
        bottom = bottom + values
    ax.set_ylim(0, bottom.max() * 1.08)
    ax.set_xlabel(t["year"])
    unit_label(ax, t["tco2e"])
    ax.grid(axis="x", visible=False)
    year_axis(ax, int(table.index.min()), int(table.index.max()))
    thousands(ax)
    legend_below(ax, ncol=5)
    return fig
