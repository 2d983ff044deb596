"""The message catalogue: every fixed text of the reports, in Chinese and English.

templates/messages/<lang>.yaml holds nested keys; templates call t("cover.body")
or t("summary.net_line", year=2024). One template serves both languages.
"""
from __future__ import annotations

from functools import cache

from nzc_report.yamlfile import plural, safe_load

from nzc_report.errors import UsageError
from nzc_report.resources import current_project

LANGS = ("zh", "en")


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise UsageError(f"unknown report language '{lang}': use one of {', '.join(LANGS)}")
    return lang


def catalogue_file(lang: str, part: str | None = None) -> str:
    """``<lang>.yaml``, or ``<part>.<lang>.yaml`` for a part kept in its own file (the portal's)."""
    return f"{part}.{check_lang(lang)}.yaml" if part else f"{check_lang(lang)}.yaml"


def catalogue(lang: str, part: str | None = None) -> dict:
    """The catalogue of the current project (see resources.using_project)."""
    return _catalogue(str(current_project().templates / "messages" / catalogue_file(lang, part)))


@cache
def _catalogue(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        return safe_load(f)  # type: ignore[return-value]  # a catalogue is a mapping


def flat_keys(tree: dict, prefix: str = "") -> set[str]:
    keys = set()
    for k, v in tree.items():
        key = f"{prefix}{k}"
        keys |= flat_keys(v, key + ".") if isinstance(v, dict) else {key}
    return keys


class Messages:
    """t(key, **values): the text for key in this language, with {values} filled in."""

    def __init__(self, lang: str, part: str | None = None):
        self.lang = check_lang(lang)
        self.file = catalogue_file(lang, part)
        self.tree = catalogue(lang, part)

    def get(self, key: str):
        node = self.tree
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                # A template asked for text the catalogue lacks: a bug in this package.
                raise KeyError(f"templates/messages/{self.file} has no '{key}'")
            node = node[part]
        return node

    def __call__(self, key: str, **values) -> str:
        text = self.get(key)
        return plural(text, values).format(**values) if values else text

    def labels(self, key: str) -> dict[str, str]:
        return dict(self.get(key))
