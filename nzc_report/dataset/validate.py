"""Checks across rows and tables: unique keys, foreign keys, consistency."""
from __future__ import annotations

from collections import Counter

from nzc_report.dataset.io import RawTable
from nzc_report.dataset.schema import KEYS
from nzc_report.errors import Problem


def check_unique(raw: RawTable, records: list[dict]) -> list[Problem]:
    key = KEYS[raw.name]
    seen: dict[tuple, int] = {}
    problems = []
    for r in records:
        k = tuple(r.get(c) for c in key)
        if any(v is None for v in k):
            continue
        if k in seen:
            problems.append(raw.problem(r["__row__"], key[-1],
                                        f"duplicate of row {seen[k]} ({', '.join(map(str, k))})"))
        else:
            seen[k] = r["__row__"]
    return problems


def check_zone_refs(raw: RawTable, records: list[dict], zone_ids: set[str]) -> list[Problem]:
    problems = []
    for r in records:
        z = r.get("zone_id")
        if z is not None and z not in zone_ids:
            from nzc_report.dataset.schema import did_you_mean
            problems.append(raw.problem(r["__row__"], "zone_id",
                                        f"zone '{z}' is not in zones.csv{did_you_mean(z, zone_ids)}"))
    return problems


def check_zones(raw: RawTable, zones: list[dict]) -> list[Problem]:
    problems = []
    for z in zones:
        by, ay = z.get("baseline_year"), z.get("approved_year")
        if by is not None and ay is not None and by > ay + 5:
            problems.append(raw.problem(z["__row__"], "baseline_year",
                                        f"baseline year {by} is more than 5 years after the approval year {ay}",
                                        "warning"))
    return problems


def check_baselines(zones_raw: RawTable, zones: list[dict], emissions: list[dict]) -> list[Problem]:
    years_with_data = {(r["zone_id"], r["year"]) for r in emissions
                       if r.get("emissions_tco2e") is not None}
    problems = []
    for z in zones:
        if z.get("zone_id") and z.get("baseline_year") is not None:
            if (z["zone_id"], z["baseline_year"]) not in years_with_data:
                problems.append(zones_raw.problem(
                    z["__row__"], "baseline_year",
                    f"baseline year {z['baseline_year']} of zone '{z['zone_id']}' has no emissions data"))
    return problems


def check_activity(raw: RawTable, activity: list[dict]) -> list[Problem]:
    problems = []
    for r in activity:
        total, nonfossil = r.get("total_energy_tce"), r.get("non_fossil_energy_tce")
        if total is not None and nonfossil is not None and nonfossil > total:
            problems.append(raw.problem(r["__row__"], "non_fossil_energy_tce",
                                        f"non-fossil energy {nonfossil:,.1f} tce exceeds total energy {total:,.1f} tce"))
    return problems


def check_year_gaps(raw: RawTable, emissions: list[dict]) -> list[Problem]:
    years: dict[str, set[int]] = {}
    for r in emissions:
        if r.get("zone_id") and r.get("year"):
            years.setdefault(r["zone_id"], set()).add(r["year"])
    problems = []
    for zone_id, ys in sorted(years.items()):
        missing = sorted(set(range(min(ys), max(ys) + 1)) - ys)
        if missing:
            problems.append(raw.problem(None, "year", f"zone '{zone_id}' has no emissions for "
                                        f"{', '.join(map(str, missing))} (a gap, reported as not reported)",
                                        "warning"))
    return problems


def duplicate_counts(values) -> Counter:
    return Counter(values)
