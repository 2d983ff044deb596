"""The dataset contract's columns, and the checks (checks.py) that hold a table to them.

Three passes per table, run in order on the canonical cell text (cells.py):

1. ``format_checks``: is each cell's text a number, a year, a slug, one of
   the enum values, a province, a date? (strings in, strings out)
2. ``DTYPES`` (``typed``): cast the columns to their dtypes. The cells the
   first pass refused are emptied before, so this cannot fail.
3. ``rule_checks``: values against the contract: required cells, ranges,
   unique keys, foreign keys, baseline-year data, plausible target years,
   non-fossil ≤ total, percentages in 0..100. Cross-table facts come in a
   ``Context``.

Check names are message keys of messages.yaml; validate.py turns the
failure cases into located, translated problems.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field

import pandas as pd

from nzc_report.dataset import vocab
from nzc_report.dataset.catalogue import limits
from nzc_report.dataset.cells import is_percent_metric
from nzc_report.dataset.checks import Check, ColumnChecks, TableChecks, coerce
from nzc_report.dataset.provinces import PROVINCE_NAMES

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
INTEGER_RE = re.compile(r"^[+-]?\d+$")
# Infinity and NaN as people and programs spell them (after NFKC: ＮａＮ is NaN): words, not numbers.
NON_FINITE_RE = re.compile(r"^[+-]?(inf(inity)?|nan|∞|1\.#(inf|qnan|snan|ind)0*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # slug, text, int, year, float, enum, domains, date, province
    required: bool = False
    minimum: float | None = None
    choices: tuple[str, ...] = ()
    percent_by: str | None = None  # the column naming the metric whose unit decides if this is a %


def _enum(name: str, choices, required: bool = True) -> Column:
    return Column(name, "enum", required, choices=tuple(choices))


_ZONE_KEY = Column("zone_id", "slug", True)
_YEAR = Column("year", "year", True)

TABLES: dict[str, list[Column]] = {
    "zones": [
        _ZONE_KEY,
        Column("name", "text", True),
        Column("province", "province", True),
        Column("city", "text"),
        _enum("zone_type", vocab.ZONE_TYPES),
        Column("approved_year", "year", True),
        Column("baseline_year", "year", True),
        Column("sectors", "domains", True),
        Column("area_km2", "float", minimum=0),
        Column("implementing_body", "text"),
        Column("plan_document", "text"),
        Column("plan_date", "date"),
        Column("name_en", "text"),  # extension: pinyin or English name, for --lang en
        Column("programme", "slug"),  # version 3: the framework the zone is assessed under
    ],
    "emissions": [
        _ZONE_KEY, _YEAR,
        _enum("sector", vocab.EMISSION_SECTORS),
        Column("emissions_tco2e", "float", True, minimum=0),
    ],
    "removals": [
        _ZONE_KEY, _YEAR,
        _enum("source", vocab.REMOVAL_SOURCES),
        Column("removals_tco2e", "float", True, minimum=0),
    ],
    "activity": [
        _ZONE_KEY, _YEAR,
        Column("population", "float", minimum=0),
        Column("gdp_10k_cny", "float", minimum=0),
        Column("total_energy_tce", "float", minimum=0),
        Column("non_fossil_energy_tce", "float", minimum=0),
        Column("floor_area_10k_m2", "float", minimum=0),
    ],
    "indicators": [
        _ZONE_KEY, _YEAR,
        Column("indicator_id", "slug", True),
        Column("value", "float", True, percent_by="indicator_id"),
        Column("source", "text"),
    ],
    "targets": [
        _ZONE_KEY,
        Column("metric", "slug", True),
        Column("target_year", "year", True),
        Column("target_value", "float", True, percent_by="metric"),
        Column("source", "text"),
    ],
    "measures": [
        _ZONE_KEY,
        Column("measure_id", "text", True),
        Column("name", "text", True),
        _enum("sector", vocab.DOMAINS),
        _enum("status", vocab.MEASURE_STATUSES),
        Column("start_year", "year"),
        Column("investment_10k_cny", "float", minimum=0),
        Column("expected_reduction_tco2e", "float", minimum=0),
        Column("planned_completion_year", "year"),  # v3: empty for a measure that runs without end
    ],
    # v3: the measured progress of a measure, one row per zone, measure and year
    "measure_progress": [
        _ZONE_KEY,
        Column("measure_id", "text", True),
        _YEAR,
        Column("progress_pct", "float", minimum=0),
        Column("achieved_reduction_tco2e", "float", minimum=0),
        Column("source", "text"),
    ],
    "mechanisms": [
        _ZONE_KEY, _YEAR,
        _enum("mechanism", vocab.MECHANISMS),
        _enum("status", vocab.MECHANISM_STATUSES),
        Column("evidence", "text"),
    ],
    # Not in contract v1: key/value facts about the dataset itself (label, report date).
    "meta": [Column("key", "text", True), Column("value", "text")],
}

REQUIRED_TABLES = ("zones", "emissions")

# Unique keys per table.
KEYS: dict[str, tuple[str, ...]] = {
    "zones": ("zone_id",),
    "emissions": ("zone_id", "year", "sector"),
    "removals": ("zone_id", "year", "source"),
    "activity": ("zone_id", "year"),
    "indicators": ("zone_id", "year", "indicator_id"),
    "targets": ("zone_id", "metric", "target_year"),
    "measures": ("zone_id", "measure_id"),
    "measure_progress": ("zone_id", "measure_id", "year"),
    "mechanisms": ("zone_id", "year", "mechanism"),
    "meta": ("key",),
}

DTYPES = {"year": "Int64", "int": "Int64", "float": "float64"}
NUMERIC_KINDS = tuple(DTYPES)

# Checks over whole rows: the column a problem is reported at.
ROW_CHECK_COLUMN = {
    "baseline_no_data": "baseline_year",
    "baseline_after_approval": "baseline_year",
    "target_not_after_baseline": "target_year",
    "non_fossil_exceeds_total": "non_fossil_energy_tce",
    "unknown_measure": "measure_id",
    "progress_row_empty": "progress_pct",
}
WARNING_CHECKS = {"baseline_after_approval"}


def columns(table: str) -> dict[str, Column]:
    return {c.name: c for c in TABLES[table]}


@dataclass
class Context:
    """Facts from other tables that rows of one table are checked against."""

    zone_ids: set[str] | None = None  # every zone_id written in zones (None: zones unreadable)
    zones_label: str = "zones.csv"
    baselines: dict[str, int] = field(default_factory=dict)
    emission_years: set[tuple[str, int]] | None = None  # (zone, year) with emissions; None: no table
    units: dict[str, str] | None = None  # indicator_id → unit, from the framework, if given
    measures: set[tuple[str, str]] | None = None  # (zone, measure_id) of measures; None: no table
    programmes: tuple[str, ...] | None = None  # framework ids a zone's programme may name, if given


# -- 1. formats ---------------------------------------------------------------------
def valid_date(text: str) -> bool:
    m = DATE_RE.match(text)
    if not m:
        return False
    try:
        dt.date(int(m[1]), int(m[2]), int(m[3] or 1))
    except ValueError:
        return False
    return True


def _format_checks(col: Column) -> list[Check]:
    """Checks of one cell's canonical text (a str), each True where the text is fine."""
    kind = col.kind
    if kind == "slug":
        return [Check(lambda v: SLUG_RE.fullmatch(v) is not None, "not_slug")]
    if kind == "enum":
        choices = set(col.choices)
        return [Check(lambda v: v in choices, "not_enum")]
    if kind == "province":
        return [Check(lambda v: v in PROVINCE_NAMES, "not_province")]
    if kind == "domains":
        return [Check(lambda v: all(p in vocab.DOMAINS for p in v.split(";")), "not_domains")]
    if kind == "date":
        return [Check(valid_date, "not_date")]
    if kind in ("year", "int"):
        checks = [Check(lambda v: INTEGER_RE.fullmatch(v) is not None, "not_a_number")]
        if kind == "year":  # here, not after the cast: 99999999999999999999 is no Int64
            checks.append(Check(_year_in_range, "year_range"))
        return checks
    if kind == "float":
        # Three disjoint failures, so that a cell gets the one message that fits it.
        return [Check(lambda v: not is_non_finite_word(v), "non_finite_word"),
                Check(lambda v: is_non_finite_word(v) or bool(NUMBER_RE.fullmatch(v)), "not_a_number"),
                Check(_no_overflow, "number_overflow")]
    return []


def is_non_finite_word(text: str) -> bool:
    """``inf``, ``-Infinity``, ``NaN``, ``∞``, ``1.#INF`` … (canonical text: NFKC, no spaces)."""
    return bool(NON_FINITE_RE.fullmatch(text))


def _no_overflow(text: str) -> bool:
    """False for number text that overflows a float to infinity (``1e400``); True otherwise."""
    return not NUMBER_RE.fullmatch(text) or math.isfinite(float(text))


def _year_in_range(text: str) -> bool:
    if not INTEGER_RE.fullmatch(text):
        return True  # not_a_number says what is wrong with it
    return limits()["year_min"] <= int(text) <= limits()["year_max"]


def plausible_range(table: str, column: str) -> tuple[float, float] | None:
    """(min, max) a finite figure of ``table.column`` must lie in (limits.yaml), or None."""
    bounds = limits()["plausible_range"].get(f"{table}.{column}")
    return (float(bounds[0]), float(bounds[1])) if bounds else None


def format_checks(table: str) -> TableChecks:
    return TableChecks(table, [ColumnChecks(c.name, _format_checks(c), required=c.required)
                               for c in TABLES[table]])


# -- 2. dtypes ------------------------------------------------------------------------
def typed(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (canonical text, refused cells emptied) with its figures cast to their dtypes."""
    return coerce(df, {c.name: DTYPES[c.kind] for c in TABLES[table] if c.kind in DTYPES})


# -- 3. rules -------------------------------------------------------------------------
def _value_checks(table: str, col: Column, ctx: Context) -> list[Check]:
    """Checks of one cell's typed value (an int, a float or a str), each True where it is fine."""
    checks = []
    if col.kind == "year":
        lo, hi = limits()["year_min"], limits()["year_max"]
        checks.append(Check(lambda v: lo <= v <= hi, "year_range"))
    bounds = plausible_range(table, col.name) if col.kind == "float" else None
    lowest = col.minimum if col.minimum is not None else (bounds[0] if bounds else None)
    if lowest is not None:
        checks.append(Check(lambda v: v >= lowest, "below_minimum"))
    if bounds is not None:
        highest = bounds[1]
        checks.append(Check(lambda v: v <= highest, "above_maximum"))
    if col.kind == "float":
        tiny = float(limits()["smallest_nonzero"])
        checks.append(Check(lambda v: v == 0 or abs(v) >= tiny, "below_resolution"))
    if col.name == "zone_id" and table not in ("zones", "meta") and ctx.zone_ids is not None:
        zone_ids = ctx.zone_ids
        checks.append(Check(lambda v: v in zone_ids, "unknown_zone"))
    if table == "zones" and col.name == "programme" and ctx.programmes is not None:
        programmes = ctx.programmes
        checks.append(Check(lambda v: v in programmes, "unknown_programme"))
    units = ctx.units
    if units is not None:
        if table == "indicators" and col.name == "indicator_id":
            checks.append(Check(lambda v: v in units, "unknown_indicator"))
        if table == "targets" and col.name == "metric":
            known = set(units) | set(vocab.BUILTIN_TARGET_METRICS)
            checks.append(Check(lambda v: v in known, "unknown_metric"))
    return checks


def _ok_where_missing(df: pd.DataFrame, *cols: str) -> pd.Series:
    missing = pd.Series(False, index=df.index)
    for c in cols:
        missing |= df[c].isna() if c in df else True
    return missing


def _row_checks(table: str, ctx: Context) -> list[Check]:
    checks = []
    if table == "zones":
        if ctx.emission_years is not None:
            def baseline_has_data(df):
                ok = _ok_where_missing(df, "zone_id", "baseline_year")
                pairs = pd.Series([(z, b) in ctx.emission_years for z, b in
                                   zip(df["zone_id"], df["baseline_year"])], index=df.index)
                return ok | pairs
            checks.append(Check(baseline_has_data, "baseline_no_data"))
        years = limits()["baseline_after_approval_years"]
        checks.append(Check(
            lambda df: _ok_where_missing(df, "baseline_year", "approved_year")
            | (df["baseline_year"] <= df["approved_year"] + years).fillna(True),
            name="baseline_after_approval"))
    if table == "targets":
        def after_baseline(df):
            baseline = df["zone_id"].map(ctx.baselines).astype("Float64")
            return (baseline.isna() | df["target_year"].isna()
                    | (df["target_year"] > baseline)).fillna(True)
        checks.append(Check(after_baseline, "target_not_after_baseline"))
    if table == "activity":
        checks.append(Check(
            lambda df: _ok_where_missing(df, "total_energy_tce", "non_fossil_energy_tce")
            | (df["non_fossil_energy_tce"] <= df["total_energy_tce"]).fillna(True),
            name="non_fossil_exceeds_total"))
    if table == "measure_progress":
        known = ctx.measures or set()
        checks.append(Check(
            lambda df: _ok_where_missing(df, "zone_id", "measure_id")
            | pd.Series([(z, m) in known for z, m in zip(df["zone_id"], df["measure_id"])], index=df.index),
            name="unknown_measure"))
        checks.append(Check(lambda df: df["progress_pct"].notna() | df["achieved_reduction_tco2e"].notna(),
                               name="progress_row_empty"))
        checks.append(Check(lambda df: (df["progress_pct"].isna() | df["progress_pct"].between(0, 100)).fillna(True),
                               name="percent_range:progress_pct"))
    for col in TABLES[table]:
        if col.percent_by:
            def in_percent_range(df, col=col):
                pct = df[col.percent_by].map(lambda m: is_percent_metric(m, ctx.units)).astype(bool)
                return (~pct | df[col.name].isna() | df[col.name].between(0, 100)).fillna(True)
            checks.append(Check(in_percent_range, f"percent_range:{col.name}"))
    return checks


def rule_checks(table: str, ctx: Context) -> TableChecks:
    return TableChecks(table,
                       [ColumnChecks(c.name, _value_checks(table, c, ctx), nullable=not c.required)
                        for c in TABLES[table]],
                       rows=_row_checks(table, ctx),
                       unique=KEYS[table])
