"""Reading a dataset's tables as text: CSV (UTF-8 or GB18030) or one XLSX workbook.

Every cell is read as a string, so that parsing (cells.py), checking
(schema.py) and their messages stay in one place and nothing is guessed by a
reader. Files over the size limit are refused before they are read.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.dataset.catalogue import column_docs, limits, msg
from nzc_report.errors import Problem

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class RawTable:
    """One table as text, with what is needed to point at a cell."""

    name: str  # contract name: zones, emissions, ...
    label: str  # what messages call it: zones.csv or dataset.xlsx[zones]
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]  # each with "__row__": the spreadsheet row number
    sheet: bool = False
    column_letters: dict[str, str] = field(default_factory=dict)
    # Workbook cells that hold no typed figure: (row, column) → error, boolean, date or formula
    # (a formula with no saved result); their text is what the message shows.
    cell_kinds: dict[tuple[int, str], str] = field(default_factory=dict)

    def problem(self, row: int | None, column: str | None, message: str,
                severity: str = "error") -> Problem:
        """A problem at a spreadsheet row (the header is row 1) and column."""
        if self.sheet and row is not None and column in self.column_letters:
            return Problem(f"{self.label}!{self.column_letters[column]}{row}", None, None,
                           message, severity)
        return Problem(self.label, row, column, message, severity)


def header_label(table: str, column: str) -> str | None:
    """The bilingual label the template writes under a column name (its row 2)."""
    doc = column_docs(table)["columns"].get(column)
    return f"{doc['zh']} / {doc['en']}" if doc else None


def _too_large(label: str, size: int, limit: int, lang: str) -> Problem | None:
    if size > limit:
        return Problem(label, None, None, msg("file_too_large", lang, size=size, limit=limit))
    return None


def decode(data: bytes, label: str, lang: str) -> tuple[str | None, Problem | None]:
    """Text of a CSV file: UTF-8 (BOM or not), else GB18030/GBK; else a problem naming why."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(label, None, None, msg("encoding_utf16", lang))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            offset = max(utf8_error.start, gb_error.start)
            return None, Problem(label, None, None, msg("encoding_unknown", lang,
                                                        byte=data[offset], offset=offset))
    # GB18030 decodes many byte strings; text from a real GBK file has no private-use characters.
    for i, ch in enumerate(text):
        if 0xE000 <= ord(ch) <= 0xF8FF:
            offset = len(text[:i].encode("gb18030"))
            return None, Problem(label, None, None, msg("encoding_private_use", lang, offset=offset))
    return text, None


def _duplicate_headers(label: str, header: list[str], lang: str, sheet: bool) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for j, h in enumerate(header):
        if not h:
            continue
        if h in first:
            if sheet:
                problems.append(Problem(f"{label}!{_column_letter(j)}1", None, None, msg(
                    "duplicate_header", lang, column=h, first=_column_letter(first[h]))))
            else:
                problems.append(Problem(label, 1, h, msg("duplicate_header", lang, column=h,
                                                         first=str(first[h] + 1))))
        else:
            first[h] = j
    return problems


def read_csv(path: Path, name: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh"
             ) -> tuple[RawTable | None, list[Problem]]:
    label = path.name
    too_large = _too_large(label, path.stat().st_size, max_bytes, lang)
    if too_large:
        return None, [too_large]
    text, problem = decode(path.read_bytes(), label, lang)
    if problem:
        return None, [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(reader)
    except csv.Error as exc:
        return None, [Problem(label, reader.line_num, None, msg("not_csv", lang, error=str(exc)))]
    if not records or not any(cell.strip() for cell in records[0]):
        return None, [Problem(label, 1, None, msg("empty_file", lang))]
    header = [h.strip() for h in records[0]]
    problems = _duplicate_headers(label, header, lang, sheet=False)
    rows: list[dict[str, str]] = []
    for i, record in enumerate(records[1:]):
        if not any(cell.strip() for cell in record):
            continue  # blank line: spreadsheets leave them at the end
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            # Its cells do not line up with the columns (often an unquoted 1,234): not read further.
            problems.append(Problem(label, i + 2, None,
                                    msg("too_many_cells", lang, cells=len(record), header=len(header))))
            continue
        record = record + [""] * (len(header) - len(record))
        row = {"__row__": str(i + 2)}
        for j, h in enumerate(header):
            if h and h not in row:
                row[h] = record[j].strip()
        rows.append(row)
    return RawTable(name, label, path, [h for h in dict.fromkeys(header) if h], rows), problems


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value) -> str:
    """A cell as the text a person typed: 2016.0 → 2016, a date cell → 2017-01-05."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_kind(cell, formula: str | None) -> str | None:
    """What a workbook cell holds when it is not plain text or a number, else None."""
    value = cell.value
    if value is None:
        return "formula" if formula else None
    if cell.data_type == "e":
        return "error"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return "date"
    return None


def _kind_text(kind: str, cell, formula: str | None) -> str:
    if kind == "formula":
        return formula or ""
    if kind == "boolean":
        return "TRUE" if cell.value else "FALSE"
    return cell_text(cell.value)


def _formulas(path: Path, sheets) -> dict[str, dict[tuple[int, int], str]]:
    """Formula text of every formula cell (sheet → (row, column) → '=A1/B1'), read only when any.

    ``data_only`` gives a formula's saved result, and None when the file holds none (a
    workbook written by a program, never opened in a spreadsheet): such a cell is not empty.
    """
    import openpyxl

    with zipfile.ZipFile(path) as z:
        if not any(b"<f" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")):
            return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=False)
    try:
        return {ws.title: {(c.row, c.column): str(c.value) for row in ws.iter_rows() for c in row
                           if c.data_type == "f"}
                for ws in wb.worksheets if ws.title in sheets}
    finally:
        wb.close()


def _is_label_row(table: str, header: list[str], cells: list[str]) -> bool:
    """Row 2 of a template sheet: each filled cell is the bilingual label of its column."""
    pairs = [(h, c) for h, c in zip(header, cells) if c]
    return bool(pairs) and all(header_label(table, h) == c for h, c in pairs)


def _unpacked_size(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(info.file_size for info in z.infolist())


def read_workbook(path: Path, sheets, max_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh"
                  ) -> tuple[dict[str, RawTable], list[Problem]]:
    """The sheets named in ``sheets`` (others, like README, are not read)."""
    import openpyxl

    label = path.name
    too_large = _too_large(label, path.stat().st_size, max_bytes, lang)
    if too_large:
        return {}, [too_large]
    try:
        unpacked = _unpacked_size(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return {}, [Problem(label, None, None, msg("not_xlsx", lang, error=str(exc)))]
    unpack_limit = max_bytes * limits()["workbook_unpack_factor"]
    if unpacked > unpack_limit:  # a zip bomb must not be unpacked into memory
        return {}, [Problem(label, None, None, msg("workbook_expands_too_large", lang,
                                                    size=unpacked, limit=unpack_limit))]
    try:
        with warnings.catch_warnings():  # "extension not supported" notes about Excel features
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True)
        formulas = _formulas(path, sheets)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        return {}, [Problem(label, None, None, msg("not_xlsx", lang, error=str(exc)))]
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    try:
        for ws in wb.worksheets:
            if ws.title not in sheets:
                continue
            table, probs = _read_sheet(ws, path, lang, formulas.get(ws.title, {}))
            problems += probs
            if table is not None:
                tables[ws.title] = table
    finally:
        wb.close()
    return tables, problems


def _read_sheet(ws, path: Path, lang: str, formulas: dict[tuple[int, int], str]
                ) -> tuple[RawTable | None, list[Problem]]:
    label = f"{path.name}[{ws.title}]"
    it = ws.iter_rows(values_only=False)
    header_cells = next(it, None)
    if header_cells is None:
        return None, []
    header = [cell_text(c.value) for c in header_cells]
    letters = {h: _column_letter(j) for j, h in enumerate(header) if h}
    problems = _duplicate_headers(label, header, lang, sheet=True)
    # A merged range is refused; its covered cells take the top-left text meanwhile, so that
    # the one merge is one problem, not also "required but empty" below it.
    covered: dict[tuple[int, int], str] = {}
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        problems.append(Problem(f"{label}!{rng.coord}", None, None,
                                msg("merged_cells", lang, range=rng.coord)))
        top = cell_text(ws.cell(rng.min_row, rng.min_col).value)
        for r, c in rng.cells:
            covered[(r, c)] = top
    rows, kinds = [], {}
    for cells in it:
        texts = [covered.get((c.row, c.column), cell_text(c.value)) for c in cells]
        rownum = cells[0].row
        found = {}
        for j, c in enumerate(cells):
            kind = cell_kind(c, formulas.get((c.row, c.column)))
            if kind and j < len(header) and header[j] and header.index(header[j]) == j \
                    and (c.row, c.column) not in covered:
                found[header[j]] = kind
                texts[j] = _kind_text(kind, c, formulas.get((c.row, c.column)))
        if not any(texts):
            continue
        if rownum == 2 and _is_label_row(ws.title, header, texts):
            continue
        texts += [""] * (len(header) - len(texts))
        row = {"__row__": str(rownum)}
        for j, h in enumerate(header):
            if h and h not in row:
                row[h] = texts[j]
        rows.append(row)
        kinds.update({(rownum, h): k for h, k in found.items()})
    return RawTable(ws.title, label, path, [h for h in dict.fromkeys(header) if h], rows,
                    sheet=True, column_letters=letters, cell_kinds=kinds), problems
