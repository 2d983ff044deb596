"""One style for every chart: palette, fonts, sizes, and deterministic SVG output.

Charts are drawn at the width they are printed (the report's text column), so
9 pt in matplotlib is 9 pt on paper and nothing is scaled down. Text stays text
(svg.fonttype none) in the CJK sans that the PDF embeds for its headings, so
the charts add no font of their own.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("svg")  # no GUI backend in kernels or workers

import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

from nzc_report.atomic import atomic_path
from nzc_report.charts.compact import compact_svg
from nzc_report.charts.svg_canvas import figure_svg

CJK_SANS = "Noto Sans CJK SC"

# Okabe–Ito: told apart with the common colour-vision deficiencies, and of
# different lightness, so stacks stay readable in grey print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#7F7F7F"]
INK = "#222222"
GREY = "#7F7F7F"
LIGHT = "#BBBBBB"

# The report's text column (templates/report.css: A4 with 28 mm + 26 mm side margins).
TEXT_WIDTH_IN = 156 / 25.4

STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "nzc-report",  # stable ids: identical inputs, identical bytes
    "font.family": "sans-serif",
    # Only the CJK face: a fallback here would end up as a second font in the PDF.
    "font.sans-serif": [CJK_SANS],
    "axes.unicode_minus": False,  # a hyphen, not U+2212, in negative numbers
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.labelsize": 8.5,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.title_fontsize": 8,
    "legend.frameon": False,
    "axes.edgecolor": "#888888",
    "axes.linewidth": 0.6,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.5,
    "lines.linewidth": 1.4,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "figure.dpi": 72,
    "savefig.dpi": 72,
}


def apply_style() -> None:
    sns.set_theme(context="paper", style="whitegrid", palette=PALETTE, rc=STYLE)
    matplotlib.rcParams.update(STYLE)


def new_figure(height_in: float, width_in: float = TEXT_WIDTH_IN) -> Figure:
    """A figure exactly as wide as the text column, laid out so nothing is cut."""
    apply_style()
    return Figure(figsize=(width_in, height_in), layout="constrained")


def save_svg(fig: Figure, path: Path) -> Path:
    """Deterministic SVG: no date, salted ids, the figure's own size; no white background
    (the page is white), and compacted (nzc_report/charts/compact.py) for the PDF's sake."""
    fig.patch.set_visible(False)
    for ax in fig.axes:
        ax.patch.set_visible(False)
    svg = figure_svg(fig, metadata={"Date": None, "Creator": "nzc-report"})
    with atomic_path(path) as tmp:
        Path(tmp).write_bytes(compact_svg(svg))
    return path


def thousands(ax, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))


def percent(ax, axis: str = "y") -> None:
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}%"))


# At most this many year labels fit the column at the tick size; more, and every
# second (third…) year is labelled, counting from the first; the last is labelled too.
MAX_YEAR_LABELS = 16


def year_axis(ax, first: int, last: int, pad: float = 0.6) -> None:
    """The x axis from first to last year, every year labelled (every n-th from the
    first, and the last, when there are too many to fit)."""
    step = 1
    while (last - first) // step + 1 > MAX_YEAR_LABELS:
        step += 1
    years = list(range(first, last + 1, step))
    years[-1] = last  # the last year (a milestone, or the latest data) keeps its label
    ax.set_xlim(first - pad, last + pad)
    ax.set_xticks(years, [str(y) for y in years])


def side_note(ax, text: str) -> None:
    """A short note level with the unit, at the top right (e.g. later milestones)."""
    if text:
        ax.set_title(text, loc="right", fontsize=7.5, color=INK, pad=4)


def unit_label(ax, text: str) -> None:
    """The y unit written level above the axis (Chinese reads badly turned on its side)."""
    ax.set_ylabel("")
    ax.set_title(text, loc="left", fontsize=8, color=INK, pad=4)


def legend_below(ax, ncol: int = 4, **kwargs) -> None:
    """The legend under the plot, where it can never cover data or labels."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", ncol=min(ncol, len(handles)),
                         handlelength=2.2, columnspacing=1.4, **kwargs)


def overlapping_texts(fig: Figure, texts: list | None = None) -> list[tuple[str, str]]:
    """Pairs of visible texts whose boxes intersect once the figure is drawn (``texts``: what
    drawn_texts(fig) gave, if it was just called; otherwise it draws the figure)."""
    boxes = [(t.get_text(), t.get_window_extent()) for t in (drawn_texts(fig) if texts is None else texts)]
    clashes = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if box_a.overlaps(box_b):
                clashes.append((a, b))
    return clashes


def undrawn_tick_labels(fig: Figure) -> set[int]:
    """ids of tick labels whose tick lies outside its axis's view (matplotlib keeps
    them, visible, but does not draw them)."""
    out = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            slack = (hi - lo) * 1e-6
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - slack <= tick.get_loc() <= hi + slack:
                    out.update({id(tick.label1), id(tick.label2)})
    return out


def drawn_texts(fig: Figure):
    """The texts a drawing of the figure shows, once laid out as save_svg lays it out
    (the SVG renderer's text metrics, not those of matplotlib's default raster canvas)."""
    from matplotlib.text import Text

    from nzc_report.charts.svg_canvas import MeasuredCanvasSVG

    MeasuredCanvasSVG(fig)  # becomes fig.canvas: the draw below measures as the SVG does
    fig.draw_without_rendering()
    hidden = undrawn_tick_labels(fig)
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.figure is not None and id(t) not in hidden]


def clipped_texts(fig: Figure, tolerance_px: float = 0.5, texts: list | None = None) -> list[str]:
    """Drawn texts whose box reaches outside the figure (``texts``: as for overlapping_texts)."""
    page = fig.bbox
    out = []
    for t in drawn_texts(fig) if texts is None else texts:
        box = t.get_window_extent()
        if (box.x0 < page.x0 - tolerance_px or box.y0 < page.y0 - tolerance_px
                or box.x1 > page.x1 + tolerance_px or box.y1 > page.y1 + tolerance_px):
            out.append(t.get_text())
    return out
