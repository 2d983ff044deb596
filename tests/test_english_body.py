"""The English report (issue 29): no Chinese sentence in the body, plural-correct counts.

Three sample zones built with --lang en; each report's text (pdftotext) is read
whole, the names and titles the data and params give (zone, body, city,
province, projects, documents in 《》, the evaluators' own entries) are taken
out, and no Chinese may remain. No "(s)" and no "1 indicators"-style count.
"""
import copy
import json
import re
import subprocess

import pytest

from nzc_report.cli import main
from nzc_report.render.messages import Messages, plural
from pdftools import texts_over_their_cells

ZONES = ("gd-nanao", "zj-meishan", "sn-mining-example")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
# a word of the zone, capitalised for a sentence's start, after a lower-case word: "framework The zone",
# "present pace; The zone should"
MID_CAPITAL = re.compile(r"[a-z][,;:]? The (zone|town|county|park|community|project|organisation|company|village)\b")
# one indicator or measure, then "their" ("1 indicator at or beyond their benchmark")
ONE_THEIR = re.compile(r"(?<![\d.,])1 (indicator|continuing measure|measure)\b[^.;:]*\btheir\b")
ONE_PLURAL = re.compile(r"(?<![\d.,])1 (indicators|problems|measures|targets|zones|years|points|fields|projects|"
                        r"warnings|provinces)\b")


def _strings(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def names_and_titles(results: dict) -> list[str]:
    """What may stay as written: the data's and params' names, titles and the evaluators' own words."""
    out = [results.get(k) for k in ("name", "implementing_body", "city", "province_name", "plan_document")]
    out += [m.get("name") for m in results.get("measures") or []]
    out += [r.get("addressee_name") for r in results.get("recommendations") or []]
    out += [i.get("evidence") for i in results.get("indicators") or []]
    params = results.get("params") or {}
    out += [params.get(k) for k in ("evaluating_body", "competent_authority", "document_number")]
    out += _strings(params.get("sign_off") or {}) + _strings((params.get("site_visit") or {}).get("team"))
    # the evaluators' rectification plan, as they wrote it (the params have no English field for it)
    out += [x for r in params.get("rectification") or [] for x in (r.get("measure"), r.get("owner"))]
    out += [(results.get("dataset") or {}).get("label")]
    return sorted({re.sub(r"\s+", "", s) for s in out if s}, key=len, reverse=True)


def chinese_left(text: str, allowed: list[str]) -> list[str]:
    """The Chinese runs of ``text`` once line breaks (which split names) and the allowed names are removed."""
    # a page's foot and the next page's head (page number, running title) may split a name
    text = re.sub(r"\n+Page \d+ of \d+\n+\x0c[^\n]*\n+[^\n]*Assessment Report \d{4}\n+", "\n", text)
    flat = re.sub(r"\s*\n\s*", "", text)
    for a in allowed:
        flat = flat.replace(a, " ")
    flat = re.sub(r"《[^》]*》", "", flat)
    return CJK.findall(flat)


def test_plural_chooses_one_and_other():
    t = "{n, plural, one {# problem was} other {# problems were}} found"
    assert plural(t, {"n": 1}).format(n=1) == "1 problem was found"
    assert plural(t, {"n": 0}).format(n=0) == "0 problems were found"
    assert plural(t, {"n": "1,000"}).format(n="1,000") == "1,000 problems were found"


def test_chinese_left_sees_a_sentence_and_spares_names():
    allowed = ["宁波梅山示范区", "零碳公共建筑"]
    assert chinese_left("In 宁波梅山\n示范区, 零碳公共建筑 is behind.", allowed) == []
    assert chinese_left("the grade stays “不合格”.", allowed) == ["不合格"]
    assert chinese_left("零碳公\n\nPage 3 of 9\n\n\x0c示例数据\n\nX · Assessment Report 2024\n\n共建筑 is late", allowed) == []


@pytest.fixture(scope="module")
def alpha_en():
    from reportdata import zone_results
    return zone_results("alpha", lang="en")


def _text(html: str) -> str:
    """The HTML's text, a line per block (a heading's last word and the next paragraph's first are apart)."""
    html = re.sub(r"</(h\d|p|li|td|th|tr|div|caption|section)>", "\n", html)
    return re.sub(r"[ \t]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_zone_is_called_by_the_english_name_the_data_gives(alpha_en, tmp_path):
    # zj-meishan's English report was titled, headed and written "宁波梅山国际近零碳排放示范区 (Ningbo Meishan …)"
    # on every page although zones.csv gives its name_en
    from nzc_report.render import render_zone_html
    from nzc_report.render.zone_view import ZoneView
    named = dict(alpha_en, name_en="Jia Town (test)")
    view = ZoneView(named, "en", {})
    assert view.running_title.startswith("Jia Town (test) · ") and view.title.startswith("Jia Town (test)")
    # a name too long for one line of the running head: the report's words on a second line
    long = ZoneView(dict(alpha_en, name_en="Ningbo Meishan International Near-Zero Carbon Emission "
                                           "Demonstration Zone"), "en", {}).running_title
    assert long.endswith("Demonstration Zone\nAssessment Report 2019"), long
    html = render_zone_html(named, tmp_path, "en")
    cover = re.search(r'<span class="cover-name">([^<]*)</span>', html).group(1)
    assert cover == "Jia Town (test)"
    text = _text(html)
    # the name as written, twice: under the cover's title and in the facts table, to find the zone by it
    assert text.count(alpha_en["name"]) == 2, text.count(alpha_en["name"])
    assert "Jia Town (test) (甲镇（测试）)" in text and "called by the English name the dataset gives" in text
    # a zone without an English name keeps its name as written, and the note says only that
    plain = _text(render_zone_html(alpha_en, tmp_path, "en"))
    assert re.search(r'<span class="cover-name">甲镇（测试）</span>', render_zone_html(alpha_en, tmp_path, "en"))
    assert "called by the English name" not in plain and "no English field" in plain


def test_no_english_text_runs_over_its_table_cell(alpha_en, tmp_path):
    # "recommendation 8" ran into the basis column of the appendix, "Benchmark" into "Score", "not reported"
    # and "not scored" over the score column, "Progress" over the targets table's ratio column
    from weasyprint import HTML

    from nzc_report.render import render_zone_html
    html = render_zone_html(alpha_en, tmp_path, "en")


    doc = HTML(string=html, base_url=str(tmp_path)).render()
    assert texts_over_their_cells(doc) == []
    text = _text(html)
    assert not MID_CAPITAL.findall(text), MID_CAPITAL.findall(text)  # "against the indicator framework The zone"


def test_english_findings_of_the_sample_read_as_english_sentences():
    # "1 indicator is at or below their starting value" (for net emissions per capita, a value above it),
    # "1 continuing measure states … nor their progress", "at the present pace; The zone should",
    # "Funding support is lacking: fiscal support: not in place (2024)"
    from recdata import sample_results
    texts = [(z, f["text"]) for z, r in sample_results("en").items()
             for kind in ("highlights", "problems", "recommendations") for f in r[kind]]
    assert len(texts) > 200
    for z, text in texts:
        assert not MID_CAPITAL.search(text), (z, text)
        assert not ONE_THEIR.search(text), (z, text)
        assert "at or below" not in text and "(s)" not in text, (z, text)
        assert not re.search(r": [a-z][^.;:]*: (partly |not )?in place", text), (z, text)
        # zj-youxing: 'the grade "不合格" are provisional'; 'fix the boundary of the 1 declared field'
        assert not re.search(r'grade "[^"]*[\u4e00-\u9fff]', text), (z, text)
        assert not re.search(r"\b1 declared field\b|each of the declared field", text), (z, text)


def test_cited_rows_are_one_row_or_a_range_with_an_en_dash():
    # "activity table, rows 205", "rows 582—585" (an em dash, the Chinese range mark)
    from nzc_report.render.zone_view import cite
    sources = [{"file": "emissions.csv", "rows": [582, 583, 584, 585, 618]}, {"file": "activity.csv", "rows": [205]}]
    assert cite(sources, Messages("en")) == "emissions table, rows 582–585, 618; activity table, row 205"
    assert cite(sources, Messages("zh")) == "排放数据表第582—585、618行；活动水平数据表第205行"


def test_the_english_catalogue_words_counts_and_conclusions_as_english(alpha_en):
    # "{years} year(s) in operation"; "Conclusion: Fail. an overall score of 54.5"; the grade-names note
    # said "the grade names are this report's own, not the source's words" below a quote with the same names
    from nzc_report.render.zone_view import ZoneView

    def strings(node):
        if isinstance(node, dict):
            return [x for v in node.values() for x in strings(v)]
        if isinstance(node, list):
            return [x for v in node for x in strings(v)]
        return [node] if isinstance(node, str) else []
    t = Messages("en")
    assert [x for x in strings(t.tree) if "(s)" in x] == []
    # the report's CJK fonts set “ ” full-width: "the grade stays “Fail” . Of this" read with gaps (a
    # proportional-width feature would also turn the names' （ ） into ( ) in the text a reader copies)
    assert [x for x in strings(t.tree) if "“" in x or "”" in x] == []
    assert t("programme.reason.not_eligible", years=1, min=3).startswith("1 year in operation")
    line = t("programme.outcome_line", label="Fail", reason="an overall score of 54.5, rated “Fail”")
    assert not re.search(r"\. [a-z]", line), line
    notes = [p for p in ZoneView(alpha_en, "en", {}).method if p.startswith("Grade names")]
    assert notes and "not the source's words" not in notes[0]


def test_english_lists_of_indicators_end_in_and(alpha_en):
    # "4 indicators (Plan or implementation scheme, Green finance, Emission accounting, Verification) reported
    # for the first time"; "2 indicators (Green building share, previously from 2020, New-energy vehicle share,
    # previously from 2020)" read as four items
    from nzc_report.render.zone_view import ZoneView
    r = copy.deepcopy(alpha_en)
    ids = [i["id"] for i in r["indicators"] if i.get("reported") and i.get("weight") and i.get("applies", True)][:3]
    assert len(ids) == 3
    r["previous"] = {"year": r["year"] - 1, "score": 30.0, "grade": "不合格",
                     "indicators": [{"id": x, "value": None} for x in ids]}
    r["changes"] = {**(r.get("changes") or {}), "score_delta": 5.0, "grade_before": "不合格", "grade_after": "不合格",
                    "score_change_by_cause": {"newly_reported": 4.0, "values": 1.0, "framework": 0.0}}
    text = ZoneView(r, "en", {}).annual.by_cause
    assert re.search(r"3 indicators \([^()]*, [^()]* and [^()]*\) reported for the first time", text), text
    assert Messages("en")("list_sep_major") == "; "  # refreshed items ("X, formerly 2020 data") set apart by it


def test_an_english_summary_counts_one_zone_in_the_singular():
    # the Zhejiang summary of one zone read "1 zone lack indicator data", "1 were assessed"
    from nzc_report.render.summary_view import SummaryView
    view = SummaryView({"kind": "province", "zones_built": 3}, "en", {})
    grounds = [view.x(f"recommendations.grounds.{code}", n=1, **{"with": 0}, unreported=0)
               for code in Messages("en").labels("synthesis.recommendations.grounds")]
    bad = [g for g in grounds if re.search(r"\b1 zones\b|\b1 zone (lack|risk|report|have|are)\b", g)]
    assert bad == [] and "1 zone lacks indicator data" in grounds
    # the zone reports' word for the floor ("starting value"), not "at the floor on some indicator"
    assert "1 zone has an indicator at the starting value or worse" in grounds
    assert view.x("overview.built", built=1) == "; 1 was assessed."
    assert view.x("findings.P-INDICATORS-BELOW-FLOOR", count="1 zone", total=1).endswith("1 indicator at the "
                                                                                          "starting value or worse")


def test_an_english_summary_glosses_the_sample_label_and_names_zones_not_built_in_english():
    # the cover stamp and running head said 示例数据 alone; a zone not in the build was named in Chinese
    from nzc_report.render.summary_view import SummaryView
    from nzc_report.summary import _missing

    summary = {"kind": "province", "zones_built": 3, "year": 2024, "province_code": "330000",
               "dataset": {"is_sample": True, "label": "示例数据"}}
    en, zh = SummaryView(summary, "en", {}), SummaryView(summary, "zh", {})
    assert en.sample_label == "示例数据 (sample data)" and zh.sample_label == "示例数据"
    assert en.subject.endswith(" (示例数据 (sample data))") and zh.subject.endswith("（示例数据）")
    assert "(sample data) (sample data)" not in en.x("cover.sample_note", label=en.sample_label)
    missing = _missing([{"zone_id": "zj-anxi", "name": "安溪村", "name_en": "Anxi Village", "status": "outside"},
                        {"zone_id": "zj-x", "name": "某村", "status": "outside"}])
    assert [en.zone_name(z) for z in missing] == ["Anxi Village", "某村"]
    assert [zh.zone_name(z) for z in missing] == ["安溪村", "某村"]


@pytest.mark.e2e
def test_english_body_of_three_zones(tmp_path):
    out = tmp_path / "out"
    assert main(["build", "--zones", ",".join(ZONES), "--lang", "en", "--out", str(out), "--jobs", "1"]) == 0
    for z in ZONES:
        folder = out / "2024" / "zones" / z
        results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        text = subprocess.run(["pdftotext", str(folder / "report.pdf"), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "(s)" not in text, z
        assert not ONE_PLURAL.findall(text), (z, ONE_PLURAL.findall(text))
        left = chinese_left(text, names_and_titles(results))
        assert left == [], (z, left[:20])
        flat = re.sub(r"\s+", " ", text)
        # within a line (a heading and its paragraph's first words are a line apart)
        mid = [m.group(0) for line in text.splitlines() for m in MID_CAPITAL.finditer(line)]
        assert not mid, (z, mid)
        assert not ONE_THEIR.findall(flat), (z, ONE_THEIR.findall(flat))
        # row ranges with an en dash (not the Chinese em dash), one row said as one
        assert not re.search(r"\d—\d", flat) and not re.search(r"\brows \d+(?![\d–,])", flat), z
        if results.get("name_en"):
            # called by its English name: the running head of every page, and the name as written only
            # under the cover's title and in the facts table
            pages = [re.sub(r"\s+", " ", page) for page in text.split("\x0c")[1:] if page.strip()]
            assert pages and all(results["name_en"] in p[:300] and "Assessment Report" in p for p in pages), z
            body = re.sub(r"《[^》]*》", "", re.sub(r"\s+", "", text))  # a document's title may hold the name
            assert body.count(re.sub(r"\s+", "", results["name"])) == 2, z


def test_english_lists_whose_items_hold_and_take_a_serial_comma():
    # sn-mining-example: "the departments of development and reform, ecology and environment, industry and
    # information technology and energy" (four departments or five?)
    from nzc_report.render.narrative import Words
    w = Words({}, "en")
    assert w.join(["development and reform", "ecology and environment", "energy"]) == \
        "development and reform, ecology and environment, and energy"
    assert w.join(["industry", "energy"]) == "industry and energy"
    assert w.join(["A", "B", "C"]) == "A, B and C"
    assert Words({}, "zh").join(["甲", "乙"]) == "甲、乙"


def test_an_english_zone_report_names_its_type_and_its_figures_as_the_data_has_them(alpha_en):
    # sn-mining-example: "It is a industrial and mining area zone", "No other industrial and mining area zone";
    # zj-youxing (no emission target): "Figure 1. Net emissions, baseline and planned path" with no path drawn;
    # "Answers problem 2, problem 3, problem 4"
    from nzc_report.render.zone_view import ZoneView
    r = copy.deepcopy(alpha_en)
    r["zone_type"] = "mining"
    view = ZoneView(r, "en", {"net_emissions": "figures/net.svg"})
    assert "It is an industrial and mining area," in view.significance.intro
    assert view.zone_type_word == "industrial and mining" and view.zone_type == "industrial and mining area"
    r["targets"] = []
    assert ZoneView(r, "en", {"net_emissions": "x.svg"}).figures["net_emissions"]["caption"] == "Net emissions and baseline"
    assert ZoneView(r, "zh", {"net_emissions": "x.svg"}).figures["net_emissions"]["caption"] == "净排放与基准年"
    r["targets"] = [{"metric": "net_emissions_tco2e", "target_year": 2030, "target_value": 100.0}]
    assert "planned path" in ZoneView(r, "en", {"net_emissions": "x.svg"}).figures["net_emissions"]["caption"]
    t = Messages("en")
    assert t("appendix.answers", items="2 and 4", count=2) == "Answers problems 2 and 4"
    assert t("appendix.answers", items="1", count=1) == "Answers problem 1"
    r["zone_type"] = "ecological"
    assert "It is an ecological function zone," in ZoneView(r, "en", {}).significance.intro  # not "zone zone"


def test_an_english_one_zone_summary_reads_as_one_zone():
    # the Beijing summary: "1. the zone met their 2020 milestone", "1 zone lacks indicator data", "guide these
    # zones to define their concept", "The zone sets 1 quantified targets", "Shared strengths" of one zone;
    # and in any summary "1 zone met their … milestone", "1 zone … and were assessed"
    from nzc_report.render.summary_view import SummaryView
    bare = {"kind": "province", "problems_by_category": {}, "recommendations": {}, "missing": []}
    one = SummaryView({**bare, "zones_built": 1, "province_code": "110000"}, "en", {})
    many = SummaryView({**bare, "zones_built": 3, "province_code": "330000"}, "en", {})
    fill = {"year": 2020, "metric": "non-fossil energy share", "data_year": 2023, "range": "—", "total": 1,
            "gate": "G", "min_pct": "30"}
    for view in (one, many):
        for code in Messages("en").labels("synthesis.findings"):
            text = view.x("findings." + code, count=view.count(1), n=1, **fill)
            assert not re.search(r"\btheir\b|\bwere\b", text), (code, text)
    assert many.x("findings.H-MILESTONE-ACHIEVED", count=many.count(2), n=2, **fill).startswith(
        "2 zones (67%) met their 2020 milestone")
    g = {"code": "H-MILESTONE-ACHIEVED", "n": 1, "digits": 1, "unit": "%", "key": {"target_year": 2020},
         "examples": [], "total": None, "by_type": []}
    g["examples"] = [{"name": "北京城市副中心行政办公区", "name_en": "Administrative Office Area", "value": 30.0}]
    assert one.finding_text(g, "highlights").startswith("The zone met its 2020 milestone")
    assert "Administrative Office Area" not in one.finding_text(g, "highlights")  # not after every line
    assert "Administrative Office Area" in many.finding_text(g, "highlights")
    grounds = one.x("recommendations.grounds.P-EVAL-MISSING-DATA", n=1, **{"with": 0}, unreported=0)
    assert grounds == "the zone lacks indicator data"
    actions = one.x("recommendations.parts.guide.P-NO-BOUNDARY")
    guide = one.x("recommendations.province.guide", province="Beijing", actions=actions)
    assert "guide the zone to define the near-zero boundary" in guide and "these zones" not in guide
    assert "their" not in guide
    assert "these zones" in many.x("recommendations.province.guide", province="Zhejiang", actions=actions)
    assert one.x("overview.targets_one", total=1, items="achieved 1") == "The zone sets 1 quantified target: achieved 1"
    assert one.x("overview.built_named") == "; it was assessed."  # the overview's one-zone path (sum7)
    headings = {h.id: h.title for h in one.heading_parts()[2].children}
    assert headings["highlights"] == "Strengths"
    assert {h.id: h.title for h in many.heading_parts()[2].children}["highlights"] == "Shared strengths"


def test_an_english_recommendation_to_a_body_without_an_english_name_calls_it_by_its_kind():
    # zj-youxing: "杭州优行科技有限公司 should, before the 2025 assessment, fix the boundary …"
    from recdata import sample_results
    r = sample_results("en")["zj-youxing"]
    texts = [x["text"] for x in r["recommendations"]]
    assert texts and all(t.startswith("The company should") for t in texts if "should" in t.split(",")[0]), texts
    assert not [t for t in texts if t.startswith("杭州")]
    assert {x.get("addressee_name") for x in r["recommendations"] if x.get("addressee") != "competent_authority"} \
        == {"杭州优行科技有限公司"}  # the machine field keeps the data's name


def test_the_conclusion_of_a_provisional_grade_says_it_is_provisional(alpha_en):
    # zj-youxing: the first page read "Fail (provisional)", its appendix A.3 "Conclusion: Fail." as if final
    from nzc_report.render.programme import ProgrammeView
    r = copy.deepcopy(alpha_en)
    r["outcome"] = {**(r.get("outcome") or {}), "label": "不合格", "label_en": "Fail", "status": "rated",
                    "decided_by": "score", "reason": None}
    r["grade_provisional"] = True
    assert ProgrammeView(r, "en").outcome_line == "Conclusion: Fail (provisional)."
    assert ProgrammeView(r, "zh").outcome_line == "结论：不合格（暂定）。"
    r["grade_provisional"] = False
    assert ProgrammeView(r, "en").outcome_line == "Conclusion: Fail."
