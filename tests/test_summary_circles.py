"""What a reviewer circled in the summaries read as PNGs (issues 28 and 29, sum6), each on
hand-made results (no build): ranks that differ between a provincial and the national summary,
a target told beside another of its metric left out of the counts, "四个方面" over three parts,
advice for what no zone lacks ("补齐尚无措施领域", "引入第三方核查"), a cover reading "该示范区",
a reference-only note said twice, and the addressee a commission cannot be."""
import re

from nzc_report.render.summary import render_summary_html
from nzc_report.resources import PARAMS_DIR
from nzc_report.summary import load_config, national_summary, province_summary
from nzc_report.summary.ranking import final_ranks, rank_zones

CONFIG = load_config(PARAMS_DIR / "summary.yaml")
DATASET = {"label": "测试数据", "is_sample": True, "report_date": "2020-03-31"}


def _problem(rule, category, **figures):
    return {"rule_id": rule, "category": category, "text": "句子", "evidence": {"figures": figures}}


def _target(year, status, ratio=None):
    return {"metric": "net_reduction_pct", "metric_label": "净排放较基准年降幅", "target_year": year,
            "status": status, "progress_ratio": ratio}


def _zone(zone_id, province, score=50, problems=(), framework=None, outcome=None):
    r = {"zone_id": zone_id, "name": f"{zone_id}区", "province_code": province, "zone_type": "town",
         "data_year": 2019, "score": score, "grade": "合格" if score >= 60 else "不合格",
         "grade_provisional": False, "coverage_pct": 90.0,
         "emissions": {"baseline_net_tco2e": 100, "net_tco2e": 80, "net_reduction_pct": 20.0},
         "targets": [], "highlights": [], "recommendations": [], "problems": list(problems)}
    if framework:
        r["framework"] = framework
    if outcome:
        r["outcome"] = outcome
    return r


def _meta(r):
    return {k: r[k] for k in ("zone_id", "name", "zone_type", "province_code")} | {"status": "built", "reason": None}


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _province(zones, code, tmp_path):
    return _text(render_summary_html(province_summary(zones, [_meta(r) for r in zones], code, 2019, DATASET, CONFIG),
                                     tmp_path))


def test_a_provincial_summary_ranks_among_every_zone_of_the_build():
    # the sample: Beijing's zone read "3/29" in its summary and "3/27" in the national one, because
    # the two provisional zones are Zhejiang's and final_ranks saw only Beijing's slice
    zones = [{"zone_id": "bj", "zone_type": "building", "score": 60.0},
             {"zone_id": "zj1", "zone_type": "town", "score": 90.0, "provisional": True},
             {"zone_id": "zj2", "zone_type": "building", "score": 80.0, "provisional": True},
             {"zone_id": "zj3", "zone_type": "town", "score": 40.0}]
    from nzc_report.summary.ranking import ranks_in_build

    ranking = rank_zones(zones)["zones"]
    bj = ranks_in_build(ranking, ["bj"])
    assert list(bj) == ["bj"]
    assert (bj["bj"]["overall"], bj["bj"]["overall_of"]) == (1, 2)  # zj1, zj2 are not ranked among final grades
    assert (bj["bj"]["within_type"], bj["bj"]["within_type_of"]) == (1, 1)
    # what the summary then makes of them (final_ranks again, in summary._common) is unchanged
    assert final_ranks(bj) == bj
    s = province_summary([_zone("bj", "110000", 60)], [_meta(_zone("bj", "110000"))], "110000", 2019, DATASET,
                         CONFIG, bj)
    assert (s["zones"][0]["rank_overall"], s["zones"][0]["rank_overall_of"]) == (1, 2)


def test_the_build_hands_a_summary_its_zones_places_among_the_whole_build(sample_dir, tmp_path):
    from nzc_report.batch import Build, BuildOptions

    b = Build(BuildOptions(data=sample_dir, out=tmp_path / "out"))
    b.ranking = rank_zones([{"zone_id": "bj-subcenter-admin", "zone_type": "building", "score": 60.0},
                            {"zone_id": "zj-qiaonan", "zone_type": "community", "score": 70.0, "provisional": True},
                            {"zone_id": "zj-huaxi", "zone_type": "park", "score": 80.0}])
    spec, _ = b.summary_spec("province", "provinces/110000", ["bj-subcenter-admin"])
    rank = spec.parameters["ranking"]["bj-subcenter-admin"]
    assert (rank["overall"], rank["overall_of"]) == (2, 2)  # behind huaxi; qiaonan (暂定) not counted
    assert not (tmp_path / "out").exists()


def test_a_target_told_beside_another_of_its_metric_is_counted_with_it(tmp_path):
    # 嵊泗: its one problem on net reduction is the missed 2020 target, telling the 2025 target off track
    # beside it (evidence "also"); the summary listed 2 zones off track in 2025, its focus table 3
    missed = _problem("P-TARGET-MISSED", "progress", metric="net_reduction_pct", target_year=2020,
                      status="missed")
    missed["evidence"]["also"] = [{"rule_id": "P-TARGET-OFF-TRACK", "figures": {
        "metric": "net_reduction_pct", "target_year": 2025, "status": "off_track", "progress_ratio": 0.46}}]
    off = _problem("P-TARGET-OFF-TRACK", "progress", metric="net_reduction_pct", target_year=2025,
                   status="off_track", progress_ratio=0.5)
    zones = [_zone("a", "330000", problems=[missed]), _zone("b", "330000", problems=[off]),
             _zone("c", "330000", problems=[dict(off)])]
    s = province_summary(zones, [_meta(r) for r in zones], "330000", 2019, DATASET, CONFIG)
    group = next(g for g in s["problems"] if g["rule_id"] == "P-TARGET-OFF-TRACK")
    assert group["zone_ids"] == ["a", "b", "c"] and group["range"]["min"] == 0.46
    grounds = {g["code"]: g["n"] for item in s["recommendations"]["pilot"] for g in item["grounds"]}
    assert grounds["P-TARGET-OFF-TRACK"] == 3 and grounds["P-TARGET-MISSED"] == 1
    text = _text(render_summary_html(s, tmp_path))
    assert "全部3个示范区的2025年净排放较基准年降幅目标进度滞后，进度比0.46至0.50" in text
    assert "3个示范区有目标进度滞后" in text


def test_the_problems_lead_names_the_parts_that_follow(tmp_path):
    # Beijing's one zone: "按概念认识、评价标准与数据、配套政策、建设进展四个方面归纳如下" over three parts
    one = _province([_zone("a", "110000", problems=[_problem("P-POLICY-COORDINATION", "policy"),
                                                      _problem("P-NO-END-TARGET", "concept")])], "110000", tmp_path)
    assert "存在的问题按概念认识、配套政策两个方面归纳如下。" in one and "四个方面" not in one
    assert "本方面问题涉及该示范区" not in one  # says nothing of one zone
    zones = [_zone(z, "330000", problems=[_problem(rule, cat)]) for z, rule, cat in (
        ("a", "P-NO-END-TARGET", "concept"), ("b", "P-EVAL-MISSING-DATA", "evaluation"),
        ("c", "P-POLICY-FUNDING", "policy"), ("d", "P-EMISSIONS-RISING", "progress"))]
    assert "按概念认识、评价标准与数据、配套政策、建设进展四个方面归纳如下" in _province(zones, "330000", tmp_path)


def test_advice_asks_only_for_what_the_zones_lack(tmp_path):
    # Guangdong: "补齐尚无措施领域的建设内容" where no zone lacked measures in a domain; Zhejiang:
    # "覆盖全部建设领域的统计核算制度，并引入第三方核查" where the data names neither coverage nor a verifier
    zones = [_zone("a", "440000", problems=[_problem("P-MEASURES-SUSPENDED", "progress"),
                                            _problem("P-EVAL-ACCOUNTING", "evaluation",
                                                     items=[{"mechanism": "accounting", "status": "partial"}])]),
             _zone("b", "440000", problems=[_problem("P-MEASURES-STALLED", "progress")])]
    text = _province(zones, "440000", tmp_path)
    assert "建议广东省发展改革委指导上述示范区推动逾期或进度停滞的项目按计划实施，调整或恢复暂停的项目。" in text
    assert "补齐尚无措施领域" not in text
    assert "指导上述示范区健全碳排放统计核算制度。" in text
    assert "第三方" not in text and "核查机制" not in text and "覆盖全部建设领域" not in text
    zones[1]["problems"].append(_problem("P-EVAL-ACCOUNTING", "evaluation",
                                         items=[{"mechanism": "verification", "status": "no"}]))
    assert "健全碳排放统计核算制度和碳排放核查机制" in _province(zones, "440000", tmp_path)


def test_advice_a_commission_cannot_give_is_addressed_to_the_government(tmp_path):
    # "向浙江省发展改革委提出以下建议" above "建议浙江省建立省级跨部门协调机制…统筹省级财政"
    text = _province([_zone("a", "330000", problems=[_problem("P-POLICY-COORDINATION", "policy"),
                                                     _problem("P-POLICY-FUNDING", "policy")]),
                      _zone("b", "330000", problems=[_problem("P-NO-END-TARGET", "concept")])], "330000", tmp_path)
    assert "分别向浙江省人民政府和浙江省发展改革委提出" in text
    assert "建议浙江省人民政府建立省级跨部门协调机制" in text and "建议浙江省人民政府统筹省级财政" in text
    only_commission = _province([_zone("a", "330000", problems=[_problem("P-NO-END-TARGET", "concept")]),
                                 _zone("b", "330000", problems=[])], "330000", tmp_path)
    assert "向浙江省发展改革委提出以下建议" in only_commission and "人民政府" not in only_commission


def test_a_one_zone_summary_names_its_zone_on_the_cover_and_first_line(tmp_path):
    text = _province([_zone("a", "110000", 70, problems=[_problem("P-POLICY-FUNDING", "policy")])], "110000", tmp_path)
    assert "汇总范围a区" in text and "汇总范围该示范区" not in text
    overall = text[text.index("总体评价", text.index("目录") + 4):]
    assert overall.startswith("总体评价a区综合得分70.0分，评价等级为合格。")


def test_a_reference_only_framework_is_said_so_once_in_the_overview(tmp_path):
    # national 总体概况: "…不参与排名）（…）。按“国家零碳园区建设评价”评估的2个示范区，该框架所依据的文件…不参与排名。"
    main = {"id": "near-zero-zone", "title": "统一评估指标体系"}
    park = {"id": "zero-carbon-park", "title": "零碳园区评价"}
    outcome = {"label": "达标", "reason": None, "status": "rated", "decided_by": "score", "reference_only": True}
    zones = [_zone("a", "330000", 60, framework=main), _zone("b", "330000", 40, framework=main),
             _zone("c", "610000", 90, framework=park, outcome=outcome),
             _zone("d", "610000", 80, framework=park, outcome=outcome)]
    text = _text(render_summary_html(national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG),
                                     tmp_path))
    overview = text[text.rindex("（一）总体概况"):text.rindex("（二）主要进展")]  # the body's, not the contents'
    assert overview.count("仅供对照参考") == 1, overview


def test_the_focus_table_marks_a_score_given_for_reference(tmp_path):
    # the national 重点关注 gave 陕西省某零碳园区乙 "100.0" beside the principal framework's scores, its
    # framework's document not confirmed in force on the report's date
    main = {"id": "near-zero-zone", "title": "统一评估指标体系"}
    park = {"id": "zero-carbon-park", "title": "零碳园区评价"}
    outcome = {"label": "未达标", "reason": None, "status": "gate_failed", "decided_by": "gate",
               "reference_only": True}
    gated = {**_zone("p", "610000", 100, framework=park, outcome=outcome),
             "gates": [{"id": "core", "label": "单位能耗碳排放", "value": 0.25, "threshold": 0.2, "passed": False}]}
    zones = [_zone("a", "330000", 60, framework=main), _zone("b", "330000", 40, framework=main), gated]
    s = national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG)
    assert [z.get("reference_only") for z in s["focus"]["zones"]] == [True]
    text = _text(render_summary_html(s, tmp_path))
    assert "p区陕西省100.0仅供对照单位能耗碳排放为0.25" in text


def test_zones_whose_score_did_not_change_are_counted(tmp_path):
    # Zhejiang: "16个示范区可比，综合得分提高的14个、下降的1个" — where is the sixteenth? (zj-anxi, no new data)
    zones = [_zone(z, "330000") for z in "abc"]
    for z, delta in zip(zones, (2.0, -1.0, 0.0)):
        z["changes"] = {"score_delta": delta, "problems_resolved": [],
                        "score_change_by_cause": {"newly_reported": 0.0, "values": delta, "framework": 0.0}}
    text = _province(zones, "330000", tmp_path)
    assert "3个示范区可比，综合得分提高的1个、下降的1个、持平的1个" in text  # 总体评价
    assert "综合得分提高的1个（a区（+2.0分）），下降的1个（b区（-1.0分）），持平的1个" in text  # 年度变化


# -- sum7: what a reviewer circled in the Chinese build of the whole sample, read as PNGs -------------

def _changed(z, delta, new=0.0):
    z["changes"] = {"score_delta": delta, "problems_resolved": [],
                    "score_change_by_cause": {"newly_reported": new, "values": delta - new, "framework": 0.0}}
    return z


def test_a_one_zone_summary_reads_its_zone_as_one_zone(tmp_path):
    # Beijing: "共1个，其中建筑1个"; a table of types with a "mean" of one zone; "该示范区…（北京城市副中心
    # 行政办公区）" after every item; "该示范区综合得分提高（北京城市副中心行政办公区（+10.2分））"
    z = _changed(_zone("a", "110000", 70, problems=[_problem("P-POLICY-FUNDING", "policy")]), 10.2, 6.4)
    z["zone_type"] = "building"
    text = _province([z], "110000", tmp_path)
    assert "北京市纳入评估的近零碳排放区示范工程为a区（建筑类），已完成评估。" in text
    assert "共1个" not in text and "表1分类型评估结果" not in text and "平均得分" not in text
    assert "该示范区的得分、等级、排名、降幅和目标进展见附表" in text
    assert "（a区）" not in text  # an item about 该示范区 does not name it again
    assert "与上年相比，该示范区综合得分提高10.2分，其中新报告的数据+6.4分，不代表建设进展。" in text
    assert "（+10.2分）" not in text


def test_a_reduction_of_an_earlier_year_says_its_year(tmp_path):
    # zj-anxi has no 2024 emissions: its 2023 reduction stood in the 2024 annex and means as 2024's
    old = _zone("old", "330000", 40)
    old["data_year"] = 2018
    text = _province([_zone("a", "330000", 60), old], "330000", tmp_path)
    # the year beside the reduction it dates, not after the name (review8: "安溪村（2023年）的降幅")
    assert "其中old区的降幅为2018年的数据（评估年没有排放数据）" in text
    assert "下降20.0%（2018年）" in text  # under its annex figure
    assert text.count("（2018年）") == 1 and text.count("2018年") == 2  # the zone of the assessment year is not marked


def test_a_group_of_one_zone_is_not_read_as_a_mean(tmp_path):
    # national: "北京市示范区平均得分最高（1个，平均60.7分）"; Guangdong, one zone of each type:
    # "建筑类示范区平均得分最高（1个，平均72.3分），园区类最低（1个，平均46.2分）"
    zones = [_zone("a", "330000", 90), _zone("b", "330000", 40), _zone("c", "330000", 50)]
    zones[0]["zone_type"] = "park"
    text = _province(zones, "330000", tmp_path)
    assert "分类型看，园区类示范区得分最高（仅1个示范区，90.0分），城镇类最低（2个，平均45.0分）。" in text
    for z, kind in zip(zones, ("park", "building", "county")):
        z["zone_type"] = kind
    assert "分类型看" not in _province(zones, "330000", tmp_path)  # every type one zone: the top zones say it
    national = [_zone("bj", "110000", 80), *zones]
    s = national_summary(national, [_meta(r) for r in national], 2019, DATASET, CONFIG)
    text = _text(render_summary_html(s, tmp_path))
    assert "分省份看，北京市示范区得分最高（仅1个示范区，80.0分），浙江省最低（3个，平均60.0分）。" in text
    assert "北京市：示范区1个，为bj区（城镇类）" in text and "北京市：共有示范区1个" not in text


def test_a_provincial_summary_files_supervision_under_its_own_heading(tmp_path):
    # Zhejiang: "建议浙江省发展改革委对上述示范区逐一督导…确保阶段性目标按期实现" under the national
    # source's heading 鼓励先行先试; the national summary keeps the source's headings
    zones = [_zone("a", "330000", problems=[_problem("P-TARGET-OFF-TRACK", "progress", metric="net_reduction_pct",
                                                     target_year=2025, status="off_track", progress_ratio=0.5)]),
             _zone("b", "330000")]
    text = _province(zones, "330000", tmp_path)
    assert "（一）督促整改和推广经验" in text and "逐一督导" in text and "鼓励先行先试" not in text
    s = national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG)
    assert "鼓励先行先试" in _text(render_summary_html(s, tmp_path))


def test_a_one_zone_annex_and_provenance_speak_of_the_zone(tmp_path):
    zones = [_zone("a", "110000", 70)]
    dataset = DATASET | {"zones_data_sha256": "ab" * 32}
    text = _text(render_summary_html(province_summary(zones, [_meta(r) for r in zones], "110000", 2019, dataset,
                                                      CONFIG), tmp_path))
    assert "附表该示范区评估结果" in text and "各示范区评估结果（" not in text
    assert "中该示范区的数据" in text and "本市各示范区" not in text


def test_the_summary_tables_stay_inside_the_margins_and_break_labels_where_they_read(tmp_path):
    # the national annex ran 22 mm past the right margin (widths summing to 100 % plus each cell's
    # padding), Zhejiang's tables 10 mm; "达标（引导性指标部分达到）" broke as 达标（引/导性指标/部分达/到）
    import html
    import json
    import subprocess

    from nzc_report.render.summary import render_summary_pdf

    park = {"id": "zero-carbon-park", "title": "零碳园区评价"}
    outcome = {"label": "达标（引导性指标部分达到）", "reason": None, "status": "rated", "decided_by": "score",
               "reference_only": True}
    zones = [_zone(z, prov, 60 - i) for i, (z, prov) in enumerate((("长兴县画溪新能源近零碳排放园区", "330000"),
                                                                     ("b", "440000"), ("c", "610000")))]
    zones.append(_zone("p", "610000", 90, framework=park, outcome=outcome) | {"grade": outcome["label"]})
    zones[0]["zone_type"] = "eco"
    zones[0]["targets"] = [_target(2025, s) for s in ("achieved", "on_track", "on_track", "at_risk")]
    s = national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG)
    (tmp_path / "results.json").write_text(json.dumps(s, ensure_ascii=False), encoding="utf-8")
    render_summary_pdf(tmp_path)
    out = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "summary.pdf"), "-"], capture_output=True,
                         text=True, check=True).stdout
    words = [(float(m[0]), float(m[1]), html.unescape(m[2])) for m in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)]
    page_width = float(re.search(r'<page width="([\d.]+)"', out)[1])
    right = page_width - 26 / 25.4 * 72  # report.css: margin 30mm 26mm 25mm 28mm
    assert max(x1 for _, x1, _ in words) <= right + 0.5, [w for w in words if w[1] > right + 0.5]
    said = [w for _, _, w in words]
    assert "（引导性指标" in said and "部分达到）" in said  # the qualifier under its grade, broken between words
    pieces = [w for w in said if re.fullmatch(r"(已实现|进度正常|存在风险)\d项、?", w)]
    assert pieces and all(w.endswith(("项", "项、")) for w in pieces)  # "进度正常2项" never split


def test_a_one_zone_summary_does_not_compare_its_zone_with_others_in_its_headings(tmp_path):
    # Beijing: "（一）概念认识尚未统一" (not yet shared among zones) over one zone
    text = _province([_zone("a", "110000", problems=[_problem("P-NO-END-TARGET", "concept"),
                                                    _problem("P-EMISSIONS-RISING", "progress")])], "110000", tmp_path)
    assert "概念认识尚不到位" in text and "建设进展存在不足" in text
    assert "尚未统一" not in text and "不平衡" not in text


def test_a_group_table_is_kept_whole_with_its_caption(tmp_path):
    # Guangdong: "表1 分类型评估结果" alone at the foot of page 5, its table on page 6 (the table
    # was kept whole, its caption not with it)
    zones = [_zone("a", "440000"), _zone("b", "440000")]
    page = render_summary_html(province_summary(zones, [_meta(r) for r in zones], "440000", 2019, DATASET, CONFIG),
                               tmp_path)
    assert re.search(r'<div class="keep">\s*<table class="groups">\s*<caption>', page)
    from nzc_report.resources import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    assert re.search(r"\.keep \{ break-inside: avoid; \}", css)


def test_target_advice_asks_only_for_the_targets_the_zones_lack(tmp_path):
    # Beijing has a staged target (2020, achieved) and no end target, yet was told to
    # "补齐近零碳终期目标和分阶段量化目标"
    end = _province([_zone("a", "330000", problems=[_problem("P-NO-END-TARGET", "concept")]), _zone("b", "330000")],
                    "330000", tmp_path)
    assert "建议浙江省发展改革委指导上述示范区补齐量化的近零碳终期目标。" in end and "分阶段" not in end
    both = _province([_zone("a", "330000", problems=[_problem("P-NO-END-TARGET", "concept")]),
                      _zone("b", "330000", problems=[_problem("P-NO-TARGETS", "concept")])], "330000", tmp_path)
    assert ("指导上述示范区明确近零碳排放的概念内涵和建设边界，设定量化的近零碳排放目标，补齐量化的近零碳终期目标。"
            in both)


def test_the_focus_table_lists_the_lowest_scores_first(tmp_path):
    # Zhejiang's 需重点关注的示范区 came in id order (慈溪 29.5, 江山 29.3, 黄岩 13.1, 梅山 54.5 …)
    off = _problem("P-TARGET-OFF-TRACK", "progress", metric="net_reduction_pct", target_year=2025,
                   status="off_track", progress_ratio=0.5)
    zones = [_zone(z, "330000", score) for z, score in (("a", 29.5), ("b", 13.1), ("c", 54.5), ("d", 70.0))]
    for z in zones[:3]:
        z["targets"] = [_target(2025, "off_track", 0.5)]
        z["problems"] = [dict(off)]
    s = province_summary(zones, [_meta(r) for r in zones], "330000", 2019, DATASET, CONFIG)
    assert [z["zone_id"] for z in s["focus"]["zones"]] == ["b", "a", "c"]
