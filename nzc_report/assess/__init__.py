"""Pure computation of one zone's assessment from a loaded dataset."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nzc_report.assess import emissions as em
from nzc_report.assess.targets import TargetProgress, assess_target
from nzc_report.dataset import Dataset
from nzc_report.errors import UsageError

__all__ = ["ZoneAssessment", "assess_zone", "resolve_year", "metric_values"]

LOWER_IS_BETTER_SUFFIXES = ("_tco2e", "_intensity", "_per_capita")


@dataclass
class ZoneAssessment:
    zone: dict
    year: int  # the assessment year asked for
    summary: em.EmissionsSummary
    series: pd.DataFrame  # per year: gross, removals, net
    sectors: pd.DataFrame  # per year × sector
    activity: pd.DataFrame
    targets: list[TargetProgress] = field(default_factory=list)
    measures: pd.DataFrame | None = None
    mechanisms: pd.DataFrame | None = None

    @property
    def data_year(self) -> int:
        return self.summary.data_year


def resolve_year(ds: Dataset, year: int | None) -> int:
    """The assessment year: as asked, or the latest year with emissions data."""
    if year is None:
        return ds.latest_year()
    return int(year)


def metric_values(metric: str, ds: Dataset, zone_id: str, series: pd.DataFrame,
                  baseline_year: int) -> dict[int, float]:
    """Year → value of a target metric, for the years that report it."""
    if metric == "net_emissions_tco2e":
        return {int(y): float(v) for y, v in series["net_tco2e"].items()}
    if metric == "net_reduction_pct":
        base = float(series.loc[baseline_year, "net_tco2e"])
        out = {}
        for y, v in series["net_tco2e"].items():
            r = em.reduction_pct(base, float(v))
            if r is not None:
                out[int(y)] = r
        return out
    if metric == "non_fossil_share_pct":
        a = ds.rows("activity", zone_id).dropna(subset=["total_energy_tce", "non_fossil_energy_tce"])
        a = a[a["total_energy_tce"] > 0]
        return {int(r.year): float(r.non_fossil_energy_tce / r.total_energy_tce * 100) for r in a.itertuples()}
    ind = ds.rows("indicators", zone_id)
    ind = ind[ind["indicator_id"] == metric]
    return {int(r.year): float(r.value) for r in ind.itertuples()}


def _higher_is_better(metric: str) -> bool:
    return not metric.endswith(LOWER_IS_BETTER_SUFFIXES)


def assess_zone(ds: Dataset, zone_id: str, year: int) -> ZoneAssessment:
    zone = ds.zone(zone_id)
    e = ds.rows("emissions", zone_id)
    e = e[e["year"] <= year]
    if e.empty:
        raise UsageError(f"zone '{zone_id}' has no emissions data up to {year}")
    series = em.yearly_series(e, ds.rows("removals", zone_id), year)
    baseline_year = int(zone["baseline_year"])
    summary = em.summarise(series, baseline_year)

    targets = []
    t = ds.rows("targets", zone_id).sort_values(["metric", "target_year"], kind="stable")
    for row in t.itertuples():
        values = metric_values(row.metric, ds, zone_id, series, baseline_year)
        if row.metric == "net_reduction_pct":
            baseline_value = 0.0
        else:
            baseline_value = values.get(baseline_year)
        targets.append(assess_target(
            metric=row.metric, target_year=int(row.target_year), target_value=float(row.target_value),
            values={y: v for y, v in values.items() if y <= year},
            baseline_year=baseline_year, assessment_year=summary.data_year,
            baseline_value=baseline_value, higher_is_better=_higher_is_better(row.metric),
            source=None if pd.isna(row.source) else row.source))

    activity = ds.rows("activity", zone_id)
    return ZoneAssessment(
        zone=zone, year=year, summary=summary, series=series,
        sectors=em.sector_table(e, year),
        activity=activity[activity["year"] <= year],
        targets=targets,
        measures=ds.rows("measures", zone_id),
        mechanisms=ds.rows("mechanisms", zone_id),
    )
