"""Findings into sentences: the catalogue's rules.<id> texts filled from each finding's figures.

assess and findings give codes and numbers; this is the one place that words
them, in the build language, for results.json (the notebook calls
``narrate_findings``) and so for every report and summary that reads it.
"""
from __future__ import annotations

import re
from datetime import date

from nzc_report.dataset.provinces import PROVINCE_PINYIN
from nzc_report.render.environment import fmt_value
from nzc_report.render.messages import Messages

__all__ = ["narrate_findings", "Words", "addressee", "format_date"]


class Words:
    """Numbers, names and lists as the report's language writes them."""

    def __init__(self, results: dict, lang: str):
        self.lang = lang
        self.t = Messages(lang)
        self.r = results
        self.ind = {i["id"]: i for i in results.get("indicators") or []}

    def grade(self, grade: str | None) -> str:
        """A grade as the framework names it in the report's language (its bands' grade_en in English:
        a provisional-coverage problem read "the grade \"不合格\"" in the English body)."""
        if self.lang != "en" or not grade:
            return grade or ""
        bands = (self.r.get("framework") or {}).get("grade_bands") or []
        names = {b.get("grade"): b.get("grade_en") for b in bands if b.get("grade_en")}
        if self.r.get("grade") == grade and self.r.get("grade_en"):
            names.setdefault(grade, self.r["grade_en"])
        return names.get(grade) or grade

    def join(self, items) -> str:
        items = [str(i) for i in items]
        if self.lang == "en" and len(items) > 1:
            # a serial comma where an item holds "and" itself ("ecology and environment, industry and
            # information technology, and energy"), else the list would not say where items end
            last = ", and " if len(items) > 2 and any(" and " in i for i in items) else " and "
            return ", ".join(items[:-1]) + last + items[-1]
        return self.t("list_sep").join(items)

    def value(self, v, unit: str | None, *, appendix: bool = False) -> str:
        """A value with its unit; ``appendix``: an indicator's value below 100 at the precision the
        appendix shows it (fmt_value), so a sentence and the table agree (zj-huaxi's highlight read 0.02
        beside the appendix's 0.0172, and its benchmark 0.10 beside 0.1)."""
        if v is None:
            return self.t("not_reported")
        unit = unit or ""
        if unit == "%":
            return f"{v:z.1f}%"
        if unit == "分":
            return self.t("words.points", n=f"{v:z.0f}")
        num = (f"{v:z,.0f}" if float(v).is_integer() or abs(v) >= 100
               else fmt_value(v) if appendix else f"{v:z.2f}")
        return f"{num}{self.unit(unit)}" if self.lang == "zh" else f"{num} {self.unit(unit)}"

    def unit(self, unit: str) -> str:
        return self.t.labels("units").get(unit, unit) if self.lang == "en" else unit

    def change(self, delta: float, unit: str | None) -> str:
        """提高34.0个百分点 / 降低12,000吨二氧化碳当量."""
        size = self.t("words.points_pct", n=f"{abs(delta):z.1f}") if unit == "%" else self.value(abs(delta), unit)
        return self.t("words.rise" if delta > 0 else "words.fall", size=size)

    def indicator(self, iid: str) -> str:
        ind = self.ind.get(iid) or {}
        if self.lang == "en":
            return ind.get("name_en") or self.t.labels("metrics").get(iid, iid)
        return ind.get("name_zh") or self.t.labels("metric_names").get(iid, iid)

    def metric(self, metric: str) -> str:
        names = self.t.labels("metric_names")
        return names.get(metric) or self.indicator(metric)

    def sector(self, code: str) -> str:
        return self.t.labels("domains").get(code, code)

    def mechanism(self, code: str) -> str:
        return self.t.labels("mechanisms").get(code, code)

    def mech_status(self, code: str) -> str:
        return self.t.labels("mechanism_statuses").get(code, code)

    def years(self, years) -> str:
        return self.join(self.t("words.year", y=y) for y in years)

    def zone_word(self, key: str) -> str:
        """A word that depends on the zone type (catalogue ``key``: zone type → word, or default)."""
        words = self.t.labels(key)
        zone_type = self.r.get("zone_type")
        return words.get(zone_type, words["default"]) if zone_type is not None else words["default"]

    def self_word(self) -> str:
        """本区 / 本单位 / 本企业: how the report calls the zone, by its type; a village of the
        社区/村 type is 本村, not 本社区 (zj-yucun 余村, zj-anxi 安溪村)."""
        if self.r.get("zone_type") == "community" and str(self.r.get("name") or "").endswith("村"):
            return self.t("self_word_village")
        return self.zone_word("self_word")

    def body(self, body: str | None) -> str:
        return self.t("words.by_body", body=body) if body else self.t("words.by_self", zone=self.self_word())


def _target(w: Words, f: dict) -> dict:
    unit = f.get("unit")
    ratio = f.get("progress_ratio")
    return {"year": f["target_year"], "metric": w.metric(f["metric"]), "target": w.value(f["target_value"], unit),
            "current": w.value(f.get("current_value"), unit), "current_year": f.get("current_year"),
            "planned": w.value(f.get("planned_value"), unit),
            "ratio": f"{ratio:z.2f}" if ratio is not None else w.t("words.undefined"),
            "years_left": f.get("years_left"),
            "required": w.change(f["required_annual_change"], unit) if f.get("required_annual_change") else "",
            "why": w.t(f"target_notes.{f['note']}") if f.get("note") else ""}


def _indicator_items(w: Words, items: list[dict], key: str) -> str:
    return w.join(w.t(f"items.{key}", name=w.indicator(i["indicator"]),
                      value=w.value(i.get("value"), i.get("unit"), appendix=True),
                      year=i.get("year"), limit=w.value(i.get("limit"), i.get("unit"), appendix=True),
                      from_value=w.value(i.get("from_value"), i.get("unit"), appendix=True), from_year=i.get("from_year"))
                  + (w.t("items.gap", first=i["gap"][0], last=i["gap"][1]) if i.get("gap") else "")
                  for i in items)


def _mechanism_items(w: Words, items: list[dict]) -> str:
    return w.join(w.t("items.mechanism", name=w.mechanism(i["mechanism"]), status=w.mech_status(i["status"]),
                      year=i["year"]) for i in items)


def _measures(w: Words, items: list[dict], key: str = "measure") -> str:
    return w.join(w.t(f"items.{key}", name=m["name"], sector=w.sector(m["sector"]),
                      start_year=m.get("start_year"), years=m.get("years")) for m in items)


def _off_plan_measures(w: Words, items: list[dict]) -> str:
    """Measures by their state on their plan (dataset v3): overdue, unmoved, or progress not reported."""
    key = {"delayed": "delayed", "stalled": "unmoved"}
    return w.join(w.t(f"items.{key.get(m.get('state') or '', 'unreported_progress')}", name=m["name"],
                      sector=w.sector(m["sector"]), planned=m.get("planned_completion_year"),
                      since=m.get("unchanged_since"),
                      pct=f"{m['progress_pct']:z.0f}" if m.get("progress_pct") is not None else "")
                  for m in items)


def _framework_title(w: Words) -> str:
    fw = w.r.get("framework") or {}
    return (fw.get("title_en") if w.lang == "en" else None) or fw.get("title") or ""


def _gate(w: Words, f: dict) -> dict:
    """A failed gate (gate_failed): its name, value and threshold, the band that applies, the
    framework and the outcome it decides, in the report's language."""
    unit = f.get("unit")
    outcome = w.r.get("outcome") or {}
    label = (outcome.get("label_en") if w.lang == "en" else outcome.get("label")) or (
        f.get("outcome") if w.lang == "zh" else None) or w.t("programme.status.gate_failed")
    energy = f.get("total_energy_tce")
    wan = energy is not None and w.lang == "zh" and energy >= 10_000 and energy % 10_000 == 0
    return {"year": f.get("year"), "gate": (f.get("label_en") if w.lang == "en" else None) or f["label"],
            "value": w.value(f.get("value"), unit), "threshold": w.value(f.get("threshold"), None).strip(),
            "sign": w.t(f"programme.sign.{f.get('comparison') or 'at_most'}"), "framework": _framework_title(w),
            "band": w.t("gate_band", energy=w.t("programme.energy_tce", n=f"{energy / 10_000:z,.0f}万" if wan
                                                else f"{energy:z,.0f}")) if energy else "",
            "outcome": label}


def _placeholders(w: Words, condition: str, f: dict) -> dict:
    """The {placeholders} of a finding's sentence, from its figures."""
    if condition == "target_status":
        return _target(w, f)
    if condition == "gate_failed":
        return {**_gate(w, f), "zone": w.self_word()}
    out = {k: v for k, v in f.items() if isinstance(v, (int, str)) and not isinstance(v, bool)}
    for k, v in f.items():
        if isinstance(v, float):
            out[k] = f"{v:z,.0f}" if k.endswith("_tco2e") else f"{v:z.1f}"
    if condition in ("indicators_at_benchmark", "indicators_below_floor"):
        out["items"] = _indicator_items(w, f["items"], "at_limit" if condition.endswith("benchmark") else "at_floor")
    elif condition == "indicator_gains":
        out["items"] = _indicator_items(w, f["items"], "gain")
    elif condition == "indicator_at_least":
        out.update(name=w.indicator(f["indicator"]), value=w.value(f["value"], f["unit"]),
                   min=w.value(f["min"], f["unit"]))
    elif condition == "indicator_data_stale":
        out["items"] = w.join(w.t("items.stale", name=w.indicator(i["indicator"]), year=i["year"]) for i in f["items"])
    elif condition == "indicators_not_reported":
        groups: dict[str, list[str]] = {}
        for m in f["missing"]:
            groups.setdefault(m["needs"], []).append(w.indicator(m["id"]))
        out["items"] = w.t("list_sep_major").join(
            w.t("items.missing", names=w.join(n), needs=w.t(f"needs.{code}")) for code, n in groups.items())
    elif condition == "mechanism_in_status":
        out["items"] = _mechanism_items(w, f["items"])
        out["names"] = w.join(w.mechanism(m) for m in f["mechanisms"])
        out["unreported"] = (w.t("items.mechanisms_unreported", names=w.join(w.mechanism(m) for m in f["not_reported"]))
                             if f.get("not_reported") else "")
    elif condition == "staged_plan":
        out.update(plan=f.get("plan") or w.t("words.plan"), years=w.years(f["years"]))
    elif condition == "measures_across_domains":
        out["domains"] = w.join(w.sector(d) for d in f["domains"])
        labels = w.t.labels("measure_statuses")
        out["by_status"] = w.t("list_sep").join(w.t("items.measures_in_status", status=labels[s], n=n)
                                               for s, n in (f.get("by_status") or {}).items())
    elif condition == "sectors_without_measures":
        out["sectors"] = w.join(w.sector(s) for s in f["sectors"])
    elif condition == "measures_suspended":
        out["measures"] = _measures(w, f["measures"], "measure")
    elif condition in ("measures_off_plan", "measures_long_ongoing", "measure_progress_not_reported"):
        out["measures"] = _off_plan_measures(w, f["measures"])
    elif condition == "no_near_zero_end_target":
        out["targets"] = w.join(w.t("items.target", year=t["target_year"], metric=w.metric(t["metric"]),
                                    value=w.value(t["target_value"], t["unit"])) for t in f["targets"])
    elif condition == "grade_provisional":
        out["grade"] = (f.get("grade_en") if w.lang == "en" else None) or w.grade(f.get("grade"))
    elif condition == "no_boundary":
        out.update(missing=w.t(f"needs.{f['missing']}"),
                   zone_type=w.t.labels("zone_types").get(f["zone_type"], f["zone_type"]))
    elif condition == "no_plan":
        out["status"] = (w.t("words.plan_mechanism", status=w.mech_status(f["mechanism_status"]),
                             year=f["mechanism_year"]) if f.get("mechanism_status") else "")
    elif condition == "decoupling":
        out.update(gdp_base=f"{f['gdp_base_10k_cny'] / 1e4:z,.1f}", gdp=f"{f['gdp_10k_cny'] / 1e4:z,.1f}",
                   gdp_index=f"{f['gdp_index']:z.0f}", net_index=f"{f['net_index']:z.0f}",
                   intensity=f"{abs(f['intensity_change_pct']):z.0f}", gdp_word=w.zone_word("gdp_word"),
                   peak=w.t("words.peak", year=f["peak_year"], net=f"{f['peak_net_tco2e']:z,.0f}")
                   if f.get("peak_year") is not None else "")
    out["zone"] = w.self_word()
    return out


_CJK = re.compile(r"[\u4e00-\u9fff]")


def addressee(w: Words, rec: dict) -> tuple[str, bool]:
    """建议<whom> (cli.md v3): the zone's 实施主体, or its competent authority from
    params/zones/<id>.yaml, else derived from the zone's type and location; and whether derived."""
    name, derived = _addressee_name(w, rec)
    if w.lang == "en" and rec.get("addressee") != "competent_authority" and _CJK.search(name):
        # the zone's own body without an English name in the data: "The company should …" (its name
        # stands in 2.1 Basic facts), not an English sentence opening with "杭州优行科技有限公司 should"
        name = w.self_word()
    return w.t("words.by_body", body=name), derived


def _addressee_name(w: Words, rec: dict) -> tuple[str, bool]:
    """The addressee's bare name (the catalogue's ``authority`` words where derived)."""
    r = w.r
    if rec.get("addressee") != "competent_authority":
        return r.get("implementing_body") or rec["evidence"]["figures"].get("body") or w.self_word(), False
    params = r.get("params") or {}
    named = params.get("competent_authority")
    if named:
        return str(named), False
    place = rec["evidence"]["figures"].get("authority")
    if place:  # read off the place the zone's name names (params/rules.yaml competent_authority)
        if place.get("place"):
            return w.t(f"authority_place.{place['level']}", place=place["place"]), True
        return w.t(f"authority_level.{place['level']}"), True
    forms = w.t.labels("authority")
    key = str(r.get("zone_type")) if r.get("zone_type") in forms else "default"
    form = forms[key] if r.get("city") else forms["no_city"]
    province = r.get("province_name") or ""
    if w.lang == "en" and r.get("province_code") in PROVINCE_PINYIN:  # the province's English name, as the cover's
        province = PROVINCE_PINYIN[r["province_code"]]
    return form.format(city=r.get("city") or "", province=province), True


def _by(w: Words, f: dict) -> str:
    """The time frame the zone's own target gives, else the next assessment."""
    if f.get("by_year"):
        return w.t("words.by_year", year=f["by_year"])
    return w.t("words.by_next", year=int(f.get("year") or 0) + 1)


def _mech_parts(w: Words, rid: str, f: dict, fill: dict) -> list[str]:
    """One part per mechanism, its verb from its judgement: 健全/完善 what is partly in place, 建立 what is not."""
    partial = set(f.get("partial") or ())
    out = []
    for m in f["mechanisms"]:
        kind = "partial" if m in partial else "missing"
        if m in w.t.get(f"rules.{rid}.{kind}"):
            out.append(w.t(f"rules.{rid}.{kind}.{m}", **fill))
    return out


def _recommendation(w: Words, rec: dict) -> str:
    f = rec["evidence"]["figures"]
    rid = rec["rule_id"]
    t = w.t
    who, _ = addressee(w, rec)
    by = _by(w, f)
    name = (w.r.get("name_en") if w.lang == "en" else None) or w.r.get("name") or w.self_word()
    sectors = f.get("sectors_declared") or []
    fill = {"who": who, "by": by, "zone_name": name, "n": len(sectors),
            "sectors": w.join(w.sector(s) for s in sectors),
            "departments": w.join([*t.get("departments.always"), *dict.fromkeys(
                t.labels("departments.by_sector")[s] for s in sectors if s in t.labels("departments.by_sector"))]),
            # 等 only where more projects are open than are named; in English the list then ends in
            # "and others", not "A, B and C and others"
            **_projects(w, f.get("open_measure_names") or [], f.get("open_measures", 0)),
            "open": f.get("open_measures", 0),
            "net": f"{f['net_tco2e']:z,.0f}" if f.get("net_tco2e") is not None else "",
            "baseline_net": f"{f['baseline_net_tco2e']:z,.0f}" if f.get("baseline_net_tco2e") is not None else "",
            "data_year": f.get("data_year"), "baseline_year": f.get("baseline_year"),
            "plan": f.get("plan_document") or ""}
    if rid == "R-TARGET-GAP":
        unit = f["unit"]
        base = {"year": f["target_year"], "metric": w.metric(f["metric"]), "current": w.value(f["current_value"], unit),
                "target": w.value(f["target_value"], unit), "current_year": f["current_year"],
                "who": _sentence(who, w.lang)}  # opens a sentence of its own
        if f["choice"] == "recover":
            nxt = f.get("next_target")
            if nxt:
                return t("rules.R-TARGET-GAP.recover_next", **base, next_year=nxt["target_year"],
                         next_target=w.value(nxt["target_value"], unit), next_current=w.value(nxt["current_value"], unit),
                         next_current_year=nxt["current_year"], next_status=t(f"status.{nxt['status']}"))
            return t("rules.R-TARGET-GAP.recover", **base)
        lead = t("rules.R-TARGET-GAP.lead", **base, years=f["years_left"], change=w.change(f["change"], unit))
        pace = (t("rules.R-TARGET-GAP.pace", multiple=f"{f['pace_multiple']:z.1f}") if f.get("pace_multiple")
                else t("rules.R-TARGET-GAP.no_pace"))
        return lead + pace + t(f"rules.R-TARGET-GAP.{f['choice']}", who=base["who"])
    if rid == "R-GATE-GAP":
        cmp = f.get("comparison") or "at_most"
        gate = _gate(w, {**f, "year": f.get("value_year"), "total_energy_tce": None})
        text = t("rules.R-GATE-GAP.lead", who=who, by=by, gate=gate["gate"], year=f.get("value_year"),
                 value=gate["value"], framework=gate["framework"],
                 target=t(f"rules.R-GATE-GAP.target.{cmp}", threshold=gate["threshold"]),
                 change=t(f"rules.R-GATE-GAP.change.{cmp}"),
                 pct=f"{f['change_pct']:z.0f}" if f.get("change_pct") is not None else "—")
        if f.get("sectors"):
            text += t("rules.R-GATE-GAP.sectors", data_year=f["year"], sectors=w.join(
                t("items.sector_share", sector=w.sector(s["sector"]), share=f"{s['share_pct']:z.0f}")
                for s in f["sectors"]))
        if f.get("measures"):
            text += t("rules.R-GATE-GAP.measures", measures=w.join(m["name"] for m in f["measures"]))
        return text + t("rules.R-GATE-GAP.end")
    if rid == "R-SECTOR-FOCUS" and f.get("focus") == "indicators":
        text = t("rules.R-SECTOR-FOCUS.indicators", who=who, by=by,
                 items=_indicator_items(w, f["indicators"], "at_floor"))
        if f["sectors"]:
            names = w.join(w.sector(s["sector"]) for s in f["sectors"])
            text += (t("rules.R-SECTOR-FOCUS.indicator_measures", sectors=names,
                       measures=w.join(m["name"] for m in f["measures"])) if f["measures"]
                     else t("rules.R-SECTOR-FOCUS.indicator_sectors", sectors=names))
        return text + t("words.end")
    if rid == "R-SECTOR-FOCUS":
        shares = w.join(t("items.sector_share", sector=w.sector(s["sector"]), share=f"{s['share_pct']:z.0f}")
                        for s in f["sectors"])
        text = t("rules.R-SECTOR-FOCUS.lead", who=who, by=by, year=f["year"], sectors=shares)
        if f["measures"]:
            text += t("rules.R-SECTOR-FOCUS.measures", measures=w.join(m["name"] for m in f["measures"]))
        return text + t("rules.R-SECTOR-FOCUS.end")
    if rid in ("R-SUPPORT-COORDINATION", "R-SUPPORT-FUNDING", "R-GUIDANCE-CAPACITY", "R-SUPPORT-INCENTIVE"):
        if rid == "R-SUPPORT-FUNDING" and not f.get("open_measures"):
            fill["projects"] = ""
        parts = _mech_parts(w, rid, {**f, "mechanisms": [m + ("_projects" if rid == "R-SUPPORT-FUNDING" and
                                                                  f.get("open_measures") else "")
                                                         for m in f["mechanisms"]],
                                     "partial": [m + ("_projects" if rid == "R-SUPPORT-FUNDING" and
                                                      f.get("open_measures") else "")
                                                 for m in f.get("partial") or []]}, fill)
        return t(f"rules.{rid}.lead", **fill) + t("list_sep_major").join(parts) + t("words.end")
    if rid == "R-GUIDANCE-DATA":
        text = t("rules.R-GUIDANCE-DATA.lead", who=who, by=by)
        if f["missing"]:
            text += t("rules.R-GUIDANCE-DATA.missing", names=w.join(w.indicator(i) for i in f["missing"]),
                      coverage=f"{f['coverage_pct']:z.0f}")
        if f["stale"]:
            text += t("rules.R-GUIDANCE-DATA.stale", names=w.join(w.indicator(i) for i in f["stale"]))
        if f["data_year"] != f["year"]:
            text += t("rules.R-GUIDANCE-DATA.lag", year=f["year"])
        if f.get("progress"):
            text += t("rules.R-GUIDANCE-DATA.progress", names=w.join(m["name"] for m in f["progress"]))
        return text + t("rules.R-GUIDANCE-DATA.end")
    if rid == "R-PILOT-MEASURES":
        text = ""
        if f["sectors"]:
            text += t("rules.R-PILOT-MEASURES.sectors", who=who, by=by,
                      sectors=w.join(w.sector(s) for s in f["sectors"]))
        # one ask per state the data shows: overdue is not suspended, and an ongoing measure is not
        # "resumed" (issue 28: "进展缓慢或暂停…恢复建设" for gd-nanao's overdue, ongoing 零碳公共建筑)
        for state in ("delayed", "stalled", "suspended"):
            named = [m for m in f["measures"] if (m.get("state") if m.get("state") in ("delayed", "stalled")
                                                  else "suspended") == state]
            if named:
                items = [t("rules.R-PILOT-MEASURES.delayed_item", name=m["name"], year=m["planned_completion_year"])
                         if state == "delayed" and m.get("planned_completion_year") else m["name"] for m in named]
                text += t(f"rules.R-PILOT-MEASURES.{state}", who=_sentence(who, w.lang), by=by, measures=w.join(items),
                          n=len(named))
        return text.strip()
    if rid == "R-INTL-EXCHANGE":
        return t("rules.R-INTL-EXCHANGE", who=who, by=by, year=f["because"]["year"])
    if rid == "R-GUIDANCE-TARGETS" and f.get("end_target"):
        e = f["end_target"]
        return t("rules.R-GUIDANCE-TARGETS.end_target", **fill, count=e["count"], min=e["min_reduction_pct"],
                 max=e["max_net_share_pct"],
                 basis=t("rules.R-GUIDANCE-TARGETS.basis", plan=fill["plan"]) if fill["plan"] else "")
    if rid == "R-GUIDANCE-TARGETS":
        # the boundary only where a problem found it missing (P-NO-BOUNDARY): zj-anxi, whose area the
        # data gives, was asked to 明确…建设边界
        kind = ("plan" if f.get("plan_document") else "no_plan")
        if "P-NO-BOUNDARY" not in (f.get("problems") or []):
            kind = "targets_" + kind
        return t("rules.R-GUIDANCE-TARGETS." + kind, **fill)
    return t(f"rules.{rid}", **fill, zone=w.self_word())


def _projects(w: Words, names: list[str], open_: int) -> dict:
    more = open_ > len(names)
    if more and w.lang == "en":
        return {"projects": ", ".join(names), "etc": w.t("words.etc")}
    return {"projects": w.join(names), "etc": w.t("words.etc") if more else ""}


def _sentence(text: str, lang: str) -> str:
    """English sentences begin with a capital (a sentence may open with a lower-case name)."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def _strip_end(text: str) -> str:
    return text.rstrip("。.")


def _mixed(w: Words, f: dict, problem: str, placeholders: dict) -> str:
    """One balanced statement: what is in place (without its verdict), then the problem."""
    parts = [w.t(f"in_place.{i['rule_id']}", **_placeholders(w, i.get("condition", ""), i.get("figures") or {}))
             for i in f["evidence"]["in_place"]]
    in_place = w.t("list_sep_major").join(parts)
    if f["rule_id"] in w.t.get("mixed"):
        return w.t(f"mixed.{f['rule_id']}", **{**placeholders, "in_place": in_place})
    problem = problem if w.lang == "zh" else problem[:1].lower() + problem[1:]
    return w.t("mixed.default", in_place=in_place, problem=problem)


def narrate_findings(results: dict, lang: str) -> dict:
    """Fills ``text`` (and ``category_label``) of every highlight, problem and recommendation in place;
    a problem that holds what is in place on its subject (``in_place``) is one balanced statement."""
    w = Words(results, lang)
    pcat, rcat = w.t.labels("problem_categories"), w.t.labels("recommendation_categories")
    for f in (results.get("highlights") or []) + (results.get("problems") or []):
        ev = f.get("evidence") or {}
        placeholders = _placeholders(w, ev.get("condition", ""), ev.get("figures") or {})
        text = w.t(f"rules.{f['rule_id']}", **placeholders)
        if ev.get("in_place"):
            text = _mixed(w, f, text, placeholders)
        also = [x["figures"] for x in ev.get("also") or [] if "target_year" in x.get("figures", {})]
        if also:
            text += w.t("also", items=w.join(w.t("also_item", year=x["target_year"], status=w.t(f"status.{x['status']}"),
                                                 target=w.value(x["target_value"], x.get("unit"))) for x in also))
        f["text"] = _sentence(text, lang)
        if f.get("category"):
            f["category_label"] = pcat.get(f["category"], f["category"])
    for rec in results.get("recommendations") or []:
        rec["text"] = _sentence(_recommendation(w, rec), lang)
        rec["category_label"] = rcat.get(rec["category"], rec["category"])
        if rec.get("rule_id"):
            rec["addressee_name"], rec["addressee_derived"] = _addressee_name(w, rec)
    return results


def add_evaluator_findings(results: dict, zone_params: dict | None, lang: str) -> dict:
    """Appends the evaluating team's own problems and recommendations (params/zones/<id>.yaml:
    extra_problems, extra_recommendations) in place, marked ``origin: evaluator``.

    They have no rule (``rule_id`` None): their text is the team's, shown as written
    (escaped like every data text); the year-to-year comparison goes by rule, so they
    are not compared; the summaries count them by category.
    """
    params = zone_params or {}
    t = Messages(lang)
    pcat, rcat = t.labels("problem_categories"), t.labels("recommendation_categories")
    for item in params.get("extra_problems") or []:
        results.setdefault("problems", []).append({
            "rule_id": None, "origin": "evaluator", "category": item["category"],
            "category_label": pcat.get(item["category"], item["category"]), "text": item["text"],
            "evidence": {"figures": {}, "sources": []}})
    for item in params.get("extra_recommendations") or []:
        results.setdefault("recommendations", []).append({
            "rule_id": None, "origin": "evaluator", "category": item["category"],
            "category_label": rcat.get(item["category"], item["category"]), "text": item["text"],
            "addresses": []})
    return results


def format_date(iso: str | None, lang: str) -> str:
    if not iso:
        return "—"
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%B} {d.year}"
