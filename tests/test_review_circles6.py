"""What a reviewer who must sign circled in three more zone reports read page by page (issues 28
and 29): gd-nanao (county), zj-yucun (village), zj-cixi-transport (a company's transport project).

The sample (示例数据) is assessed in process with the shipped framework, rules and catalogue
(tests/recdata.py, tests/reportdata.py: a few seconds); no build.
"""
import sys

import pytest

from nzc_report.assess import load_framework
from nzc_report.findings import load_rules
from nzc_report.findings.annual import annual_blocks, recompute_previous
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR
from nzc_report.render.zone_view import ZoneView
import sampledata
from recdata import sample_results
from reportdata import zone_results

ZONES = ("gd-nanao", "zj-yucun", "zj-cixi-transport")


@pytest.fixture(scope="module")
def zh():
    return sample_results("zh")


@pytest.fixture(scope="module")
def views():
    """The three zones' full results with their year-over-year blocks, as a build writes them."""
    ds = sampledata.dataset()  # the sample, loaded once per process (its tables as without indicator ids)
    fw = load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
    rules = load_rules(PARAMS_DIR / "rules.yaml", fw)
    out = {}
    for z in ZONES:
        r = zone_results(z, data=SAMPLE_DATA_DIR)
        r.update(annual_blocks(r, recompute_previous(ds, z, int(r["year"]), fw, rules)))
        out[z] = ZoneView(r, "zh", {})
    return out


def _recs(r: dict, rule_id: str) -> list[dict]:
    return [x for x in r["recommendations"] if x["rule_id"] == rule_id]


def test_a_missing_end_target_is_added_to_the_targets_set_not_set_again(zh):
    # all three: "明确…申报领域的建设边界…制定包括近零碳终期目标在内的分阶段量化目标" beside three staged
    # targets each, and no problem about the boundary
    asked = 0
    for z, r in zh.items():
        for rec in _recs(r, "R-GUIDANCE-TARGETS"):
            if rec["addresses"] != ["P-NO-END-TARGET"]:
                continue
            asked += 1
            count = next(p for p in r["problems"] if p["rule_id"] == "P-NO-END-TARGET")["evidence"]["figures"]["count"]
            assert f"与已设定的{count}项目标衔接" in rec["text"], (z, rec["text"])
            assert "终期目标" in rec["text"] and "降幅不低于80%" in rec["text"], (z, rec["text"])
            assert "建设边界" not in rec["text"] and "分阶段量化目标" not in rec["text"], (z, rec["text"])
    assert asked >= 3
    for z in ZONES:
        assert "衔接" in _recs(zh[z], "R-GUIDANCE-TARGETS")[0]["text"], z


def test_funding_support_is_not_said_lacking_where_half_of_it_is_not_reported(zh):
    # zj-yucun, zj-cixi-transport: "缺少资金政策支持：财政支持未建立" with 绿色金融 not reported
    seen = 0
    for z, r in zh.items():
        status = {i["id"]: i.get("status") for i in r["indicators"]}
        for p in r["problems"]:
            if p["rule_id"] != "P-POLICY-FUNDING":
                continue
            seen += 1
            assert not p["text"].startswith("缺少"), (z, p["text"])
            for mech, name in (("mechanism_green_finance", "绿色金融"), ("mechanism_fiscal_support", "财政支持")):
                if status.get(mech) is None:
                    assert f"{name}未报告" in p["text"], (z, p["text"])
    assert seen >= 3
    for z in ("zj-yucun", "zj-cixi-transport"):
        assert "绿色金融未报告" in next(p["text"] for p in zh[z]["problems"] if p["rule_id"] == "P-POLICY-FUNDING")


def _rows(p: dict, file: str) -> set[int]:
    return {row for s in p["evidence"]["sources"] if s["file"] == file for row in s["rows"]}


def test_a_balanced_statement_cites_the_rows_of_what_is_in_place_too(zh):
    # gd-nanao 问题6 "财政支持已建立…绿色金融未建立" cited mechanisms.csv row 7 only (green finance), not row 4;
    # zj-cixi-transport 问题5 "2020年…目标已如期实现…但2025年…" cited targets.csv row 42 only
    funding = next(p for p in zh["gd-nanao"]["problems"] if p["rule_id"] == "P-POLICY-FUNDING")
    assert {4, 7} <= _rows(funding, "mechanisms.csv")
    target = next(p for p in zh["zj-cixi-transport"]["problems"]
                  if p["claim"]["subject"] == "target:net_reduction_pct")
    assert "已如期实现" in target["text"] and {41, 42} <= _rows(target, "targets.csv")


def test_each_target_recommendation_answers_its_own_target(views):
    # zj-cixi-transport's 评估依据: 建议5 and 建议6 both read "针对问题5、问题6"
    v = views["zj-cixi-transport"]
    number = {p["claim"]["subject"]: n for n, p in enumerate(v.problems, 1)}
    basis = {row["item"]: row["basis"] for row in v.rules_fired}
    gaps = [n for n, rec in enumerate(v.recommendations, 1) if rec["rule_id"] == "R-TARGET-GAP"]
    assert len(gaps) == 2
    for n in gaps:
        own = number[v.recommendations[n - 1]["subjects"][0]]
        assert basis[f"建议{n}"] == f"针对问题{own}", (n, basis[f"建议{n}"])


def test_the_verdict_counts_the_targets_by_status(views):
    # zj-cixi-transport: "1项已实现或进度正常、2项存在风险、滞后或未实现" where 目标进展 says which
    assert "3项量化目标中已实现1项、进度滞后2项；" in views["zj-cixi-transport"].verdict


def test_refreshed_indicators_are_set_apart_by_the_major_separator(views):
    # zj-yucun: "2项指标（绿化覆盖率，原为2020年数据、绿色建筑占比，原为2020年数据）"
    text = views["zj-yucun"].annual.by_cause
    assert "原为2020年数据；" in text and "原为2020年数据、" not in text, text


def test_a_measure_flag_breaks_only_after_its_comma(views):
    # gd-nanao "计划2022年完/成，逾期", zj-cixi-transport "进度自2022年未/变化": broken inside a word
    flags = {m["name"]: m["flag_parts"] for z in ("gd-nanao", "zj-cixi-transport") for m in views[z].measures
             if m["flag"]}
    assert flags["零碳公共建筑"] == ["计划2022年完成，", "逾期"]
    assert flags["纯电动公交替代"] == ["自2022年起，", "进度未变化"]
    assert all("，" not in part[:-1] for parts in flags.values() for part in parts)


def test_an_implementing_body_is_not_asked_to_issue_policy(zh):
    # zj-cixi-transport: a company told to "出台力度相当的专项措施"
    for z, r in zh.items():
        for rec in r["recommendations"]:
            if rec.get("addressee") == "implementing_body":
                assert "出台" not in rec["text"], (z, rec["text"])
    assert any("制定力度相当的专项措施" in x["text"] for x in _recs(zh["zj-cixi-transport"], "R-TARGET-GAP"))


def test_a_value_in_a_sentence_is_shown_at_the_appendix_precision(zh):
    # zj-huaxi: "单位GDP净排放（碳排放强度）0.02吨二氧化碳当量/万元（2024年，标杆值0.10…）" beside the
    # appendix's 0.0172 and 0.1
    text = next(h["text"] for h in zh["zj-huaxi"]["highlights"] if h["rule_id"] == "H-AT-BENCHMARK")
    assert "0.0172吨二氧化碳当量/万元" in text and "标杆值0.1吨" in text, text
    assert "0.02吨" not in text and "0.10吨" not in text, text


def test_a_benchmark_from_a_document_issued_after_the_report_says_so():
    # zj-huaxi (report dated 2025-03-31): 单位能耗碳排放's 标杆值来源 cited 910号 (2025年7月) as if in hand
    v = ZoneView(zone_results("zj-huaxi", data=SAMPLE_DATA_DIR), "zh", {})
    source = next(i["benchmark_source"] for i in v.indicators if i["id"] == "carbon_per_energy_tco2e_per_tce")
    assert "910号" in source and "已知不晚于2025年7月8日印发，晚于本报告日期" in source, source
    # a document issued before the report (362号, 2015) carries no such note
    yucun = ZoneView(zone_results("zj-yucun", data=SAMPLE_DATA_DIR), "zh", {})
    assert all("晚于本报告日期" not in (i["benchmark_source"] or "") for i in yucun.indicators)
    assert any("362号" in (i["benchmark_source"] or "") for i in yucun.indicators)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
