"""The non-fossil share of a zone's energy use against its non-fossil targets."""
from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from nzc_report.charts.labels import labels
from nzc_report.charts.style import INK, LABEL_BOX, PALETTE, declutter, integer_years, legend_below, new_figure, percent

METRIC = "non_fossil_share_pct"


def non_fossil_series(results: dict) -> list[tuple[int, float]]:
    """(year, share %) up to the assessment year, from the best source results.json has:
    the yearly energy rows; else the indicator's two latest values; else the values the
    non-fossil targets were measured at (baseline and current)."""
    last_year = results.get("year") or 9999
    points: dict[int, float] = {}
    for r in results.get("activity_by_year") or []:
        share = r.get(METRIC)
        if share is None and r.get("total_energy_tce") and r.get("non_fossil_energy_tce") is not None:
            share = r["non_fossil_energy_tce"] / r["total_energy_tce"] * 100
        if share is not None:
            points[int(r["year"])] = float(share)
    if not points:
        for ind in results.get("indicators") or []:
            if ind.get("id") != METRIC:
                continue
            for y, v in ((ind.get("previous_year"), ind.get("previous_value")), (ind.get("year"), ind.get("value"))):
                if y is not None and v is not None:
                    points[int(y)] = float(v)
        for t in results.get("targets") or []:
            if t.get("metric") != METRIC:
                continue
            for y, v in ((results.get("baseline_year"), t.get("baseline_value")),
                         (t.get("current_year"), t.get("current_value"))):
                if y is not None and v is not None:
                    points.setdefault(int(y), float(v))
    return sorted((y, v) for y, v in points.items() if y <= last_year)


def non_fossil_chart(results: dict, lang: str = "zh") -> Figure | None:
    series = non_fossil_series(results)
    targets = sorted({(int(t["target_year"]), float(t["target_value"]), t.get("baseline_value"))
                      for t in results.get("targets") or []
                      if t.get("metric") == METRIC and t.get("target_value") is not None},
                     key=lambda x: x[:2])
    if not series and not targets:
        return None
    t = labels(lang)
    fig = new_figure(2.5)
    ax = fig.subplots()
    if series:
        rows = pd.DataFrame(series, columns=["year", "share"])
        sns.lineplot(data=rows, x="year", y="share", ax=ax, color=PALETTE[2], marker="o", markersize=4,
                     markeredgewidth=0, label=t["non_fossil"])
    baseline_year = results.get("baseline_year")
    notes = []
    for i, (year, value, base) in enumerate(targets):
        if base is not None and baseline_year is not None:
            ax.plot([baseline_year, year], [base, value], color=PALETTE[0], linewidth=0.9, linestyle="-.",
                    label=t["path"] if i == 0 else "_nolegend_")
    if targets:
        ax.scatter([y for y, _, _ in targets], [v for _, v, _ in targets], marker="D", s=26, color=PALETTE[0],
                   edgecolor="white", linewidth=0.6, zorder=4, label=t["milestone"])
        for year, value, _ in targets:
            notes.append(ax.annotate(t["target_label"].format(year=year), (year, value),
                                     textcoords="offset points", xytext=(0, 5), ha="center", va="bottom",
                                     fontsize=7.5, color=INK, bbox=LABEL_BOX))
    years = [y for y, _ in series] + [y for y, _, _ in targets] + ([baseline_year] if targets else [])
    ax.set_xlim(min(years) - 0.6, max(years) + 0.9)
    ax.set_ylim(0, 100)
    ax.set_xlabel(t["year"])
    ax.set_ylabel("")  # the ticks carry the % sign
    integer_years(ax)
    percent(ax)
    if ax.get_legend():
        ax.get_legend().remove()
    legend_below(ax, ncol=3)
    declutter(notes)
    return fig
