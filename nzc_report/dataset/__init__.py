"""Loading a dataset (CSV directory or dataset.xlsx) into typed frames.

``load_dataset`` either returns a Dataset or raises DatasetError carrying
every problem found. Warnings do not refuse a dataset; they ride along on
``Dataset.warnings``.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nzc_report.dataset import validate
from nzc_report.dataset.catalogue import check_lang, msg
from nzc_report.dataset.io import (
    DEFAULT_MAX_FILE_BYTES, RawTable, file_kind_problem, read_csv, read_workbook)
from nzc_report.dataset.problems import DatasetRefused
from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.schema import REQUIRED_TABLES, TABLES, Context
from nzc_report.dataset.suggest import slug_form
from nzc_report.dataset.vocab import ZONE_TYPES
from nzc_report.digests import sha256_file
from nzc_report.errors import Problem, UsageError

__all__ = ["Dataset", "DatasetRefused", "load_dataset", "sha256_file"]


@dataclass
class Dataset:
    source: Path
    tables: dict[str, pd.DataFrame]
    files: list[Path]
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    # -- the dataset as a whole -------------------------------------------------
    @property
    def is_sample(self) -> bool:
        return self.meta.get("is_sample", "").strip().lower() in ("true", "yes", "1")

    @property
    def label(self) -> str:
        return self.meta.get("dataset_label", "示例数据" if self.is_sample else "")

    @property
    def report_date(self) -> str | None:
        return self.meta.get("report_date") or None

    def latest_year(self) -> int:
        return int(self.tables["emissions"]["year"].max())

    def assessment_year(self, year: int | None, lang: str = "zh") -> int:
        """``year``, or the latest with emissions data; UsageError when it lies outside the
        data's years (from the first to the one after the last: a report for a year whose
        data is not in yet says so)."""
        last = self.latest_year()
        if year is None:
            return last
        first = int(self.tables["emissions"]["year"].min())
        if not first <= year <= last + 1:
            raise UsageError(msg("year_outside_data", check_lang(lang), value=year, first=first, last=last,
                                 limit=last + 1))
        return int(year)

    def provenance(self) -> list[dict]:
        """The input files and their sha256, as reports and manifests cite them."""
        return [{"file": p.name, "sha256": sha256_file(p)} for p in self.files]

    # -- one zone ---------------------------------------------------------------
    @property
    def zone_ids(self) -> list[str]:
        return list(self.tables["zones"]["zone_id"])

    def zone(self, zone_id: str) -> dict:
        zones = self.tables["zones"]
        match = zones[zones["zone_id"] == zone_id]
        if match.empty:
            raise UsageError(f"unknown zone '{zone_id}'")
        z = match.iloc[0].to_dict()
        z["province_code"] = z["province"]
        z["province_name"] = PROVINCE_NAMES[z["province"]]
        z["zone_type_label"] = ZONE_TYPES[z["zone_type"]]
        return {k: (None if _isna(v) else v) for k, v in z.items()}

    def rows(self, table: str, zone_id: str) -> pd.DataFrame:
        df = self.tables[table]
        return df[df["zone_id"] == zone_id].reset_index(drop=True)


def _isna(v) -> bool:
    return not isinstance(v, (tuple, list)) and pd.isna(v)


def _frame(name: str, typed: pd.DataFrame | None) -> pd.DataFrame:
    """The table as the rest of nzc_report reads it: contract columns, __row__, None for empty."""
    spec = TABLES[name]
    if typed is None or typed.empty:
        df = pd.DataFrame(columns=["__row__", *(c.name for c in spec)], dtype=object)
        for c in spec:
            if c.kind in ("int", "year"):
                df[c.name] = df[c.name].astype("Int64")
            elif c.kind == "float":
                df[c.name] = df[c.name].astype("float64")
        return df
    data: dict[str, object] = {"__row__": [int(i) for i in typed.index]}
    for c in spec:
        values = [None if not isinstance(v, (tuple, list)) and pd.isna(v) else v for v in typed[c.name].tolist()]
        if c.kind in ("int", "year"):  # typed, not inferred and cast: a cast a column costs more than the rows
            data[c.name] = pd.array(values, dtype="Int64")
        elif c.kind == "float":
            data[c.name] = np.array(values, dtype="float64")
        elif c.kind == "domains":
            data[c.name] = [tuple(v.split(";")) if v is not None else None for v in values]
        else:
            data[c.name] = values
    return pd.DataFrame(data)


def _read_tables(path: Path, max_bytes: int, lang: str
                 ) -> tuple[dict[str, RawTable], list[Path], list[Problem]]:
    if path.is_file() and path.suffix.lower() == ".xlsx":
        tables, problems = read_workbook(path, set(TABLES), max_bytes, lang)
        return tables, [path], problems
    if not path.is_dir():
        raise UsageError(f"--data {path}: not a directory of CSV files nor an .xlsx workbook")
    tables, files, problems = {}, [], []
    for name in TABLES:
        f = path / f"{name}.csv"
        refused = file_kind_problem(f, path, f.name, lang)
        if refused is not None:
            problems.append(refused)
        elif f.is_file():
            files.append(f)
            raw, probs = read_csv(f, name, max_bytes, lang)
            problems += probs
            if raw is not None:
                tables[name] = raw
    return tables, files, problems


def _table_of(p: Problem) -> str:
    """zones for zones.csv and dataset.xlsx[zones]!B7; "" for a workbook as a whole."""
    if "[" in p.file:
        return p.file.split("[", 1)[1].split("]", 1)[0]
    return p.file.removesuffix(".csv") if p.file.endswith(".csv") else ""


def _filled(df: pd.DataFrame, *columns: str) -> list[tuple]:
    """The rows of ``df`` (their ``columns``, in order) with none of those cells empty."""
    filled = df[list(columns)].notna().all(axis="columns").tolist()
    return [t for t, keep in zip(zip(*(df[c].tolist() for c in columns)), filled) if keep]


def _context(raws: dict[str, RawTable], checked: dict, units, programmes=None) -> Context:
    ctx = Context(units=dict(units) if units is not None else None,
                  programmes=tuple(programmes) if programmes is not None else None)
    if "zones" in raws:
        ctx.zones_label = raws["zones"].label
        written = {r["zone_id"] for r in raws["zones"].rows if r.get("zone_id")}
        # An id refused as a slug ('Alpha!') is taken to mean its slug form ('alpha') by the
        # rows that refer to it, so one typo is one problem, not one per row.
        ctx.zone_ids = written | {s for s in map(slug_form, written) if s}
    if "zones" in checked and not checked["zones"].missing:
        z = checked["zones"].typed
        ctx.baselines = {zone: int(y) for zone, y in _filled(z, "zone_id", "baseline_year")}
    measures = checked.get("measures")
    if measures is not None and not measures.missing:
        ctx.measures = set(_filled(measures.typed, "zone_id", "measure_id"))
    emissions = checked.get("emissions")
    if emissions is not None and emissions.raw.rows and not emissions.missing:
        e = emissions.typed
        ctx.emission_years = {(zone, int(y)) for zone, y, _ in _filled(e, "zone_id", "year", "emissions_tco2e")}
    return ctx


def load_dataset(path: str | Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh",
                 indicator_units: Mapping[str, str] | None = None,
                 programmes: Sequence[str] | None = None) -> Dataset:
    """The dataset at ``path``, checked against the contract; DatasetError with every problem if refused.

    ``indicator_units`` (indicator_id → unit, from the framework the build
    uses) makes unknown indicator ids and target metrics errors and puts
    %-unit values in 0..100; without it, ids ending in ``_pct`` are percentages.
    ``programmes`` (the known framework ids) makes an unknown ``zones.programme`` an error.
    """
    path = Path(path)
    check_lang(lang)
    if not path.exists():
        raise UsageError(f"--data {path}: no such file or directory")
    raws, files, problems = _read_tables(path, max_file_bytes, lang)
    unreadable = {p.file.removesuffix(".csv") for p in problems}  # a CSV refused as a whole
    # a workbook refused as a whole (unreadable, or over a bound before any sheet was read)
    workbook_refused = path.is_file() and not raws and any(p.severity == "error" for p in problems)
    for name in REQUIRED_TABLES:
        if name in raws or name in unreadable or workbook_refused:
            continue
        if path.is_file():
            problems.append(Problem(f"{path.name}[{name}]", None, None, msg("required_sheet_missing", lang)))
        else:
            problems.append(Problem(f"{name}.csv", None, None, msg("required_file_missing", lang)))

    # Emissions first (checked against the zone ids as written), then zones (baseline years
    # need the emissions), then the rest (target years need the zones' baselines).
    order = ["emissions", "zones", *(n for n in TABLES if n not in ("emissions", "zones"))]
    checked: dict[str, validate.Checked] = {}
    for name in order:
        if name in raws:
            checked[name] = validate.check_table(raws[name], _context(raws, checked, indicator_units, programmes), lang)

    found: dict[str, list[Problem]] = {name: [] for name in TABLES}
    workbook_level: list[Problem] = []
    for p in problems:
        name = _table_of(p)
        (found[name] if name in found else workbook_level).append(p)
    for name, c in checked.items():
        found[name] += c.problems + validate.jumps(c, lang)
    if "emissions" in checked:
        found["emissions"] += validate.year_gaps(raws["emissions"], checked["emissions"].typed, lang)
    if "mechanisms" in checked and "targets" in checked:
        found["mechanisms"] += validate.staged_targets_said(checked["mechanisms"], checked["targets"], lang)
    problems = workbook_level
    for name in TABLES:
        problems += validate.in_sheet_order(found[name], raws.get(name))

    unlisted = sum(c.unlisted for c in checked.values())
    if unlisted or any(p.severity == "error" for p in problems):
        raise DatasetRefused(problems, lang=lang, unlisted=unlisted)
    tables = {name: _frame(name, checked[name].typed if name in checked else None) for name in TABLES}
    # an empty value is "" (pandas reads the text column's empty cells as NaN, which is no text)
    meta = {key: "" if pd.isna(value) else value
            for key, value in zip(tables["meta"]["key"].tolist(), tables["meta"]["value"].tolist())
            if not pd.isna(key) and key}
    return Dataset(path, tables, files, meta, [p for p in problems if p.severity == "warning"])
