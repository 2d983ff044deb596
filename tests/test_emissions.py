"""Gross, net and reduction arithmetic, hand-computed on the tiny fixture."""
import pytest

from nzc_report.assess import assess_zone, load_framework
from nzc_report.assess.emissions import reduction_pct
from nzc_report.dataset import load_dataset
from nzc_report.errors import UsageError
from engine_data import FRAMEWORK_PATH

FW = load_framework(FRAMEWORK_PATH)  # the tests' own (tests/data/engine-params)


@pytest.fixture
def tiny(tiny_dir):
    return load_dataset(tiny_dir)


def test_alpha_net_and_reduction(tiny):
    a = assess_zone(tiny, "alpha", 2019, FW)
    s = a.summary
    # 2015: 10,000 + 5,000 − 1,000 removals; 2019: 6,000 + 3,000 − 1,500
    assert (s.baseline_year, s.data_year) == (2015, 2019)
    assert s.baseline_net_tco2e == 14000
    assert s.gross_tco2e == 9000 and s.removals_tco2e == 1500 and s.net_tco2e == 7500
    assert s.net_reduction_pct == pytest.approx((14000 - 7500) / 14000 * 100)


def test_year_without_removals_is_flagged_not_zeroed_in_text(tiny):
    a = assess_zone(tiny, "alpha", 2019, FW)
    row = a.series.loc[2018]
    assert not row["removals_reported"]
    assert row["net_tco2e"] == 11000


def test_data_after_the_assessment_year_is_ignored(tiny):
    a = assess_zone(tiny, "alpha", 2018, FW)
    assert a.summary.data_year == 2018
    assert a.summary.net_tco2e == 11000


def test_latest_year_with_data_is_used(tiny):
    # 2017 has no emissions: the assessment of 2017 rests on 2016
    a = assess_zone(tiny, "alpha", 2017, FW)
    assert a.summary.data_year == 2016


def test_rising_emissions_give_a_negative_reduction(tiny):
    s = assess_zone(tiny, "beta", 2019, FW).summary
    assert s.net_reduction_pct == pytest.approx(-500 / 30)


def test_reduction_against_a_non_positive_baseline_is_undefined():
    assert reduction_pct(0.0, 10.0) is None
    assert reduction_pct(-5.0, -10.0) is None


def test_an_assessment_year_without_data_or_before_the_baseline_is_refused_clearly(tiny, tiny_copy):
    with pytest.raises(UsageError, match="no emissions data up to 2015"):
        assess_zone(tiny, "beta", 2015, FW)
    with open(tiny_copy / "emissions.csv", "a", encoding="utf-8") as f:
        f.write("alpha,2014,energy,100\n")  # data before the baseline year is allowed
    with pytest.raises(UsageError, match="the assessment year 2014 is before its baseline year 2015"):
        assess_zone(load_dataset(tiny_copy), "alpha", 2014, FW)
