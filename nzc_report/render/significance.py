"""一、重要意义 written for one zone, from params/significance.yaml.

The source report's three points, each specialised by zone type, opened by
the zone's own facts and closed by its context from params/zones/<id>.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nzc_report.resources import current_project
from nzc_report.yamlfile import fill, read_checked


def significance_texts() -> dict:
    return _significance_texts(current_project().params_file("significance.yaml"))


@cache
def _significance_texts(path: Path) -> dict:
    # schemas/significance.schema.json; a build checks the ids too first (nzc_report.config)
    return read_checked(path, "significance")


@dataclass(frozen=True)
class Point:
    title: str
    text: str


@dataclass(frozen=True)
class Significance:
    intro: str
    points: list[Point]
    context_lead: str
    context: str | None


def zone_significance(results: dict, lang: str, facts: dict) -> Significance:
    """``facts``: the placeholders, already in the report's language (name, province,
    zone_type, approved_year, baseline_year, domains, plan)."""
    texts = significance_texts()
    # names only (yamlfile.fill): a placeholder never reaches an attribute, as str.format would;
    # a zone assessed in another programme than the default is not said to be in the default's
    other = facts.get("programme") and "intro_programme" in texts
    intro = fill(texts["intro_programme" if other else "intro"][lang], facts)
    if facts.get("plan"):
        # after the facts, before the sentence that announces the three points: said after it, it
        # stood between "以下三个方面。" and 一是 (gd-wanshan, gd-sz-sino-us-center)
        plan = fill(texts["plan"][lang], facts)
        end = intro[:-1].rfind("。") + 1 if lang == "zh" else intro[:-1].rfind(". ") + 1
        if end > 0:
            intro = intro[:end] + ("" if lang == "zh" else " ") + plan + intro[end:]
        else:
            intro += ("" if lang == "zh" else " ") + plan
    zone_type = results.get("zone_type")
    points = []
    for p in texts["points"]:
        # what the point means for this kind of zone; the general sentence, the same in every
        # report, only where the zone type has none (issue 29: a shorter 一、重要意义)
        special = p["zone_types"].get(zone_type, {}).get(lang)
        points.append(Point(p["title"][lang], (special or p["general"][lang]).strip()))
    params = results.get("params") or {}
    # the zone's own background as written; in English only where the params give it in English
    context = params.get(f"context_{lang}") or (params.get("context") if lang == "zh" else None) or None
    return Significance(intro, points, texts["context_lead"][lang], context)
