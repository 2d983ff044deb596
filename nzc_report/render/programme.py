"""The framework's conclusion in words: ``outcome.label`` where the framework gives none, ``outcome.reason``
and each 对照评价 row's ``reason``, read off the codes and numbers of findings/programme.py (catalogue
``programme.*``). Gates first: a failed gate is said to decide whatever the score."""
from __future__ import annotations

from nzc_report.render.narrative import Words

__all__ = ["narrate_programme", "authority_text"]


def _energy(w: Words, v: float | None) -> str:
    return w.t("programme.energy_tce", n=f"{v:z,.0f}") if v is not None else w.t("not_reported")


def _gate_text(w: Words, g: dict) -> str:
    label = g.get("label_en") if w.lang == "en" and g.get("label_en") else g["label"]
    key = {True: "passed", False: "failed", None: "missing"}[g.get("passed")]
    return w.t(f"programme.gate.{key}", gate=label, value=w.value(g.get("value"), g.get("unit")),
               threshold=w.value(g.get("threshold"), g.get("unit")),
               sign=w.t(f"programme.sign.{g.get('comparison') or 'at_most'}"))


def _label(w: Words, block: dict) -> str:
    if w.lang == "en" and block.get("label_en"):
        return block["label_en"]
    return block.get("label") or w.t(f"programme.status.{block['status']}")


def _reason(w: Words, block: dict, gates: list[dict], eligibility: dict | None, zone_type_label: str) -> str:
    status = block["status"]
    label = _label(w, block)
    parts = [_gate_text(w, g) for g in gates]
    if status == "gate_failed":
        failed = [g for g in gates if g.get("passed") is False]
        parts = [_gate_text(w, g) for g in failed]
        return w.t("programme.reason.gate_failed", gates=w.join(parts), label=label)
    if status == "not_applicable":
        return w.t("programme.reason.not_applicable", zone_type=zone_type_label)
    if status == "not_eligible":
        return w.t("programme.reason.not_eligible", years=block.get("years_in_operation"),
                   min=(eligibility or {}).get("min_years_in_operation"))
    if status == "out_of_range":
        return w.t("programme.reason.out_of_range", energy=_energy(w, block.get("total_energy_tce")),
                   min=_energy(w, (eligibility or {}).get("min_total_energy_tce")))
    if status == "data_missing":
        if any(g.get("passed") is None for g in gates):
            missing = [_gate_text(w, g) for g in gates if g.get("passed") is None]
            return w.t("programme.reason.gate_missing", gates=w.join(missing))
        if eligibility and "min_total_energy_tce" in eligibility and block.get("total_energy_tce") is None:
            return w.t("programme.reason.energy_missing")
        return w.t("programme.reason.no_score")
    score = w.t("programme.reason.score", score=f"{block['score']:z.1f}", label=label)
    if gates:
        return w.t("programme.reason.gates_passed", gates=w.join(parts), score=score)
    return score


def authority_text(w: Words, framework: dict) -> str:
    """阈值为评估单位设定 / 阈值和等级依据《……》."""
    if framework.get("authority") == "official" and framework.get("source"):
        source = framework.get("source_en") if w.lang == "en" and framework.get("source_en") else framework["source"]
        return w.t("programme.authority.official", source=source)
    return w.t("programme.authority.evaluator")


def narrate_programme(results: dict, lang: str) -> dict:
    """Fills the words of ``outcome`` and of each ``comparison`` row in place."""
    w = Words(results, lang)
    zone_type_label = w.t.labels("zone_types").get(results.get("zone_type") or "", results.get("zone_type") or "")
    fw = results.get("framework") or {}
    outcome = results.get("outcome")
    if outcome:
        outcome["label"] = outcome.get("label") or w.t(f"programme.status.{outcome['status']}")
        outcome["reason"] = _reason(w, outcome, results.get("gates") or [], fw.get("eligibility"), zone_type_label)
        outcome["authority_text"] = authority_text(w, fw)
    for row in results.get("comparison") or []:
        row["label"] = row.get("label") or w.t(f"programme.status.{row['status']}")
        row["reason"] = _reason(w, row, row.get("gates") or [], row.get("eligibility"), zone_type_label)
        row["decided_by_text"] = w.t(f"programme.decided_by.{row['decided_by']}")
    return results
