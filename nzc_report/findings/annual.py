"""The annual cycle: last year's assessment beside this year's (../shared/spec/cli.md v2).

`previous_block` cuts a full results.json down to the contract's `previous`
shape; `year_changes` compares two years (problems by rule id, targets by
metric and target year, indicators by id); `revisions` lists the published
figures of an earlier build that differ from the ones recomputed from today's
dataset (数据修订). Everything here returns codes and figures: the sentences
are the catalogue's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nzc_report.assess import Framework, assess_zone
from nzc_report.dataset import Dataset
from nzc_report.findings import evaluate_findings
from nzc_report.findings.results import build_results
from nzc_report.results_model import read_results

# Figures a published previous year is compared on, as (path in the `previous` block, label key).
REVISED_FIELDS = (
    ("emissions.baseline_net_tco2e", "baseline_net_tco2e"),
    ("emissions.net_tco2e", "net_tco2e"),
    ("emissions.gross_tco2e", "gross_tco2e"),
    ("emissions.removals_tco2e", "removals_tco2e"),
    ("emissions.net_reduction_pct", "net_reduction_pct"),
    ("score", "score"),
)
# Relative difference below which two published figures count as the same (rounding in JSON).
REVISION_TOLERANCE = 1e-6


def subject_of(problem: dict) -> list | None:
    """What a problem is about where one rule fires once per target: [metric, target_year]."""
    figures = (problem.get("evidence") or {}).get("figures") or {}
    if "target_year" in figures and "metric" in figures:
        return [figures["metric"], int(figures["target_year"])]
    return None


def shares_fact(a: str, b: str) -> bool:
    """Whether two claim subjects name a common fact (indicator:a+b and indicator:b do): how a
    rectification plan's subject is matched to a problem (the report, and its check in batch)."""
    def atoms(s: str) -> set[str]:
        kind, _, rest = s.partition(":")
        return {f"{kind}:{x}" for x in rest.split("+")} if rest else {s}
    return bool(atoms(a) & atoms(b))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _target_key(t: dict) -> tuple[str, int]:
    return (t["metric"], int(t["target_year"]))


def previous_block(results: dict) -> dict:
    """The contract's `previous` block from a zone's full results (of the year before)."""
    return {
        "year": results["year"],
        "data_year": results["data_year"],
        "emissions": dict(results["emissions"]),
        "targets": [dict(t) for t in results.get("targets", [])],
        "score": results.get("score"),
        "grade": results.get("grade"),
        "grade_provisional": results.get("grade_provisional"),
        "coverage_pct": results.get("coverage_pct"),
        "problems": [{"rule_id": p["rule_id"], "category": p["category"], "subject": subject_of(p),
                      "claim": p.get("claim"), "figures": _problem_figures(p), "text": p.get("text")}
                     for p in results.get("problems", []) if p.get("rule_id")],
        "indicators": [{"id": r["id"], "value": r.get("value"), "year": r.get("year"), "score": r.get("score"),
                        "weight": r.get("weight"), "reported": r.get("reported"),
                        "unit": r.get("unit"), "name_zh": r.get("name_zh"), "name_en": r.get("name_en")}
                       for r in results.get("indicators", []) if r.get("applies", True)],
        "framework": {k: (results.get("framework") or {}).get(k) for k in ("id", "version")},
    }


def _problem_figures(p: dict) -> dict:
    """What a problem's change is judged on next year: a target's status, a list's size, how far a
    failed gate's value is from its threshold."""
    f = (p.get("evidence") or {}).get("figures") or {}
    out = {k: f[k] for k in ("status", "count", "progress_ratio", "change_pct") if k in f}
    if p.get("claim", {}).get("judgement"):
        out["judgement"] = p["claim"]["judgement"]
    return out


def _delta(after, before):
    if after is None or before is None:
        return None
    return after - before


def year_changes(current: dict, previous: dict | None, *, movers: int = 3) -> dict | None:
    """`changes` of cli.md v2 (score delta, grades, problems resolved / persisting / new),
    plus the emissions' changes, every target's status change and the indicators that moved most."""
    if previous is None:
        return None
    # by rule id: an evaluator's own problem (no rule) is not compared
    before = _unique([p["rule_id"] for p in previous.get("problems", []) if p.get("rule_id")])
    after = _unique([p["rule_id"] for p in current.get("problems", []) if p.get("rule_id")])
    em_now, em_then = current["emissions"], previous["emissions"]
    compared = int(current.get("data_year") or 0) > int(previous.get("data_year") or 0)
    return {
        "problem_changes": problem_changes(current.get("problems", []), previous.get("problems", [])),
        "score_change_by_cause": score_change_by_cause(current, previous),
        "emissions_compared": compared,
        "score_delta": _round(_delta(current.get("score"), previous.get("score"))),
        "grade_before": previous.get("grade"),
        "grade_after": current.get("grade"),
        "problems_resolved": [r for r in before if r not in after],
        "problems_persisting": [r for r in before if r in after],
        "problems_new": [r for r in after if r not in before],
        # no value for a year the data lacks: no emissions change where both years rest on the same data year
        "net_tco2e_delta": _round(_delta(em_now.get("net_tco2e"), em_then.get("net_tco2e"))) if compared else None,
        "net_reduction_pct_delta": _round(_delta(em_now.get("net_reduction_pct"), em_then.get("net_reduction_pct")))
        if compared else None,
        "targets": target_changes(current.get("targets", []), previous.get("targets", [])),
        "indicator_movers": indicator_movers(current.get("indicators", []), previous.get("indicators", []), movers,
                                             data_refreshed(current, previous)),
    }


def _round(x, digits: int = 6):
    return None if x is None else round(x, digits)


def target_changes(now: list[dict], then: list[dict]) -> list[dict]:
    """Each of this year's targets with last year's status (None where it is new)."""
    before = {_target_key(t): t for t in then}
    out = []
    for t in now:
        old = before.get(_target_key(t))
        out.append({"metric": t["metric"], "target_year": int(t["target_year"]),
                    "status_before": old["status"] if old else None, "status_after": t["status"],
                    "changed": old is None or old["status"] != t["status"]})
    return out


def indicator_movers(now: list[dict], then: list[dict], n: int, refreshed: set[str] | frozenset = frozenset()) -> list[dict]:
    """The applicable indicators whose score moved most between the two years (largest |Δscore| first,
    ties by id), with both values; indicators scored in only one year are left out. ``refreshed``:
    those whose too-old value was replaced by newer data (said as such, not as a change of value)."""
    before = {r["id"]: r for r in then}
    moved = []
    for r in now:
        old = before.get(r["id"])
        if not r.get("applies", True) or old is None:
            continue
        if r.get("score") is None or old.get("score") is None:
            continue
        if r.get("weight") == 0:  # shown for reference, not in the score: its change moves nothing
            continue
        d = r["score"] - old["score"]
        if abs(d) < 1e-9:
            continue
        moved.append({"id": r["id"], "name_zh": r.get("name_zh"), "name_en": r.get("name_en"), "unit": r.get("unit"),
                      "value_before": old.get("value"), "value_after": r.get("value"),
                      "year_before": old.get("year"), "year_after": r.get("year"),
                      "newly_reported": old.get("value") is None and r.get("value") is not None,
                      "data_refreshed": r["id"] in refreshed,
                      "score_before": old["score"], "score_after": r["score"], "score_delta": _round(d)})
    moved.sort(key=lambda m: (-abs(m["score_delta"]), m["id"]))
    return moved[:n]


# How grave a problem is, to say whether a subject's problem improved or worsened: a target's status
# (a move away from the target is never resolved), else the number of items it lists.
_STATUS_GRAVITY = {"missed": 0, "off_track": 1, "at_risk": 2, "no_data": 3}


def _subject(p: dict) -> str | None:
    claim = p.get("claim") or {}
    return claim.get("subject")


def _gravity(p: dict) -> tuple:
    f = p.get("figures") or (p.get("evidence") or {}).get("figures") or {}
    mixed = (p.get("claim") or {}).get("judgement") == "mixed" or f.get("judgement") == "mixed"
    # a failed gate: the further its value is from the threshold (change_pct), the graver
    return (_STATUS_GRAVITY.get(str(f.get("status")), 9), 1 if mixed else 0, -(f.get("count") or 0),
            -(f.get("change_pct") or 0))


def _atoms(subject: str) -> set[str]:
    kind, _, rest = subject.partition(":")
    return {f"{kind}:{x}" for x in rest.split("+")} if rest else {subject}


def problem_changes(now: list[dict], then: list[dict]) -> list[dict]:
    """cli.md v3: the problems of both years compared by subject (a list's subject by the items
    the two years share). ``how``: resolved, data_filed (a missing-data problem gone because the
    data was filed), improved, worsened, unchanged, new. A target that moved away from its
    target is never resolved: its problem is still there, graver (worsened)."""
    before = [p for p in then if _subject(p)]
    after = [p for p in now if p.get("rule_id") and _subject(p)]
    paired: dict[int, dict] = {}
    for i, b in enumerate(before):
        match = next((a for a in after if id(a) not in {id(x) for x in paired.values()}
                      and _atoms(_subject(a) or "") & _atoms(_subject(b) or "")), None)
        if match is not None:
            paired[i] = match
    out = []
    for i, b in enumerate(before):
        a = paired.get(i)
        if a is None:
            subject = _subject(b) or ""
            how = "data_filed" if subject.startswith("data:") or b.get("category") == "evaluation" else "resolved"
        else:
            how = "improved" if _gravity(a) > _gravity(b) else "worsened" if _gravity(a) < _gravity(b) else "unchanged"
        out.append({"subject": _subject(a) if a is not None else _subject(b), "before": b["rule_id"],
                    "after": a["rule_id"] if a is not None else None, "how": how})
    taken = {id(a) for a in paired.values()}
    out += [{"subject": _subject(a), "before": None, "after": a["rule_id"], "how": "new"}
            for a in after if id(a) not in taken]
    return out


def _data_atoms(problems: list[dict]) -> set[str]:
    return {atom.partition(":")[2] for p in problems for atom in _atoms(_subject(p) or "") if atom.startswith("data:")}


def data_refreshed(current: dict, previous: dict) -> set[str]:
    """The indicators a data problem of the previous year named (a value too old to stand for
    that year) that this year reports from a newer year, the problem gone: data filed (补报/更新数据),
    not a change of value. (绿色建筑占比 40 % of 2020 replaced by 75 % of 2024 read as 数值变化.)"""
    gone = _data_atoms(previous.get("problems") or []) - _data_atoms(current.get("problems") or [])
    before = {r["id"]: r for r in previous.get("indicators") or []}
    out = set()
    for r in current.get("indicators") or []:
        old = before.get(r["id"])
        if r["id"] in gone and r.get("reported") and old is not None and old.get("year") is not None \
                and r.get("year") is not None and int(r["year"]) > int(old["year"]):
            out.add(r["id"])
    return out


def score_change_by_cause(current: dict, previous: dict) -> dict | None:
    """cli.md v3: the score change split into what newly reported items added, what changed
    values added (an item reported in both years, or reported before and not now) and what a
    change of framework (weights, applicable items) added; the three sum to the change. A value
    that replaces one the previous year found too old (``data_refreshed``) is newly reported data."""
    now, then = current.get("score"), previous.get("score")
    if now is None or then is None:
        return None
    rows = [r for r in current.get("indicators") or [] if r.get("applies", True) and (r.get("weight") or 0) > 0]
    total = sum(r["weight"] for r in rows)
    before = {r["id"]: r for r in previous.get("indicators") or []}
    refreshed = data_refreshed(current, previous)
    newly = values = 0.0
    for r in rows:
        old = before.get(r["id"])
        s1 = r.get("score") or 0.0
        if old is None:
            continue  # an item the previous framework did not have: the framework's part
        s0 = old.get("score") or 0.0
        reported_then = old.get("reported", old.get("value") is not None) and old.get("score") is not None
        part = r["weight"] * (s1 - s0) / total if total else 0.0
        if (not reported_then and r.get("reported")) or r["id"] in refreshed:
            newly += part
        else:
            values += part
    delta = now - then
    return {"newly_reported": round(newly, 4), "values": round(values, 4),
            "framework": round(delta - round(newly, 4) - round(values, 4), 4)}


@dataclass(frozen=True)
class Revision:
    """A figure of the published previous year that today's dataset gives differently."""
    field: str
    label: str
    published: float | None
    recomputed: float | None

    def as_dict(self) -> dict:
        return {"field": self.field, "label": self.label, "published": self.published, "recomputed": self.recomputed}


def _get(block: dict, path: str):
    node: Any = block
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _differs(a, b) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    return not math.isclose(a, b, rel_tol=REVISION_TOLERANCE, abs_tol=REVISION_TOLERANCE)


def revisions(published: dict | None, recomputed: dict | None) -> list[dict]:
    """Figures of the published previous year that differ from the recomputed ones (数据修订):
    emissions and score, then each target's value in the data year, by metric and target year."""
    if published is None or recomputed is None:
        return []
    out = [Revision(path, label, _get(published, path), _get(recomputed, path))
           for path, label in REVISED_FIELDS if _differs(_get(published, path), _get(recomputed, path))]
    again = {_target_key(t): t for t in recomputed.get("targets", [])}
    for t in published.get("targets", []):
        r = again.get(_target_key(t))
        if r is not None and _differs(t.get("current_value"), r.get("current_value")):
            out.append(Revision(f"targets.{t['metric']}.{t['target_year']}.current_value", "target_current_value",
                                t.get("current_value"), r.get("current_value")))
    return [r.as_dict() for r in out]


def has_emissions_in(ds: Dataset, zone_id: str, year: int) -> bool:
    """Whether the dataset reports the zone's emissions for that year."""
    e = ds.tables["emissions"]
    return bool(((e["zone_id"] == zone_id) & (e["year"] == year)).any())


def previous_year_results(ds: Dataset, zone_id: str, year: int, framework: Framework, rules: dict, *,
                          zone_params: dict | None = None) -> dict | None:
    """The zone's full results for year − 1, from the same dataset with only the data up to
    that year, the same framework and rules (findings not yet worded); None when the dataset
    has no emissions for year − 1."""
    if not has_emissions_in(ds, zone_id, year - 1):
        return None
    a = assess_zone(ds, zone_id, year - 1, framework)
    return build_results(ds, a, evaluate_findings(a, rules), zone_params=zone_params)


def recompute_previous(ds: Dataset, zone_id: str, year: int, framework: Framework, rules: dict, *,
                       zone_params: dict | None = None) -> dict | None:
    """The `previous` block recomputed from the dataset (see previous_year_results)."""
    full = previous_year_results(ds, zone_id, year, framework, rules, zone_params=zone_params)
    return None if full is None else previous_block(full)


def annual_blocks(results: dict, recomputed: dict | None, published: dict | None = None) -> dict:
    """`previous`, `changes` and `revisions` of a zone's results: the published previous year
    (--compare-to) where there is one, else the recomputed one; revisions list where the two differ."""
    previous = published if published is not None else recomputed
    return {"previous": previous, "changes": year_changes(results, previous),
            "previous_source": None if previous is None else ("published" if published is not None else "recomputed"),
            "revisions": revisions(published, recomputed)}


def published_previous(path: str | Path | None, year: int) -> dict | None:
    """The `previous` block from a published zone results.json of an earlier build
    (--compare-to); None without one. A file of another year than year − 1 is refused."""
    if not path:
        return None
    published = read_results(path).to_dict()
    if int(published["year"]) != year - 1:
        raise ValueError(f"{path}: the published results are for {published['year']}, not {year - 1}")
    return previous_block(published)
