"""The rule engine: YAML rules → highlights, problems and recommendations with evidence.

A rule names a condition (conditions.py, substance.py) and its thresholds; its
sentence is the message catalogue's (templates/messages/<lang>.yaml, key
``rules.<rule id>``), filled in render. One pass then settles what is said
about each subject (``unless`` facts, ``leave_to``), so no two findings
contradict each other and nothing is said twice. A recommendation is given
when at least one problem it addresses was found (and its own condition, if
any, holds); its figures (recommend.py) carry the gap, sectors, projects and
implementing body it names. ``load_rules`` checks the whole file, reporting
every problem at once.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path


from nzc_report.assess import ZoneAssessment
from nzc_report.errors import UsageError
from nzc_report.yamlfile import read_yaml
from nzc_report.findings import substance  # noqa: F401  (registers its conditions)
from nzc_report.findings.conditions import CONDITIONS, REQUIRED_PARAMS
from nzc_report.findings.recommend import REC_FIGURES

__all__ = ["Findings", "load_rules", "evaluate_findings", "PROBLEM_CATEGORIES", "RECOMMENDATION_CATEGORIES",
           "FACTS"]

# The source report's categories (../shared/spec/cli.md); labels live in the message catalogues.
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
            for fact in rule.get("unless") or []:
                if fact not in FACTS:
                    add(where, f"unknown fact '{fact}'{_hint(fact, FACTS)}")
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
        figures = rec.get("figures", "basic")
        if figures not in REC_FIGURES:
            add(where, f"unknown figures '{figures}'{_hint(figures, REC_FIGURES)}")
        cond = rec.get("condition")
        if cond is not None and cond not in CONDITIONS:
            add(where, f"unknown condition '{cond}'{_hint(cond, CONDITIONS)}")
        for fact in rec.get("unless") or []:
            if fact not in FACTS:
                add(where, f"unknown fact '{fact}'{_hint(fact, FACTS)}")
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


# Facts a rule may be silenced by (``unless``): what the data shows elsewhere.
FACTS = {
    "targets_set": lambda a: bool(a.targets),
    "plan_in_place": lambda a: bool(a.zone.get("plan_document")),
}


def _fire(rule: dict, a: ZoneAssessment) -> list[dict]:
    if any(FACTS[f](a) for f in rule.get("unless") or []):
        return []
    found = []
    for evidence in CONDITIONS[rule["condition"]](a, rule.get("params") or {}):
        finding = {"rule_id": rule["id"]}
        if "category" in rule:
            finding["category"] = rule["category"]
        finding["text"] = None  # the catalogue's sentence, filled in render (narrate_findings)
        finding["evidence"] = {"condition": rule["condition"], **evidence}
        found.append(finding)
    return found


def _settle(a: ZoneAssessment, problems: list[dict], rules: dict) -> list[dict]:
    """Drops what another finding already says: a rule's ``leave_to`` maps an indicator it
    would list to the rule (or fact) that speaks for it (the plan: P-NO-PLAN, not the
    missing-data list; staged targets: the targets themselves)."""
    fired = {p["rule_id"] for p in problems} | {name for name, fact in FACTS.items() if fact(a)}
    by_id = {r["id"]: r for r in rules.get("problems") or []}
    out = []
    for p in problems:
        leave = {ind for ind, other in (by_id[p["rule_id"]].get("leave_to") or {}).items() if other in fired}
        figures = p["evidence"]["figures"]
        if leave and "missing" in figures:
            kept = [m for m in figures["missing"] if m["id"] not in leave]
            if not kept:
                continue
            figures.update(missing=kept, count=len(kept), weight=sum(m["weight"] for m in kept))
        out.append(p)
    return out


def _recommend(rec: dict, a: ZoneAssessment, problems: list[dict]) -> list[dict]:
    answered = [p for p in problems if p["rule_id"] in rec["addresses"]]
    if not answered or any(FACTS[f](a) for f in rec.get("unless") or []):
        return []
    params = rec.get("params") or {}
    extra = {}
    if rec.get("condition"):
        found = CONDITIONS[rec["condition"]](a, params)
        if not found:
            return []  # the data gives no reason for this recommendation
        extra = {"because": found[0]["figures"]}
    groups = [[p] for p in answered] if rec.get("per_problem") else [answered]
    out = []
    for group in groups:
        figures = REC_FIGURES[rec.get("figures", "basic")](a, group, params)
        out.append({"rule_id": rec["id"], "category": rec["category"], "text": None,
                    "addresses": list(dict.fromkeys(p["rule_id"] for p in group)),
                    "evidence": {"figures": {**figures, **extra}}})
    return out


def evaluate_findings(a: ZoneAssessment, rules: dict) -> Findings:
    f = Findings()
    for rule in rules.get("highlights") or []:
        f.highlights += _fire(rule, a)
    for rule in rules.get("problems") or []:
        f.problems += _fire(rule, a)
    f.problems = _settle(a, f.problems, rules)
    for rec in rules.get("recommendations") or []:
        f.recommendations += _recommend(rec, a, f.problems)
    return f
