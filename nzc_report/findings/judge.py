"""One judgement per subject (issue 28, cli.md v3 claims).

Every highlight and problem carries ``claim: {subject, polarity}``; the subject
comes from its rule (params/rules.yaml ``subject``: a fixed subject such as
``emissions:net``, or ``kind:{field}`` / ``kind:{items}`` filled from the
finding's figures). ``judge`` then decides one judgement per subject and keeps
only the findings that say it:

- two problems on one subject: the graver stays (a list finding loses the
  shared items instead); the other's figures go to its ``also``;
- a highlight and a problem on one subject, or on related subjects (a target
  and the indicator or emissions it is set on; staged targets and the targets):
  the problem becomes one balanced statement (``judgement: mixed``), holding what
  is in place under ``in_place``; the highlight (or its item) is not said;
- a mechanism reported ``partial`` is mixed.

``judgements`` maps every subject spoken about, and every mechanism the
framework applies, to one of positive, negative, mixed, not_reported,
not_applicable. No subject then has both polarities, and none two problems.
"""
from __future__ import annotations

from nzc_report.assess import ZoneAssessment
from nzc_report.results_model import Judgement, Polarity, subject_atoms

__all__ = ["claim_subject", "rule_subject", "judge", "related_key", "item_ids", "DEFAULT_SUBJECTS"]

# Where one subject has several problems, the graver target status stays.
_STATUS_GRAVITY = {"missed": 0, "off_track": 1, "at_risk": 2, "no_data": 3}
# Figures that hold a finding's items, and the key naming each item's subject.
_ITEM_LISTS = (("items", "mechanism"), ("items", "indicator"), ("measures", "measure_id"))
_ID_LISTS = ("indicators", "mechanisms")
# Metrics whose targets are about net emissions themselves.
_NET_METRICS = ("net_reduction_pct", "net_emissions_tco2e")


def item_ids(figures: dict) -> list[str]:
    """The ids of the items a list finding names (indicators, mechanisms, measures)."""
    for key, id_key in _ITEM_LISTS:
        items = figures.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict) and id_key in items[0]:
            return [str(i[id_key]) for i in items]
    return []


# A rule without ``subject`` (a rules file of before v3) claims its condition's subject.
DEFAULT_SUBJECTS = {
    "net_reduction_at_least": "emissions:net", "net_emissions_rising": "emissions:net",
    "emissions_data_lag": "data:emissions", "target_status": "target:{metric}", "no_targets": "evidence:targets",
    "no_near_zero_end_target": "evidence:targets", "staged_plan": "evidence:targets",
    "indicator_at_least": "indicator:{indicator}", "indicators_at_benchmark": "indicator:{items}",
    "indicators_below_floor": "indicator:{items}", "indicators_not_reported": "data:indicators",
    "indicator_data_stale": "data:{items}", "grade_provisional": "data:coverage", "measures_across_domains": "measures",
    "sectors_without_measures": "measures", "measures_suspended": "measure:{items}",
    "measures_long_ongoing": "measure:{items}", "measures_off_plan": "measure:{items}",
    "no_boundary": "evidence:boundary", "no_plan": "mechanism:plan", "mechanism_in_status": "mechanism:{items}",
    "decoupling": "indicator:carbon_intensity_gdp_tco2e_per_10k_cny", "indicator_gains": "indicator:{items}",
}


def rule_subject(rule: dict) -> str:
    return rule.get("subject") or DEFAULT_SUBJECTS.get(rule["condition"], f"evidence:{rule['id'].lower()}")


def claim_subject(template: str, figures: dict) -> str:
    """A rule's ``subject`` filled from a finding's figures."""
    if "{items}" in template:
        ids = item_ids(figures)
        return template.replace("{items}", "+".join(ids)) if ids else template.replace(":{items}", "")
    return template.format(**figures) if "{" in template else template


def related_key(atom: str, gates: dict[str, str] | None = None) -> str:
    """The fact a subject is about when praise and fault are compared: a target is about its
    metric (the indicator, or net emissions); staged targets are about the targets; a gate of
    the framework is about the indicator it reads (``gates``: gate id → indicator id)."""
    kind, _, x = atom.partition(":")
    if kind == "gate" and gates and x in gates:
        return related_key(f"indicator:{gates[x]}")
    if kind in ("target", "indicator"):
        return "emissions:net" if x in _NET_METRICS else f"indicator:{x}"
    if atom == "mechanism:staged_targets":
        return "evidence:targets"
    return atom


def _atoms(f: dict) -> list[str]:
    return subject_atoms(f["claim"]["subject"])


def _gravity(f: dict) -> int:
    return _STATUS_GRAVITY.get(str((f["evidence"].get("figures") or {}).get("status")), 9)


def _drop_items(f: dict, ids: set[str]) -> dict | None:
    """The finding without the items of ``ids`` (their figures returned apart), or None when
    it is not a list finding; the finding's count and subject follow."""
    figures = f["evidence"]["figures"]
    for key, id_key in _ITEM_LISTS:
        items = figures.get(key)
        if isinstance(items, list) and items and isinstance(items[0], dict) and id_key in items[0]:
            removed = [i for i in items if str(i[id_key]) in ids]
            kept = [i for i in items if str(i[id_key]) not in ids]
            figures[key] = kept
            if "count" in figures:
                figures["count"] = len(kept)
            for ids_key in _ID_LISTS:
                if isinstance(figures.get(ids_key), list):
                    figures[ids_key] = [x for x in figures[ids_key] if str(x) not in ids]
            kind = f["claim"]["subject"].partition(":")[0]
            f["claim"]["subject"] = f"{kind}:" + "+".join(str(i[id_key]) for i in kept) if kept else kind
            return {key: removed, "count": len(removed)}
    return None


def _one_problem_each(problems: list[dict]) -> list[dict]:
    order = {id(p): n for n, p in enumerate(problems)}
    taken: dict[str, dict] = {}
    kept = []
    for p in sorted(problems, key=lambda p: (_gravity(p), order[id(p)])):
        shared = {a for a in _atoms(p) if a in taken}
        if shared:
            owner = taken[sorted(shared)[0]]
            if len(shared) < len(_atoms(p)) and _drop_items(p, {a.partition(":")[2] for a in shared}) is not None:
                pass  # the rest of its list is still its own
            else:
                owner["evidence"].setdefault("also", []).append({"rule_id": p["rule_id"],
                                                                 "figures": p["evidence"]["figures"]})
                continue
        for a in _atoms(p):
            taken[a] = p
        kept.append(p)
    return sorted(kept, key=lambda p: order[id(p)])


def _balance(highlights: list[dict], problems: list[dict], gates: dict[str, str] | None = None) -> list[dict]:
    """Highlights whose subject a problem speaks about become part of that problem (mixed)."""
    by_key: dict[str, dict] = {}
    for p in problems:
        for a in _atoms(p):
            by_key.setdefault(related_key(a, gates), p)
    kept = []
    for h in highlights:
        hit = [a for a in _atoms(h) if related_key(a, gates) in by_key]
        if not hit:
            kept.append(h)
            continue
        owner = by_key[related_key(hit[0], gates)]
        part = None
        if len(hit) < len(_atoms(h)):
            part = _drop_items(h, {a.partition(":")[2] for a in hit})
        owner["claim"]["judgement"] = str(Judgement.MIXED)
        in_place = owner["evidence"].setdefault("in_place", [])
        if part is not None:
            in_place.append({"rule_id": h["rule_id"], "condition": h["evidence"]["condition"],
                             "figures": {**h["evidence"]["figures"], **part}})
            kept.append(h)
        else:
            in_place.append({"rule_id": h["rule_id"], "condition": h["evidence"]["condition"],
                             "figures": h["evidence"]["figures"]})
            # the statement says what is in place too: it cites that data as well (gd-nanao's 资金政策支持
            # cited the green-finance row only, not the fiscal-support row it also states)
            owner["evidence"]["sources"] = _merged_sources(owner["evidence"].get("sources") or [],
                                                           h["evidence"].get("sources") or [])
    return kept


def _merged_sources(sources: list[dict], more: list[dict]) -> list[dict]:
    """Cited rows of two findings, one entry per file (its rows and columns joined, in order)."""
    out = [dict(s) for s in sources]
    by_file = {s.get("file"): s for s in out}
    for s in more:
        have = by_file.get(s.get("file"))
        if have is None:
            by_file[s.get("file")] = dict(s)
            out.append(by_file[s.get("file")])
            continue
        have["rows"] = sorted({*(have.get("rows") or []), *(s.get("rows") or [])})
        if have.get("columns") is not None or s.get("columns") is not None:
            have["columns"] = list(dict.fromkeys([*(have.get("columns") or []), *(s.get("columns") or [])]))
    return out


def _partial(problems: list[dict]) -> None:
    for p in problems:
        items = (p["evidence"].get("figures") or {}).get("items") or []
        if any(isinstance(i, dict) and i.get("status") == "partial" for i in items):
            p["claim"]["judgement"] = str(Judgement.MIXED)


def judgements(a: ZoneAssessment, highlights: list[dict], problems: list[dict]) -> dict[str, str]:
    """Every subject spoken about, and every weighted mechanism of the framework, with its judgement."""
    out: dict[str, str] = {}
    for r in a.indicators:
        if r.indicator.kind != "mechanisms":
            continue
        subject = f"mechanism:{r.indicator.mechanism}"
        if not r.applies:
            out[subject] = str(Judgement.NOT_APPLICABLE)
        elif not r.reported:
            out[subject] = str(Judgement.NOT_REPORTED)
        else:
            out[subject] = {"yes": Judgement.POSITIVE, "partial": Judgement.MIXED,
                            "no": Judgement.NEGATIVE}.get(str(r.observed.status), Judgement.NOT_REPORTED).value
    for h in highlights:
        for atom in _atoms(h):
            out[atom] = str(Judgement.POSITIVE)
    for p in problems:
        mixed = p["claim"].get("judgement") == Judgement.MIXED
        for atom in _atoms(p):
            out[atom] = str(Judgement.MIXED if mixed else Judgement.NEGATIVE)
    return dict(sorted(out.items()))


def judge(a: ZoneAssessment, highlights: list[dict], problems: list[dict]) -> tuple[list[dict], list[dict], dict]:
    """The findings that say one judgement per subject, and the judgements."""
    problems = _one_problem_each(problems)
    _partial(problems)
    gates = {g.id: g.indicator for g in a.outcome.gates} if a.outcome is not None else {}
    highlights = _balance(highlights, problems, gates)
    return highlights, problems, judgements(a, highlights, problems)


def claim(subject: str, polarity: Polarity) -> dict:
    return {"subject": subject, "polarity": str(polarity)}
