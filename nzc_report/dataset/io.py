"""Reading a dataset's tables as text: CSV (UTF-8 or GB18030) or one XLSX workbook.

Every cell is read as a string, so that parsing and its error messages stay in
one place (schema.py) and nothing is guessed by a reader.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.errors import Problem

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class RawTable:
    """One table as text, with what is needed to point at a cell."""

    name: str  # contract name: zones, emissions, ...
    label: str  # what messages call it: zones.csv or dataset.xlsx[zones]
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]
    sheet: bool = False
    column_letters: dict[str, str] = field(default_factory=dict)

    def problem(self, row: int | None, column: str | None, message: str,
                severity: str = "error") -> Problem:
        """A problem at a spreadsheet row (the header is row 1) and column."""
        if self.sheet and row is not None and column in self.column_letters:
            return Problem(f"{self.label}!{self.column_letters[column]}{row}", None, None,
                           message, severity)
        return Problem(self.label, row, column, message, severity)


def _decode(data: bytes, label: str) -> tuple[str | None, Problem | None]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), None
        except UnicodeDecodeError:
            return None, Problem(
                label, None, None,
                f"file is neither UTF-8 nor GB18030/GBK (first bad byte at offset "
                f"{utf8_error.start}); save it as UTF-8 CSV")


def read_csv(path: Path, name: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES
             ) -> tuple[RawTable | None, list[Problem]]:
    label = path.name
    size = path.stat().st_size
    if size > max_bytes:
        return None, [Problem(label, None, None,
                              f"file is {size:,} bytes, over the limit of {max_bytes:,} "
                              f"(raise it with --max-file-mb)")]
    text, problem = _decode(path.read_bytes(), label)
    if problem:
        return None, [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        return None, [Problem(label, reader.line_num, None, f"not a valid CSV file: {exc}")]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(label, 1, None, "the file is empty; the first row must hold the column names")]
    header = [h.strip() for h in records[0]]
    problems: list[Problem] = []
    rows: list[dict[str, str]] = []
    for i, record in enumerate(records[1:]):
        if not any(cell.strip() for cell in record):
            continue  # blank line: spreadsheets leave them at the end
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(label, i + 2, None,
                                    f"row has {len(record)} cells but the header has {len(header)}"))
        record = record + [""] * (len(header) - len(record))
        rows.append({"__row__": str(i + 2), **{h: record[j].strip() for j, h in enumerate(header)}})
    return RawTable(name, label, path, header, rows), problems


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(path: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES
                  ) -> tuple[dict[str, RawTable], list[Problem]]:
    import openpyxl

    size = path.stat().st_size
    if size > max_bytes:
        return {}, [Problem(path.name, None, None,
                            f"file is {size:,} bytes, over the limit of {max_bytes:,}")]
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        return {}, [Problem(path.name, None, None, f"not a readable .xlsx workbook: {exc}")]
    tables: dict[str, RawTable] = {}
    try:
        for ws in wb.worksheets:
            label = f"{path.name}[{ws.title}]"
            it = ws.iter_rows(values_only=True)
            header_row = next(it, None)
            if header_row is None:
                continue
            header = [_cell_text(v) for v in header_row]
            letters = {h: _column_letter(j) for j, h in enumerate(header) if h}
            rows = []
            for i, values in enumerate(it):
                cells = [_cell_text(v) for v in values]
                if not any(cells):
                    continue
                cells += [""] * (len(header) - len(cells))
                rows.append({"__row__": str(i + 2),
                             **{h: cells[j] for j, h in enumerate(header) if h}})
            tables[ws.title] = RawTable(ws.title, label, path, [h for h in header if h], rows,
                                        sheet=True, column_letters=letters)
    finally:
        wb.close()
    return tables, []
