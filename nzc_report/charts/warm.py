"""Warming a process before it forks the kernels that draw charts.

A zone kernel is a fork of a template process (nzc_report/notebook/zygote.py)
and draws its four charts once. What every zone's charts measure alike is
measured here, once, and inherited copy-on-write: the CJK face opened and
resolved from its family, its height metrics at the style's sizes, and the
widths of the labels every zone's charts have (the catalogue's words, years,
axis numbers): about 35 of a zone's 60 FreeType measurements. The caches hold
pure functions of their keys (svg_canvas.py), so a warmed kernel writes the
same bytes as a cold one.
"""
from __future__ import annotations

from matplotlib.font_manager import FontProperties

from nzc_report.charts.compact import compact_svg
from nzc_report.charts.labels import LABELS
from nzc_report.charts.style import STYLE, apply_style, new_figure
from nzc_report.charts.svg_canvas import figure_svg, font_height_metrics, text_metrics

WORD_SIZES = (7.5, 8.0, 8.5)  # points: notes beside bars, legends and units, axis labels
TICK_SIZE = 8.0
YEARS = range(2010, 2061)


def tick_labels() -> list[str]:
    """Years and the score and share axes' numbers, as the charts write them."""
    return [str(y) for y in YEARS] + [str(v) for v in range(0, 101, 10)] + [f"{v}%" for v in range(0, 101, 10)]


def catalogue_words() -> list[str]:
    """The chart catalogue's texts that are drawn as they stand (no fields to fill)."""
    return sorted({text for catalogue in LABELS.values() for text in catalogue.values() if "{" not in text})


def warm_up() -> None:
    """Measures the common labels at the style's sizes and draws one small chart (the
    drawing machinery's own first-use costs)."""
    apply_style()
    family = STYLE["font.family"]
    for size in {*WORD_SIZES, TICK_SIZE, STYLE["axes.titlesize"]}:
        font_height_metrics(FontProperties(family=family, size=size), STYLE["figure.dpi"])
    for size in WORD_SIZES:
        prop = FontProperties(family=family, size=size)
        for text in catalogue_words():
            text_metrics(text, prop, False)
    prop = FontProperties(family=family, size=TICK_SIZE)
    for text in tick_labels():
        text_metrics(text, prop, False)
    fig = new_figure(1.5)
    ax = fig.subplots()
    ax.plot([2020, 2021, 2022], [1, 2, 3], marker="o", label=LABELS["zh"]["net"])
    ax.set_title(LABELS["zh"]["tco2e"], loc="left")
    fig.legend(loc="outside lower center")
    compact_svg(figure_svg(fig, metadata={"Date": None}))
