"""Recommendations of a summary, in the source report's four parts, grounded in counts.

Each item (params/summary.yaml ``recommendations``) answers findings; its
grounds are the number of zones where each of those findings holds. The
sentence that asks the national level or the provincial commission is chosen
by the template from the catalogue; here only codes and counts.
"""
from __future__ import annotations

from nzc_report.results_model import ZoneResults
from nzc_report.summary.findings import zones_with

CATEGORIES = ["guidance", "supporting_policy", "pilot", "international"]


def _ground(results: list[ZoneResults], ground: str) -> dict:
    if ground.startswith("not_done:"):
        subject = ground.split(":", 1)[1]
        judged = {r.zone_id: r.judgement(subject) for r in results}
        no = sorted(z for z, j in judged.items() if j == "negative")
        return {"code": ground, "rule_id": None, "n": len(no), "zone_ids": no,
                "with": sum(1 for j in judged.values() if j in ("positive", "mixed")),
                "unreported": sum(1 for j in judged.values() if j in ("not_reported", None))}
    if ground.startswith("without:"):
        rule = ground.split(":", 1)[1]
        have = zones_with(results, "highlights", rule)
        return {"code": ground, "rule_id": rule, "n": len(results) - len(have), "with": len(have),
                "zone_ids": sorted({r.zone_id for r in results} - set(have))}
    kind = "highlights" if ground.startswith("H-") else "problems"
    ids = zones_with(results, kind, ground)
    out: dict = {"code": ground, "rule_id": ground, "n": len(ids), "zone_ids": ids}
    items = mechanisms_named(results, ground)
    if items:  # which mechanisms the finding names, so the advice names only those (P-EVAL-ACCOUNTING)
        out["items"] = items
    return out


def mechanisms_named(results: list[ZoneResults], rule_id: str) -> dict[str, int]:
    """Per mechanism a rule's problems name (evidence items with a ``mechanism``), the number of
    zones: P-EVAL-ACCOUNTING names statistical accounting in some zones and verification in
    others, and the advice answers what the data says is lacking, nothing more."""
    zones: dict[str, set[str]] = {}
    for r in results:
        for f in r.problems:
            if f.rule_id != rule_id:
                continue
            for item in f.figures.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("mechanism"), str):
                    zones.setdefault(item["mechanism"], set()).add(r.zone_id)
    return {m: len(z) for m, z in sorted(zones.items())}


def recommendations(results: list[ZoneResults], config: dict) -> dict[str, list[dict]]:
    out = {}
    for cat in CATEGORIES:
        items = []
        for item in (config.get("recommendations") or {}).get(cat, []):
            grounds = [_ground(results, g) for g in item["grounds"]]
            held = [g for g in grounds if g["n"]]
            if not held:
                continue
            zones = sorted({z for g in held for z in g["zone_ids"]})
            items.append({"code": item["code"], "grounds": held, "zones": len(zones), "zone_ids": zones})
        out[cat] = items
    return out
