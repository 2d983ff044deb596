"""Every zone's rank by score, overall and within its zone type (OUT/<year>/ranking.json).

Contract: ../shared/spec/cli.md v2, "ranking.json of a build". Highest score
first; equal scores share a rank and the next rank skips (1, 2, 2, 4); a zone
without a score is listed with null ranks. ``overall_of`` counts every zone
ranked here and ``within_type_of`` every zone of that type, scored or not.

Version 3 (issue 30): zones are ranked only against zones assessed under the
same framework (``framework``: its id; a zone without one is in the group of
zones without one). ``overall`` and ``overall_of`` are then within that
framework, and ``by_framework`` counts the zones under each. A zone whose
framework's gate or eligibility decided its outcome (``outcome_status`` other
than ``rated``) is listed, not ranked by its score.

A zone whose grade is provisional (``provisional`` in, issue 29) is ranked as before and
marked ``"provisional": true``, so that a reader of the ranking can rank the final grades
among themselves: the zone report (render/zone_view.PeerRank) and the portal do.

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
    """``zones``: [{zone_id, zone_type, score (None when not scored), framework, outcome_status and
    provisional (optional)}] → the ranking.json object."""
    frameworks = {z["zone_id"]: z.get("framework") for z in zones}
    scored = {z["zone_id"]: z["score"] for z in zones
              if z.get("score") is not None and z.get("outcome_status") in (None, "rated")}
    types = {z["zone_id"]: z["zone_type"] for z in zones}
    group_counts = Counter(frameworks.values())
    type_counts = Counter((frameworks[z], t) for z, t in types.items())
    overall: dict[str, int] = {}
    within: dict[str, int] = {}
    for fw in group_counts:
        overall.update(_competition_ranks({z: s for z, s in scored.items() if frameworks[z] == fw}, digits))
    for fw, zone_type in type_counts:
        within.update(_competition_ranks({z: s for z, s in scored.items()
                                          if frameworks[z] == fw and types[z] == zone_type}, digits))
    out = {}
    for z in sorted(zones, key=lambda z: z["zone_id"]):
        zid = z["zone_id"]
        fw = frameworks[zid]
        out[zid] = {"score": z.get("score"), "overall": overall.get(zid), "overall_of": group_counts[fw],
                    "zone_type": z["zone_type"], "within_type": within.get(zid),
                    "within_type_of": type_counts[(fw, z["zone_type"])]}
        if fw is not None:
            out[zid]["framework"] = fw
        if z.get("provisional"):
            out[zid]["provisional"] = True
    result: dict = {"zones": out}
    if any(fw is not None for fw in frameworks.values()):
        result["by_framework"] = {str(k): v for k, v in sorted(group_counts.items(), key=lambda kv: str(kv[0]))}
    return result
