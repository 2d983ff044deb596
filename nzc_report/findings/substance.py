"""Conditions on what the data achieved beyond targets: decoupling, sector gains, stalled projects.

Registered with the same decorator as conditions.py; figures are numbers, years and codes.
"""
from __future__ import annotations

import pandas as pd

from nzc_report.assess import ZoneAssessment
from nzc_report.assess.indicators import series_of
from nzc_report.findings.conditions import _evidence, condition


def gdp_by_year(a: ZoneAssessment) -> dict[int, float]:
    act = a.activity
    if act is None or act.empty or "gdp_10k_cny" not in act:
        return {}
    return {int(r["year"]): float(r["gdp_10k_cny"]) for r in act.to_dict("records")
            if r["gdp_10k_cny"] is not None and not pd.isna(r["gdp_10k_cny"]) and r["gdp_10k_cny"] > 0}


def decoupling_figures(a: ZoneAssessment) -> dict | None:
    """GDP and net emissions indexed to the baseline (=100), intensity change and peak year."""
    gdp = gdp_by_year(a)
    base, now = a.summary.baseline_year, a.summary.data_year
    if base not in gdp or now not in gdp or now <= base:
        return None
    net = {int(y): float(v) for y, v in a.series["net_tco2e"].items()}
    if net.get(base, 0) <= 0:
        return None
    # a peak the data shows: the highest year after the first observed one (a series that starts at
    # its highest has no peak in it; "峰值出现在2015年" for the base year read as a found peak)
    peak_year: int | None = max(net, key=lambda y: (net[y], -y))
    if peak_year == min(net):
        peak_year = None
    gdp_index = gdp[now] / gdp[base] * 100
    net_index = net[now] / net[base] * 100
    intensity_change = (net[now] / gdp[now]) / (net[base] / gdp[base]) * 100 - 100
    return {"baseline_year": base, "data_year": now, "gdp_base_10k_cny": gdp[base], "gdp_10k_cny": gdp[now],
            "gdp_index": gdp_index, "net_index": net_index, "intensity_change_pct": intensity_change,
            "peak_year": peak_year, "peak_net_tco2e": net[peak_year] if peak_year is not None else None,
            "absolute": gdp_index > 100 and net_index < 100}


@condition("min_gdp_growth_pct")
def decoupling(a: ZoneAssessment, params: dict) -> list[dict]:
    f = decoupling_figures(a)
    if f is None or not f["absolute"] or f["gdp_index"] - 100 < params["min_gdp_growth_pct"]:
        return []
    base, now = f["baseline_year"], f["data_year"]
    refs = (a.data.emission_refs(base) + a.data.emission_refs(now)
            + a.data.refs_for_year("activity", base, ("gdp_10k_cny",))
            + a.data.refs_for_year("activity", now, ("gdp_10k_cny",)))
    return [_evidence(a, f, refs)]


@condition("min_change", "indicators")
def indicator_gains(a: ZoneAssessment, params: dict) -> list[dict]:
    """Indicators that moved by at least ``min_change`` (in their unit) the better way since first reported."""
    items, refs = [], []
    for iid in params["indicators"]:
        ind = a.framework.indicator(iid)
        if ind is None or not ind.applies(a.zone) and a.indicator(iid) is None:
            continue
        s = series_of(ind, a.data, a.framework)
        if len(s) < 2:
            continue
        years = sorted(s)
        first, last = s[years[0]], s[years[-1]]
        gain = (last.value - first.value) * (1 if ind.higher_is_better else -1)
        if gain >= params["min_change"]:
            # the years without data before the last value (绿色建筑占比: 2020, then 2024): said, so that a
            # value filed after a gap is not read as a change within the year
            before_last = s[years[-2]].year
            gap = last.year - before_last - 1 > params.get("max_gap_years", last.year)
            items.append({"indicator": iid, "unit": ind.unit, "from_year": first.year, "from_value": first.value,
                          "year": last.year, "value": last.value,
                          "gap": [before_last + 1, last.year - 1] if gap else None})
            refs += list(first.refs) + list(last.refs)
    return [_evidence(a, {"items": items, "count": len(items)}, refs)] if items else []


def _off_plan(a: ZoneAssessment, states: tuple[str, ...]) -> list[dict]:
    found = [m for m in a.measure_states if m.state in states]
    if not found:
        return []
    items = [{**m.as_dict(), "years": a.year - m.start_year if m.start_year is not None else None} for m in found]
    return [_evidence(a, {"measures": items, "count": len(items), "year": a.year,
                          "delayed": sum(m.state == "delayed" for m in found),
                          "stalled": sum(m.state == "stalled" for m in found)},
                      [r for m in found for r in m.refs])]


@condition("max_ongoing_years")
def measures_long_ongoing(a: ZoneAssessment, params: dict) -> list[dict]:
    """A rules file of before v3: the years since start alone no longer make a measure stalled
    (dataset.md v3), so this reads the measures' plans as measures_off_plan does."""
    return _off_plan(a, ("delayed", "stalled"))


@condition()
def measures_off_plan(a: ZoneAssessment, params: dict) -> list[dict]:
    """Measures behind their own plan (dataset v3): past their planned completion year, or whose
    recorded progress has not moved for two years; never by their age alone."""
    return _off_plan(a, ("delayed", "stalled"))


@condition()
def measure_progress_not_reported(a: ZoneAssessment, params: dict) -> list[dict]:
    """Ongoing measures with neither a planned completion year nor progress rows: a data gap."""
    return _off_plan(a, ("progress_not_reported",))
