"""The official form of the summaries (issues 28 and 29), on hand-made results (no build):
总体评价 first, with the net reduction under both of its names; a 直辖市 worded 全市/市级; one
zone read as one zone; the workspace's 文号 and sign-off on the cover; a provisional grade not ranked."""
import re

from nzc_report.render.summary import render_summary_html
from nzc_report.resources import PARAMS_DIR
from nzc_report.summary import load_config, national_summary, province_summary
from pdftools import texts_over_their_cells

CONFIG = load_config(PARAMS_DIR / "summary.yaml")
DATASET = {"label": "测试数据", "is_sample": True, "report_date": "2020-03-31"}


def _problem(rule, category):
    return {"rule_id": rule, "category": category, "text": "句子", "evidence": {"figures": {}}}


def _zone(zone_id, province, score, base, net, provisional=False, delta=None):
    r = {"zone_id": zone_id, "name": f"{zone_id}区", "province_code": province, "zone_type": "town",
         "data_year": 2019, "score": score, "grade": "合格" if score >= 60 else "不合格",
         "grade_provisional": provisional, "coverage_pct": 50.0 if provisional else 90.0,
         "emissions": {"baseline_net_tco2e": base, "net_tco2e": net, "net_reduction_pct": (1 - net / base) * 100},
         "targets": [], "highlights": [], "recommendations": [],
         "problems": [_problem("P-POLICY-COORDINATION", "policy"), _problem("P-POLICY-FUNDING", "policy")]}
    if delta is not None:
        r["changes"] = {"score_delta": delta, "problems_resolved": [],
                        "score_change_by_cause": {"newly_reported": delta - 1.0, "values": 1.0, "framework": 0.0}}
    return r


def _meta(r):
    return {k: r[k] for k in ("zone_id", "name", "zone_type", "province_code")} | {"status": "built", "reason": None}


def _text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _province(zones, code, tmp_path, dataset=DATASET):
    return _text(render_summary_html(province_summary(zones, [_meta(r) for r in zones], code, 2019, dataset, CONFIG),
                                     tmp_path))


def test_a_municipality_is_worded_as_a_city_and_a_province_as_a_province(tmp_path):
    beijing = _province([_zone("a", "110000", 70, 100, 60), _zone("b", "110000", 50, 100, 90)], "110000", tmp_path)
    assert "建立市级跨部门协调机制" in beijing and "统筹市级财政" in beijing
    assert "省级" not in beijing.replace("省级行政区", "") and "全省" not in beijing
    zhejiang = _province([_zone("a", "330000", 70, 100, 60), _zone("b", "330000", 50, 100, 90)], "330000", tmp_path)
    assert "建立省级跨部门协调机制" in zhejiang
    # the provenance line read "本省各示范区的数据" for Beijing
    cited = {**DATASET, "zones_data_sha256": "0" * 64}
    beijing = _province([_zone("a", "110000", 70, 100, 60), _zone("b", "110000", 50, 100, 90)], "110000", tmp_path,
                        cited)
    zhejiang = _province([_zone("a", "330000", 70, 100, 60), _zone("b", "330000", 50, 100, 90)], "330000", tmp_path,
                         cited)
    assert "本市各示范区的数据" in beijing and "本省" not in beijing and "本省各示范区的数据" in zhejiang


def test_the_summary_opens_with_its_overall_assessment_naming_both_reductions(tmp_path):
    zones = [_zone("a", "440000", 70, 100, 60, delta=5.0), _zone("b", "330000", 50, 300, 270, delta=-2.0)]
    text = _text(render_summary_html(national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG),
                                     tmp_path))
    body = text[text.index("总体评价", text.index("目录") + 4):]  # the section, after its line in the contents
    assert body.index("总体评价") < body.index("重要意义") < body.index("存在的问题")
    # mean of the zones' reductions (40 % and 10 %) and the zones summed (1 - 330/400)
    assert "各示范区降幅的算术平均为下降25.0%" in body and "合计下降17.5%" in body
    assert "跨部门协调机制不健全" in body  # the problems found in the most zones
    # the year's change split by cause: 3.0 points in all, 1.0 of them newly reported data (4.0 − 3.0)
    assert "得分变化合计+3.0分，其中新报告的数据+1.0分、数值变化+2.0分" in body


def test_one_zone_reads_as_one_zone(tmp_path):
    text = _province([_zone("a", "110000", 70, 100, 60, delta=4.0)], "110000", tmp_path)
    assert "该示范区综合得分70.0分，评价等级为合格。" in text
    assert not re.search(r"(?<![\d.])1个示范区", text), re.findall(r".{8}1个示范区.{8}", text)
    assert "共性亮点" not in text and "每条列出涉及的示范区数量" not in text


def test_one_zone_is_not_the_zones_above_and_no_part_of_zero_is_stated(tmp_path):
    # Beijing's one-zone summary: "建议北京市发展改革委指导上述示范区…", "指标体系变化+0.0分"
    zone = _zone("a", "110000", 70, 100, 60, delta=4.0)
    zone["problems"].append(_problem("P-NO-END-TARGET", "concept"))
    text = _province([zone], "110000", tmp_path)
    assert "指导该示范区补齐量化的近零碳终期目标" in text and "上述示范区" not in text  # only what it lacks (sum7)
    assert "指标体系变化" not in text and "其中新报告的数据+3.0分、数值变化+1.0分，新报告数据" in text


def test_no_heading_of_zones_to_watch_stands_over_none(tmp_path):
    # Beijing's one-zone summary: "（四）需重点关注的示范区" over "该示范区本年度不需重点关注" (review8)
    text = _province([_zone("a", "110000", 70, 100, 60)], "110000", tmp_path)
    assert "需重点关注的示范区" not in text and "该示范区本年度不需重点关注" in text
    # said under the part's lead, not as if under its last category (配套政策)
    assert text.index("该示范区本年度不需重点关注") < text.rindex("配套政策尚不完善")
    watched = _province([_zone("a", "330000", 70, 100, 60), _zone("b", "330000", 50, 100, 90, provisional=True)],
                        "330000", tmp_path)
    assert watched.count("需重点关注的示范区") == 2  # the contents and the heading


def test_one_zone_states_its_own_mechanism_status_not_the_hedge_of_a_count(tmp_path):
    # Beijing: "该示范区跨部门协调机制尚未建立或仅部分建立" where the zone's report says 部分建立 (review8)
    zone = _zone("a", "110000", 70, 100, 60)
    zone["problems"][0]["text"] = "跨部门协调机制部分建立（2024年），相关部门尚未形成政策合力。"
    text = _province([zone], "110000", tmp_path)
    assert "该示范区跨部门协调机制部分建立（2024年），相关部门尚未形成政策合力。" in text
    assert "尚未建立或仅部分建立" not in text
    assert "该示范区资金政策支持不足：建议" in text and "缺失或不完整" not in text  # its recommendation's grounds too
    two = _province([zone, _zone("b", "110000", 50, 100, 90)], "110000", tmp_path)
    assert "2个示范区跨部门协调机制尚未建立或仅部分建立" in two  # a count of zones keeps the group's sentence
    zone["problems"][0]["text"] = "Cross-department coordination partly in place (2024)."
    en = render_summary_html(province_summary([zone], [_meta(zone)], "110000", 2019, DATASET, CONFIG),
                             tmp_path, lang="en")
    assert "In the zone, cross-department coordination partly in place (2024)." in re.sub(r"\s+", " ", en)
    # and its running header is not of "zones" (review8: "Near-zero carbon emission zones in Beijing")
    assert "The near-zero carbon emission zone in Beijing · summary 2019" in en and "zones in Beijing" not in en


def test_the_workspace_sign_off_reaches_the_summary_cover(tmp_path):
    cover = {"document_number": "京评〔2025〕3号", "evaluating_body": "某市评估中心",
             "sign_off": {"prepared_by": {"name": "张三", "date": "2025-03-20"}}}
    text = _province([_zone("a", "110000", 70, 100, 60)], "110000", tmp_path, {**DATASET, "cover": cover})
    assert "京评〔2025〕3号" in text and "某市评估中心" in text and "张三" in text and "2025-03-20" in text


def test_a_provisional_grade_is_not_ranked_among_final_ones(tmp_path):
    zones = [_zone("a", "330000", 70, 100, 60), _zone("b", "330000", 50, 100, 90, provisional=True)]
    text = _province(zones, "330000", tmp_path)
    assert "暂定，不排名" in text and "2/2" not in text


def test_the_portal_names_the_pooled_and_the_mean_reduction_side_by_side(tmp_path):
    from portaldata import make_build
    from portalhtml import text_of
    from nzc_report.portal import build_portal

    files = build_portal(make_build(tmp_path))
    text = text_of(dict(files)["index.html"].decode("utf-8") if isinstance(dict(files)["index.html"], bytes)
                   else dict(files)["index.html"])
    # the zones' emissions summed, and the mean of their reductions (what the summary PDFs state)
    assert "净排放合计较基准年降幅（各示范区排放加总后计算）" in text
    assert "各示范区净排放降幅的算术平均（汇总报告所用）23.0%" in text.replace(" ", "")
    assert "涉及省级行政区" in text and "涉及省份" not in text


def test_a_zone_significance_says_what_is_specific_to_its_type():
    from nzc_report.render.significance import significance_texts, zone_significance

    s = zone_significance({"zone_type": "community"}, "zh", {"name": "甲村"})
    texts = significance_texts()
    for point, p in zip(s.points, texts["points"]):
        assert p["general"]["zh"] not in point.text  # the sentence every report shares is left out
        assert point.text == p["zone_types"]["community"]["zh"]


def test_the_build_hands_the_workspace_sign_off_to_the_summaries(sample_dir, tmp_path):
    from nzc_report.batch import Build, BuildOptions

    settings = {"document_number": "浙评〔2025〕12号", "sign_off": {"approved_by": {"name": "王五"}},
                "evaluating_body": "某评估中心"}
    b = Build(BuildOptions(data=sample_dir, out=tmp_path / "out", zones=["zj-meishan"], zone_defaults=settings))
    spec, key = b.summary_spec("province", "provinces/330000", ["zj-meishan"])
    assert spec.parameters["dataset"]["cover"] == settings
    plain = Build(BuildOptions(data=sample_dir, out=tmp_path / "out", zones=["zj-meishan"]))
    assert plain.summary_spec("province", "provinces/330000", ["zj-meishan"])[1] != key  # a new sign-off rebuilds


def test_a_share_rounds_a_half_up_as_a_reader_does():
    # the Zhejiang summary read "2个示范区（占12%）" of 16 beside "6个示范区（占38%）": half-to-even
    from nzc_report.render.summary_view import SummaryView
    assert [SummaryView.share(n / 16) for n in (2, 6, 3)] == ["13%", "38%", "19%"]
    assert SummaryView.share(None) == "—" and SummaryView.share(1.0) == "100%"


def test_the_english_overview_reads_regions_and_spaces_its_sentences(tmp_path):
    # the English national summary read "in 7 provinces" (Beijing is not one) and "31 were assessed.By framework:"
    zones = [_zone("a", "110000", 70, 100, 60), _zone("b", "330000", 50, 100, 90)]
    zones[0]["framework"] = {"id": "x", "title": "甲", "title_en": "Framework X"}
    zones[1]["framework"] = {"id": "y", "title": "乙", "title_en": "Framework Y"}
    html = render_summary_html(national_summary(zones, [_meta(r) for r in zones], 2019, DATASET, CONFIG),
                               tmp_path, lang="en")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2 provincial-level regions" in text and "2 provinces" not in text
    assert re.search(r"assessed\. By framework: Framework X 1", text), re.findall(r".{30}By framework.{10}", text)


def test_the_english_annex_keeps_every_grade_and_rank_inside_its_cell(tmp_path):
    # the English Zhejiang annex: "provisional, not ranked" ran over the next column (a number cell does not
    # wrap) and "Fail (provisional)" crossed the grade column's border
    from weasyprint import HTML

    from nzc_report.resources import TEMPLATES_DIR
    # and every zone type's label whole in the type column: review8 saw "community/" touch the border
    types = ["town", "county", "new_district", "park", "community", "building", "organisation", "transport",
             "mining", "agriculture", "ecological", "industry"]
    zones = [_zone("a", "330000", 70, 100, 60), _zone("b", "330000", 30, 100, 90, provisional=True)]
    zones += [_zone(f"t{i}", "330000", 40 + i, 100, 80) for i in range(len(types))]
    for z, t in zip(zones, types + types[:2]):
        z["name_en"] = f"Zone {z['zone_id']} with a long English name, Some County"
        z["zone_type"] = t
    html = render_summary_html(province_summary(zones, [_meta(r) for r in zones], "330000", 2019, DATASET, CONFIG),
                               tmp_path, lang="en", link_css=False)


    doc = HTML(string=html, base_url=str(TEMPLATES_DIR)).render(
        stylesheets=[str(TEMPLATES_DIR / "report.css"), str(TEMPLATES_DIR / "summary.css")])
    crossing = texts_over_their_cells(doc, content_box=True)  # inside the padding too (review8)
    assert crossing == [], crossing
    assert "not ranked (grade provisional)" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
