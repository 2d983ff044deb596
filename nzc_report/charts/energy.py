"""The non-fossil share of a zone's energy use against its planned path."""
from __future__ import annotations

from matplotlib.figure import Figure

from nzc_report.charts.emissions import MIN_POINTS, later_note
from nzc_report.charts.labels import labels
from nzc_report.charts.paths import cut_at, planned_path, year_window
from nzc_report.charts.style import PALETTE, legend_below, new_figure, side_note, unit_label, year_axis

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


def non_fossil_targets(results: dict) -> tuple[float | None, list[tuple[int, float]]]:
    """(baseline value, [(target year, target share)]) of the non-fossil targets."""
    targets = [t for t in results.get("targets") or []
               if t.get("metric") == METRIC and t.get("target_value") is not None]
    base = next((t["baseline_value"] for t in targets if t.get("baseline_value") is not None), None)
    return base, sorted({(int(t["target_year"]), float(t["target_value"])) for t in targets})


def non_fossil_chart(results: dict, lang: str = "zh") -> Figure | None:
    series = non_fossil_series(results)
    if len(series) < MIN_POINTS:
        return None
    t = labels(lang)
    base, milestones = non_fossil_targets(results)
    first, last = year_window([y for y, _ in series], [y for y, _ in milestones])
    fig = new_figure(2.4)
    ax = fig.subplots()
    ax.plot([y for y, _ in series], [v for _, v in series], color=PALETTE[2], marker="o", markersize=4,
            markeredgewidth=0, label=t["non_fossil"])
    edge = last if last in {y for y, _ in milestones} else last + 0.6
    path = cut_at(planned_path(results.get("baseline_year"), base, milestones), edge)
    if path:
        ax.plot([x for x, _ in path], [y for _, y in path], color=PALETTE[0], linewidth=0.9, linestyle="-.",
                label=t["path"])
    shown = [(y, v) for y, v in milestones if first <= y <= last]
    if shown:
        ax.scatter([y for y, _ in shown], [v for _, v in shown], marker="D", s=26, color=PALETTE[0],
                   edgecolor="white", linewidth=0.6, zorder=4, label=t["milestone"])
    ax.set_ylim(0, 100)
    ax.set_xlabel(t["year"])
    unit_label(ax, t["share_unit"])
    side_note(ax, later_note(t, milestones, last, lambda v: f"{v:.0f}%"))
    year_axis(ax, first, last)
    legend_below(ax, ncol=3)
    return fig
