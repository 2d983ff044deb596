"""Pure computation of one zone's assessment from a loaded dataset and the framework.

assess_zone: emissions (gross, net, reduction) → indicators of the framework →
score, grade and coverage → status of every target.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from nzc_report.assess.measures import MeasureState, measure_states
from nzc_report.assess.programme import Outcome, programme_outcome
from nzc_report.assess import emissions as em
from nzc_report.assess.framework import Framework, load_framework
from nzc_report.assess.indicators import IndicatorResult, Observation, evaluate_indicators, series_of
from nzc_report.assess.scoring import ZoneScore, zone_score
from nzc_report.assess.targets import TargetProgress, assess_target
from nzc_report.assess.zone_data import Ref, ZoneData, zone_data
from nzc_report.dataset import Dataset

__all__ = ["ZoneAssessment", "assess_zone", "resolve_year", "metric_series", "load_framework", "Framework"]


@dataclass
class ZoneAssessment:
    zone: dict
    year: int  # the assessment year asked for
    summary: em.EmissionsSummary
    series: pd.DataFrame  # per year: gross, removals, net
    sectors: pd.DataFrame  # per year × sector
    activity: pd.DataFrame
    framework: Framework
    data: ZoneData
    indicators: list[IndicatorResult] = field(default_factory=list)
    score: ZoneScore | None = None
    targets: list[TargetProgress] = field(default_factory=list)
    measures: pd.DataFrame | None = None
    mechanisms: pd.DataFrame | None = None
    measure_states: list[MeasureState] = field(default_factory=list)  # each measure on its plan (v3)
    outcome: Outcome | None = None  # what the framework concludes: eligibility, gates, score (v3)

    @property
    def data_year(self) -> int:
        return self.summary.data_year

    def indicator(self, indicator_id: str) -> IndicatorResult | None:
        return next((r for r in self.indicators if r.indicator.id == indicator_id), None)


def resolve_year(ds: Dataset, year: int | None) -> int:
    """The assessment year: as asked, or the latest year with emissions data."""
    if year is None:
        return ds.latest_year()
    return int(year)


def metric_series(metric: str, zd: ZoneData, fw: Framework) -> dict[int, Observation]:
    """Year → value of a target metric, for the years that report it."""
    if metric == "net_emissions_tco2e":
        return {int(y): Observation(int(y), float(v), zd.emission_refs(int(y)))
                for y, v in zd.series["net_tco2e"].items()}
    ind = fw.indicator(metric)
    return series_of(ind, zd, fw) if ind is not None else {}


def _target(row: dict, zd: ZoneData, fw: Framework, data_year: int, milestones) -> TargetProgress:
    metric = row["metric"]
    obs = metric_series(metric, zd, fw)
    values = {y: o.value for y, o in obs.items()}
    baseline_value = 0.0 if metric == "net_reduction_pct" else values.get(zd.baseline_year)
    info = fw.metric(metric)
    direction = None if info is None else info["direction"] == "higher"
    t = assess_target(metric=metric, target_year=int(row["target_year"]),
                      target_value=float(row["target_value"]), values=values,
                      baseline_year=zd.baseline_year, assessment_year=data_year,
                      baseline_value=baseline_value, higher_is_better=direction,
                      source=None if pd.isna(row["source"]) else row["source"], milestones=milestones)
    refs = [Ref("targets", (int(row["__row__"]),), ("metric", "target_year", "target_value"))]
    for y in (t.current_year, zd.baseline_year if metric != "net_reduction_pct" else None):
        if y is not None and y in obs:
            refs.extend(obs[y].refs)
    return replace(t, metric_label=info["name_zh"] if info else metric,
                   unit=info["unit"] if info else None, row=int(row["__row__"]), refs=tuple(refs))


def assess_zone(ds: Dataset, zone_id: str, year: int, framework: Framework) -> ZoneAssessment:
    zd = zone_data(ds, zone_id, year)
    summary = em.summarise(zd.series, zd.baseline_year)
    indicators = evaluate_indicators(zd, framework)
    t = zd.table("targets").sort_values(["metric", "target_year"], kind="stable")
    rows = t.to_dict("records")
    targets = [_target(row, zd, framework, summary.data_year,
                       [(int(o["target_year"]), float(o["target_value"])) for o in rows if o["metric"] == row["metric"]])
               for row in rows]
    score = zone_score(indicators, framework)
    outcome = programme_outcome(framework, zd, score.score, indicators)
    if outcome.score != score.score:  # bonus/penalty items moved it
        grade, grade_en = framework.grade(outcome.score)
        score = replace(score, score=outcome.score, grade=grade, grade_en=grade_en)
    if outcome.status != "rated" and outcome.label is not None:  # a failed gate or eligibility decides
        score = replace(score, grade=outcome.label, grade_en=outcome.label_en)
    return ZoneAssessment(
        zone=zd.zone, year=year, summary=summary, series=zd.series,
        sectors=em.sector_table(zd.table("emissions"), year),
        activity=zd.table("activity"), framework=framework, data=zd,
        indicators=indicators, score=score, targets=targets,
        measures=zd.table("measures"), mechanisms=zd.table("mechanisms"), measure_states=measure_states(zd),
        outcome=outcome,
    )
