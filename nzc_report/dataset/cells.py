"""Turning cell text into canonical text before validation: parsing, not checking.

What is written here is what a person means by the text: full-width digits and
commas (１２，３４５) are digits and commas, ``1,234.5`` has a thousands
separator, ``35.2%`` in a percentage column is 35.2, ``广东`` is 440000.
Whatever cannot be read so is left as typed, and the format checks
(schema.py) refuse it with a message that quotes the original text.

Control characters (the security policy, also in the README):
tab and newline are kept in text; CR LF and lone CR become newline; every
other C0/C1 control character and the bidirectional overrides (U+202A–U+202E,
U+2066–U+2069), which could reorder what a reader sees, are replaced by a
visible escape such as ``\\x07`` or ``\\u202e`` and reported as a warning. Text
is otherwise kept exactly: HTML, Jinja and Markdown syntax are ordinary
characters that the report and notebook show literally.
"""
from __future__ import annotations

import re
import unicodedata

from nzc_report.dataset.provinces import province_code

# Thousands are grouped with commas only (dataset.md: `1,234.5`; a full-width ， is a comma). A space
# inside a number is refused wherever it is (issue 26): `10 5000` is a slip, and so may be
# `1 234` (1234 or 1 and 234?); a slip that happens to fall between groups of three would be
# read silently, and a refusal at FILE:ROW:COLUMN costs one edit. Neither Chinese Excel nor
# the template groups with spaces.
THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
INTEGRAL_RE = re.compile(r"^([+-]?\d+)\.0*$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}
_LOOSE_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?$")


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> tuple[str, bool]:
    """``text`` with unsafe invisible characters made visible; True if any were."""
    if not _UNSAFE.search(text):  # the common case, at C speed
        return text, False
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out, changed = [], False
    for ch in text:
        cp = ord(ch)
        if ch in "\t\n":
            out.append(ch)
        elif cp < 0x20 or 0x7F <= cp < 0xA0:
            out.append(f"\\x{cp:02x}")
            changed = True
        elif cp in _BIDI:
            out.append(f"\\u{cp:04x}")
            changed = True
        else:
            out.append(ch)
    return "".join(out), changed


def number_text(text: str, percent: bool) -> str:
    """Canonical number text: ASCII digits, no thousands separators, no % (when a percentage).

    Spaces around the number (and before a %) go; spaces inside it stay, so that ``10 5000``
    and ``1 234`` are refused rather than read as 105000 and 1234.
    """
    s = _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip().replace("\u2212", "-")
    if percent and s.endswith("%"):
        s = s[:-1].rstrip()
    if THOUSANDS_RE.match(s):
        s = s.replace(",", "")
    return s


def has_inner_space(text: str) -> bool:
    """True when number text still holds a space once read (any inner space: refused)."""
    return " " in text


def integer_text(text: str) -> str:
    """Canonical whole-number text: ``2016.0`` (as spreadsheets write years) is 2016."""
    s = number_text(text, percent=False)
    m = INTEGRAL_RE.match(s)
    return m[1] if m else s


def province_text(text: str) -> str:
    """The GB/T 2260 code of a province name in any accepted form; else the text as typed."""
    return province_code(text) or text


def domains_text(text: str) -> str:
    """``industry；energy`` or ``industry, energy`` → ``industry;energy``, de-duplicated, order kept."""
    parts = [p.strip() for p in re.split(r"[;,、]", unicodedata.normalize("NFKC", text))]
    if not all(parts):
        return text
    return ";".join(dict.fromkeys(parts))


def date_text(text: str) -> str:
    """``2017/1``, ``2017.01.05``, ``2017年1月`` → ``2017-01``, ``2017-01-05``, ``2017-01``."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    m = _LOOSE_DATE.match(s)
    if not m:
        return text
    return f"{m[1]}-{int(m[2]):02d}" + (f"-{int(m[3]):02d}" if m[3] else "")


def is_percent_metric(metric: str | None, units: dict[str, str] | None) -> bool:
    """A metric or indicator measured in %: its framework unit is %, or its id ends in _pct."""
    if not isinstance(metric, str):
        return False
    if units and metric in units:
        return units[metric].strip() in ("%", "percent", "百分比")
    return metric.endswith("_pct")
