"""The framework's conclusion in words: ``outcome.label`` where the framework gives none, ``outcome.reason``
and each 对照评价 row's ``reason``, read off the codes and numbers of findings/programme.py (catalogue
``programme.*``). Gates first: a failed gate is said to decide whatever the score."""
from __future__ import annotations

from nzc_report.render.narrative import Words, format_date

__all__ = ["narrate_programme", "authority_text", "ProgrammeView"]


def _energy(w: Words, v: float | None) -> str:
    return w.t("programme.energy_tce", n=f"{v:z,.0f}") if v is not None else w.t("not_reported")


def _gate_text(w: Words, g: dict) -> str:
    label = g.get("label_en") if w.lang == "en" and g.get("label_en") else g["label"]
    key = {True: "passed", False: "failed", None: "missing"}[g.get("passed")]
    return w.t(f"programme.gate.{key}", gate=label, value=w.value(g.get("value"), g.get("unit")),
               threshold=w.value(g.get("threshold"), g.get("unit")),
               sign=w.t(f"programme.sign.{g.get('comparison') or 'at_most'}"))


def _label(w: Words, block: dict) -> str:
    if w.lang == "en":  # a framework's own labels are Chinese; English where it gives one, else the status
        return block.get("label_en") or w.t(f"programme.status.{block['status']}")
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


class ProgrammeView:
    """What the zone report shows of its framework: the framework line, the gates (first), the
    conclusion, bonus/penalty items, the materials checklist and the 对照评价 rows."""

    def __init__(self, results: dict, lang: str):
        self.r = results
        self.lang = lang
        self.w = Words(results, lang)
        self.t = self.w.t
        self.fw = results.get("framework") or {}
        self.outcome = results.get("outcome") or {}

    @property
    def present(self) -> bool:
        """results written before version 3 have no outcome: nothing is shown."""
        return bool(self.outcome)

    def _title(self, fw: dict) -> str:
        return (fw.get("title_en") if self.lang == "en" else None) or fw.get("title") or fw.get("id") or ""

    @property
    def on_summary(self) -> bool:
        """Gates, or an outcome the score did not decide: said on the summary page, before the score."""
        return bool(self.r.get("gates")) or self.outcome.get("status") not in (None, "rated")

    @property
    def framework_line(self) -> str:
        return self.t("programme.framework_line", title=self._title(self.fw),
                      kind=self.t(f"programme.kind.{self.fw.get('kind') or 'annual'}"),
                      version=self.fw.get("version") or "", authority=authority_text(self.w, self.fw))

    @property
    def authority_note(self) -> str | None:
        """The framework's own words on which parts are official and which the evaluators' (its
        English where it gives them; none in English otherwise)."""
        return self.fw.get("authority_note") if self.lang == "zh" else self.fw.get("authority_note_en")

    @property
    def framework_with_note(self) -> str:
        """The framework line and its note on authority, as one paragraph (a space between in English)."""
        note = self.authority_note
        if not note:
            return self.framework_line
        return self.framework_line + (" " if self.lang == "en" else "") + note

    @property
    def eligibility_line(self) -> str | None:
        e = self.fw.get("eligibility")
        if not e:
            return None
        parts = []
        if e.get("min_years_in_operation"):
            parts.append(self.t("programme.min_years", n=e["min_years_in_operation"]))
        if e.get("min_total_energy_tce"):
            parts.append(self.t("programme.min_energy", energy=_energy(self.w, e["min_total_energy_tce"])))
        source = (e.get("source_en") if self.lang == "en" else None) or e.get("source") or ""
        return self.t("programme.eligibility_line", text=self.w.join(parts), source=source)

    def gate_rows(self, gates: list[dict] | None = None) -> list[dict]:
        rows = []
        for g in self.r.get("gates") or [] if gates is None else gates:
            label = (g.get("label_en") if self.lang == "en" else None) or g["label"]
            sign = self.t(f"programme.sign.{g.get('comparison') or 'at_most'}")
            passed = {True: "true", False: "false", None: "null"}[g.get("passed")]
            band = (self.t("programme.band_note", energy=_energy(self.w, g["total_energy_tce"]))
                    if g.get("total_energy_tce") is not None else None)
            source = (g.get("source_en") if self.lang == "en" else None) or g.get("source")
            rows.append({"label": label, "unit": self.w.unit(g.get("unit") or ""),
                         "value": self.w.value(g.get("value"), None), "year": g.get("year"),
                         "requirement": f"{sign}{self.w.value(g.get('threshold'), None)}"
                         if g.get("threshold") is not None else "—",
                         "passed": self.t(f"programme.gate_passed.{passed}"), "status": passed,
                         "source": self.t("programme.gate_source", source=source,
                                          note=(g.get("note") if self.lang == "zh" else g.get("note_en")) or ""),
                         "band": band})
        return rows

    @property
    def _report_date(self) -> str:
        return format_date((self.r.get("dataset") or {}).get("report_date"), self.lang)

    @property
    def in_force_line(self) -> str | None:
        """The report's own framework, where its document is not known to be in force on the report's
        date (``outcome.reference_only``): said, with how its sources date it, and that its conclusion
        is for reference only (not ranked). None where it is in force or dates no document."""
        if not self.outcome.get("reference_only"):
            return None
        f = self.fw["in_force"]
        note = (f.get("note_en") if self.lang == "en" else f.get("note")) or ""
        return self.t(f"programme.in_force.{f['status']}", note=note, date=self._report_date)

    @property
    def reference_line(self) -> str | None:
        """The 对照评价 frameworks whose documents are not known to be in force on the report's date."""
        titles = [self.t("programme.in_force.title", title=self._title(c["framework"])) for c in self.r.get("comparison") or []
                  if c.get("reference_only") and c["status"] not in ("not_applicable", "out_of_range")]
        if not titles:
            return None
        return self.t("programme.in_force.comparison", items=self.w.join(titles), n=len(titles),
                      date=self._report_date)

    @property
    def outcome_line(self) -> str:
        reason = self.outcome.get("reason")
        label = _label(self.w, self.outcome)
        if self.outcome.get("decided_by") == "score" and self.r.get("grade_provisional"):
            label += self.t("summary.provisional")  # as the summary page has it: "Fail (provisional)", not a final "Fail"
        return self.t("programme.outcome_line" if reason else "programme.outcome_line_bare", label=label,
                      reason=reason or "")

    @property
    def decisive_gate(self) -> bool:
        return self.outcome.get("status") == "gate_failed"

    @property
    def adjustments(self) -> list[dict]:
        return [{"label": (a.get("label_en") if self.lang == "en" else None) or a.get("label") or a["id"],
                 "points": f"{a['points']:+g}",
                 "applied": self.t("programme.adjustment_applied" if a["applied"] else "programme.adjustment_not_applied"),
                 "source": (a.get("source_en") if self.lang == "en" else None) or a.get("source")}
                for a in self.outcome.get("adjustments") or []]

    @property
    def materials(self) -> list[dict]:
        out = []
        for m in self.outcome.get("materials") or []:
            status = self.t(f"programme.material_status.{m['status']}")
            if m.get("expected", 0) > 1:
                status += " " + self.t("programme.material_found", found=m["found"], expected=m["expected"])
            out.append({"label": (m.get("label_en") if self.lang == "en" else None) or m.get("label") or m["id"],
                        "status": status, "state": m["status"],
                        "note": (m.get("note_en") if self.lang == "en" else None) or m.get("note") or ""})
        return out

    @property
    def comparison(self) -> list[dict]:
        """The rows of frameworks that apply to the zone's type and size."""
        own = {"framework": self.fw, "score": self.outcome.get("score"), "reason": self.outcome.get("reason"),
               **{k: self.outcome.get(k) for k in ("status", "decided_by", "label", "label_en")}, "own": True}
        rows = []
        for c in [own, *(self.r.get("comparison") or [])]:
            if c["status"] in ("not_applicable", "out_of_range") and not c.get("own"):
                continue
            fw = c["framework"]
            rows.append({"title": self._title(fw) + (self.t("programme.comparison.own_mark") if c.get("own") else ""),
                         "own": bool(c.get("own")), "kind": self.t(f"programme.kind.{fw.get('kind') or 'annual'}"),
                         "authority": self.t(f"programme.authority_short.{fw.get('authority') or 'evaluator'}"),
                         "label": _label(self.w, c), "status": c["status"],
                         "score": c.get("score"), "decided_by": self.t(f"programme.decided_by.{c['decided_by']}"),
                         "reason": c.get("reason") or ""})
        return rows

    @property
    def not_applicable_line(self) -> str | None:
        items = [self.t("programme.comparison.not_applicable_item", title=self._title(c["framework"]),
                        reason=c.get("reason") or "")
                 for c in self.r.get("comparison") or [] if c["status"] in ("not_applicable", "out_of_range")]
        return self.t("programme.comparison.not_applicable", items=self.t("list_sep_major").join(items)) if items else None
