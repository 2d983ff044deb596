"""Indicators of the framework and the zone score, hand-computed on tests/data/engine.

good (community): 2015 net 10,000 t, 2024 net 3,000 t; population 5,000; energy 9,000 → 6,000 tce,
non-fossil 1,800 → 4,200 tce. weak (town): emissions end in 2023 (net 11,000 t); population 2,500 → 2,200,
GDP 15,000 → 22,000 (10k CNY), energy 5,000 → 5,500 tce, non-fossil 1,000 → 1,375 tce.
bare (organisation): emissions only, 1,000 t (2018) → 900 t (2024).
"""
from dataclasses import replace

import pytest

from nzc_report.assess import assess_zone
from nzc_report.assess.indicators import IndicatorResult
from nzc_report.assess.scoring import indicator_score, zone_score
from nzc_report.dataset import load_dataset

from engine_data import ENGINE, framework

FW = framework()


@pytest.fixture(scope="module")
def zones():
    ds = load_dataset(ENGINE)
    return {z: assess_zone(ds, z, 2024, FW) for z in ("good", "weak", "bare")}


def _ind(a, iid):
    r = a.indicator(iid)
    assert r is not None, iid
    return r


def test_derived_indicators_of_good(zones):
    a = zones["good"]
    red = _ind(a, "net_reduction_pct")
    assert (red.current.value, red.current.year) == (pytest.approx(70.0), 2024)
    assert red.previous.value == pytest.approx(62.0) and red.change == pytest.approx(8.0)  # 2023: 3,800 t
    assert red.score == 100  # community benchmark 60 %: clipped
    pc = _ind(a, "net_emissions_per_capita_tco2e")
    assert pc.current.value == pytest.approx(0.6)
    assert (pc.previous.value, pc.previous.year) == (pytest.approx(2.0), 2015)
    assert pc.change == pytest.approx(-1.4)
    assert pc.score == pytest.approx((3 - 0.6) / (3 - 0.5) * 100)  # community: floor 3, benchmark 0.5
    nf = _ind(a, "non_fossil_share_pct")
    assert nf.current.value == pytest.approx(70.0) and nf.previous.value == pytest.approx(20.0)
    assert nf.score == pytest.approx((70 - 20) / 60 * 100)
    cpe = _ind(a, "carbon_per_energy_tco2e_per_tce")
    assert cpe.current.value == pytest.approx(0.5) and cpe.previous.value == pytest.approx(10000 / 9000)
    assert cpe.score == pytest.approx((2.6 - 0.5) / (2.6 - 0.3) * 100)


def test_indicators_csv_and_mechanisms_csv(zones):
    a = zones["good"]
    gc = _ind(a, "green_coverage_pct")
    assert (gc.current.value, gc.previous.value, gc.change) == (40, 39, 1)
    assert gc.score == pytest.approx(40 / 45 * 100) and gc.current.note == "测试"
    plan = _ind(a, "mechanism_plan")
    assert plan.current.value == 100 and plan.current.status == "yes"
    w = zones["weak"]
    coord = _ind(w, "mechanism_coordination")
    assert coord.current.value == 50 and coord.current.status == "partial" and coord.score == 50
    assert _ind(w, "mechanism_verification").score == 0


def test_measures(zones):
    assert _ind(zones["good"], "measure_completion_pct").current.value == 100
    assert _ind(zones["good"], "sector_measure_coverage_pct").current.value == 100
    w = zones["weak"]
    assert _ind(w, "measure_completion_pct").current.value == pytest.approx(25)  # ongoing 50, suspended 0
    cov = _ind(w, "sector_measure_coverage_pct")
    assert cov.current.value == pytest.approx(100 / 3)  # energy only; the suspended transport measure does not count
    assert cov.score == 0  # floor 50 %


def test_activity_ratios_of_weak_use_the_latest_year_with_both(zones):
    w = zones["weak"]
    pc = _ind(w, "net_emissions_per_capita_tco2e")
    assert (pc.current.year, pc.current.value, pc.previous.value) == (2023, pytest.approx(5.0), pytest.approx(4.0))
    gdp = _ind(w, "carbon_intensity_gdp_tco2e_per_10k_cny")
    assert gdp.current.value == pytest.approx(0.5) and gdp.score == pytest.approx((1 - 0.5) / 0.9 * 100)
    waste = _ind(w, "waste_recycling_rate_pct")
    assert waste.current.year == 2019 and waste.previous is None and waste.change is None


def test_missing_data_is_not_reported_never_zero(zones):
    w = zones["weak"]
    gc = _ind(w, "green_coverage_pct")
    assert gc.applies and not gc.reported
    assert gc.current is None and gc.score is None and gc.change is None
    assert w.indicator("removals_share_pct") is None  # weak declares no ecology: does not apply
    bare = zones["bare"]
    for iid in ("non_fossil_share_pct", "carbon_per_energy_tco2e_per_tce", "measure_completion_pct",
                "mechanism_plan", "carbon_intensity_gdp_tco2e_per_10k_cny"):
        assert not _ind(bare, iid).reported and _ind(bare, iid).score is None


def test_an_indicator_reported_where_it_does_not_apply_is_shown_not_scored(zones):
    pt = _ind(zones["weak"], "public_transport_share_pct")  # a town: public transport share is for communities
    assert pt.reported and not pt.applies
    assert pt.score is None and pt.weight == 0 and pt.current.value == 15


def test_indicators_cite_the_rows_they_rest_on(zones):
    pc = _ind(zones["good"], "net_emissions_per_capita_tco2e")
    by_table = {r.table: r for r in pc.current.refs}
    assert by_table["activity"].rows == (3,) and by_table["activity"].columns == ("population",)
    assert len(by_table["emissions"].rows) == 4  # the four sectors of 2024
    cited = zones["good"].data.cite(pc.current.refs)
    assert {c["file"] for c in cited} == {"emissions.csv", "activity.csv"}


# -- scores --------------------------------------------------------------------

@pytest.mark.parametrize("value,floor,bench,score", [
    (50, 0, 100, 50), (-5, 0, 100, 0), (150, 0, 100, 100),     # higher is better, clipped
    (1.45, 2.6, 0.3, 50), (3.0, 2.6, 0.3, 0), (0.1, 2.6, 0.3, 100),  # lower is better
    (20, 20, 80, 0), (80, 20, 80, 100),
])
def test_indicator_score_is_linear_between_floor_and_benchmark(value, floor, bench, score):
    assert indicator_score(value, floor, bench) == pytest.approx(score)


def _fake(iid, weight, score, applies=True):
    ind = FW.indicator(iid)
    return IndicatorResult(replace(ind, weight=weight), applies, None, None, None, score)


def test_zone_score_counts_missing_data_as_zero():
    results = [_fake("net_reduction_pct", 20, 50.0), _fake("non_fossil_share_pct", 10, None),
               _fake("carbon_per_energy_tco2e_per_tce", 10, 100.0),
               _fake("mechanism_research", 0, 100.0),  # weight 0: shown, never scored
               _fake("nev_share_pct", 4, 0.0, applies=False)]  # does not apply: weight 0
    s = zone_score(results, FW)
    # non-fossil share applies but has no data: 0 points over its weight, no re-normalising
    assert s.score == pytest.approx((20 * 50 + 10 * 0 + 10 * 100) / 40)
    assert s.coverage_pct == pytest.approx(30 / 40 * 100)
    assert (s.weight_applicable, s.weight_reported) == (40, 30)
    assert s.grade == "不合格" and not s.provisional
    energy = next(d for d in s.by_dimension if d["dimension"] == "energy")
    assert energy["score"] == 50 and energy["coverage_pct"] == 50


def test_zone_score_without_any_data_is_undefined():
    s = zone_score([_fake("net_reduction_pct", 20, None)], FW)
    assert s.score is None and s.grade is None and s.coverage_pct == 0 and not s.provisional


def test_zone_scores_of_the_fixtures(zones):
    bare = zones["bare"].score
    # only the net reduction (10 %, benchmark 50 % for organisations: 20 points) has data;
    # every other applicable indicator counts 0
    applicable = sum(i.weight for i in FW.indicators if "organisation" in i.zone_types)
    assert bare.score == pytest.approx(20 * 20.0 / applicable)
    assert bare.coverage_pct == pytest.approx(20 / applicable * 100)
    assert bare.provisional and bare.grade == "不合格"
    good = zones["good"].score
    assert good.coverage_pct == 100 and good.grade == "优秀"
    reported = [r for r in zones["good"].indicators if r.weight > 0]
    assert good.score == pytest.approx(sum(r.weight * r.score for r in reported) / sum(r.weight for r in reported))
