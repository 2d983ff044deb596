"""What a reviewer who must sign circled in four more Chinese zone reports read page by page
(issues 28 and 29): zj-anxi (village), gd-wanshan (town), gd-zhuangyuangu (park) and
gd-sz-sino-us-center (building), and what the last stop left (closing note 6).

The sample (示例数据) is assessed in process (tests/recdata.py, tests/reportdata.py); the tiny
zone's HTML is laid out where a test is about layout; no build.
"""
import copy
import re

import pytest

from nzc_report.findings.annual import previous_block
from nzc_report.findings.authority import derive_authority
from nzc_report.render.zone_view import ZoneView
from pdftools import texts_over_their_cells
from recdata import sample_results
from reportdata import zone_results

RULE = {"levels": {"county": ["县", "区", "市", "旗"], "township": ["乡", "镇", "街道"]}, "not_places": ["社区", "小镇"],
        "from_name": {"community": {"levels": ["county", "township"], "otherwise": "level"},
                      "town": {"levels": ["county"], "otherwise": "city"}}}


@pytest.fixture(scope="module")
def zh():
    return sample_results("zh")


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha")


def _with_previous(r: dict, unreported: str) -> dict:
    """``r`` with a previous year's result in which ``unreported`` was not reported (scored 0)."""
    before = copy.deepcopy(r)
    before["year"] = before["data_year"] = int(r["year"]) - 1
    for ind in before["indicators"]:
        if ind["id"] == unreported:
            ind.update(value=None, year=None, reported=False, score=0.0)
    out = copy.deepcopy(r)
    out["previous"] = previous_block(before)
    return out


def test_previous_column_shows_what_the_previous_result_had(alpha):
    # 上期值 showed "—" for an item without an earlier data row although the previous year's result
    # scored it (as 0, not reported; or its value, the same row as this year's): a reviewer read it as missing
    reported = [i for i in alpha["indicators"] if i.get("reported") and i.get("applies", True)]
    gone, kept = reported[0], reported[1]
    view = ZoneView(_with_previous(alpha, gone["id"]), "zh", {})
    rows = {row["id"]: row for row in view.indicators}
    assert rows[gone["id"]]["previous_reported"] is False and rows[gone["id"]]["previous_value"] is None
    assert rows[kept["id"]]["previous_reported"] is True
    assert (rows[kept["id"]]["previous_value"], rows[kept["id"]]["previous_year"]) == (kept["value"], kept["year"])
    # no previous result: the earlier data row, as before, and the intro says which the column is
    plain = {row["id"]: row for row in ZoneView(alpha, "zh", {}).indicators}
    assert plain[kept["id"]]["previous_reported"] is None
    assert plain[kept["id"]]["previous_value"] == kept.get("previous_value")


def test_previous_column_reads_not_reported_in_the_appendix(alpha, tmp_path):
    from nzc_report.render import render_zone_html
    gone = next(i for i in alpha["indicators"] if i.get("reported") and i.get("applies", True))
    r = _with_previous(alpha, gone["id"])
    html = render_zone_html(r, tmp_path, "zh")
    row = re.search(r'<tr class="ind"><td>' + re.escape(gone["name_zh"]) + r".*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert cells[1] == f'<span class="nr">未报告</span><span class="yr">{r["previous"]["year"]}</span>', cells
    assert f"“上期值”为上一年度（{r['previous']['year']}年）评估结果中" in html
    assert "“上期值”为此前最近一年的数据" in render_zone_html(alpha, tmp_path, "zh")


def test_problems_and_recommendations_are_numbered_as_the_appendix_cites_them(tmp_path):
    # 附录（四） numbered problems 1…N across the report while 三 and 四 numbered them 1… per subsection
    # (zj-anxi: 问题2 of the appendix was item 1 of 三（三）)
    from nzc_report.render import render_zone_html
    r = zone_results("beta")  # six problems in three categories, four recommendations in three
    view = ZoneView(r, "zh", {})
    assert len(view.problem_groups()) >= 3 and len(view.recommendation_groups()) >= 2
    html = render_zone_html(r, tmp_path, "zh")
    body = html[html.index('id="problems"'):html.index('id="appendix"')]
    shown = [int(n) for n in re.findall(r'<p class="item"><span class="n">(\d+)\.</span>', body)]
    n_p, n_r = len(r["problems"]), len(r["recommendations"])
    assert shown == [*range(1, n_p + 1), *range(1, n_r + 1)], shown
    # the appendix's 问题k is the k-th problem 三 shows, in 三's order
    texts = [view.text(p) for _, g in view.problem_groups() for p in g]
    basis = {row["item"]: row["basis"] for row in view.rules_fired}
    assert [basis[f"问题{k}"] for k in range(1, n_p + 1)] == texts
    items = re.findall(r'<span class="n">\d+\.</span>(.*?)</p>', body)
    assert items[:n_p] == [str(__import__("markupsafe").escape(t)) for t in texts]


def test_the_baseline_year_label_stays_in_its_cell(alpha, tmp_path):
    # "2015（基准年）" ran 6 pt over the emissions table's year column
    from weasyprint import HTML

    from nzc_report.render import render_zone_html


    html = render_zone_html(alpha, tmp_path, "zh")
    assert "（基准年）" in html
    doc = HTML(string=html, base_url=str(tmp_path)).render()
    assert texts_over_their_cells(doc) == []


def test_contents_entries_stand_on_one_grid_with_dots_from_the_right():
    # the leader dots read dense on one line and sparse or blurred on the next at screen resolutions:
    # every entry's line and the dot tile are multiples of 4.8 pt (whole pixels at 60, 72, 75, 150, 300
    # dpi), laid from the right edge all entries share
    from nzc_report.resources import current_project
    css = (current_project().templates / "report.css").read_text(encoding="utf-8")
    li = re.search(r"\.toc li \{([^}]*)\}", css).group(1)
    assert "line-height: 19.2pt" in li and re.search(r"margin: 0;", li)
    assert re.search(r"right 0 bottom [\d.]+em / 4\.8pt", li)
    assert re.search(r"\.toc li\.toc-1 \{[^}]*margin-top: 4\.8pt", css)
    assert not re.search(r"\.toc li \{ margin-bottom", css)  # no later rule moves an entry off the grid


@pytest.mark.parametrize(("name", "zone_type", "city", "expected"), [
    ("庆元县安南乡安溪村", "community", "丽水市", {"level": "county", "place": "庆元县"}),
    ("安吉县余村", "community", "湖州市", {"level": "county", "place": "安吉县"}),
    ("中山市小榄镇北区", "community", "中山市", {"level": "township", "place": "小榄镇"}),  # 北区 is no county
    ("中山市东区街道某社区", "community", "中山市", {"level": "county", "place": None}),  # 东区 of 东区街道
    ("某某社区", "community", "某市", {"level": "county", "place": None}),  # 社区 is no 区: the level, no body invented
    ("桥南社区", "community", "台州市", {"level": "county", "place": None}),
    ("模具小镇", "town", "台州市", None),  # 小镇 is no 镇
    ("常山县球川镇", "town", "衢州市", {"level": "county", "place": "常山县"}),
    ("珠海万山镇", "town", "珠海市", None),  # no county named: the catalogue's form by type and city
    ("长兴县画溪新能源近零碳排放园区", "park", "湖州市", None),  # a type the rule does not read
])
def test_the_competent_authority_is_read_off_the_place_the_name_names(name, zone_type, city, expected):
    zone = {"name": name, "zone_type": zone_type, "city": city, "province": "330000"}
    assert derive_authority(zone, RULE) == expected
    assert derive_authority(zone, None) is None


def test_a_village_is_overseen_by_its_county_not_the_city_drc_and_the_report_says_how(zh):
    # zj-anxi (庆元县安南乡安溪村): the city's DRC (丽水市发展和改革委员会) was told to fund the village
    import yaml

    from nzc_report.resources import PARAMS_DIR
    assert yaml.safe_load((PARAMS_DIR / "rules.yaml").read_text(encoding="utf-8"))["competent_authority"]["from_name"]
    r = zh["zj-yucun"]
    to_authority = [x for x in r["recommendations"] if x["addressee"] == "competent_authority"]
    assert to_authority and all(x["addressee_name"] == "安吉县人民政府" and x["addressee_derived"] for x in to_authority)
    assert all(x["text"].startswith("建议安吉县人民政府") for x in to_authority)
    notes = ZoneView(r, "zh", {}).derived_authorities()
    assert notes == ["注：数据和参数未载明示范区的主管部门，本报告按示范区名称所载的所在地（安吉县）推定为安吉县人民政府；"
                     "涉及部门协调和资金支持的建议向其提出。"]
    # a name that names no place: the level, and the note says no body is named
    r2 = copy.deepcopy(r)
    for x in r2["recommendations"]:
        x["evidence"]["figures"]["authority"] = {"level": "county", "place": None}
    from nzc_report.render.narrative import narrate_findings
    again = narrate_findings(r2, "zh")
    assert all(x["text"].startswith("建议所在县（市、区）人民政府") for x in again["recommendations"]
               if x["addressee"] == "competent_authority")
    assert "未指明具体机关" in ZoneView(again, "zh", {}).derived_authorities()[0]


def test_the_plan_sentence_comes_before_the_announcement_of_the_three_points():
    # gd-wanshan: "…主要体现在以下三个方面。本镇建设依据《…》开展。" then 一是: the plan stood between them
    from nzc_report.render.significance import zone_significance
    facts = dict(name="甲镇", approved_year=2017, zone_type="城镇", baseline_year=2015, domains="能源",
                 plan="《方案》", zone="本镇", programme=None)
    intro = zone_significance({"zone_type": "town"}, "zh", facts).intro
    assert intro.endswith("以下三个方面。") and "本镇建设依据《方案》开展。对照" in intro, intro
    en = zone_significance({"zone_type": "town"}, "en", dict(facts, name="Jia", domains="energy")).intro
    assert en.endswith("purposes of the demonstration programme.") and "Its work follows 《方案》. " in en, en


def test_a_rectification_state_breaks_only_before_its_bracket(alpha):
    # "新增（新报送数 / 据所示）" broke inside its bracket in the 整改情况 column (gd-wanshan p. 9–10)
    view = ZoneView(alpha, "zh", {})
    assert view.label_parts("新增（新报送数据所示）") == ["新增", "（新报送数据所示）"]
    assert view.label_parts("已整改") == ["已整改"] and view.label_parts(None) == ["—"]
    assert ZoneView(alpha, "en", {}).label_parts("new (shown by newly filed data)") == ["new (shown by newly filed data)"]
    from nzc_report.resources import current_project
    css = (current_project().templates / "report.css").read_text(encoding="utf-8")
    assert "html:lang(zh) table.followup:not(.with-plan) .piece { white-space: nowrap; }" in css


def test_a_missed_target_is_made_up_in_the_next_staged_target_it_names(zh):
    # gd-zhuangyuangu: "在下一个阶段性目标和年度计划中补足差距" while its 2025 target was 进度滞后 (17.0% of 40.0%)
    rec = next(x for x in zh["gd-zhuangyuangu"]["recommendations"] if x["rule_id"] == "R-TARGET-GAP")
    assert "在实现2025年目标（40.0%，2024年为17.0%，进度滞后）的年度计划中补足差距" in rec["text"], rec["text"]


def test_the_verdict_does_not_pick_the_most_important_of_as_many_as_it_lists(zh):
    # gd-sz-sino-us-center: "发现问题3条，最重要的3条列于下方"
    r = dict(zh["gd-sz-sino-us-center"])
    view = ZoneView(r, "zh", {})
    top = len(view.top("problems"))
    verdict = view.verdict
    if len(r["problems"]) <= top:
        assert f"发现问题{len(r['problems'])}条，列于下方。" in verdict and "最重要" not in verdict, verdict
    more = ZoneView(zh["gd-wanshan"], "zh", {})
    assert len(more.problems) > len(more.top("problems")) and "最重要的3条列于下方" in more.verdict


def test_a_park_grows_its_own_output_not_a_regions(zh):
    h = next(x for x in zh["gd-zhuangyuangu"]["highlights"] if x["rule_id"] == "H-DECOUPLING")
    assert "园区生产总值由" in h["text"] and "地区生产总值" not in h["text"], h["text"]


def test_measures_across_fields_are_counted_by_status(zh):
    # gd-wanshan: "在能源、交通、建筑、生态等4个领域实施5项措施", one of the five only planned
    h = next(x for x in zh["gd-wanshan"]["highlights"] if x["rule_id"] == "H-MEASURES-BROAD")
    assert "安排5项措施（已完成2项、实施中2项、计划1项）" in h["text"] and "等4个领域" not in h["text"], h["text"]


def test_no_planned_path_in_the_caption_where_none_is_drawn(alpha):
    # zj-anxi has no target: "图1 净排放、基准年与规划路径" over a chart without a path
    from nzc_report.charts.emissions import emission_milestones
    figures = {"net_emissions": "figures/net.svg"}
    assert emission_milestones(alpha)  # the tiny zone has a net-emission target: its path is drawn
    assert ZoneView(alpha, "zh", figures).figures["net_emissions"]["caption"] == "净排放、基准年与规划路径"
    none = ZoneView(dict(alpha, targets=[]), "zh", figures).figures["net_emissions"]
    assert none["caption"] == "净排放与基准年" and "无规划路径" in none["alt"]


def test_no_boundary_is_asked_for_where_no_problem_found_it_missing(zh):
    # zj-anxi (no targets; its area is in zones.csv): "明确能源、建筑、消费、生态4个申报领域的建设边界"
    asked = 0
    for z, r in zh.items():
        for rec in r["recommendations"]:
            if rec["rule_id"] != "R-GUIDANCE-TARGETS" or "P-NO-END-TARGET" in rec["addresses"]:
                continue
            asked += 1
            assert ("建设边界" in rec["text"]) == ("P-NO-BOUNDARY" in rec["addresses"]), (z, rec["text"])
            assert "制定包括近零碳终期目标在内的分阶段量化目标" in rec["text"], (z, rec["text"])
    assert asked >= 2


def test_the_key_problems_point_to_their_numbers_in_part_three(tmp_path):
    # 总体评价 numbered its key problems 1–3 by importance while 三 and 附录（四） call them 问题5, 问题1 …
    from nzc_report.render import render_zone_html
    r = zone_results("beta")
    view = ZoneView(r, "zh", {})
    shown = [p for _, g in view.problem_groups() for p in g]
    html = render_zone_html(r, tmp_path, "zh")
    summary = html[:html.index('id="significance"')]
    for f in view.top("problems"):
        n = shown.index(f) + 1
        assert view.problem_number(f) == n
        assert f'{view.text(f)}<span class="see">（见问题{n}）</span></p>' in summary.replace("&#34;", '"'), n


@pytest.fixture(scope="module")
def past_target():
    """gd-zhuangyuangu (示例数据) with its year-over-year blocks as a build writes them: its 2020 target
    (15.0 %, 12.0 % in 2020) was missed, a problem in 2023 and in 2024."""
    import sampledata
    from nzc_report.findings.annual import annual_blocks
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.resources import SAMPLE_DATA_DIR
    z = "gd-zhuangyuangu"
    r = zone_results(z, data=SAMPLE_DATA_DIR)
    r.update(annual_blocks(r, previous_block(narrate_findings(sampledata.previous_year_results(z), "zh"))))
    return r


def _target_row(r: dict, lang: str):
    view = ZoneView(r, lang, {})
    rows = [f for f in view.annual.followup if "但未实现2020年" in f.before]
    assert len(rows) == 1, rows
    return view.annual, rows[0]


def test_a_missed_target_whose_year_is_gone_is_not_called_unrectified(past_target):
    # gd-wanshan / gd-zhuangyuangu 上年度问题整改情况: the 2020 target missed in 2023 and 2024 marked 未整改,
    # though a year that is gone can no longer be rectified
    r = past_target
    pc = next(c for c in r["changes"]["problem_changes"] if c["subject"] == "target:net_reduction_pct")
    assert pc["how"] == "unchanged"  # the contract's how stays; the report says what is true of it
    annual, row = _target_row(r, "zh")
    assert (row.how, row.state, row.past_year) == ("unchanged", "目标年已过，未实现（2020年目标）", 2020)
    assert "目标年已过未实现1项" in annual.followup_intro and "未整改3项" not in annual.followup_intro
    assert any(f.state == "未整改" for f in annual.followup)  # a suspended measure is still to be rectified
    _, en = _target_row(r, "en")
    assert en.state == "Target year past, not met (2020 target)"
    # the recommendation points at the next target, not at the year that is gone
    rec = next(x for x in r["recommendations"] if x["rule_id"] == "R-TARGET-GAP")
    assert "在实现2025年目标" in rec["text"] and "整改" not in rec["text"], rec["text"]
    # last year's problem on another target of the metric (not the 2020 one, missed): 未整改 as before
    other = copy.deepcopy(r)
    for t in other["previous"]["targets"]:
        if t["target_year"] == 2020:
            t["status"] = "off_track"
    assert _target_row(other, "zh")[1].state == "未整改"


def test_an_unreported_value_reads_not_reported_in_the_appendix(alpha, tmp_path):
    # 数值 showed "—" where 上期值, 得分 and 来源 said 未报告 (gd-wanshan 附录（一）)
    from nzc_report.render import render_zone_html
    gone = next(i for i in alpha["indicators"] if i.get("reported") is False and i.get("applies", True))
    for lang, words in (("zh", "未报告"), ("en", "not reported")):
        html = render_zone_html(alpha, tmp_path, lang)
        name = gone["name_zh"] if lang == "zh" else gone.get("name_en") or gone["name_zh"]
        row = re.search(r'<tr class="ind"><td>' + re.escape(name) + r".*?</tr>", html, re.S).group(0)
        assert re.findall(r'<td class="num">(.*?)</td>', row, re.S)[0] == f'<span class="nr">{words}</span>', row
    shown = next(i for i in alpha["indicators"] if i.get("reported") and i.get("value") is not None)
    html = render_zone_html(alpha, tmp_path, "zh")
    row = re.search(r'<tr class="ind"><td>' + re.escape(shown["name_zh"]) + r".*?</tr>", html, re.S).group(0)
    assert "未报告" not in re.findall(r'<td class="num">(.*?)</td>', row, re.S)[0]


def test_the_score_change_is_the_difference_of_the_scores_as_shown():
    # sn-mining-example (示例数据): "综合得分由34.2分变为38.3分，提高4.2分": 38.3 − 34.2 is 4.1 (the exact
    # change, 4.155, was rounded on its own); 总体评价 and 年度变化 say the change of the figures they show
    import sampledata
    from nzc_report.findings.annual import annual_blocks
    from nzc_report.summary.statistics import shown_difference
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.resources import SAMPLE_DATA_DIR
    assert shown_difference(34.18534911207691, 38.34068735639599) == 4.1
    assert shown_difference(60.04, 59.96) == 0.0 and shown_difference(1.25, 1.35) == 0.2  # printed 1.2 and 1.4
    z = "sn-mining-example"
    r = zone_results(z, data=SAMPLE_DATA_DIR)
    r.update(annual_blocks(r, previous_block(narrate_findings(sampledata.previous_year_results(z), "zh"))))
    before, after = r["previous"]["score"], r["score"]
    assert round(after - before, 1) != shown_difference(before, after)  # the case this test is about
    view = ZoneView(r, "zh", {})
    change = f"{shown_difference(before, after):.1f}"
    assert f"由{before:.1f}分变为{after:.1f}分" in view.year_change and f"提高{change}分" in view.year_change
    said = "".join(view.annual.paragraphs)
    assert f"提高{change}分" in said and f"提高{round(after - before, 1):.1f}分" not in said
    # the summaries' movers say the change as the zone's report does (score_delta stays exact for ordering)
    from nzc_report.results_model import ZoneResults
    from nzc_report.summary.statistics import movers
    top = movers([ZoneResults.from_dict(r)], 3)["improved_top"][0]
    assert top["score_delta_shown"] == 4.1 and round(top["score_delta"], 3) == round(after - before, 3)
    # and the portal's zone page and tables (+4.1, not +4.2)
    from nzc_report.portal.pages import Words as PortalWords
    from nzc_report.portal.site import Zone
    shown = Zone(z, r, {}, {}, [], ZoneResults.from_dict(r)).score_delta
    assert shown == 4.1 and PortalWords.delta(shown) == "+4.1"
