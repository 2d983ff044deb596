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


def parts_that_add(total: float, parts: dict[str, float], digits: int = 1) -> dict[str, float]:
    """``parts`` rounded to ``digits`` so that they add up to ``total`` rounded the same way: the
    rounding difference goes to the parts whose remainders were largest ("+3.1 … +4.6" under a
    change of 7.6 read as arithmetic that does not add). A part of exactly 0 stays 0."""
    unit = 10 ** -digits
    target = round(round(total, digits) / unit)
    raw = {k: v / unit for k, v in parts.items()}
    floor = {k: int(v // 1) for k, v in raw.items()}
    short = target - sum(floor.values())
    order = sorted((k for k in raw if raw[k] != 0), key=lambda k: (-(raw[k] - floor[k]), k))
    out = dict(floor)
    if order:
        for i in range(abs(short)):
            k = order[i % len(order)] if short > 0 else order[::-1][i % len(order)]
            out[k] += 1 if short > 0 else -1
    return {k: round(out[k] * unit, digits) for k in parts}


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
