"""Gross and net emissions per year, and the reduction versus the baseline year.

Definitions are those of ../shared/spec/dataset.md: gross = sum over sectors,
net = gross − removals, reduction = (net(base) − net(Y)) / net(base) × 100
with Y the latest year ≤ the assessment year that has emissions data.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class EmissionsSummary:
    baseline_year: int
    data_year: int  # latest year ≤ assessment year with emissions data
    baseline_net_tco2e: float
    net_tco2e: float
    gross_tco2e: float
    removals_tco2e: float | None  # None: not reported for data_year
    net_reduction_pct: float | None  # None when the baseline net is not positive

    def as_dict(self) -> dict:
        return {
            "baseline_net_tco2e": self.baseline_net_tco2e,
            "net_tco2e": self.net_tco2e,
            "gross_tco2e": self.gross_tco2e,
            "removals_tco2e": self.removals_tco2e,
            "net_reduction_pct": self.net_reduction_pct,
        }


def sector_table(emissions: pd.DataFrame, year: int) -> pd.DataFrame:
    """Emissions by year (rows) and sector (columns), years ≤ ``year`` only."""
    e = emissions[emissions["year"] <= year]
    table = e.pivot_table(index="year", columns="sector", values="emissions_tco2e", aggfunc="sum")
    table.index = table.index.astype(int)
    return table.sort_index()


def yearly_series(emissions: pd.DataFrame, removals: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per year ≤ ``year``: gross, removals (NaN = not reported), net.

    A year without removals data counts as zero in the arithmetic; the flag
    ``removals_reported`` lets the report say it was not reported.
    """
    e = emissions[emissions["year"] <= year]
    gross = e.groupby("year")["emissions_tco2e"].sum()
    r = removals[removals["year"] <= year]
    rem = r.groupby("year")["removals_tco2e"].sum() if not r.empty else pd.Series(dtype=float)
    frame = pd.DataFrame({"gross_tco2e": gross})
    frame.index = frame.index.astype(int)
    rem.index = rem.index.astype(int)
    frame["removals_tco2e"] = rem.reindex(frame.index)
    frame["removals_reported"] = frame["removals_tco2e"].notna()
    frame["net_tco2e"] = frame["gross_tco2e"] - frame["removals_tco2e"].fillna(0.0)
    return frame.sort_index()


def reduction_pct(baseline_net: float, net: float) -> float | None:
    if baseline_net <= 0:
        return None  # a reduction relative to zero or a net sink is undefined
    return (baseline_net - net) / baseline_net * 100.0


def summarise(series: pd.DataFrame, baseline_year: int) -> EmissionsSummary:
    data_year = int(series.index.max())
    base = series.loc[baseline_year]
    cur = series.loc[data_year]
    return EmissionsSummary(
        baseline_year=baseline_year,
        data_year=data_year,
        baseline_net_tco2e=float(base["net_tco2e"]),
        net_tco2e=float(cur["net_tco2e"]),
        gross_tco2e=float(cur["gross_tco2e"]),
        removals_tco2e=None if pd.isna(cur["removals_tco2e"]) else float(cur["removals_tco2e"]),
        net_reduction_pct=reduction_pct(float(base["net_tco2e"]), float(cur["net_tco2e"])),
    )
