"""Indicator scores against their benchmarks: one bar per indicator, 100 = benchmark reached.

Management mechanisms (16 yes/partial/no indicators) share one bar, their
weighted mean, so the chart stays readable; each is listed in the appendix.
"""
from __future__ import annotations

from matplotlib.figure import Figure

from matplotlib.transforms import blended_transform_factory

from nzc_report.charts.labels import labels, unit
from nzc_report.charts.style import GREY, INK, LIGHT, PALETTE, legend_below, new_figure

MIN_SCORED = 3  # fewer scored indicators, and the report shows a table instead

MECHANISMS = "mechanisms"
DIMENSION_ORDER = ["emissions", "energy", "industry", "transport", "building", "consumption", "ecology", "management"]


def _fmt(value) -> str:
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.3g}"


def chart_rows(results: dict, lang: str) -> list[dict]:
    """One row per applicable indicator, mechanisms folded into one; in framework order."""
    t = labels(lang)
    name_key = "name_en" if lang == "en" else "name_zh"
    applicable = [i for i in results.get("indicators") or [] if i.get("id") and i.get("applies", True) is not False]
    rows = []
    for ind in applicable:
        if ind.get("kind") == MECHANISMS:
            continue
        score = ind.get("score")
        note: str | None
        if ind.get("gate"):  # judged by the framework's gate, not scored (issue 30)
            note = t["gate_" + {True: "passed", False: "failed"}.get(ind.get("gate_passed"), "missing")]
        elif ind.get("reported") is False:
            note = t["not_reported_zero"] if score == 0 else t["not_reported"]
        else:
            note = t["not_scored"] if score is None else None
        rows.append({"name": ind.get(name_key) or ind.get("name_zh") or ind["id"],
                     "dimension": ind.get("dimension") or "", "score": score, "note": note,
                     "text": t["value_vs_benchmark"].format(value=_fmt(ind.get("value")),
                                                            benchmark=_fmt(ind.get("benchmark")),
                                                            unit=unit(ind.get("unit"), lang)).strip()})
    mechanisms = [i for i in applicable if i.get("kind") == MECHANISMS]
    if mechanisms:
        # as scored: a mechanism that applies but is not reported counts 0, as in the score
        scores = [(i["score"] if i.get("score") is not None else 0.0 if i.get("scored_as_zero") else None,
                   i.get("weight") or 0) for i in mechanisms]
        scored = [(v, w) for v, w in scores if v is not None]
        weight = sum(w for _, w in scored)
        reported = sum(1 for i in mechanisms if i.get("reported") is not False)
        if reported:
            score = (sum(v * w for v, w in scored) / weight if weight else sum(v for v, _ in scored) / len(scored))
        else:
            score = None
        rows.append({"name": t["mechanisms"].format(n=reported, total=len(mechanisms)),
                     "dimension": mechanisms[0].get("dimension") or "", "score": score,
                     "note": None if score is not None else t["not_reported"],
                     "text": t["mechanisms_mean"]})
    order = {d: k for k, d in enumerate(DIMENSION_ORDER)}
    return sorted(rows, key=lambda r: order.get(r["dimension"], len(order)))  # stable within a dimension


def dimension_labels(results: dict, lang: str) -> dict[str, str]:
    t = labels(lang)
    out = {}
    for ind in results.get("indicators") or []:
        dim = ind.get("dimension") or ""
        out[dim] = (ind.get("dimension_label") if lang == "zh" else None) or t.get(f"dim_{dim}", dim)
    return out


def indicator_chart(results: dict, lang: str = "zh") -> Figure | None:
    """Score bars (0–100, 100 = benchmark reached); beside the plot, each indicator's
    value and benchmark in its own unit."""
    rows = chart_rows(results, lang)
    if sum(r["score"] is not None and r["note"] is None for r in rows) < MIN_SCORED:
        return None  # too little scored: the report says so in words or a table
    t = labels(lang)
    names = dimension_labels(results, lang)
    dims = list(dict.fromkeys(r["dimension"] for r in rows))
    colour = {d: PALETTE[DIMENSION_ORDER.index(d) % len(PALETTE)] if d in DIMENSION_ORDER else GREY for d in dims}
    fig = new_figure(1.0 + 0.22 * len(rows))
    ax = fig.subplots()
    beside = blended_transform_factory(ax.transAxes, ax.transData)  # x in axes, y in rows
    positions = list(range(len(rows)))[::-1]  # first row at the top
    seen = set()
    for y, row in zip(positions, rows):
        dim = row["dimension"]
        if row["score"]:
            ax.barh(y, row["score"], height=0.62, color=colour[dim],
                    label=names.get(dim, dim) if dim not in seen else "_nolegend_")
            seen.add(dim)
        ax.text(1.03, y, row["note"] or row["text"], transform=beside, va="center", ha="left", fontsize=7.5,
                color=GREY if row["note"] else INK, clip_on=False)
    ax.text(1.03, 1.0, t["value_header"], transform=ax.transAxes, va="bottom", ha="left", fontsize=7.5,
            color=INK, clip_on=False)
    ax.axvline(100, color=LIGHT, linewidth=0.8, zorder=0)
    ax.set_yticks(positions, [r["name"] for r in rows])
    ax.tick_params(axis="y", length=0)
    ax.set_xlim(0, 104)
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(t["score"])
    ax.grid(axis="y", visible=False)
    legend_below(ax, ncol=4)
    return fig
