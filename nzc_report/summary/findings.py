"""Findings synthesised across zones: how many zones share the same finding.

A group is one rule AND the figures that make its statement true (the
``group_by`` evidence keys of params/summary.yaml: a 2020 target and a 2025
target are different statements), so a count always counts zones of which the
statement holds. Each group gives the zones, the range of the rule's figure,
the strongest examples and the split by province and by zone type. Only rule
ids, categories, evidence figures and the zones' structured fields are read,
never a finding's text.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

from nzc_report.dataset.provinces import PROVINCE_NAMES
from nzc_report.results_model import Finding, Model, ZoneResults
from nzc_report.summary.statistics import describe

PROBLEM_CATEGORIES = ["concept", "evaluation", "policy", "progress"]
EXTRA = "_extra"  # an evaluator's own finding (category and text, no rule)


def _figures(finding: Finding) -> dict:
    figures = finding.evidence.get("figures", finding.evidence)
    return figures if isinstance(figures, dict) else {}


def _one_value(result: ZoneResults, finding: Finding, path: str):
    if path.startswith("zone:"):
        node: Any = result
        for part in path[5:].split("."):
            if isinstance(node, Model):
                node = getattr(node, part, None)
            else:
                node = node.get(part) if isinstance(node, dict) else None
        return node
    if path.startswith("len:"):
        items = _figures(finding).get(path[4:])
        return len(items) if isinstance(items, list) else None
    return _figures(finding).get(path)


def _value(result: ZoneResults, finding: Finding, path: str | None):
    """The figure named by ``path``: "zone:a.b" (the zone's results), "len:key" (how many
    items an evidence list holds), else an evidence key; "a|b" takes the first present."""
    for alternative in (path or "").split("|"):
        if not alternative:
            continue
        value = _one_value(result, finding, alternative)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


def metric_name(result: ZoneResults, metric: str | None, key: str = "name_zh") -> str | None:
    """The framework's name (name_zh, name_en) of a metric that is one of the zone's indicators."""
    return next((getattr(i, key) for i in result.indicators if i.id == metric), None)


def metric_name_en(result: ZoneResults, metric: str | None) -> str | None:
    return metric_name(result, metric, "name_en")


def _key(finding: Finding, group_by: list[str]) -> tuple:
    figures = _figures(finding)
    return tuple(figures.get(k) for k in group_by)


def _split(zones: list[dict], field: str) -> list[dict]:
    counts = Counter(z[field] for z in zones)
    return [{field: k, "n": n} for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _findings(r: ZoneResults, kind: str) -> list[Finding]:
    """The zone's statements of ``kind``: each highlight or problem, and for a problem also the
    problems of the same subject the zone's one judgement took into it (evidence ``also``: a
    2025 target off track told beside the missed 2020 one of the same metric), so that a count
    of zones with a 2025 target off track counts that zone too (the focus list and the annex do)."""
    if kind == "highlights":
        return r.highlights
    out = []
    for f in r.problems:
        out.append(f)
        for also in f.evidence.get("also") or []:
            if isinstance(also, dict) and also.get("rule_id") and isinstance(also.get("figures"), dict):
                out.append(Finding(rule_id=also["rule_id"], category=f.category,
                                   evidence={"figures": also["figures"]}, claim=f.claim))
    return out


def synthesise(results: list[ZoneResults], kind: str, config: dict, total: int) -> list[dict]:
    """``kind``: 'highlights' or 'problems'. One entry per (rule, figures) group, widest first."""
    specs = config.get("findings") or {}
    n_examples = config.get("examples", 3)
    groups: dict[tuple, dict] = {}
    for r in results:
        for f in _findings(r, kind):
            rule = f.rule_id or EXTRA
            spec = specs.get(rule) or {}
            group_by = spec.get("group_by") or []
            key = (rule, f.category if rule == EXTRA else None, _key(f, group_by))
            g = groups.setdefault(key, {"rule_id": f.rule_id, "code": rule, "category": f.category,
                                        "key": dict(zip(group_by, key[2])), "zones": {}})
            figures = _figures(f)
            if "metric" in g["key"]:  # the metric's own words and unit, for its figures
                g["key"].setdefault("metric_label", figures.get("metric_label") or metric_name(r, g["key"]["metric"]))
                g["key"].setdefault("metric_label_en", metric_name_en(r, g["key"]["metric"]))
                g.setdefault("metric_unit", figures.get("unit") or "")
            zone = g["zones"].setdefault(r.zone_id, {
                "zone_id": r.zone_id, "name": r.name, "name_en": r.name_en, "province_code": r.province_code,
                "zone_type": r.zone_type, "score": r.score, "value": None, "count": 0, "texts": []})
            zone["count"] += 1
            zone["texts"].append(f.text)
            value = _value(r, f, spec.get("value"))
            if value is not None:
                zone["value"] = value if zone["value"] is None else max(zone["value"], value)
    out = []
    for (rule, _, _), g in groups.items():
        spec = specs.get(rule) or {}
        zones = list(g.pop("zones").values())
        metric_unit = g.pop("metric_unit", "")  # the unit of the metric's values, not of a ratio
        unit = spec.get("unit", metric_unit if spec.get("value") in ("current_value", "target_value") else "")
        desc = spec.get("order", "desc" if kind == "highlights" else "asc") == "desc"
        # Examples: by the rule's figure where it has one, else highlights by the highest
        # score and problems by the lowest (the zones most concerned first).
        def order(z, desc=desc):
            v = z["value"] if z["value"] is not None else z["score"]
            v = -1e18 if v is None else v
            return (-v if desc else v, z["zone_id"])
        zones.sort(key=order)
        values = [z["value"] for z in zones if z["value"] is not None]
        stats = describe(values)
        out.append({
            **g, "n": len(zones), "share": len(zones) / total if total else None,
            "zone_ids": sorted(z["zone_id"] for z in zones),
            "examples": [{"zone_id": z["zone_id"], "name": z["name"], "name_en": z["name_en"], "value": z["value"]}
                         for z in zones[:n_examples]],
            "range": {"min": stats["min"], "max": stats["max"], "mean": stats["mean"]} if stats else None,
            "total": sum(values) if spec.get("total") and values else None,
            # one zone, one finding: its own sentence, which says what a group's sentence can only hedge
            # ("部分建立", where a count of zones reads "尚未建立或仅部分建立")
            "own_text": zones[0]["texts"][0] if len(zones) == 1 and len(zones[0]["texts"]) == 1 else None,
            "unit": unit, "digits": spec.get("digits", 1),
            "by_province": [{**s, "province_name": PROVINCE_NAMES.get(s["province_code"], s["province_code"])}
                            for s in _split(zones, "province_code")],
            "by_type": _split(zones, "zone_type"),
        })
    out = fold_singletons(out, config.get("fold_singletons") or [], total)
    return order_groups(out, config.get("lead") or [])


def order_groups(groups: list[dict], lead: list[str]) -> list[dict]:
    """The rules of ``lead`` first (in that order), then the widest first; a rule's
    folded "other" line right after that rule's own lines."""
    def rank(g):
        return lead.index(g["code"]) if g["code"] in lead else len(lead)

    main = sorted((g for g in groups if not g["other"]),
                  key=lambda g: (rank(g), -g["n"], g["code"], json_key(g["key"])))
    out = list(main)
    for other in sorted((g for g in groups if g["other"]), key=lambda g: g["code"]):
        last = max((i for i, g in enumerate(out) if g["code"] == other["code"]), default=len(out) - 1)
        out.insert(last + 1, other)
    return out


def fold_singletons(groups: list[dict], rules: list[str], total: int) -> list[dict]:
    """Per rule of ``rules``, the groups that hold for one zone each (a 2028 target here, a
    2030 one there) become one "other" group naming each zone with its own figures."""
    out = [{**g, "other": False} for g in groups]
    for rule in rules:
        single = [g for g in out if g["rule_id"] == rule and g["n"] == 1]
        if len(single) < 2:
            continue
        details: dict[str, dict] = {}
        for g in sorted(single, key=lambda g: json_key(g["key"])):
            e = g["examples"][0]
            d = details.setdefault(e["zone_id"], {"zone_id": e["zone_id"], "name": e["name"],
                                                  "name_en": e.get("name_en"), "keys": []})
            d["keys"].append(g["key"])
        first = single[0]
        out = [g for g in out if not (g["rule_id"] == rule and g["n"] == 1)]
        alone = not any(g["rule_id"] == rule for g in out)  # no wider line of this rule to follow
        out.append({**first, "key": {}, "other": True, "alone": alone, "n": len(details),
                    "share": len(details) / total if total else None,
                    "zone_ids": sorted(details), "examples": [], "range": None, "total": None,
                    "details": [details[z] for z in sorted(details)],
                    "by_province": [], "by_type": []})
    return out


def json_key(key: dict) -> str:
    return "|".join(f"{k}={key[k]}" for k in sorted(key))


def zones_with(results: list[ZoneResults], kind: str, rule_id: str) -> list[str]:
    return sorted(r.zone_id for r in results if any(f.rule_id == rule_id for f in _findings(r, kind)))


def problems_by_category(results: list[ZoneResults], problems: list[dict]) -> dict[str, dict]:
    """Every category of the source report, with the zones it concerns (0 included)."""
    out = {}
    cats = PROBLEM_CATEGORIES + sorted({p["category"] for p in problems if p["category"]} - set(PROBLEM_CATEGORIES))
    for cat in cats:
        rows = [p for p in problems if p["category"] == cat]
        affected = sorted({z for p in rows for z in p["zone_ids"]})
        out[cat] = {"zones": len(affected), "zone_ids": affected, "findings": rows}
    return out
