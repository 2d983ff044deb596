"""Running the checks (schema.py) over a dataset's tables and saying what failed, where.

checks.py finds the failures; this module turns each failure case into a
Problem at the spreadsheet cell a person would look at, in the language asked
for, with a "did you mean" where one helps. One problem per cell: a cell whose
text is not a number is not also reported as empty or out of range.
Warnings over a series (gaps in the years, jumps of more than 3× from one
year to the next) are below.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from nzc_report.dataset import cells, vocab
from nzc_report.dataset.catalogue import limits, msg
from nzc_report.dataset.io import RawTable
from nzc_report.dataset.schema import (
    KEYS, NUMBER_RE, NUMERIC_KINDS, REQUIRED_TABLES, ROW_CHECK_COLUMN, TABLES, WARNING_CHECKS, Column,
    Context, columns, format_checks, plausible_range, rule_checks, typed, valid_date)
from nzc_report.dataset.checks import failures
from nzc_report.dataset.suggest import suggestion
from nzc_report.errors import Problem

_UNIQUENESS = ("multiple_fields_uniqueness",)
# Workbook cells (io.cell_kind) refused where a figure is due, or (errors, formulas) anywhere.
_CELL_KIND_MESSAGES = {"error": "cell_error_value", "formula": "formula_no_value",
                       "boolean": "cell_boolean", "date": "cell_date"}
_ANY_COLUMN_KINDS = ("error", "formula")


@dataclass
class Checked:
    """One table after checking: its typed frame (bad cells emptied) and what was found."""

    raw: RawTable
    original: pd.DataFrame  # text as written (controls escaped), index = spreadsheet row
    typed: pd.DataFrame
    problems: list[Problem]
    missing: set[str]  # required columns absent from the header
    unlisted: int = 0  # problems found past limits.yaml's max_problems, counted, not written out


# -- text ------------------------------------------------------------------------------
def _canonical(col: Column, text: str, row: dict, units) -> str:
    kind = col.kind
    if kind in ("year", "int"):
        return cells.integer_text(text)
    if kind == "float":
        percent = bool(col.percent_by) and cells.is_percent_metric(row.get(col.percent_by), units)
        return cells.number_text(text, percent)
    if kind == "province":
        return cells.province_text(text)
    if kind == "domains":
        return cells.domains_text(text)
    if kind == "date":
        return cells.date_text(text)
    return text


def _text_frames(raw: RawTable, units, lang: str
                 ) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem], set[tuple[int, str]]]:
    """The table's text as written and in canonical form; warnings for escaped controls,
    errors (and the cells they concern) for text over limits.yaml's text_max_chars."""
    spec = [c for c in TABLES[raw.name] if c.name in raw.columns]
    index = [int(r["__row__"]) for r in raw.rows]
    longest = int(limits()["text_max_chars"])
    original, canonical, problems = [], [], []
    too_long: set[tuple[int, str]] = set()
    for r in raw.rows:
        o, c = {}, {}
        for col in spec:
            written = r.get(col.name, "")
            if len(written) > longest:
                row = int(r["__row__"])
                problems.append(raw.problem(row, col.name, msg("text_too_long", lang, length=len(written),
                                                               limit=longest)))
                too_long.add((row, col.name))
                written = written[:longest]
            text, escaped = cells.escape_controls(written)
            if escaped:
                problems.append(raw.problem(int(r["__row__"]), col.name,
                                            msg("control_characters", lang, shown=text), "warning"))
            o[col.name] = text or None
        for col in spec:
            shown = o[col.name]
            if shown and raw.sheet:  # the workbook offers the labels of coded values: 县域 is county
                shown = vocab.code_of(raw.name, col.name, shown)
            c[col.name] = _canonical(col, shown, o, units) if shown else None
        original.append(o)
        canonical.append(c)
    names = [c.name for c in spec]
    return (pd.DataFrame(original, index=index, columns=names, dtype=object),
            pd.DataFrame(canonical, index=index, columns=names, dtype=object), problems, too_long)


def _empty(df: pd.DataFrame, cells: list[tuple[int, str]], empty) -> None:
    """The ``cells`` (row, column) of ``df`` set to ``empty``, a column at a time."""
    by_column: dict[str, list[int]] = {}
    for row, column in cells:
        by_column.setdefault(column, []).append(row)
    for column, rows in by_column.items():
        df.loc[rows, column] = empty


def _failure_order(f: dict) -> tuple[int, int]:
    """Top to bottom; header-level failures (a missing column) first."""
    index = f.get("index")
    return (0, 0) if index is None or pd.isna(index) else (1, int(index))


def _number_message(text: str, kind: str, lang: str) -> str:
    """Why a cell is not a number: not whole, a stray %, a decimal comma, or just not one."""
    canonical = cells.number_text(text, percent=False)
    if cells.has_inner_space(cells.number_text(text, percent=True)):
        return msg("number_inner_space", lang, value=text)
    if kind in ("year", "int") and NUMBER_RE.match(canonical):
        return msg("not_whole_number", lang, value=text)
    if canonical.endswith("%") and NUMBER_RE.match(cells.number_text(text, percent=True)):
        return msg("percent_sign_not_allowed", lang, value=text)
    if "," in canonical:
        return msg("not_a_number_comma", lang, value=text)
    return msg("not_a_number", lang, value=text)


def _known_ids(col: Column, ctx: Context) -> list[str]:
    """Ids a metric or indicator column may take, for suggestions."""
    units = sorted(ctx.units or ())
    if col.name == "metric":
        return [*vocab.BUILTIN_TARGET_METRICS, *units]
    return units if col.name == "indicator_id" else []


def _format_message(check: str, col: Column, text: str, ctx: Context, lang: str) -> str:
    if check == "not_slug" and _known_ids(col, ctx):
        hint = suggestion(text, "id", lang, choices=_known_ids(col, ctx))
        return msg("not_slug", lang, value=text) + (hint or suggestion(text, "slug", lang))
    if check == "not_a_number":
        return _number_message(text, col.kind, lang)
    if check in ("non_finite_word", "number_overflow"):
        return msg(check, lang, value=text)
    if check == "year_range":
        return _value_message(check, col, text, ctx, lang)
    if check == "not_enum":
        return msg("not_enum", lang, value=text, choices=", ".join(col.choices)) + suggestion(
            text, col.kind, lang, choices=col.choices)
    if check == "not_domains":
        return msg("not_domains", lang, value=text, choices=";".join(vocab.DOMAINS)) + suggestion(
            text, col.kind, lang)
    return msg(check, lang, value=text) + suggestion(text, col.kind, lang)


def figure(x: float) -> str:
    """A limit as a reader writes it: 0, 10,000,000,000, -1,000, 0.000001."""
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.12f}".rstrip("0") if abs(x) < 1 else f"{x:,g}"


def _value_message(check: str, col: Column, text: str, ctx: Context, lang: str, table: str = "") -> str:
    if check == "year_range":
        return msg("year_range", lang, value=text, min=limits()["year_min"], max=limits()["year_max"])
    if check == "below_minimum":
        if col.minimum is not None:  # the contract's minimum (0): a quantity cannot be negative
            return msg("below_minimum", lang, value=text, min=figure(col.minimum))
        bounds = plausible_range(table, col.name)
        assert bounds is not None  # schema checks a plausible minimum only where limits.yaml gives one
        return msg("below_plausible_minimum", lang, value=text, min=figure(bounds[0]))
    if check == "below_resolution":
        return msg("below_resolution", lang, value=text, min=figure(float(limits()["smallest_nonzero"])))
    if check == "above_maximum":
        bounds = plausible_range(table, col.name)
        assert bounds is not None  # schema checks a maximum only where limits.yaml gives one
        return msg("above_maximum", lang, value=text, max=figure(bounds[1]))
    if check == "unknown_zone":
        return msg("unknown_zone", lang, value=text, zones=ctx.zones_label) + suggestion(
            text, "zone", lang, choices=sorted(ctx.zone_ids or ()))
    if check == "unknown_indicator":
        assert ctx.units is not None  # schema checks ids only against known units
        return msg(check, lang, value=text) + suggestion(text, "id", lang, choices=sorted(ctx.units))
    if check == "unknown_programme":
        assert ctx.programmes is not None  # schema checks programmes only against known ids
        return msg(check, lang, value=text, known=", ".join(ctx.programmes)) + suggestion(
            text, "id", lang, choices=list(ctx.programmes))
    if check == "unknown_metric":
        assert ctx.units is not None  # schema checks metrics only against known units
        known = sorted(set(ctx.units) | set(vocab.BUILTIN_TARGET_METRICS))
        return msg(check, lang, value=text) + suggestion(text, "id", lang, choices=known)
    raise RuntimeError(f"no message for check {check}")  # a schema.py bug, not a data problem


def _row_message(check: str, row: pd.Series, ctx: Context, lang: str) -> str:
    if check == "baseline_no_data":
        return msg(check, lang, year=int(row["baseline_year"]), zone=row["zone_id"])
    if check == "baseline_after_approval":
        return msg(check, lang, baseline=int(row["baseline_year"]), approved=int(row["approved_year"]),
                   years=limits()["baseline_after_approval_years"])
    if check == "target_not_after_baseline":
        return msg(check, lang, year=int(row["target_year"]), baseline=ctx.baselines[row["zone_id"]],
                   zone=row["zone_id"])
    if check == "non_fossil_exceeds_total":
        return msg(check, lang, non_fossil=row["non_fossil_energy_tce"], total=row["total_energy_tce"])
    if check == "unknown_measure":
        return msg(check, lang, value=str(row["measure_id"]), zone=row["zone_id"])
    if check == "progress_row_empty":
        return msg(check, lang)
    raise RuntimeError(f"no message for check {check}")


def _duplicate_problems(checked: Checked, rows, lang: str) -> list[Problem]:
    if not rows:
        return []
    key = list(KEYS[checked.raw.name])
    typed = checked.typed
    first: dict[tuple, int] = {}
    # each row's key read once (a .loc a row cost ~3 ms: minutes for a file of duplicated rows)
    keys = dict(zip(typed.index, typed[key].itertuples(index=False, name=None)))
    for i, values in keys.items():
        if not any(pd.isna(v) for v in values):
            first.setdefault(values, i)
    problems = []
    for i in sorted(set(rows)):
        values = keys[i]
        if any(pd.isna(v) for v in values) or first.get(values) == i:
            continue
        shown = ", ".join(str(v) for v in values)
        problems.append(checked.raw.problem(i, key[-1], msg("duplicate", lang, first=first[values],
                                                             key=shown)))
    return problems


def check_table(raw: RawTable, ctx: Context, lang: str) -> Checked:
    spec = columns(raw.name)
    original, canonical, problems, too_long = _text_frames(raw, ctx.units, lang)
    if not raw.rows and raw.name in REQUIRED_TABLES:
        problems.append(Problem(raw.label, None, None, msg("no_rows", lang)))
    flagged: set[tuple[int | None, str]] = set(too_long)  # cells already reported
    for row, column in too_long:
        canonical.loc[row, column] = None
    missing: set[str] = set()
    cap = int(limits()["max_problems"])
    unlisted = 0

    # 0. workbook cells that hold an error, a formula with no result, or (for a figure) TRUE or a date
    for (row, column), kind in sorted(raw.cell_kinds.items()):
        if column in spec and (kind in _ANY_COLUMN_KINDS or spec[column].kind in NUMERIC_KINDS):
            flagged.add((row, column))
            canonical.loc[row, column] = None
            problems.append(raw.problem(row, column, msg(_CELL_KIND_MESSAGES[kind], lang,
                                                         value=original.loc[row, column] or "")))

    # 1. formats
    refused_text: list[tuple[int, str]] = []  # emptied together below (one .loc a cell is slow)
    # in sheet order, so that the problems listed before the cap are the first ones
    for f in sorted(failures(format_checks(raw.name), canonical), key=_failure_order):
        if f["check"] == "column_in_dataframe":
            missing.add(f["failure_case"])
            problems.append(raw.problem(1, f["failure_case"], _missing_message(raw, f["failure_case"], lang)))
            continue
        row, column = int(f["index"]), f["column"]
        if (row, column) in flagged:
            continue
        flagged.add((row, column))
        refused_text.append((row, column))
        if len(problems) >= cap:  # counted, not written out: the refusal says "… and N more"
            unlisted += 1
            continue
        problems.append(raw.problem(row, column, _format_message(f["check"], spec[column],
                                                                 original.loc[row, column], ctx, lang)))
    _empty(canonical, refused_text, None)
    for name in spec:
        if name not in canonical:
            canonical[name] = None
            original[name] = None

    # 2. dtypes (cannot fail: refused text is gone)
    frame = typed(raw.name, canonical[list(spec)])
    for name, col in spec.items():
        if col.kind == "float":  # −0 is 0: a report must never print "-0 t"
            frame[name] = frame[name] + 0.0
    checked = Checked(raw, original, frame, problems, missing)
    if unlisted:  # past max_problems the table is refused whatever else is wrong: checking stops here
        checked.unlisted = unlisted
        return checked

    # 3. rules
    duplicates, refused_values = [], []
    warned: set[tuple[int, str, str]] = set()
    for f in sorted(failures(rule_checks(raw.name, ctx), frame), key=_failure_order):
        check = f["check"]
        if check in _UNIQUENESS:
            duplicates.append(int(f["index"]))
            continue
        if check in ROW_CHECK_COLUMN or check.startswith("percent_range:"):
            column = ROW_CHECK_COLUMN.get(check) or check.split(":", 1)[1]
        else:
            column = f["column"]
        row = int(f["index"])
        severity = "warning" if check in WARNING_CHECKS else "error"
        # One error per cell. Warnings are apart: one does not hide an error, nor an error it;
        # row checks list a failing row once per column, hence the sets.
        if column in missing or (severity == "error" and (row, column) in flagged) \
                or (severity == "warning" and (row, column, check) in warned):
            continue
        if severity == "error":
            flagged.add((row, column))
            refused_values.append((row, column))
        else:
            warned.add((row, column, check))
        if len(problems) >= cap:
            unlisted += 1
            continue
        text = original.loc[row, column]
        if check == "not_nullable":
            message = msg("required_empty", lang)
        elif check.startswith("percent_range:"):
            message = msg("percent_range", lang, value=text)
        elif check in ROW_CHECK_COLUMN:
            message = _row_message(check, frame.loc[row], ctx, lang)
        else:
            message = _value_message(check, spec[column], text, ctx, lang, raw.name)
        problems.append(raw.problem(row, column, message, severity))
    duplicate_rows = sorted(set(duplicates))
    room = max(cap - len(problems), 0)
    problems += _duplicate_problems(checked, duplicate_rows[:room], lang)
    unlisted += max(len(duplicate_rows) - room, 0)
    _empty(frame, refused_values, pd.NA)  # gaps, jumps and other tables see only accepted values
    problems += likely_fractions(checked, ctx, lang)
    if raw.name == "meta":
        problems += meta_problems(checked, lang)
    checked.unlisted = unlisted
    return checked


def likely_fractions(checked: Checked, ctx: Context, lang: str) -> list[Problem]:
    """Warnings for a plain fraction (0.35) where a percentage (35) is due: likely meant as 35 %.
    A cell written with a % (or formatted as one in a workbook: '0.35%') says what it means."""
    problems = []
    spec = columns(checked.raw.name)
    for name, col in spec.items():
        if not col.percent_by or name not in checked.raw.columns:
            continue
        for row, value in checked.typed[name].dropna().items():
            text = str(checked.original.loc[row, name] or "").strip()
            if 0 < value < 1 and not text.endswith("%") \
                    and cells.is_percent_metric(checked.typed.loc[row, col.percent_by], ctx.units):
                problems.append(checked.raw.problem(int(row), name, msg(
                    "likely_fraction", lang, value=text, percent=f"{value * 100:g}"), "warning"))
    return problems


META_KEYS = ("dataset_label", "is_sample", "report_date", "title", "description")
_BOOLEANS = {"true", "false", "yes", "no", "1", "0"}


def meta_problems(checked: Checked, lang: str) -> list[Problem]:
    """meta.csv's known keys checked (report_date a real date, is_sample true or false), its
    unknown keys warned about; a report_date typed 2025/3/31 is kept as 2025-03-31."""
    problems = []
    typed = checked.typed
    for row in typed.index:
        key, value = typed.loc[row, "key"], typed.loc[row, "value"]
        if pd.isna(key):
            continue
        text = "" if pd.isna(value) else str(value)
        if key not in META_KEYS:
            problems.append(checked.raw.problem(int(row), "key", msg("meta_unknown_key", lang, value=key)
                                                + suggestion(key, "id", lang, choices=META_KEYS), "warning"))
        elif key == "report_date" and text:
            canonical = cells.date_text(text)
            if len(canonical) != 10 or not valid_date(canonical):
                problems.append(checked.raw.problem(int(row), "value", msg("meta_not_date", lang, value=text)))
            else:
                typed.loc[row, "value"] = canonical
        elif key == "is_sample" and text and text.strip().lower() not in _BOOLEANS:
            problems.append(checked.raw.problem(int(row), "value", msg("meta_not_boolean", lang, value=text)))
    return problems


def in_sheet_order(problems: list[Problem], raw: RawTable | None) -> list[Problem]:
    """Top to bottom, then left to right in the contract's column order (the sort is stable)."""
    if raw is None:
        return problems
    order: dict[str | None, int] = {name: j for j, name in enumerate(columns(raw.name))}
    return sorted(problems, key=lambda p: (_row_of(p), order.get(_column_of(p, raw), -1)))


def _row_of(p: Problem) -> int:
    if p.row is not None:
        return p.row
    digits = "".join(ch for ch in p.file.rsplit("!", 1)[-1] if ch.isdigit()) if "!" in p.file else ""
    return int(digits) if digits else 0


def _column_of(p: Problem, raw: RawTable) -> str | None:
    if p.column:
        return p.column
    if "!" in p.file:
        letters = "".join(ch for ch in p.file.rsplit("!", 1)[-1] if ch.isalpha())
        return next((c for c, l in raw.column_letters.items() if l == letters), None)
    return None


def _missing_message(raw: RawTable, column: str, lang: str) -> str:
    spec = columns(raw.name)
    unknown = [c for c in raw.columns if c not in spec]
    close = difflib.get_close_matches(column, unknown, n=1, cutoff=0.6)
    if close:
        return msg("column_missing_similar", lang, column=column, found=close[0])
    return msg("column_missing", lang, column=column)


# -- warnings over years -------------------------------------------------------------
def year_gaps(raw: RawTable, emissions: pd.DataFrame, lang: str) -> list[Problem]:
    problems = []
    df = emissions.dropna(subset=["zone_id", "year"])
    for zone_id, years in sorted(df.groupby("zone_id")["year"]):
        ys = {int(y) for y in years}
        missing = sorted(set(range(min(ys), max(ys) + 1)) - ys)
        if missing:
            problems.append(raw.problem(None, "year", msg(
                "year_gap", lang, zone=zone_id, years=_year_runs(missing)), "warning"))
    return problems


def staged_targets_said(mechanisms: Checked, targets: Checked, lang: str) -> list[Problem]:
    """A mechanisms.csv row saying a zone's staged targets are not in place ("no") where targets.csv
    sets one metric's targets for two or more years (targets in stages, as the framework reads them
    where mechanisms.csv is silent): the tables disagree, and the report scores the row while it
    prints the targets. A warning at the row's status cell."""
    t = targets.typed
    by_zone: dict[str, list[tuple[str, int]]] = {}
    for zone_id, metric, year in zip(t["zone_id"].tolist(), t["metric"].tolist(), t["target_year"].tolist()):
        if not (pd.isna(zone_id) or pd.isna(metric) or pd.isna(year)):
            by_zone.setdefault(zone_id, []).append((metric, int(year)))
    staged = {zone_id: next(iter(metrics.items())) for zone_id, pairs in by_zone.items()
              if (metrics := vocab.staged_metrics(pairs))}  # its first metric in stages, by name
    m = mechanisms.typed
    problems = []
    for row, zone_id, mechanism, status, year in zip(m.index, m["zone_id"].tolist(), m["mechanism"].tolist(),
                                                      m["status"].tolist(), m["year"].tolist()):
        if mechanism == "staged_targets" and status == "no" and zone_id in staged and not pd.isna(year):
            metric, target_years = staged[zone_id]
            problems.append(mechanisms.raw.problem(int(row), "status", msg(
                "staged_targets_disagree", lang, zone=zone_id, year=int(year), metric=metric,
                years=_year_runs(target_years)), "warning"))
    return problems


def _year_runs(years: list[int]) -> str:
    """2016, 2018–2020: consecutive years as one range."""
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


# table → (year column, grouping columns besides zone_id, value columns)
_SERIES = {
    "emissions": ("year", ["sector"], ["emissions_tco2e"]),
    "removals": ("year", ["source"], ["removals_tco2e"]),
    "activity": ("year", [], ["population", "gdp_10k_cny", "total_energy_tce",
                              "non_fossil_energy_tce", "floor_area_10k_m2"]),
    "indicators": ("year", ["indicator_id"], ["value"]),
}


def jumps(checked: Checked, lang: str) -> list[Problem]:
    """A figure more than ``jump_ratio`` times (or less than 1/that of) the year before's.

    Plain Python over the column lists: a table is small, and a pandas step costs more than
    the rows it would work on (a load of the tiny dataset spent a quarter of its CPU here).
    """
    name = checked.raw.name
    if name not in _SERIES:
        return []
    year_col, groups, values = _SERIES[name]
    limit = float(limits()["jump_ratio"])
    width = 1 + len(groups)  # zone_id and the groups: a series' key
    frame = checked.typed
    problems = []
    for value_col in values:
        lists = [frame[c].tolist() for c in ("zone_id", *groups, year_col, value_col)]
        rows = [(row, written) for row, written in zip(frame.index, zip(*lists))
                if not any(pd.isna(v) for v in written)]
        rows.sort(key=lambda r: r[1][:width + 1])  # by series, then year; stable as pandas' sort
        before: dict[tuple, tuple[int, float]] = {}  # a series' previous row: (year, value)
        for row, written in rows:
            key, year, value = written[:width], int(written[width]), float(written[width + 1])
            previous = before.get(key)
            before[key] = (year, value)
            if previous is None or year != previous[0] + 1 or not (previous[1] > 0 and value > 0):
                continue
            ratio = value / previous[1]
            if ratio > limit or ratio < 1 / limit:
                problems.append(checked.raw.problem(int(row), value_col, msg(
                    "jump", lang, value=value, year=year, ratio=ratio, previous=previous[1],
                    previous_year=previous[0], series=", ".join([value_col, *(str(g) for g in key[1:])])),
                    "warning"))
    return problems
