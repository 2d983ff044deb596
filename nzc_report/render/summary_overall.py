"""总体评价 of a provincial or national summary (issue 29): half a page before 一、重要意义 that
a leader reads first: the grades and the mean score, the net reduction under both of its
definitions (the mean of the zones' own reductions and the zones' emissions summed), the three
problems that concern the most zones, and the year's change split by cause. Every sentence is a
catalogue entry (templates/messages/<lang>.yaml, ``synthesis.overall``)."""
from __future__ import annotations

from typing import Any

from nzc_report.render.environment import parts_that_add


class SummaryOverall:
    """Mixed into SummaryView, whose words (x, num, pct, change, count, join …) it uses."""

    s: dict
    national: bool
    x: Any
    num: Any
    change: Any
    join: Any
    has: Any
    grade_order: Any
    grade_label: Any
    share: Any
    lang: str
    zone_name: Any

    @property
    def overall_grades(self) -> str:
        s, score = self.s, self.s["overall"]["score"]
        if not score:
            return self.x("overall.none")
        if s["zones_built"] == 1:
            z = s["zones"][0]
            return self.x("overall.grades_one", name=self.zone_name(z), score=self.num(z["score"]),
                          grade=self.grade_label(z["grade"])
                          + (self.x("overall.provisional_mark") if z.get("grade_provisional") else "")) + (
                self.x("overall.reference_only") if z.get("reference_only") else "") + self.x("end")
        items = self.join(self.x("overview.grade_item", grade=self.grade_label(g), n=s["grades"][g])
                          for g in self.grade_order)
        frameworks = s.get("by_framework") or []
        if len(frameworks) > 1:  # one sentence per framework: grades and scores never pooled (issue 30)
            text = self.framework_grades(frameworks)
        else:
            text = self.x("overall.grades", n=score["n"], mean=self.num(score["mean"]), items=items)
            if s["provisional"]:
                text += self.x("overall.provisional", n=s["provisional"])
            if any(f.get("reference_only") for f in frameworks):
                text += self.x("overall.reference_only")
        tg = s["targets"]
        if tg["assessable"]:
            text += self.x("overall.targets", assessable=tg["assessable"], share=self.share(tg["on_track_share"]))
        return text + self.x("end")

    def framework_title(self, f: dict) -> str:
        return (f.get("title_en") if self.lang == "en" else None) or f.get("title") or ""

    def framework_grades(self, frameworks: list[dict]) -> str:
        """Per framework: its zones' mean score and grade counts (the principal framework's first);
        a framework with one zone names it, neither averaged nor ranked."""
        parts = []
        for f in frameworks:
            items = self.join(self.x("overview.grade_item", grade=self.framework_grade(g), n=g["n"])
                              for g in f["grades"])
            if f["single"]:
                z = f["zones"][0]
                parts.append(self.x("overall.framework_one", title=self.framework_title(f), name=self.zone_name(z),
                                    grade=self.framework_grade(z)))
            elif f["score"] and f["score"]["n"] > 1:
                parts.append(self.x("overall.framework_grades", title=self.framework_title(f), n=f["count"],
                                    mean=self.num(f["score"]["mean"]), items=items))
            else:
                parts.append(self.x("overall.framework_unscored", title=self.framework_title(f), n=f["count"],
                                    items=items))
            if f["provisional"]:
                parts[-1] += self.x("overall.provisional", n=f["provisional"])
            if f.get("reference_only"):  # its document not known in force on the report's date (issue 30)
                parts[-1] += self.x("overall.reference_only")
        text = self.x("overall.framework_sep").join(parts) + self.x("overall.framework_apart")
        return text[:1].upper() + text[1:] if self.lang == "en" else text  # it opens a sentence

    def framework_grade(self, g: dict) -> str:
        """A grade or outcome label of a framework, in English where the framework gives it."""
        return (g.get("grade_en") if self.lang == "en" else None) or self.grade_label(g["grade"])

    @property
    def overall_reduction(self) -> str | None:
        """Both definitions, each named: the mean of the zones' reductions (as in 二、进展情况)
        and the zones' net emissions summed against their baselines summed (as on the portal)."""
        red, pooled = self.s["overall"]["reduction"], self.s.get("reduction_pooled")
        if not red:
            return None
        if red["n"] == 1:
            return self.x("overall.reduction_one", change=self.change(red["mean"])) + self.x("end")
        text = self.x("overall.reduction", change=self.change(red["mean"]))
        if pooled is not None:
            text += self.x("overall.reduction_pooled", change=self.change(pooled))
        return text + self.x("end")

    @property
    def overall_problems(self) -> list[str]:
        """The three problems found in the most zones (ties: the order of 三、存在的问题)."""
        groups = sorted(enumerate(self.s.get("problems") or []), key=lambda ig: (-ig[1]["n"], ig[0]))
        out: list[str] = []
        seen: set[str] = set()
        for _, g in groups:
            code = g.get("rule_id") or g.get("code")
            key = f"recommendations.grounds.{code}"
            if code in seen or not self.has(key):
                continue
            seen.add(code)
            text = self.x(key, n=g["n"], **{"with": g.get("with", 0)}, unreported=g.get("unreported", 0))
            out.append(text[:1].upper() + text[1:] if self.lang == "en" else text)
            if len(out) == 3:
                break
        return out

    @property
    def overall_change(self) -> str:
        """The year's change: zones compared, and the score change split by cause (cli.md v3),
        so that newly filed data is not read as progress."""
        m, causes = self.s.get("movers"), self.s.get("score_causes")
        if not m:
            return self.x("overall.change_none")
        if self.s["zones_built"] == 1:
            text = self.x("overall.change_one")
        else:
            parts = [self.x(f"overall.change_{k}", n=m[k]) for k in ("improved", "declined") if m[k]]  # no "0 lower"
            same = m["compared"] - m["improved"] - m["declined"]
            if parts and same:  # the zones neither higher nor lower are counted too ("16可比：14、1" left one out)
                parts.append(self.x("overall.change_unchanged", n=same))
            text = self.x("overall.change", compared=m["compared"], parts=self.join(parts) if parts else
                          self.x("overall.change_same"))
        if causes:
            # the parts shown add up to the change shown
            causes = {**causes, **parts_that_add(causes["delta"], {k: causes.get(k) or 0.0 for k in (
                "newly_reported", "values", "framework")})}
            framework = causes.get("framework") or 0.0  # a part of 0 is left out ("指标体系变化+0.0分")
            text += self.x("overall.change_causes", **{k: _signed(causes[v]) for k, v in (
                ("delta", "delta"), ("new", "newly_reported"), ("values", "values"))},
                framework=self.x("overall.change_framework", framework=_signed(framework))
                if round(framework, 1) else "")
        return text + self.x("end")


def _signed(x: float) -> str:
    """+1.5 / -0.3 / +0.0 (never -0.0)."""
    return f"{(round(x, 1) or 0.0):+.1f}"
