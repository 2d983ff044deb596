"""Indicators of the framework, computed from one zone's data as pure functions.

Each indicator is a series year → Observation (value and the rows it rests on).
A year without the data an indicator needs is absent from its series: missing
means "not reported", never zero. The indicator's value is that of the latest
year ≤ the assessment year; its change is against the previous year with data.
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import pandas as pd

from nzc_report.assess.emissions import reduction_pct
from nzc_report.assess.framework import Framework, Indicator, Threshold
from nzc_report.assess.scoring import indicator_score
from nzc_report.assess.zone_data import Ref, ZoneData
from nzc_report.dataset.vocab import staged_metrics

__all__ = ["Observation", "IndicatorResult", "FORMULAS", "series_of", "evaluate_indicator",
           "evaluate_indicators"]


@dataclass(frozen=True)
class Observation:
    year: int
    value: float
    refs: tuple[Ref, ...]
    status: str | None = None  # mechanisms: yes / partial / no
    note: str | None = None  # the row's own source or evidence text


Series = dict[int, Observation]


@dataclass(frozen=True)
class Formula:
    fn: Callable[[ZoneData, Framework], Series]
    needs: str  # what data it needs, as the missing-data problem says it


FORMULAS: dict[str, Formula] = {}


def formula(needs: str):
    def register(fn):
        FORMULAS[fn.__name__] = Formula(fn, needs)
        return fn
    return register


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _text(v) -> str | None:
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _activity_ratio(zd: ZoneData, column: str, numerator: str) -> Series:
    """``numerator`` of the emissions series divided by an activity column, per year with both."""
    out: Series = {}
    for r in zd.records("activity"):
        y, denom = int(r["year"]), _num(r[column])
        if y not in zd.series.index or not denom:
            continue
        refs = zd.emission_refs(y) + (Ref("activity", (int(r["__row__"]),), (column,)),)
        out[y] = Observation(y, float(zd.series.loc[y, numerator]) / denom, refs)
    return out


@formula("emissions.csv的基准年和当年排放")
def net_reduction_pct(zd: ZoneData, fw: Framework) -> Series:
    base = float(zd.series.loc[zd.baseline_year, "net_tco2e"])
    out: Series = {}
    for y, net in zd.series["net_tco2e"].items():
        r = reduction_pct(base, float(net))
        if r is not None:
            out[int(y)] = Observation(int(y), r, zd.emission_refs(zd.baseline_year) + zd.emission_refs(int(y)))
    return out


@formula("activity.csv的population")
def net_per_capita(zd: ZoneData, fw: Framework) -> Series:
    return _activity_ratio(zd, "population", "net_tco2e")


@formula("activity.csv的gdp_10k_cny")
def net_per_gdp(zd: ZoneData, fw: Framework) -> Series:
    return _activity_ratio(zd, "gdp_10k_cny", "net_tco2e")


@formula("activity.csv的total_energy_tce")
def carbon_per_energy(zd: ZoneData, fw: Framework) -> Series:
    return _activity_ratio(zd, "total_energy_tce", "gross_tco2e")


@formula("activity.csv的total_energy_tce和non_fossil_energy_tce")
def non_fossil_share_pct(zd: ZoneData, fw: Framework) -> Series:
    out: Series = {}
    for r in zd.records("activity"):
        total, nf = _num(r["total_energy_tce"]), _num(r["non_fossil_energy_tce"])
        if total and nf is not None:
            ref = Ref("activity", (int(r["__row__"]),), ("total_energy_tce", "non_fossil_energy_tce"))
            out[int(r["year"])] = Observation(int(r["year"]), nf / total * 100.0, (ref,))
    return out


@formula("removals.csv的碳汇")
def removals_share_pct(zd: ZoneData, fw: Framework) -> Series:
    out: Series = {}
    for y, row in zd.series.iterrows():
        if row["removals_reported"] and row["gross_tco2e"] > 0:
            out[int(y)] = Observation(int(y), float(row["removals_tco2e"] / row["gross_tco2e"] * 100.0),
                                      zd.emission_refs(int(y)))
    return out


def _started_measures(zd: ZoneData) -> pd.DataFrame:
    m = zd.table("measures")
    return m[m["start_year"].isna() | (m["start_year"] <= zd.year)]


@formula("measures.csv的措施")
def measure_completion_pct(zd: ZoneData, fw: Framework) -> Series:
    m = _started_measures(zd)
    if m.empty:
        return {}
    value = sum(fw.measure_status_values[s] for s in m["status"]) / len(m)
    ref = Ref("measures", tuple(int(r) for r in m["__row__"]), ("status", "start_year"))
    return {zd.year: Observation(zd.year, value, (ref,))}


@formula("measures.csv的措施")
def sector_measure_coverage_pct(zd: ZoneData, fw: Framework) -> Series:
    m = zd.table("measures")
    sectors = list(zd.zone.get("sectors") or ())
    if m.empty or not sectors:
        return {}
    active = m[m["status"].isin(fw.measure_statuses_for_coverage)]
    covered = [s for s in sectors if s in set(active["sector"])]
    refs = (Ref("measures", tuple(int(r) for r in m["__row__"]), ("sector", "status")),
            zd.zone_ref("sectors"))
    return {zd.year: Observation(zd.year, len(covered) / len(sectors) * 100.0, refs)}


def _from_indicators_csv(ind: Indicator, zd: ZoneData) -> Series:
    return {int(r["year"]): Observation(int(r["year"]), float(r["value"]),
                                        (Ref("indicators", (int(r["__row__"]),), ("value",)),),
                                        note=_text(r["source"]))
            for r in zd.records("indicators") if r["indicator_id"] == ind.id}


def _from_mechanisms_csv(ind: Indicator, zd: ZoneData, fw: Framework) -> Series:
    return {int(r["year"]): Observation(int(r["year"]), fw.mechanism_values[r["status"]],
                                        (Ref("mechanisms", (int(r["__row__"]),), ("status",)),),
                                        status=r["status"], note=_text(r["evidence"]))
            for r in zd.records("mechanisms") if r["mechanism"] == ind.mechanism}


def _staged_from_targets(zd: ZoneData, fw: Framework) -> Series:
    """Staged targets the zone did not report as a mechanism, read off its targets: a metric with
    targets in two or more years is a plan in stages (dataset.md: several rows per zone and metric
    make staged milestones). The report's targets table and this indicator then read the same rows;
    before, the appendix scored 阶段性目标 "未报告, 0" beside three staged targets. Nothing is read
    as "no": a single target year leaves it not reported."""
    targets = zd.records("targets")
    metrics = staged_metrics((r["metric"], r["target_year"]) for r in targets)
    staged = sorted(int(r["__row__"]) for r in targets if r["metric"] in metrics)
    if not staged:
        return {}
    ref = Ref("targets", tuple(staged), ("metric", "target_year"))
    return {zd.year: Observation(zd.year, fw.mechanism_values["yes"], (ref,), status="yes")}


def _plan_from_zones(zd: ZoneData, fw: Framework) -> Series:
    """The plan the zone did not report as a mechanism, read off zones.csv: a plan_document dated
    (plan_date) in or before the assessment year is a plan in place that year. Before, the appendix
    of gd-nanao's previous year scored 建设方案 "未报告, 0" although zones.csv dates its plan 2017-01,
    and the year's change called the plan newly filed data. Nothing is read as "no": a plan
    without a date, or dated after the year, leaves it not reported."""
    document, date = zd.zone.get("plan_document"), zd.zone.get("plan_date")
    if not document or not isinstance(date, str) or not date[:4].isdigit() or int(date[:4]) > zd.year:
        return {}
    ref = zd.zone_ref("plan_document", "plan_date")
    return {zd.year: Observation(zd.year, fw.mechanism_values["yes"], (ref,), status="yes")}


def series_of(ind: Indicator, zd: ZoneData, fw: Framework) -> Series:
    """Every reported year of an indicator, up to the assessment year."""
    if ind.kind == "indicators":
        s = _from_indicators_csv(ind, zd)
    elif ind.kind == "mechanisms":
        s = {y: o for y, o in _from_mechanisms_csv(ind, zd, fw).items() if y <= zd.year}
        if not s and ind.unreported_from == "targets":
            s = _staged_from_targets(zd, fw)
        elif not s and ind.unreported_from == "zones":
            s = _plan_from_zones(zd, fw)
    else:
        assert ind.formula is not None  # a derived indicator has one (load_framework checks)
        s = FORMULAS[ind.formula].fn(zd, fw)
    return {y: o for y, o in sorted(s.items()) if y <= zd.year}


def needs(ind: Indicator) -> str:
    """The data an indicator needs, as a problem about missing data names it."""
    if ind.kind == "indicators":
        return f"indicators.csv中indicator_id为{ind.id}的数据"
    if ind.kind == "mechanisms":
        return f"mechanisms.csv中mechanism为{ind.mechanism}的记录"
    assert ind.formula is not None  # a derived indicator has one (load_framework checks)
    return FORMULAS[ind.formula].needs


# -- one indicator, evaluated for the zone -------------------------------------

@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    applies: bool
    current: Observation | None
    previous: Observation | None
    threshold: Threshold | None
    score: float | None  # None when not reported or not applicable

    @property
    def reported(self) -> bool:
        return self.current is not None

    @property
    def observed(self) -> Observation:
        """``current`` of a reported indicator (callers check ``reported`` first)."""
        assert self.current is not None, f"{self.indicator.id} is not reported"
        return self.current

    @property
    def weight(self) -> float:
        """The weight it carries in this zone's score (0 where it does not apply)."""
        return self.indicator.weight if self.applies else 0.0

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current.value - self.previous.value


def _total_energy(zd: ZoneData, year: int) -> float | None:
    row = next((r for r in zd.records("activity") if r["year"] == year), None)
    return None if row is None else _num(row["total_energy_tce"])


def evaluate_indicator(ind: Indicator, zd: ZoneData, fw: Framework) -> IndicatorResult:
    s = series_of(ind, zd, fw)
    years = sorted(s)
    current = s[years[-1]] if years else None
    previous = s[years[-2]] if len(years) > 1 else None
    applies = ind.applies(zd.zone)
    threshold = None
    if applies:
        energy_year = current.year if current else zd.year
        threshold = ind.threshold(zd.zone_type, _total_energy(zd, energy_year))
    score = None
    if applies and current is not None and threshold is not None:
        score = indicator_score(current.value, threshold.floor, threshold.benchmark)
    return IndicatorResult(ind, applies, current, previous, threshold, score)


def evaluate_indicators(zd: ZoneData, fw: Framework) -> list[IndicatorResult]:
    """The framework's indicators that apply to the zone, and any others it reported."""
    out = []
    for ind in fw.indicators:
        r = evaluate_indicator(ind, zd, fw)
        if r.applies or r.reported:
            out.append(r)
    return out
