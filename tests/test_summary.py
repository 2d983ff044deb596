"""Provincial and national synthesis (pure functions over results.json dicts) and its sentences."""
import re

import pytest

from nzc_report.dataset import load_dataset
from nzc_report.render.summary import render_summary_html
from nzc_report.resources import PARAMS_DIR
from nzc_report.summary import by_type, load_config, national_summary, province_summary, zones_table

DATASET = {"label": "测试数据", "is_sample": True, "report_date": "2020-03-31"}
CONFIG = load_config(PARAMS_DIR / "summary.yaml")


def _target(year, status, metric="net_reduction_pct"):
    return {"metric": metric, "metric_label": "净排放较基准年降幅", "unit": "%", "target_year": year,
            "target_value": 20.0, "current_value": 10.0, "status": status}


def _finding(rule, category=None, **figures):
    f = {"rule_id": rule, "text": f"一个示范区自己的句子 {rule}", "evidence": {"figures": figures}}
    return {**f, "category": category} if category else f


def _result(zone_id, province, zone_type, reduction, score=None, targets=(), problems=(), highlights=(),
            provisional=False):
    return {"zone_id": zone_id, "name": f"{zone_id}区", "province_code": province, "zone_type": zone_type,
            "data_year": 2019, "score": score, "grade": None if score is None else ("合格" if score >= 60 else "不合格"),
            "grade_provisional": provisional, "coverage_pct": 50.0 if provisional else 90.0,
            "emissions": {"net_reduction_pct": reduction}, "targets": list(targets),
            "problems": list(problems), "highlights": list(highlights), "recommendations": []}


def _meta(r, status="built", reason=None):
    return {"zone_id": r["zone_id"], "name": r["name"], "zone_type": r["zone_type"],
            "province_code": r["province_code"], "status": status, "reason": reason}


@pytest.fixture
def results():
    met_2018 = _finding("H-MILESTONE-ACHIEVED", target_year=2018, metric="net_reduction_pct",
                        metric_label="净排放较基准年降幅", unit="%", current_value=25.0)
    missed = _finding("P-TARGET-MISSED", "progress", target_year=2018, metric="net_reduction_pct",
                      metric_label="净排放较基准年降幅")
    return [
        _result("a", "440000", "town", 40.0, 80, targets=[_target(2018, "achieved"), _target(2025, "on_track")],
                highlights=[met_2018], problems=[_finding("P-POLICY-FUNDING", "policy")]),
        _result("b", "440000", "town", -10.0, 50, targets=[_target(2018, "missed")],
                problems=[missed, _finding("P-POLICY-FUNDING", "policy"),
                          _finding("P-EMISSIONS-RISING", "progress", increase_pct=10.0),
                          _finding("P-MEASURES-SUSPENDED", "progress",
                                   measures=[{"measure_id": "m1", "name": "光伏电站", "sector": "energy"}])]),
        _result("c", "440000", "park", 20.0, 60, targets=[_target(2020, "achieved")],
                highlights=[_finding("H-MILESTONE-ACHIEVED", target_year=2020, metric="net_reduction_pct",
                                     unit="%", current_value=22.0)]),
        _result("d", "330000", "community", 5.0, 70, provisional=True,
                problems=[_finding("P-NO-TARGETS", "concept")]),
    ]


def _guangdong(results, config):
    gd = [r for r in results if r["province_code"] == "440000"]
    return province_summary(gd, [_meta(r) for r in gd], "440000", 2019, DATASET, config)


def test_a_milestone_is_counted_per_target_year(results):
    s = _guangdong(results, {**CONFIG, "fold_singletons": []})
    met = {g["key"]["target_year"]: g["zone_ids"] for g in s["highlights"] if g["rule_id"] == "H-MILESTONE-ACHIEVED"}
    assert met == {2018: ["a"], 2020: ["c"]}
    missed = [g for g in s["problems"] if g["rule_id"] == "P-TARGET-MISSED"]
    assert [(g["key"]["target_year"], g["zone_ids"]) for g in missed] == [(2018, ["b"])]


def test_one_zone_milestones_are_told_in_one_line_naming_each(results, tmp_path):
    s = _guangdong(results, CONFIG)
    met = [g for g in s["highlights"] if g["rule_id"] == "H-MILESTONE-ACHIEVED"]
    assert len(met) == 1 and met[0]["other"] and met[0]["n"] == 2 and met[0]["zone_ids"] == ["a", "c"]
    assert [[k["target_year"] for k in d["keys"]] for d in met[0]["details"]] == [[2018], [2020]]
    text = _text(render_summary_html(s, tmp_path))
    assert ("2个示范区（占67%）如期实现了各自的阶段性目标：a区（2018年净排放较基准年降幅）、"
            "c区（2020年净排放较基准年降幅）。") in text
    missed = [g for g in s["problems"] if g["rule_id"] == "P-TARGET-MISSED"]
    assert [(g["other"], g["zone_ids"]) for g in missed] == [(False, ["b"])]  # a single one stays as it is


def test_every_category_is_there_even_when_empty(results):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    cats = s["problems_by_category"]
    assert list(cats) == ["concept", "evaluation", "policy", "progress"]
    assert (cats["concept"]["zones"], cats["evaluation"]["zones"], cats["policy"]["zones"],
            cats["progress"]["zones"]) == (1, 0, 2, 1)


def test_focus_lists_every_zone_needing_attention(results):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    focus = {z["zone_id"]: z for z in s["focus"]["zones"]}
    assert sorted(focus) == ["b", "d"]
    assert focus["b"]["rising"] == {"increase_pct": 10.0}
    assert [t["target_year"] for t in focus["b"]["targets"]] == [2018]
    assert focus["b"]["suspended"] == {"count": 1, "measures": ["光伏电站"]}
    assert focus["d"]["provisional"]["coverage_pct"] == 50.0
    assert s["focus"]["counts"] == {"gate": 0, "rising": 1, "targets": 1, "suspended": 1, "provisional": 1}
    suspended = next(g for g in s["problems"] if g["rule_id"] == "P-MEASURES-SUSPENDED")
    assert suspended["total"] == 1  # counted from the evidence's list of measures


def _gate_failed_park(zone_id="e", province="440000"):
    """A park that fails its framework's gate (0.25 against ≤0.2) at a score of 100."""
    gate = {"id": "core_carbon_per_energy", "label": "单位能耗碳排放（核心指标）", "label_en": "Carbon per energy",
            "value": 0.25, "threshold": 0.2, "passed": False, "source": "910号", "unit": "吨二氧化碳当量/吨标准煤",
            "comparison": "at_most"}
    r = _result(zone_id, province, "park", 50.0, 100.0, problems=[_finding(
        "P-GATE-FAILED", "progress", gate="core_carbon_per_energy", label=gate["label"], label_en=gate["label_en"],
        value=0.25, threshold=0.2)])
    return {**r, "grade": "未达标", "gates": [gate],
            "framework": {"id": "zero-carbon-park", "title": "国家零碳园区建设评价"},
            "outcome": {"label": "未达标", "reason": None, "status": "gate_failed", "decided_by": "gate"}}


def test_a_failed_gate_is_a_focus_and_a_problem_of_the_summaries(results, tmp_path):
    results = [*results, _gate_failed_park()]
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    focus = {z["zone_id"]: z for z in s["focus"]["zones"]}
    assert focus["e"]["gate"]["gates"][0]["id"] == "core_carbon_per_energy"
    assert focus["e"]["gate"]["outcome"] == "未达标"
    assert s["focus"]["counts"]["gate"] == 1
    assert s["problems_by_category"]["progress"]["zones"] == 2  # b and the park
    (g,) = [g for g in s["problems"] if g["rule_id"] == "P-GATE-FAILED"]
    assert g["n"] == 1 and s["problems"][0] is g  # told first among the problems
    recs = {item["code"]: item for cat in s["recommendations"].values() for item in cat}
    assert ("P-GATE-FAILED", 1) in [(x["rule_id"], x["n"]) for x in recs["accelerate"]["grounds"]]
    text = _text(render_summary_html(s, tmp_path))
    assert ("单位能耗碳排放（核心指标）为0.25吨二氧化碳当量/吨标准煤（要求≤0.20吨二氧化碳当量/吨标准煤），"
            "未通过否决条件，结论为“未达标”") in text
    assert "1.1个示范区的单位能耗碳排放（核心指标）未通过所在评估框架的否决条件" in text  # first
    # "未达到否决条件" reads as "did not reach the veto", i.e. not vetoed: the opposite (sum6)
    assert "未达到否决条件" not in text and "未达到所在评估框架的否决条件" not in text


NZ = {"id": "near-zero-zone", "title": "近零碳框架", "grade_bands": [
    {"grade": "优秀", "min": 85}, {"grade": "合格", "min": 60}, {"grade": "不合格", "min": 0}]}


def _park(zone_id, score, grade, status="rated"):
    """A park under the zero-carbon park framework: rated by its score, or decided by its gate."""
    r = _result(zone_id, "440000", "park", 30.0, score)
    return {**r, "grade": grade, "framework": {"id": "zero-carbon-park", "title": "零碳园区框架", "grade_bands": [
        {"grade": "达标（全部）", "min": 100}, {"grade": "达标（部分）", "min": 0}]},
        "outcome": {"label": grade, "reason": None, "status": status,
                    "decided_by": "score" if status == "rated" else "gate"}}


def test_grades_scores_and_ranks_are_never_pooled_across_frameworks(results, tmp_path):
    """Four zones under one framework, three parks under another (one decided by its gate): the mean,
    the grade counts and the strongest are each framework's own (issue 30)."""
    for r in results:
        r["framework"] = NZ
    parks = [_park("p1", 100.0, "未达标", "gate_failed"), _park("p2", 75.0, "达标（部分）"),
             _park("p3", 100.0, "达标（全部）")]
    s = national_summary([*results, *parks], [_meta(r) for r in [*results, *parks]], 2019, DATASET, CONFIG)
    assert s["principal_framework"] == "near-zero-zone"
    assert s["grades"] == {"合格": 3, "不合格": 1}  # the parks' labels are not counted with these
    assert s["score_stats"]["n"] == 4 and s["score_stats"]["mean"] == 65.0  # (80 + 50 + 60 + 70) / 4
    # the parks alone: the one decided by its gate is neither averaged nor among the strongest
    alone = national_summary(parks, [_meta(r) for r in parks], 2019, DATASET, CONFIG)
    assert alone["score_stats"]["n"] == 2 and alone["score_stats"]["mean"] == 87.5
    assert [z["zone_id"] for z in alone["top"]] == ["p3", "p2"]
    assert alone["grades"] == {"未达标": 1, "达标（部分）": 1, "达标（全部）": 1}
    assert [z["zone_id"] for z in alone["zones"] if z.get("outcome_status")] == ["p1"]
    assert {z["zone_id"] for z in s["top"]} <= {"a", "b", "c", "d"}
    nz, zcp = s["by_framework"]
    assert (nz["id"], nz["count"], nz["principal"]) == ("near-zero-zone", 4, True)
    assert (zcp["id"], zcp["count"], zcp["single"]) == ("zero-carbon-park", 3, False)
    assert zcp["score"]["n"] == 2 and zcp["score"]["mean"] == 87.5  # the gate-decided 100 is no rating
    assert [(g["grade"], g["n"]) for g in zcp["grades"]] == [("达标（全部）", 1), ("达标（部分）", 1), ("未达标", 1)]
    assert [z["zone_id"] for z in zcp["top"]] == ["p3", "p2"]
    text = _text(render_summary_html(s, tmp_path))
    assert "按“近零碳框架”评估的4个示范区平均综合得分65.0分，其中合格3个、不合格1个" in text
    assert "按“零碳园区框架”评估的3个示范区平均综合得分87.5分，其中达标（全部）1个、达标（部分）1个、未达标1个" in text
    assert "合格3个、不合格1个、" not in text  # no sentence counts both frameworks' grades
    assert "以下平均得分、等级分布和排名只含按“近零碳框架”评估的4个示范区" in text
    # the tables count every zone but average one framework's: their note says so
    assert "表中示范区数为各评估框架的全部示范区；平均得分和得分范围只含按“近零碳框架”评估的示范区" in text


def test_a_zone_alone_under_its_framework_says_so_rather_than_rank(results, tmp_path):
    for r in results:
        r["framework"] = NZ
    park = _park("p1", 75.0, "达标（部分）")
    s = national_summary([*results, park], [_meta(r) for r in [*results, park]], 2019, DATASET, CONFIG)
    (row,) = [z for z in s["zones"] if z["zone_id"] == "p1"]
    assert row["rank_alone"] and row["rank_overall"] is None
    assert s["by_framework"][1]["single"]
    text = _text(render_summary_html(s, tmp_path))
    assert "按“零碳园区框架”评估的1个示范区（p1区）评价结论为“达标（部分）”，该框架下仅此1个示范区，不排名" in text
    assert "本框架仅此1个，不排名" in text  # its row of the table
    # one framework: the summary reads as before, no rank withheld
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    assert not any(z.get("rank_alone") for z in s["zones"]) and "评估框架" not in _text(render_summary_html(s, tmp_path))
    assert "表中示范区数" not in _text(render_summary_html(s, tmp_path))


def test_recommendations_are_grounded_in_counts(results):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    recs = {item["code"]: item for cat in s["recommendations"].values() for item in cat}
    assert [(g["rule_id"], g["n"]) for g in recs["funding"]["grounds"]] == [("P-POLICY-FUNDING", 2)]
    assert [(g["rule_id"], g["n"]) for g in recs["guide"]["grounds"]] == [("P-NO-TARGETS", 1)]
    # not reported is not "not done": no zone reported on international exchange, so none is counted
    assert "exchange" not in recs
    results[0]["judgements"] = {"mechanism:international": "negative"}
    results[1]["judgements"] = {"mechanism:international": "negative"}
    results[2]["judgements"] = {"mechanism:international": "positive"}
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    recs = {item["code"]: item for cat in s["recommendations"].values() for item in cat}
    (g,) = recs["exchange"]["grounds"]
    assert (g["n"], g["with"], g["unreported"], g["zone_ids"]) == (2, 1, 1, ["a", "b"])
    assert s["judgements"]["mechanism:international"] == {"negative": ["a", "b"], "positive": ["c"]}
    assert "incentive" not in recs  # no zone has that problem


def test_comparison_by_type_and_province_with_ranks(results):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    town = next(t for t in s["type_table"] if t["zone_type"] == "town")
    assert (town["zones"], town["score"]["mean"], town["score"]["min"], town["score"]["max"]) == (2, 65, 50, 80)
    assert [p["province_code"] for p in s["provinces"]] == ["330000", "440000"]
    # d's grade is provisional: listed after the ranked zones, not ranked, and out of their places (issue 29)
    assert [(z["zone_id"], z["rank_overall"]) for z in s["zones"]] == [("a", 1), ("c", 2), ("b", 3), ("d", None)]
    assert s["zones"][0]["rank_overall_of"] == 3 and s["zones"][0]["rank_within_type_of"] == 2
    assert list(zones_table(s)["zone_id"]) == ["a", "c", "b", "d"]


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html.split("<body", 1)[1]))


def test_sentences_synthesise_and_address_the_readers_level(results, tmp_path):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    text = _text(render_summary_html(s, tmp_path))
    assert "一个示范区自己的句子" not in text  # no zone's sentence is quoted
    assert "本区" not in text
    assert "2个示范区（占50%）如期实现了各自的阶段性目标：a区（2018年净排放较基准年降幅）" in text
    assert "2个示范区（占50%）财政补贴或绿色金融等资金政策支持缺失或不完整" in text
    assert "建议国家层面尽快出台《推动开展近零碳排放区示范工程建设指南》" in text
    gd = province_summary(results[:3], [_meta(r) for r in results[:3]], "440000", 2019, DATASET, CONFIG)
    text = _text(render_summary_html(gd, tmp_path))
    assert "本区" not in text and "建议广东省发展改革委" in text


def test_a_single_zone_province_gives_no_range(results, tmp_path):
    zj = [results[3]]
    s = province_summary(zj, [_meta(r) for r in zj], "330000", 2019, DATASET, CONFIG)
    text = _text(render_summary_html(s, tmp_path))
    assert "该示范区综合得分70.0分" in text
    assert "70.0至70.0" not in text and "最低" not in text


def test_nothing_built_still_summarises(results, tmp_path):
    metas = [_meta(r, "failed", "x") for r in results]
    s = national_summary([], metas, 2019, DATASET, CONFIG)
    assert s["zones_built"] == 0 and len(s["missing"]) == 4 and s["score_stats"] is None
    assert zones_table(s).empty
    assert "评估未完成" in _text(render_summary_html(s, tmp_path))


def test_zhejiang_counts_match_the_source_report(sample_dir):
    # 6 towns, 4 communities, 1 park and 4 transport pilots (source report, 浙江省); plus 宁波梅山
    ds = load_dataset(sample_dir)
    zones = ds.tables["zones"]
    metas = [{"zone_type": t} for t in zones[zones["province"] == "330000"]["zone_type"]]
    counts = {row["zone_type"]: row["count"] for row in by_type(metas)}
    assert counts == {"town": 6, "community": 4, "park": 1, "transport": 4, "new_district": 1}


def test_the_build_hands_zhejiangs_zones_to_its_province_summary(sample_dir, tmp_path):
    from nzc_report.batch import Build, BuildOptions

    b = Build(BuildOptions(data=sample_dir, out=tmp_path / "out"))
    zj = [z for z in b.ds.zone_ids if b.zone_meta(z)["province_code"] == "330000"]
    spec, _ = b.summary_spec("province", "provinces/330000", zj)
    counts = {row["zone_type"]: row["count"] for row in by_type(spec.parameters["zones_meta"])}
    assert counts == {"town": 6, "community": 4, "park": 1, "transport": 4, "new_district": 1}
    assert not (tmp_path / "out").exists()  # planning writes nothing


def test_the_years_movers_where_zones_carry_last_years_comparison(results, tmp_path):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    assert s["movers"] is None and "年度变化" not in _text(render_summary_html(s, tmp_path))
    results[0]["changes"] = {"score_delta": 4.5, "problems_resolved": ["P-NO-PLAN", "P-POLICY-FUNDING"]}
    results[1]["changes"] = {"score_delta": -2.0, "problems_resolved": []}
    results[2]["changes"] = {"score_delta": 1.0, "problems_resolved": []}
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET, CONFIG)
    m = s["movers"]
    assert (m["compared"], m["improved"], m["declined"], m["resolved_zones"], m["resolved_problems"]) == (3, 2, 1, 1, 2)
    assert [z["zone_id"] for z in m["improved_top"]] == ["a", "c"]
    text = _text(render_summary_html(s, tmp_path))
    assert "综合得分提高的2个（a区（+4.5分）、c区（+1.0分）），下降的1个（b区（-2.0分））" in text
    assert "1个示范区整改了上年度的2个问题" in text
