"""上年度问题整改情况 (issue 28): the lead sentence counts the rows under the words the table shows
(部分整改 apart from 部分补报, no part of 0), and a new problem on what the previous year did not
report is marked as shown by newly filed data, not as a setback. On the tiny fixture's alpha zone."""
from __future__ import annotations

import copy

import pytest

from nzc_report.render.zone_view import ZoneView
from reportdata import zone_results


@pytest.fixture(scope="module")
def alpha():
    r = copy.deepcopy(zone_results("alpha"))
    by_rule = {p["rule_id"]: p for p in r["problems"]}
    coordination = {"rule_id": "P-POLICY-COORDINATION", "category": "policy", "text": "跨部门协调机制部分建立。",
                    "claim": {"subject": "mechanism:coordination", "polarity": "negative"},
                    "evidence": {"figures": {"items": [{"mechanism": "coordination",
                                                        "indicator": "mechanism_coordination", "status": "partial"}]}}}
    r["problems"] = [*r["problems"], coordination]
    r["previous"] = {"year": r["year"] - 1, "score": r["score"], "grade": r["grade"],
                     "problems": [dict(by_rule["P-NO-END-TARGET"]), {**by_rule["P-EVAL-MISSING-DATA"], "text": "旧"}],
                     "indicators": [{"id": "mechanism_coordination", "value": None}]}
    r["changes"] = {"score_delta": 0.0, "grade_before": r["grade"], "grade_after": r["grade"], "problem_changes": [
        {"subject": "evidence:targets", "before": "P-NO-END-TARGET", "after": "P-NO-END-TARGET", "how": "unchanged"},
        {"subject": "data:indicators", "before": "P-EVAL-MISSING-DATA", "after": "P-EVAL-MISSING-DATA",
         "how": "improved"},
        {"subject": "mechanism:coordination", "before": None, "after": "P-POLICY-COORDINATION", "how": "new"},
        {"subject": "data:coverage", "before": None, "after": "P-EVAL-LOW-COVERAGE", "how": "new"}]}
    return r


def test_the_lead_counts_what_the_table_shows(alpha):
    view = ZoneView(alpha, "zh", {}).annual
    states = [f.state for f in view.followup]
    assert states == ["未整改", "部分补报", "新增（新报送数据所示）", "新增"]
    intro = view.followup_intro
    # before: "其中已整改0项、因补报数据消除0项、部分整改1项、未整改1项" beside a table reading 部分补报
    assert "其中部分补报1项、未整改1项；" in intro and "0项" not in intro and "部分整改" not in intro
    assert "本年度新增问题2项，其中1项是上年度未报送、本年度新报送的数据所显示的" in intro


def test_the_english_lead_counts_the_same(alpha):
    intro = ZoneView(alpha, "en", {}).annual.followup_intro
    assert "(Partly filed: 1, Not rectified: 1)" in intro and "2 new problems this year, 1 of them" in intro
    assert " 0 " not in intro
