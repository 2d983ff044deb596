"""Reading PDFs back the way a reviewer's tools do: poppler and pypdf.

``pdftotext``, ``pdfinfo``, ``pdffonts`` and ``pdf_reader`` keep what they read per content (the
SHA-256 of the file's bytes) for the test process: several tests read the same render
(test_report_pdf reads its Chinese report in six), pypdf parses the whole object stream of a
WeasyPrint PDF on its first look inside it (about 0.3 s of CPU for a zone report) and pdffonts
takes 0.8 s. A file rewritten with other bytes is read again; the same bytes give what they gave,
wherever they lie (poppler reads them from its stdin)."""
from __future__ import annotations

import hashlib
import io
import subprocess
from collections import OrderedDict
from pathlib import Path

from pypdf import PdfReader

_TEXTS: dict[tuple[str, ...], str] = {}  # (tool and options…, digest) → what poppler printed
_READERS: OrderedDict[str, PdfReader] = OrderedDict()  # digest → reader, the last few
_KEEP_READERS = 16


def _poppler(tool: list[str], pdf: Path) -> str:
    """What poppler's ``tool`` (its command line, the input given as -) prints for the file's bytes."""
    data = Path(pdf).read_bytes()
    key = (*tool, hashlib.sha256(data).hexdigest())
    if key not in _TEXTS:
        _TEXTS[key] = subprocess.run(tool, input=data, capture_output=True,
                                     check=True).stdout.decode("utf-8")
    return _TEXTS[key]


def pdftotext(pdf: Path, layout: bool = False) -> str:
    return _poppler(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"], pdf)


def pdfinfo(pdf: Path) -> dict[str, str]:
    """poppler's pdfinfo, field → value as it prints them (Title, Author, Subject, Pages…)."""
    fields = {}
    for line in _poppler(["pdfinfo", "-enc", "UTF-8", "-"], pdf).splitlines():
        name, sep, value = line.partition(":")
        if sep:
            fields[name] = value.strip()
    return fields


def pdf_reader(pdf: Path) -> PdfReader:
    """pypdf's reader of the file's bytes, shared by every caller of the same bytes: read it, never change it."""
    data = Path(pdf).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest in _READERS:
        _READERS.move_to_end(digest)
    else:
        _READERS[digest] = PdfReader(io.BytesIO(data))
        while len(_READERS) > _KEEP_READERS:
            _READERS.popitem(last=False)
    return _READERS[digest]


def pdffonts(pdf: Path) -> list[dict]:
    out = _poppler(["pdffonts", "-"], pdf)
    fonts = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) < 6:
            continue
        # the last five columns: emb sub uni object-id generation
        fonts.append({"name": cols[0], "emb": cols[-5], "sub": cols[-4], "uni": cols[-3]})
    return fonts


def page_texts(pdf: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(pdf)).pages]


def texts_over_their_cells(document, content_box: bool = False) -> list[str]:
    """The texts of a rendered WeasyPrint document that run past their table cell's right border
    (0.5 pt allowed): a number over the next column, a label out of its cell. ``content_box``: past
    the cell's content, its right padding not counted as room."""
    from weasyprint.formatting_structure import boxes

    def over(box, cell=None):
        if isinstance(box, boxes.TableCellBox):
            cell = box
        if isinstance(box, boxes.TextBox) and cell is not None:
            edge = cell.content_box_x() + cell.width + (0 if content_box else cell.padding_right)
            if box.position_x + box.width > edge + 0.5:
                yield box.text
        for child in getattr(box, "children", []):
            yield from over(child, cell)

    return [text for page in document.pages for text in over(page._page_box)]
