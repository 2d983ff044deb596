"""Reading a dataset's tables as text: CSV (UTF-8 or GB18030) or one XLSX workbook.

Every cell is read as a string, so that parsing (cells.py), checking
(schema.py) and their messages stay in one place and nothing is guessed by a
reader. Files over the size limit are refused before they are read.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import logging
import re
import time
import stat
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from nzc_report.dataset.catalogue import column_docs, limits, msg
from nzc_report.errors import Problem

log = logging.getLogger(__name__)


# -- progress while a large dataset is read (issue 31: nothing silent for seconds) ---------------
PROGRESS_BYTES = 1 << 20  # a file larger than this is announced before it is read
PROGRESS_SECONDS = 2.0  # then a line at most this often while its rows are read,
PROGRESS_ROWS = 1000  # looked at every this many rows


class _Progress:
    """Says that a file is being read (when it is large), then where the reading is, at most
    every PROGRESS_SECONDS: a large workbook takes seconds to load and read. Logged (INFO) from
    dataset/messages.yaml in the dataset's language; the command line prints it on stderr."""

    def __init__(self, path: Path, lang: str):
        self.path, self.lang = path, lang
        self.on = path.stat().st_size > PROGRESS_BYTES
        self.last = time.monotonic()
        if self.on:
            log.info("%s", msg("reading_file", lang, file=path.name, mb=f"{path.stat().st_size / (1 << 20):.1f}"))

    def row(self, where: str, rownum: int) -> None:
        if self.on and rownum % PROGRESS_ROWS == 0 and time.monotonic() - self.last >= PROGRESS_SECONDS:
            self.last = time.monotonic()
            log.info("%s", msg("reading_rows", self.lang, where=where, row=f"{rownum:,}"))

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


def header_name(table: str, text: str) -> str:
    """The column a workbook header names: its name, or the label the template shows for it
    (区域编号, Zone ID or 区域编号 / Zone ID); anything else as written."""
    columns = column_docs(table)["columns"]
    if text in columns:
        return text
    for name, doc in columns.items():
        if text in (doc.get("zh"), doc.get("en"), f"{doc.get('zh')} / {doc.get('en')}"):
            return name
    return text


def _too_large(label: str, size: int, limit: int, lang: str) -> Problem | None:
    if size > limit:
        return Problem(label, None, None, msg("file_too_large", lang, size=size, limit=limit))
    return None


ENCODINGS_TRIED = "UTF-8, UTF-8 with BOM, GB18030/GBK"
# Characters that GB18030 gives for the bytes of another encoding (Big5, Shift-JIS …) far more
# often than Chinese text holds them: kana, Greek, Cyrillic, box drawing, and anything beyond
# GB2312's repertoire. A file read as GB18030 where that many of its non-ASCII characters are
# such is taken to be in another encoding and refused, never shown as mojibake.
_FOREIGN_SHARE = 0.2
_FOREIGN_BLOCKS = ((0x0370, 0x04FF), (0x2500, 0x257F), (0x3040, 0x30FF))


def _foreign(ch: str) -> bool:
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _FOREIGN_BLOCKS):
        return True
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def decode(data: bytes, label: str, lang: str) -> tuple[str | None, Problem | None]:
    """Text of a CSV file: UTF-8 (BOM or not), else GB18030/GBK; else a problem naming why."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(label, None, None, msg("encoding_utf16", lang, tried=ENCODINGS_TRIED))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            offset = max(utf8_error.start, gb_error.start)
            return None, Problem(label, None, None, msg("encoding_unknown", lang, tried=ENCODINGS_TRIED,
                                                        byte=data[offset], offset=offset))
    else:
        return text, None
    # GB18030 decodes many byte strings; text from a real GBK file has no private-use characters.
    for i, ch in enumerate(text):
        if 0xE000 <= ord(ch) <= 0xF8FF:
            offset = len(text[:i].encode("gb18030"))
            return None, Problem(label, None, None, msg("encoding_private_use", lang, offset=offset,
                                                        tried=ENCODINGS_TRIED))
    wide = [ch for ch in text if ord(ch) > 0x7F]
    foreign = [ch for ch in wide if _foreign(ch)]
    if len(foreign) >= 2 and len(foreign) >= _FOREIGN_SHARE * len(wide):
        return None, Problem(label, None, None, msg("encoding_not_chinese", lang, tried=ENCODINGS_TRIED,
                                                    shown="".join(foreign[:8])))
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


def file_kind_problem(path: Path, root: Path, label: str, lang: str) -> Problem | None:
    """Why ``path`` (in the folder ``root``) must not be read: a symlink leading out of the folder,
    or something that is not a regular file (a FIFO would block, a device never ends); else None."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return Problem(label, None, None, msg("symlink_outside", lang, target=str(target)))
        try:
            info = target.stat()
        except OSError:
            return Problem(label, None, None, msg("symlink_broken", lang, target=str(target)))
    if not stat.S_ISREG(info.st_mode):
        return Problem(label, None, None, msg("not_regular_file", lang))
    return None


def _strict_records(text: str, label: str, lang: str):
    """The CSV's records one at a time, strict about quotes: a quote that opens a field must
    close it, right before a comma or the line's end. Raises _Refused past max_rows records."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    cap = int(limits()["max_rows"]) + 1
    try:
        for n, record in enumerate(reader, start=1):
            if n > cap:
                raise _Refused(Problem(label, None, None, msg("too_many_rows", lang, limit=cap - 1)))
            yield record
    except csv.Error as exc:
        raise _Refused(Problem(label, reader.line_num, None, msg("not_csv", lang, error=str(exc)))) from None


class _Refused(Exception):
    """A file refused as a whole while it is read."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def read_csv(path: Path, name: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh"
             ) -> tuple[RawTable | None, list[Problem]]:
    label = path.name
    too_large = _too_large(label, path.stat().st_size, max_bytes, lang)
    if too_large:
        return None, [too_large]
    text, problem = decode(path.read_bytes(), label, lang)
    if problem or text is None:
        return None, [problem] if problem else []
    try:
        return _rows(_strict_records(text, label, lang), name, label, path, lang, _Progress(path, lang))
    except _Refused as refused:
        return None, [refused.problem]


def _rows(records, name: str, label: str, path: Path, lang: str, progress: _Progress | None = None
          ) -> tuple[RawTable | None, list[Problem]]:
    """The table of the records (read one by one: a refused file is not held twice)."""
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first):
        return None, [Problem(label, 1, None, msg("empty_file", lang))]
    header = [h.strip() for h in first]
    problems = _duplicate_headers(label, header, lang, sheet=False)
    rows: list[dict[str, str]] = []
    for rownum, record in enumerate(records, start=2):  # the spreadsheet row: the header is row 1
        if progress is not None:
            progress.row(label, rownum)
        if not any(cell.strip() for cell in record):
            continue  # blank line: spreadsheets leave them at the end
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            # Its cells do not line up with the columns (often an unquoted 1,234): not read further.
            problems.append(Problem(label, rownum, None,
                                    msg("too_many_cells", lang, cells=len(record), header=len(header))))
            continue
        swallowed = next((j for j, cell in enumerate(record) if _holds_a_record(cell, j, len(header))), None)
        if swallowed is not None:
            problems.append(Problem(label, rownum, header[swallowed] if swallowed < len(header) else None,
                                    msg("quote_swallows_lines", lang)))
            continue
        record = record + [""] * (len(header) - len(record))
        row = {"__row__": str(rownum)}
        for j, h in enumerate(header):
            if h and h not in row:
                row[h] = record[j].strip()
        rows.append(row)
    return RawTable(name, label, path, [h for h in dict.fromkeys(header) if h], rows), problems


def _holds_a_record(cell: str, index: int, columns: int) -> bool:
    """A cell spanning lines whose first line holds as many commas as the record's remaining
    columns need: a quote opened by mistake, which took the rest of its line (and the lines
    after, up to the next quote) into one cell."""
    rest = columns - 1 - index
    return "\n" in cell and rest >= 1 and cell.split("\n", 1)[0].count(",") >= rest


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


_QUOTED_FORMAT = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def percent_formatted(cell) -> bool:
    """A figure the spreadsheet shows as a percentage: Excel stores 35 % as 0.35, format '0%'."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return "%" in _QUOTED_FORMAT.sub("", str(cell.number_format or ""))


def percent_text(value: float) -> str:
    """0.35 → '35%': the percentage shown, in decimal digits (never 35.00000000000001%)."""
    shown = (Decimal(repr(float(value))) * 100).normalize()
    return f"{shown:f}%"


def sheet_cell_text(cell) -> str:
    """A workbook cell as the person sees it: a percent-formatted 0.35 is '35%'."""
    if percent_formatted(cell):
        return percent_text(cell.value)
    return cell_text(cell.value)


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


_CELL_TAG = re.compile(rb"<c[\s/>]")
_CELL_REF = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_SHEET_NAME = re.compile(r'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(r'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"|'
                  r'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """worksheet part (xl/worksheets/sheet1.xml) → the sheet's name, from the workbook's small XML."""
    try:
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {}
    for m in _REL.finditer(rels):
        rid, target = (m[1], m[2]) if m[1] is not None else (m[4], m[3])
        targets[rid] = target.lstrip("/").removeprefix("xl/")
    return {"xl/" + targets[rid]: html.unescape(name) for name, rid in _SHEET_NAME.findall(book)
            if rid in targets}


def _sheet_extent(z: zipfile.ZipFile, part: str, max_cells: int) -> tuple[int, int, int]:
    """(cells, last row, last column) of a worksheet's XML, streamed (never held whole); stops
    counting once past ``max_cells`` cells or an extent of that many."""
    cells = rows = cols = 0
    tail = b""
    with z.open(part) as f:
        while chunk := f.read(1 << 20):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")  # no tag is split: the rest waits for the next chunk
            body, tail = (buffer[:cut], buffer[cut:]) if cut > 0 else (buffer, b"")
            cells += len(_CELL_TAG.findall(body))
            for m in _CELL_REF.finditer(body):
                rows, cols = max(rows, int(m[2])), max(cols, _column_number(m[1]))
            if cells > max_cells or rows * cols > max_cells:
                break
        cells += len(_CELL_TAG.findall(tail))
    return cells, rows, cols


def scan_workbook(path: Path, label: str, lang: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> list[Problem]:
    """The workbook's bounds, checked on the zip's directory and its sheets' XML before anything
    loads it: its unpacked size, and each sheet's cells and extent (a single cell at XFD1048576
    makes a 1048576 x 16384 sheet of a spreadsheet reader)."""
    lim = limits()
    cap = int(lim["workbook_max_unpacked_mb"]) * 1024 * 1024
    max_unpacked = min(max_bytes * int(lim["workbook_unpack_factor"]), cap)
    max_cells = int(lim["sheet_max_cells"])
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
            if unpacked > max_unpacked:  # a zip bomb must not be unpacked into memory
                key = "workbook_expands_over_cap" if max_unpacked == cap else "workbook_expands_too_large"
                return [Problem(label, None, None, msg(key, lang, size=unpacked, limit=max_unpacked))]
            names = _sheet_names(z)
            problems = []
            for part in sorted(n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
                cells, rows, cols = _sheet_extent(z, part, max_cells)
                where = f"{path.name}[{names.get(part, part)}]"
                if cells > max_cells:
                    problems.append(Problem(where, None, None, msg("sheet_too_many_cells", lang,
                                                                   limit=max_cells)))
                elif rows * cols > max_cells:
                    problems.append(Problem(where, None, None, msg(
                        "sheet_too_large", lang, cell=f"{_column_letter(cols - 1)}{rows}", rows=rows,
                        columns=cols, limit=max_cells)))
            return problems
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError) as exc:
        return [Problem(label, None, None, msg("not_xlsx", lang, error=str(exc)))]


def _ranges(numbers: list[int]) -> str:
    """5, 7–9: consecutive numbers as one range."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def hidden_parts(ws, label: str, lang: str) -> list[Problem]:
    """Warnings for a sheet, rows or columns the reader reads but a person may not see."""
    problems = []
    if ws.sheet_state != "visible":
        problems.append(Problem(label, None, None, msg("hidden_sheet", lang, sheet=ws.title), "warning"))
    last_row, last_col = ws.max_row, ws.max_column
    rows = sorted(r for r, d in ws.row_dimensions.items() if d.hidden and r <= last_row)
    if rows:
        problems.append(Problem(label, None, None, msg("hidden_rows", lang, rows=_ranges(rows)), "warning"))
    cols: set[int] = set()
    for d in ws.column_dimensions.values():
        if d.hidden and d.min:
            cols.update(range(d.min, min(d.max or d.min, last_col) + 1))
    if cols:
        letters = ", ".join(_column_letter(c - 1) for c in sorted(cols))
        problems.append(Problem(label, None, None, msg("hidden_columns", lang, columns=letters), "warning"))
    return problems


def read_workbook(path: Path, sheets, max_bytes: int = DEFAULT_MAX_FILE_BYTES, lang: str = "zh"
                  ) -> tuple[dict[str, RawTable], list[Problem]]:
    """The sheets named in ``sheets`` (others, like README, are not read)."""
    import openpyxl

    label = path.name
    too_large = _too_large(label, path.stat().st_size, max_bytes, lang)
    if too_large:
        return {}, [too_large]
    bounds = scan_workbook(path, label, lang, max_bytes)
    if bounds:
        return {}, bounds
    progress = _Progress(path, lang)
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
            table, probs = _read_sheet(ws, path, lang, formulas.get(ws.title, {}), progress)
            problems += hidden_parts(ws, f"{path.name}[{ws.title}]", lang) + probs
            if table is not None:
                tables[ws.title] = table
    finally:
        wb.close()
    return tables, problems


def _read_sheet(ws, path: Path, lang: str, formulas: dict[tuple[int, int], str], progress: _Progress | None = None
                ) -> tuple[RawTable | None, list[Problem]]:
    label = f"{path.name}[{ws.title}]"
    it = ws.iter_rows(values_only=False)
    header_cells = next(it, None)
    if header_cells is None:
        return None, []
    header = [header_name(ws.title, cell_text(c.value)) for c in header_cells]
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
        texts = [covered.get((c.row, c.column), sheet_cell_text(c)) for c in cells]
        rownum = cells[0].row
        if progress is not None:
            progress.row(label, rownum)
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
