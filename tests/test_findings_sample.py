"""The engine on the sample dataset (示例数据): findings follow the data, none is invented.

The expectations restate what data/sample holds (see its README): which zones
have no plan, no targets, rising emissions, declared sectors without measures,
no energy data, no mechanisms rows; and the count of each target status.
"""
from collections import Counter

import pytest

from nzc_report.findings import evaluate_findings

from engine_data import shipped_rules as rules  # the shipped params, on purpose
import sampledata

ZHEJIANG_PILOTS = {"zj-qiuchuan", "zj-fenglin", "zj-huangyan-mould", "zj-yuhu", "zj-daruoyan", "zj-shengshan",
                   "zj-yucun", "zj-qiaonan", "zj-anxi", "zj-shihe", "zj-huaxi", "zj-transfar", "zj-youxing",
                   "zj-lishui-ev", "zj-cixi-transport"}


@pytest.fixture(scope="module")
def sample():
    rs = rules()
    out = {}
    for z in sampledata.dataset().zone_ids:
        a = sampledata.assessment(z, 2024)  # shared by the modules of one process (tests/sampledata.py)
        out[z] = (a, evaluate_findings(a, rs))
    return out


def _zones_with(sample, rule_id):
    return {z for z, (_, f) in sample.items()
            if any(x["rule_id"] == rule_id for x in f.highlights + f.problems)}


def test_target_statuses(sample):
    counts = Counter(t.status for a, _ in sample.values() for t in a.targets)
    # planned path (dataset v2): Meishan's 2050 target is judged by its stages, at risk like 2025 and 2030
    # the three example parks (issue 30) add one target each: a at risk, b and c on track
    assert counts == {"achieved": 20, "missed": 9, "on_track": 12, "at_risk": 15, "off_track": 7}
    parks = Counter(t.status for z in ("sn-zcp-example-a", "sn-zcp-example-b", "sn-zcp-example-c")
                    for t in sample[z][0].targets)
    assert parks == {"on_track": 2, "at_risk": 1}


def test_problems_follow_the_data(sample):
    # the Zhejiang pilots report no plan document and no plan row: a data gap, not "no plan" (issue 28)
    assert _zones_with(sample, "P-NO-PLAN") == set()
    for z in ZHEJIANG_PILOTS:
        missing = next(p for p in sample[z][1].problems if p["rule_id"] == "P-EVAL-MISSING-DATA")
        assert "mechanism_plan" in {m["id"] for m in missing["evidence"]["figures"]["missing"]}, z
    assert _zones_with(sample, "P-NO-TARGETS") == {"zj-qiaonan", "zj-anxi", "zj-youxing"}
    assert _zones_with(sample, "P-EMISSIONS-RISING") == {"zj-huangyan-mould"}
    lacking = {z: f for z, (_, fs) in sample.items() for f in fs.problems
               if f["rule_id"] == "P-SECTORS-WITHOUT-MEASURES"}
    assert {z: f["evidence"]["figures"]["sectors"] for z, f in lacking.items()} == {
        "hn-changsha": ["transport"], "sn-agri-example": ["industry"], "zj-fenglin": ["building"],
        "zj-huangyan-mould": ["transport"],
        # the example parks list building among their sectors and report no building measure
        "sn-zcp-example-a": ["building"], "sn-zcp-example-b": ["building"], "sn-zcp-example-c": ["building"]}
    assert _zones_with(sample, "P-EVAL-EMISSIONS-LAG") == {"zj-anxi"}  # its emissions end in 2023


def test_missing_data_is_named(sample):
    for z in ("zj-qiaonan", "zj-youxing"):
        a, f = sample[z]
        missing = next(p for p in f.problems if p["rule_id"] == "P-EVAL-MISSING-DATA")
        ids = {m["id"] for m in missing["evidence"]["figures"]["missing"]}
        assert {"non_fossil_share_pct", "carbon_per_energy_tco2e_per_tce"} <= ids
    no_rows = {"zj-anxi", "zj-daruoyan", "zj-qiaonan", "zj-youxing", "sn-building-example", "yn-eco-example"}
    for z, (a, f) in sample.items():
        mech = [r for r in a.indicators if r.indicator.kind == "mechanisms" and r.weight > 0]
        # staged targets not reported as a mechanism are read off the targets (their own table), the
        # plan off zones.csv (its plan_document, dated)
        from_rows = [r for r in mech if r.reported and r.observed.refs[0].table == "mechanisms"]
        read_off = {"mechanism_staged_targets": "targets", "mechanism_plan": "zones"}
        assert all(r.observed.refs[0].table == read_off.get(r.indicator.id)
                   for r in mech if r.reported and r not in from_rows), z
        assert (not from_rows) == (z in no_rows), z
        if z in no_rows:  # nothing about mechanisms may be claimed, only that the data is missing
            assert not {p["rule_id"] for p in f.problems} & {"P-POLICY-COORDINATION", "P-POLICY-FUNDING",
                                                           "P-POLICY-INCENTIVE", "P-EVAL-ACCOUNTING"}


def test_every_zone_has_a_score_grade_and_coverage(sample):
    for z, (a, _) in sample.items():
        s = a.score
        assert s.score is not None and 0 <= s.score <= 100, z
        assert s.grade in ("优秀", "合格", "不合格") and 0 < s.coverage_pct <= 100


def test_the_plan_is_read_off_zones_csv_only_where_it_is_dated_in_or_before_the_year(sample):
    """gd-nanao's plan is dated 2017-01 in zones.csv; mechanisms.csv files it only for 2024. Its 2023
    result used to score 建设方案 "未报告, 0" and the year's change to call it newly filed data."""
    from dataclasses import replace

    from nzc_report.assess.indicators import series_of

    a, _ = sample["sn-building-example"]  # dated 2016-12, no plan row in mechanisms.csv at all
    plan = next(r for r in a.indicators if r.indicator.id == "mechanism_plan")
    assert plan.reported and plan.observed.status == "yes" and plan.observed.refs[0].table == "zones"
    ind = plan.indicator
    zd = replace(sample["gd-nanao"][0].data, year=2023)  # only the zone's row and the year are read
    assert series_of(ind, zd, a.framework)[2023].refs[0].columns == ("plan_document", "plan_date")
    for date in ("2024-03", None, "unknown"):  # dated after the year, undated, unreadable: not reported
        assert series_of(ind, replace(zd, zone={**zd.zone, "plan_date": date}), a.framework) == {}, date
    no_plan = replace(zd, zone={**zd.zone, "plan_document": None})
    assert series_of(ind, no_plan, a.framework) == {}
    assert series_of(replace(ind, unreported_from=None), zd, a.framework) == {}  # only where the framework says
