"""results.json of a zone: the machine-readable findings (../shared/spec/cli.md)."""
from __future__ import annotations

import math

from nzc_report import __version__
from nzc_report.assess import ZoneAssessment
from nzc_report.assess.indicators import needs
from nzc_report.assess.targets import AT_RISK_MIN, ON_TRACK_MIN
from nzc_report.dataset import Dataset
from nzc_report.dataset.digest import zone_digest
from nzc_report.findings import Findings
from nzc_report.findings.conditions import data_need
from nzc_report.findings.programme import framework_block, gate_rows, in_force_block, outcome_block, reference_only

SCHEMA_VERSION = 3


def _clean(obj):
    """JSON-safe: NaN → None, numpy scalars → Python, tuples → lists."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj)):
        return None
    return obj


def emissions_rows(a: ZoneAssessment) -> list[dict]:
    rows = []
    for year, r in a.series.iterrows():
        rows.append({"year": int(year), "gross_tco2e": float(r["gross_tco2e"]),
                     "removals_tco2e": None if not r["removals_reported"] else float(r["removals_tco2e"]),
                     "net_tco2e": float(r["net_tco2e"])})
    return rows


def sector_rows(a: ZoneAssessment) -> list[dict]:
    out = []
    for year, r in a.sectors.iterrows():
        for sector, v in r.items():
            if v == v:  # not NaN
                out.append({"year": int(year), "sector": sector, "emissions_tco2e": float(v)})
    return out


def _gated(a: ZoneAssessment, row: dict) -> dict:
    """An indicator a gate of the framework reads, carrying no weight in it: it is judged by the
    gate (its threshold, passed or not), not by a score against the base framework's benchmark,
    which would read as praise beside a failed gate (issue 30)."""
    gates = [g for g in (a.outcome.gates if a.outcome else ()) if g.indicator == row["id"]]
    if not gates or row["weight"]:
        return row
    g = gates[0]
    return {**row, "score": None, "floor": None, "benchmark": g.threshold, "gate": g.id, "gate_passed": g.passed,
            "gate_comparison": g.comparison, "benchmark_source": a.framework.source_title(g.source),
            "benchmark_source_en": a.framework.sources[g.source].get("title_en") or a.framework.source_title(g.source),
            "benchmark_note": g.note}


def _later_than_report(a: ZoneAssessment, known_by) -> str | None:
    report = a.data.report_date
    return str(known_by) if known_by and report and report < str(known_by) else None


def indicator_rows(a: ZoneAssessment) -> list[dict]:
    """The indicator table: value, change since the previous year with data, score and benchmark."""
    fw = a.framework
    rows = []
    for r in a.indicators:
        ind, cur, prev, th = r.indicator, r.current, r.previous, r.threshold
        rows.append({
            "id": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
            "dimension": ind.dimension, "dimension_label": fw.dimensions[ind.dimension],
            "direction": ind.direction, "kind": ind.kind,
            "applies": r.applies, "reported": r.reported,
            "value": cur.value if cur else None, "year": cur.year if cur else None,
            "status": cur.status if cur else None,
            "previous_value": prev.value if prev else None, "previous_year": prev.year if prev else None,
            "change": r.change,
            "floor": th.floor if th else None, "benchmark": th.benchmark if th else None,
            "score": r.score, "weight": r.weight,
            "source": _observation_source(a, cur) if cur else None,
            "source_rows": a.data.cite(cur.refs) if cur else [],
            "benchmark_source": fw.source_title(th.source) if th else None,
            "benchmark_source_en": (fw.sources[th.source].get("title_en") or fw.source_title(th.source)) if th else None,
            "benchmark_note": th.note if th else None,
            # the benchmark's document is known to have been issued only after the report's date (its
            # known_by): the appendix says so (zj-huaxi, dated 2025-03-31, cited 910号 of July 2025)
            "benchmark_source_known_by": _later_than_report(a, fw.sources[th.source].get("known_by")) if th else None,
            # a mechanism's evidence as the data states it (证明材料清单, issue 29)
            "evidence": cur.note if cur and ind.kind == "mechanisms" else None,
            "missing": None if r.reported else needs(ind),
            "missing_code": None if r.reported else data_need(ind),
            "scored_as_zero": bool(r.applies and r.weight > 0 and not r.reported),
        })
        rows[-1] = _gated(a, rows[-1])
    return rows


def measure_rows(a: ZoneAssessment) -> list[dict]:
    """The zone's projects (measures.csv), as the 重点项目 table shows them."""
    m = a.measures
    if m is None or m.empty:
        return []
    keys = ("measure_id", "name", "sector", "status", "start_year", "investment_10k_cny", "expected_reduction_tco2e",
            "planned_completion_year")
    states = {s.measure_id: s for s in a.measure_states}
    rows = []
    for r in m.to_dict("records"):
        row = {k: r.get(k) for k in keys}
        s = states.get(str(r["measure_id"]))
        if s is not None:  # on its plan (dataset v3): state, latest recorded progress
            row.update(state=s.state, progress_year=s.progress_year, progress_pct=s.progress_pct,
                       unchanged_since=s.unchanged_since)
        rows.append(row)
    return rows


def activity_rows(a: ZoneAssessment) -> list[dict]:
    """Activity data per year (population, GDP, energy) and the non-fossil share: what charts and tables draw."""
    act = a.activity
    if act is None or act.empty:
        return []
    keys = ("population", "gdp_10k_cny", "total_energy_tce", "non_fossil_energy_tce")
    rows = []
    for r in act.sort_values("year").to_dict("records"):
        row = {"year": int(r["year"]), **{k: r.get(k) for k in keys}}
        total, nf = row["total_energy_tce"], row["non_fossil_energy_tce"]
        row["non_fossil_share_pct"] = nf / total * 100 if total and nf is not None and nf == nf else None
        rows.append(row)
    return rows


def removal_rows(a: ZoneAssessment) -> list[dict]:
    """Removals per year and source (forest, grassland, wetland, ccus …): sinks and capture apart."""
    r = a.data.table("removals")
    if r is None or r.empty:
        return []
    g = r.groupby(["year", "source"], sort=True)["removals_tco2e"].sum()
    return [{"year": int(y), "source": s, "removals_tco2e": float(v)} for (y, s), v in g.items()]


def target_rows(a: ZoneAssessment) -> list[dict]:
    return [{**t.as_dict(), "status_label": a.framework.target_status_labels[t.status],
             "evidence": {"sources": a.data.cite(t.refs)}} for t in a.targets]


def _observation_source(a: ZoneAssessment, obs) -> str:
    cited = "；".join(f"{c['file']} 第{'、'.join(str(x) for x in c['rows'])}行" for c in a.data.cite(obs.refs))
    return f"{cited}（{obs.note}）" if obs.note else cited


def _grade_source_note(fw, key: str = "note") -> str | None:
    """The grade source's own words on its grades, where the grades follow a document: the
    evaluators' own setting (``judgement``) has no labels of its own to quote (its note is about
    benchmarks)."""
    if fw.grade_source == "judgement":
        return None
    return fw.sources[fw.grade_source].get(key)


def build_results(ds: Dataset, a: ZoneAssessment, findings: Findings, *,
                  zone_params: dict | None = None, figures: dict | None = None) -> dict:
    z = a.zone
    s = a.summary
    assert a.score is not None  # assess_zone scores every zone
    in_force = in_force_block(a.framework, ds.report_date)
    results = {
        "zone_id": z["zone_id"],
        "name": z["name"],
        "name_en": z.get("name_en"),
        "province_code": z["province_code"],
        "province_name": z["province_name"],
        "city": z.get("city"),
        "zone_type": z["zone_type"],
        "zone_type_label": z["zone_type_label"],
        "sectors": list(z["sectors"]),
        "approved_year": z["approved_year"],
        "implementing_body": z.get("implementing_body"),
        "plan_document": z.get("plan_document"),
        "plan_date": z.get("plan_date"),
        "year": a.year,
        "data_year": s.data_year,
        "baseline_year": s.baseline_year,
        "emissions": s.as_dict(),
        "emissions_by_year": emissions_rows(a),
        "emissions_by_sector": sector_rows(a),
        "targets": target_rows(a),
        "measures": measure_rows(a),
        "removals_by_source": removal_rows(a),
        "activity_by_year": activity_rows(a),
        "score": a.score.score,
        "grade": a.score.grade,
        "grade_en": a.score.grade_en,
        "grade_provisional": a.score.provisional,
        "coverage_pct": a.score.coverage_pct,
        "score_by_dimension": a.score.by_dimension,
        "indicators": indicator_rows(a),
        "framework": {**a.framework.meta(),
                      "grade_bands": [{"grade": g, "grade_en": e, "min": m} for g, e, m in a.framework.grade_bands],
                      "grade_source": a.framework.source_title(a.framework.grade_source),
                      "grade_source_en": a.framework.sources[a.framework.grade_source].get("title_en"),
                      # the source's own grade labels, so a renaming is stated (issue 29)
                      "grade_source_note": _grade_source_note(a.framework),
                      **({"grade_source_note_en": note_en} if (note_en := _grade_source_note(a.framework, "note_en"))
                         else {}),
                      "provisional_below_coverage_pct": a.framework.provisional_below_coverage_pct,
                      "target_thresholds": {"on_track": ON_TRACK_MIN, "at_risk": AT_RISK_MIN},
                      **framework_block(a.framework),
                      **({"in_force": in_force} if in_force else {})},
        "gates": gate_rows(a.framework, a.outcome),
        "outcome": outcome_block(a.framework, a.outcome, reference_only(in_force)),
        "judgements": findings.judgements,
        "highlights": findings.highlights,
        "problems": findings.problems,
        "recommendations": findings.recommendations,
        "dataset": {
            "label": ds.label,
            "is_sample": ds.is_sample,
            "report_date": ds.report_date,
            "warnings": [str(p) for p in ds.warnings],
            # the zone's own data (issue 27 item 8): its report is not made again when another
            # zone's rows change, so it cites this digest, never the whole file's (the manifest's)
            "zone_data_sha256": zone_digest(ds, z["zone_id"]),
            "files": [{"file": f["file"]} for f in ds.provenance()],
        },
        "params": zone_params or {},
        "figures": figures or {},
        "generator": {"name": "nzc-report", "version": __version__, "results_schema": SCHEMA_VERSION},
    }
    return _clean(results)
