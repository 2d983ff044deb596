"""The planned path of a metric and the year window a chart shows.

The planned path is the one of the dataset contract (version 2): piecewise
linear through (baseline year, baseline value) and every milestone of the
same metric, in year order. A chart shows the data years plus the next
milestone; milestones beyond that are written as a note, not drawn, so the
data years keep the width of the chart.
"""
from __future__ import annotations

# The next milestone joins the axis when it is at most this many years after
# the data, or no further than the data years span (a 2050 target does not).
NEAR_YEARS = 6


def planned_path(baseline_year: int | None, baseline_value: float | None,
                 milestones: list[tuple[int, float]]) -> list[tuple[float, float]]:
    """(year, value) corners of the planned path: the baseline, then each milestone
    after it in year order (one value per year: the first given). Empty without a baseline."""
    if baseline_year is None or baseline_value is None:
        return []
    points = [(float(baseline_year), float(baseline_value))]
    seen = {int(baseline_year)}
    for year, value in sorted(milestones, key=lambda m: m[0]):
        if year in seen or year < baseline_year:
            continue
        seen.add(year)
        points.append((float(year), float(value)))
    return points if len(points) > 1 else []


def cut_at(points: list[tuple[float, float]], x_max: float) -> list[tuple[float, float]]:
    """The path up to x_max: corners before it, and the path's value at x_max."""
    out: list[tuple[float, float]] = []
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        if not out:
            out.append((x0, y0))
        if x1 <= x_max:
            out.append((x1, y1))
            continue
        if x0 < x_max:
            out.append((x_max, y0 + (y1 - y0) * (x_max - x0) / (x1 - x0)))
        break
    return out if len(out) > 1 else []


def year_window(data_years: list[int], milestone_years: list[int]) -> tuple[int, int]:
    """(first, last) year on the axis: the data years, and the next milestone after
    them when it is near enough (NEAR_YEARS, or the data's own span)."""
    first, last = min(data_years), max(data_years)
    later = sorted(y for y in milestone_years if y > last)
    if later and later[0] - last <= max(NEAR_YEARS, last - first):
        last = later[0]
    first = min([first] + [y for y in milestone_years if y <= last])
    return first, last
