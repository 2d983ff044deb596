"""The dataset's message catalogue, column labels and validation limits (YAML beside this file).

Messages are data: the wording of every problem, in Chinese and English, lives
in messages.yaml; this module only fills in the fields.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from nzc_report.yamlfile import plural, safe_load

from nzc_report.errors import UsageError

HERE = Path(__file__).parent
LANGS = ("zh", "en")
# Fields that hold user text or names: shown quoted and escaped.
_QUOTED = {"value", "column", "found", "zone", "suggestion", "shown"}
_MAX_SHOWN = 60


@cache
def _load(name: str) -> dict:
    with open(HERE / name, encoding="utf-8") as f:
        return safe_load(f)  # type: ignore[return-value]  # a catalogue is a mapping


def limits() -> dict:
    return _load("limits.yaml")


def column_docs(table: str) -> dict:
    return _load("columns.yaml").get(table, {"about": {}, "columns": {}})


def one_line(text: object) -> str:
    """User text as typed, on one line: every character that is not printable (a newline, a tab, a
    control, U+2028, a format character) written as its escape; spaces (NBSP, U+3000) kept as they are.
    The command line's values (cli_checks) and the dataset's messages (``show``) say text through it."""
    return "".join(ch if ch.isprintable() or unicodedata.category(ch) == "Zs" else repr(ch)[1:-1]
                   for ch in str(text))


def show(text: str) -> str:
    """User text in a dataset message: on one line (``one_line``), long text cut."""
    s = one_line(text)
    return s if len(s) <= _MAX_SHOWN else s[:_MAX_SHOWN - 1] + "…"


def quote(text: str, lang: str) -> str:
    return f"“{show(text)}”" if lang == "zh" else f"'{show(text)}'"


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"--lang {lang}: must be one of {', '.join(LANGS)}")
    return lang


def msg(key: str, lang: str, /, **fields) -> str:
    """The message ``key`` in ``lang``, with user-text fields quoted."""
    template = _load("messages.yaml")[key][check_lang(lang)]
    shown = {k: (quote(v, lang) if k in _QUOTED and isinstance(v, str) else v)
             for k, v in fields.items()}
    return plural(template, shown).format(**shown)
