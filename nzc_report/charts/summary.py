"""Charts of provincial and national summaries, in the zone reports' style.

Every zone is a labelled row (no unlabelled dots, no random jitter): the same
summary gives the same bytes. Groups (zone types, provinces) say how many
zones they hold.
"""
from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from nzc_report.charts.labels import ZONE_TYPES_EN, labels
from nzc_report.charts.style import GREY, INK, PALETTE, new_figure, save_svg
from nzc_report.dataset.provinces import PROVINCE_NAMES, PROVINCE_PINYIN
from nzc_report.dataset.vocab import ZONE_TYPES

# The framework's grade bands (params/framework.yaml), used when the summary does
# not carry its own under "grade_bands": (grade, grade_en, lowest score), best first.
GRADE_BANDS = [("优秀", "Excellent", 85.0), ("合格", "Pass", 60.0), ("不合格", "Fail", 0.0)]
BAND_COLOURS = ["#dcebd5", "#f5ecd2", "#f3d9d6"]  # best first: green, sand, rose
ROW_IN = 0.19  # height of one row, inches
MAX_NAME = 34  # characters of a (long English) name before it is cut with "…"


def _short(text: str, limit: int = MAX_NAME) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _pct(v: float) -> str:
    return f"{v:.1f}%"


def zone_name(z: dict, lang: str) -> str:
    return _short((z.get("name_en") if lang == "en" else None) or z["name"])


def type_name(zone_type: str, lang: str, label: str | None = None) -> str:
    if lang == "en":
        return ZONE_TYPES_EN.get(zone_type, zone_type)
    return label or ZONE_TYPES.get(zone_type, zone_type)


def province_name(code: str, lang: str) -> str:
    return PROVINCE_PINYIN.get(code, code) if lang == "en" else PROVINCE_NAMES.get(code, code)


def grade_bands(summary: dict) -> list[tuple[str, str, float]]:
    bands = summary.get("grade_bands")
    if bands:
        return [(b["grade"], b.get("grade_en") or b["grade"], float(b["min"])) for b in bands]
    return GRADE_BANDS


def _rows_axes(n_rows: int, extra_in: float = 0.75) -> tuple[Figure, Axes]:
    fig = new_figure(extra_in + ROW_IN * max(n_rows, 1))
    ax = fig.subplots()
    ax.set_ylim(-0.6, max(n_rows, 1) - 0.4)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", visible=False)
    return fig, ax


def score_distribution_chart(summary: dict, lang: str = "zh") -> Figure:
    """Each zone's composite score as a labelled dot, best first, on the grade bands."""
    t = labels(lang)
    national = summary.get("kind") == "national"
    zones = summary["zones"]
    frameworks = summary.get("by_framework") or []
    if len(frameworks) > 1:  # on the principal framework's bands: its zones only, never another's scores
        pooled = {z["zone_id"] for z in frameworks[0]["zones"]}
        zones = [z for z in zones if z["zone_id"] in pooled]
    zones = [z for z in zones if not z.get("outcome_status")]  # decided by a gate, not by its score
    zones = sorted(zones, key=lambda z: (z.get("score") is None, -(z.get("score") or 0), z["zone_id"]))
    fig, ax = _rows_axes(len(zones), extra_in=0.9)
    top = 100.0
    bands = grade_bands(summary)
    above = blended_transform_factory(ax.transData, ax.transAxes)
    for i, (grade, grade_en, low) in enumerate(bands):
        ax.axvspan(low, top, color=BAND_COLOURS[i % len(BAND_COLOURS)], zorder=0, linewidth=0)
        ax.text((low + top) / 2, 1.01, grade_en if lang == "en" else grade, transform=above, ha="center", va="bottom",
                fontsize=7.5, color=INK, clip_on=False)
        top = low
    ys = list(range(len(zones)))[::-1]
    names = []
    scored_x, scored_y = [], []
    for y, z in zip(ys, zones):
        name = zone_name(z, lang)
        if national:
            name = t["sum_zone_in_province"].format(name=name, province=province_name(z["province_code"], lang))
        names.append(name)
        if z.get("score") is None:
            ax.text(1.5, y, t["sum_no_score"], va="center", ha="left", fontsize=7.5, color=GREY)
            continue
        scored_x.append(z["score"])
        scored_y.append(y)
        ax.text(z["score"] + 1.6, y, f"{z['score']:.1f}", va="center", ha="left", fontsize=7.5, color=INK,
                clip_on=False)
    if scored_x:
        ax.scatter(scored_x, scored_y, s=22, color=PALETTE[0], edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_yticks(ys, names)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlabel(t["sum_score"])
    return fig


def _bar_rows(ax, rows: list[dict], colours: list[str | None]) -> None:
    """Horizontal bars of value (None: no bar), each with its value beside its end."""
    ys = [r["y"] for r in rows if r.get("value") is not None]
    vals = [r["value"] for r in rows if r.get("value") is not None]
    cols = [c for r, c in zip(rows, colours) if r.get("value") is not None]
    if vals:
        ax.barh(ys, vals, height=0.62, color=cols, linewidth=0)
    for r in rows:
        if r.get("value") is None or not r.get("text"):
            continue
        right = r["value"] >= 0
        ax.annotate(r["text"], (r["value"], r["y"]), xytext=(3 if right else -3, 0),
                    textcoords="offset points", va="center", ha="left" if right else "right", fontsize=7.5,
                    color=INK, annotation_clip=False)


def _pad_x(ax, values: list[float], room: float = 0.22) -> None:
    """x limits around the values and 0, with room (share of the span) for value labels."""
    low, high = min(values + [0.0]), max(values + [0.0])
    span = (high - low) or 1.0
    ax.set_xlim(low - (room * span if low < 0 else 0.02 * span), high + room * span)
    ax.axvline(0, color="#555555", linewidth=0.8, zorder=2)


def reduction_by_type_chart(summary: dict, lang: str = "zh") -> Figure:
    """Net reduction versus baseline of every zone with emissions data, grouped by
    zone type: a heading row per type with its count and mean, then its zones."""
    t = labels(lang)
    zones = [z for z in summary["zones"] if z.get("net_reduction_pct") is not None]
    order = {k: i for i, k in enumerate(ZONE_TYPES)}
    types = sorted({z["zone_type"] for z in zones}, key=lambda k: (order.get(k, len(order)), k))
    labels_: list[str] = []
    rows: list[dict] = []
    colours: list[str | None] = []  # None: a heading row, without a bar
    heads: list[int] = []
    for zone_type in types:
        members = sorted((z for z in zones if z["zone_type"] == zone_type),
                         key=lambda z: (-z["net_reduction_pct"], z["zone_id"]))
        mean = sum(z["net_reduction_pct"] for z in members) / len(members)
        if len(zones) > 1:  # a summary of one zone: its bar alone, no group of one over it ("建筑（1个）", review8)
            heads.append(len(labels_))
            group = t["sum_group"] if len(members) > 1 else t["sum_group_one"]  # no mean of one
            labels_.append(group.format(label=type_name(zone_type, lang, members[0].get("zone_type_label")),
                                        n=len(members), mean=_pct(mean)))
            rows.append({"value": None})
            colours.append(None)
        for z in members:
            labels_.append(zone_name(z, lang))
            text = _pct(z["net_reduction_pct"])
            if z.get("data_year") and summary.get("year") and z["data_year"] != summary["year"]:
                text = t["sum_data_year"].format(value=text, year=z["data_year"])  # not the year's own figure
            rows.append({"value": z["net_reduction_pct"], "text": text})
            colours.append(PALETTE[0] if z["net_reduction_pct"] >= 0 else PALETTE[5])
    fig, ax = _rows_axes(len(labels_))
    ys = list(range(len(labels_)))[::-1]
    for r, y in zip(rows, ys):
        r["y"] = y
    _bar_rows(ax, rows, colours)
    ax.set_yticks(ys, labels_)
    for i in heads:
        ax.get_yticklabels()[i].set_fontweight("bold")
    _pad_x(ax, [z["net_reduction_pct"] for z in zones])
    ax.set_xlabel(t["sum_reduction"])
    return fig


def reduction_by_province_chart(summary: dict, lang: str = "zh") -> Figure:
    """Mean net reduction of each province's zones (bar), their range (line), and
    beside the plot the count, mean and range in figures."""
    t = labels(lang)
    provinces = [p for p in summary["provinces"] if p.get("reduction_stats")]
    fig, ax = _rows_axes(len(provinces))
    beside = blended_transform_factory(ax.transAxes, ax.transData)
    ys = list(range(len(provinces)))[::-1]
    names, means, ranged = [], [], []
    for y, p in zip(ys, provinces):
        s = p["reduction_stats"]
        names.append(t["sum_province"].format(name=province_name(p["province_code"], lang), n=s["n"]))
        means.append(s["mean"])
        text = (_pct(s["mean"]) if s["n"] == 1 else
                t["sum_mean_range"].format(mean=_pct(s["mean"]), low=_pct(s["min"]), high=_pct(s["max"])))
        ax.text(1.02, y, text, transform=beside, va="center", ha="left", fontsize=7.5, color=INK, clip_on=False)
        if s["min"] != s["max"]:
            ranged.append((y, s["min"], s["max"]))
    if means:
        ax.barh(ys, means, height=0.62, color=[PALETTE[2] if m >= 0 else PALETTE[5] for m in means], linewidth=0)
    if ranged:
        ax.hlines([y for y, _, _ in ranged], [lo for _, lo, _ in ranged], [hi for _, _, hi in ranged],
                  color=INK, linewidth=0.8, zorder=3)
        ax.scatter([v for _, lo, hi in ranged for v in (lo, hi)], [y for y, _, _ in ranged for _ in (0, 1)],
                   marker="|", s=30, color=INK, linewidth=0.8, zorder=3)
    ax.set_yticks(ys, names)
    _pad_x(ax, [v for p in provinces for v in (p["reduction_stats"]["min"], p["reduction_stats"]["max"])],
           room=0.05)
    ax.set_xlabel(t["sum_reduction"])
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
