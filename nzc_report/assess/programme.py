"""What a framework concludes about one zone: eligibility, gates, bonus/penalty items, materials, outcome.

Pure functions over an assessment's data and its framework; codes and numbers
only (the sentences are the catalogues'). Gates come first: a failed gate
decides the outcome whatever the score; a gate without data leaves it open
(``passed`` None, outcome ``data_missing``). Bonus/penalty items move the score
by their points as written (the sum kept within 0..100).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nzc_report.assess.framework import Framework
from nzc_report.assess.indicators import IndicatorResult, series_of
from nzc_report.assess.zone_data import ZoneData

__all__ = ["GateResult", "AdjustmentResult", "MaterialResult", "Outcome", "OUTCOME_STATUSES",
           "evaluate_gate", "programme_outcome", "adjusted"]

# status → what decides it
OUTCOME_STATUSES = {"rated": "score", "gate_failed": "gate", "data_missing": "data_missing",
                    "not_eligible": "eligibility", "out_of_range": "eligibility", "not_applicable": "zone_type"}


@dataclass(frozen=True)
class GateResult:
    id: str
    name_zh: str
    name_en: str
    indicator: str
    value: float | None
    year: int | None
    threshold: float | None
    comparison: str  # at_most | at_least
    passed: bool | None  # None: no data
    source: str  # a key of the framework's sources
    note: str | None
    total_energy_tce: float | None  # the energy use that chose the band
    note_en: str | None = None


@dataclass(frozen=True)
class AdjustmentResult:
    id: str
    name_zh: str
    name_en: str
    points: float
    applied: bool
    source: str


@dataclass(frozen=True)
class MaterialResult:
    id: str
    name_zh: str
    name_en: str
    evidence: str
    status: str  # held | partial | not_held
    found: int  # items of evidence found
    expected: int  # items looked for
    note: str | None
    note_en: str | None = None


@dataclass(frozen=True)
class Outcome:
    framework_id: str
    status: str  # a key of OUTCOME_STATUSES
    decided_by: str
    label: str | None  # the framework's grade label, or its outcome label for the status
    label_en: str | None
    score: float | None  # after bonus/penalty items
    base_score: float | None  # before them
    gates: tuple[GateResult, ...] = ()
    adjustments: tuple[AdjustmentResult, ...] = ()
    materials: tuple[MaterialResult, ...] = ()
    total_energy_tce: float | None = None
    years_in_operation: int | None = None


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def total_energy(zd: ZoneData, year: int | None = None) -> tuple[int, float] | None:
    """(year, total energy use in tce) of the latest year ≤ ``year`` (default the assessment year) with it."""
    a = zd.table("activity")
    limit = year if year is not None else zd.year
    rows: list[tuple[int, float]] = []
    for r in a.to_dict("records"):
        v = _num(r["total_energy_tce"])
        if v is not None and int(r["year"]) <= limit:
            rows.append((int(r["year"]), v))
    return max(rows) if rows else None


def evaluate_gate(gate: dict, value: float | None, energy_tce: float | None, year: int | None = None) -> GateResult:
    """One gate: the band chosen by ``energy_tce`` (exclusive upper bounds) and whether ``value`` meets it."""
    bands = gate["bands"]
    band = bands[-1]
    for b in bands:
        bound = b.get("below_total_energy_tce")
        if bound is None or (energy_tce is not None and energy_tce < bound):
            band = b
            break
    comparison = "at_most" if "at_most" in band else "at_least"
    threshold = float(band[comparison])
    sized = any("below_total_energy_tce" in b for b in bands)
    passed: bool | None
    if value is None or (sized and energy_tce is None):
        passed = None
    else:
        passed = value <= threshold if comparison == "at_most" else value >= threshold
    return GateResult(gate["id"], gate["name_zh"], gate["name_en"], gate["indicator"], value, year,
                      None if sized and energy_tce is None else threshold, comparison, passed,
                      band["source"], band.get("note") or gate.get("note"), energy_tce,
                      band.get("note_en") or gate.get("note_en"))


def _gates(fw: Framework, zd: ZoneData) -> tuple[GateResult, ...]:
    out = []
    for gate in fw.gates:
        ind = fw.indicator(gate["indicator"])
        obs = series_of(ind, zd, fw) if ind is not None else {}
        current = obs[max(obs)] if obs else None
        energy = total_energy(zd, current.year if current else None)
        out.append(evaluate_gate(gate, current.value if current else None, energy[1] if energy else None,
                                 current.year if current else None))
    return tuple(out)


def _condition_met(when: dict, zd: ZoneData, fw: Framework) -> bool:
    if "mechanism" in when:
        m = zd.table("mechanisms")
        m = m[(m["mechanism"] == when["mechanism"]) & (m["year"] <= zd.year)]
        return not m.empty and m.sort_values("year").iloc[-1]["status"] == when["status"]
    ind = fw.indicator(when["indicator"])
    obs = series_of(ind, zd, fw) if ind is not None else {}
    if not obs:
        return False
    value = obs[max(obs)].value
    return (value >= when["at_least"] if "at_least" in when else True) and \
           (value <= when["at_most"] if "at_most" in when else True)


def _adjustments(fw: Framework, zd: ZoneData) -> tuple[AdjustmentResult, ...]:
    return tuple(AdjustmentResult(a["id"], a["name_zh"], a["name_en"], float(a["points"]),
                                  _condition_met(a["when"], zd, fw), a["source"]) for a in fw.adjustments)


def adjusted(score: float | None, adjustments) -> float | None:
    """The score moved by the applied bonus/penalty items' points, kept within 0..100."""
    if score is None:
        return None
    return min(100.0, max(0.0, score + sum(a.points for a in adjustments if a.applied)))


def _material(item: dict, zd: ZoneData, indicators: list[IndicatorResult]) -> MaterialResult:
    evidence = item["evidence"]
    found = expected = 0
    if evidence.startswith("mechanism_"):
        m = zd.table("mechanisms")
        m = m[(m["mechanism"] == evidence.removeprefix("mechanism_")) & (m["year"] <= zd.year)]
        expected = 1
        status = m.sort_values("year").iloc[-1]["status"] if not m.empty else None
        found = 1 if status == "yes" else 0
        state = "held" if status == "yes" else "partial" if status == "partial" else "not_held"
    else:
        if evidence == "measure_investment":
            t = zd.table("measures")
            expected = len(t)
            found = int(t["investment_10k_cny"].notna().sum()) if expected else 0
        else:  # indicator_sources: the indicators.csv values (up to the year) that name their source
            t = zd.table("indicators")
            t = t[t["year"] <= zd.year]
            expected = len(t)
            found = int(t["source"].notna().sum()) if expected else 0
        state = "not_held" if found == 0 else "held" if found == expected else "partial"
    return MaterialResult(item["id"], item["name_zh"], item["name_en"], evidence, state, found, expected,
                          item.get("note"), item.get("note_en"))


def programme_outcome(fw: Framework, zd: ZoneData, score: float | None,
                      indicators: list[IndicatorResult]) -> Outcome:
    """What ``fw`` concludes about the zone; ``score`` is its weighted score before bonus/penalty items."""
    zone_type = zd.zone_type
    adjustments = _adjustments(fw, zd)
    final = adjusted(score, adjustments)
    energy = total_energy(zd)
    years = int(zd.year) - int(zd.zone["approved_year"])
    materials = tuple(_material(m, zd, indicators) for m in fw.materials)
    energy_tce = energy[1] if energy else None

    def said(status: str, gates: tuple[GateResult, ...] = (), label: str | None = None,
             label_en: str | None = None) -> Outcome:
        return Outcome(framework_id=fw.id, status=status, decided_by=OUTCOME_STATUSES[status],
                       label=label if status == "rated" else fw.outcomes.get(status),
                       label_en=label_en if status == "rated" else fw.outcomes_en.get(status),
                       score=final, base_score=score, gates=gates, adjustments=adjustments,
                       materials=materials, total_energy_tce=energy_tce, years_in_operation=years)

    if not fw.applies_to_type(zone_type):
        return said("not_applicable")
    rule = fw.eligibility
    if "min_years_in_operation" in rule and years < rule["min_years_in_operation"]:
        return said("not_eligible")
    if "min_total_energy_tce" in rule:
        if energy is None:
            return said("data_missing")
        if energy[1] < rule["min_total_energy_tce"]:
            return said("out_of_range")
    gates = _gates(fw, zd)
    if any(g.passed is False for g in gates):
        return said("gate_failed", gates)
    if any(g.passed is None for g in gates) or final is None:
        return said("data_missing", gates)
    grade, grade_en = fw.grade(final)
    return said("rated", gates, grade, grade_en)
