"""Progress towards a zone's targets, exactly as ../shared/spec/dataset.md defines it.

For a target (metric m, target year T, value V), baseline value B and current
value A in year Y < T:
P = (A − B) / (V − B), E = (Y − baseline_year) / (T − baseline_year), R = P / E;
on_track R ≥ 0.95, at_risk 0.6 ≤ R < 0.95, off_track R < 0.6. When Y ≥ T the
value in year T decides: achieved, missed, or no_data. When E = 0 or V = B the
ratio is undefined and the note says why.

Y is the latest year ≤ the assessment year with emissions data; a metric read
from elsewhere (activity, indicators.csv) uses its own latest year ≤ Y, and E
is computed for that year so that P and E describe the same moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ON_TRACK_MIN = 0.95
AT_RISK_MIN = 0.6
# Comparisons allow for binary floating point: 47.5 / 50 must count as 0.95,
# a computed 19.999999999 % as reaching 20 %. Far below any reported precision.
EPS = 1e-9

__all__ = ["TargetProgress", "assess_target", "classify_ratio", "reached", "ON_TRACK_MIN", "AT_RISK_MIN"]


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
    note: str | None = None  # why the ratio is undefined, or what the status rests on
    required_annual_change: float | None = None  # per year, in the metric's unit, still needed
    share_achieved: float | None = None  # P
    time_elapsed: float | None = None  # E
    higher_is_better: bool = True
    source: str | None = None
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
            "required_annual_change": self.required_annual_change,
            "years_left": (self.target_year - self.current_year
                           if self.required_annual_change is not None else None),
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


def assess_target(*, metric: str, target_year: int, target_value: float,
                  values: dict[int, float], baseline_year: int, assessment_year: int,
                  baseline_value: float | None, higher_is_better: bool | None,
                  source: str | None = None) -> TargetProgress:
    """Status of one target.

    ``values`` maps year → value of the metric (reported years only);
    ``assessment_year`` is Y, the latest year with emissions data ≤ the report year;
    ``higher_is_better`` is the metric's direction from the framework (None for a
    metric the framework does not know: the target's own direction, V against B).
    """
    T, V, Y, B = target_year, target_value, assessment_year, baseline_value
    note = None
    if higher_is_better is None:
        higher_is_better = True if B is None or V == B else V > B
        note = "指标体系未定义该指标的方向，按目标值相对基准值的方向判断"
    common = dict(metric=metric, target_year=T, target_value=V, baseline_value=B, source=source,
                  higher_is_better=higher_is_better)

    def _note(text: str | None) -> str | None:
        parts = [p for p in (text, note) if p]
        return "；".join(parts) or None

    if Y >= T:
        if T not in values:
            return TargetProgress(**common, current_value=None, current_year=None, progress_ratio=None,
                                  status="no_data", note=_note(f"目标年{T}年无该指标数据，无法判断是否实现"))
        a = values[T]
        status = "achieved" if reached(a, V, higher_is_better) else "missed"
        return TargetProgress(**common, current_value=a, current_year=T, progress_ratio=None,
                              status=status, note=_note(f"目标年已过，按{T}年实际值判断"))

    reported = [y for y in values if y <= Y]
    if not reported:
        return TargetProgress(**common, current_value=None, current_year=None, progress_ratio=None,
                              status="no_data", note=_note(f"截至{Y}年无该指标数据"))
    year_a = max(reported)
    A = values[year_a]
    common.update(current_value=A, current_year=year_a, required_annual_change=(V - A) / (T - year_a))
    if B is None:
        return TargetProgress(**common, progress_ratio=None, status="no_data",
                              note=_note(f"基准年{baseline_year}年无该指标数据，无法计算进度"))
    E = (year_a - baseline_year) / (T - baseline_year)
    common.update(time_elapsed=E)
    if V == B:
        status = "on_track" if reached(A, V, higher_is_better) else "off_track"
        return TargetProgress(**common, progress_ratio=None, status=status,
                              note=_note("目标值等于基准值（V = B），进度比未定义；按当前值是否达到目标值判断"))
    P = (A - B) / (V - B)
    common.update(share_achieved=P)
    if E <= 0:
        status = "off_track" if P < -EPS else "on_track"
        return TargetProgress(**common, progress_ratio=None, status=status,
                              note=_note("当前数据年份即基准年（E = 0），进度比未定义；按是否背离目标判断"))
    R = P / E
    return TargetProgress(**common, progress_ratio=R, status=classify_ratio(R), note=note)
