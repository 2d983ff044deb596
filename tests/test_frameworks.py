"""Frameworks as data (issue 30): hand-computed tiny cases, unit level, no build.

Each case is a one-zone dataset written here (a park or a town), assessed under the
shipped frameworks: the zero-carbon park's core indicator as a gate by size band,
a failed gate deciding at any score, Shenzhen's labels and one-year eligibility,
a bonus/penalty item moving the score as written, an unknown programme refused.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from nzc_report.assess import assess_zone
from nzc_report.assess.frameworks import DEFAULT_FRAMEWORK, check_frameworks, chosen_framework, load_frameworks
from nzc_report.assess.programme import evaluate_gate
from nzc_report.dataset import load_dataset
from nzc_report.errors import ConfigError, DatasetError
from nzc_report.resources import PARAMS_DIR
from nzc_report.yamlfile import speaking

YEAR = 2024
GUIDING = ("clean_energy_share_pct", "industrial_solid_waste_utilisation_pct", "waste_heat_utilisation_pct",
           "industrial_water_reuse_pct")


@pytest.fixture(autouse=True)
def _english():
    """Problems asserted here in English (the library's default is Chinese; the Chinese forms are
    checked in test_cli_language.py)."""
    with speaking("en"):
        yield


@pytest.fixture(scope="module")
def frameworks():
    return load_frameworks(PARAMS_DIR)


def _write(folder: Path, *, zone_type="park", energy=500_000.0, gross=125_000.0, approved=2020,
           guiding=(95.0, 85.0, 60.0, 85.0), programme="", mechanisms=()) -> Path:
    """One zone 'p1' with 2020 (baseline) and 2024 data: gross emissions ``gross`` (one sector) and
    total energy ``energy`` in 2024, so that 单位能耗碳排放 = gross / energy."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "zones.csv").write_text(
        "zone_id,name,province,zone_type,approved_year,baseline_year,sectors,programme\n"
        f"p1,示例园区,浙江省,{zone_type},{approved},2020,industry;energy,{programme}\n", encoding="utf-8")
    (folder / "emissions.csv").write_text(
        "zone_id,year,sector,emissions_tco2e\n"
        f"p1,2020,industry,{gross * 2:.0f}\np1,2024,industry,{gross:.0f}\n", encoding="utf-8")
    (folder / "activity.csv").write_text(
        "zone_id,year,total_energy_tce,non_fossil_energy_tce\n"
        f"p1,2020,{energy:.0f},{energy * 0.2:.0f}\np1,2024,{energy:.0f},{energy * 0.5:.0f}\n", encoding="utf-8")
    rows = "".join(f"p1,{YEAR},{i},{v},示例数据\n" for i, v in zip(GUIDING, guiding) if v is not None)
    (folder / "indicators.csv").write_text("zone_id,year,indicator_id,value,source\n" + rows, encoding="utf-8")
    if mechanisms:
        (folder / "mechanisms.csv").write_text(
            "zone_id,year,mechanism,status,evidence\n"
            + "".join(f"p1,{YEAR},{m},{s},示例数据\n" for m, s in mechanisms), encoding="utf-8")
    return folder


def _outcome(folder: Path, frameworks, framework_id: str):
    ds = load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids())
    return assess_zone(ds, "p1", YEAR, frameworks.get(framework_id))


# -- the zero-carbon park's core indicator: 0.2 or 0.3 by size band ---------------------------

def test_the_size_band_selects_the_threshold():
    gate = load_frameworks(PARAMS_DIR).get("zero-carbon-park").gates[0]
    assert evaluate_gate(gate, 0.25, 500_000).threshold == 0.2  # 20万–100万 tce
    assert evaluate_gate(gate, 0.25, 999_999).threshold == 0.2
    assert evaluate_gate(gate, 0.25, 1_000_000).threshold == 0.3  # 100万 tce and above
    assert evaluate_gate(gate, 0.25, 2_500_000).threshold == 0.3
    assert evaluate_gate(gate, None, 500_000).passed is None  # no data: open, not failed


@pytest.mark.parametrize("energy, passed", [(1_500_000, True), (500_000, False)])
def test_a_park_at_0_25_passes_above_a_million_tce_and_fails_below(tmp_path, frameworks, energy, passed):
    a = _outcome(_write(tmp_path, energy=energy, gross=0.25 * energy), frameworks, "zero-carbon-park")
    (gate,) = a.outcome.gates
    assert gate.value == pytest.approx(0.25)
    assert gate.passed is passed
    assert a.outcome.status == ("rated" if passed else "gate_failed")
    assert a.outcome.decided_by == ("score" if passed else "gate")


def test_a_park_below_200k_tce_is_outside_the_programme(tmp_path, frameworks):
    a = _outcome(_write(tmp_path, energy=150_000, gross=15_000), frameworks, "zero-carbon-park")
    assert a.outcome.status == "out_of_range" and a.outcome.label == "不在适用范围"
    assert a.outcome.gates == ()  # not rated at all: no gate is said to pass or fail


def test_a_failed_gate_decides_whatever_the_score(tmp_path, frameworks):
    # every guiding indicator above its guiding value: the score is 100 (all four met) ...
    folder = _write(tmp_path, energy=500_000, gross=0.21 * 500_000, guiding=(100.0, 100.0, 100.0, 100.0))
    a = _outcome(folder, frameworks, "zero-carbon-park")
    assert a.score.score == pytest.approx(100.0)
    # ... and 0.21 > 0.2 fails the core indicator, which decides
    assert a.outcome.status == "gate_failed" and a.outcome.label == "未达标"
    # the same park at 0.19 passes, rated by its score band
    b = _outcome(_write(tmp_path / "b", energy=500_000, gross=0.19 * 500_000,
                        guiding=(100.0, 100.0, 100.0, 100.0)), frameworks, "zero-carbon-park")
    assert b.outcome.status == "rated" and b.outcome.label == "达标（引导性指标全部达到）"


def test_the_guiding_score_is_the_mean_of_the_four_hand_computed(tmp_path, frameworks):
    # clean energy 45/90 → 50; solid waste 80/80 → 100; waste heat 25/50 → 50; water reuse missing → 0
    folder = _write(tmp_path, energy=500_000, gross=50_000, guiding=(45.0, 80.0, 25.0, None))
    a = _outcome(folder, frameworks, "zero-carbon-park")
    assert a.score.score == pytest.approx((50 + 100 + 50 + 0) / 4)
    assert a.score.coverage_pct == pytest.approx(75.0)


# -- Shenzhen: labels and eligibility ---------------------------------------------------------

@pytest.mark.parametrize("score, label", [(100, "优秀"), (85, "优秀"), (84.99, "通过"), (60, "通过"),
                                          (59.99, "未通过"), (0, "未通过")])
def test_shenzhen_labels(frameworks, score, label):
    assert frameworks.get("shenzhen-acceptance").grade(score)[0] == label


@pytest.mark.parametrize("approved, status", [(YEAR, "not_eligible"), (YEAR - 1, "rated")])
def test_shenzhen_needs_a_year_in_operation(tmp_path, frameworks, approved, status):
    a = _outcome(_write(tmp_path, zone_type="town", approved=approved), frameworks, "shenzhen-acceptance")
    assert a.outcome.status == status
    if status == "not_eligible":
        assert a.outcome.decided_by == "eligibility" and a.outcome.years_in_operation == 0


def test_shenzhen_reads_its_materials_against_the_evidence(tmp_path, frameworks):
    folder = _write(tmp_path, zone_type="town", mechanisms=(("verification", "yes"), ("evaluation", "partial")))
    materials = {m.id: m.status for m in _outcome(folder, frameworks, "shenzhen-acceptance").outcome.materials}
    assert materials == {"self_evaluation_report": "partial", "third_party_verification": "held",
                         "investment_proof": "not_held",  # no measures.csv
                         "indicator_calculation_proof": "held"}  # every indicators.csv row names its source


# -- bonus/penalty items ----------------------------------------------------------------------

BONUS = """\
id: bonus-test
base: near-zero-zone
version: "1"
title: 加减分测试
kind: acceptance
authority: evaluator
adjustments:
  - {id: market, name_zh: 参与碳排放权交易, name_en: Emissions trading, points: 3.5,
     when: {mechanism: carbon_market, status: "yes"}, source: judgement}
  - {id: no_plan, name_zh: 无建设方案, name_en: No plan, points: -2,
     when: {mechanism: plan, status: "no"}, source: judgement}
"""


def test_a_bonus_or_penalty_item_moves_the_score_as_written(tmp_path):
    overlay = tmp_path / "params"
    (overlay / "frameworks").mkdir(parents=True)
    (overlay / "frameworks" / "bonus-test.yaml").write_text(BONUS, encoding="utf-8")
    fws = load_frameworks(PARAMS_DIR, overlay)
    folder = _write(tmp_path / "d", zone_type="town", mechanisms=(("carbon_market", "yes"), ("plan", "no")))
    base = _outcome(folder, fws, DEFAULT_FRAMEWORK).score.score
    moved = _outcome(folder, fws, "bonus-test")
    assert moved.outcome.base_score == pytest.approx(base)
    assert moved.score.score == pytest.approx(base + 3.5 - 2)
    assert [a.applied for a in moved.outcome.adjustments] == [True, True]


# -- the choice per zone, and an unknown programme --------------------------------------------

def test_the_choice_goes_programme_then_option_then_workspace_then_default():
    assert chosen_framework({"programme": "zero-carbon-park"}, "shenzhen-acceptance", "x") == "zero-carbon-park"
    assert chosen_framework({"programme": None}, "shenzhen-acceptance", "x") == "shenzhen-acceptance"
    assert chosen_framework({"programme": float("nan")}, None, "shenzhen-acceptance") == "shenzhen-acceptance"
    assert chosen_framework({}, None, None) == DEFAULT_FRAMEWORK


def test_an_unknown_programme_is_refused_with_row_column_and_the_known_ids(tmp_path, frameworks):
    folder = _write(tmp_path, programme="zero-carbon-parks")
    with pytest.raises(DatasetError) as info:
        load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids(), lang="en")
    text = info.value.format_message()
    assert "zones.csv:2:" in text and "programme" in text  # FILE:ROW:COLUMN
    assert "zero-carbon-parks" in text and "near-zero-zone, shenzhen-acceptance, zero-carbon-park" in text


def test_a_framework_file_whose_id_is_not_its_name_is_refused(tmp_path):
    overlay = tmp_path / "params"
    (overlay / "frameworks").mkdir(parents=True)
    (overlay / "frameworks" / "other.yaml").write_text(BONUS, encoding="utf-8")
    frameworks, problems = check_frameworks(PARAMS_DIR, overlay)
    assert frameworks is None
    assert [(p.line, p.message) for p in problems] == [(1, "id 'bonus-test' must be the file's name ('other')")]


def test_a_gate_naming_an_unknown_indicator_is_refused_at_its_line(tmp_path):
    overlay = tmp_path / "params"
    (overlay / "frameworks").mkdir(parents=True)
    text = BONUS + ("gates:\n  - {id: g, name_zh: 门槛, name_en: Gate, indicator: carbon_per_energyy,\n"
                    "     bands: [{at_most: 0.2, source: judgement}]}\n")
    (overlay / "frameworks" / "bonus-test.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_frameworks(PARAMS_DIR, overlay)
    (problem,) = info.value.problems
    assert problem.line == 13 and "unknown indicator 'carbon_per_energyy'" in problem.message


# -- a failed gate is a problem of its own subject (gate:<id>) ----------------------------------

def _findings(a, rules=None):
    from nzc_report.findings import evaluate_findings, load_rules

    return evaluate_findings(a, rules or load_rules(PARAMS_DIR / "rules.yaml"))


def test_a_failed_gate_is_one_problem_with_a_recommendation_to_the_park(tmp_path, frameworks):
    from nzc_report.findings.results import build_results
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.render.zone_view import key_findings

    folder = _write(tmp_path, energy=500_000, gross=0.25 * 500_000, guiding=(100.0, 100.0, 100.0, 100.0))
    ds = load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids())
    a = assess_zone(ds, "p1", YEAR, frameworks.get("zero-carbon-park"))
    f = _findings(a)
    gate = [p for p in f.problems if p["claim"]["subject"] == "gate:core_carbon_per_energy"]
    assert len(gate) == 1 and gate[0]["category"] == "progress"
    assert f.judgements["gate:core_carbon_per_energy"] == "negative"
    figures = gate[0]["evidence"]["figures"]
    assert (figures["value"], figures["threshold"]) == (pytest.approx(0.25), 0.2)
    assert figures["change_pct"] == pytest.approx(20.0)  # 0.25 → 0.20 is a cut of 20 %
    (rec,) = [r for r in f.recommendations if "gate:core_carbon_per_energy" in r["subjects"]]
    assert rec["addressee"] == "implementing_body"  # the park acts, not the programme office
    zh = narrate_findings(build_results(ds, a, f), "zh")
    (p,) = [x for x in zh["problems"] if x["rule_id"] == "P-GATE-FAILED"]
    assert "单位能耗碳排放" in p["text"] and "0.25" in p["text"] and "≤0.20" in p["text"] and "未达标" in p["text"]
    assert key_findings(zh["problems"], "problems")[0]["rule_id"] == "P-GATE-FAILED"  # first among 主要问题
    (r,) = [x for x in zh["recommendations"] if x["rule_id"] == "R-GATE-GAP"]
    assert "降至0.20以下" in r["text"] and "约20%" in r["text"]
    en = narrate_findings(build_results(ds, a, _findings(a)), "en")
    (p,) = [x for x in en["problems"] if x["rule_id"] == "P-GATE-FAILED"]
    assert "0.25" in p["text"] and "veto" in p["text"] and "{" not in p["text"]


def test_a_passed_gate_is_no_problem(tmp_path, frameworks):
    a = _outcome(_write(tmp_path, energy=1_500_000, gross=0.25 * 1_500_000), frameworks, "zero-carbon-park")
    assert not [p for p in _findings(a).problems if p["claim"]["subject"].startswith("gate:")]


def test_a_praise_of_the_gate_indicator_is_settled_into_the_gate_problem(tmp_path, frameworks):
    """A rule praising 单位能耗碳排放 (here: any value at least 0) beside the failed gate on it: one
    balanced statement (mixed), never a praise and a veto of the same fact."""
    from nzc_report.findings import load_rules

    rules = load_rules(PARAMS_DIR / "rules.yaml")
    rules = {**rules, "highlights": [*rules["highlights"], {
        "id": "H-TEST-CARBON-PER-ENERGY", "condition": "indicator_at_least",
        "subject": "indicator:{indicator}", "params": {"indicator": "carbon_per_energy_tco2e_per_tce", "min": 0}}]}
    a = _outcome(_write(tmp_path, energy=500_000, gross=0.25 * 500_000), frameworks, "zero-carbon-park")
    f = _findings(a, rules)
    assert not [h for h in f.highlights if h["rule_id"] == "H-TEST-CARBON-PER-ENERGY"]
    (p,) = [p for p in f.problems if p["rule_id"] == "P-GATE-FAILED"]
    assert p["claim"]["judgement"] == "mixed"
    assert [i["rule_id"] for i in p["evidence"]["in_place"]] == ["H-TEST-CARBON-PER-ENERGY"]


# -- English labels: every shipped framework gives them, and the English report uses them ----------

def _notes(node, path=""):
    """(path, node) of every mapping in a framework file that has a Chinese ``note``."""
    if isinstance(node, dict):
        if "note" in node:
            yield path, node
        for k, v in node.items():
            yield from _notes(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _notes(v, f"{path}[{i}]")


def test_every_shipped_framework_gives_its_labels_and_notes_in_english():
    from nzc_report.yamlfile import safe_load

    for path in sorted((PARAMS_DIR / "frameworks").glob("*.yaml")):
        raw = safe_load(path.read_text(encoding="utf-8"))
        assert raw.get("title_en"), path.name
        if "outcomes" in raw:
            assert set(raw["outcomes_en"]) == set(raw["outcomes"]), path.name
        if "authority_note" in raw:
            assert raw.get("authority_note_en"), path.name
        for at, node in _notes(raw):
            if at.startswith(".indicators"):  # a threshold's note is not shown in the report
                continue
            assert node.get("note_en"), (path.name, at)


HAN = __import__("re").compile(r"[\u4e00-\u9fff]")


def test_the_english_report_shows_the_frameworks_english_words(tmp_path, frameworks):
    """The park failing its gate, in English: its outcome label, the framework's note on its
    authority, the eligibility, the gate's source and band note, the 对照评价 rows: no Chinese."""
    from nzc_report.findings.programme import comparison_rows
    from nzc_report.findings.results import build_results
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.render.programme import ProgrammeView, narrate_programme

    folder = _write(tmp_path, energy=500_000, gross=0.25 * 500_000, guiding=(100.0, 100.0, 100.0, 100.0))
    ds = load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids())
    a = assess_zone(ds, "p1", YEAR, frameworks.get("zero-carbon-park"))
    r = narrate_findings(build_results(ds, a, _findings(a)), "en")
    r["comparison"] = comparison_rows(ds, "p1", YEAR, frameworks, "zero-carbon-park")
    narrate_programme(r, "en")
    assert r["outcome"]["label_en"] == "Not met"
    v = ProgrammeView(r, "en")
    words = [v.framework_line, v.authority_note, v.eligibility_line, v.outcome_line,
             *(x for g in v.gate_rows() for x in (g["label"], g["requirement"], g["passed"], g["source"], g["band"])),
             *(x for c in v.comparison for x in (c["title"], c["label"], c["reason"], c["decided_by"]))]
    assert v.authority_note and "Annex 3" in v.authority_note
    assert "Parks using 200,000 to 1,000,000 tce" in v.gate_rows()[0]["source"]
    assert [w for w in words if w and HAN.search(w)] == []
    (p,) = [x for x in r["problems"] if x["rule_id"] == "P-GATE-FAILED"]
    assert '"Not met"' in p["text"] and not HAN.search(p["text"])


@pytest.mark.parametrize("framework_id, lang, programme", [
    ("zero-carbon-park", "zh", "国家零碳园区建设"), ("zero-carbon-park", "en", "National Zero-Carbon Park Programme"),
    ("near-zero-zone", "zh", "近零碳排放区示范工程"), ("near-zero-zone", "en", "Near-Zero Carbon Emission Zone")])
def test_the_cover_names_the_programme_of_the_zones_framework(tmp_path, frameworks, framework_id, lang, programme):
    import re

    from nzc_report.findings.results import build_results
    from nzc_report.render import render_zone_html
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.render.programme import narrate_programme

    folder = _write(tmp_path / "data", energy=500_000, gross=0.25 * 500_000)
    ds = load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids())
    a = assess_zone(ds, "p1", YEAR, frameworks.get(framework_id))
    r = narrate_programme(narrate_findings(build_results(ds, a, _findings(a)), lang), lang)
    html = render_zone_html(r, tmp_path, lang)
    cover = re.sub(r"<[^>]+>", "", html.split('class="cover-program">', 1)[1].split("</span>", 1)[0])
    assert programme in cover
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert programme in title
    if framework_id == "zero-carbon-park":  # nowhere said to be in the near-zero zones' programme
        assert "列入近零碳排放区示范工程" not in html and "Near-Zero Carbon Emission Zone Demonstration" not in html
        assert ("本报告按国家零碳园区建设的要求评估" if lang == "zh" else "under the National Zero-Carbon Park") in html


def test_a_gate_failed_both_years_but_closer_is_improved_not_unchanged():
    from nzc_report.findings.annual import problem_changes

    def gate(value):
        return {"rule_id": "P-GATE-FAILED", "category": "progress",
                "claim": {"subject": "gate:core_carbon_per_energy", "polarity": "negative"},
                "evidence": {"figures": {"value": value, "threshold": 0.2, "change_pct": (value - 0.2) / value * 100}}}
    assert [c["how"] for c in problem_changes([gate(0.25)], [gate(0.34)])] == ["improved"]
    assert [c["how"] for c in problem_changes([gate(0.34)], [gate(0.25)])] == ["worsened"]
    assert [c["how"] for c in problem_changes([], [gate(0.34)])] == ["resolved"]
    # as the previous year's block keeps it (findings/annual.previous_block)
    from nzc_report.findings.annual import previous_block
    before = previous_block({"year": 2023, "data_year": 2023, "problems": [gate(0.34)], "emissions": {}})
    assert [c["how"] for c in problem_changes([gate(0.25)], before["problems"])] == ["improved"]


def test_a_park_is_ranked_only_among_parks_rated_under_its_framework():
    """ranking.json of a build with a near-zero park (a), a park decided by its gate (b) and a rated
    park (c) under the zero-carbon park framework: c is not '1st of 2 parks', a not 'the only park'."""
    from nzc_report.render.zone_view import PeerRank
    from nzc_report.summary.ranking import rank_zones

    ranking = rank_zones([
        {"zone_id": "a", "zone_type": "park", "score": 57.2, "framework": "near-zero-zone", "outcome_status": "rated"},
        {"zone_id": "b", "zone_type": "park", "score": 100.0, "framework": "zero-carbon-park",
         "outcome_status": "gate_failed"},
        {"zone_id": "c", "zone_type": "park", "score": 90.0, "framework": "zero-carbon-park", "outcome_status": "rated"},
    ])
    c, a = PeerRank.of(ranking, "c"), PeerRank.of(ranking, "a")
    assert (c.within_type, c.within_type_of, c.ranked_of) == (1, 2, 1)  # b is listed, not ranked
    assert (a.within_type_of, a.ranked_of, a.elsewhere) == (1, None, 2)


# -- a framework's document and the report's date (issue 30) ----------------------------------

def _dated(frameworks, framework_id: str, in_force: dict):
    from dataclasses import replace

    return replace(frameworks.get(framework_id), in_force=in_force)


@pytest.mark.parametrize("report_date, status", [
    ("2025-03-31", "unconfirmed"), ("2025-07-07", "unconfirmed"), ("2025-07-08", "in_force"), ("2026-01-01", "in_force"),
    (None, "unconfirmed")])
def test_a_document_known_by_a_date_is_in_force_from_that_date_on(frameworks, report_date, status):
    fw = _dated(frameworks, "zero-carbon-park", {"known_by": "2025-07-08", "note": "x"})
    assert fw.in_force_on(report_date) == status


@pytest.mark.parametrize("report_date, status", [
    ("2024-12-30", "after_report"), ("2024-12-31", "after_report"), ("2025-01-01", "unconfirmed"),
    ("2025-06-30", "in_force")])
def test_a_document_issued_after_a_date_is_not_in_force_on_or_before_it(frameworks, report_date, status):
    fw = _dated(frameworks, "shenzhen-acceptance", {"after": "2024-12-31", "known_by": "2025-06-30", "note": "x"})
    assert fw.in_force_on(report_date) == status


def test_the_shipped_frameworks_date_their_documents_and_the_evaluators_framework_dates_none(frameworks):
    """The park notice (910号) is known to have been issued by 8 July 2025 (the earliest forwarding
    notice read); Shenzhen's acceptance notice after 2024, its day not held; ours is no document."""
    assert frameworks.get("near-zero-zone").in_force_on("2025-03-31") is None
    park = frameworks.get("zero-carbon-park")
    assert park.in_force == {**park.in_force, "known_by": "2025-07-08"} and "二手来源" in park.in_force["note"]
    assert park.in_force_on("2025-03-31") == "unconfirmed" and park.in_force_on("2025-09-30") == "in_force"
    shenzhen = frameworks.get("shenzhen-acceptance")
    assert shenzhen.in_force_on("2024-06-30") == "after_report" and shenzhen.in_force_on("2025-09-30") == "unconfirmed"


def test_a_document_date_not_written_as_a_date_is_refused_at_its_line(tmp_path):
    folder = tmp_path / "params" / "frameworks"
    folder.mkdir(parents=True)
    (folder / "dated.yaml").write_text(
        "id: dated\nbase: near-zero-zone\nversion: '1'\ntitle: 示例\nkind: acceptance\nauthority: official\n"
        "in_force:\n  known_by: 2025/7/8\n  note: 示例\n", encoding="utf-8")
    _, problems = check_frameworks(PARAMS_DIR, overlay=tmp_path / "params")
    assert [(Path(p.file).name, p.line) for p in problems] == [("dated.yaml", 8)]
    assert "2025-07-08" in problems[0].message


def _park_results(tmp_path, frameworks, report_date: str, lang: str = "zh"):
    from nzc_report.findings.programme import comparison_rows
    from nzc_report.findings.results import build_results
    from nzc_report.render.narrative import narrate_findings
    from nzc_report.render.programme import narrate_programme

    folder = _write(tmp_path, energy=1_500_000, gross=0.25 * 1_500_000, guiding=(95.0, 85.0, 60.0, 85.0))
    (folder / "meta.csv").write_text(f"key,value\nreport_date,{report_date}\n", encoding="utf-8")
    ds = load_dataset(folder, indicator_units=frameworks.units(), programmes=frameworks.ids())
    a = assess_zone(ds, "p1", YEAR, frameworks.get("zero-carbon-park"))
    r = narrate_findings(build_results(ds, a, _findings(a)), lang)
    r["comparison"] = comparison_rows(ds, "p1", YEAR, frameworks, "zero-carbon-park")
    return narrate_programme(r, lang)


def test_a_report_dated_before_the_notice_is_known_says_so_and_is_not_ranked(tmp_path, frameworks):
    """A rated park (0.25 ≤ 0.3 above 1,000,000 tce) in a report dated 31 March 2025: the notice is not
    known to exist then, so its conclusion is for reference (results.json, the report's words, the
    ranking); dated 30 September 2025, the same park is a conclusion under the notice, ranked."""
    from nzc_report.render.programme import ProgrammeView
    from nzc_report.results_model import ZoneResults, results_errors
    from nzc_report.summary.ranking import final_ranks, rank_zones

    early = _park_results(tmp_path / "early", frameworks, "2025-03-31")
    # valid v3 results (the year-over-year blocks, which a build adds, aside)
    assert [e for e in results_errors(early) if "'previous'" not in e and "'changes'" not in e] == []
    assert early["framework"]["in_force"]["status"] == "unconfirmed" and early["outcome"]["reference_only"] is True
    assert early["outcome"]["status"] == "rated"  # the conclusion is drawn, and said to be for reference
    line = ProgrammeView(early, "zh").in_force_line
    assert line and "2025年3月31日" in line and "2025年7月8日" in line and "仅供对照参考" in line and "不参与排名" in line
    shenzhen = [c for c in early["comparison"] if c["framework"]["id"] == "shenzhen-acceptance"]
    assert shenzhen and shenzhen[0]["reference_only"] is True
    assert "深圳市近零碳排放区试点验收评价" in (ProgrammeView(early, "zh").reference_line or "")
    en = _park_results(tmp_path / "en", frameworks, "2025-03-31", "en")
    assert not HAN.search(ProgrammeView(en, "en").in_force_line or "x")
    assert "31 March 2025" in ProgrammeView(en, "en").in_force_line
    assert 'the document behind "Shenzhen acceptance' in ProgrammeView(en, "en").reference_line
    assert "the conclusion under it is for reference only" in ProgrammeView(en, "en").reference_line

    late = _park_results(tmp_path / "late", frameworks, "2025-09-30")
    assert late["framework"]["in_force"]["status"] == "in_force" and "reference_only" not in late["outcome"]
    assert ProgrammeView(late, "zh").in_force_line is None

    def entry(zid, r):
        z = ZoneResults.from_dict(r)
        return {"zone_id": zid, "zone_type": "park", "score": z.score, "framework": "zero-carbon-park",
                "outcome_status": "rated", "provisional": bool(z.grade_provisional), "reference_only": z.reference_only}
    ranks = final_ranks(rank_zones([entry("early", early), entry("late", late)])["zones"])
    assert ranks["early"]["reference_only"] is True and ranks["early"]["within_type"] is None
    assert (ranks["late"]["within_type"], ranks["late"]["within_type_of"]) == (1, 1)


def test_a_summary_says_which_conclusions_are_for_reference_and_does_not_rank_them(tmp_path, frameworks):
    from nzc_report.render.summary_view import SummaryView
    from nzc_report.summary import province_summary

    def summary(report_date: str, lang: str) -> SummaryView:
        r = _park_results(tmp_path / report_date, frameworks, report_date)
        meta = [{"zone_id": "p1", "name": r["name"], "province_code": r["province_code"], "zone_type": "park",
                 "status": "built"}]
        s = province_summary([r], meta, r["province_code"], YEAR, {"label": "示例数据", "is_sample": True,
                                                                   "report_date": report_date})
        return SummaryView(s, lang, {})

    early, late = summary("2025-03-31", "zh"), summary("2025-09-30", "zh")
    assert "仅供对照参考" in early.overall_grades and "仅供对照参考" not in late.overall_grades
    assert [early.rank(z) for z in early.s["zones"]] == ["仅供对照"]
    assert [late.rank(z) for z in late.s["zones"]] != ["仅供对照"]
    assert "for reference only" in summary("2025-03-31", "en").overall_grades


def test_an_english_report_names_last_years_gate_outcome_in_english(tmp_path, frameworks):
    """Last year's conclusion was the gate's 未达标 (an outcome label, no grade band): the English
    report says "Not met", not the Chinese label."""
    from nzc_report.findings.annual import previous_block
    from nzc_report.render.zone_view import ZoneView

    failed = _park_results(tmp_path / "failed", frameworks, "2025-09-30")
    failed_block = {**failed, "grade": "未达标", "grade_en": "Not met", "score": None}
    r = _park_results(tmp_path / "now", frameworks, "2025-09-30", "en")
    r["previous"], r["changes"] = previous_block(failed_block), None
    line = ZoneView(r, "en", {}).year_change
    assert "“Not met”" in line or '"Not met"' in line
    assert not HAN.search(line)
