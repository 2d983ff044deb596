"""Charts of a zone, in one style, written as deterministic vector SVG.

The notebook calls write_zone_charts(results, folder, lang) in the kernel; the
report shows whichever charts it returns, in ZONE_CHARTS order. A chart that
would be drawn from fewer than three points (years, or scored indicators) is
left out, not drawn: the report shows a table instead.
"""
from __future__ import annotations

from pathlib import Path

from nzc_report.charts.emissions import net_emissions_chart, sector_chart
from nzc_report.charts.energy import non_fossil_chart
from nzc_report.charts.indicators import indicator_chart
from nzc_report.charts.style import (
    CJK_SANS, PALETTE, STYLE, TEXT_WIDTH_IN, apply_style, new_figure, overlapping_texts, save_svg,
)

__all__ = [
    "CJK_SANS", "PALETTE", "STYLE", "TEXT_WIDTH_IN", "ZONE_CHARTS", "apply_style", "new_figure",
    "overlapping_texts", "save_svg", "write_zone_charts",
]

ZONE_CHARTS = {
    "net_emissions": net_emissions_chart,
    "sectors": sector_chart,
    "non_fossil": non_fossil_chart,
    "indicators": indicator_chart,
}


def write_zone_charts(results: dict, folder: str | Path, lang: str = "zh") -> dict[str, str]:
    """Writes every chart of a zone's results as SVG; returns name → path relative to
    the zone folder (``folder``'s parent), as results.json records them."""
    folder = Path(folder)
    out = {}
    for name, make in ZONE_CHARTS.items():
        fig = make(results, lang)
        if fig is None:
            (folder / f"{name}.svg").unlink(missing_ok=True)  # not a stale chart of an earlier run
            continue
        save_svg(fig, folder / f"{name}.svg")
        out[name] = f"{folder.name}/{name}.svg"
    return out
