"""results.json of a zone: the machine-readable findings (../shared/spec/cli.md)."""
from __future__ import annotations

import math

from nzc_report import __version__
from nzc_report.assess import ZoneAssessment
from nzc_report.dataset import Dataset
from nzc_report.findings import Findings

SCHEMA_VERSION = 1


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


def build_results(ds: Dataset, a: ZoneAssessment, findings: Findings, *,
                  zone_params: dict | None = None, figures: dict | None = None) -> dict:
    z = a.zone
    s = a.summary
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
        "targets": [t.as_dict() for t in a.targets],
        "score": None,
        "grade": None,
        "highlights": findings.highlights,
        "problems": findings.problems,
        "recommendations": findings.recommendations,
        "dataset": {
            "label": ds.label,
            "is_sample": ds.is_sample,
            "report_date": ds.report_date,
            "files": ds.provenance(),
        },
        "params": zone_params or {},
        "figures": figures or {},
        "generator": {"name": "nzc-report", "version": __version__, "results_schema": SCHEMA_VERSION},
    }
    return _clean(results)
