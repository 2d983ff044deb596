"""The figures a recommendation rests on: the gap it closes, the sectors and projects it names, who acts.

Each function takes the assessment, the problems the recommendation answers
(their findings, with evidence) and the recommendation's params, and returns
figures (numbers, years, codes, names as the data writes them). The sentence
is the catalogue's, filled in render.
"""
from __future__ import annotations

from collections.abc import Callable

from nzc_report.assess import ZoneAssessment

RecFigures = Callable[[ZoneAssessment, list[dict], dict], dict]
REC_FIGURES: dict[str, RecFigures] = {}


def rec_figures(fn: RecFigures) -> RecFigures:
    REC_FIGURES[fn.__name__] = fn
    return fn


def _body(a: ZoneAssessment) -> str | None:
    return a.zone.get("implementing_body") or None


def _by_year(a: ZoneAssessment) -> int | None:
    """The time frame the zone's own targets give: its nearest target year from the assessment
    year and the report's year on, said as the end of that year, so it lies after the report date
    (None: no such target; the sentence then names the next assessment year)."""
    first = max(a.year, a.data.report_year or a.year)
    years = sorted(t.target_year for t in a.targets if t.target_year >= first)
    return years[0] if years else None


def _open_measures(a: ZoneAssessment, sectors: list[str] | None = None) -> list[dict]:
    m = a.measures
    if m is None or m.empty:
        return []
    # the zone's measures table, read as records once per assessment (a filter per call was most of
    # the findings' CPU); another table (one a caller put there) is read as it is
    rows = a.data.records("measures") if m is a.data.table("measures") else m.to_dict("records")
    return [{"measure_id": r["measure_id"], "name": r["name"], "sector": r["sector"], "status": r["status"]}
            for r in rows if r["status"] in ("ongoing", "planned") and (sectors is None or r["sector"] in sectors)]


@rec_figures
def basic(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """Who acts, by when (the zone's own target year), and the zone's own quantities a sentence names."""
    s = a.summary
    open_ = _open_measures(a)
    return {"problems": sorted({p["rule_id"] for p in problems}), "body": _body(a), "zone_type": a.zone["zone_type"],
            "by_year": _by_year(a), "year": a.year, "sectors_declared": list(a.zone["sectors"]),
            "data_year": s.data_year, "net_tco2e": s.net_tco2e, "baseline_year": s.baseline_year,
            "baseline_net_tco2e": s.baseline_net_tco2e, "plan_document": a.zone.get("plan_document") or None,
            "open_measures": len(open_),
            "open_measure_names": [m["name"] for m in open_][: params.get("max_measures", 3)]}


@rec_figures
def target_frame(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """The zone's target frame. Where its only fault is a missing near-zero end target, the targets it
    has set (their count) and the end target's bounds: the ask is to add the end target to them, not
    to set staged targets or a boundary nobody found missing (issue 29: three zones with three staged
    targets each were told to 制定…分阶段量化目标 and 明确建设边界)."""
    out = basic(a, problems, params)
    if {p["rule_id"] for p in problems} == {"P-NO-END-TARGET"}:
        f = problems[0]["evidence"]["figures"]
        out["end_target"] = {"count": f["count"], "min_reduction_pct": f["min_reduction_pct"],
                             "max_net_share_pct": f["max_net_share_pct"]}
    return out


@rec_figures
def target_gap(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """One target: from where to where by when, the pace so far and the pace needed; act or adjust."""
    t = problems[0]["evidence"]["figures"]
    out = {**basic(a, problems, params), "metric": t["metric"], "unit": t["unit"], "direction": t["direction"],
           "target_year": t["target_year"], "target_value": t["target_value"], "current_value": t["current_value"],
           "current_year": t["current_year"], "baseline_value": t["baseline_value"]}
    if t["status"] == "missed":
        # the next staged target of the metric, where the gap is to be made up: its value, where the
        # metric stands now and its status (gd-zhuangyuangu: the missed 2020 target, and 2025 off track)
        later = sorted((x for x in a.targets if x.metric == t["metric"] and x.target_year > t["target_year"]
                        and x.status in ("on_track", "at_risk", "off_track") and x.current_value is not None),
                       key=lambda x: x.target_year)
        nxt = ({"target_year": later[0].target_year, "target_value": later[0].target_value,
                "current_value": later[0].current_value, "current_year": later[0].current_year,
                "status": later[0].status} if later else None)
        return {**out, "choice": "recover", "gap": t["target_value"] - t["current_value"], "next_target": nxt}
    years_left = t["target_year"] - t["current_year"]
    needed = t["target_value"] - t["current_value"]
    elapsed = t["current_year"] - a.summary.baseline_year
    past = (t["current_value"] - t["baseline_value"]) / elapsed if elapsed > 0 and t["baseline_value"] is not None else None
    per_year = needed / years_left if years_left else needed
    multiple = per_year / past if past and past * per_year > 0 else None
    adjust = multiple is None or multiple > params["max_pace_multiple"]
    return {**out, "years_left": years_left, "change": needed, "per_year": per_year, "past_per_year": past,
            "pace_multiple": multiple, "choice": "adjust" if adjust else "action"}


def _largest_sectors(a: ZoneAssessment, params: dict) -> list[dict]:
    """The zone's largest emitting sectors in the data year: at most ``top_sectors``, and after the
    first only those holding at least ``min_share_pct`` of emissions (a sector of 7 % is not one
    that "emits most")."""
    year = a.summary.data_year
    row = a.sectors.loc[year] if year in a.sectors.index else None
    shares = []
    if row is not None:
        total = float(row.sum())
        for sector, v in row.dropna().sort_values(ascending=False).items():
            if total > 0 and v > 0:
                shares.append({"sector": sector, "share_pct": float(v) / total * 100})
    top = shares[: params["top_sectors"]]
    return top[:1] + [s for s in top[1:] if s["share_pct"] >= params.get("min_share_pct", 0)]


@rec_figures
def sector_focus(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """The zone's largest emitting sectors in the data year, and its own open projects there.

    Answering only indicators below their starting value (no emissions problem among those it
    answers), it names those indicators and the sectors they belong to instead: the largest
    emitters are no answer to a low non-fossil share (zj-cixi-transport's 建议7)."""
    year = a.summary.data_year
    emissions = [p for p in problems if p["rule_id"] != "P-INDICATORS-BELOW-FLOOR"]
    if problems and not emissions:
        items = [i for p in problems for i in p["evidence"]["figures"].get("items") or []]
        dims = [ind.dimension for i in items if (ind := a.framework.indicator(i["indicator"])) is not None]
        sectors = list(dict.fromkeys(d for d in dims if d in a.zone["sectors"] or d == "energy"))
        named = _open_measures(a, sectors)[: params["max_measures"]]
        return {**basic(a, problems, params), "year": year, "focus": "indicators", "indicators": items,
                "sectors": [{"sector": s, "share_pct": None} for s in sectors], "measures": named}
    top = _largest_sectors(a, params)
    named = _open_measures(a, [s["sector"] for s in top])[: params["max_measures"]]
    return {**basic(a, problems, params), "year": year, "focus": "emissions", "sectors": top, "measures": named}


@rec_figures
def missing_mechanisms(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """The mechanisms the answered problems found absent or partial (only those: what exists is not urged)."""
    items = [i for p in problems for i in p["evidence"]["figures"].get("items") or [] if isinstance(i, dict)
             and "mechanism" in i]
    return {**basic(a, problems, params), "mechanisms": list(dict.fromkeys(i["mechanism"] for i in items)),
            # partly in place: the recommendation says 健全/完善, not 建立
            "partial": list(dict.fromkeys(i["mechanism"] for i in items if i.get("status") == "partial")),
            "sector_count": len(a.zone["sectors"])}


@rec_figures
def data_gaps(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    missing = [m["id"] for p in problems for m in p["evidence"]["figures"].get("missing") or []]
    assert a.score is not None  # assess_zone scores every zone
    stale = [i["indicator"] for p in problems for i in p["evidence"]["figures"].get("items") or []
             if isinstance(i, dict) and "indicator" in i and p["rule_id"] == "P-EVAL-STALE-DATA"]
    progress = [{"measure_id": m["measure_id"], "name": m["name"]} for p in problems
                if p["rule_id"] == "P-EVAL-MEASURE-PROGRESS" for m in p["evidence"]["figures"].get("measures") or []]
    return {**basic(a, problems, params), "missing": missing, "stale": stale, "progress": progress,
            "coverage_pct": a.score.coverage_pct, "data_year": a.summary.data_year, "year": a.year}


@rec_figures
def stalled_measures(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    measures = [m for p in problems for m in p["evidence"]["figures"].get("measures") or [] if isinstance(m, dict)]
    sectors = [s for p in problems for s in p["evidence"]["figures"].get("sectors") or []]
    return {**basic(a, problems, params), "measures": measures, "sectors": sectors}


@rec_figures
def gate_gap(a: ZoneAssessment, problems: list[dict], params: dict) -> dict:
    """A failed gate: from what value to what threshold (the share it must move), under which
    framework, and the zone's largest emitting sectors with its own open projects there."""
    g = problems[0]["evidence"]["figures"]
    top = _largest_sectors(a, params)
    focus = {**basic(a, problems, params), "year": a.summary.data_year, "sectors": top,
             "measures": _open_measures(a, [s["sector"] for s in top])[: params["max_measures"]]}
    return {**focus, "gate": g["gate"], "label": g["label"], "label_en": g["label_en"], "unit": g["unit"],
            "value": g["value"], "value_year": g["year"], "threshold": g["threshold"], "comparison": g["comparison"],
            "change_pct": g["change_pct"], "framework_title": a.framework.title,
            "framework_title_en": a.framework.title_en or None}
