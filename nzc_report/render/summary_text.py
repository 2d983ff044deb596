"""The sentences of a summary's 进展情况, 存在的问题 and 政策建议, and its table cells.

A mixin of SummaryView (render/summary_view.py), which gives the words: x() for
a catalogue entry, num/pct/share/change, names of zones, provinces and types.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from nzc_report.render.environment import fmt_number

if TYPE_CHECKING:
    from nzc_report.render.messages import Messages

PROBLEM_ORDER = ["concept", "evaluation", "policy", "progress"]
EXTRA_CODES = {"highlights": "_highlight", "problems": "_problem"}


MUNICIPALITIES = ("110000", "120000", "310000", "500000")  # 直辖市
# provincial recommendations addressed to the provincial (municipal) government, not its commission
GOVERNMENT_ITEMS = {"coordination", "funding", "exchange"}

class SummaryText:
    # What the host (SummaryView) provides; declared here for the type checker only.
    s: dict[str, Any]
    lang: str
    t: Messages
    national: bool

    @property
    def tier(self) -> str:
        """'municipality' for 北京、天津、上海、重庆 (全市/市级, issue 28), else 'province' (全省/省级)."""
        return "municipality" if not self.national and self.s["province_code"] in MUNICIPALITIES else "province"

    if TYPE_CHECKING:
        @property
        def place(self) -> str: ...
        @property
        def single(self) -> bool: ...
        def x(self, key: str, **values: Any) -> str: ...
        def has(self, key: str) -> bool: ...
        def join(self, items: Iterable[str]) -> str: ...
        def province(self, code: str) -> str: ...
        def zone_name(self, z: dict) -> str: ...
        def zone_type(self, code: str) -> str: ...
        def metric(self, key: dict) -> str: ...
        def status(self, code: str) -> str: ...
        @staticmethod
        def num(value: Any, digits: int = 1) -> str: ...
        def pct(self, value: Any, digits: int = 1) -> str: ...
        @staticmethod
        def share(value: Any) -> str: ...
        def change(self, pct: Any) -> str: ...
        def range_text(self, lo: Any, hi: Any, fmt: Callable[[Any], str]) -> str: ...
        def count(self, n: int) -> str: ...
        def framework_title(self, f: dict) -> str: ...
        def framework_grades(self, frameworks: list[dict]) -> str: ...

    @property
    def gap(self) -> str:
        """Between two sentences: nothing in Chinese, a space in English."""
        return " " if self.lang == "en" else ""

    # -- 二、进展情况 ---------------------------------------------------------------------
    def _types(self, rows) -> str:
        return self.join(self.x("overview.type_item", label=self.zone_type(r["zone_type"]), n=r["count"]) for r in rows)

    @property
    def overview(self) -> list[str]:
        s, o = self.s, self.s["overall"]
        if self.national:
            first = self.x("overview.zones_national", n=s["zones_total"], provinces=len(s["provinces"]),
                           types=self._types(s["by_type"]))
        elif s["zones_total"] == 1 and s["zones"]:  # one zone is named, not counted ("共1个，其中建筑1个")
            z = s["zones"][0]
            first = self.x("overview.zone_province_named", province=self.place, name=self.zone_name(z),
                           type=self.zone_type(z["zone_type"]))
        else:
            first = self.x("overview.zones_province", province=self.place, n=s["zones_total"],
                           types=self._types(s["by_type"]))
        built = self.x("overview.built_named") if not self.national and s["zones_total"] == 1 == s["zones_built"] \
            else self.x("overview.built", built=s["zones_built"])
        paras = [first + built]
        if len(s.get("by_framework") or []) > 1:  # issue 30: how many zones under each framework
            paras[0] += self.x("overview.by_framework", items=self.join(
                self.x("overview.framework_item",
                       title=(f.get("title_en") if self.lang == "en" else None) or f.get("title") or "",
                       n=f["count"]) for f in s["by_framework"]))
        score = o["score"]
        frameworks = s.get("by_framework") or []
        if len(frameworks) > 1:  # the scores below are the principal framework's alone (issue 30)
            paras[0] += self.x("overview.pooled", title=self.framework_title(frameworks[0]), n=frameworks[0]["count"])
        if score:
            # "the zone scored": one zone under the pooled framework, not one rated among several (a gate …)
            one_zone = score["n"] == 1 and (frameworks[0]["count"] if frameworks else s["zones_built"]) == 1
            if one_zone:
                text = self.x("overview.score_one", score=self.num(score["mean"]))
            else:
                spread = self.num(score["min"]) != self.num(score["max"])
                text = self.x("overview.score", n=score["n"], mean=self.num(score["mean"]),
                              range=self.x("overview.score_range", lo=self.num(score["min"]), hi=self.num(score["max"]))
                              if spread else "")
            grades = self.grade_order
            if one_zone and grades:
                text += self.x("overview.grade_one", grade=self.grade_label(grades[0]))
            elif grades:
                items = self.join(self.x("overview.grade_item", grade=self.grade_label(g), n=s["grades"][g])
                                  for g in grades)
                graded = sum(s["grades"].values())
                # some conclusions not drawn from a score (a gate …): said of all the zones, not "of which"
                text += self.x("overview.grades" if graded == score["n"] else "overview.grades_all",
                               items=items, n=graded)
            if s["provisional"]:
                text += self.x("overview.provisional", n=s["provisional"])
            if len(frameworks) > 1:  # the other frameworks' sentence says which are for reference only
                text += self.x("end") + self.gap + self.framework_grades(frameworks[1:])
            # issue 30: a framework whose document is not known in force on the report's date, said once
            for f in frameworks[:1]:
                if f.get("reference_only"):
                    text += self.x("end") + self.gap + self.x("overview.reference_only", title=self.framework_title(f),
                                                   n=f["reference_only"])
            paras.append(text + self.x("end"))
        red = o["reduction"]
        if red:
            if red["n"] == 1:
                text = self.x("overview.reduction_one", change=self.change(red["mean"]))
            else:
                lo, hi = self.change(red["max"]), self.change(red["min"])
                text = self.x("overview.reduction", change=self.change(red["mean"]),
                              range=self.x("overview.reduction_range", lo=lo, hi=hi) if lo != hi else "")
                if s["reduced"]:
                    text += self.x("overview.reduced", n=s["reduced"])
            if s["rising"]:
                text += self.x("overview.rising", n=s["rising"])
            text += self.older_data()
            paras.append(text + self.x("end"))
        tg = s["targets"]
        if tg["total"]:
            items = self.join(self.x("overview.target_item", status=self.status(k), n=v)
                              for k, v in tg["by_status"].items())
            text = self.x("overview.targets", total=tg["total"], items=items, assessable=tg["assessable"],
                          share=self.share(tg["on_track_share"]))
            if s["zones_all_on_track"]:
                text += self.x("overview.all_on_track", n=s["zones_all_on_track"])
            if s["zones_without_targets"]:
                text += self.x("overview.no_targets", n=s["zones_without_targets"])
            paras.append(text + self.x("end"))
        diffs = []
        # by type: not where every type holds one zone (Guangdong: "建筑类平均得分最高（1个，平均72.3分）"
        # compares zones, which the top zones' sentence does)
        if s.get("type_extremes") and (self.national or any(r["count"] > 1 for r in s["by_type"])):
            diffs.append(self.extremes("type_diff", s["type_extremes"], self.zone_type))
        if self.national and s.get("province_extremes"):
            diffs.append(self.extremes("province_diff", s["province_extremes"], self.province))
        if len(s["top"]) > 1:
            diffs.append(self.x("overview.top", items=self.join(
                self.x("overview.top_item", name=self.zone_name(z), score=self.num(z["score"]),
                       change=self.change(z["net_reduction_pct"])) for z in s["top"])))
        if diffs:
            paras.append("".join(diffs))
        return paras

    def extremes(self, key: str, e: dict, label: Callable[[str], str]) -> str:
        """The highest and lowest group by mean score; a group of one zone is said as one zone, with
        its score, not as a mean ("北京市示范区平均得分最高（1个，平均60.7分）" read a zone as a mean)."""
        if e["highest_n"] > 1 and e["lowest_n"] > 1:
            return self.x("overview." + key, hi=label(e["highest"]), hi_n=e["highest_n"],
                          hi_mean=self.num(e["highest_mean"]), lo=label(e["lowest"]), lo_n=e["lowest_n"],
                          lo_mean=self.num(e["lowest_mean"]))

        def part(side: str) -> str:
            n, mean = e[side + "_n"], self.num(e[side + "_mean"])
            return self.x("overview.diff_single", score=mean) if n == 1 else \
                self.x("overview.diff_group", n=n, mean=mean)
        return self.x(f"overview.{key}_mixed", hi=label(e["highest"]), hi_part=part("highest"),
                      lo=label(e["lowest"]), lo_part=part("lowest"))

    def older_data(self) -> str:
        """Zones whose assessment year has no emissions: their reduction is an earlier year's, said so
        (zj-anxi's 2023 figure was counted and shown as 2024's)."""
        older = [z for z in self.s["zones"] if z.get("net_reduction_pct") is not None
                 and z.get("data_year") and z["data_year"] != self.s["year"]]
        if not older:
            return ""
        return self.x("overview.older_data", items=self.join(
            self.x("overview.older_item", name=self.zone_name(z), year=z["data_year"]) for z in older))

    def reduction_year(self, z: dict) -> str:
        """Under a zone's net reduction in the annex: its year, where it is not the assessment year's."""
        if z.get("net_reduction_pct") is not None and z.get("data_year") and z["data_year"] != self.s["year"]:
            return self.x("table.data_year", year=z["data_year"])
        return ""

    @property
    def grade_order(self) -> list[str]:
        order = self.s.get("grade_order") or []
        grades = [g for g in self.s["grades"] if self.s["grades"][g]]
        return [g for g in order if g in grades] + sorted(g for g in grades if g not in order)

    def grade_label(self, grade: str) -> str:
        if self.lang == "en":
            for z in self.s["zones"]:
                if z.get("grade") == grade and z.get("grade_en"):
                    return z["grade_en"]
        return grade

    @property
    def province_lines(self) -> list[dict]:
        out = []
        for p in self.s.get("provinces", []):
            own = [z for z in self.s["zones"] if z["province_code"] == p["province_code"]]
            if p["zones_total"] == 1 and len(own) == 1:  # a province of one zone names it ("共有示范区1个（建筑1个）")
                text = self.x("province.line_named", province=self.province(p["province_code"]),
                              name=self.zone_name(own[0]), type=self.zone_type(own[0]["zone_type"]))
            else:
                text = self.x("province.line", province=self.province(p["province_code"]), n=p["zones_total"],
                              types=self._types(p["by_type"]))
            score, red = p["score"], p["reduction"]
            if not p["zones_built"]:
                text += self.x("province.not_built")
            elif score and score["n"] == 1:
                text += self.x("province.score_one", score=self.num(score["mean"]))
            elif score:
                rng = self.x("overview.score_range", lo=self.num(score["min"]), hi=self.num(score["max"])) \
                    if self.num(score["min"]) != self.num(score["max"]) else ""
                text += self.x("province.score", mean=self.num(score["mean"]), range=rng)
            if red:
                key = "province.reduction_one" if red["n"] == 1 else "province.reduction"
                text += self.x(key, change=self.change(red["mean"]))
            if p["best"] and p["zones_built"] > 1:
                b = p["best"]
                text += self.x("province.best", name=self.zone_name(b), score=self.num(b["score"]),
                               change=self.change(b["net_reduction_pct"]))
            one = "_one" if p["zones_built"] == 1 else ""  # a province of one zone: "it", not "1 zone"
            if p["milestones_achieved"]:
                text += self.x("province.milestones" + one, n=p["milestones_achieved"])
            if p["focus"]:
                text += self.x("province.focus" + one, n=p["focus"])
            out.append({"name": self.province(p["province_code"]), "text": text + self.x("province.end"),
                        "background": p.get("background") if self.lang == "zh" else None})
        return out

    # -- findings ------------------------------------------------------------------------
    def finding_text(self, g: dict, kind: str) -> str:
        if g.get("other") and self.has("findings_other." + g["code"]):
            details = self.join(self.x("findings_other.detail", name=self.zone_name(d), targets=self.join(
                self.x("findings_other.target", year=k.get("target_year", ""), metric=self.metric(k)) for k in d["keys"]))
                for d in g["details"])
            key = ("findings_each." if g.get("alone") else "findings_other.") + g["code"]
            text = self.x(key, count=self.count(g["n"]), n=g["n"], details=details)
            if self.lang == "en":  # a sentence opens with a capital
                text = text[:1].upper() + text[1:]
            return text + self.x("end")
        code = g["code"]
        if self.single and g.get("own_text") and self.has("findings_own." + code):
            own = g["own_text"]  # one zone: what its own report says, not the group's hedge
            text = self.x("findings_own.sentence", count=self.count(1),
                          text=own[:1].lower() + own[1:] if self.lang == "en" else own)
            end = self.x("end")
            return text if text.endswith(end) else text + end
        key = code if self.has("findings." + code) else EXTRA_CODES[kind]
        if code == "_extra":
            key = "_extra"
        digits, unit = g["digits"], g["unit"]

        def fmt(v):
            return f"{fmt_number(v, digits)}{unit}"

        rng = g.get("range")
        values = {"count": self.count(g["n"]), "n": g["n"],
                  "range": self.range_text(rng["min"], rng["max"], fmt) if rng else "—",
                  "total": fmt_number(g["total"], digits) if g.get("total") is not None else g["n"],
                  "year": g["key"].get("target_year", ""), "metric": self.metric(g["key"]),
                  "min_pct": fmt_number(g["key"].get("min_pct"), 0), "data_year": g["key"].get("data_year", ""),
                  "gate": (g["key"].get("label_en") if self.lang == "en" else None) or g["key"].get("label", "")}
        text = self.x("findings." + key, **values)
        if self.lang == "en":  # a sentence opens with a capital ("all 16 zones lacked …")
            text = text[:1].upper() + text[1:]
        text += self.examples(g, kind, fmt)
        text += self.split(g)
        end = self.x("end")
        return text if text.endswith(end) else text + end  # a name may end with "Ltd."

    def examples(self, g: dict, kind: str, fmt) -> str:
        """All the zones when few, else the first few; with their figure where figures differ."""
        if self.lang == "en" and not self.national and self.s.get("zones_built") == 1:
            return ""  # one zone: "The zone met …", its name after every line says nothing more
        rng = g.get("range")
        spread = bool(rng and fmt(rng["min"]) != fmt(rng["max"]))
        named = [self.x("example_value", name=self.zone_name(e), value=fmt(e["value"]))
                 if spread and e["value"] is not None else self.zone_name(e) for e in g["examples"]]
        if g["n"] <= len(g["examples"]):
            return self.x("examples_all", names=self.join(named))
        key = "examples_top" if kind == "highlights" and spread else "examples_some"
        return self.x(key, names=self.join(named))

    def split(self, g: dict) -> str:
        """By province (national) or zone type (provincial), where some group holds several zones."""
        groups, field, label = (g["by_province"], "province_code", self.province) if self.national \
            else (g["by_type"], "zone_type", self.zone_type)
        if len(groups) < 2 or max(x["n"] for x in groups) < 2:
            return ""
        return self.x("split_province" if self.national else "split_type", items=self.join(
            self.x("split_item", label=label(x[field]), n=x["n"]) for x in groups))

    @property
    def highlights(self) -> list[str]:
        return [self.finding_text(g, "highlights") for g in self.s["highlights"]]

    @property
    def categories(self) -> list[str]:
        """The categories with a problem in at least one zone: no heading over a count of 0."""
        found = [c for c, g in self.s["problems_by_category"].items() if g["zones"]]
        return [c for c in found if c in PROBLEM_ORDER] + \
            [c for c in found if c not in PROBLEM_ORDER and self.has("categories." + c)]

    @property
    def problems_intro(self) -> str:
        """The lead of 三、存在的问题, naming the parts that follow (not "four" over three)."""
        aspects = [self.x("aspects." + c) for c in self.categories if self.has("aspects." + c)]
        numerals = self.t.get("synthesis.numerals") or []
        n = numerals[len(aspects)] if len(aspects) < len(numerals) else str(len(aspects))
        return self.x("problems.intro", aspects=self.join(aspects), n=n)

    def category(self, cat: str) -> dict:
        group = self.s["problems_by_category"][cat]
        count = self.x("problems.category_count", count=self.count(group["zones"])) if group["zones"] \
            else self.x("problems.category_none")
        return {"lead": self.x("problems.leads." + cat) if self.has("problems.leads." + cat) else "",
                "count": count, "zones": group["zones"],
                "lines": [self.finding_text(g, "problems") for g in group["findings"]]}

    # -- 重点关注 ---------------------------------------------------------------------------
    @property
    def focus_intro(self) -> str:
        f = self.s["focus"]
        if not f["zones"]:
            return self.x("focus.none")
        counts = self.x("focus.sep").join(self.x(f"focus.count.{k}", n=n) for k, n in f["counts"].items() if n)
        return self.x("focus.intro_lead", n=len(f["zones"])) + counts + self.x("end")

    def _gate_item(self, z: dict) -> str:
        """The gates a zone fails (a veto), and the outcome they decide."""
        g = z["gate"]
        en = self.lang == "en"
        gates = self.join(self.x("focus.gate_item", gate=(x.get("label_en") if en else None) or x["label"],
                                 value=f"{fmt_number(x['value'], 2)}{self._unit(x.get('unit'))}",
                                 sign=self.x(f"focus.sign.{x.get('comparison') or 'at_most'}"),
                                 threshold=f"{fmt_number(x['threshold'], 2)}{self._unit(x.get('unit'))}")
                          for x in g["gates"])
        outcome = (g.get("outcome_en") if en else None) or (None if en else g.get("outcome")) \
            or self.x("focus.gate_outcome")
        return self.x("focus.gate", gates=gates, outcome=outcome)

    def _unit(self, unit: str | None) -> str:
        if not unit:
            return ""
        return unit if self.lang == "zh" or unit == "%" else " " + self.t.labels("units").get(unit, unit)

    def focus_items(self, z: dict) -> str:
        items = []
        if z.get("gate"):
            items.append(self._gate_item(z))
        if z["rising"]:
            items.append(self.x("focus.rising", pct=self.pct(z["rising"]["increase_pct"])))
        for tg in z["targets"] or []:
            items.append(self.x("focus.target", year=tg["target_year"], metric=self.metric(tg),
                                status=self.status(tg["status"])))
        if z["suspended"]:
            sp = z["suspended"]
            if sp.get("measures"):
                items.append(self.x("focus.suspended", n=sp.get("count") or 1, measures=self.join(sp["measures"])))
            else:
                items.append(self.x("focus.suspended_count", n=sp.get("count") or 1))
        if z["provisional"]:
            items.append(self.x("focus.provisional", coverage=self.pct(z["provisional"]["coverage_pct"], 0)))
        return self.x("focus.sep").join(items)

    # -- tables ------------------------------------------------------------------------------
    def score_range(self, row: dict) -> str:
        sc = row["score"]
        if not sc or sc["n"] < 2:
            return "—"
        return self.range_text(sc["min"], sc["max"], self.num)

    def rank(self, z: dict) -> str:
        if z.get("reference_only"):  # its framework's document not known in force on the report's date (issue 30)
            return self.x("table.rank_reference_only")
        if z.get("rank_alone"):  # the only zone rated under its framework here: not ranked (issue 30)
            return self.x("table.rank_alone")
        if z.get("grade_provisional"):  # shown, not ranked among final grades (issue 29), as in its zone report
            return self.x("table.rank_provisional")
        if z["rank_overall"] is None:
            return "—"
        return self.x("table.rank_value", overall=z["rank_overall"], overall_of=z["rank_overall_of"],
                      within=z["rank_within_type"], within_of=z["rank_within_type_of"])

    def target_items(self, z: dict) -> list[str]:
        """The annex's target cell in pieces that break only after their separator ("已实现1项、")."""
        if not z["target_status"]:
            return [self.x("table.no_targets")]
        sep = self.x("list_sep")
        items = [self.x("table.target_item", status=self.status(k), n=v) for k, v in z["target_status"].items()]
        return [item + (sep if i < len(items) - 1 else "") for i, item in enumerate(items)]

    def target_cell(self, z: dict) -> str:
        if not z["target_status"]:
            return self.x("table.no_targets")
        return self.x("list_sep").join(self.x("table.target_item", status=self.status(k), n=v)
                                       for k, v in z["target_status"].items())

    def grade(self, z: dict) -> str:
        g = (z.get("grade_en") if self.lang == "en" else None) or z.get("grade") or "—"
        provisional = z.get("grade_provisional") and self.has_generic("summary.provisional")
        return g + (self.t("summary.provisional") if provisional else "")

    def grade_split(self, z: dict) -> tuple[str, str]:
        """A grade and its qualifier, for two lines of a narrow cell: "达标" and "（引导性指标部分达到）",
        "不合格" and "（暂定）" (the label broke anywhere: "达标（引 / 导性指标 / 部分达 / 到）")."""
        label = self.grade(z)
        at = label.find("（" if self.lang == "zh" else " (")
        return (label[:at], label[at:].strip()) if at > 0 else (label, "")

    def has_generic(self, key: str) -> bool:
        try:
            self.t.get(key)
        except KeyError:
            return False
        return True

    # -- changes ---------------------------------------------------------------------------
    @property
    def movers_line(self) -> str | None:
        m = self.s.get("movers")
        if not m:
            return None

        def items(rows):
            if not rows:
                return ""
            return self.x("changes.list", items=self.join(
                self.x("changes.item", name=self.zone_name(r), delta=f"{r.get('score_delta_shown', r['score_delta']):+.1f}")
                for r in rows))

        if self.single and m["compared"] == 1:  # one zone: its change, not a list of one
            top = (m["improved_top"] or m["declined_top"] or [{"score_delta": 0.0}])[0]
            delta = top.get("score_delta_shown", top["score_delta"])  # as its zone report says it
            key = "changes.zone_up" if m["improved"] else "changes.zone_down" if m["declined"] else "changes.zone_same"
            text = self.x(key, delta=f"{abs(delta):.1f}")
            causes = self.s.get("score_causes") or {}
            if causes.get("newly_reported"):
                text += self.x("changes.zone_new_data", new=f"{causes['newly_reported']:+.1f}")
            if m["resolved_zones"]:
                text += self.x("changes.zone_resolved", problems=m["resolved_problems"])
            return text + self.x("end")
        key = "changes.line" if m["improved"] and m["declined"] else \
            "changes.line_up" if m["improved"] else "changes.line_down" if m["declined"] else "changes.line_same"
        text = self.x(key, compared=m["compared"], improved=m["improved"], up=items(m["improved_top"]),
                      declined=m["declined"], down=items(m["declined_top"]))  # no "下降的0个"
        same = m["compared"] - m["improved"] - m["declined"]
        if same and (m["improved"] or m["declined"]):  # every comparable zone counted
            text += self.x("changes.unchanged", n=same)
        if m["resolved_zones"]:
            text += self.x("changes.resolved", zones=m["resolved_zones"], problems=m["resolved_problems"])
        return text + self.x("end")

    # -- 四、政策建议 ---------------------------------------------------------------------------
    @property
    def rec_categories(self) -> list[str]:
        """The recommendation parts with an item: no heading over nothing."""
        return [c for c in ("guidance", "supporting_policy", "pilot", "international")
                if self.s["recommendations"].get(c)]

    @property
    def recommendations_intro(self) -> str:
        """A provincial summary names both its addressees where some item asks the government
        (coordination, funding: what a development and reform commission cannot do alone)."""
        if self.national:
            return self.x("recommendations.intro_national")
        asks = {item["code"] for items in self.s["recommendations"].values() for item in items}
        key = "intro_province_government" if asks & GOVERNMENT_ITEMS else "intro_province"
        return self.x("recommendations." + key, province=self.place)

    def rec_actions(self, item: dict) -> str:
        """The parts of an item's action that its grounds call for (recommendations.parts.<code>:
        by ground, or by the mechanism the finding names), in the catalogue's order: no
        "补齐尚无措施领域" where no zone lacks measures in a domain, no verification where only
        accounting is lacking."""
        key = "recommendations.parts." + item["code"]
        if not self.has(key):
            return ""
        held = {g["code"] for g in item["grounds"]} | {m for g in item["grounds"] for m in g.get("items") or {}}
        parts = [self.x(f"{key}.{k}") for k in self.t.get("synthesis." + key) if k in held]
        return self.x("recommendations.parts_sep." + item["code"]).join(parts)

    def recommendations(self, cat: str) -> list[str]:
        level = "national" if self.national else "province"
        out = []
        for item in self.s["recommendations"].get(cat, []):
            grounds = self.join(self.x("recommendations.grounds." + g["code"], n=g["n"], **{"with": g.get("with", 0)},
                                       unreported=g.get("unreported", 0))
                                for g in item["grounds"] if self.has("recommendations.grounds." + g["code"]))
            action = self.x(f"recommendations.{level}.{item['code']}", province=self.place,
                            level=self.x("level." + self.tier), whole=self.x("whole." + self.tier),
                            actions=self.rec_actions(item))
            text = self.x("recommendations.item", grounds=grounds, action=action)
            out.append(text[:1].upper() + text[1:] if self.lang == "en" else text)
        return out
