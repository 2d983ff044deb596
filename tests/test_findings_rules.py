"""Every rule of params/rules.yaml, both firing and not firing, on tests/data/engine.

`good` does everything right, so no problem (and no recommendation) may be found
there; `weak` and `bare` carry a problem of every kind.
"""
import copy
import json
import re

import pytest

from nzc_report.assess import assess_zone
from nzc_report.dataset import load_dataset
from nzc_report.errors import ConfigError, UsageError
from nzc_report.findings import FACTS, PROBLEM_CATEGORIES, RECOMMENDATION_CATEGORIES, evaluate_findings, load_rules
from nzc_report.findings.conditions import CONDITIONS, REQUIRED_PARAMS
from nzc_report.findings.recommend import REC_FIGURES
from nzc_report.findings.results import indicator_rows
from nzc_report.render.narrative import narrate_findings
from nzc_report.resources import SCHEMAS_DIR

from engine_data import ENGINE, RULES_PATH, framework, rules
import sampledata
from nzc_report.yamlfile import speaking


@pytest.fixture(autouse=True)
def _english():
    """The problems read here in English (the library's own default is Chinese; the Chinese forms
    are checked in test_cli_language.py)."""
    with speaking("en"):
        yield

FW = framework()
RULES = rules()

# rule → (a zone where it fires, a zone where it does not)
EXPECTED = {
    "H-STAGED-PLAN": ("good", "weak"),
    "H-MILESTONE-ACHIEVED": ("good", "weak"),
    "H-REDUCTION-FAST": ("good", "bare"),
    "H-NON-FOSSIL-HIGH": ("good", "weak"),
    "H-AT-BENCHMARK": ("good", "weak"),
    "H-MEASURES-BROAD": ("good", "weak"),
    "H-RESEARCH": ("good", "weak"),  # weak's research is only partial
    "H-INTERNATIONAL": ("good", "weak"),
    "H-CARBON-MARKET": ("good", "weak"),
    "H-FUNDING": ("good", "weak"),
    "H-PUBLIC-ENGAGEMENT": ("good", "weak"),
    "P-NO-TARGETS": ("bare", "weak"),
    "P-NO-END-TARGET": ("weak", "good"),
    "P-NO-BOUNDARY": ("weak", "good"),
    "P-NO-PLAN": ("weak", "good"),
    "P-EVAL-MISSING-DATA": ("weak", "good"),
    "P-EVAL-LOW-COVERAGE": ("bare", "weak"),
    "P-EVAL-STALE-DATA": ("weak", "good"),
    "P-EVAL-EMISSIONS-LAG": ("weak", "good"),
    "P-EVAL-TARGET-NO-DATA": ("weak", "good"),
    "P-EVAL-ACCOUNTING": ("weak", "good"),
    "P-POLICY-COORDINATION": ("weak", "good"),
    "P-POLICY-FUNDING": ("weak", "good"),
    "P-POLICY-INCENTIVE": ("weak", "good"),
    # weak's 2030 net-reduction target is off track, but its 2020 one was missed: one problem per
    # subject (the target's metric), the graver (missed) said, the other with it (evidence.also)
    "P-TARGET-OFF-TRACK": ("weak", "good"),
    "P-TARGET-AT-RISK": ("weak", "good"),
    "P-TARGET-MISSED": ("weak", "good"),
    "P-EMISSIONS-RISING": ("weak", "good"),
    "P-SECTORS-WITHOUT-MEASURES": ("weak", "bare"),  # bare reported no measures at all: a data gap instead
    "P-MEASURES-SUSPENDED": ("weak", "good"),
    "P-MEASURES-STALLED": ("weak", "good"),  # weak's rooftop PV was planned for 2022 (dataset v3)
    "P-INDICATORS-BELOW-FLOOR": ("weak", "good"),
}


@pytest.fixture(scope="module")
def assessed():
    ds = load_dataset(ENGINE)
    return {z: assess_zone(ds, z, 2024, FW) for z in ("good", "weak", "bare")}


def narrated(a, rules=RULES, lang="zh"):
    """The findings with their sentences, as the notebook writes them into results.json."""
    f = evaluate_findings(a, rules)
    narrate_findings({"highlights": f.highlights, "problems": f.problems, "recommendations": f.recommendations,
                      "indicators": indicator_rows(a), "zone_type": a.zone["zone_type"]}, lang)
    return f


@pytest.fixture(scope="module")
def found(assessed):
    return {z: narrated(a) for z, a in assessed.items()}


def _fired(findings, rule_id):
    return [f for f in findings.highlights + findings.problems + findings.recommendations
            if f["rule_id"] == rule_id]


# rules the engine fixture cannot show: (sample zone where it fires, sample zone where it does not)
ON_SAMPLE = {
    "H-DECOUPLING": ("zj-meishan", "zj-huangyan-mould"),  # GDP up, emissions down / emissions rising
    # NEV share 12 % → 30 %, green buildings 60 % → 85 % (Cixi's NEV gain sits beside its off-track NEV
    # target, so it is said in one balanced statement there: test_a_gain_beside_its_lagging_target_is_one_statement)
    "H-SECTOR-GAINS": ("zj-meishan", "sn-mining-example"),
    # 低碳生活宣传 runs without end and reports no progress: a data gap; Shenzhen's ongoing measure is due 2025
    "P-EVAL-MEASURE-PROGRESS": ("zj-anxi", "gd-sz-sino-us-center"),
}


def test_every_rule_has_a_firing_and_a_silent_case():
    ids = [r["id"] for kind in ("highlights", "problems") for r in RULES[kind]]
    assert sorted(ids) == sorted([*EXPECTED, *ON_SAMPLE, "P-NO-STAGED-TARGETS"])


@pytest.mark.parametrize("rule_id", sorted(ON_SAMPLE))
def test_rule_fires_and_stays_silent_on_the_sample(rule_id):
    ds = sampledata.dataset()  # loaded with sample_units() once per process; assessed here with FW
    fires, silent = ON_SAMPLE[rule_id]
    hit = _fired(narrated(assess_zone(ds, fires, 2024, FW)), rule_id)
    assert hit and hit[0]["text"] and "{" not in hit[0]["text"]
    assert not _fired(evaluate_findings(assess_zone(ds, silent, 2024, FW), RULES), rule_id)


def test_a_gain_beside_its_lagging_target_is_one_statement():
    ds = sampledata.dataset()
    f = narrated(assess_zone(ds, "zj-cixi-transport", 2024, FW))
    assert not _fired(f, "H-SECTOR-GAINS")  # not praised on one page and faulted on another
    nev = [p for p in f.problems if p["claim"]["subject"] == "target:nev_share_pct"]
    assert len(nev) == 1 and nev[0]["claim"]["judgement"] == "mixed"
    assert [i["rule_id"] for i in nev[0]["evidence"]["in_place"]] == ["H-SECTOR-GAINS"]
    assert "10.0%提高到2024年的45.0%" in nev[0]["text"] and "进度滞后" in nev[0]["text"]


def test_no_staged_targets_is_not_said_where_targets_exist(assessed):
    from dataclasses import replace
    # weak's mechanism record says "no staged targets", yet it has targets: they are the stages
    assert assessed["weak"].targets and not _fired(evaluate_findings(assessed["weak"], RULES), "P-NO-STAGED-TARGETS")
    assert _fired(evaluate_findings(replace(assessed["weak"], targets=[]), RULES), "P-NO-STAGED-TARGETS")


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_fires_and_stays_silent(found, rule_id):
    fires, silent = EXPECTED[rule_id]
    hits = _fired(found[fires], rule_id)
    if rule_id == "P-TARGET-OFF-TRACK":
        hits = [p for p in found[fires].problems if rule_id in [x["rule_id"] for x in p["evidence"].get("also", [])]]
        assert [p["rule_id"] for p in hits] == ["P-TARGET-MISSED"] and "进度滞后" in hits[0]["text"]
    assert hits, f"{rule_id} should fire for {fires}"
    assert not _fired(found[silent], rule_id), f"{rule_id} should not fire for {silent}"
    for f in hits:
        assert f["text"] and "{" not in f["text"] and "}" not in f["text"]
        assert re.search(r"[\u4e00-\u9fff]", f["text"])
        ev = f["evidence"]
        assert isinstance(ev["figures"], dict) and ev["figures"]
        for src in ev["sources"]:
            assert src["file"].endswith(".csv") and all(r >= 2 for r in src["rows"])


def test_no_problem_is_invented_for_a_zone_that_has_none(found):
    assert found["good"].problems == []
    assert found["good"].recommendations == []
    assert len(found["good"].highlights) == len([k for k in EXPECTED if k.startswith("H-")])  # every one


def test_sentences_carry_the_figures(found):
    text = {f["rule_id"]: f["text"] for f in found["weak"].problems}
    assert "2023年净排放11,000吨" in text["P-EMISSIONS-RISING"] and "高10.0%" in text["P-EMISSIONS-RISING"]
    assert "2026年新能源汽车占比目标（50.0%）" in text["P-TARGET-AT-RISK"] and "进度比0.79" in text["P-TARGET-AT-RISK"]
    assert not re.search(r"[A-Z]-[A-Z]|\.csv|_", "".join(text.values()))  # no rule ids, files or columns
    assert "年均需提高5.0个百分点" in text["P-TARGET-AT-RISK"]
    assert "交通、建筑" in text["P-SECTORS-WITHOUT-MEASURES"]
    assert "电动渡轮" in text["P-MEASURES-SUSPENDED"]
    assert "生活垃圾回收利用率（最近为2019年）" in text["P-EVAL-STALE-DATA"]
    assert "绿化覆盖率" in text["P-EVAL-MISSING-DATA"] and "评估机制" in text["P-EVAL-MISSING-DATA"]
    assert "核查机制未建立" in text["P-EVAL-ACCOUNTING"] and "碳排放统计核算部分建立" in text["P-EVAL-ACCOUNTING"]
    good = {f["rule_id"]: f["text"] for f in found["good"].highlights}
    assert "下降70.0%" in good["H-REDUCTION-FAST"] and "2020年、2025年、2030年" in good["H-STAGED-PLAN"]


def test_evidence_points_at_the_rows(found):
    p = {f["rule_id"]: f for f in found["weak"].problems}
    assert p["P-MEASURES-SUSPENDED"]["evidence"]["sources"] == [
        {"file": "measures.csv", "rows": [7], "columns": ["name", "status"]}]
    rising = p["P-EMISSIONS-RISING"]["evidence"]
    assert rising["figures"]["net_tco2e"] == 11000 and rising["figures"]["baseline_net_tco2e"] == 10000
    assert {s["file"] for s in rising["sources"]} == {"emissions.csv"}
    missing = p["P-EVAL-MISSING-DATA"]["evidence"]["figures"]["missing"]
    # the missing plan is P-NO-PLAN's to say, not listed again
    assert {m["id"] for m in missing} == {"green_coverage_pct", "mechanism_disclosure", "mechanism_evaluation"}


def test_not_reported_is_never_read_as_no(found):
    # bare reported no mechanisms: no policy problem may claim one is missing, only the data gap
    ids = {f["rule_id"] for f in found["bare"].problems}
    assert not ids & {"P-POLICY-COORDINATION", "P-POLICY-FUNDING", "P-POLICY-INCENTIVE", "P-EVAL-ACCOUNTING",
                      "P-NO-STAGED-TARGETS", "P-SECTORS-WITHOUT-MEASURES"}
    assert "P-EVAL-MISSING-DATA" in ids


def test_recommendations_answer_the_problems_found(found):
    given = set()
    for f in found.values():
        fired = {p["rule_id"] for p in f.problems}
        for rec in f.recommendations:
            assert rec["addresses"] and set(rec["addresses"]) <= fired
            assert rec["category_label"] and rec["text"]
            given.add(rec["rule_id"])
        for rec in RULES["recommendations"]:
            answered = fired & set(rec["addresses"])
            if not rec.get("condition"):  # one with a condition of its own may stay silent
                assert (rec["id"] in {r["rule_id"] for r in f.recommendations}) == bool(answered)
    # each one given somewhere; international exchange only where the zone already cooperates abroad
    assert given == {r["id"] for r in RULES["recommendations"]} - {"R-INTL-EXCHANGE"}
    for p in found["weak"].problems:
        assert p["category_label"] and p["category"] in ("concept", "evaluation", "policy", "progress")


def test_thresholds_come_from_the_yaml(assessed):
    stricter = copy.deepcopy(RULES)
    rule = next(r for r in stricter["highlights"] if r["id"] == "H-REDUCTION-FAST")
    rule["params"]["min_pct"] = 71  # good reduced by 70 %
    assert not _fired(evaluate_findings(assessed["good"], stricter), "H-REDUCTION-FAST")
    rule["params"]["min_pct"] = 70
    assert _fired(evaluate_findings(assessed["good"], stricter), "H-REDUCTION-FAST")


def test_broken_rules_are_refused_with_every_problem_at_its_line(tmp_path):
    """The schema (schemas/rules.schema.json) and the cross-references (ids, params a condition
    needs, problems a recommendation answers, the framework's indicators) in one refusal."""
    text = RULES_PATH.read_text(encoding="utf-8")
    for old, new in [("condition: staged_plan\n", "condition: staged_plans\n"),
                     ("params: {min_pct: 30}", "params: {}"),
                     ("  - id: P-NO-END-TARGET\n    category: concept", "  - id: P-NO-END-TARGET\n    category: concpet"),
                     ("  - id: P-NO-BOUNDARY\n", "  - id: P-NO-PLAN\n"),
                     ("addresses: [P-NO-TARGETS, P-NO-END", "addresses: [P-NO-TARGET, P-NO-END"),
                     ("{indicator: non_fossil_share_pct, min: 50}", "{indicator: non_fossil_share, min: 50}"),
                     ("params: {max_age_years: 2}", "params: {max_age_years: -2}")]:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def line(start: str, after: int = 0) -> int:
        return next(i for i, x in enumerate(lines) if i >= after and x.strip().startswith(start)) + 1

    with pytest.raises(ConfigError) as exc:
        load_rules(path, framework())
    assert not isinstance(exc.value, UsageError)
    assert exc.value.format_message().splitlines() == [
        f"{path}:{line('condition: staged_plans')}: highlights[0].condition: 'staged_plans' is not one of: "
        + ", ".join(CONDITIONS) + " (did you mean 'staged_plan'?)",
        f"{path}:{line('params: {}', line('- id: H-REDUCTION-FAST'))}: highlights[2].params: "
        "condition 'net_reduction_at_least' needs param 'min_pct'",
        f"{path}:{line('params: {indicator: non_fossil_share,')}: highlights[5].params.indicator: "
        "unknown indicator 'non_fossil_share' (did you mean 'non_fossil_share_pct'?)",
        f"{path}:{line('category: concpet')}: problems[1].category: 'concpet' is not one of: "
        "concept, evaluation, policy, progress (did you mean 'concept'?)",
        f"{path}:{line('- id: P-NO-PLAN', line('- id: P-NO-PLAN'))}: "
        "problems[4].id: 'P-NO-PLAN' is used twice",
        f"{path}:{line('params: {max_age_years: -2}')}: problems[7].params.max_age_years: must be at least 0, not -2",
        f"{path}:{line('addresses: [P-NO-TARGET,')}: recommendations[0].addresses[0]: "
        "unknown problem 'P-NO-TARGET' (did you mean 'P-NO-TARGETS'?)",
        f"{path}:{line('addresses: [P-NO-TARGET,')}: recommendations[0].addresses[3]: unknown problem 'P-NO-BOUNDARY'",
        "configuration refused: 8 problems"]


def test_the_rules_registries_are_the_schemas_enums():
    """schemas/rules.schema.json states the conditions, facts, figures and categories the code has."""
    schema = json.loads((SCHEMAS_DIR / "rules.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]
    items = {kind: schema["properties"][kind]["items"]["properties"] for kind in ("problems", "recommendations")}
    assert defs["condition"]["enum"] == list(CONDITIONS)
    assert defs["facts"]["items"]["enum"] == list(FACTS)
    assert items["recommendations"]["figures"]["enum"] == list(REC_FIGURES)
    assert items["problems"]["category"]["enum"] == list(PROBLEM_CATEGORIES)
    assert items["recommendations"]["category"]["enum"] == list(RECOMMENDATION_CATEGORIES)
    assert set(defs["params"]["properties"]) == {p for names in REQUIRED_PARAMS.values() for p in names} | {
        "max_pace_multiple", "top_sectors", "max_measures", "min_share_pct",  # recommend.py's figures
        "min_score",  # indicator_at_least's optional score floor (praise agrees with the score)
        "max_gap_years"}  # indicator_gains: a gap before the last value longer than this is said


def test_evidence_from_a_workbook_names_the_sheet_and_its_row(tmp_path):
    from openpyxl import load_workbook

    from nzc_report.dataset.workbook import export_workbook

    book = tmp_path / "dataset.xlsx"
    export_workbook(load_dataset(ENGINE), book)
    a = assess_zone(load_dataset(book, indicator_units=FW.units()), "weak", 2024, FW)
    (p,) = _fired(evaluate_findings(a, RULES), "P-MEASURES-SUSPENDED")
    (src,) = p["evidence"]["sources"]
    assert src["file"] == "dataset.xlsx[measures]"
    row = [c.value for c in load_workbook(book)["measures"][src["rows"][0]]]
    assert row[:3] == ["weak", "m2", "电动渡轮"]
