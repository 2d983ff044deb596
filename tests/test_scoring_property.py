"""Scores do not reward silence: making an applicable indicator unreported never raises a score."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nzc_report.assess import assess_zone
from nzc_report.assess.indicators import IndicatorResult, evaluate_indicators
from nzc_report.assess.scoring import zone_score
from nzc_report.dataset import load_dataset

from engine_data import ENGINE, framework

FW = framework()
SCORED = [i for i in FW.indicators if i.weight > 0]


@given(st.lists(st.tuples(st.floats(0, 100), st.booleans()), min_size=len(SCORED), max_size=len(SCORED)),
       st.integers(0, len(SCORED) - 1))
def test_unreporting_any_indicator_never_raises_the_score(cells, which):
    def results(drop: int | None):
        return [IndicatorResult(ind, True, None, None, None,
                                None if (not reported or k == drop) else score)
                for k, (ind, (score, reported)) in enumerate(zip(SCORED, cells))]
    before = zone_score(results(None), FW)
    after = zone_score(results(which), FW)
    if before.score is None:
        assert after.score is None
    else:
        assert after.score is None or after.score <= before.score + 1e-9
        assert after.coverage_pct <= before.coverage_pct + 1e-9


_DERIVED_COLUMNS = {"net_per_capita": ("activity", "population"), "net_per_gdp": ("activity", "gdp_10k_cny"),
                    "carbon_per_energy": ("activity", "total_energy_tce"),
                    "non_fossil_share_pct": ("activity", "non_fossil_energy_tce")}


def _without(zd, ind):
    """The zone's data with everything ``ind`` is computed from removed (None if it cannot be)."""
    tables = dict(zd.tables)
    series = zd.series
    if ind.kind == "indicators":
        t = tables["indicators"]
        tables["indicators"] = t[t["indicator_id"] != ind.id]
    elif ind.kind == "mechanisms":
        t = tables["mechanisms"]
        tables["mechanisms"] = t[t["mechanism"] != ind.mechanism]
    elif ind.formula in _DERIVED_COLUMNS:
        name, column = _DERIVED_COLUMNS[ind.formula]
        t = tables[name].copy()
        t[column] = np.nan
        tables[name] = t
    elif ind.formula in ("measure_completion_pct", "sector_measure_coverage_pct"):
        tables["measures"] = tables["measures"].iloc[0:0]
    elif ind.formula == "removals_share_pct":
        series = series.assign(removals_tco2e=np.nan, removals_reported=False)
        series = series.assign(net_tco2e=series["gross_tco2e"])
    else:
        return None  # net reduction: emissions are required, it cannot go unreported
    return replace(zd, tables=tables, series=series)


@pytest.mark.parametrize("zone_id", ["good", "weak", "bare"])
def test_removing_the_data_of_an_applicable_indicator_never_raises_the_score(zone_id):
    a = assess_zone(load_dataset(ENGINE), zone_id, 2024, FW)
    checked = 0
    for r in a.indicators:
        if not (r.applies and r.weight > 0 and r.reported):
            continue
        zd = _without(a.data, r.indicator)
        if zd is None:
            continue
        after = zone_score(evaluate_indicators(zd, FW), FW)
        assert not next(x for x in evaluate_indicators(zd, FW) if x.indicator.id == r.indicator.id).reported
        assert after.score is None or after.score <= a.score.score + 1e-9, r.indicator.id
        checked += 1
    assert checked or zone_id == "bare"
