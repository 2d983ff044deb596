"""The sample's zone recommendations, worded, and how many of their sentences are shared.

Used by tests/test_recommendations.py and benchmarks/recommendation_overlap.py:
every sample zone (示例数据) assessed for 2024 with the shipped framework and rules (tests/sampledata.py),
its findings worded in ``lang`` as results.json has them.
"""
from __future__ import annotations

import re
from collections import Counter

from nzc_report.findings import evaluate_findings
from nzc_report.findings.results import indicator_rows
from nzc_report.render.narrative import narrate_findings
from nzc_report.resources import PARAMS_DIR


def sample_results(lang: str = "zh", year: int = 2024) -> dict[str, dict]:
    """zone id → a results-like dict: zone fields, findings and recommendations worded in ``lang``."""
    import yaml

    import sampledata  # the sample's assessments, made once per process and shared read-only

    ds = sampledata.dataset()
    rules = sampledata.rules()
    out = {}
    for z in ds.zone_ids:
        a = sampledata.assessment(z, year)
        f = evaluate_findings(a, rules)
        path = PARAMS_DIR / "zones" / f"{z}.yaml"
        params = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        zone = a.zone
        results = {"zone_id": z, "name": zone["name"], "name_en": zone.get("name_en"), "zone_type": zone["zone_type"],
                   "city": zone.get("city"), "province_name": zone["province_name"],
                   "province_code": zone.get("province_code"),
                   "implementing_body": zone.get("implementing_body"), "plan_document": zone.get("plan_document"),
                   "year": year, "judgements": f.judgements, "indicators": indicator_rows(a),
                   "highlights": f.highlights, "problems": f.problems, "recommendations": f.recommendations,
                   "params": params or {}}
        out[z] = narrate_findings(results, lang)
    return out


def names(results: dict) -> list[str]:
    """The names a sentence may hold that are the zone's own (removed before sentences are compared)."""
    found = [results.get(k) for k in ("name", "name_en", "implementing_body", "city", "province_name")]
    found += [r.get("addressee_name") for r in results.get("recommendations") or []]
    return sorted({n for n in found if n}, key=len, reverse=True)


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。；])|(?<=[.;])\s", text) if s.strip()]


def shared_share(all_results: dict[str, dict]) -> tuple[int, int]:
    """(sentences that another zone also has once names are removed, all recommendation sentences)."""
    by_zone: dict[str, list[str]] = {}
    for z, r in all_results.items():
        ns = names(r)
        out = []
        for rec in r.get("recommendations") or []:
            for s in sentences(rec["text"] or ""):
                for n in ns:
                    s = s.replace(n, "〇")
                out.append(s)
        by_zone[z] = out
    zones_of = Counter(s for z, ss in by_zone.items() for s in set(ss))
    total = sum(len(ss) for ss in by_zone.values())
    shared = sum(1 for ss in by_zone.values() for s in ss if zones_of[s] > 1)
    return shared, total
