"""Conditions that rules refer to by name.

Each takes the zone's assessment and the rule's params, and returns a list
of evidence dicts: one per finding (empty when the rule does not fire).
Thresholds come from params/rules.yaml, never from here.
"""
from __future__ import annotations

from typing import Callable

from nzc_report.assess import ZoneAssessment
from nzc_report.dataset.vocab import BUILTIN_TARGET_METRICS

Condition = Callable[[ZoneAssessment, dict], list[dict]]
CONDITIONS: dict[str, Condition] = {}


def condition(fn: Condition) -> Condition:
    CONDITIONS[fn.__name__] = fn
    return fn


def _emissions_evidence(a: ZoneAssessment) -> dict:
    s = a.summary
    return {"baseline_year": s.baseline_year, "data_year": s.data_year,
            "baseline_net_tco2e": s.baseline_net_tco2e, "net_tco2e": s.net_tco2e,
            "net_reduction_pct": s.net_reduction_pct, "source": "emissions.csv, removals.csv"}


@condition
def net_reduction_at_least(a: ZoneAssessment, params: dict) -> list[dict]:
    r = a.summary.net_reduction_pct
    return [_emissions_evidence(a)] if r is not None and r >= params["min_pct"] else []


@condition
def net_emissions_rising(a: ZoneAssessment, params: dict) -> list[dict]:
    s = a.summary
    return [_emissions_evidence(a)] if s.net_tco2e > s.baseline_net_tco2e else []


@condition
def target_status(a: ZoneAssessment, params: dict) -> list[dict]:
    out = []
    for t in a.targets:
        if t.status == params["status"]:
            ev = t.as_dict()
            ev["metric_label"] = BUILTIN_TARGET_METRICS.get(t.metric, t.metric)
            ev["source"] = "targets.csv" + (f"（{t.source}）" if t.source else "")
            out.append(ev)
    return out


@condition
def no_targets(a: ZoneAssessment, params: dict) -> list[dict]:
    return [] if a.targets else [{"targets": 0, "source": "targets.csv"}]
