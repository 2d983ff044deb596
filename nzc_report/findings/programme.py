"""results.json v3: ``framework`` (what the zone is assessed under, on whose authority), ``gates``,
``outcome`` and ``comparison`` (the zone under the other frameworks), as codes and numbers; the
sentences are the catalogues' (render/programme.py fills ``label`` where the framework has none and
``reason``)."""
from __future__ import annotations

from nzc_report.assess import ZoneAssessment
from nzc_report.assess.framework import Framework
from nzc_report.assess.programme import Outcome

__all__ = ["framework_block", "in_force_block", "gate_rows", "outcome_block", "comparison_row", "comparison_rows"]


def framework_block(fw: Framework) -> dict:
    """The v3 keys of ``framework`` (besides id, version, title and the grade bands of version 2)."""
    source = fw.sources.get(fw.source or "") or {}
    eligibility = None
    if fw.eligibility:
        eligibility = {**{k: v for k, v in fw.eligibility.items() if k != "source"},
                       "source": fw.source_title(fw.eligibility["source"])}
        if fw.sources[fw.eligibility["source"]].get("title_en"):  # the English report's words
            eligibility["source_en"] = fw.sources[fw.eligibility["source"]]["title_en"]
    return {"kind": fw.kind, "authority": fw.authority, "source": source.get("title"),
            "source_en": source.get("title_en"), "authority_note": fw.authority_note,
            **({"authority_note_en": fw.authority_note_en} if fw.authority_note_en else {}),
            # the programme's name (the cover's and the title's), where the framework gives one
            **({"programme": fw.programme} if fw.programme else {}),
            **({"programme_en": fw.programme_en} if fw.programme_en else {}),
            "base": fw.base,
            "zone_types": None if fw.zone_types is None else sorted(fw.zone_types),
            "eligibility": eligibility}


def in_force_block(fw: Framework, report_date: str | None) -> dict | None:
    """Whether the framework's document was in force on the report's date (``status``: in_force,
    unconfirmed or after_report) and how its sources date it; None where it dates no document."""
    status = fw.in_force_on(report_date)
    if status is None:
        return None
    return {"status": status, **{k: fw.in_force[k] for k in ("known_by", "after", "note", "note_en")
                                 if k in fw.in_force}}


def reference_only(in_force: dict | None) -> bool:
    """A conclusion under a document not known to be in force on the report's date is for reference:
    not that document's conclusion, and not ranked."""
    return in_force is not None and in_force["status"] != "in_force"


def gate_rows(fw: Framework, outcome: Outcome | None) -> list[dict]:
    rows = []
    for g in (outcome.gates if outcome else ()):
        ind = fw.indicator(g.indicator)
        rows.append({"id": g.id, "label": g.name_zh, "label_en": g.name_en, "indicator": g.indicator,
                     "unit": ind.unit if ind else None, "value": g.value, "year": g.year,
                     "threshold": g.threshold, "comparison": g.comparison, "passed": g.passed,
                     "total_energy_tce": g.total_energy_tce,
                     "source": fw.source_title(g.source), "source_en": fw.sources[g.source].get("title_en"),
                     "note": g.note, **({"note_en": g.note_en} if g.note_en else {})})
    return rows


def outcome_block(fw: Framework, outcome: Outcome | None, for_reference: bool = False) -> dict | None:
    if outcome is None:
        return None
    return {**({"reference_only": True} if for_reference else {}),
            "status": outcome.status, "decided_by": outcome.decided_by, "label": outcome.label,
            "label_en": outcome.label_en, "reason": None, "score": outcome.score, "base_score": outcome.base_score,
            "total_energy_tce": outcome.total_energy_tce, "years_in_operation": outcome.years_in_operation,
            "adjustments": [{"id": a.id, "label": a.name_zh, "label_en": a.name_en, "points": a.points,
                             "applied": a.applied, "source": fw.source_title(a.source),
                             "source_en": fw.sources[a.source].get("title_en")} for a in outcome.adjustments],
            "materials": [{"id": m.id, "label": m.name_zh, "label_en": m.name_en, "evidence": m.evidence,
                           "status": m.status, "found": m.found, "expected": m.expected, "note": m.note,
                           **({"note_en": m.note_en} if m.note_en else {})}
                          for m in outcome.materials]}


def comparison_row(a: ZoneAssessment, report_date: str | None = None) -> dict:
    """One row of the 对照评价 appendix: the zone under ``a.framework`` (another framework than its own)."""
    fw, o = a.framework, a.outcome
    assert o is not None
    in_force = in_force_block(fw, report_date)
    return {"framework": {"id": fw.id, "title": fw.title, "title_en": fw.title_en, "kind": fw.kind,
                          "authority": fw.authority, "version": fw.version,
                          **({"in_force": in_force} if in_force else {})},
            **({"reference_only": True} if reference_only(in_force) else {}),
            "status": o.status, "decided_by": o.decided_by, "label": o.label, "label_en": o.label_en,
            "score": o.score, "coverage_pct": a.score.coverage_pct if a.score else None,
            "provisional": bool(a.score and a.score.provisional),
            "gates": gate_rows(fw, o), "total_energy_tce": o.total_energy_tce,
            "years_in_operation": o.years_in_operation, "eligibility": framework_block(fw)["eligibility"],
            "reason": None}


def comparison_rows(ds, zone_id: str, year: int, frameworks, own_id: str) -> list[dict]:
    """The 对照评价 rows: the zone under every other framework of the build (those that do not
    apply to its type or size say so by their status)."""
    from nzc_report.assess import assess_zone

    return [comparison_row(assess_zone(ds, zone_id, year, fw), ds.report_date) for fw in frameworks if fw.id != own_id]
