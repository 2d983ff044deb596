"""总体评价's year-over-year line: a previous year assessed but concluded without a score (a gate of
its framework decided, issue 30) is not said to have no assessment."""
from __future__ import annotations

import copy

import pytest

from nzc_report.render.zone_view import ZoneView
from reportdata import zone_results


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha")


def test_a_previous_year_decided_without_a_score_is_named_not_called_missing(alpha):
    r = copy.deepcopy(alpha)
    r["previous"] = {**(r.get("previous") or {}), "year": r["year"] - 1, "score": None, "grade": "未达标"}
    line = ZoneView(r, "zh", {}).year_change
    assert "未达标" in line and "未计综合得分" in line and "没有可比的评估结果" not in line
    assert "without a score" in ZoneView(r, "en", {}).year_change


def test_no_previous_year_is_said_as_none(alpha):
    r = copy.deepcopy(alpha)
    r["previous"], r["changes"] = None, None
    assert "没有可比的评估结果" in ZoneView(r, "zh", {}).year_change
