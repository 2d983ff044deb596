"""The Jinja2 environment: autoescape on, strict undefined, project templates only."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from nzc_report.resources import current_project


def fmt_number(value, digits: int = 0) -> str:
    """Thousands separators, fixed decimals; an em dash for not reported."""
    if value is None:
        return "—"
    return f"{value:z,.{digits}f}"


def fmt_value(value) -> str:
    """An indicator value at a precision that suits its size: 12,345 · 36.0 · 0.129."""
    if value is None:
        return "—"
    if abs(value) >= 1000:
        return f"{value:z,.0f}"
    if abs(value) >= 1 or value == 0:
        return f"{value:z,.1f}"
    return f"{value:z.3g}"


def fmt_pct(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:z.{digits}f}%"


def groupby_first(items, key: str) -> list[tuple[object, list]]:
    """Groups by ``key`` in the order groups first appear (Jinja's groupby sorts)."""
    groups: dict = {}
    for item in items:
        groups.setdefault(item.get(key), []).append(item)
    return list(groups.items())


def jinja_env(templates: Path | None = None) -> Environment:
    """The environment over ``templates`` (default: the current project's, see
    resources.using_project); one per folder and process."""
    return _jinja_env(str(templates if templates is not None else current_project().templates))


@cache
def _jinja_env(templates: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "j2", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = fmt_number
    env.filters["pct"] = fmt_pct
    env.filters["val"] = fmt_value
    env.filters["groupby_first"] = groupby_first
    return env
