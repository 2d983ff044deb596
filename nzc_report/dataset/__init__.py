"""Loading a dataset (CSV directory or dataset.xlsx) into typed frames.

``load_dataset`` either returns a Dataset or raises DatasetError carrying
every problem found. Warnings do not refuse a dataset; they ride along on
``Dataset.warnings``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nzc_report.dataset import validate
from nzc_report.dataset.io import DEFAULT_MAX_FILE_BYTES, RawTable, read_csv, read_workbook
from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.schema import REQUIRED_TABLES, TABLES, parse_table
from nzc_report.dataset.vocab import ZONE_TYPES
from nzc_report.errors import DatasetError, Problem, UsageError

__all__ = ["Dataset", "load_dataset", "sha256_file"]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


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


def _frame(name: str, records: list[dict]) -> pd.DataFrame:
    columns = [c.name for c in TABLES[name]]
    df = pd.DataFrame.from_records(records, columns=["__row__", *columns])
    for c in TABLES[name]:
        if c.kind in ("int", "year"):
            df[c.name] = df[c.name].astype("Int64")
        elif c.kind in ("float", "pct"):
            df[c.name] = df[c.name].astype("float64")
    return df


def _read_tables(path: Path, max_bytes: int) -> tuple[dict[str, RawTable], list[Path], list[Problem]]:
    if path.is_file() and path.suffix.lower() == ".xlsx":
        tables, problems = read_workbook(path, max_bytes)
        known = {k: v for k, v in tables.items() if k in TABLES}
        return known, [path], problems
    if not path.is_dir():
        raise UsageError(f"--data {path}: not a directory of CSV files nor an .xlsx workbook")
    tables, files, problems = {}, [], []
    for name in TABLES:
        f = path / f"{name}.csv"
        if f.is_file():
            files.append(f)
            raw, probs = read_csv(f, name, max_bytes)
            problems += probs
            if raw is not None:
                tables[name] = raw
    return tables, files, problems


def load_dataset(path: str | Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh") -> Dataset:
    path = Path(path)
    if not path.exists():
        raise UsageError(f"--data {path}: no such file or directory")
    raws, files, problems = _read_tables(path, max_file_bytes)
    label = path.name if path.is_file() else None
    for name in REQUIRED_TABLES:
        if name not in raws and not any(p.file.startswith(f"{name}.csv") for p in problems):
            where = f"{label}[{name}]" if label else f"{name}.csv"
            problems.append(Problem(where, None, None, "required table is missing"))

    parsed: dict[str, list[dict]] = {}
    for name, raw in raws.items():
        records, probs = parse_table(raw)
        problems += probs
        problems += validate.check_unique(raw, records)
        parsed[name] = records

    if "zones" in raws:
        zones = parsed["zones"]
        zone_ids = {z["zone_id"] for z in zones if z.get("zone_id")}
        problems += validate.check_zones(raws["zones"], zones)
        for name, raw in raws.items():
            if name not in ("zones", "meta"):
                problems += validate.check_zone_refs(raw, parsed[name], zone_ids)
        if "emissions" in raws:
            problems += validate.check_baselines(raws["zones"], zones, parsed["emissions"])
            problems += validate.check_year_gaps(raws["emissions"], parsed["emissions"])
    if "activity" in raws:
        problems += validate.check_activity(raws["activity"], parsed["activity"])

    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DatasetError(problems)
    tables = {name: _frame(name, parsed.get(name, [])) for name in TABLES}
    meta = {r["key"]: r["value"] or "" for r in parsed.get("meta", [])}
    return Dataset(path, tables, files, meta, [p for p in problems if p.severity == "warning"])
