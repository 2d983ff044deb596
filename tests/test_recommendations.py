"""Recommendations someone can act on (issue 29), on the sample (示例数据) with the shipped rules.

Each speaks to its addressee (cli.md v3): coordination of departments and fiscal
support go to the competent authority, never to a company, a community or a
project; 建立 only for what is missing; only documents the dataset or params
hold are cited; sentences are the zone's own (≤ 15 % shared with another zone).
"""
import re

import pytest

from nzc_report.resources import PARAMS_DIR

from recdata import sample_results, sentences, shared_share

# Zone types whose implementing body is a company, a community or a single project.
NOT_GOVERNMENT = {"community", "building", "organisation", "transport", "industry"}
# What only the body overseeing a zone can do: coordinate departments, grant funds (a request
# for the data of a mechanism is not an ask to build it).
AUTHORITY_ASKS = re.compile(r"(建立|健全|完善)[^，；。]{0,30}协调机制|部门[^，；。]{1,20}(分工|共同参与|会商)"
                            r"|财政补贴|以奖代补|贷款贴息|给予资金支持|引导金融机构")
# The words that name a mechanism in a recommendation's part.
MECHANISM_WORDS = {"coordination": "协调机制", "accounting": "统计核算", "verification": "核查",
                   "fiscal_support": "资金支持", "green_finance": "绿色金融", "assessment": "考核",
                   "disclosure": "信息公开", "access": "准入"}


@pytest.fixture(scope="module")
def zh():
    return sample_results("zh")


def test_every_recommendation_has_an_addressee_a_time_frame_and_a_heading_of_its_zone(zh):
    for z, r in zh.items():
        problem_categories = {p.get("category") for p in r["problems"]}
        for rec in r["recommendations"]:
            assert rec["addressee"] in ("implementing_body", "competent_authority"), (z, rec)
            assert re.search(r"(19|20)\d\d年", rec["text"]), (z, rec["text"])
            assert rec["problem_category"] in problem_categories, (z, rec["rule_id"])


def test_no_company_community_or_project_is_asked_to_coordinate_or_fund(zh):
    to_authority = 0
    for z, r in zh.items():
        for rec in r["recommendations"]:
            if rec["addressee"] == "implementing_body" and r["zone_type"] in NOT_GOVERNMENT:
                # an indicator's name in brackets (财政支持（补贴、以奖代补…）) is not an ask
                assert not AUTHORITY_ASKS.search(re.sub(r"（[^）]*）", "", rec["text"])), (z, rec["text"])
            if rec["addressee"] == "competent_authority":
                to_authority += 1
                if rec["rule_id"] in ("R-SUPPORT-COORDINATION", "R-SUPPORT-FUNDING"):
                    assert AUTHORITY_ASKS.search(rec["text"]), (z, rec["text"])  # the pattern sees the asks
                assert rec["addressee_name"] != r.get("implementing_body"), z
                assert rec["text"].startswith("建议" + rec["addressee_name"]), (z, rec["text"])
    assert to_authority >= 10  # the sample's coordination and funding problems are answered, to the authority


def test_the_authority_is_the_zone_params_one_else_derived_and_said_so(zh):
    derived = {z: rec for z, r in zh.items() for rec in r["recommendations"] if rec.get("addressee_derived")}
    assert derived["gd-nanao"]["addressee_name"] == "汕头市人民政府"  # a county: its city's government
    assert derived["zj-cixi-transport"]["addressee_name"] == "宁波市发展和改革委员会"
    r = dict(zh["gd-nanao"])
    r["params"] = {"competent_authority": "汕头市发展和改革局"}
    from nzc_report.render.narrative import narrate_findings
    again = narrate_findings({**r, "recommendations": [dict(x) for x in r["recommendations"]]}, "zh")
    named = [x for x in again["recommendations"] if x["addressee"] == "competent_authority"]
    assert named and all(x["addressee_name"] == "汕头市发展和改革局" and not x["addressee_derived"] for x in named)
    assert all(x["text"].startswith("建议汕头市发展和改革局") for x in named)


def test_no_establish_for_a_mechanism_judged_partial(zh):
    checked = 0
    for z, r in zh.items():
        partial = {s.partition(":")[2] for s, j in r["judgements"].items() if s.startswith("mechanism:") and j == "mixed"}
        for rec in r["recommendations"]:
            for part in re.split(r"[；。]", rec["text"]):
                for m in partial & set(MECHANISM_WORDS):
                    if MECHANISM_WORDS[m] in part:
                        checked += 1
                        assert "建立" not in part, (z, m, part)
                        assert re.search("健全|完善", part), (z, m, part)
    assert checked >= 5  # the sample has partly built mechanisms that are recommended on


def _known_documents() -> str:
    from nzc_report.resources import SAMPLE_DATA_DIR
    texts = [p.read_text(encoding="utf-8") for p in SAMPLE_DATA_DIR.rglob("*.csv")]  # plan_document, measures
    texts += [p.read_text(encoding="utf-8") for p in PARAMS_DIR.rglob("*.yaml")]
    return "\n".join(texts)


def test_only_documents_that_exist_are_cited(zh):
    known = _known_documents()
    cited = 0
    for z, r in zh.items():
        for rec in r["recommendations"]:
            assert "国家和省级" not in rec["text"], (z, rec["text"])  # no such guideline exists
            for title in re.findall(r"《[^》]+》", rec["text"]):
                cited += 1
                assert title in (r.get("plan_document") or "") or title in known, (z, title)
    assert cited >= 1


def test_shared_recommendation_sentences_at_most_15_percent(zh):
    shared, total = shared_share(zh)
    assert total >= 100
    assert shared / total <= 0.15, f"{shared}/{total} sentences shared"


def test_sentences_split_on_chinese_and_english_stops():
    assert sentences("甲。乙；丙。") == ["甲。", "乙；", "丙。"]
    assert sentences("A b. C d; e.") == ["A b.", "C d;", "e."]


def test_an_overdue_or_unmoved_measure_is_not_asked_to_resume(zh):
    # gd-nanao's 零碳公共建筑 is ongoing, past its planned 2022: it read "进展缓慢或暂停…恢复建设"
    asked = {}
    for z, r in zh.items():
        states = {m["name"]: m.get("state") for p in r["problems"] if p["rule_id"] in ("P-MEASURES-STALLED",
                                                                                       "P-MEASURES-SUSPENDED")
                  for m in p["evidence"]["figures"].get("measures") or []}
        for rec in r["recommendations"]:
            if rec["rule_id"] != "R-PILOT-MEASURES":
                continue
            for part in sentences(rec["text"]):
                named = [n for n in states if n in part]
                for n in named:
                    asked[(z, n)] = part
                    if states[n] in ("delayed", "stalled"):
                        assert "恢复建设" not in part and "暂停" not in part, (z, part)
                    else:
                        assert "暂停" in part, (z, part)
    assert "零碳公共建筑（计划2022年完成）逾期未完成" in asked[("gd-nanao", "零碳公共建筑")]
    assert "两年以上未变化" in asked[("zj-cixi-transport", "纯电动公交替代")]
    assert "暂停的原因" in asked[("zj-shengshan", "潮流能发电示范")]
