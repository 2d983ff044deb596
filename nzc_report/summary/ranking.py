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
    """``zones``: [{zone_id, zone_type, score (None when not scored), framework, outcome_status,
    provisional and reference_only (optional)}] → the ranking.json object. A zone either of the two
    marks is ``provisional`` (shown, not ranked among final results); ``reference_only`` says why."""
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
        if z.get("provisional") or z.get("reference_only"):
            out[zid]["provisional"] = True  # not ranked among final results
        if z.get("reference_only"):  # its framework's document not known in force on the report's date
            out[zid]["reference_only"] = True
    result: dict = {"zones": out}
    if any(fw is not None for fw in frameworks.values()):
        result["by_framework"] = {str(k): v for k, v in sorted(group_counts.items(), key=lambda kv: str(kv[0]))}
    return result


def final_ranks(zones: dict[str, dict]) -> dict[str, dict]:
    """Each zone's ranks among final grades, from ranking.json's ``zones``: a zone whose grade is
    provisional is shown but not ranked (its ranks None, ``provisional`` True; issue 29, as its
    zone report says), and the provisional zones are taken out of the others' places and counts.
    Keys: overall, overall_of, within_type, within_type_of, provisional."""
    def num(e: dict, key: str) -> int | None:
        v = e.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    def out_of_order(e: dict, key: str) -> bool:
        return bool(e.get("provisional")) and num(e, key) is not None

    out = {}
    for zid, e in zones.items():
        group = [o for z, o in zones.items() if z != zid and o.get("framework") == e.get("framework")]
        kind = [o for o in group if o.get("zone_type") == e.get("zone_type")]
        ranks: dict = {"provisional": bool(e.get("provisional")),
                       **({"reference_only": True} if e.get("reference_only") else {})}
        for key, peers in (("overall", group), ("within_type", kind)):
            left_out = [o for o in peers if out_of_order(o, key)]
            place = None if e.get("provisional") else num(e, key)
            if place is not None:
                place -= sum(1 for o in left_out if o[key] < place)
            of = num(e, f"{key}_of")
            ranks[key] = place
            ranks[f"{key}_of"] = None if of is None else of - len(left_out) - (1 if out_of_order(e, key) else 0)
        out[zid] = ranks
    return out



def ranks_in_build(zones: dict[str, dict], zone_ids: list[str]) -> dict[str, dict]:
    """The final ranks (``final_ranks``) of ``zone_ids`` among every zone of the build's
    ranking.json ``zones``: a provincial summary's zones are placed among all the zones
    ranked nationwide, so the provisional zones of other provinces are taken out of their
    counts too (Beijing's zone read "3/29" in its summary and "3/27" in the national one,
    where final_ranks had seen only the province's slice of the ranking)."""
    final = final_ranks(zones)
    return {z: final[z] for z in zone_ids if z in final}
