"""Target status as ../shared/spec/dataset.md defines it: hand-computed cases and properties.

P = (A − B) / (V − B), E = (Y − baseline) / (T − baseline), R = P / E;
on_track R ≥ 0.95, at_risk 0.6 ≤ R < 0.95, off_track R < 0.6; when Y ≥ T:
achieved / missed / no_data from the value in year T.
"""
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from nzc_report.assess import assess_zone, load_framework
from nzc_report.assess.targets import assess_target
from nzc_report.dataset import load_dataset

from engine_data import sample_units, ENGINE, FRAMEWORK_PATH

FW = load_framework(FRAMEWORK_PATH)  # the tests' own (tests/data/engine-params)


def _t(**kw):
    base = {"metric": "m", "baseline_year": 2015, "higher_is_better": True}
    base.update(kw)
    return assess_target(**base)


# -- through the assessment, on fixtures ----------------------------------------

def test_tiny_targets(tiny_dir):
    ds = load_dataset(tiny_dir)
    alpha = {(t.metric, t.target_year): t for t in assess_zone(ds, "alpha", 2019, FW).targets}
    assert alpha[("net_reduction_pct", 2018)].status == "achieved"  # 21.4% ≥ 20% in 2018
    t = alpha[("net_reduction_pct", 2025)]
    # planned path (2015, 0) → (2018, 20) → (2025, 60): Pv(2019) = 20 + 40 / 7; A = 46.43 %
    assert t.planned_value == pytest.approx(20 + 40 / 7)
    assert t.progress_ratio == pytest.approx((6500 / 14000 * 100) / (20 + 40 / 7))
    assert t.status == "on_track"
    assert t.required_annual_change == pytest.approx((60 - 6500 / 140) / 6)
    nf = alpha[("non_fossil_share_pct", 2025)]
    # B = 600/6000 = 10%, A = 2000/5000 = 40%: P = 30/40, E = 0.4
    assert nf.progress_ratio == pytest.approx(1.875) and nf.status == "on_track"
    beta = assess_zone(ds, "beta", 2019, FW).targets[0]
    assert beta.status == "off_track" and beta.progress_ratio < 0  # moved away from the target
    assert beta.metric_label == "净排放量" and not beta.higher_is_better


def test_indicator_targets_take_their_direction_and_label_from_the_framework():
    ds = load_dataset(ENGINE)
    weak = {(t.metric, t.target_year): t for t in assess_zone(ds, "weak", 2024, FW).targets}
    nev = weak[("nev_share_pct", 2026)]
    # indicators.csv: 10 % in 2015 (baseline), 30 % in 2022; P = 20/40, E = 7/11
    assert nev.share_achieved == pytest.approx(0.5)
    assert nev.time_elapsed == pytest.approx(7 / 11)
    assert nev.progress_ratio == pytest.approx(0.5 * 11 / 7) and nev.status == "at_risk"
    assert nev.required_annual_change == pytest.approx(20 / 4)
    assert (nev.metric_label, nev.unit, nev.higher_is_better) == ("新能源汽车占比", "%", True)
    # green building share has no value in the baseline year 2015
    gb = weak[("green_building_share_pct", 2028)]
    assert gb.status == "no_data" and gb.progress_ratio is None and gb.note == "no_baseline_value"
    # emissions end in 2023 (Y); net 11,000 against 10,000: A = −10 %, P = −1/3, E = 8/15
    red = weak[("net_reduction_pct", 2030)]
    assert red.current_year == 2023
    assert red.progress_ratio == pytest.approx(-1 / 3 / (8 / 15)) and red.status == "off_track"
    assert weak[("net_reduction_pct", 2020)].status == "missed"  # −5 % in 2020 against 10 %


def test_targets_cite_their_row_and_the_rows_of_their_figures():
    ds = load_dataset(ENGINE)
    t = next(t for t in assess_zone(ds, "weak", 2024, FW).targets if t.metric == "nev_share_pct")
    tables = {r.table for r in t.refs}
    assert tables == {"targets", "indicators"}
    assert t.row == 7  # the 6th data row of targets.csv


# -- hand-computed cases -------------------------------------------------------

@pytest.mark.parametrize("a,status", [(95, "on_track"), (60, "at_risk"), (59, "off_track"), (-10, "off_track")])
def test_thresholds_increasing(a, status):
    # B = 0, V = 100, E = 0.5: R = A / 50
    t = _t(target_year=2025, target_value=100, values={2020: a / 2}, assessment_year=2020, baseline_value=0)
    assert t.status == status


@pytest.mark.parametrize("a,status", [(47.5, "on_track"), (47.4, "at_risk"), (30.0, "at_risk"), (29.9, "off_track")])
def test_thresholds_are_inclusive_at_exactly_0_95_and_0_6(a, status):
    # B = 0, V = 100, E = 0.5: R = A / 50 → 0.95, 0.948, 0.6, 0.598
    t = _t(target_year=2025, target_value=100, values={2020: a}, assessment_year=2020, baseline_value=0)
    assert t.progress_ratio == pytest.approx(a / 50)
    assert t.status == status


@pytest.mark.parametrize("a,ratio,status", [(600, 0.8, "at_risk"), (500, 1.0, "on_track"),
                                            (1100, -0.2, "off_track")])
def test_decreasing_metric(a, ratio, status):
    # emissions 1000 → target 0 by 2025; in 2020 at A: P = (A − 1000) / −1000, E = 0.5
    t = _t(metric="net_emissions_tco2e", target_year=2025, target_value=0, values={2015: 1000, 2020: a},
           assessment_year=2020, baseline_value=1000, higher_is_better=False)
    assert t.progress_ratio == pytest.approx(ratio) and t.status == status
    assert t.required_annual_change == pytest.approx(-a / 5)


def test_increasing_metric_with_a_non_zero_baseline():
    # non-fossil share 10 % → 50 % by 2025; 2019 at 26 %: P = 16/40 = 0.4, E = 4/10, R = 1.0
    t = _t(target_year=2025, target_value=50, values={2015: 10, 2019: 26}, assessment_year=2019,
           baseline_value=10)
    assert (t.share_achieved, t.time_elapsed) == (pytest.approx(0.4), pytest.approx(0.4))
    assert t.progress_ratio == pytest.approx(1.0) and t.status == "on_track"


@pytest.mark.parametrize("a,status", [(10, "on_track"), (9, "off_track")])
def test_e_zero_is_undefined(a, status):
    # Y is the baseline year: no time has elapsed; moving away from the target is off track
    t = _t(target_year=2025, target_value=50, values={2015: a}, assessment_year=2015, baseline_value=10)
    assert t.progress_ratio is None and t.time_elapsed == 0 and t.note == "at_baseline_year"
    assert t.status == status


@pytest.mark.parametrize("a,higher,status", [(-5, True, "off_track"), (0, True, "on_track"),
                                             (5, True, "on_track"), (5, False, "off_track"),
                                             (-5, False, "on_track")])
def test_v_equals_b_is_undefined(a, higher, status):
    t = _t(target_year=2025, target_value=0, values={2020: a}, assessment_year=2020, baseline_value=0,
           higher_is_better=higher)
    assert t.progress_ratio is None and t.status == status and t.note == "target_equals_baseline"


@pytest.mark.parametrize("value,status", [(20, "achieved"), (19.9, "missed"), (20 - 1e-12, "achieved")])
def test_target_year_passed(value, status):
    t = _t(target_year=2020, target_value=20, values={2020: value, 2022: 50}, assessment_year=2022,
           baseline_value=0)
    assert t.status == status and t.current_value == value and t.current_year == 2020
    assert t.progress_ratio is None and t.required_annual_change is None


@pytest.mark.parametrize("value,status", [(790, "achieved"), (800, "achieved"), (810, "missed")])
def test_target_year_passed_decreasing(value, status):
    t = _t(metric="net_emissions_tco2e", target_year=2020, target_value=800, values={2020: value},
           assessment_year=2022, baseline_value=1000, higher_is_better=False)
    assert t.status == status


def test_the_target_year_itself_counts_as_passed():
    t = _t(target_year=2020, target_value=20, values={2020: 25}, assessment_year=2020, baseline_value=0)
    assert t.status == "achieved"


def test_framework_direction_decides_not_the_targets_own():
    # a cap above the baseline: emissions may grow to 1200; 1100 keeps within it
    t = _t(metric="net_emissions_tco2e", target_year=2020, target_value=1200, values={2020: 1100},
           assessment_year=2022, baseline_value=1000, higher_is_better=False)
    assert t.status == "achieved"


def test_unknown_direction_falls_back_to_the_targets_own_and_says_so():
    t = _t(target_year=2020, target_value=800, values={2020: 790}, assessment_year=2022,
           baseline_value=1000, higher_is_better=None)
    assert t.status == "achieved" and not t.higher_is_better and t.direction_assumed


def test_target_year_passed_without_data_is_no_data():
    t = _t(target_year=2020, target_value=20, values={2019: 30, 2022: 50}, assessment_year=2022,
           baseline_value=0)
    assert t.status == "no_data" and t.progress_ratio is None and t.note == "no_value_in_target_year"


def test_no_value_at_all_is_no_data():
    t = _t(target_year=2025, target_value=20, values={}, assessment_year=2022, baseline_value=0)
    assert t.status == "no_data" and t.current_value is None


def test_values_after_the_assessment_year_are_not_used():
    t = _t(target_year=2025, target_value=100, values={2020: 50, 2023: 99}, assessment_year=2020,
           baseline_value=0)
    assert t.current_year == 2020 and t.progress_ratio == pytest.approx(1.0)


# -- properties ----------------------------------------------------------------

def _expected_status(r: Fraction) -> str:
    if r >= Fraction(95, 100):
        return "on_track"
    if r >= Fraction(6, 10):
        return "at_risk"
    return "off_track"


values = st.integers(min_value=-1000, max_value=1000)


@given(base=st.integers(2000, 2030), dy=st.integers(0, 30), dt=st.integers(1, 40),
       b=values, v=values, a=values, higher=st.booleans())
def test_ratio_and_status_agree_with_the_definition(base, dy, dt, b, v, a, higher):
    assume(v != b)
    y, t_year = base + dy, base + dy + dt
    t = assess_target(metric="m", target_year=t_year, target_value=float(v), values={y: float(a)},
                      baseline_year=base, assessment_year=y, baseline_value=float(b), higher_is_better=higher)
    p = Fraction(a - b, v - b)
    e = Fraction(dy, t_year - base)
    assert t.share_achieved == pytest.approx(float(p))
    assert t.time_elapsed == pytest.approx(float(e))
    assert t.required_annual_change == pytest.approx((v - a) / dt)
    if e == 0:
        assert t.progress_ratio is None
        assert t.status == ("off_track" if p < 0 else "on_track")
    else:
        r = p / e
        assert t.progress_ratio == pytest.approx(float(r))
        assert t.status == _expected_status(r)


@given(base=st.integers(2000, 2030), dt=st.integers(1, 40), late=st.integers(0, 10),
       b=values, v=values, a=values, higher=st.booleans())
def test_passed_targets_are_achieved_exactly_when_reached(base, dt, late, b, v, a, higher):
    t_year = base + dt
    t = assess_target(metric="m", target_year=t_year, target_value=float(v), values={t_year: float(a)},
                      baseline_year=base, assessment_year=t_year + late, baseline_value=float(b),
                      higher_is_better=higher)
    reached = a >= v if higher else a <= v
    assert t.status == ("achieved" if reached else "missed")
    assert t.progress_ratio is None


@given(dy=st.integers(1, 30), dt=st.integers(1, 40), b=values, a=values, higher=st.booleans())
def test_v_equal_to_b_never_has_a_ratio(dy, dt, b, a, higher):
    t = assess_target(metric="m", target_year=2000 + dy + dt, target_value=float(b), values={2000 + dy: float(a)},
                      baseline_year=2000, assessment_year=2000 + dy, baseline_value=float(b),
                      higher_is_better=higher)
    assert t.progress_ratio is None
    assert t.status == ("on_track" if (a >= b if higher else a <= b) else "off_track")


# -- the planned path (dataset contract v2) ---------------------------------------

def test_planned_path_runs_through_earlier_milestones():
    # baseline 2015: 0; milestones 2020: 0, 2025: 50; Y = 2024 on the 2020–2025 segment:
    # Pv = 0 + (2024 − 2020) / 5 × 50 = 40; A = 30 → R = 30 / 40 = 0.75
    t = _t(target_year=2025, target_value=50, values={2015: 0, 2024: 30}, assessment_year=2024,
           baseline_value=0, milestones=[(2020, 0), (2025, 50)])
    assert t.planned_value == pytest.approx(40)
    assert t.progress_ratio == pytest.approx(0.75) and t.status == "at_risk"
    assert t.share_achieved == pytest.approx(0.6) and t.time_elapsed == pytest.approx(0.8)


def test_without_earlier_milestones_the_path_is_version_1():
    t = _t(target_year=2025, target_value=50, values={2015: 10, 2019: 26}, assessment_year=2019,
           baseline_value=10, milestones=[(2025, 50), (2030, 80)])  # a later milestone changes nothing
    assert t.planned_value == pytest.approx(10 + 0.4 * 40) and t.progress_ratio == pytest.approx(1.0)


def test_plan_flat_before_its_first_rise_has_no_ratio():
    # 2015 → 2020 flat at B = 0: in 2018 the plan expects no change yet
    up = _t(target_year=2025, target_value=50, values={2018: 2}, assessment_year=2018, baseline_value=0,
            milestones=[(2020, 0)])
    down = _t(target_year=2025, target_value=50, values={2018: -2}, assessment_year=2018, baseline_value=0,
              milestones=[(2020, 0)])
    assert up.planned_value == 0 and up.progress_ratio is None and up.note == "plan_flat"
    assert (up.status, down.status) == ("on_track", "off_track")


def test_judged_targets_carry_no_planned_value():
    t = _t(target_year=2020, target_value=20, values={2020: 25}, assessment_year=2022, baseline_value=0)
    assert t.planned_value is None and t.as_dict()["planned_value"] is None


def test_meishan_staged_targets_are_judged_by_their_stages():
    # targets.csv: net reduction 2020: 0, 2025: 50, 2030: 80, 2050: 100 (baseline 2015: 0 %);
    # 2024: 30 % (480,000 → 336,000 t). Every open stage sits on the 2020–2025 segment in 2024:
    # Pv(2024) = 40 → R = 0.75 for 2025, 2030 and 2050 alike (v1 gave 2050 a ratio of 1.17).
    from nzc_report.resources import SAMPLE_DATA_DIR
    a = assess_zone(load_dataset(SAMPLE_DATA_DIR, indicator_units=sample_units()), "zj-meishan", 2024, FW)
    red = {t.target_year: t for t in a.targets if t.metric == "net_reduction_pct"}
    assert red[2020].status == "achieved" and red[2020].planned_value is None
    for year in (2025, 2030, 2050):
        assert red[year].planned_value == pytest.approx(40.0)
        assert red[year].progress_ratio == pytest.approx(30.0 / 40.0)
        assert red[year].status == "at_risk"
    assert red[2050].milestones == ((2020, 0.0), (2025, 50.0), (2030, 80.0))
