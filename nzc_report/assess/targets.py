"""Progress towards a zone's targets, exactly as ../shared/spec/dataset.md (v2) defines it.

For a target (metric m, target year T, value V), baseline value B and current
value A in year Y < T, the planned path is the piecewise-linear line through
(baseline_year, B), the zone's earlier milestones (Tᵢ, Vᵢ) of the same metric
(Tᵢ < T) and (T, V); Pv(Y) is its value in year Y and R = (A − B) / (Pv(Y) − B).
With no earlier milestone this is version 1's P / E. on_track R ≥ 0.95,
at_risk 0.6 ≤ R < 0.95, off_track R < 0.6. When Y ≥ T the value in year T
decides: achieved, missed, or no_data. When Pv(Y) = B or V = B the ratio is
undefined and the note code says why.

``share_achieved`` is P = (A − B) / (V − B) and ``time_elapsed`` the planned
share (Pv(Y) − B) / (V − B), so that R = P / E still holds.

Y is the latest year ≤ the assessment year with emissions data; a metric read
from elsewhere (activity, indicators.csv) uses its own latest year ≤ Y, and E
is computed for that year so that P and E describe the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ON_TRACK_MIN = 0.95
AT_RISK_MIN = 0.6
# Comparisons allow for binary floating point: 47.5 / 50 must count as 0.95,
# a computed 19.999999999 % as reaching 20 %. Far below any reported precision.
EPS = 1e-9

__all__ = ["TargetProgress", "assess_target", "planned_value", "NOTE_CODES", "classify_ratio", "reached",
           "ON_TRACK_MIN", "AT_RISK_MIN"]


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    target_year: int
    target_value: float
    baseline_value: float | None
    current_value: float | None
    current_year: int | None
    progress_ratio: float | None
    status: str
    note: str | None = None  # code: why the ratio is undefined, or what the status rests on
    required_annual_change: float | None = None  # per year, in the metric's unit, still needed
    share_achieved: float | None = None  # P
    time_elapsed: float | None = None  # E
    higher_is_better: bool = True
    source: str | None = None
    direction_assumed: bool = False  # the framework gives no direction: V against B decides
    planned_value: float | None = None  # Pv(Y) on the planned path; None once judged or without data
    milestones: tuple = ()  # the earlier milestones (year, value) the planned path runs through
    # filled in by assess_zone: labels and where the figures come from
    metric_label: str | None = None
    unit: str | None = None
    row: int | None = None
    refs: tuple = field(default=(), compare=False)

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "metric_label": self.metric_label or self.metric,
            "unit": self.unit,
            "direction": "higher" if self.higher_is_better else "lower",
            "target_year": self.target_year,
            "target_value": self.target_value,
            "baseline_value": self.baseline_value,
            "current_value": self.current_value,
            "current_year": self.current_year,
            "share_achieved": self.share_achieved,
            "time_elapsed": self.time_elapsed,
            "progress_ratio": self.progress_ratio,
            "status": self.status,
            "note": self.note,
            "direction_assumed": self.direction_assumed,
            "planned_value": self.planned_value,
            "path_milestones": [list(m) for m in self.milestones],
            "required_annual_change": self.required_annual_change,
            "years_left": (self.target_year - self.current_year
                           if self.required_annual_change is not None and self.current_year is not None
                           else None),
            "source": self.source,
        }


def reached(value: float, target: float, higher_is_better: bool) -> bool:
    tol = EPS * max(1.0, abs(target))
    return value >= target - tol if higher_is_better else value <= target + tol


def classify_ratio(ratio: float) -> str:
    if ratio >= ON_TRACK_MIN - EPS:
        return "on_track"
    if ratio >= AT_RISK_MIN - EPS:
        return "at_risk"
    return "off_track"


NOTE_CODES = ("no_value_in_target_year", "judged_by_target_year", "no_value_yet", "no_baseline_value",
              "target_equals_baseline", "plan_flat", "at_baseline_year")


def planned_value(path: list[tuple[int, float]], year: int) -> float:
    """The piecewise-linear path's value in ``year`` (path: (year, value) in year order)."""
    for (y0, v0), (y1, v1) in zip(path, path[1:]):
        if y0 <= year <= y1:
            return v0 if y1 == y0 else v0 + (v1 - v0) * (year - y0) / (y1 - y0)
    return path[-1][1] if year > path[-1][0] else path[0][1]


def assess_target(*, metric: str, target_year: int, target_value: float,
                  values: dict[int, float], baseline_year: int, assessment_year: int,
                  baseline_value: float | None, higher_is_better: bool | None,
                  source: str | None = None, milestones=()) -> TargetProgress:
    """Status of one target.

    ``values`` maps year → value of the metric (reported years only);
    ``assessment_year`` is Y, the latest year with emissions data ≤ the report year;
    ``higher_is_better`` is the metric's direction from the framework (None for a
    metric the framework does not know: the target's own direction, V against B,
    and ``direction_assumed`` says so); ``milestones``: the zone's other targets
    of the same metric as (year, value); those before T shape the planned path.
    """
    T, V, Y, B = target_year, target_value, assessment_year, baseline_value
    assumed = higher_is_better is None
    if higher_is_better is None:
        higher_is_better = True if B is None or V == B else V > B
    earlier = tuple(sorted((int(y), float(v)) for y, v in milestones if baseline_year < y < T))
    common: dict[str, Any] = {"metric": metric, "target_year": T, "target_value": V, "baseline_value": B, "source": source,
                  "higher_is_better": higher_is_better, "direction_assumed": assumed, "milestones": earlier}

    if Y >= T:
        if T not in values:
            return TargetProgress(**common, current_value=None, current_year=None, progress_ratio=None,
                                  status="no_data", note="no_value_in_target_year")
        a = values[T]
        status = "achieved" if reached(a, V, higher_is_better) else "missed"
        return TargetProgress(**common, current_value=a, current_year=T, progress_ratio=None,
                              status=status, note="judged_by_target_year")

    reported = [y for y in values if y <= Y]
    if not reported:
        return TargetProgress(**common, current_value=None, current_year=None, progress_ratio=None,
                              status="no_data", note="no_value_yet")
    year_a = max(reported)
    A = values[year_a]
    common.update(current_value=A, current_year=year_a, required_annual_change=(V - A) / (T - year_a))
    if B is None:
        return TargetProgress(**common, progress_ratio=None, status="no_data", note="no_baseline_value")
    if V == B:
        status = "on_track" if reached(A, V, higher_is_better) else "off_track"
        return TargetProgress(**common, progress_ratio=None, status=status, planned_value=float(V),
                              note="target_equals_baseline")
    path = [(baseline_year, float(B)), *earlier, (T, float(V))]
    pv = planned_value(path, year_a)
    P = (A - B) / (V - B)
    E = (pv - B) / (V - B)
    common.update(share_achieved=P, time_elapsed=E, planned_value=pv)
    if abs(pv - B) <= EPS * max(1.0, abs(B)):
        status = "off_track" if P < -EPS else "on_track"
        return TargetProgress(**common, progress_ratio=None, status=status,
                              note="at_baseline_year" if year_a <= baseline_year else "plan_flat")
    R = (A - B) / (pv - B)
    return TargetProgress(**common, progress_ratio=R, status=classify_ratio(R))
