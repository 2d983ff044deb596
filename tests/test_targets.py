"""Target status as ../shared/spec/dataset.md defines it, on hand-computed cases."""
import pytest

from nzc_report.assess import assess_zone
from nzc_report.assess.targets import assess_target
from nzc_report.dataset import load_dataset


def _t(**kw):
    base = dict(metric="m", baseline_year=2015, higher_is_better=True)
    base.update(kw)
    return assess_target(**base)


def test_tiny_targets(tiny_dir):
    ds = load_dataset(tiny_dir)
    alpha = {(t.metric, t.target_year): t for t in assess_zone(ds, "alpha", 2019).targets}
    assert alpha[("net_reduction_pct", 2018)].status == "achieved"  # 21.4% ≥ 20% in 2018
    t = alpha[("net_reduction_pct", 2025)]
    # P = 46.43/60, E = 4/10
    assert t.progress_ratio == pytest.approx((6500 / 14000 * 100 / 60) / 0.4)
    assert t.status == "on_track"
    assert t.required_annual_change == pytest.approx((60 - 6500 / 140) / 6)
    nf = alpha[("non_fossil_share_pct", 2025)]
    # B = 600/6000 = 10%, A = 2000/5000 = 40%: P = 30/40, E = 0.4
    assert nf.progress_ratio == pytest.approx(1.875) and nf.status == "on_track"
    beta = assess_zone(ds, "beta", 2019).targets[0]
    assert beta.status == "off_track" and beta.progress_ratio < 0  # moved away from the target


@pytest.mark.parametrize("a,status", [(95, "on_track"), (60, "at_risk"), (59, "off_track"), (-10, "off_track")])
def test_thresholds_increasing(a, status):
    # B = 0, V = 100, E = 0.5: R = A / 50
    t = _t(target_year=2025, target_value=100, values={2020: a / 2}, assessment_year=2020, baseline_value=0)
    assert t.status == status


def test_decreasing_metric():
    # emissions 1000 → target 0 by 2025; in 2020 at 600: P = 0.4, E = 0.5, R = 0.8
    t = _t(metric="net_emissions_tco2e", target_year=2025, target_value=0, values={2015: 1000, 2020: 600},
           assessment_year=2020, baseline_value=1000, higher_is_better=False)
    assert t.progress_ratio == pytest.approx(0.8) and t.status == "at_risk"


def test_e_zero_is_undefined():
    t = _t(target_year=2025, target_value=50, values={2015: 10}, assessment_year=2015, baseline_value=0)
    assert t.progress_ratio is None and "E = 0" in t.note


def test_v_equals_b_is_undefined():
    t = _t(target_year=2025, target_value=0, values={2020: -5}, assessment_year=2020, baseline_value=0)
    assert t.progress_ratio is None and t.status == "off_track" and "V = B" in t.note


@pytest.mark.parametrize("value,status", [(20, "achieved"), (19.9, "missed")])
def test_target_year_passed(value, status):
    t = _t(target_year=2020, target_value=20, values={2020: value, 2022: 50}, assessment_year=2022,
           baseline_value=0)
    assert t.status == status and t.current_value == value


def test_target_year_passed_without_data_is_no_data():
    t = _t(target_year=2020, target_value=20, values={2019: 30, 2022: 50}, assessment_year=2022,
           baseline_value=0)
    assert t.status == "no_data" and t.progress_ratio is None
