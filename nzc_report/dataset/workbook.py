"""The Excel data-entry workbook: an empty template, or a dataset written into it.

Layout that load_dataset reads back: a README sheet first, then one sheet per
file of the contract with the column names in row 1, their bilingual labels in
row 2 (io.read_workbook skips that row) and data from row 3. Excel data
validation offers the enum values and provinces as dropdowns and keeps years
and quantities in range. Text cells are written as text, never as formulas.
The file is written atomically and byte for byte the same for the same input:
the zip entries and document properties carry a fixed time.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from nzc_report.dataset import vocab
from nzc_report.dataset.catalogue import column_docs
from nzc_report.dataset.io import header_label
from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.dataset.schema import TABLES, Column

FIXED_TIME = dt.datetime(2000, 1, 1)
FIRST_DATA_ROW = 3
LAST_ROW = 1048576  # Excel's last row: validation covers every row a person may fill
_TEXT_KINDS = ("slug", "text", "date", "domains", "enum", "province")
_HEADER_FILL = "DDEBF7"
_LABEL_FILL = "F2F2F2"


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


LISTS_SHEET = "lists"  # the dropdowns' choices, one column each (not a table: never read back)


def _choices(table: str, col: Column) -> list[str] | None:
    """What a dropdown offers: the Chinese labels of a coded column, then its codes (both are
    read back as the code); the provinces by their full names."""
    if col.kind == "enum":
        labels = vocab.LABELLED.get((table, col.name), {})
        return [labels[c] for c in col.choices if c in labels] + list(col.choices)
    if col.kind == "province":
        return list(PROVINCE_NAMES.values())
    return None


class _Lists:
    """The lists sheet: each dropdown's choices in a column of their own, referred to by range
    (an inline list is limited to 255 characters; the mechanisms' labels are longer)."""

    def __init__(self, ws):
        self.ws = ws
        self.count = 0

    def add(self, table: str, column: str, choices: list[str]) -> str:
        self.count += 1
        letter = _letter(self.count - 1)
        self.ws.cell(1, self.count, f"{table}.{column}")
        for i, choice in enumerate(choices, start=2):
            self.ws.cell(i, self.count, choice).data_type = "s"
        return f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(choices) + 1}"


def _validation(table: str, col: Column, lists: _Lists):
    """The Excel data validation of a column, or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    doc = column_docs(table)["columns"].get(col.name, {})
    prompt = "\n".join(t for t in (doc.get("zh_help"), doc.get("en_help")) if t)[:250]
    title = (header_label(table, col.name) or col.name)[:32]
    common = {"allow_blank": True, "showInputMessage": bool(prompt), "prompt": prompt or None,
                  "promptTitle": title, "showErrorMessage": True, "errorTitle": title[:32]}
    choices = _choices(table, col)
    if choices:
        # Provinces: other spellings (广东, Guangdong) are accepted too, so Excel only warns.
        style = "warning" if col.kind == "province" else "stop"
        return DataValidation(type="list", formula1=lists.add(table, col.name, choices), errorStyle=style,
                              error="请从列表中选择 / choose a value from the list", **common)
    if col.kind in ("year", "int"):
        return DataValidation(type="whole", operator="between", formula1="1900", formula2="2100",
                              error="请填写四位年份 / enter a four-digit year", **common)
    if col.kind == "float" and col.minimum is not None:
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{col.minimum:g}",
                              error=f"请填写不小于 {col.minimum:g} 的数 / enter a number ≥ {col.minimum:g}",
                              **common)
    if prompt:
        return DataValidation(**common)
    return None


def _kind_text(col: Column) -> tuple[str, str]:
    kinds = column_docs("kinds")
    doc = kinds.get(col.kind, {"zh": col.kind, "en": col.kind})
    return doc["zh"], doc["en"]


def _values_text(col: Column) -> str:
    labels = {"zone_type": vocab.ZONE_TYPES, "mechanism": vocab.MECHANISMS,
              "status": {**vocab.MEASURE_STATUSES, **vocab.MECHANISM_STATUSES},
              "sector": vocab.DOMAINS, "source": vocab.REMOVAL_SOURCES}
    if col.kind == "enum":
        names = labels.get(col.name, {})
        return "; ".join(f"{c} {names.get(c, '')}".strip() for c in col.choices)
    if col.kind == "domains":
        return "; ".join(f"{c} {label}" for c, label in vocab.DOMAINS.items())
    return ""


def _readme(ws) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    doc = column_docs("readme")
    ws.append([doc["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    for line in doc["lines"]:
        ws.append([line])
    ws.append([])
    ws.append(doc["header"])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for table, spec in TABLES.items():
        docs = column_docs(table)
        about = docs.get("about", {})
        ws.append([table, "", about.get("zh", ""), about.get("en", "")])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for col in spec:
            d = docs["columns"].get(col.name, {})
            kind_zh, kind_en = _kind_text(col)
            values = _values_text(col)
            ws.append([table, col.name, d.get("zh", ""), d.get("en", ""),
                       "是 yes" if col.required else "否 no", f"{kind_zh} / {kind_en}",
                       "；".join(t for t in (values, d.get("zh_help", "")) if t),
                       "; ".join(t for t in (values, d.get("en_help", "")) if t)])
    for letter, width in zip("ABCDEFGH", (12, 24, 22, 24, 12, 30, 60, 60)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _table_sheet(ws, table: str, lists: _Lists) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    spec = TABLES[table]
    ws.append([c.name for c in spec])
    ws.append([header_label(table, c.name) for c in spec])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in ws[2]:
        cell.font = Font(italic=True, color="595959")
        cell.fill = PatternFill("solid", fgColor=_LABEL_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    for j, col in enumerate(spec):
        letter = _letter(j)
        dim = ws.column_dimensions[letter]
        dim.width = 28 if col.kind in ("text", "domains") else 16
        if col.kind in _TEXT_KINDS:
            dim.number_format = "@"  # so Excel keeps 2017-01 and 007 as typed
        dv = _validation(table, col, lists)
        if dv is not None:
            ws.add_data_validation(dv)
            dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{LAST_ROW}")


def _cell_value(col: Column, value):
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    if col.kind == "domains":
        return ";".join(value)
    if col.kind == "province":
        return PROVINCE_NAMES.get(value, value)
    if col.kind in ("int", "year"):
        return int(value)
    if col.kind == "float":
        return float(value)
    return str(value)


def _write_rows(ws, table: str, df: pd.DataFrame) -> None:
    spec = TABLES[table]
    for r, record in enumerate(df[[c.name for c in spec]].itertuples(index=False), start=FIRST_DATA_ROW):
        for j, (col, value) in enumerate(zip(spec, record)):
            v = _cell_value(col, value)
            if v is None:
                continue
            cell = ws.cell(r, j + 1, v)
            if isinstance(v, str):
                cell.data_type = "s"  # '=HYPERLINK(…)' in a name stays text, never a formula
                cell.number_format = "@"


INDICATORS_SHEET = "indicator_ids"  # the indicator ids indicators.csv may name (not a table: never read back)
INDICATORS_HEADER = ["指标编号 indicator_id", "中文名", "English", "单位 Unit", "评估框架 Frameworks"]


def _indicator_sheet(ws, indicators: list[dict]) -> None:
    """The ids of indicators.csv with their Chinese labels, units and the frameworks that read them."""
    ws.append(INDICATORS_HEADER)
    for ind in indicators:
        ws.append([ind["id"], ind["name_zh"], ind["name_en"], ind["unit"], ", ".join(ind["frameworks"])])
    for letter, width in zip("ABCDE", (38, 26, 40, 14, 50)):
        ws.column_dimensions[letter].width = width


def _workbook(tables: dict[str, pd.DataFrame] | None, indicators: list[dict] | None = None):
    import openpyxl

    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "README"
    _readme(readme)
    sheets = {table: wb.create_sheet(table) for table in TABLES}
    lists = _Lists(wb.create_sheet(LISTS_SHEET))
    if indicators:
        _indicator_sheet(wb.create_sheet(INDICATORS_SHEET), indicators)
    for table, ws in sheets.items():
        _table_sheet(ws, table, lists)
        if tables is not None and table in tables:
            _write_rows(ws, table, tables[table])
    wb.properties.creator = "nzc-report"
    wb.properties.lastModifiedBy = "nzc-report"
    wb.properties.created = FIXED_TIME
    return wb


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed entry times and document dates (openpyxl stamps 'now')."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m[1] + stamp + m[3], content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, content)
    return out.getvalue()


def _save(wb, out_path: str | Path) -> None:
    # dataset may not import nzc_report.atomic (layers): the same temp-then-rename, here.
    target = Path(out_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = _reproducible(buffer.getvalue())
    # not ending in .xlsx: a script collecting *.xlsx must not pick up a half-written file
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_template(out_path: str | Path, indicators: list[dict] | None = None) -> None:
    """An empty data-entry workbook: README, one sheet per table, dropdowns and ranges; with
    ``indicators`` (id, name_zh, name_en, unit, frameworks) a sheet listing the ids indicators.csv takes."""
    _save(_workbook(None, indicators), out_path)


def export_workbook(ds, out_path: str | Path) -> None:
    """``ds`` (a loaded Dataset) written into the data-entry workbook; load_dataset reads it back equal."""
    _save(_workbook(ds.tables), out_path)
