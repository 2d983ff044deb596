"""The dataset contract's columns, and parsing text cells into typed values.

Each problem is collected, never raised one at a time, so that an evaluator
sees everything wrong with a file at once.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from nzc_report.dataset import vocab
from nzc_report.dataset.io import RawTable
from nzc_report.dataset.provinces import accepted_names, province_code
from nzc_report.errors import Problem

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
PLAIN_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # slug, text, int, year, float, pct, enum, domains, date, province
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


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
        Column("value", "float", True),
        Column("source", "text"),
    ],
    "targets": [
        _ZONE_KEY,
        Column("metric", "slug", True),
        Column("target_year", "year", True),
        Column("target_value", "float", True),
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

# Unique keys per table (after parsing).
KEYS: dict[str, tuple[str, ...]] = {
    "zones": ("zone_id",),
    "emissions": ("zone_id", "year", "sector"),
    "removals": ("zone_id", "year", "source"),
    "activity": ("zone_id", "year"),
    "indicators": ("zone_id", "year", "indicator_id"),
    "targets": ("zone_id", "metric", "target_year"),
    "measures": ("zone_id", "measure_id"),
    "mechanisms": ("zone_id", "year", "mechanism"),
    "meta": ("key",),
}


def did_you_mean(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def normalise_number_text(text: str) -> str:
    # NFKC turns full-width digits, dots and commas (１２，３４５．６) into ASCII.
    return unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u00a0", "")


def parse_number(text: str, percent_ok: bool) -> tuple[float | None, str | None]:
    """A float from a cell, or an error message. Never guesses a decimal comma."""
    s = normalise_number_text(text)
    if percent_ok and s.endswith("%"):
        s = s[:-1]
    if THOUSANDS_RE.match(s):
        s = s.replace(",", "")
    if not PLAIN_NUMBER_RE.match(s):
        if "," in s:
            return None, f"'{text}' is not a number (a comma is only allowed as a thousands separator, as in 1,234.5)"
        return None, f"'{text}' is not a number"
    return float(s), None


def parse_cell(col: Column, text: str):
    """Parse one non-empty cell; returns (value, error message or None)."""
    kind = col.kind
    if kind == "text":
        return text, None
    if kind == "slug":
        if SLUG_RE.match(text):
            return text, None
        return None, (f"'{text}' is not a valid id: use lower-case letters, digits, '-' and '_', "
                      f"starting with a letter or digit, at most 64 characters")
    if kind == "enum":
        if text in col.choices:
            return text, None
        return None, f"'{text}' is not one of {', '.join(col.choices)}{did_you_mean(text, col.choices)}"
    if kind == "domains":
        parts = [p.strip() for p in re.split(r"[;；]", text) if p.strip()]
        bad = [p for p in parts if p not in vocab.DOMAINS]
        if bad or not parts:
            hint = did_you_mean(bad[0], vocab.DOMAINS) if bad else ""
            return None, (f"'{text}' must be a ';'-separated list of "
                          f"{';'.join(vocab.DOMAINS)}{hint}")
        return tuple(dict.fromkeys(parts)), None
    if kind == "province":
        code = province_code(text)
        if code:
            return code, None
        return None, f"'{text}' is not a provincial-level division{did_you_mean(text, accepted_names())}"
    if kind == "date":
        m = DATE_RE.match(normalise_number_text(text))
        if not m or not (1 <= int(m[2]) <= 12) or (m[3] and not 1 <= int(m[3]) <= 31):
            return None, f"'{text}' is not a date of the form YYYY-MM or YYYY-MM-DD"
        return m[0], None
    if kind in ("int", "year"):
        value, err = parse_number(text, percent_ok=False)
        if err:
            return None, err
        if not float(value).is_integer():
            return None, f"'{text}' is not a whole number"
        value = int(value)
        if kind == "year" and not 1900 <= value <= 2100:
            return None, f"{value} is not a four-digit year between 1900 and 2100"
        return value, None
    if kind in ("float", "pct"):
        value, err = parse_number(text, percent_ok=True)
        if err:
            return None, err
        if col.minimum is not None and value < col.minimum:
            return None, f"{text} is below the minimum of {col.minimum:g}"
        if col.maximum is not None and value > col.maximum:
            return None, f"{text} is above the maximum of {col.maximum:g}"
        return value, None
    raise ValueError(f"unknown column kind {kind}")  # a bug in TABLES, not in the data


def parse_table(raw: RawTable) -> tuple[list[dict], list[Problem]]:
    """Typed records of one table (None for an empty cell), and the problems found."""
    spec = TABLES[raw.name]
    problems: list[Problem] = []
    for col in spec:
        if col.required and col.name not in raw.columns:
            problems.append(raw.problem(1, col.name, f"required column '{col.name}' is missing"
                                        f"{did_you_mean(col.name, raw.columns)}"))
    if problems:
        return [], problems
    records = []
    for row in raw.rows:
        rownum = int(row["__row__"])
        record: dict = {"__row__": rownum}
        for col in spec:
            text = row.get(col.name, "")
            if any(unicodedata.category(ch) == "Cc" for ch in text):
                problems.append(raw.problem(rownum, col.name, "contains control characters"))
                record[col.name] = None
                continue
            if text == "":
                if col.required:
                    problems.append(raw.problem(rownum, col.name, "is required but empty"))
                record[col.name] = None
                continue
            value, err = parse_cell(col, text)
            if err:
                problems.append(raw.problem(rownum, col.name, err))
            record[col.name] = value
        records.append(record)
    return records, problems
