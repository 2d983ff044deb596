"""Scores: one indicator against its floor and benchmark, and the zone as a whole.

An indicator scores 0 at its floor and 100 at its benchmark, linearly between
and clipped. The zone's score is the weighted mean over every indicator that
applies to the zone; one that applies but was not reported scores 0 (no
evidence, no points, as in acceptance score sheets), so leaving data out never
raises a score. Coverage is the share of the applicable weight that had data.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["indicator_score", "ZoneScore", "zone_score"]


def indicator_score(value: float, floor: float, benchmark: float) -> float:
    """0 at the floor, 100 at the benchmark, linear between, clipped; works in both directions."""
    s = (value - floor) / (benchmark - floor) * 100.0
    return min(100.0, max(0.0, s))


@dataclass(frozen=True)
class ZoneScore:
    score: float | None  # None when no applicable indicator was reported at all
    grade: str | None
    grade_en: str | None
    coverage_pct: float
    provisional: bool  # coverage below the framework's threshold
    weight_applicable: float
    weight_reported: float
    by_dimension: list[dict] = field(default_factory=list)


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in pairs)
    return sum(w * s for w, s in pairs) / total if total > 0 else None


def zone_score(results, framework) -> ZoneScore:
    """``results``: the zone's IndicatorResults; ``framework``: for grades and dimensions."""
    weighted = [r for r in results if r.weight > 0]
    applicable = sum(r.weight for r in weighted)
    reported = [r for r in weighted if r.score is not None]
    w_reported = sum(r.weight for r in reported)
    score = _weighted([(r.weight, r.score or 0.0) for r in weighted]) if reported else None
    coverage = w_reported / applicable * 100.0 if applicable > 0 else 0.0
    grade, grade_en = framework.grade(score)

    by_dimension = []
    for dim, label in framework.dimensions.items():
        rs = [r for r in weighted if r.indicator.dimension == dim]
        if not rs:
            continue
        w_all = sum(r.weight for r in rs)
        done = [r for r in rs if r.score is not None]
        by_dimension.append({
            "dimension": dim, "label": label,
            "score": _weighted([(r.weight, r.score or 0.0) for r in rs]) if done else None,
            "weight": w_all, "coverage_pct": sum(r.weight for r in done) / w_all * 100.0,
        })
    return ZoneScore(score=score, grade=grade, grade_en=grade_en, coverage_pct=coverage,
                     provisional=score is not None and coverage < framework.provisional_below_coverage_pct,
                     weight_applicable=applicable, weight_reported=w_reported, by_dimension=by_dimension)
