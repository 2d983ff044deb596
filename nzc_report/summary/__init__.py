"""Provincial and national summaries: pure synthesis of zones' results.json.

Inputs are the results of the zones that were built, a short record of every
zone in scope (built or not, so counts by type stay true to the dataset and
a summary names the zones it is missing), the build's ranking (ranking.py)
and the synthesis settings (params/summary.yaml). The output holds codes,
names and numbers only; the sentences are in the message catalogues.

    statistics.py  counts, means, ranges by type and province; comparison rows
    findings.py    findings shared by zones (rule and figures), with examples
    focus.py       重点关注: every zone needing attention
    advice.py      recommendations in the source's four parts, with their grounds
    ranking.py     ranking.json
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.vocab import ZONE_TYPES
from nzc_report.results_model import TargetStatus, ZoneResults, read_results
from nzc_report.summary import statistics as st
from nzc_report.summary.advice import CATEGORIES as RECOMMENDATION_CATEGORIES
from nzc_report.summary.advice import recommendations
from nzc_report.summary.findings import PROBLEM_CATEGORIES, problems_by_category, synthesise
from nzc_report.summary.focus import focus_list
from nzc_report.summary.ranking import final_ranks, rank_zones
from nzc_report.yamlfile import read_checked

STATUS_ORDER = st.STATUS_ORDER
__all__ = ["PROBLEM_CATEGORIES", "RECOMMENDATION_CATEGORIES", "STATUS_ORDER", "load_config", "load_results",
           "national_summary", "province_summary", "rank_zones", "zones_table"]


def load_config(path: str | Path) -> dict:
    """The synthesis settings (params/summary.yaml), checked against schemas/summary.schema.json;
    ConfigError otherwise (the rule ids it names are checked against the rules by nzc_report.config)."""
    return read_checked(path, "summary")


def load_results(paths: list[str | Path]) -> list[ZoneResults]:
    """The zones' results.json, validated, as the typed model, in zone order."""
    return sorted((read_results(p) for p in paths), key=lambda r: r.zone_id)


def as_results(results: Sequence[ZoneResults | dict]) -> list[ZoneResults]:
    """The typed model of each zone's results (a results.json object as read is converted here, once)."""
    return [r if isinstance(r, ZoneResults) else ZoneResults.from_dict(r) for r in results]


def by_type(zones_meta: list[dict]) -> list[dict]:
    counts = Counter(z["zone_type"] for z in zones_meta)
    return [{"zone_type": t, "label": ZONE_TYPES[t], "count": counts[t]} for t in ZONE_TYPES if counts.get(t)]


def _missing(zones_meta: list[dict]) -> list[dict]:
    return [{"zone_id": z["zone_id"], "name": z["name"], **({"name_en": z["name_en"]} if z.get("name_en") else {}),
             "status": z.get("status"), "reason": z.get("reason")}
            for z in zones_meta if z.get("status") != "built"]


ZONE_TABLE_COLUMNS = ["zone_id", "name", "zone_type_label", "score", "grade", "rank_overall", "rank_within_type",
                      "net_reduction_pct", "worst_status"]


def zones_table(summary: dict):
    """The summary's zones as a table, for the working paper (empty when none was built)."""
    import pandas as pd

    return pd.DataFrame(summary["zones"], columns=ZONE_TABLE_COLUMNS)


def _common(results: list[ZoneResults], zones_meta: list[dict], year: int, dataset: dict, config: dict,
            ranking: dict | None) -> dict:
    on_track = config.get("on_track_statuses", ["on_track", "achieved"])
    n = config.get("examples", 3)
    if ranking is None:  # a summary built on its own ranks the zones it has
        ranking = rank_zones([{"zone_id": r.zone_id, "zone_type": r.zone_type, "score": r.score,
                               "framework": r.framework.get("id"),
                               "outcome_status": r.outcome.status if r.outcome is not None else None,
                               "provisional": bool(r.grade_provisional), "reference_only": r.reference_only}
                              for r in results])["zones"]
    # the annex places a zone among final grades: a provisional one is shown, not ranked (issue 29)
    ranking = final_ranks(ranking)
    problems = synthesise(results, "problems", config, len(results))
    # scores, grades and rankings of different frameworks are never pooled (issue 30): the
    # principal framework's zones give the means, grade counts and the strongest; every
    # framework's own figures are in by_framework
    pooled = st.scored_pool(results)
    # a zone whose gate or eligibility decided is counted by its conclusion, not by its score
    pool = {r.zone_id for r in pooled if _rated(r)}
    overall = st.group_stats(results, zones_meta, on_track, pool)
    types = st.by_zone_type(results, zones_meta, on_track, pool)
    return {
        "year": year,
        "zones_total": len(zones_meta),
        "zones_built": len(results),
        "missing": _missing(zones_meta),
        "by_type": by_type(zones_meta),
        "overall": overall,
        "score_stats": overall["score"], "reduction_stats": overall["reduction"],
        "reduced": sum(1 for r in results if (st.reduction(r) or 0) > 0),
        "rising": sum(1 for r in results if (red := st.reduction(r)) is not None and red < 0),
        "by_framework": by_framework(results, n),
        "principal_framework": st.principal_framework(results),
        "grades": dict(Counter(r.grade for r in pooled if r.grade)),
        "grade_order": config.get("grade_order") or [],
        "provisional": sum(1 for r in pooled if r.grade_provisional),
        "targets": st.target_counts(results, on_track),
        "zones_all_on_track": sum(1 for r in results if r.targets and all(t.status in on_track for t in r.targets)),
        "zones_without_targets": sum(1 for r in results if not r.targets),
        "type_table": types,
        "type_extremes": st.extremes(types, "zone_type"),
        "top": st.top_zones([r for r in pooled if r.zone_id in pool], n),
        "movers": st.movers(results, n),
        "reduction_pooled": st.pooled_reduction(results),
        "score_causes": st.score_causes(results),
        "zones": sorted((_alone(st.zone_entry(r, ranking), r, results) for r in results),
                        key=lambda z: (z["rank_overall"] is None, z["rank_overall"] or 0, z["zone_id"])),
        "highlights": synthesise(results, "highlights", config, len(results)),
        "problems": problems,
        "problems_by_category": problems_by_category(results, problems),
        "focus": focus_list(results, config.get("focus_target_statuses", ["missed", "off_track"])),
        "recommendations": recommendations(results, config),
        "judgements": judgement_counts(results),
        "dataset": dataset,
    }


def _rated(r: ZoneResults) -> bool:
    return r.score is not None and (r.outcome is None or r.outcome.status == "rated")


def _alone(entry: dict, r: ZoneResults, results: list[ZoneResults]) -> dict:
    """A zone rated under a framework no other zone of a summary of several frameworks is rated
    under says so (``rank_alone``) rather than rank first of one (issue 30); a zone whose gate or
    eligibility decided carries its outcome's status (not drawn by its score)."""
    if r.score is not None and not _rated(r) and r.outcome is not None:
        entry = {**entry, "outcome_status": r.outcome.status}
    if len({st.framework_id(x) for x in results}) < 2 or not _rated(r):
        return entry
    if sum(1 for x in results if _rated(x) and st.framework_id(x) == st.framework_id(r)) > 1:
        return entry
    return {**entry, "rank_overall": None, "rank_within_type": None, "rank_alone": True}


def _grade_order(results: list[ZoneResults]) -> list[str]:
    """A framework's grades best first (its bands), then its other outcome labels as seen."""
    order: list[str] = []
    for r in results:
        for b in sorted((r.framework or {}).get("grade_bands") or [], key=lambda b: -(b.get("min") or 0)):
            if b.get("grade") and b["grade"] not in order:
                order.append(b["grade"])
    return order + sorted({r.grade for r in results if r.grade and r.grade not in order})


def by_framework(results: list[ZoneResults], n_top: int = 3) -> list[dict]:
    """Each framework the zones were assessed under (issue 30), most zones first: its zones, and
    its own score statistics, grade counts and strongest zones. A framework with one zone is said
    to have one (``single``), and is neither ranked nor averaged against another's."""
    groups: dict[str | None, list[ZoneResults]] = {}
    for r in results:
        groups.setdefault(st.framework_id(r), []).append(r)
    principal = st.principal_framework(results)
    out = []
    for fid, rs in sorted(groups.items(), key=lambda kv: (kv[0] != principal, -len(kv[1]), str(kv[0]))):
        fw = rs[0].framework or {}
        grades = Counter(r.grade for r in rs if r.grade)
        rated = [r for r in rs if _rated(r)]
        out.append({"id": fid, "title": fw.get("title"), "title_en": fw.get("title_en"), "count": len(rs),
                    "principal": fid == principal, "single": len(rs) == 1,
                    "score": st.describe([r.score for r in rated]),  # a gate-decided zone's score is no rating
                    "grades": [{"grade": g, "grade_en": next((r.grade_en for r in rs if r.grade == g), None),
                                "n": grades[g]} for g in _grade_order(rs) if grades.get(g)],
                    "provisional": sum(1 for r in rs if r.grade_provisional),
                    # its document not known in force on the report's date: for reference, not ranked
                    "reference_only": sum(1 for r in rs if r.reference_only),
                    "decided_by_gate": sum(1 for r in rs if r.outcome is not None and r.outcome.decided_by == "gate"),
                    "zones": [{"zone_id": r.zone_id, "name": r.name, "name_en": r.name_en, "score": r.score,
                               "grade": r.grade, "grade_en": r.grade_en} for r in rs],
                    "top": st.top_zones(rated, n_top) if len(rated) > 1 else []})
    return out


def judgement_counts(results: list[ZoneResults]) -> dict[str, dict[str, list[str]]]:
    """Per subject, the zones of each judgement (cli.md v3): one judgement a zone and subject,
    so no zone is counted on both sides of one subject."""
    out: dict[str, dict[str, list[str]]] = {}
    for r in results:
        for subject, judgement in r.judgements.items():
            out.setdefault(subject, {}).setdefault(judgement.value, []).append(r.zone_id)
    return {s: {j: sorted(z) for j, z in sorted(by.items())} for s, by in sorted(out.items())}


def province_summary(results: Sequence[ZoneResults | dict], zones_meta: list[dict], province_code: str, year: int,
                     dataset: dict, config: dict | None = None, ranking: dict | None = None) -> dict:
    config = config or {}
    models = as_results(results)
    return {
        "kind": "province",
        "province_code": province_code,
        "province_name": PROVINCE_NAMES[province_code],
        "background": (config.get("province_background") or {}).get(province_code),
        **_common(models, zones_meta, year, dataset, config, ranking),
    }


def national_summary(results: Sequence[ZoneResults | dict], zones_meta: list[dict], year: int, dataset: dict,
                     config: dict | None = None, ranking: dict | None = None) -> dict:
    config = config or {}
    results = as_results(results)
    on_track = config.get("on_track_statuses", ["on_track", "achieved"])
    provinces = []
    pool = {r.zone_id for r in st.scored_pool(results) if _rated(r)}  # scores of one framework only (issue 30)
    for row in st.by_province(results, zones_meta, on_track, pool):
        code = row["province_code"]
        meta = [z for z in zones_meta if z["province_code"] == code]
        res = [r for r in results if r.province_code == code]
        provinces.append({
            **row, "zones_total": len(meta), "zones_built": len(res), "by_type": by_type(meta),
            "score_stats": row["score"], "reduction_stats": row["reduction"],
            "best": next(iter(st.top_zones([r for r in res if r.zone_id in pool], 1)), None),
            "milestones_achieved": sum(1 for r in res if any(t.status == TargetStatus.ACHIEVED for t in r.targets)),
            "focus": sum(1 for z in focus_list(res, config.get("focus_target_statuses", ["missed", "off_track"]))["zones"]),
            "background": (config.get("province_background") or {}).get(code),
        })
    common = _common(results, zones_meta, year, dataset, config, ranking)
    return {"kind": "national", "provinces": provinces,
            "province_extremes": st.extremes(provinces, "province_code"), **common}
