"""Measures on their plan (dataset contract v3): the state of each measure in assessment year Y.

- ``suspended``: its status says so;
- ``completed``: likewise;
- ``delayed``: planned or ongoing, and its ``planned_completion_year`` is before Y;
- ``progressing``: ongoing, with progress recorded for Y (or Y − 1 when Y has no rows yet)
  higher than the year before, or any achieved reduction;
- ``stalled``: ongoing, and its recorded progress has not moved for two years or more;
- ``progress_not_reported``: ongoing with neither a planned completion year nor progress rows
  (a data gap, not a fault);
- ``ongoing`` / ``planned``: otherwise (within its plan, nothing against it).

The years since ``start_year`` alone never make a measure stalled or delayed.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nzc_report.assess.zone_data import Ref, ZoneData

__all__ = ["MeasureState", "measure_states", "STATES"]

STATES = ("suspended", "completed", "delayed", "progressing", "stalled", "progress_not_reported", "ongoing",
          "planned")
STALLED_AFTER_YEARS = 2  # unmoved progress for this many years or more is stalled (dataset.md v3)


@dataclass(frozen=True)
class MeasureState:
    measure_id: str
    name: str
    sector: str
    status: str
    state: str
    start_year: int | None
    planned_completion_year: int | None
    progress_year: int | None  # the latest year with recorded progress (≤ Y)
    progress_pct: float | None
    unchanged_since: int | None  # for stalled: the first year its progress stood at this value
    refs: tuple[Ref, ...]

    def as_dict(self) -> dict:
        return {"measure_id": self.measure_id, "name": self.name, "sector": self.sector, "status": self.status,
                "state": self.state, "start_year": self.start_year,
                "planned_completion_year": self.planned_completion_year, "progress_year": self.progress_year,
                "progress_pct": self.progress_pct, "unchanged_since": self.unchanged_since}


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _progress(rows: pd.DataFrame, year: int) -> tuple[str | None, int | None, float | None, int | None]:
    """(progressing | stalled | None, latest year, its progress, unchanged since) from a measure's rows."""
    if rows.empty:
        return None, None, None, None
    years = sorted(int(y) for y in rows["year"])
    latest = year if year in years else (year - 1 if year - 1 in years else years[-1])
    by_year = {int(r["year"]): r for r in rows.to_dict("records")}
    now = by_year[latest]
    if (_num(now.get("achieved_reduction_tco2e")) or 0) > 0:
        return "progressing", latest, _num(now.get("progress_pct")), None
    pct = _num(now.get("progress_pct"))
    earlier = [y for y in years if y < latest and _num(by_year[y].get("progress_pct")) is not None]
    if pct is None or not earlier:
        return None, latest, pct, None
    if pct > (_num(by_year[earlier[-1]].get("progress_pct")) or 0):
        return "progressing", latest, pct, None
    since = latest
    for y in reversed(earlier):
        if _num(by_year[y].get("progress_pct")) == pct:
            since = y
        else:
            break
    return ("stalled" if latest - since >= STALLED_AFTER_YEARS else None), latest, pct, since


def measure_states(zd: ZoneData) -> list[MeasureState]:
    m = zd.table("measures")
    if m is None or m.empty:
        return []
    progress = zd.tables.get("measure_progress")
    year = zd.year
    out = []
    for r in m.to_dict("records"):
        status, planned = r["status"], _int(r.get("planned_completion_year"))
        rows = progress[progress["measure_id"] == r["measure_id"]] if progress is not None and not progress.empty \
            else pd.DataFrame(columns=["year"])
        moved, latest, pct, since = _progress(rows, year)
        refs = [Ref("measures", (int(r["__row__"]),), ("status", "planned_completion_year"))]
        if not rows.empty:
            refs.append(Ref("measure_progress", tuple(int(x) for x in rows["__row__"]),
                            ("progress_pct", "achieved_reduction_tco2e")))
        if status in ("suspended", "completed"):
            state = status
        elif planned is not None and planned < year:
            state = "delayed"
        elif status == "ongoing" and moved is not None:
            state = moved
        elif status == "ongoing" and planned is None and rows.empty:
            state = "progress_not_reported"
        else:
            state = status
        out.append(MeasureState(str(r["measure_id"]), str(r["name"]), str(r["sector"]), status, state,
                                _int(r.get("start_year")), planned, latest, pct, since if state == "stalled" else None,
                                tuple(refs)))
    return out
