"""Provincial and national summaries: pure aggregation of zones' results.json.

Inputs are the results of the zones that were built, plus a short record of
every zone in scope (built or not), so that counts by type stay true to the
dataset and a summary can name the zones it is missing.
"""
from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from pathlib import Path

from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.vocab import ZONE_TYPES

STATUS_ORDER = ["missed", "off_track", "at_risk", "no_data", "on_track", "achieved"]
PROBLEM_CATEGORIES = ["concept", "evaluation", "policy", "progress"]
RECOMMENDATION_CATEGORIES = ["guidance", "supporting_policy", "pilot", "international"]


def load_results(paths: list[str | Path]) -> list[dict]:
    out = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    return sorted(out, key=lambda r: r["zone_id"])


def _stats(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"n": len(values), "mean": statistics.fmean(values), "median": statistics.median(values),
            "min": min(values), "max": max(values)}


def score_and_reduction_stats(results: list[dict]) -> dict:
    scores = [r["score"] for r in results if r.get("score") is not None]
    reductions = [r["emissions"]["net_reduction_pct"] for r in results
                  if r["emissions"].get("net_reduction_pct") is not None]
    return {"score_stats": _stats(scores), "reduction_stats": _stats(reductions)}


def zone_row(r: dict) -> dict:
    statuses = Counter(t["status"] for t in r.get("targets", []))
    worst = next((s for s in STATUS_ORDER if statuses.get(s)), None)
    return {
        "zone_id": r["zone_id"], "name": r["name"], "zone_type": r["zone_type"],
        "zone_type_label": ZONE_TYPES.get(r["zone_type"], r["zone_type"]),
        "province_code": r["province_code"],
        "score": r.get("score"), "grade": r.get("grade"),
        "net_reduction_pct": r["emissions"].get("net_reduction_pct"),
        "data_year": r["data_year"],
        "targets": len(r.get("targets", [])),
        "target_status": {s: statuses[s] for s in STATUS_ORDER if statuses.get(s)},
        "worst_status": worst,
        "problems": len(r.get("problems", [])),
        "highlights": len(r.get("highlights", [])),
    }


def by_type(zones_meta: list[dict]) -> list[dict]:
    counts = Counter(z["zone_type"] for z in zones_meta)
    return [{"zone_type": t, "label": ZONE_TYPES[t], "count": counts[t]} for t in ZONE_TYPES if counts.get(t)]


def reduction_by_type(results: list[dict]) -> list[dict]:
    groups: dict[str, list[float]] = defaultdict(list)
    for r in results:
        v = r["emissions"].get("net_reduction_pct")
        if v is not None:
            groups[r["zone_type"]].append(v)
    return [{"zone_type": t, "label": ZONE_TYPES[t], **_stats(groups[t])} for t in ZONE_TYPES if groups.get(t)]


def common_findings(results: list[dict], key: str, limit: int | None = None) -> list[dict]:
    """Findings grouped by rule, with how many zones each affects and an example."""
    zones: dict[str, list[str]] = defaultdict(list)
    example: dict[str, dict] = {}
    for r in results:
        for f in r.get(key, []):
            rid = f["rule_id"]
            if r["zone_id"] not in zones[rid]:
                zones[rid].append(r["zone_id"])
            example.setdefault(rid, {"zone_id": r["zone_id"], "name": r["name"], "text": f["text"],
                                     "category": f.get("category")})
    rows = [{"rule_id": rid, "category": example[rid]["category"], "zones": len(ids), "zone_ids": ids,
             "example": example[rid]} for rid, ids in zones.items()]
    rows.sort(key=lambda x: (-x["zones"], x["rule_id"]))
    return rows[:limit] if limit else rows


def common_recommendations(results: list[dict]) -> list[dict]:
    recs: dict[str, dict] = {}
    for r in results:
        for rec in r.get("recommendations", []):
            rid = rec.get("rule_id") or rec["text"]
            entry = recs.setdefault(rid, {"rule_id": rec.get("rule_id"), "category": rec["category"],
                                          "text": rec["text"], "zone_ids": [], "addresses": []})
            entry["zone_ids"].append(r["zone_id"])
            entry["addresses"] = sorted(set(entry["addresses"]) | set(rec.get("addresses", [])))
    rows = [{**e, "zones": len(e["zone_ids"])} for e in recs.values()]
    rows.sort(key=lambda x: (RECOMMENDATION_CATEGORIES.index(x["category"])
                             if x["category"] in RECOMMENDATION_CATEGORIES else 99, -x["zones"], x["text"]))
    return rows


def _missing(zones_meta: list[dict]) -> list[dict]:
    return [{"zone_id": z["zone_id"], "name": z["name"], "status": z.get("status"), "reason": z.get("reason")}
            for z in zones_meta if z.get("status") != "built"]


ZONE_TABLE_COLUMNS = ["zone_id", "name", "zone_type_label", "score", "grade", "net_reduction_pct", "worst_status"]


def zones_table(summary: dict):
    """The summary's zones as a table, for the working paper (empty when none was built)."""
    import pandas as pd

    return pd.DataFrame(summary["zones"], columns=ZONE_TABLE_COLUMNS)


def province_summary(results: list[dict], zones_meta: list[dict], province_code: str, year: int,
                     dataset: dict) -> dict:
    return {
        "kind": "province",
        "province_code": province_code,
        "province_name": PROVINCE_NAMES[province_code],
        "year": year,
        "zones_total": len(zones_meta),
        "zones_built": len(results),
        "missing": _missing(zones_meta),
        "by_type": by_type(zones_meta),
        "zones": [zone_row(r) for r in results],
        **score_and_reduction_stats(results),
        "reduction_by_type": reduction_by_type(results),
        "grades": dict(Counter(r.get("grade") for r in results if r.get("grade"))),
        "target_status": dict(Counter(t["status"] for r in results for t in r.get("targets", []))),
        "common_highlights": common_findings(results, "highlights"),
        "common_problems": common_findings(results, "problems"),
        "recommendations": common_recommendations(results),
        "dataset": dataset,
    }


def national_summary(results: list[dict], zones_meta: list[dict], year: int, dataset: dict) -> dict:
    provinces = []
    for code in sorted({z["province_code"] for z in zones_meta}):
        meta = [z for z in zones_meta if z["province_code"] == code]
        res = [r for r in results if r["province_code"] == code]
        provinces.append({
            "province_code": code, "province_name": PROVINCE_NAMES[code],
            "zones_total": len(meta), "zones_built": len(res),
            "by_type": by_type(meta),
            "zone_names": [z["name"] for z in meta],
            **score_and_reduction_stats(res),
            "top_highlights": common_findings(res, "highlights", limit=3),
        })
    problems = common_findings(results, "problems")
    by_category = {}
    for cat in PROBLEM_CATEGORIES:
        rows = [p for p in problems if p["category"] == cat]
        affected = sorted({z for p in rows for z in p["zone_ids"]})
        by_category[cat] = {"zones": len(affected), "zone_ids": affected, "rules": rows}
    recs = common_recommendations(results)
    recs_by_category = {cat: [r for r in recs if r["category"] == cat] for cat in RECOMMENDATION_CATEGORIES}
    return {
        "kind": "national",
        "year": year,
        "zones_total": len(zones_meta),
        "zones_built": len(results),
        "missing": _missing(zones_meta),
        "by_type": by_type(zones_meta),
        "provinces": provinces,
        **score_and_reduction_stats(results),
        "reduction_by_type": reduction_by_type(results),
        "grades": dict(Counter(r.get("grade") for r in results if r.get("grade"))),
        "target_status": dict(Counter(t["status"] for r in results for t in r.get("targets", []))),
        "zones": [zone_row(r) for r in results],
        "highlights": common_findings(results, "highlights"),
        "problems_by_category": by_category,
        "recommendations_by_category": recs_by_category,
        "dataset": dataset,
    }
