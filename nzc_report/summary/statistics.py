"""Figures of a group of zones: counts, shares, means and ranges, by type and by province.

Everything here is a number or a code; the sentences are in the message catalogues.
"""
from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.vocab import ZONE_TYPES
from nzc_report.results_model import ZoneResults

STATUS_ORDER = ["achieved", "on_track", "at_risk", "off_track", "missed", "no_data"]


def describe(values: Iterable[float | None]) -> dict | None:
    """n, mean, median, min and max; None for no values."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return {"n": len(present), "mean": statistics.fmean(present), "median": statistics.median(present),
            "min": min(present), "max": max(present)}


def reduction(r: ZoneResults) -> float | None:
    return r.emissions.net_reduction_pct if r.emissions is not None else None


def target_counts(results: list[ZoneResults], on_track: list[str]) -> dict:
    """Targets by status, and the share of assessable targets (not no_data) on track."""
    counts = Counter(t.status.value for r in results for t in r.targets)
    assessable = sum(n for s, n in counts.items() if s != "no_data")
    good = sum(counts.get(s, 0) for s in on_track)
    return {"total": sum(counts.values()), "by_status": {s: counts[s] for s in STATUS_ORDER if counts.get(s)},
            "assessable": assessable, "on_track": good,
            "on_track_share": good / assessable if assessable else None}


def framework_id(r: ZoneResults) -> str | None:
    return (r.framework or {}).get("id")


def principal_framework(results: list[ZoneResults]) -> str | None:
    """The framework most zones were assessed under (a tie: the default framework, else the first
    id): the one whose scores a summary's means, grade counts and rankings pool (issue 30).
    Scores and grades of different frameworks are never pooled."""
    from nzc_report.assess.frameworks import DEFAULT_FRAMEWORK

    counts = Counter(framework_id(r) for r in results)
    if not counts:
        return None
    most = max(counts.values())
    tied = sorted(str(f) for f, n in counts.items() if n == most)
    pick = DEFAULT_FRAMEWORK if DEFAULT_FRAMEWORK in tied else tied[0]
    return next(f for f in counts if str(f) == pick)


def scored_pool(results: list[ZoneResults]) -> list[ZoneResults]:
    """The zones whose scores are pooled: those of the principal framework."""
    principal = principal_framework(results)
    return [r for r in results if framework_id(r) == principal]


def group_stats(results: list[ZoneResults], metas: list[dict], on_track: list[str],
                pool: set[str] | None = None) -> dict:
    """The figures of one group (a zone type, a province, all zones); its scores only of the zones
    in ``pool`` (the principal framework's, when given)."""
    targets = target_counts(results, on_track)
    return {"zones": len(metas), "built": len(results),
            "score": describe([r.score for r in results if pool is None or r.zone_id in pool]),
            "reduction": describe([reduction(r) for r in results]),
            "targets_on_track_share": targets["on_track_share"], "targets": targets["total"]}


def by_zone_type(results: list[ZoneResults], metas: list[dict], on_track: list[str],
                 pool: set[str] | None = None) -> list[dict]:
    types = [t for t in ZONE_TYPES if any(m["zone_type"] == t for m in metas)]
    return [{"zone_type": t, **group_stats([r for r in results if r.zone_type == t],
                                           [m for m in metas if m["zone_type"] == t], on_track, pool)}
            for t in types]


def by_province(results: list[ZoneResults], metas: list[dict], on_track: list[str],
                pool: set[str] | None = None) -> list[dict]:
    codes = sorted({m["province_code"] for m in metas})
    return [{"province_code": c, "province_name": PROVINCE_NAMES.get(c, c),
             **group_stats([r for r in results if r.province_code == c],
                           [m for m in metas if m["province_code"] == c], on_track, pool)}
            for c in codes]


def extremes(rows: list[dict], label: str) -> dict | None:
    """The groups with the highest and lowest mean score, when at least two differ."""
    scored = [r for r in rows if r["score"]]
    if len(scored) < 2:
        return None
    hi = max(scored, key=lambda r: (r["score"]["mean"], r[label]))
    lo = min(scored, key=lambda r: (r["score"]["mean"], r[label]))
    if hi["score"]["mean"] == lo["score"]["mean"]:
        return None
    return {"highest": hi[label], "highest_mean": hi["score"]["mean"], "highest_n": hi["score"]["n"],
            "lowest": lo[label], "lowest_mean": lo["score"]["mean"], "lowest_n": lo["score"]["n"]}


def zone_entry(r: ZoneResults, ranking: dict | None) -> dict:
    """One zone's line in the comparison table."""
    statuses = Counter(t.status.value for t in r.targets)
    rank = (ranking or {}).get(r.zone_id) or {}
    return {
        "zone_id": r.zone_id, "name": r.name, "name_en": r.name_en,
        "province_code": r.province_code, "province_name": PROVINCE_NAMES.get(r.province_code),
        "zone_type": r.zone_type, "zone_type_label": ZONE_TYPES.get(r.zone_type, r.zone_type),
        "score": r.score, "grade": r.grade, "grade_en": r.grade_en,
        "grade_provisional": bool(r.grade_provisional),
        "net_reduction_pct": reduction(r), "data_year": r.data_year,
        "target_status": {s: statuses[s] for s in STATUS_ORDER if statuses.get(s)},
        "worst_status": next((s for s in reversed(STATUS_ORDER[:5]) if statuses.get(s)), None),
        "rank_overall": rank.get("overall"), "rank_overall_of": rank.get("overall_of"),
        "rank_within_type": rank.get("within_type"), "rank_within_type_of": rank.get("within_type_of"),
        # its framework's document not known in force on the report's date: for reference, not ranked
        **({"reference_only": True} if r.reference_only else {}),
    }


def top_zones(results: list[ZoneResults], n: int) -> list[dict]:
    scored = sorted((r for r in results if r.score is not None), key=lambda r: (-(r.score or 0), r.zone_id))
    return [{"zone_id": r.zone_id, "name": r.name, "name_en": r.name_en, "score": r.score,
             "net_reduction_pct": reduction(r)}
            for r in scored[:n]]


def shown_difference(before: float, after: float, digits: int = 1) -> float:
    """The change a reader works out from the two figures as shown (38.3 − 34.2 = 4.1), not the exact
    change rounded (4.155 → 4.2), so that a report's change agrees with the figures beside it."""
    return float(Decimal(f"{after:.{digits}f}") - Decimal(f"{before:.{digits}f}"))


def shown_score_change(r: ZoneResults) -> float | None:
    """A zone's score change as its report, the summaries and the portal say it: the difference of
    the two scores as printed where both are there, else the exact change; None where there is none."""
    if r.changes is None or r.changes.score_delta is None:
        return None
    before, after = (r.previous or {}).get("score"), r.score
    return shown_difference(before, after) if before is not None and after is not None else r.changes.score_delta


def _delta(r: ZoneResults) -> float:
    return r.changes.score_delta or 0.0 if r.changes is not None else 0.0


def movers(results: list[ZoneResults], n: int) -> dict | None:
    """The year's movers, where zones' results carry last year's comparison (cli.md v2 ``changes``)."""
    changed = [r for r in results if r.changes is not None and r.changes.score_delta is not None]
    if not changed:
        return None

    def entry(r):
        # score_delta exact (it orders and counts the movers); score_delta_shown as the reports say it
        return {"zone_id": r.zone_id, "name": r.name, "name_en": r.name_en, "score_delta": _delta(r),
                "score_delta_shown": shown_score_change(r)}

    up = sorted((r for r in changed if _delta(r) > 0), key=lambda r: (-_delta(r), r.zone_id))
    down = sorted((r for r in changed if _delta(r) < 0), key=lambda r: (_delta(r), r.zone_id))
    resolved = [r.changes.problems_resolved for r in results if r.changes is not None and r.changes.problems_resolved]
    return {"compared": len(changed), "improved": len(up), "declined": len(down),
            "improved_top": [entry(r) for r in up[:n]], "declined_top": [entry(r) for r in down[:n]],
            "resolved_zones": len(resolved), "resolved_problems": sum(len(p) for p in resolved)}


def pooled_reduction(results: list[ZoneResults]) -> float | None:
    """The zones' net emissions summed against their baselines summed (%, the portal's headline
    figure), beside the mean of the zones' own reductions (describe(reduction)): two definitions,
    each named where it is shown (issue 28)."""
    both = [(r.emissions.baseline_net_tco2e, r.emissions.net_tco2e) for r in results if r.emissions is not None]
    pairs = [(float(b), float(n)) for b, n in both if b is not None and n is not None]
    base = sum(b for b, _ in pairs)
    return (1 - sum(n for _, n in pairs) / base) * 100 if pairs and base > 0 else None


def score_causes(results: list[ZoneResults]) -> dict | None:
    """The score changes of the compared zones summed by cause (cli.md v3 ``score_change_by_cause``):
    newly reported items, changed values, a changed framework; None where no zone has them."""
    parts = [c for r in results if r.changes is not None and (c := r.changes.score_change_by_cause)]
    if not parts:
        return None
    total = {k: sum(float(p.get(k) or 0) for p in parts) for k in ("newly_reported", "values", "framework")}
    return {**total, "delta": sum(total.values()), "zones": len(parts)}
