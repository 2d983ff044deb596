"""Progress towards a zone's targets, exactly as ../shared/spec/dataset.md defines it.

P = (A − B) / (V − B), E = (Y − baseline_year) / (T − baseline_year), R = P / E.
on_track R ≥ 0.95, at_risk 0.6 ≤ R < 0.95, off_track R < 0.6. When Y ≥ T the
value in year T decides: achieved, missed, or no_data.
"""
from __future__ import annotations

from dataclasses import dataclass

ON_TRACK_MIN = 0.95
AT_RISK_MIN = 0.6


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
    required_annual_change: float | None = None
    source: str | None = None

    def as_dict(self) -> dict:
        return {
            "metric": self.metric,
            "target_year": self.target_year,
            "target_value": self.target_value,
            "baseline_value": self.baseline_value,
            "current_value": self.current_value,
            "current_year": self.current_year,
            "progress_ratio": self.progress_ratio,
            "status": self.status,
            "note": self.note,
            "required_annual_change": self.required_annual_change,
            "source": self.source,
        }


def _reached(value: float, target: float, higher_is_better: bool) -> bool:
    return value >= target if higher_is_better else value <= target


def classify_ratio(ratio: float) -> str:
    if ratio >= ON_TRACK_MIN:
        return "on_track"
    if ratio >= AT_RISK_MIN:
        return "at_risk"
    return "off_track"


def assess_target(*, metric: str, target_year: int, target_value: float,
                  values: dict[int, float], baseline_year: int, assessment_year: int,
                  baseline_value: float | None, higher_is_better: bool,
                  source: str | None = None) -> TargetProgress:
    """Status of one target.

    ``values`` maps year → value of the metric (only reported years);
    ``assessment_year`` is Y, the latest year with emissions data ≤ the report year;
    ``higher_is_better`` is the metric's direction, used where V = B leaves the
    target's own direction undefined.
    """
    T, V, Y, B = target_year, target_value, assessment_year, baseline_value
    if B is not None and V != B:
        higher_is_better = V > B  # the target's own direction
    common = dict(metric=metric, target_year=T, target_value=V, baseline_value=B, source=source)

    if Y >= T:
        if T not in values:
            return TargetProgress(**common, current_value=None, current_year=None,
                                  progress_ratio=None, status="no_data",
                                  note=f"{T}年无该指标数据")
        a = values[T]
        status = "achieved" if _reached(a, V, higher_is_better) else "missed"
        return TargetProgress(**common, current_value=a, current_year=T,
                              progress_ratio=None, status=status)

    reported = [y for y in values if y <= Y]
    if not reported:
        return TargetProgress(**common, current_value=None, current_year=None,
                              progress_ratio=None, status="no_data", note="截至评估年无该指标数据")
    year_a = max(reported)
    A = values[year_a]
    required = (V - A) / (T - year_a)
    common.update(current_value=A, current_year=year_a, required_annual_change=required)
    if B is None:
        return TargetProgress(**common, progress_ratio=None, status="no_data",
                              note=f"基准年{baseline_year}无该指标数据，无法计算进度")
    if V == B:
        status = "on_track" if _reached(A, V, higher_is_better) else "off_track"
        return TargetProgress(**common, progress_ratio=None, status=status,
                              note="目标值等于基准值（V = B），进度比未定义；按当前值是否达到目标判断")
    P = (A - B) / (V - B)
    E = (year_a - baseline_year) / (T - baseline_year)
    if E <= 0:
        status = "off_track" if P < 0 else "on_track"
        return TargetProgress(**common, progress_ratio=None, status=status,
                              note="评估年即基准年（E = 0），进度比未定义")
    R = P / E
    return TargetProgress(**common, progress_ratio=R, status=classify_ratio(R))
