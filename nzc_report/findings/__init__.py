"""The rule engine: YAML rules → highlights, problems and recommendations with evidence.

A rule names a condition (conditions.py, substance.py) and its thresholds; its
sentence is the message catalogue's (templates/messages/<lang>.yaml, key
``rules.<rule id>``), filled in render. One pass then settles what is said
about each subject (``unless`` facts, ``leave_to``), so no two findings
contradict each other and nothing is said twice. A recommendation is given
when at least one problem it addresses was found (and its own condition, if
any, holds); its figures (recommend.py) carry the gap, sectors, projects and
implementing body it names. ``load_rules`` checks the whole file against
schemas/rules.schema.json and its cross-references, reporting every problem
at once (FILE:LINE).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.assess import Framework, ZoneAssessment
from nzc_report.errors import ConfigError, ConfigProblem
from nzc_report.yamlfile import CheckedYaml, check_file, did_you_mean, said
from nzc_report.findings import substance  # noqa: F401  (registers its conditions)
from nzc_report.findings.conditions import CONDITIONS, REQUIRED_PARAMS
from nzc_report.findings.judge import claim, claim_subject, judge, rule_subject
from nzc_report.findings.authority import derive_authority
from nzc_report.findings.recommend import REC_FIGURES
from nzc_report.results_model import Polarity, subject_atoms

__all__ = ["Findings", "load_rules", "check_rules", "evaluate_findings", "PROBLEM_CATEGORIES", "RECOMMENDATION_CATEGORIES",
           "FACTS"]

# The source report's categories (../shared/spec/cli.md); labels live in the message catalogues.
PROBLEM_CATEGORIES = ("concept", "evaluation", "policy", "progress")
RECOMMENDATION_CATEGORIES = ("guidance", "supporting_policy", "pilot", "international")


@dataclass
class Findings:
    highlights: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    judgements: dict[str, str] = field(default_factory=dict)  # subject → positive, negative, mixed, not_reported …


def _rule_problems(c: CheckedYaml, rules: dict, framework: Framework | None) -> None:
    """What the schema cannot see: ids used once, the params a condition needs, the problems
    a recommendation answers, what ``leave_to`` hands over to; with ``framework``, the
    indicators and dimensions a rule names."""
    seen: set[str] = set()
    entries = {kind: [r for r in rules.get(kind) or [] if isinstance(r, dict)] if isinstance(rules.get(kind), list)
               else [] for kind in ("highlights", "problems", "recommendations")}
    rule_ids = {str(r.get("id")) for kind in ("highlights", "problems") for r in entries[kind]}
    problem_ids = sorted(str(r.get("id")) for r in entries["problems"])
    indicators = {i.id for i in framework.indicators} if framework else None
    for kind in ("highlights", "problems", "recommendations"):
        for i, rule in enumerate(rules.get(kind) or []):
            with c.part():
                at: list = [kind, i]
                if rule["id"] in seen:
                    c.add([*at, "id"], said("cfg_used_twice", id=rule["id"]))
                seen.add(rule["id"])
            with c.part():
                cond, params = rule.get("condition"), rule.get("params") or {}
                for name in REQUIRED_PARAMS.get(cond, ()) if cond else ():
                    if name not in params:
                        c.add([*at, "params"], said("cfg_condition_needs_param", condition=cond, param=name))
            with c.part():
                for j, pid in enumerate(rule.get("addresses") or []):
                    if pid not in problem_ids:
                        c.add([*at, "addresses", j], said("cfg_unknown_problem", id=pid, hint=did_you_mean(pid, problem_ids)))
            with c.part():
                for name, other in (rule.get("leave_to") or {}).items():
                    if other not in rule_ids and other not in FACTS:
                        c.add([*at, "leave_to", name], said("cfg_neither_rule_nor_fact", id=other,
                                                            hint=did_you_mean(other, [*rule_ids, *FACTS])))
                    if indicators is not None and name not in indicators:
                        c.add([*at, "leave_to", name], said("cfg_unknown_indicator", id=name,
                                                            hint=did_you_mean(name, indicators)))
            if framework is not None:
                with c.part():
                    _framework_references(c, at, rule.get("params") or {}, framework, indicators or set())


def _framework_references(c: CheckedYaml, at: list, params: dict, framework: Framework, indicators: set) -> None:
    named: list[tuple[str, int | None, str]] = [("indicator", None, params["indicator"])] if "indicator" in params else []
    named += [("indicators", j, iid) for j, iid in enumerate(params.get("indicators") or [])]
    for key, j, iid in named:
        if iid not in indicators:
            c.add([*at, "params", key] + ([] if j is None else [j]),
                  said("cfg_unknown_indicator", id=iid, hint=did_you_mean(iid, indicators)))
    for j, dim in enumerate(params.get("exclude_dimensions") or []):
        if dim not in framework.dimensions:
            c.add([*at, "params", "exclude_dimensions", j],
                  said("cfg_unknown_dimension", id=dim, hint=did_you_mean(dim, framework.dimensions)))


def check_rules(path: str | Path, framework: Framework | None = None) -> tuple[dict | None, list[ConfigProblem]]:
    """The rules in ``path`` and every problem found in them (None if there is any),
    against schemas/rules.schema.json, each other and, when given, ``framework``."""
    c = check_file(path, "rules")
    rules = c.mapping
    if rules is not None:
        _rule_problems(c, rules, framework)
    return (None if c.problems else rules), c.sorted_problems()


def load_rules(path: str | Path, framework: Framework | None = None) -> dict:
    """The rules in ``path``, or ConfigError listing every problem in them (FILE:LINE)."""
    rules, problems = check_rules(path, framework)
    if rules is None:
        raise ConfigError(problems)
    return rules


# Facts a rule may be silenced by (``unless``): what the data shows elsewhere.
FACTS = {
    "targets_set": lambda a: bool(a.targets),
    "plan_in_place": lambda a: bool(a.zone.get("plan_document")),
}


def _fire(rule: dict, a: ZoneAssessment, polarity: Polarity) -> list[dict]:
    if any(FACTS[f](a) for f in rule.get("unless") or []):
        return []
    found = []
    for evidence in CONDITIONS[rule["condition"]](a, rule.get("params") or {}):
        finding = {"rule_id": rule["id"]}
        if "category" in rule:
            finding["category"] = rule["category"]
        finding["text"] = None  # the catalogue's sentence, filled in render (narrate_findings)
        finding["evidence"] = {"condition": rule["condition"], **evidence}
        finding["claim"] = claim(claim_subject(rule_subject(rule), evidence["figures"]), polarity)
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


def _recommend(rec: dict, a: ZoneAssessment, problems: list[dict], answered_subjects: set[str],
               authority_rule: dict | None = None) -> list[dict]:
    """At most one recommendation per subject: the problems whose subjects an earlier
    recommendation answers are not answered again."""
    answered = [p for p in problems if p["rule_id"] in rec["addresses"]
                and not set(subject_atoms(p["claim"]["subject"])) & answered_subjects]
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
        answered_subjects.update(x for p in group for x in subject_atoms(p["claim"]["subject"]))
        figures = REC_FIGURES[rec.get("figures", "basic")](a, group, params)
        if rec.get("addressee") == "competent_authority":
            # who oversees the zone where its params name no one: the place its name names (rules.yaml)
            authority = derive_authority(a.zone, authority_rule)
            if authority:
                figures["authority"] = authority
        out.append({"rule_id": rec["id"], "category": rec["category"], "text": None,
                    # who acts (cli.md v3): the zone's own 实施主体, or the body that oversees it
                    "addressee": rec.get("addressee", "implementing_body"),
                    # the heading it sits under: the zone's own problem category it answers
                    "problem_category": group[0].get("category"),
                    "addresses": list(dict.fromkeys(p["rule_id"] for p in group)),
                    "subjects": list(dict.fromkeys(p["claim"]["subject"] for p in group)),
                    "evidence": {"figures": {**figures, **extra}}})
    return out


def evaluate_findings(a: ZoneAssessment, rules: dict) -> Findings:
    """The rules fired, then one judgement per subject (judge.py), then the recommendations
    answering the negative and mixed judgements (at most one per subject)."""
    f = Findings()
    for rule in rules.get("highlights") or []:
        f.highlights += _fire(rule, a, Polarity.POSITIVE)
    for rule in rules.get("problems") or []:
        f.problems += _fire(rule, a, Polarity.NEGATIVE)
    f.problems = _settle(a, f.problems, rules)
    f.highlights, f.problems, f.judgements = judge(a, f.highlights, f.problems)
    answered: set[str] = set()
    for rec in rules.get("recommendations") or []:
        f.recommendations += _recommend(rec, a, f.problems, answered, rules.get("competent_authority"))
    return f
