"""One zone's slice of the dataset, up to the assessment year, with row references.

Every computation downstream takes a ZoneData, never the whole Dataset: that
keeps them pure and lets each figure point back to the file rows it rests on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nzc_report.assess import emissions as em
from nzc_report.dataset import Dataset
from nzc_report.errors import UsageError

__all__ = ["Ref", "ZoneData", "zone_data"]

YEARLESS = ("zones", "targets", "measures")


@dataclass(frozen=True)
class Ref:
    """Where a figure comes from: a table, its spreadsheet rows (header = row 1), its columns."""

    table: str
    rows: tuple[int, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ZoneData:
    zone: dict
    year: int  # the assessment year asked for
    tables: dict[str, pd.DataFrame]  # the zone's rows; rows after `year` dropped
    files: dict[str, str]  # table → the file name reports cite
    series: pd.DataFrame  # per year: gross_tco2e, removals_tco2e, removals_reported, net_tco2e
    # the year of the dataset's report date (meta.csv report_date), if it gives one: a time frame the
    # report sets must lie after it ("在2025年前" in a report dated 2025-03-31 was already past)
    report_year: int | None = None
    report_date: str | None = None  # meta.csv report_date (ISO), if it gives one
    # what records() and refs_for_year() read off the tables, made once (a zone's figures ask for the
    # same rows hundreds of times; a pandas filter each time was most of an assessment's CPU)
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def baseline_year(self) -> int:
        return int(self.zone["baseline_year"])

    @property
    def zone_type(self) -> str:
        return self.zone["zone_type"]

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def records(self, name: str) -> list[dict]:
        """The rows of table ``name`` as dicts, in order (made once; read them, do not change them)."""
        key = ("records", name)
        if key not in self._memo:
            # to_dict, not itertuples: namedtuples rename the "__row__" column
            self._memo[key] = self.tables[name].to_dict("records")
        return self._memo[key]

    def refs_for_year(self, table: str, year: int, columns: tuple[str, ...]) -> tuple[Ref, ...]:
        key = ("rows by year", table)
        if key not in self._memo:
            by_year: dict[int, list[int]] = {}
            for r in self.records(table):
                by_year.setdefault(r["year"], []).append(int(r["__row__"]))
            self._memo[key] = by_year
        rows = tuple(self._memo[key].get(year, ()))
        return (Ref(table, rows, columns),) if rows else ()

    def emission_refs(self, year: int) -> tuple[Ref, ...]:
        """The emissions (and removals, if any) rows behind the net emissions of ``year``."""
        return (self.refs_for_year("emissions", year, ("emissions_tco2e",))
                + self.refs_for_year("removals", year, ("removals_tco2e",)))

    def zone_ref(self, *columns: str) -> Ref:
        return Ref("zones", (int(self.zone["__row__"]),), tuple(columns))

    def cite(self, refs) -> list[dict]:
        """Refs as results.json evidence: file, rows, columns; same file and columns merged."""
        merged: dict[tuple[str, tuple[str, ...]], set[int]] = {}
        for r in refs:
            merged.setdefault((r.table, r.columns), set()).update(r.rows)
        return [{"file": self.files.get(t, f"{t}.csv"), "rows": sorted(rows), "columns": list(cols)}
                for (t, cols), rows in merged.items()]


def _file_labels(ds: Dataset, names) -> dict[str, str]:
    source = ds.source
    if source.is_file():  # one workbook: its sheets carry the table names
        return {n: f"{source.name}[{n}]" for n in names}
    return {n: f"{n}.csv" for n in names}


def zone_data(ds: Dataset, zone_id: str, year: int) -> ZoneData:
    zone = ds.zone(zone_id)
    tables = {}
    for name in ds.tables:
        if name == "meta":
            continue
        df = ds.rows(name, zone_id)
        if name not in YEARLESS and "year" in df.columns:
            df = df[df["year"] <= year].reset_index(drop=True)
        tables[name] = df
    e = tables["emissions"]
    if e.empty:
        raise UsageError(f"zone '{zone_id}' has no emissions data up to {year}")
    baseline = int(zone["baseline_year"])
    if baseline > year:
        raise UsageError(f"zone '{zone_id}': the assessment year {year} is before its baseline year {baseline}")
    series = em.yearly_series(e, tables["removals"], year)
    report = ds.report_date
    return ZoneData(zone=zone, year=int(year), tables=tables, files=_file_labels(ds, ds.tables), series=series,
                    report_year=int(report[:4]) if report else None, report_date=report or None)
