"""重点关注: every zone that needs attention, never truncated.

A zone is listed when it fails a gate of its framework (a veto: the outcome is
decided by it whatever the score), its net emissions rose above the baseline, a
target is missed or off track, a measure is suspended, or its grade is provisional.
Read from the zones' structured fields (gates, emissions, targets, grade_provisional)
and, for suspended measures, from the evidence of the rule that reports them
(results.json carries no measures table).
"""
from __future__ import annotations

from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.results_model import ZoneResults
from nzc_report.summary.findings import metric_name, metric_name_en

SUSPENDED_RULE = "P-MEASURES-SUSPENDED"
KINDS = ["gate", "rising", "targets", "suspended", "provisional"]


def suspended_measures(r: ZoneResults) -> dict | None:
    """How many measures are suspended and their names (evidence ``measures``: a list of
    {name, sector, ...}, or, from older results, the names as one string)."""
    for f in r.problems:
        if f.rule_id == SUSPENDED_RULE:
            figures = f.figures
            measures = figures.get("measures")
            if isinstance(measures, list):
                names = [m.get("name") or m.get("measure_id") for m in measures if isinstance(m, dict)]
            else:
                names = [measures] if measures else []
            return {"count": figures.get("count") or len(names) or None, "measures": [n for n in names if n]}
    return None


def _gates_failed(r: ZoneResults) -> dict | None:
    """The gates the zone fails and the outcome they decide (results.json v3 ``gates``, ``outcome``)."""
    failed = [{"id": g.id, "label": g.label, "label_en": g.extra.get("label_en"), "value": g.value,
               "threshold": g.threshold, "unit": g.extra.get("unit"), "comparison": g.extra.get("comparison")}
              for g in r.gates or () if g.passed is False]
    if not failed:
        return None
    outcome = r.outcome
    return {"gates": failed, "outcome": outcome.label if outcome else None,
            "outcome_en": outcome.extra.get("label_en") if outcome else None}


def zone_focus(r: ZoneResults, target_statuses: list[str]) -> dict:
    net = r.emissions.net_reduction_pct if r.emissions is not None else None
    targets = sorted(({"target_year": t.target_year, "metric": t.metric,
                       "metric_label": t.metric_label or metric_name(r, t.metric),
                       "metric_label_en": metric_name_en(r, t.metric),
                       "status": t.status.value, "target_value": t.target_value, "current_value": t.current_value}
                      for t in r.targets if t.status in target_statuses),
                     key=lambda t: (t["target_year"], t["metric"]))
    return {
        "gate": _gates_failed(r),
        "rising": {"increase_pct": -net} if net is not None and net < 0 else None,
        "targets": targets or None,
        "suspended": suspended_measures(r),
        "provisional": {"coverage_pct": r.coverage_pct, "score": r.score} if r.grade_provisional else None,
    }


def focus_list(results: list[ZoneResults], target_statuses: list[str]) -> dict:
    """{counts: {kind: zones}, zones: [every zone with at least one item]} by province, then the lowest
    score first (a score for reference only, or none, after the others), then name: not by id, whose
    pinyin order read as no order at all (慈溪 29.5, 江山 29.3, 黄岩 13.1, 梅山 54.5 …)."""
    rows = []
    for r in results:
        items = zone_focus(r, target_statuses)
        if any(items.values()):
            rows.append({"zone_id": r.zone_id, "name": r.name, "name_en": r.name_en,
                         "province_code": r.province_code,
                         "province_name": PROVINCE_NAMES.get(r.province_code), "zone_type": r.zone_type,
                         "score": r.score, **items,
                         # its framework's document not known in force: its score is for reference (issue 30)
                         **({"reference_only": True} if r.reference_only else {})})
    rows.sort(key=lambda z: (z["province_code"], z.get("reference_only", False) or z["score"] is None,
                             z["score"] if z["score"] is not None else 0.0, z["name"], z["zone_id"]))
    return {"counts": {k: sum(1 for z in rows if z[k]) for k in KINDS}, "zones": rows}
