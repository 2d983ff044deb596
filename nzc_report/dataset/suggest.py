"""Did you mean …? Suggestions for a value the contract does not accept.

Enums are suggested from a close spelling or from their Chinese label
('城镇' → 'town'); provinces from any accepted spelling ('Guangdongg' → 广东省);
ids from their slug form ('Alpha!' → 'alpha').
"""
from __future__ import annotations

import difflib
import re

from nzc_report.dataset import vocab
from nzc_report.dataset.catalogue import msg
from nzc_report.dataset.provinces import suggest_province
from nzc_report.dataset.schema import SLUG_RE

_LABELS: dict[str, str] = {}
for _table in (vocab.ZONE_TYPES, vocab.DOMAINS, vocab.REMOVAL_SOURCES, vocab.MEASURE_STATUSES,
               vocab.MECHANISMS, vocab.MECHANISM_STATUSES):
    for _code, _label in _table.items():
        for _part in re.split(r"[、/]", _label):
            _LABELS.setdefault(_part, _code)
        _LABELS.setdefault(_label, _code)


def closest(text: str, choices) -> str | None:
    """The choice ``text`` most likely means: same letters in another case, a Chinese label, a near spelling."""
    choices = list(choices)
    folded = {c.lower(): c for c in choices}
    key = text.strip().lower().replace(" ", "_")
    if key in folded:
        return folded[key]
    if text.strip() in _LABELS and _LABELS[text.strip()] in choices:
        return _LABELS[text.strip()]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def slug_form(text: str) -> str | None:
    """'Alpha Town!' → 'alpha-town', if that makes a valid id."""
    s = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower()).strip("-_")[:64]
    return s if s and s != text and SLUG_RE.match(s) else None


def _domains(text: str) -> str | None:
    fixed = []
    for part in (p.strip() for p in re.split(r"[;,、；，]", text)):
        if not part:
            continue
        good = part if part in vocab.DOMAINS else closest(part, vocab.DOMAINS)
        if good is None:
            return None
        fixed.append(good)
    return ";".join(dict.fromkeys(fixed)) or None


def suggestion(text: str, kind: str, lang: str, choices=()) -> str:
    """" (did you mean 'x'?)" in ``lang``, or "" when nothing is close."""
    if kind == "province":
        guess = suggest_province(text)
    elif kind == "domains":
        guess = _domains(text)
    elif kind == "slug":
        guess = slug_form(text)
    elif kind in ("enum", "zone", "id"):
        guess = closest(text, choices)
    else:
        guess = None
    return msg("did_you_mean", lang, suggestion=guess) if guess and guess != text else ""
