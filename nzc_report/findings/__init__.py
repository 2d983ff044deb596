"""The rule engine: YAML rules → highlights, problems and recommendations with evidence."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nzc_report.assess import ZoneAssessment
from nzc_report.findings.conditions import CONDITIONS

__all__ = ["Findings", "load_rules", "evaluate_findings"]


@dataclass
class Findings:
    highlights: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)


def load_rules(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        rules = yaml.safe_load(f)
    for kind in ("highlights", "problems"):
        for rule in rules.get(kind, []):
            if rule["condition"] not in CONDITIONS:
                raise ValueError(f"{path}: rule {rule['id']}: unknown condition {rule['condition']}")
    return rules


def _fire(rule: dict, a: ZoneAssessment) -> list[dict]:
    found = []
    for evidence in CONDITIONS[rule["condition"]](a, rule.get("params") or {}):
        finding = {"rule_id": rule["id"], "text": rule["text"].format(**evidence),
                   "evidence": evidence}
        if "category" in rule:
            finding = {"rule_id": rule["id"], "category": rule["category"],
                       "text": finding["text"], "evidence": evidence}
        found.append(finding)
    return found


def evaluate_findings(a: ZoneAssessment, rules: dict) -> Findings:
    f = Findings()
    for rule in rules.get("highlights", []):
        f.highlights += _fire(rule, a)
    for rule in rules.get("problems", []):
        f.problems += _fire(rule, a)
    fired = {p["rule_id"] for p in f.problems}
    for rec in rules.get("recommendations", []):
        answered = [r for r in rec["addresses"] if r in fired]
        if answered:
            f.recommendations.append({"rule_id": rec["id"], "category": rec["category"],
                                      "text": rec["text"], "addresses": answered})
    return f
