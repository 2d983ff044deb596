"""Running a table's checks in plain pandas and listing what failed, where.

A ``TableChecks`` names, per column, the checks its cells must pass (each a
function of one non-empty cell's value, run in plain Python: a table is small,
and a pandas step costs more than the cells it would work on), whether the
column may hold empty cells and whether it must be in the header; checks over
whole rows (vectorised); and the columns that together are a unique key. ``failures`` runs
them all and returns every failure case at once, as a dict with ``check``,
``column``, ``index`` (the spreadsheet row; None for a column missing from the
header) and ``failure_case`` (the value, or the missing column's name).

The cases come in the order pandera (which ran these checks until issue 25, at
three times the CPU) listed them: the checks over the table (unique keys, rows,
missing columns) ahead of those over one column, through the same unstable
sort. validate.py lists problems top to bottom; within a row this order decides
which of two errors in one cell is reported and which problems fall past
``max_problems``, so keeping it keeps every refusal as it was, line for line.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

_TABLE, _COLUMN = "DataFrameSchema", "Column"  # the two kinds of failure, named as pandera named them


@dataclass(frozen=True)
class Check:
    """In a column: ``fn`` takes one non-empty cell's value and returns False where it fails.
    Over rows: ``fn`` takes the whole table and returns a boolean Series on its index, False
    for the rows that fail. ``name`` is a message key."""

    fn: Callable[[Any], Any]
    name: str


@dataclass(frozen=True)
class ColumnChecks:
    name: str
    checks: list[Check] = field(default_factory=list)
    nullable: bool = True  # False: an empty cell fails "not_nullable"
    required: bool = False  # True: absent from the header fails "column_in_dataframe"


@dataclass(frozen=True)
class TableChecks:
    name: str
    columns: list[ColumnChecks]
    rows: list[Check] = field(default_factory=list)
    unique: tuple[str, ...] = ()  # a row repeating an earlier row's key fails (the first is kept)


_Case = tuple[str, str, Any, Any, Any]  # (kind, check, column, index, failure_case)


def _failed(values: pd.Series | pd.DataFrame, ok: pd.Series) -> pd.Series | pd.DataFrame:
    """The cells (or rows) of ``values`` where ``ok`` is False."""
    if not values.index.equals(ok.index):  # a check must keep its input's index
        raise RuntimeError("a check returned a result that is not on its input's rows")
    if ok.dtype != bool:
        ok = ok.astype(bool)
    return values[~ok]


def _cells(kind: str, check: str, column: str, values: pd.Series) -> list[_Case]:
    return [(kind, check, column, i, v) for i, v in values.items() if not pd.isna(v)]


def failures(checks: TableChecks, df: pd.DataFrame) -> list[dict]:
    """Every failure of ``checks`` on ``df``; [] when it passes. Empty cells pass a column's
    checks (only ``nullable`` speaks of them); a row with every cell empty passes the row checks."""
    cases: list[_Case] = []
    subset = [k for k in checks.unique if k in df]
    if subset:
        duplicated = df.duplicated(subset=subset, keep="first")
        if duplicated.any():
            repeated = df.loc[duplicated, subset]
            for column in subset:  # a case a key cell, column by column; empty cells are no case
                cases += _cells(_TABLE, "multiple_fields_uniqueness", column, repeated[column])
    index = df.index.tolist()
    for col in checks.columns:
        if col.name not in df:
            continue
        values = df[col.name]
        cells = list(zip(index, values.tolist(), values.isna().tolist()))
        filled = [(i, v) for i, v, empty in cells if not empty]
        if not col.nullable and len(filled) < len(cells):
            cases += [(_COLUMN, "not_nullable", col.name, i, v) for i, v, empty in cells if empty]
        for check in col.checks:
            cases += [(_COLUMN, check.name, col.name, i, v) for i, v in filled if not check.fn(v)]
    if checks.rows:
        all_empty = df.isna().all(axis="columns")
        for check in checks.rows:
            ok = check.fn(df)
            if ok.empty and ok.dtype != bool:
                ok = ok.astype(bool)
            ok = ok | all_empty
            if not ok.all():
                rows = _failed(df, ok)
                for column in df.columns:  # a case a non-empty cell of each failing row, column by column
                    cases += _cells(_TABLE, check.name, column, rows[column])
    cases += [(_TABLE, "column_in_dataframe", checks.name, None, col.name)
              for col in checks.columns if col.required and col.name not in df]
    if not cases:
        return []
    # pandera's order: the same sort of the same kind names (a quicksort: not stable)
    order = pd.DataFrame({"kind": [c[0] for c in cases]}).sort_values("kind", ascending=False).index
    return [{"check": cases[i][1], "column": cases[i][2], "index": cases[i][3], "failure_case": cases[i][4]}
            for i in order]


def coerce(df: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """A copy of ``df`` with the columns named in ``dtypes`` cast to them (text no cell of which
    fails its format check casts without fail)."""
    typed = df.copy()
    for name, dtype in dtypes.items():
        if name in typed:
            typed[name] = typed[name].astype(dtype)
    return typed
