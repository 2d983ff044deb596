"""The zone report's own words (issues 28/29): 总体评价's year change says how much of it is newly filed
data and names a change of grade; the verdict states no count of 0; the evaluators' framework is not
cited as an issued document; a village is 本村. On the tiny fixture's alpha zone."""
from __future__ import annotations

import copy

import pytest

from nzc_report.render.zone_view import ZoneView
from reportdata import zone_results


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha")


def _with_change(r: dict, before: float, after: float, newly: float, g0: str, g1: str) -> dict:
    r = copy.deepcopy(r)
    r["score"] = after
    r["previous"] = {**(r.get("previous") or {}), "year": r["year"] - 1, "score": before, "grade": g0}
    r["changes"] = {**(r.get("changes") or {}), "score_delta": after - before, "grade_before": g0, "grade_after": g1,
                    "score_change_by_cause": {"newly_reported": newly, "values": after - before - newly,
                                              "framework": 0.0}}
    return r


def test_a_rise_mostly_from_newly_filed_data_is_said_so_up_front(alpha):
    # gd-nanao: 48.2 → 60.5, 不合格 → 合格, of which +7.6 newly filed; 总体评价 read only "提高12.3分"
    r = _with_change(alpha, 48.2, 60.5, 7.6, "不合格", "合格")
    line = ZoneView(r, "zh", {}).year_change
    assert "由“不合格”变为“合格”" in line and "新报送数据带来+7.6分" in line and "已有数据的数值变化带来+4.7分" in line
    assert "不等同于建设进展" in line and line.endswith("。")
    en = ZoneView(r, "en", {}).year_change
    assert "from Fail to Pass" in en and "+7.6" in en and "not progress" in en and en.endswith(".")


def test_a_change_from_values_alone_names_no_new_data(alpha):
    r = _with_change(alpha, 50.0, 55.0, 0.0, "不合格", "不合格")
    line = ZoneView(r, "zh", {}).year_change
    assert "新报送" not in line and "评价等级" not in line and "提高5.0分" in line


def test_the_verdict_states_no_count_of_zero(alpha):
    view = ZoneView(alpha, "zh", {})
    assert view.targets, "the fixture zone has targets"
    assert "0项" not in view.verdict
    assert "0 at risk" not in ZoneView(alpha, "en", {}).verdict


def test_the_evaluators_own_framework_is_not_cited_as_an_issued_document(alpha):
    # the method read "本报告按《近零碳排放区示范工程统一评估指标体系》（第2.0版）评价", a title no body issued
    first = ZoneView(alpha, "zh", {}).method[0]
    assert "《近零碳排放区示范工程统一评估指标体系》" not in first
    assert "“近零碳排放区示范工程统一评估指标体系”" in first and "由评估单位制定" in first
    assert "set by the evaluating body" in ZoneView(alpha, "en", {}).method[0]


def test_a_village_is_called_a_village():
    from nzc_report.render.narrative import Words
    assert Words({"zone_type": "community", "name": "安吉县余村"}, "zh").self_word() == "本村"
    assert Words({"zone_type": "community", "name": "天台县桥南社区"}, "zh").self_word() == "本社区"
    assert Words({"zone_type": "community", "name": "庆元县安南乡安溪村"}, "en").self_word() == "The village"


def test_the_english_appendix_glosses_the_sample_label(alpha):
    # the English appendix read "Dataset: 示例数据; report date…", the only unglossed label of the body
    assert ZoneView(alpha, "en", {}).dataset_label == f"{alpha['dataset']['label']} (sample data)"
    assert ZoneView(alpha, "zh", {}).dataset_label == alpha["dataset"]["label"]


def test_an_english_list_of_some_projects_ends_in_and_others_once():
    # zj-meishan read "(近零碳产业集聚区, 近零碳港口和物流 and 分布式发电市场交易 and others)"
    from nzc_report.render.narrative import Words, _projects
    en, zh = Words({}, "en"), Words({}, "zh")
    assert _projects(en, ["A", "B", "C"], 5) == {"projects": "A, B, C", "etc": " and others"}
    assert _projects(en, ["A", "B"], 2) == {"projects": "A and B", "etc": ""}
    assert _projects(zh, ["甲", "乙"], 3) == {"projects": "甲、乙", "etc": "等"}


def test_the_appendix_speaks_words_not_file_names(alpha):
    # pp.15–17 named results.json, zones.csv, dataset_sha256 and DATA_DIR
    import re
    for lang in ("zh", "en"):
        v = ZoneView(alpha, lang, {})
        from nzc_report.render.messages import Messages
        t = Messages(lang)
        said = " ".join([v.file_names, v.command, t("appendix.rules_intro"), t("appendix.zone_data_note"),
                         *(name for name, _ in v.versions),
                         t("appendix.reproduce_intro", placeholder=t("appendix.data_placeholder"))])
        assert not re.search(r"\.csv|\.json|_sha256|DATA_DIR", said), (lang, said)
    assert "排放数据表" in ZoneView(alpha, "zh", {}).file_names
    assert "--data 数据目录" in ZoneView(alpha, "zh", {}).command


def test_the_evidence_list_promises_only_what_it_holds(alpha):
    # the intro promised 评估组意见 and 现场核查 columns above a table that had neither
    bare = ZoneView(alpha, "zh", {}).evidence_intro
    assert "评估组意见" not in bare and "现场核查" not in bare and bare.endswith("。")
    r = copy.deepcopy(alpha)
    r["params"] = {**(r.get("params") or {}), "site_visit": {"date": "2025-03-01", "team": ["王五", "赵六"]}}
    view = ZoneView(r, "zh", {})
    assert view.site_visit and "现场核查" in view.evidence_intro and "评估组意见" not in view.evidence_intro


def test_the_parts_of_a_change_add_up_to_the_change_shown(alpha):
    # "+3.1分 … +4.6分" under a change of 7.6: the parts were rounded each on its own
    from nzc_report.render.environment import parts_that_add
    assert parts_that_add(7.64, {"n": 3.05, "v": 4.59, "f": 0.0}) == {"n": 3.0, "v": 4.6, "f": 0.0}
    r = _with_change(alpha, 50.0, 57.64, 3.05, "不合格", "不合格")
    line = ZoneView(r, "zh", {}).year_change
    assert "提高7.6分" in line and "+3.0分" in line and "+4.6分" in line, line


def test_a_mover_is_shown_at_the_appendix_precision(alpha):
    # "单位能耗碳排放由0.7…变为0.4" beside the appendix's 0.729 → 0.441
    r = copy.deepcopy(alpha)
    r["previous"] = {**(r.get("previous") or {}), "year": r["year"] - 1}
    r["changes"] = {**(r.get("changes") or {}), "score_delta": 1.2, "grade_before": "合格", "grade_after": "合格",
                    "indicator_movers": [{"id": "carbon_per_energy_tco2e_per_tce", "name_zh": "单位能耗碳排放",
                                          "unit": "t", "value_before": 0.729, "value_after": 0.441,
                                          "year_before": r["year"] - 1, "year_after": r["year"],
                                          "score_before": 78.0, "score_after": 90.0, "score_delta": 12.0},
                                         {"id": "g", "name_zh": "绿色建筑占比", "unit": "%", "value_before": 40.04,
                                          "value_after": 40.01, "year_before": r["year"] - 1, "year_after": r["year"],
                                          "score_before": 50.0, "score_after": 49.9, "score_delta": -0.1}]}
    movers = ZoneView(r, "zh", {}).annual.movers
    assert "0.729" in movers[0] and "0.441" in movers[0], movers[0]
    assert "40.04%" in movers[1] and "40.01%" in movers[1], movers[1]  # told apart where 40.0 = 40.0


def test_english_says_no_chinese_grade_or_evidence_sentence(alpha):
    # park b's English report quoted last year's grade "未达标"; the evidence list printed Chinese sentences
    import re
    en = ZoneView(alpha, "en", {})
    assert en.annual._grade("未达标") == "Not met"
    assert not re.search(r"[\u4e00-\u9fff]", en.annual._grade("某个未知等级"))
    assert ZoneView(alpha, "zh", {}).annual._grade("未达标") == "未达标"
    assert en._evidence_text("《某某方案》（2020年）已印发") == "《某某方案》"
    assert en._evidence_text("源于调研，已建立") == "(recorded in Chinese)"
    assert ZoneView(alpha, "zh", {})._evidence_text("源于调研，已建立") == "源于调研，已建立"


def test_english_catalogue_words_a_reader_understands():
    # "260.6 hundred million CNY"; "(the band of 600,000 tce a year)"
    from nzc_report.render.messages import Messages
    t = Messages("en")
    assert "hundred million" not in t.get("rules")["H-DECOUPLING"] and "100 million CNY" in t.get("rules")["H-DECOUPLING"]
    assert "band of" not in t("gate_band", energy="600,000 tce") and "yearly energy use" in t("gate_band", energy="x")
    assert t("facts.names_note") and Messages("zh")("facts.names_note") == ""


def test_a_previous_grade_a_gate_decided_is_said_in_english(alpha):
    # park b's English 总体评价: 'The 2023 assessment concluded "未达标" without a score'
    import re
    r = copy.deepcopy(alpha)
    r["previous"] = {**(r.get("previous") or {}), "year": r["year"] - 1, "score": None, "grade": "未达标"}
    line = ZoneView(r, "en", {}).year_change
    assert "Not met" in line and not re.search(r"[\u4e00-\u9fff]", line), line
