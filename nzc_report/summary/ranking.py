"""Every zone's rank by score, overall and within its zone type (OUT/<year>/ranking.json).

Contract: ../shared/spec/cli.md v2, "ranking.json of a build". Highest score
first; equal scores share a rank and the next rank skips (1, 2, 2, 4); a zone
without a score is listed with null ranks. ``overall_of`` counts every zone
ranked here and ``within_type_of`` every zone of that type, scored or not.

Scores are compared at the precision the reports print (``digits``), so two
zones shown with the same score never get different ranks.
"""
from __future__ import annotations

from collections import Counter

SCORE_DIGITS = 1


def _competition_ranks(scores: dict[str, float], digits: int) -> dict[str, int]:
    """1, 2, 2, 4: a zone's rank is one more than the number of zones scoring higher."""
    shown = {z: round(s, digits) for z, s in scores.items()}
    return {z: 1 + sum(1 for other in shown.values() if other > s) for z, s in shown.items()}


def rank_zones(zones: list[dict], digits: int = SCORE_DIGITS) -> dict:
    """``zones``: [{zone_id, zone_type, score (None when not scored)}] → the ranking.json object."""
    scored = {z["zone_id"]: z["score"] for z in zones if z.get("score") is not None}
    overall = _competition_ranks(scored, digits)
    types = {z["zone_id"]: z["zone_type"] for z in zones}
    type_counts = Counter(types.values())
    within: dict[str, int] = {}
    for zone_type in type_counts:
        within.update(_competition_ranks({z: s for z, s in scored.items() if types[z] == zone_type}, digits))
    out = {}
    for z in sorted(zones, key=lambda z: z["zone_id"]):
        zid = z["zone_id"]
        out[zid] = {"score": z.get("score"), "overall": overall.get(zid), "overall_of": len(zones),
                    "zone_type": z["zone_type"], "within_type": within.get(zid),
                    "within_type_of": type_counts[z["zone_type"]]}
    return {"zones": out}
