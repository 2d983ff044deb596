"""The annual cycle: `previous`, `changes` and 数据修订, hand-computed on two years."""
from __future__ import annotations

from nzc_report.assess import assess_zone, load_framework
from nzc_report.dataset import load_dataset
from nzc_report.findings import evaluate_findings, load_rules
from nzc_report.findings.annual import (
    has_emissions_in, previous_block, recompute_previous, revisions, year_changes,
)
from nzc_report.findings.results import build_results
from nzc_report.resources import PARAMS_DIR


def _results(year, score, grade, net, reduction, problems, targets, indicators):
    return {
        "year": year, "data_year": year, "score": score, "grade": grade, "grade_provisional": False,
        "coverage_pct": 100.0,
        "emissions": {"baseline_net_tco2e": 15000.0, "net_tco2e": net, "gross_tco2e": net,
                      "removals_tco2e": 0.0, "net_reduction_pct": reduction},
        "problems": [{"rule_id": r, "category": c, "text": "…", "evidence": {}} for r, c in problems],
        "targets": [{"metric": m, "target_year": ty, "status": s, "current_value": v} for m, ty, s, v in targets],
        "indicators": [{"id": i, "applies": True, "value": v, "score": sc, "unit": "%", "name_zh": i, "name_en": i}
                       for i, v, sc in indicators],
    }


# Year 2023 and 2024 of one zone, by hand:
# - problem P-A fired in 2023 only (resolved), P-B in both (persisting), P-C in 2024 only (new);
# - the 2025 reduction target moved from at_risk to on_track, the 2030 one stayed on_track;
# - indicator x moved by +30 points, y by −5, z not at all, w is scored in 2024 only.
Y2023 = _results(2023, 52.5, "不合格", 12000.0, 20.0,
                 [("P-A", "policy"), ("P-B", "progress")],
                 [("net_reduction_pct", 2025, "at_risk", 20.0), ("net_reduction_pct", 2030, "on_track", 20.0)],
                 [("x", 30.0, 40.0), ("y", 5.0, 50.0), ("z", 1.0, 10.0)])
Y2024 = _results(2024, 61.0, "合格", 10500.0, 30.0,
                 [("P-B", "progress"), ("P-C", "evaluation")],
                 [("net_reduction_pct", 2025, "on_track", 30.0), ("net_reduction_pct", 2030, "on_track", 30.0)],
                 [("x", 45.0, 70.0), ("y", 4.0, 45.0), ("z", 1.0, 10.0), ("w", 3.0, 60.0)])


def test_previous_block_has_the_contract_keys_and_problems_by_rule():
    prev = previous_block(Y2023)
    assert {"year", "data_year", "emissions", "targets", "score", "grade", "problems"} <= prev.keys()
    assert prev["year"] == 2023 and prev["score"] == 52.5 and prev["grade"] == "不合格"
    assert [(p["rule_id"], p["category"]) for p in prev["problems"]] == [("P-A", "policy"), ("P-B", "progress")]


def test_changes_resolved_persisting_new_and_target_status():
    ch = year_changes(Y2024, previous_block(Y2023))
    assert ch["score_delta"] == 8.5
    assert (ch["grade_before"], ch["grade_after"]) == ("不合格", "合格")
    assert ch["problems_resolved"] == ["P-A"]
    assert ch["problems_persisting"] == ["P-B"]
    assert ch["problems_new"] == ["P-C"]
    assert ch["net_tco2e_delta"] == -1500.0
    assert ch["net_reduction_pct_delta"] == 10.0
    t2025, t2030 = ch["targets"]
    assert (t2025["status_before"], t2025["status_after"], t2025["changed"]) == ("at_risk", "on_track", True)
    assert (t2030["status_before"], t2030["status_after"], t2030["changed"]) == ("on_track", "on_track", False)
    # x +30 points first, then y −5; z did not move, w has no score last year
    assert [(m["id"], m["score_delta"]) for m in ch["indicator_movers"]] == [("x", 30.0), ("y", -5.0)]
    assert ch["indicator_movers"][0]["value_before"] == 30.0 and ch["indicator_movers"][0]["value_after"] == 45.0


def test_no_previous_year_means_no_changes():
    assert year_changes(Y2024, None) is None


def test_revisions_list_only_the_figures_that_differ():
    published = previous_block(Y2023)
    recomputed = previous_block(Y2023)
    assert revisions(published, recomputed) == []
    recomputed["emissions"]["net_tco2e"] = 12100.0
    recomputed["targets"][0]["current_value"] = 19.5
    assert revisions(published, recomputed) == [
        {"field": "emissions.net_tco2e", "label": "net_tco2e", "published": 12000.0, "recomputed": 12100.0},
        {"field": "targets.net_reduction_pct.2025.current_value", "label": "target_current_value",
         "published": 20.0, "recomputed": 19.5},
    ]
    # JSON rounding is not a revision
    recomputed = previous_block(Y2023)
    recomputed["score"] = 52.5 + 1e-12
    assert revisions(published, recomputed) == []


def test_recomputed_previous_year_uses_only_the_data_up_to_that_year(tiny_dir):
    """alpha reports 2015, 2016, 2018, 2019: its 2019 report's previous year is 2018, computed
    from the same dataset as a 2018 assessment would be; 2017 has no data, so 2018's previous is None."""
    fw = load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
    ds = load_dataset(tiny_dir, indicator_units=fw.units())
    rules = load_rules(PARAMS_DIR / "rules.yaml")
    prev = recompute_previous(ds, "alpha", 2019, fw, rules)
    a2018 = assess_zone(ds, "alpha", 2018, fw)
    direct = previous_block(build_results(ds, a2018, evaluate_findings(a2018, rules)))
    assert prev == direct
    assert prev["year"] == 2018 and prev["data_year"] == 2018
    # 2018: gross 7000 + 4000 = 11000 against 15000 in 2015
    assert prev["emissions"]["gross_tco2e"] == 11000.0
    assert has_emissions_in(ds, "alpha", 2018) and not has_emissions_in(ds, "alpha", 2017)
    assert recompute_previous(ds, "alpha", 2018, fw, rules) is None


def test_a_too_old_value_replaced_by_newer_data_is_filed_data_not_a_change_of_value():
    # 绿色建筑占比 (zj-huaxi): 40 % of 2020 stood for 2023 (P-EVAL-STALE-DATA), 75 % of 2024 replaced it;
    # it read as 数值变化 (+5.6) where it is filed data. By hand: weights g 4, k 6 (total 10);
    # g 50 → 93.75 points (+43.75 × 0.4 = +17.5, newly reported), k 60 → 70 (+10 × 0.6 = +6, values).
    def year(y, g_year, g_value, g_score, k_score, stale):
        return {"year": y, "score": 0.4 * g_score + 0.6 * k_score,
                "problems": [{"rule_id": "P-EVAL-STALE-DATA", "category": "evaluation",
                              "claim": {"subject": "data:g", "polarity": "negative"}}] if stale else [],
                "indicators": [{"id": "g", "applies": True, "weight": 4, "reported": True, "year": g_year,
                                "value": g_value, "score": g_score},
                               {"id": "k", "applies": True, "weight": 6, "reported": True, "year": y,
                                "value": 1.0, "score": k_score}]}
    from nzc_report.findings.annual import data_refreshed, score_change_by_cause
    then, now = year(2023, 2020, 40.0, 50.0, 60.0, True), year(2024, 2024, 75.0, 93.75, 70.0, False)
    assert data_refreshed(now, then) == {"g"}
    c = score_change_by_cause(now, then)
    assert (c["newly_reported"], c["values"], c["framework"]) == (17.5, 6.0, 0.0)
    # the same move of a value that was current last year is a change of value
    fresh = year(2023, 2023, 40.0, 50.0, 60.0, False)
    assert data_refreshed(now, fresh) == set()
    assert score_change_by_cause(now, fresh)["values"] == 23.5
    # an older year still stale this year, or no newer year, is not filed data
    assert data_refreshed({**now, "problems": then["problems"]}, then) == set()
    assert data_refreshed(year(2024, 2020, 40.0, 50.0, 70.0, False), then) == set()
