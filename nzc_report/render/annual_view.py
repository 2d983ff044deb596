"""What a zone report says of the year before: 年度变化, 上年度问题整改情况, 数据修订,
and the evaluating team's own opinion (评估组意见).

Reads the `previous`, `changes` and `revisions` blocks of results.json
(nzc_report/findings/annual.py) and the zone's params; every sentence is the
catalogue's (annual.*, followup.*, evaluator.*).
"""
from __future__ import annotations

from dataclasses import dataclass

from nzc_report.findings.annual import shares_fact, subject_of
from nzc_report.render.environment import fmt_number, fmt_pct, fmt_value, parts_that_add
from nzc_report.render.messages import Messages
from nzc_report.render.narrative import Words
from nzc_report.summary.statistics import shown_score_change
from nzc_report.results_model import ChangeHow, Finding, ProblemChange, ZoneResults


@dataclass(frozen=True)
class TargetChange:
    label: str
    before: str | None  # status code, None where the target is new
    after: str


@dataclass(frozen=True)
class FollowUp:
    """One subject's problem last year and this year (problem_changes): its words then and now,
    how it moved (已整改 / 部分整改 / 未整改 / 新增 / 因补报数据消除), and its rectification plan."""
    category_label: str
    before: str
    fixed: bool
    now: str | None
    how: str = "unchanged"
    state: str = ""
    measure: str = ""
    owner: str = ""
    due: str = ""
    # the year of a missed target whose year had passed by both assessments: no longer to be
    # rectified, said as 目标年已过，未实现 (``how`` stays the contract's unchanged / worsened)
    past_year: int | None = None


class AnnualView:
    def __init__(self, results: ZoneResults, t: Messages, metric_name):
        self.m = results
        self.t = t
        self.metric_name = metric_name  # target → its name in the report's words
        # the previous year's block stays a dict: a published build's of an earlier contract (v2) is read too
        self.previous = results.previous
        self.changes = results.changes

    @property
    def prev_year(self) -> int:
        return int(self.m.year) - 1

    def _delta(self, d: float | None) -> str:
        if d is None or abs(d) < 0.05:
            return self.t("annual.delta_same")
        return self.t("annual.delta_up" if d > 0 else "annual.delta_down", n=fmt_number(abs(d), 1))

    def _grade(self, grade: str | None) -> str:
        """A grade in the report's language (the framework's grade_en in English)."""
        if not grade:
            return "—"
        if self.t.lang != "en":
            return grade
        bands = {b.get("grade"): b.get("grade_en") for b in self.m.framework.get("grade_bands") or []}
        # an outcome a gate or eligibility decided (未达标): this year's own label, else the catalogue's
        o = self.m.outcome
        label_en = (o.extra or {}).get("label_en") if o is not None else None
        if o is not None and o.label and label_en:
            bands.setdefault(o.label, label_en)
        zh, en = Messages("zh").get("programme.status"), self.t.get("programme.status")
        bands.update({v: en[k][:1].upper() + en[k][1:] for k, v in zh.items() if k in en and v not in bands})
        found = bands.get(grade)
        if found:
            return found
        # never a Chinese grade in an English sentence: a label no catalogue knows is said as unnamed
        return self.t("annual.grade_unnamed") if any("\u4e00" <= c <= "\u9fff" for c in grade) else grade

    def _reduction(self, pct) -> str:
        return "—" if pct is None else fmt_pct(pct, 1)

    @property
    def shown_delta(self) -> float | None:
        """The score's change as the report shows it: the difference of the two scores as printed
        (results.json keeps the exact change, score_delta)."""
        return shown_score_change(self.m)

    @property
    def paragraphs(self) -> list[str]:
        """年度变化: score and grade, emissions, where the previous year comes from."""
        t, p, ch = self.t, self.previous, self.changes
        if p is None or ch is None:
            return [t("annual.none", prev=self.prev_year)]
        out = []
        source = self.m.previous_source or "recomputed"
        out.append(t(f"annual.source_{source}", prev=self.prev_year))
        by_cause = self.by_cause
        before, after = p.get("score"), self.m.score
        if before is None or after is None:
            out.append(t("annual.score_missing"))
        else:
            same = ch.grade_before == ch.grade_after
            out.append(t("annual.score_same_grade" if same else "annual.score", prev=self.prev_year,
                         year=self.m.year, before=fmt_number(before, 1), after=fmt_number(after, 1),
                         delta=self._delta(self.shown_delta), grade_before=self._grade(ch.grade_before),
                         grade_after=self._grade(ch.grade_after)) + by_cause)
        e0, e1 = p.get("emissions") or {}, self.m.emissions
        net1 = e1.net_tco2e if e1 is not None else None
        y0, y1 = int(p.get("data_year") or self.prev_year), int(self.m.data_year or self.m.year)
        if y1 <= y0:  # no emissions for the assessment year: nothing new to compare
            out.append(t("annual.emissions_missing", year=self.m.year, data_year=y1))
        elif e0.get("net_tco2e") is not None and net1 is not None:
            d = net1 - e0["net_tco2e"]
            if abs(d) < 0.5:
                change = t("annual.net_same")
            else:
                pct = None if not e0["net_tco2e"] else abs(d) / abs(e0["net_tco2e"]) * 100
                change = t("annual.net_down" if d < 0 else "annual.net_up", size=fmt_number(abs(d)))
                if pct is not None:
                    change += t("annual.net_pct", pct=fmt_pct(pct, 1))
            out.append(t("annual.emissions", prev=y0, year=y1,
                         before=fmt_number(e0["net_tco2e"]), after=fmt_number(net1), change=change,
                         red_before=self._reduction(e0.get("net_reduction_pct")),
                         red_after=self._reduction(e1.net_reduction_pct if e1 is not None else None)))
        return out

    @property
    def newly_reported(self) -> list[str]:
        """Names of the indicators reported this year that the previous year did not report."""
        before = {i["id"]: i for i in (self.previous or {}).get("indicators") or []}
        name = "name_en" if self.t.lang == "en" else "name_zh"
        out = []
        for i in self.m.indicators:
            old = before.get(i.id)
            if i.applies and i.reported and (i.weight or 0) > 0 and old is not None and old.get("value") is None:
                out.append(getattr(i, name) or i.id)
        return out

    @property
    def refreshed(self) -> list[str]:
        """Names (with the old value's year) of the indicators whose value the previous year found too
        old and that this year reports from a newer year: filed data, counted as newly reported."""
        if not self.changes:
            return []
        gone = {x for pc in self.changes.problem_changes or [] if pc.how == "data_filed"
                and pc.subject.startswith("data:") for x in pc.subject.partition(":")[2].split("+")}
        before = {i["id"]: i for i in (self.previous or {}).get("indicators") or []}
        name = "name_en" if self.t.lang == "en" else "name_zh"
        out = []
        for i in self.m.indicators:
            old = before.get(i.id) or {}
            if i.id in gone and i.reported and i.year is not None and old.get("year") is not None \
                    and i.year > int(old["year"]) and (i.weight or 0) > 0:
                out.append(self.t("annual.refreshed_name", name=getattr(i, name) or i.id, year=old["year"]))
        return out

    @property
    def by_cause(self) -> str:
        """How much of the score change is newly filed data, changed values, a changed framework."""
        if self.changes is None:
            return ""
        c, delta = self.changes.score_change_by_cause, self.shown_delta
        if not c or delta is None or abs(delta) < 0.05:
            return ""
        names, refreshed = self.newly_reported, self.refreshed
        # "A, B and C" in English
        items = (self.t("annual.by_cause_items", n=len(names), names=Words({}, self.t.lang).join(names)) if names else "")
        if refreshed:
            # each name carries its own "，原为2020年数据": the items are set apart by the major separator
            # (zj-yucun read "绿化覆盖率，原为2020年数据、绿色建筑占比，原为2020年数据")
            items += self.t("annual.by_cause_refreshed", n=len(refreshed),
                            names=self.t("list_sep_major").join(refreshed))
        # shown parts add up to the change shown (7.6, not "+3.1 … +4.6")
        shown = parts_that_add(delta, {k: c.get(k) or 0.0 for k in ("newly_reported", "values", "framework")})
        text = self.t("annual.by_cause", newly=signed(shown["newly_reported"]), values=signed(shown["values"]),
                      items=items)
        if abs(shown["framework"]) >= 0.05:
            text += self.t("annual.by_cause_framework", framework=signed(shown["framework"]))
        text += self.t("annual.end")
        if delta > 0 and c["newly_reported"] >= delta / 2:
            text += self.t("annual.mostly_new_data")
        return text

    @property
    def targets(self) -> list[TargetChange]:
        if not self.changes:
            return []
        by_key = {(x.metric, int(x.target_year)): x for x in self.m.targets}
        rows = []
        for c in self.changes.targets:
            target = by_key.get((c["metric"], int(c["target_year"])))
            label = self.metric_name(target) if target else c["metric"]
            rows.append(TargetChange(self.t("annual.target_label", year=c["target_year"], metric=label),
                                     c["status_before"], c["status_after"]))
        return rows

    @property
    def movers(self) -> list[str]:
        if not self.changes:
            return []
        name = "name_en" if self.t.lang == "en" else "name_zh"
        out = []
        for m in self.changes.indicator_movers:
            unit = m.get("unit") or ""
            years = (m.get("year_before"), m.get("year_after"))
            key = "annual.mover" if years in ((self.prev_year, self.m.year), (None, None)) else "annual.mover_years"
            if m.get("data_refreshed"):  # a too-old value replaced by newer data: filed data, not a change
                key = "annual.mover_refreshed"
            # at the appendix's precision (0.729 → 0.441, not "0.7 → 0.4"), unless both values would then
            # read the same: then as many decimals as tell them apart
            v0, v1 = m.get("value_before"), m.get("value_after")
            digits = None if v0 is None or v1 is None or fmt_value(v0) != fmt_value(v1) else next(
                (d for d in (1, 2, 3, 4) if fmt_number(v0, d) != fmt_number(v1, d)), 4)
            out.append(self.t(key, name=m.get(name) or m["id"],
                              before=self._with_unit(v0, unit, digits), after=self._with_unit(v1, unit, digits),
                              delta=self._delta(m.get("score_delta")),
                              year_before=years[0], year_after=years[1]))
        return out

    def _with_unit(self, x: float | None, unit: str, digits: int | None = 1) -> str:
        """``x`` with its unit, at ``digits`` decimals (None: the appendix's precision, fmt_value)."""
        if x is None:
            return "—"
        text = fmt_value(x) if digits is None else fmt_number(x, digits)
        if self.t.lang == "en" and unit and unit != "%":  # units in English (the catalogue's units)
            return f"{text} {self.t.labels('units').get(unit, unit)}"
        return f"{text}{unit}"

    @property
    def revisions(self) -> list[str]:
        labels = self.t.labels("annual.labels")
        out = []
        for rv in self.m.revisions:
            out.append(self.t("annual.revision", label=labels.get(rv["label"], rv["label"]),
                              published=_value(rv.get("published")), recomputed=_value(rv.get("recomputed"))))
        return out

    # -- 上年度问题整改情况 ----------------------------------------------------------
    @property
    def has_followup(self) -> bool:
        return bool(self.previous) and self.changes is not None

    @property
    def followup(self) -> list[FollowUp]:
        """上年度问题整改情况: by subject (problem_changes), with the zone's rectification plan."""
        if not self.has_followup:
            return []
        pcat = self.t.labels("problem_categories")
        assert self.previous is not None  # has_followup
        plans = {x["subject"]: x for x in self.m.params.get("rectification") or []}
        then = {_claim(p): p for p in self.previous.get("problems") or []}
        now = {p.claim.subject if p.claim else None: p for p in self.m.problems if p.rule_id}
        changes = self.changes.problem_changes if self.changes is not None else None
        if changes is None:  # a published build of before v3: by rule id, as it was
            return self._followup_by_rule(pcat)
        rows = []
        for c in changes:
            b = next((p for p in (self.previous.get("problems") or []) if p.get("rule_id") == c.before
                      and _shares(_claim(p) or "", c.subject)), None) if c.before else None
            a: Finding | None = now.get(c.subject) if c.after else None
            if b is None and c.before:
                b = then.get(c.subject)
            plan: dict = next((x for s, x in plans.items() if _shares(s, c.subject)), {})
            category = str((b.get("category") if b else a.category if a else None) or "")
            past = self._past_target_year(c, b, a)
            rows.append(FollowUp(pcat.get(category, category),
                                 (b or {}).get("text") or "", c.how in (ChangeHow.RESOLVED, ChangeHow.DATA_FILED),
                                 # this year's words where they differ from last year's (or the problem is new)
                                 a.text if a and a.text != (b or {}).get("text") else None,
                                 c.how.value,
                                 self.t("followup.how_past", year=past) if past else self._how(c, a),
                                 self._own(plan, "measure"), self._own(plan, "owner"), str(plan.get("due") or ""),
                                 past))
        return rows

    def _past_target_year(self, change: ProblemChange, before: dict | None, now: Finding | None) -> int | None:
        """The target year of a problem that stayed (unchanged or worsened) on a target whose year is
        gone: this year's problem is a missed target of a year before the assessment year, and last
        year's problem on the subject was that target, missed (the previous year's targets say so).
        It can no longer be rectified; the recommendations point at the next target."""
        if change.how not in (ChangeHow.UNCHANGED, ChangeHow.WORSENED) or before is None or now is None:
            return None
        f = now.figures
        year = f.get("target_year")
        if f.get("status") != "missed" or not isinstance(year, int) or year >= int(self.m.year):
            return None
        if (before.get("figures") or {}).get("status") != "missed":
            return None
        same = any(t.get("metric") == f.get("metric") and t.get("target_year") == year and t.get("status") == "missed"
                   for t in (self.previous or {}).get("targets") or [])
        return year if same else None

    def _own(self, plan: dict, key: str) -> str:
        """The plan's words in the report's language: ``measure_en`` in English where given."""
        return str((plan.get(f"{key}_en") if self.t.lang == "en" else None) or plan.get(key) or "")

    def _how(self, change: ProblemChange, now: Finding | None = None) -> str:
        """已整改 / 部分整改 …; a data gap's words are those of data (部分补报, 仍缺数据); a new problem
        on what the previous year did not report is one the newly filed data shows, not a setback."""
        if change.subject.startswith("data:") and change.how in self.t.get("followup.how_data"):
            return self.t(f"followup.how_data.{change.how.value}")
        if change.how == ChangeHow.NEW and now is not None and self._first_filed(now):
            return self.t("followup.how_first_filed")
        return self.t(f"followup.how.{change.how.value}")

    def _first_filed(self, finding: Finding) -> bool:
        """Every indicator the finding rests on was applicable and unreported the previous year."""
        ids = [it.get("indicator") for it in finding.figures.get("items") or []
               if isinstance(it, dict) and it.get("indicator")]
        before = {i.get("id"): i for i in (self.previous or {}).get("indicators") or []}
        return bool(ids) and all(i in before and before[i].get("value") is None for i in ids)

    def _followup_by_rule(self, pcat: dict) -> list[FollowUp]:
        now: dict[tuple, Finding] = {}
        for p in self.m.problems:
            if p.rule_id:
                now.setdefault((p.rule_id, _subject(subject_of({"evidence": p.evidence}))), p)
        rows = []
        assert self.previous is not None
        for prev in self.previous.get("problems") or []:
            current = now.get((prev["rule_id"], _subject(prev.get("subject"))))
            how = "resolved" if current is None else "unchanged"
            rows.append(FollowUp(pcat.get(prev["category"], prev["category"]), prev.get("text") or "",
                                 current is None, current.text if current else None, how,
                                 self.t(f"followup.how.{how}")))
        return rows

    @property
    def has_plans(self) -> bool:
        return any(f.measure or f.owner or f.due for f in self.followup)

    @property
    def followup_intro(self) -> str:
        rows = self.followup
        if not rows:
            new_codes = self.changes.problems_new if self.changes is not None else []
            return self.t("followup.none_last_year", prev=self.prev_year, new=len(new_codes))
        # counted under the words the table shows (部分整改 apart from 部分补报), and no part of 0
        old_rows = [f for f in rows if f.how != "new"]
        new = [f for f in rows if f.how == "new"]
        if not old_rows:
            return self.t("followup.none_last_year", prev=self.prev_year, new=len(new))
        labels: dict[str, int] = {}
        for how in ("resolved", "data_filed", "improved", "unchanged", "worsened"):
            for f in old_rows:
                if f.how == how:
                    # a past year's missed target counted apart, in words without its year
                    label = self.t("followup.how_past_count") if f.past_year else f.state
                    labels[label] = labels.get(label, 0) + 1
        parts = self.t("list_sep").join(self.t("followup.part", label=k, k=n) for k, n in labels.items())
        filed = sum(1 for f in new if f.state == self.t("followup.how_first_filed"))
        news = ("" if not new else self.t("followup.new_filed", new=len(new), filed=filed) if filed
                else self.t("followup.new", new=len(new)))
        return self.t("followup.intro_parts", prev=self.prev_year, n=len(old_rows), parts=parts, new=news)


def _claim(p: dict) -> str | None:
    return (p.get("claim") or {}).get("subject")


_shares = shares_fact


def signed(x: float) -> str:
    return "0.0" if abs(x) < 0.05 else f"{x:+.1f}"


def _subject(subject) -> tuple | None:
    return tuple(subject) if subject else None


def _value(x) -> str:
    if x is None:
        return "—"
    return fmt_number(x, 1) if abs(x) < 1000 else fmt_number(x)
