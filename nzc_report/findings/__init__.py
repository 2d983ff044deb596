"""The rule engine: YAML rules → highlights, problems and recommendations with evidence.

A rule names a condition (conditions.py), its thresholds and its sentence. A
recommendation is given when at least one problem it addresses was found, and
lists those problems. ``load_rules`` checks the whole file, reporting every
problem at once.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from string import Formatter


from nzc_report.assess import ZoneAssessment
from nzc_report.errors import UsageError
from nzc_report.yamlfile import read_yaml
from nzc_report.findings.conditions import CONDITIONS, REQUIRED_PARAMS

__all__ = ["Findings", "load_rules", "evaluate_findings", "PROBLEM_CATEGORIES", "RECOMMENDATION_CATEGORIES"]

# The source report's categories (../shared/spec/cli.md); labels live in rules.yaml.
PROBLEM_CATEGORIES = ("concept", "evaluation", "policy", "progress")
RECOMMENDATION_CATEGORIES = ("guidance", "supporting_policy", "pilot", "international")


@dataclass
class Findings:
    highlights: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)


def _hint(value, choices) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _check(rules: dict, name: str) -> list[str]:
    problems: list[str] = []

    def add(where, message):
        problems.append(f"{name}: {where}: {message}")

    labels = rules.get("categories") or {}
    for kind, expected in (("problems", PROBLEM_CATEGORIES), ("recommendations", RECOMMENDATION_CATEGORIES)):
        for cat in expected:
            if not (labels.get(kind) or {}).get(cat):
                add(f"categories.{kind}", f"label for '{cat}' is missing")
    seen: set[str] = set()

    def checked_id(kind: str, i: int, entry, prefix: str) -> tuple[str | None, str]:
        """The entry's id and where it is, after checking the id is there, unique and prefixed."""
        rid = entry.get("id") if isinstance(entry, dict) else None
        where = f"{kind}[{i}]" + (f" {rid}" if rid else "")
        if not rid:
            add(where, "'id' is required")
            return None, where
        if rid in seen:
            add(where, "id is used twice")
        seen.add(rid)
        if not str(rid).startswith(prefix):
            add(where, f"id must start with '{prefix}'")
        return rid, where

    for kind in ("highlights", "problems"):
        for i, rule in enumerate(rules.get(kind) or []):
            rid, where = checked_id(kind, i, rule, "H-" if kind == "highlights" else "P-")
            if rid is None:
                continue
            cond = rule.get("condition")
            if cond not in CONDITIONS:
                add(where, f"unknown condition '{cond}'{_hint(cond, CONDITIONS)}")
            else:
                for p in REQUIRED_PARAMS[cond]:
                    if p not in (rule.get("params") or {}):
                        add(where, f"condition '{cond}' needs param '{p}'")
            if not isinstance(rule.get("text"), str) or not rule["text"].strip():
                add(where, "'text' is required")
            else:
                try:
                    list(Formatter().parse(rule["text"]))
                except ValueError as exc:
                    add(where, f"text is not a valid template: {exc}")
            if kind == "problems" and rule.get("category") not in PROBLEM_CATEGORIES:
                add(where, f"category must be one of {', '.join(PROBLEM_CATEGORIES)}"
                           f"{_hint(rule.get('category'), PROBLEM_CATEGORIES)}")
    problem_ids = {r.get("id") for r in rules.get("problems") or [] if isinstance(r, dict)}
    for i, rec in enumerate(rules.get("recommendations") or []):
        rid, where = checked_id("recommendations", i, rec, "R-")
        if rid is None:
            continue
        if rec.get("category") not in RECOMMENDATION_CATEGORIES:
            add(where, f"category must be one of {', '.join(RECOMMENDATION_CATEGORIES)}"
                       f"{_hint(rec.get('category'), RECOMMENDATION_CATEGORIES)}")
        addresses = rec.get("addresses") or []
        if not addresses:
            add(where, "'addresses' must list the problems it answers")
        for pid in addresses:
            if pid not in problem_ids:
                add(where, f"addresses unknown problem '{pid}'{_hint(pid, problem_ids)}")
        if not rec.get("text"):
            add(where, "'text' is required")
    return problems


def load_rules(path: str | Path) -> dict:
    path = Path(path)
    rules = read_yaml(path, "rules")
    if not isinstance(rules, dict):
        raise UsageError(f"rules {path}: must be a YAML mapping")
    problems = _check(rules, path.name)
    if problems:
        raise UsageError("\n".join([*problems, f"rules refused: {len(problems)} problem(s)"]))
    return rules


def _fire(rule: dict, a: ZoneAssessment, category_labels: dict | None = None) -> list[dict]:
    found = []
    for evidence in CONDITIONS[rule["condition"]](a, rule.get("params") or {}):
        finding = {"rule_id": rule["id"]}
        if "category" in rule:
            finding["category"] = rule["category"]
            finding["category_label"] = category_labels[rule["category"]]
        finding["text"] = rule["text"].format(**evidence["figures"])
        finding["evidence"] = evidence
        found.append(finding)
    return found


def evaluate_findings(a: ZoneAssessment, rules: dict) -> Findings:
    labels = rules["categories"]
    f = Findings()
    for rule in rules.get("highlights") or []:
        f.highlights += _fire(rule, a)
    for rule in rules.get("problems") or []:
        f.problems += _fire(rule, a, labels["problems"])
    fired = {p["rule_id"] for p in f.problems}
    for rec in rules.get("recommendations") or []:
        answered = [r for r in rec["addresses"] if r in fired]
        if answered:
            f.recommendations.append({"rule_id": rec["id"], "category": rec["category"],
                                      "category_label": labels["recommendations"][rec["category"]],
                                      "text": rec["text"], "addresses": answered})
    return f
