"""Conditions that rules refer to by name.

Each takes the zone's assessment and the rule's params, and returns a list of
evidence dicts, one per finding (empty when the rule does not fire):
``{"figures": {...}, "sources": [{"file", "rows", "columns"}]}``. Figures are
numbers, years and codes (indicator ids, sector and mechanism codes, status
codes) and names as the data writes them, never sentences: the sentence is
the catalogue's (templates/messages/<lang>.yaml), filled in render.
Thresholds come from params/rules.yaml, never from here. A condition never treats "not reported" as "no": data that is
absent is the business of the missing-data conditions alone.
"""
from __future__ import annotations

from collections.abc import Callable

from nzc_report.assess import ZoneAssessment
from nzc_report.assess.indicators import IndicatorResult
from nzc_report.assess.zone_data import Ref
from nzc_report.dataset.vocab import DOMAINS

Condition = Callable[[ZoneAssessment, dict], list[dict]]
CONDITIONS: dict[str, Condition] = {}
REQUIRED_PARAMS: dict[str, tuple[str, ...]] = {}


def condition(*required: str):
    def register(fn: Condition) -> Condition:
        CONDITIONS[fn.__name__] = fn
        REQUIRED_PARAMS[fn.__name__] = required
        return fn
    return register


def _evidence(a: ZoneAssessment, figures: dict, refs) -> dict:
    return {"figures": figures, "sources": a.data.cite(refs)}


def _emissions(a: ZoneAssessment) -> tuple[dict, tuple[Ref, ...]]:
    s = a.summary
    figures = {"baseline_year": s.baseline_year, "data_year": s.data_year,
               "baseline_net_tco2e": s.baseline_net_tco2e, "net_tco2e": s.net_tco2e,
               "net_reduction_pct": s.net_reduction_pct}
    return figures, a.data.emission_refs(s.baseline_year) + a.data.emission_refs(s.data_year)


def _scored(a: ZoneAssessment, exclude_dimensions=()) -> list[IndicatorResult]:
    return [r for r in a.indicators
            if r.weight > 0 and r.score is not None and r.indicator.dimension not in exclude_dimensions]


def _mechanisms(a: ZoneAssessment, names) -> list[IndicatorResult]:
    by_name = {r.indicator.mechanism: r for r in a.indicators if r.indicator.kind == "mechanisms"}
    return [by_name[n] for n in names if n in by_name]


def _mechanism_item(r: IndicatorResult) -> dict:
    return {"mechanism": r.indicator.mechanism, "indicator": r.indicator.id, "status": r.observed.status,
            "year": r.observed.year, "evidence": r.observed.note}


def _plan_status(a: ZoneAssessment) -> IndicatorResult | None:
    found = _mechanisms(a, ["plan"])
    return found[0] if found and found[0].reported else None


# -- emissions -----------------------------------------------------------------

@condition("min_pct")
def net_reduction_at_least(a: ZoneAssessment, params: dict) -> list[dict]:
    r = a.summary.net_reduction_pct
    if r is None or r < params["min_pct"]:
        return []
    figures, refs = _emissions(a)
    return [_evidence(a, {**figures, "min_pct": params["min_pct"]}, refs)]


@condition("min_increase_pct")
def net_emissions_rising(a: ZoneAssessment, params: dict) -> list[dict]:
    s = a.summary
    if s.baseline_net_tco2e <= 0 or s.net_tco2e <= s.baseline_net_tco2e * (1 + params["min_increase_pct"] / 100):
        return []
    figures, refs = _emissions(a)
    figures["increase_pct"] = (s.net_tco2e - s.baseline_net_tco2e) / s.baseline_net_tco2e * 100
    return [_evidence(a, figures, refs)]


@condition()
def emissions_data_lag(a: ZoneAssessment, params: dict) -> list[dict]:
    s = a.summary
    if s.data_year >= a.year:
        return []
    return [_evidence(a, {"year": a.year, "data_year": s.data_year},
                      a.data.emission_refs(s.data_year))]


# -- targets -------------------------------------------------------------------

def _target_figures(t) -> dict:
    d = t.as_dict()
    d.pop("source", None)
    return d


@condition("status")
def target_status(a: ZoneAssessment, params: dict) -> list[dict]:
    return [_evidence(a, _target_figures(t), t.refs) for t in a.targets if t.status == params["status"]]


@condition()
def no_targets(a: ZoneAssessment, params: dict) -> list[dict]:
    if a.targets:
        return []
    return [_evidence(a, {"targets": 0}, (Ref("targets", (), ("zone_id", "metric")),))]


@condition("min_reduction_pct", "max_net_share_pct")
def no_near_zero_end_target(a: ZoneAssessment, params: dict) -> list[dict]:
    if not a.targets:
        return []  # no_targets speaks for this case
    base = a.summary.baseline_net_tco2e
    for t in a.targets:
        if t.metric == "net_reduction_pct" and t.target_value >= params["min_reduction_pct"]:
            return []
        if t.metric == "net_emissions_tco2e" and base > 0 and \
                t.target_value <= base * params["max_net_share_pct"] / 100:
            return []
    listed = [{"metric": t.metric, "target_year": t.target_year, "target_value": t.target_value, "unit": t.unit}
              for t in a.targets]
    return [_evidence(a, {"targets": listed, "count": len(a.targets), **params},
                      [r for t in a.targets for r in t.refs[:1]])]


@condition("min_stages")
def staged_plan(a: ZoneAssessment, params: dict) -> list[dict]:
    plan = a.zone.get("plan_document")
    mech = _plan_status(a)
    if not plan and not (mech and mech.observed.status == "yes"):
        return []
    years = sorted({t.target_year for t in a.targets})
    if len(years) < params["min_stages"]:
        return []
    refs = [a.data.zone_ref("plan_document")] + [r for t in a.targets for r in t.refs[:1]]
    if mech:
        refs += list(mech.observed.refs)
    return [_evidence(a, {"plan": plan, "stages": len(years), "years": years}, refs)]


# -- indicators ----------------------------------------------------------------

@condition("indicator", "min")
def indicator_at_least(a: ZoneAssessment, params: dict) -> list[dict]:
    r = a.indicator(params["indicator"])
    if r is None or not r.reported or r.observed.value < params["min"]:
        return []
    # praise agrees with the score: a value the framework scores below ``min_score`` is not praised
    # (zj-yucun's 非化石能源占比 50.0 % read "清洁化程度高" beside its 50 points)
    if "min_score" in params and (r.score is None or r.score < params["min_score"]):
        return []
    ind = r.indicator
    return [_evidence(a, {"indicator": ind.id, "unit": ind.unit, "year": r.observed.year,
                          "value": r.observed.value, "min": params["min"]}, r.observed.refs)]


def _indicator_list(a: ZoneAssessment, rs: list[IndicatorResult], with_threshold: str) -> dict:
    items = [{"indicator": r.indicator.id, "unit": r.indicator.unit, "year": r.observed.year,
              "value": r.observed.value, "limit": getattr(r.threshold, with_threshold)} for r in rs]
    return {"items": items, "count": len(rs), "indicators": [r.indicator.id for r in rs]}


@condition("exclude_dimensions")
def indicators_at_benchmark(a: ZoneAssessment, params: dict) -> list[dict]:
    rs = [r for r in _scored(a, params["exclude_dimensions"]) if r.score is not None and r.score >= 100]
    if not rs:
        return []
    return [_evidence(a, _indicator_list(a, rs, "benchmark"), [x for r in rs for x in r.observed.refs])]


@condition("exclude_dimensions")
def indicators_below_floor(a: ZoneAssessment, params: dict) -> list[dict]:
    rs = [r for r in _scored(a, params["exclude_dimensions"]) if r.score is not None and r.score <= 0]
    if not rs:
        return []
    return [_evidence(a, _indicator_list(a, rs, "floor"), [x for r in rs for x in r.observed.refs])]


def data_need(ind) -> str:
    """What an unreported indicator lacks, as a code the catalogue words (needs.<code>)."""
    if ind.kind == "indicators":
        return "indicator_value"
    if ind.kind == "mechanisms":
        return "mechanism_record"
    return ind.formula


@condition()
def indicators_not_reported(a: ZoneAssessment, params: dict) -> list[dict]:
    missing = [r for r in a.indicators if r.weight > 0 and not r.reported]
    if not missing:
        return []
    refs = []
    for r in missing:
        ind = r.indicator
        if ind.kind == "indicators":
            refs.append(Ref("indicators", (), ("indicator_id", "value")))
        elif ind.kind == "mechanisms":
            refs.append(Ref("mechanisms", (), ("mechanism", "status")))
    s = a.score
    assert s is not None  # assess_zone scores every zone
    return [_evidence(a, {"count": len(missing), "year": a.year, "coverage_pct": s.coverage_pct,
                          "weight": sum(r.weight for r in missing),
                          "missing": [{"id": r.indicator.id, "kind": r.indicator.kind, "needs": data_need(r.indicator),
                                       "weight": r.weight} for r in missing]}, refs)]


@condition("max_age_years")
def indicator_data_stale(a: ZoneAssessment, params: dict) -> list[dict]:
    rs = [r for r in a.indicators if r.weight > 0 and r.reported
          and a.year - r.observed.year > params["max_age_years"]]
    if not rs:
        return []
    items = [{"indicator": r.indicator.id, "year": r.observed.year} for r in rs]
    return [_evidence(a, {"items": items, "count": len(rs), "year": a.year, **params},
                      [x for r in rs for x in r.observed.refs])]


@condition()
def grade_provisional(a: ZoneAssessment, params: dict) -> list[dict]:
    s = a.score
    assert s is not None  # assess_zone scores every zone
    if not s.provisional:
        return []
    # grade_en: the framework's own English name of the grade, for the English sentence
    return [_evidence(a, {"coverage_pct": s.coverage_pct, "score": s.score, "grade": s.grade, "grade_en": s.grade_en,
                          "min_coverage_pct": a.framework.provisional_below_coverage_pct}, ())]


# -- measures ------------------------------------------------------------------

@condition("min_domains")
def measures_across_domains(a: ZoneAssessment, params: dict) -> list[dict]:
    m = a.measures
    assert m is not None  # assess_zone reads the table
    active = m[m["status"] != "suspended"]
    domains = [d for d in DOMAINS if d in set(active["sector"])]
    if len(domains) < params["min_domains"]:
        return []
    ref = Ref("measures", tuple(int(r) for r in active["__row__"]), ("sector", "status"))
    # by status: a planned project is not one carried out (gd-wanshan: "实施5项措施", one of them planned)
    by_status = {s: int((active["status"] == s).sum()) for s in ("completed", "ongoing", "planned")}
    return [_evidence(a, {"count": len(domains), "domains": domains, "measures": len(active),
                          "by_status": {s: n for s, n in by_status.items() if n}}, (ref,))]


@condition()
def sectors_without_measures(a: ZoneAssessment, params: dict) -> list[dict]:
    r = a.indicator("sector_measure_coverage_pct")
    m = a.measures
    if m is None or m.empty:
        return []  # no measures reported at all: a data gap, not a finding about sectors
    statuses = a.framework.measure_statuses_for_coverage
    covered = set(m.loc[m["status"].isin(statuses), "sector"])
    lacking = [s for s in (a.zone.get("sectors") or ()) if s not in covered]
    if not lacking:
        return []
    refs = (a.data.zone_ref("sectors"), Ref("measures", tuple(int(x) for x in m["__row__"]), ("sector", "status")))
    return [_evidence(a, {"sectors": lacking, "count": len(lacking),
                          "declared": len(a.zone.get("sectors") or ()),
                          "coverage_pct": r.observed.value if r is not None and r.reported else None}, refs)]


@condition()
def measures_suspended(a: ZoneAssessment, params: dict) -> list[dict]:
    m = a.measures
    assert m is not None  # assess_zone reads the table
    s = m[m["status"] == "suspended"]
    if s.empty:
        return []
    items = [{"measure_id": row["measure_id"], "name": row["name"], "sector": row["sector"]}
             for row in s.to_dict("records")]
    return [_evidence(a, {"measures": items, "count": len(s)},
                      (Ref("measures", tuple(int(x) for x in s["__row__"]), ("name", "status")),))]


# -- zone facts and mechanisms -----------------------------------------------

@condition("area_zone_types")
def no_boundary(a: ZoneAssessment, params: dict) -> list[dict]:
    z = a.zone
    if z["zone_type"] in params["area_zone_types"]:
        if z.get("area_km2") is not None:
            return []
        missing = "area_km2"
    else:
        if z.get("implementing_body"):
            return []
        missing = "implementing_body"
    return [_evidence(a, {"missing": missing, "zone_type": z["zone_type"]},
                      (a.data.zone_ref(missing),))]


@condition()
def no_plan(a: ZoneAssessment, params: dict) -> list[dict]:
    if a.zone.get("plan_document"):
        return []
    mech = _plan_status(a)
    # not reported (no plan document, no plan row) is a data gap, said by the missing-data
    # rule: the data does not say the zone has no plan (issue 28, zj-anxi)
    if mech is None or mech.observed.status == "yes":
        return []
    refs = [a.data.zone_ref("plan_document"), *mech.observed.refs]
    return [_evidence(a, {"mechanism_status": mech.observed.status,
                          "mechanism_year": mech.observed.year}, refs)]


@condition("mechanisms", "statuses")
def mechanism_in_status(a: ZoneAssessment, params: dict) -> list[dict]:
    named = _mechanisms(a, params["mechanisms"])
    rs = [r for r in named if r.reported and r.observed.status in params["statuses"]]
    if not rs:
        return []
    return [_evidence(a, {"items": [_mechanism_item(r) for r in rs], "count": len(rs),
                          "mechanisms": [r.indicator.mechanism for r in rs],
                          # the rule's other mechanisms the data does not report: said as not reported, so
                          # a sentence about them all (资金政策支持) does not read them as absent
                          "not_reported": [r.indicator.mechanism for r in named if r.applies and not r.reported],
                          "year": max(r.observed.year for r in rs)},
                      [x for r in rs for x in r.observed.refs])]


# -- the framework's gates -------------------------------------------------------

@condition()
def gate_failed(a: ZoneAssessment, params: dict) -> list[dict]:
    """One finding per gate of the zone's framework that its value fails (a veto: the outcome is
    decided by it whatever the score). A gate without data is not failed: that is a data gap."""
    out = []
    for g in a.outcome.gates if a.outcome else ():
        if g.passed is not False or g.value is None or g.threshold is None:
            continue
        r = a.indicator(g.indicator)
        refs = r.observed.refs if r is not None and r.reported and r.observed.year == g.year else ()
        # how far the value must move to meet the gate, as a share of the value (codes and numbers only)
        change_pct = abs(g.value - g.threshold) / abs(g.value) * 100 if g.value else None
        out.append(_evidence(a, {"gate": g.id, "label": g.name_zh, "label_en": g.name_en, "indicator": g.indicator,
                                 "unit": r.indicator.unit if r is not None else None, "value": g.value,
                                 "year": g.year, "threshold": g.threshold, "comparison": g.comparison,
                                 "total_energy_tce": g.total_energy_tce, "change_pct": change_pct,
                                 "framework": a.framework.id, "outcome": a.outcome.label if a.outcome else None},
                             refs))
    return out
