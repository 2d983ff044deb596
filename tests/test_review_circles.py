"""What a reviewer who must sign circled in the sample's reports (issues 28 and 29), one test each.

The sample (示例数据) is assessed in process with the shipped framework, rules and catalogue
(tests/recdata.py, a few seconds); a few cases use a tiny assessment changed by hand.
"""
import re

import pytest

import sampledata
from recdata import sample_results


@pytest.fixture(scope="module")
def zh():
    return sample_results("zh")


@pytest.fixture(scope="module")
def first_year() -> dict[str, int]:
    """zone id → its first year of emissions data (the sample is loaded once per process, when a test
    asks: not at import, which every test process pays for when it collects the tests)."""
    emissions = sampledata.dataset().tables["emissions"]
    return {z: int(y) for z, y in emissions.groupby("zone_id")["year"].min().items()}


def _texts(r: dict, kind: str, rule_id: str | None = None) -> list[str]:
    return [x["text"] for x in r[kind] if rule_id is None or x["rule_id"] == rule_id]


def test_a_peak_is_said_only_where_the_data_shows_one(zh, first_year):
    # zj-huaxi, zj-yucun, zj-cixi-transport read "净排放峰值出现在2015年": their base and first year
    said = 0
    for z, r in zh.items():
        for text in _texts(r, "highlights", "H-DECOUPLING"):
            m = re.search(r"峰值出现在(\d{4})年", text)
            if m:
                said += 1
                assert int(m.group(1)) > first_year[z], (z, text)
    for z in ("zj-huaxi", "zj-yucun", "zj-cixi-transport"):
        assert any("脱钩" in t for t in _texts(zh[z], "highlights", "H-DECOUPLING")), z
        assert not any("峰值" in t for t in _texts(zh[z], "highlights")), z


def test_a_praised_indicator_scores_at_least_the_pass_line(zh):
    # zj-yucun: 非化石能源占比50.0% praised as 清洁化程度高 beside its 50 points
    praised = 0
    for z, r in zh.items():
        scores = {i["id"]: i.get("score") for i in r["indicators"]}
        for h in r["highlights"]:
            if h["rule_id"] == "H-NON-FOSSIL-HIGH":
                praised += 1
                assert scores["non_fossil_share_pct"] >= 60, (z, h["text"], scores["non_fossil_share_pct"])
    assert praised >= 3
    assert not _texts(zh["zj-yucun"], "highlights", "H-NON-FOSSIL-HIGH")


def test_accounting_problem_names_only_what_is_partial_or_missing(zh):
    # zj-huaxi: "碳排放统计核算和核查体系不健全" beside 统计核算 已建立 (100 points); zj-yucun: its 核查机制
    # is only not reported
    checked = 0
    for z, r in zh.items():
        status = {i["id"]: i.get("status") for i in r["indicators"]}
        for text in _texts(r, "problems", "P-EVAL-ACCOUNTING"):
            checked += 1
            assert "体系不健全" not in text, (z, text)
            if status.get("mechanism_accounting") == "yes":
                assert "统计核算" not in text, (z, text)
            if status.get("mechanism_verification") is None:
                assert "核查" not in text, (z, text)
    assert checked >= 3


def test_capacity_recommendations_say_no_more_than_the_data(zh):
    # "引入第三方核查" and "覆盖全部4个申报领域": the data names no verifier and no coverage
    seen = 0
    for z, r in zh.items():
        for text in _texts(r, "recommendations", "R-GUIDANCE-CAPACITY"):
            seen += 1
            assert "第三方" not in text and not re.search(r"全部\d+个申报领域", text), (z, text)
    assert seen >= 3


def test_every_time_frame_lies_after_the_report_date(zh):
    # the sample's reports are dated 2025-03-31: "在2025年前" was already past
    frames = 0
    for z, r in zh.items():
        for text in _texts(r, "recommendations"):
            for y in re.findall(r"(\d{4})年前", text):
                pytest.fail(f"{z}: a time frame before {y} in a report dated 2025-03-31: {text}")
            for y in re.findall(r"(\d{4})年底前", text):
                frames += 1
                assert int(y) >= 2025, (z, text)
    assert frames >= 50


def test_a_small_sector_is_not_among_those_that_emit_most(zh):
    for z, r in zh.items():
        for text in _texts(r, "recommendations"):
            m = re.search(r"排放最多的(.*?)领域", text)
            if m:
                shares = [int(s) for s in re.findall(r"（(\d+)%）", m.group(1))]
                assert all(s >= 20 for s in shares[1:]), (z, text)


def test_a_low_indicator_is_answered_by_its_own_sector_not_the_largest_emitters(zh):
    # zj-cixi-transport's 建议7 answered 非化石能源占比 with "聚焦排放最多的交通（93%）、能源（7%）领域"
    r = zh["zj-cixi-transport"]
    rec = next(x for x in r["recommendations"] if x["rule_id"] == "R-SECTOR-FOCUS")
    assert rec["addresses"] == ["P-INDICATORS-BELOW-FLOOR"]
    assert "非化石能源占比" in rec["text"] and "能源领域" in rec["text"] and "排放最多" not in rec["text"]


def test_a_company_is_not_said_to_hold_the_coordination_mechanism(zh):
    # "健全慈溪市交通集团有限公司现有的跨部门协调机制": the mechanism is the government's
    for z, r in zh.items():
        for text in _texts(r, "recommendations", "R-SUPPORT-COORDINATION"):
            assert f"健全{r['name']}现有的" not in text, (z, text)
    text = _texts(zh["zj-cixi-transport"], "recommendations", "R-SUPPORT-COORDINATION")[0]
    assert text.startswith("建议宁波市发展和改革委员会") and "推进慈溪市交通集团有限公司建设的跨部门协调机制" in text


def test_staged_targets_item_and_targets_table_read_the_same_rows(zh):
    # zj-huaxi's appendix scored 阶段性目标 "未报告, 0" beside its three staged targets (2020, 2025)
    t = sampledata.dataset().tables["targets"]  # read only: the dataset is shared (tests/sampledata.py)
    staged = {z for z, g in t.groupby("zone_id") if (g.groupby("metric")["target_year"].nunique() >= 2).any()}
    m = sampledata.dataset().tables["mechanisms"]
    recorded = set(m[m["mechanism"] == "staged_targets"]["zone_id"])
    assert {"zj-huaxi", "zj-yucun", "zj-cixi-transport"} <= staged - recorded
    for z in staged - recorded:
        row = next(i for i in zh[z]["indicators"] if i["id"] == "mechanism_staged_targets")
        assert row["status"] == "yes" and row["score"] == 100.0, (z, row)


def test_the_missing_data_count_is_the_coverage_gap(zh):
    # "N项适用指标没有数据" left 阶段性目标 out while the coverage figure counted it
    for z, r in zh.items():
        unreported = {i["id"] for i in r["indicators"] if i.get("applies", True) and (i.get("weight") or 0) > 0
                      and not i.get("reported")}
        listed = {m["id"] for p in r["problems"] if p["rule_id"] == "P-EVAL-MISSING-DATA"
                  for m in p["evidence"]["figures"]["missing"]}
        if any(p["rule_id"] == "P-NO-PLAN" for p in r["problems"]):
            listed.add("mechanism_plan")  # said once, by its own problem
        assert listed == unreported, (z, unreported ^ listed)


def test_a_document_number_is_cited_only_with_its_checked_date():
    # 深环〔2021〕212号 was cited in every report's method without having been checked; a number the
    # frameworks cite is one a source gives with the month it was issued, as checked
    # (发改环资〔2025〕910号，2025年7月), and may then be named again by that number
    from nzc_report.resources import PARAMS_DIR
    lines = [line for path in sorted((PARAMS_DIR / "frameworks").glob("*.yaml"))
             for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    checked = set(re.findall(r"(〔\d{4}〕\d+号)，\d{4}年\d{1,2}月", text))
    cited = set(re.findall(r"〔\d{4}〕\d+号", text))
    assert len(checked) >= 2 and cited <= checked, cited - checked


def test_the_sample_names_the_report_it_cites():
    # the evidence list printed "源报告：仅广东省进行了财政补贴…" for Zhejiang zones: a reader cannot
    # tell which report; the fact is the source report's (seed: "仅有广东省对有关近零碳排放工程进行了
    # 一定的财政补贴"), so the sample names it
    from nzc_report.resources import SAMPLE_DATA_DIR
    for path in sorted(SAMPLE_DATA_DIR.glob("*.csv")):
        assert "源报告" not in path.read_text(encoding="utf-8"), path.name
    mech = (SAMPLE_DATA_DIR / "mechanisms.csv").read_text(encoding="utf-8")
    assert "《我国近零碳排放区示范工程建设进展情况和政策建议》：仅广东省进行了财政补贴" in mech


def test_an_english_authority_is_named_in_english_where_the_data_allows():
    # "the Development and Reform Commission of 陕西省": the province has an English name (the cover's)
    en = sample_results("en")
    named = [x["addressee_name"] for r in en.values() for x in r["recommendations"]
             if x.get("addressee") == "competent_authority" and not r.get("city")]
    assert named and all(not re.search(r"[\u4e00-\u9fff]", n) for n in named), named
    assert "the Development and Reform Commission of Shaanxi" in named


def test_a_gain_across_years_without_data_says_them(zh):
    # zj-huaxi's 绿色建筑占比 40 % of 2020, then 75 % of 2024 was praised as if it had moved within the year
    text = _texts(zh["zj-huaxi"], "highlights", "H-SECTOR-GAINS")[0]
    assert "绿色建筑占比由2020年的40.0%提高到2024年的75.0%（2021—2023年未报告）" in text, text
    for z, r in zh.items():
        for t in _texts(r, "highlights") + _texts(r, "problems"):
            for a, b in re.findall(r"（(\d{4})—(\d{4})年未报告）", t):
                assert int(b) - int(a) + 1 > 2, (z, t)  # only gaps longer than the stale-data age


def test_one_target_is_not_said_to_be_all_of_them():
    """'1项量化目标均已实现' / 'All 1 quantified target' read as a count of many: one target is said as one."""
    from nzc_report.render.messages import Messages

    for lang in ("zh", "en"):
        t = Messages(lang)
        for key in ("overall.verdict_all_good", "overall.verdict_all_behind"):
            one, three = t(key, n=1, items="x", found="…"), t(key, n=3, items="x", found="…")
            assert "1项量化目标均" not in one and "All 1" not in one, one
            assert ("3项量化目标均" in three) if lang == "zh" else ("The 3 quantified targets are all" in three)
