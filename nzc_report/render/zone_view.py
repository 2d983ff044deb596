"""What the zone report shows, worked out from results.json in the report's language.

The template only lays it out. Keys results.json may not carry yet (score,
indicators, activity) degrade to "未评分"/"—", never to an error.
"""
from __future__ import annotations

import platform
import re
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib import metadata

from nzc_report.charts.emissions import emission_milestones
from nzc_report.dataset.provinces import PROVINCE_PINYIN
from nzc_report.render.annual_view import AnnualView, signed as _signed
from nzc_report.render.environment import parts_that_add
from nzc_report.render.messages import Messages
from nzc_report.render.narrative import Words, format_date
from nzc_report.render.programme import ProgrammeView
from nzc_report.render.outline import Heading, Outlined
from nzc_report.render.significance import zone_significance
from nzc_report.resources import current_project
from nzc_report.results_model import Indicator, Target, TargetStatus, ZoneResults
from nzc_report.yamlfile import read_checked

STATUS_ORDER = ["achieved", "on_track", "at_risk", "off_track", "missed", "no_data"]
PROBLEM_ORDER = ["concept", "evaluation", "policy", "progress"]
RECOMMENDATION_ORDER = ["guidance", "supporting_policy", "pilot", "international"]
SUMMARY_PROBLEM_ORDER = ["progress", "concept", "evaluation", "policy"]
RENDER_PACKAGES = ["weasyprint", "pydyf", "jinja2"]
KERNEL_PACKAGES = ["pandas", "matplotlib", "seaborn", "papermill"]


def key_findings(findings: list[dict], kind: str) -> list[dict]:
    """The findings the report's summary page states (and the portal, the same): the first
    highlights; problems of progress (targets slipping) first."""
    n = report_defaults()["summary"][kind]
    if kind == "highlights":
        return findings[:n]
    first = SUMMARY_PROBLEM_ORDER
    return sorted(findings, key=lambda p: first.index(p["category"]) if p.get("category") in first
                  else len(first))[:n]


def report_defaults() -> dict:
    return _report_defaults(current_project().params_file("report.yaml"))


@cache
def _report_defaults(path) -> dict:
    return read_checked(path, "report")  # schemas/report.schema.json


def finding_text(f: dict, lang: str) -> str:
    """Rules write Chinese; an English text is used where the rule provides one."""
    return (f.get("text_en") if lang == "en" else None) or f["text"]


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def _versions(results: dict, schema_label: str = "results schema") -> list[tuple[str, str]]:
    gen = results.get("generator") or {}
    rows = [(gen.get("name", "nzc-report"), str(gen.get("version", "—")))]
    if gen.get("results_schema") is not None:  # in words, not a file name
        rows.append((schema_label, str(gen["results_schema"])))
    packages = gen.get("packages") or {}
    for name in KERNEL_PACKAGES + RENDER_PACKAGES:
        version = packages.get(name)
        if version is None:
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        rows.append((name, version))
    rows.append(("python", gen.get("python") or platform.python_version()))
    return rows


def _figure(value) -> str:
    if isinstance(value, float):
        return f"{value:z,.2f}" if abs(value) < 100 else f"{value:z,.0f}"
    return str(value)


def row_ranges(rows, dash: str = "—") -> list[str]:
    """582, 583, 584, 585, 590 → ['582—585', '590'] (English: ``dash`` "–", a range's en dash)."""
    out, rows = [], sorted(rows)
    start = prev = None
    for r in rows + [None]:
        if r is not None and prev is not None and r == prev + 1:
            prev = r
            continue
        if start is not None:
            out.append(str(start) if start == prev else f"{start}{dash}{prev}")
        start = prev = r
    return out


def cite(sources, t: Messages) -> str:
    """Data rows in plain words: 排放数据表第582—585行 (a workbook sheet, or the CSV file)."""
    tables = t.labels("tables")
    cited = []
    for src in sources or []:
        file = str(src.get("file") or "")
        name = file.split("[")[-1].rstrip("]") if "[" in file else file.rsplit(".", 1)[0]
        label = tables.get(name, file)
        rows = row_ranges(src.get("rows") or [], t("appendix.row_range_dash"))
        shown = t("list_sep").join(rows[:6]) + ("…" if len(rows) > 6 else "")
        # n: how many rows, for "row 205" / "rows 205, 207"
        cited.append(t("appendix.rows", file=label, rows=shown, n=len(set(src.get("rows") or []))) if rows else label)
    return t("list_sep_major").join(cited)


def _evidence(evidence: dict | None, t: Messages) -> tuple[str, str]:
    """The figures a finding rests on (key = value) and the data rows it cites."""
    evidence = evidence or {}
    figures = evidence.get("figures", evidence)
    parts = [f"{k} = {_figure(v)}" for k, v in figures.items()
             if v is not None and not isinstance(v, (dict, list)) and not k.endswith("_text")  # words for the finding
             and k not in ("source", "sources", "metric_label", "note")]
    cited = cite(evidence.get("sources"), t)
    if not cited and isinstance(evidence.get("source"), str):
        cited = evidence["source"]
    return "; ".join(parts), cited


@dataclass(frozen=True)
class PeerRank:
    """A zone's place among the zones of its type in a build (ranking.json: within_type,
    within_type_of); ``tied`` when another zone of the type shares the place. Worked out from
    ranks alone, so a report depends on its own place, not on the other zones' scores.
    A zone with a final grade is placed among the final grades only (issue 29): the peers that
    ranking.json marks provisional are taken out of its place and its count, and ``provisional``
    says how many they are."""

    within_type: int | None  # None: not scored, so not ranked
    within_type_of: int
    tied: bool = False
    provisional: int = 0  # peers of its type whose grade is provisional: not ranked among final grades
    # the zones of its type and framework less those scored but decided by a gate or eligibility
    # (not ranked by their score): None where there are none (issue 30)
    ranked_of: int | None = None
    # zones of its type assessed under other frameworks (not ranked against it): None where none
    elsewhere: int | None = None

    @classmethod
    def of(cls, ranking: dict, zone_id: str) -> PeerRank | None:
        """From ranking.json's object (``{"zones": {...}}``); None for a zone it does not list."""
        zones = ranking.get("zones") or {}
        entry = zones.get(zone_id)
        if entry is None:
            return None
        place = entry.get("within_type")
        same = [e for z, e in zones.items() if z != zone_id and e.get("zone_type") == entry.get("zone_type")
                and e.get("framework") == entry.get("framework")]
        of = int(entry["within_type_of"])
        if entry.get("provisional"):  # its own report says it is not ranked among final grades
            return cls(place, of, place is not None and any(e.get("within_type") == place for e in same))
        # peers ranked with a provisional grade: left out of its place and its count
        provisional = [e for e in same if e.get("provisional") and e.get("within_type") is not None]
        tied = place is not None and any(e.get("within_type") == place for e in same if not e.get("provisional"))
        if place is not None:
            place -= sum(1 for e in provisional if e["within_type"] < place)
        of -= len(provisional)
        # not ranked although scored: decided by a gate or eligibility (an unscored one still counts, as before)
        decided = sum(1 for e in [entry, *same] if e.get("within_type") is None and e.get("score") is not None)
        ranked = of - decided
        elsewhere = sum(1 for e in zones.values() if e.get("zone_type") == entry.get("zone_type")
                        and e.get("framework") != entry.get("framework"))
        return cls(place, of, tied, len(provisional), ranked if ranked != of else None, elsewhere or None)

    def as_param(self) -> dict:
        """The task parameter and report-key part: ``provisional`` only where a peer is provisional,
        ``ranked_of`` and ``elsewhere`` only where set, so that a build without them keeps the keys it had."""
        return {k: v for k, v in asdict(self).items()
                if not (k == "provisional" and not v) and not (k in ("ranked_of", "elsewhere") and v is None)}


class ZoneView(Outlined):
    def __init__(self, results: ZoneResults | dict, lang: str, figures: dict[str, str], pdf_variant: str | None = None,
                 rank: PeerRank | None = None):
        # decided on: the typed model; handed to the templates and the sentence code: the results as written
        self.m = results if isinstance(results, ZoneResults) else ZoneResults.from_dict(results)
        self.r = results.to_dict() if isinstance(results, ZoneResults) else results
        self.lang = lang
        self.t = Messages(lang)
        self.figure_uris = figures
        self.pdf_variant = pdf_variant
        self.rank = rank
        self.annual = AnnualView(self.m, self.t, self.metric_name)

    # -- names and facts -------------------------------------------------
    @property
    def name(self) -> str:
        return self.m.name

    @property
    def name_en(self) -> str | None:
        return self.m.name_en

    @property
    def display_name(self) -> str:
        """The zone's name in the report's language: an English report calls the zone by the English
        name the data gives (zones.name_en), else by its name as written."""
        if self.lang == "en" and self.name_en:
            return self.name_en
        return self.name

    @property
    def original_name(self) -> str | None:
        """The name as written, where the report calls the zone by another (said on the cover and in
        the facts table, so the zone can be found in the data and the Chinese report)."""
        return self.name if self.display_name != self.name else None

    @property
    def facts_name(self) -> str:
        return f"{self.display_name} ({self.original_name})" if self.original_name else self.display_name

    @property
    def names_note(self) -> str:
        """Which names stay as written, said once (empty in Chinese)."""
        return self.t("facts.names_note_named" if self.original_name else "facts.names_note")

    @property
    def province(self) -> str:
        if self.lang == "en":
            fallback = "—" if "province_name" in self.m.absent else self.m.province_name
            return PROVINCE_PINYIN.get(self.m.province_code, fallback) if self.m.province_code is not None else fallback
        return self.m.province_name or "—"

    @property
    def zone_type(self) -> str:
        return self.t.labels("zone_types").get(self.m.zone_type, self.m.zone_type)

    @property
    def zone_kind(self) -> str:
        """English: the type with its article, read as a zone ("an industrial and mining area"); Chinese: the type."""
        if self.lang != "en":
            return self.zone_type
        return self.t.labels("zone_kinds").get(self.m.zone_type) or f"a {self.zone_type} zone"

    @property
    def zone_type_word(self) -> str:
        """The type before "zone(s)" in a sentence: English drops a noun the word "zone" repeats
        ("industrial and mining zones", not "industrial and mining area zones")."""
        if self.lang != "en":
            return self.zone_type
        return self.t.labels("zone_type_modifiers").get(self.m.zone_type) or self.zone_type

    @property
    def domains(self) -> str:
        labels = self.t.labels("domains")
        return _sep(self.lang).join(labels.get(s, s) for s in self.m.sectors)

    @property
    def year(self) -> int:
        return self.m.year

    @property
    def report_date(self) -> str:
        return format_date(self.m.dataset.get("report_date"), self.lang)

    @property
    def iso_date(self) -> str | None:
        return self.m.dataset.get("report_date")

    @property
    def evaluating_body(self) -> str:
        params = self.m.params
        own = params.get(f"evaluating_body_{self.lang}") or params.get("evaluating_body")
        return own or report_defaults()["evaluating_body"][self.lang]

    @property
    def is_sample(self) -> bool:
        return bool(self.m.dataset.get("is_sample"))

    @property
    def dataset_label(self) -> str:
        """The dataset's label as the data gives it, glossed in English where it is the sample's
        (示例数据 (sample data), as the running head has it)."""
        label = self.m.dataset.get("label") or "—"
        return label + self.t("appendix.sample_gloss") if self.is_sample else label

    @property
    def sample_label(self) -> str:
        label = self.m.dataset.get("label") or ""
        return label if self.lang == "zh" or not label else f"{label} ({self.t('cover.sample_word')})"

    @property
    def plan_date(self) -> str | None:
        """The plan's date as the report writes it: 2017-01 → 2017年1月 / January 2017."""
        raw = self.m.plan_date
        if not raw:
            return None
        parts = str(raw).split("-")
        if len(parts) == 3:
            return format_date(str(raw), self.lang)
        if len(parts) == 2 and all(p.isdigit() for p in parts) and 1 <= int(parts[1]) <= 12:
            y, m = int(parts[0]), int(parts[1])
            return f"{y}年{m}月" if self.lang == "zh" else f"{date(y, m, 1):%B} {y}"
        return str(raw)

    @property
    def self_word(self) -> str:
        """本区 / 本单位 / 本企业 / 本项目, from the zone type (catalogue self_word)."""
        return Words(self.r, self.lang).self_word()

    @property
    def decided_by(self) -> str | None:
        """What decided the zone's conclusion (results.json v3 outcome): score, gate, eligibility …"""
        return (self.r.get("outcome") or {}).get("decided_by")

    @property
    def grade_note(self) -> str:
        """Under the grade on the summary page: a conclusion decided by a gate or by eligibility is
        not said to be graded by the indicator framework."""
        if self.decided_by in ("gate", "eligibility"):
            return self.t(f"summary.grade_note_{self.decided_by}")
        return self.t("summary.grade_note")

    @property
    def programme_name(self) -> str:
        """The programme the zone is assessed in, as its framework names it (the cover, the title);
        a framework that names none: the default programme's (catalogue ``cover.program``)."""
        fw = self.m.framework
        return (fw.get("programme_en") if self.lang == "en" else fw.get("programme")) or self.t("cover.program")

    @property
    def names_programme(self) -> bool:
        """Whether the zone's own name already says 近零碳… (the default programme): then the title
        does not repeat the programme."""
        return self.programme_name == self.t("cover.program") and self.t("doc.programme_marker") in self.name

    # -- document metadata ---------------------------------------------------
    @property
    def title(self) -> str:
        key = "doc.title_named" if self.names_programme else "doc.title"
        return self.t(key, name=self.display_name, year=self.year, programme=self.programme_name)

    @property
    def subject(self) -> str:
        text = self.t("doc.subject", name=self.display_name, province=self.province,
                      zone_type=self.zone_type, year=self.year)
        if not self.is_sample:
            return text
        return text + (f"（{self.sample_label}）" if self.lang == "zh" else f" ({self.sample_label})")

    @property
    def keywords(self) -> str:
        words = [self.programme_name if self.lang == "zh" else self.programme_name.lower(), self.province,
                 self.zone_type, str(self.year)]
        if self.is_sample:
            words.append(self.sample_label)
        return ", ".join(words)

    # the running head's right part (report.css @top-right: 78 % of the 156 mm column at 8.5 pt) holds
    # about 80 Latin letters; a longer English head goes on two lines, the name above the report
    RUNNING_ONE_LINE = 80

    @property
    def running_title(self) -> str:
        line = self.t("doc.running", name=self.display_name, year=self.year)
        if self.lang == "en" and len(line) > self.RUNNING_ONE_LINE:
            return self.t("doc.running_long", name=self.display_name, year=self.year)
        return line

    # -- headings ------------------------------------------------------------
    def problem_groups(self) -> list[tuple[str, list[dict]]]:
        problems = self.r.get("problems") or []
        order = PROBLEM_ORDER + sorted({p.get("category") for p in problems} - set(PROBLEM_ORDER) - {None})
        return [(c, [p for p in problems if p.get("category") == c]) for c in order
                if any(p.get("category") == c for p in problems)]

    def recommendation_groups(self) -> list[tuple[str, list[dict]]]:
        """Under the zone's own problem categories (the problems each answers); the evaluating
        team's own recommendations under their category."""
        recs = self.r.get("recommendations") or []

        def key(r: dict):
            return r.get("problem_category") or r.get("category")
        order = [*PROBLEM_ORDER, *RECOMMENDATION_ORDER]
        order += sorted({key(r) for r in recs} - set(order) - {None})
        return [(c, [r for r in recs if key(r) == c]) for c in order if any(key(r) == c for r in recs)]

    def problem_number(self, problem: dict) -> int | None:
        """The problem's number in 三 (across its subsections), as 附录（四） cites it: 总体评价's key
        problems, listed by importance, point to it."""
        shown = [p for _, group in self.problem_groups() for p in group]
        return next((n for n, p in enumerate(shown, 1) if p is problem), None)

    def derived_authorities(self) -> list[str]:
        """The notes on the competent authorities the data does not name: derived from the place the
        zone's name names, from no place (the level only, no body invented), or from its type and city."""
        notes = []
        for r in self.r.get("recommendations") or []:
            if not (r.get("addressee_derived") and r.get("addressee_name")):
                continue
            place = ((r.get("evidence") or {}).get("figures") or {}).get("authority") or {}
            if place.get("place"):
                note = self.t("recommendations.authority_derived_place", authority=r["addressee_name"],
                              place=place["place"])
            elif place:
                note = self.t("recommendations.authority_derived_level", authority=r["addressee_name"],
                              level=self.t(f"authority_level_word.{place['level']}"))
            else:
                note = self.t("recommendations.authority_derived", authority=r["addressee_name"])
            notes.append(note)
        return list(dict.fromkeys(notes))

    def heading_parts(self) -> list[Heading]:
        """The report's parts, unnumbered (Outlined numbers and indexes them)."""
        h = self.t.labels("headings")
        pcat = self.t.labels("problem_categories")
        rcat = self.t.labels("recommendation_categories")
        parts = [
            Heading("summary", 1, h["summary"], number="-"),
            Heading("significance", 1, h["significance"]),
            Heading("progress", 1, h["progress"], children=[
                Heading("basics", 2, h["basics"]),
                Heading("emissions", 2, h["emissions"]),
                Heading("targets", 2, h["targets"]),
                Heading("indicators", 2, h["indicators"]),
                Heading("annual", 2, h["annual"]),
                Heading("method", 2, h["method"]),
                Heading("highlights", 2, h["highlights"]),
                *([Heading("evaluator", 2, h["evaluator"])] if self.has_evaluator else []),
            ]),
            Heading("problems", 1, h["problems"], children=[
                *([Heading("followup", 2, h["followup"])] if self.annual.has_followup else []),
                *[Heading(f"problems-{c}", 2, pcat.get(c, c)) for c, _ in self.problem_groups()]]),
            Heading("recommendations", 1, h["recommendations"], children=[
                Heading(f"recommendations-{c}", 2, self.t("recommendations.heading", category=pcat[c]) if c in pcat
                        else rcat.get(c, c)) for c, _ in self.recommendation_groups()]),
            Heading("appendix", 1, h["appendix"], number="-", children=[
                Heading("app-indicators", 2, h["app_indicators"]),
                Heading("app-evidence", 2, h["app_evidence"]),
                *([Heading("app-comparison", 2, self.t("programme.comparison.heading"))]
                  if self.programme.present else []),
                Heading("app-rules", 2, h["app_rules"]),
                Heading("app-provenance", 2, h["app_provenance"]),
                Heading("app-reproduce", 2, h["app_reproduce"]),
            ]),
        ]
        return parts

    # -- 重要意义 --------------------------------------------------------------
    @property
    def significance(self):
        facts = {
            "name": self.display_name, "province": self.province, "zone_type": self.zone_type,
            "zone_kind": self.zone_kind, "approved_year": self.m.approved_year or "—", "baseline_year": self.m.baseline_year,
            # in a sentence: "industry, energy and buildings" (the facts table lists them with commas)
            "domains": Words(self.r, self.lang).join(self.t.labels("domains").get(s, s) for s in self.m.sectors) or "—",
            "plan": self.m.plan_document, "zone": self.self_word,
            # set only for another programme than the default's (then intro_programme speaks)
            "programme": self.programme_name if self.programme_name != self.t("cover.program") else None,
        }
        return zone_significance(self.r, self.lang, facts)

    # -- numbers -------------------------------------------------------------
    @property
    def emissions(self) -> dict:
        return self.r.get("emissions") or {}

    def reduction_text(self, pct: float | None) -> str:
        if pct is None:
            return "—"
        key = "words.down" if pct >= 0 else "words.up"
        return self.t(key, pct=f"{abs(pct):z.1f}%")

    @property
    def emission_rows(self) -> list[dict]:
        """Baseline year, the year before the data year, and the data year."""
        by_year = {row["year"]: row for row in self.m.emissions_by_year}
        base = self.m.emissions.baseline_net_tco2e if self.m.emissions is not None else None
        wanted = [self.m.baseline_year, (self.m.data_year or 0) - 1, self.m.data_year]
        rows = []
        for y in dict.fromkeys(wanted):
            if y in by_year:
                row = dict(by_year[y])
                net = row.get("net_tco2e")
                row["change_pct"] = None if not base or net is None else (base - net) / base * 100
                rows.append(row)
        return rows

    # -- targets ---------------------------------------------------------------
    def metric_label(self, metric: str) -> str:
        builtin = self.t.labels("metrics")
        if metric in builtin:
            return builtin[metric]
        for ind in self.m.indicators:
            if ind.id == metric:
                name = (ind.name_en if self.lang == "en" else ind.name_zh) or metric
                return f"{name} ({ind.unit})" if self.lang == "en" and ind.unit else (
                    f"{name}（{ind.unit}）" if ind.unit else name)
        return metric

    @property
    def targets(self) -> list[dict]:
        return sorted(self.r.get("targets") or [], key=lambda t: (t["metric"] != "net_reduction_pct",
                                                                  t["metric"], t["target_year"]))

    def metric_name(self, target: Target | dict) -> str:
        """The metric without its unit, for running text (the engine's label where it gives one)."""
        if isinstance(target, dict):  # a target as the templates hold it
            target = Target.from_dict(target)
        if self.lang == "zh" and target.metric_label:
            return target.metric_label
        return self.metric_label(target.metric)

    @property
    def target_notes(self) -> list[tuple[int, dict]]:
        """Targets whose progress ratio needs a word (undefined, or judged by the target
        year's value), numbered for the footnotes under the table."""
        return [(n, t) for n, t in enumerate((t for t in self.targets if t.get("note")), 1)]

    def target_note_number(self, target: dict) -> int | None:
        return next((n for n, t in self.target_notes if t is target), None)

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for t in self.targets:
            counts[t["status"]] = counts.get(t["status"], 0) + 1
        return [(s, counts[s]) for s in STATUS_ORDER if s in counts]

    # -- score and indicators ---------------------------------------------------
    @property
    def programme(self) -> ProgrammeView:
        """The framework, its gates and conclusion, and the 对照评价 (issue 30)."""
        return ProgrammeView(self.r, self.lang)

    @property
    def score(self):
        return self.m.score

    @property
    def grade(self) -> str | None:
        grade = (self.m.grade_en if self.lang == "en" else None) or self.m.grade
        if grade and self.m.grade_provisional:
            grade += self.t("summary.provisional")
        return grade

    @property
    def coverage_pct(self):
        return self.m.coverage_pct

    @property
    def rank_line(self) -> str | None:
        """在本次评估的N个城镇类示范区中排名第k (summary page); None outside a build's ranking.
        A provisional grade is shown, not ranked among final ones."""
        if self.rank is None or (self.m.outcome is not None and self.m.outcome.status != "rated"):
            return None  # a gate or the eligibility decided: not ranked by its score
        if self.m.reference_only:  # its framework's document not known in force on the report's date
            if self.programme.on_summary and self.programme.in_force_line:
                return None  # the summary page's framework lines have just said so
            return self.t("summary.rank.reference_only")
        if self.m.grade_provisional:
            return self.t("summary.rank.provisional", zone_type=self.zone_type_word)
        if self.rank.within_type is None:
            return self.t("summary.rank.unscored", zone_type=self.zone_type_word)
        n = self.rank.ranked_of or self.rank.within_type_of  # those ranked by their score
        if n <= 1:
            if self.rank.within_type_of > 1:  # the others of its type were decided otherwise (a gate …)
                line = self.t("summary.rank.only_rated", zone_type=self.zone_type_word, n=self.rank.within_type_of - 1)
            elif self.rank.elsewhere:  # others of its type, under other frameworks: not compared
                line = self.t("summary.rank.only_framework", zone_type=self.zone_type_word, n=self.rank.elsewhere)
            elif self.rank.provisional:
                line = self.t("summary.rank.only_ranked", zone_type=self.zone_type_word)
            else:
                return self.t("summary.rank.only", zone_type=self.zone_type_word)
        else:
            key = "summary.rank.tied" if self.rank.tied else "summary.rank.ranked"
            line = self.t(key, rank=self.rank.within_type, n=n, zone_type=self.zone_type_word)
        if self.rank.provisional:
            line += self.t("summary.rank.others_provisional", k=self.rank.provisional, zone_type=self.zone_type_word)
        return line

    @property
    def verdict(self) -> str:
        """总体评价's one line: the targets on course against those behind, and the problems found."""
        good = sum(1 for tg in self.m.targets if tg.status in (TargetStatus.ACHIEVED, TargetStatus.ON_TRACK))
        behind = sum(1 for tg in self.m.targets
                     if tg.status in (TargetStatus.AT_RISK, TargetStatus.OFF_TRACK, TargetStatus.MISSED))
        n = len(self.targets)
        key = ("overall.verdict_no_targets" if not n else "overall.verdict_all_good" if good == n
               else "overall.verdict_all_behind" if behind == n else "overall.verdict")  # no "0项存在风险"
        # the targets by status, as 目标进展 counts them ("已实现1项、进度滞后2项"), not only "2项存在风险、滞后
        # 或未实现" where the data says which (zj-cixi-transport)
        items = self.t("list_sep").join(self.t("targets.count", status=self.t(f"status.{s}"), n=k)
                                        for s, k in self.status_counts)
        problems, top = len(self.problems), min(len(self.problems), len(self.top("problems")))
        # "发现问题3条，最重要的3条列于下方" where there are only three: all of them are listed
        found = self.t("overall.found_none" if not problems else "overall.found_all" if top == problems
                       else "overall.found_top", problems=problems, top=top)
        return self.t(key, n=n, good=good, behind=behind, items=items, found=found)

    @property
    def year_change(self) -> str:
        """总体评价's change on the year: the score against the previous year's, where there is one."""
        p, ch = self.annual.previous, self.annual.changes
        before, after = (p or {}).get("score"), self.m.score
        if p is not None and before is None and p.get("grade"):  # assessed, concluded without a score (a gate)
            return self.t("overall.change_no_score", prev=self.annual.prev_year, grade=self.annual._grade(p["grade"]))
        if p is None or ch is None or before is None or after is None:
            return self.t("overall.change_none", prev=self.annual.prev_year)
        g0, g1 = ch.grade_before, ch.grade_after
        key = "overall.change_grade" if g0 and g1 and g0 != g1 else "overall.change"
        line = self.t(key, prev=self.annual.prev_year, before=f"{before:z.1f}", after=f"{after:z.1f}",
                      delta=self.annual._delta(self.annual.shown_delta), grade_before=self.annual._grade(g0),
                      grade_after=self.annual._grade(g1))
        return line + self._change_cause(self.annual.shown_delta or 0.0) + self.t("annual.end")

    def _change_cause(self, delta: float) -> str:
        """How much of the year's score change is newly filed data (issue 28: a grade that rose because
        data was filed is not progress, and 总体评价 says so where a leader reads it)."""
        c = self.annual.changes.score_change_by_cause if self.annual.changes is not None else None
        if not c or abs(delta) < 0.05 or abs(c.get("newly_reported") or 0) < 0.05:
            return ""
        shown = parts_that_add(delta, {k: c.get(k) or 0.0 for k in ("newly_reported", "values", "framework")})
        text = self.t("overall.change_cause", newly=_signed(shown["newly_reported"]), values=_signed(shown["values"]))
        if delta > 0 and c["newly_reported"] >= delta / 2:
            text += self.t("overall.change_mostly_new_data")
        return text

    @property
    def document_number(self) -> str | None:
        """文号 (cli.md v3): the workspace's (reaching the zone's params), else --params report.yaml."""
        return self.m.params.get("document_number") or report_defaults().get("document_number")

    @property
    def sign_off(self) -> list[tuple[str, str, str]]:
        """编制 / 审核 / 批准: (role label, name, date); empty strings leave lines to sign on."""
        given = self.m.params.get("sign_off") or report_defaults().get("sign_off") or {}
        out = []
        for role in ("prepared_by", "reviewed_by", "approved_by"):
            who = given.get(role) or {}
            out.append((self.t(f"cover.sign_off.{role}"), str(who.get("name") or ""), str(who.get("date") or "")))
        return out

    INDICATOR_KEYS = ("id", "name_zh", "name_en", "unit", "dimension", "dimension_label", "kind", "value", "year",
                      "previous_value", "previous_year", "change", "floor", "benchmark", "score", "weight",
                      "source", "benchmark_source", "reported", "missing", "scored_as_zero",
                      "gate", "gate_passed", "gate_comparison")

    @property
    def indicators(self) -> list[dict]:
        """The indicators that apply to this zone, each with every key (None if absent); the
        source in plain words (排放数据表第582—585行), what an unreported one lacks as the catalogue says it."""
        out = []
        before = None
        if self.r.get("previous"):
            before = {x["id"]: x for x in self.r["previous"].get("indicators") or [] if x.get("id")}
        for ind in self.r.get("indicators") or []:
            if ind.get("applies", True) is False:
                continue
            row = {k: ind.get(k) for k in self.INDICATOR_KEYS}
            if ind.get("source_rows"):
                row["source"] = cite(ind["source_rows"], self.t)
            if self.lang == "en" and ind.get("benchmark_source_en"):
                row["benchmark_source"] = ind["benchmark_source_en"]
            if ind.get("benchmark_source_known_by") and row["benchmark_source"]:
                row["benchmark_source"] += self.t("appendix.benchmark_source_later",
                                                  date=format_date(ind["benchmark_source_known_by"], self.lang))
            if ind.get("missing_code"):
                row["missing"] = self.t(f"needs.{ind['missing_code']}")
            row.update(self._previous_shown(ind, before))
            out.append(row)
        return out

    @property
    def previous_result_year(self) -> int | None:
        """The year of the previous year's result the appendix's 上期值 shows (None without one)."""
        prev = self.r.get("previous")
        return int(prev["year"]) if prev and prev.get("year") is not None else None

    def _previous_shown(self, ind: dict, before: dict | None) -> dict:
        """上期值: what the previous year's result had for the indicator (its value and the value's
        year, or not reported: scored 0 then), not only an earlier data row of the same indicator,
        whose absence read as missing beside a scored previous year (closing note 6). Without the
        previous year's result, or where the indicator was not in it, the earlier data row as before."""
        prev = (before or {}).get(ind.get("id"))
        if prev is None:
            return {"previous_reported": None}
        if prev.get("reported") is False or prev.get("value") is None:
            return {"previous_value": None, "previous_year": None, "previous_reported": False}
        return {"previous_value": prev.get("value"), "previous_year": prev.get("year"), "previous_reported": True}

    def indicator_name(self, ind: dict | Indicator) -> str:
        if isinstance(ind, Indicator):
            return (ind.name_en if self.lang == "en" else ind.name_zh) or ind.name_zh or ind.id or "—"
        key = "name_en" if self.lang == "en" else "name_zh"
        return ind.get(key) or ind.get("name_zh") or ind.get("id", "—")

    def dimension_label(self, ind: dict) -> str:
        dim = ind.get("dimension") or ""
        if self.lang == "zh" and ind.get("dimension_label"):
            return ind["dimension_label"]
        return self.t.labels("dimensions").get(dim, dim) or "—"

    # -- sinks and capture, projects, method --------------------------------------
    @property
    def removals_split(self) -> dict | None:
        """Natural sinks and CCUS of the data year apart, with the gross reduction; None without CCUS."""
        rows = [x for x in self.m.removals_by_source if x["year"] == self.m.data_year]
        ccus = sum(x["removals_tco2e"] for x in rows if x["source"] == "ccus")
        if not ccus:
            return None
        by_year = {x["year"]: x for x in self.m.emissions_by_year}
        base, now = by_year.get(self.m.baseline_year), by_year.get(self.m.data_year)
        gross = None
        if base and now and base["gross_tco2e"]:
            gross = (base["gross_tco2e"] - now["gross_tco2e"]) / base["gross_tco2e"] * 100
        return {"natural": sum(x["removals_tco2e"] for x in rows) - ccus, "ccus": ccus, "gross_reduction_pct": gross}

    def _flagged(self, rule_id: str) -> dict:
        return {m["measure_id"]: m for p in self.problems if p.get("rule_id") == rule_id
                for m in ((p.get("evidence") or {}).get("figures") or {}).get("measures") or []}

    @property
    def stalled_after(self):
        for p in self.problems:
            if p.get("rule_id") == "P-MEASURES-STALLED":
                return p["evidence"]["figures"].get("max_ongoing_years")
        return report_defaults()["measures"]["stalled_after_years"]

    def _measure_flag(self, m: dict) -> str | None:
        """A measure's flag on its plan (dataset v3): overdue, unmoved, not reported, suspended;
        never its age alone."""
        state = m.get("state") or ("suspended" if m["status"] == "suspended" else None)
        if state == "delayed":
            return self.t("measures.flag_delayed", year=m.get("planned_completion_year"))
        if state == "stalled":
            return self.t("measures.flag_unmoved", year=m.get("unchanged_since"))
        if state == "progress_not_reported":
            return self.t("measures.flag_unreported")
        if state == "suspended":
            return self.t("measures.flag_suspended")
        return None

    @property
    def measures(self) -> list[dict]:
        """The 重点项目 table: projects with status, start, investment, expected reduction and a flag."""
        domains, statuses = self.t.labels("domains"), self.t.labels("measure_statuses")
        rows = []
        for m in self.m.measures:
            # on its plan (dataset v3): overdue, unmoved, not reported, suspended; never its age alone
            flag = self._measure_flag(m)
            rows.append({**m, "sector_label": domains.get(m["sector"], m["sector"]),
                         "status_label": statuses.get(m["status"], m["status"]), "flag": flag,
                         "flag_parts": self._flag_parts(flag)})
        return rows

    def label_parts(self, label: str | None) -> list[str]:
        """A Chinese label in pieces kept whole, broken only before its bracket: 新增（新报送数据所示）
        broke as 新增（新报送数 / 据所示） in the rectification table (gd-wanshan). Other languages: whole."""
        if not label:
            return ["—"]
        if self.lang != "zh" or "（" not in label[1:]:
            return [label]
        head, _, tail = label.partition("（")
        return [head, "（" + tail]

    def _flag_parts(self, flag: str | None) -> list[str]:
        """A Chinese flag in pieces kept whole, broken only after its comma: the status column is
        narrower than "计划2022年完成，逾期", which broke inside 完成 (gd-nanao, zj-cixi-transport). An
        English flag breaks between its words, as one piece."""
        if not flag:
            return []
        if self.lang != "zh":
            return [flag]
        parts = flag.split("，")
        return [p + "，" for p in parts[:-1]] + parts[-1:]

    @property
    def method(self) -> list[str]:
        """评估方法: framework, scoring, grades and their source, missing data, provisional grades,
        target statuses, and this zone's data coverage, gaps and warnings."""
        fw = self.m.framework
        bands = fw.get("grade_bands") or []
        names = [(b.get("grade_en") if self.lang == "en" else None) or b["grade"] for b in bands]
        band_text = self.t("list_sep").join(
            self.t("method.band", grade=g, min=f"{b['min']:g}") if b["min"] > 0 or k == 0 else
            self.t("method.band_lowest", grade=g, min=f"{bands[k - 1]['min']:g}")
            for k, (g, b) in enumerate(zip(names, bands)))
        missing = [i for i in self.m.indicators if i.scored_as_zero]
        thresholds = fw.get("target_thresholds") or {}
        paras = [
            self.t("method.framework", title=(fw.get("title_en") if self.lang == "en" else None) or fw.get("title", "—"),
                   version=fw.get("version", "—"),
                   # the evaluators' own framework is not cited as if it were an issued document (issue 29)
                   authority=self.t("method.authority_evaluator") if fw.get("authority") == "evaluator" else ""),
            # a framework read over another (its base), whose own indicators alone carry weight, and
            # its gates, judged before the score (issue 30)
            *([self.t("method.weighted", n=len(weighted), names=self.t("list_sep").join(weighted))]
              if fw.get("base") and (weighted := [self.indicator_name(i) for i in self.indicators
                                                  if i.get("weight")]) else []),
            *([self.t("method.gates", gates=self.t("list_sep").join(
                (g.get("label_en") if self.lang == "en" else None) or g["label"] for g in self.r["gates"]))]
              if self.r.get("gates") else []),
            self.t("method.grades", bands=band_text,
                   source=(fw.get("grade_source_en") if self.lang == "en" else None) or fw.get("grade_source") or "—",
                   provisional=f"{fw.get('provisional_below_coverage_pct', 60):g}"),
            # the source's own labels, so that a renaming is stated (issue 29)
            *([self.t("method.grade_labels", note=grade_note.rstrip("。."))]
              if (grade_note := (fw.get("grade_source_note_en") if self.lang == "en" else None)
                  or fw.get("grade_source_note")) else []),
            self.t("method.targets", on_track=f"{thresholds.get('on_track', 0.95):g}",
                   at_risk=f"{thresholds.get('at_risk', 0.6):g}"),
            self.t("method.coverage" if missing else "method.coverage_full", coverage=f"{self.coverage_pct or 0:z.0f}"),
        ]
        warnings = self.m.dataset.get("warnings") or []
        if warnings:
            paras.append(self.t("method.warnings", n=len(warnings)))
        return paras

    # -- findings -----------------------------------------------------------
    def text(self, finding: dict) -> str:
        text = finding_text(finding, self.lang)
        return text + self.t("evaluator.mark") if finding.get("origin") == "evaluator" else text

    # -- 评估组意见: the evaluating team's own words, shown as written -----------------
    @property
    def expert_opinion(self) -> str | None:
        return self.m.params.get("expert_opinion") or None

    @property
    def site_visit(self) -> dict | None:
        visit = self.m.params.get("site_visit")
        if not visit:
            return None
        return {"line": self.t("evaluator.site_visit_line", date=format_date(str(visit.get("date") or ""), self.lang),
                               team=self.team(visit.get("team"))),
                "findings": visit.get("findings") or ""}

    def unit(self, unit: str | None) -> str:
        """A unit in the report's language (the catalogue's units in English)."""
        if not unit:
            return ""
        return self.t.labels("units").get(unit, unit) if self.lang == "en" else unit

    def team(self, team) -> str:
        """A site-visit team as a list (王五、赵六、钱七) or as written."""
        if isinstance(team, (list, tuple)):
            names = [str(x) for x in team if x]
            if self.lang == "en" and len(names) > 1:
                return ", ".join(names[:-1]) + " and " + names[-1]
            return self.t("list_sep").join(names) or "—"
        return str(team or "—")

    @property
    def evidence_list(self) -> list[dict]:
        """证明材料清单: each mechanism's evidence (mechanisms.csv), the expert opinion, the site visit."""
        rows = []
        for ind in self.m.indicators:
            if ind.kind == "mechanisms" and ind.evidence:
                status = "" if ind.status is None else ind.status.value
                rows.append({"item": self.indicator_name(ind), "status": self.t.labels("mechanism_statuses").get(
                    status or "None", status), "year": ind.year, "evidence": self._evidence_text(ind.evidence)})
        if self.expert_opinion:
            rows.append({"item": self.t("evidence.expert_opinion"), "status": "", "year": None,
                         "evidence": self.t("evidence.expert_opinion_where")})
        if self.site_visit:
            rows.append({"item": self.t("evidence.site_visit"), "status": "", "year": None,
                         "evidence": self.site_visit["line"]})
        return rows

    def _evidence_text(self, text: str) -> str:
        """The evidence as the data records it; in English, a Chinese sentence is not printed: the
        documents it names (titles stay as written) or a word that it is recorded in Chinese."""
        if self.lang != "en" or not re.search(r"[\u4e00-\u9fff]", text):
            return text
        titles = re.findall(r"《[^》]+》", text)
        return "; ".join(dict.fromkeys(titles)) if titles else self.t("evidence.in_chinese")

    @property
    def evidence_intro(self) -> str:
        """The list's lead: it names the expert opinion and the site visit only where the list holds them."""
        more = [self.t(key) for key, held in (("evidence.intro_expert", self.expert_opinion),
                                               ("evidence.intro_site", self.site_visit)) if held]
        joined = self.t("evidence.intro_and").join(more)
        return self.t("evidence.intro", more=self.t("evidence.intro_more", items=joined) if more else "")

    @property
    def has_evaluator(self) -> bool:
        return bool(self.expert_opinion or self.site_visit)

    @property
    def highlights(self) -> list[dict]:
        return self.r.get("highlights") or []

    @property
    def problems(self) -> list[dict]:
        return self.r.get("problems") or []

    @property
    def recommendations(self) -> list[dict]:
        return self.r.get("recommendations") or []

    def top(self, kind: str) -> list[dict]:
        """The first few for the summary page; problems of progress (targets slipping) first."""
        return key_findings(self.highlights if kind == "highlights" else self.problems, kind)

    @property
    def rules_fired(self) -> list[dict]:
        """Every finding and recommendation in plain words (issue 29): its number, its sentence
        (the figures, thresholds and calculation it states), the data rows it rests on. Rule ids,
        field names and booleans stay in results.json and the working paper."""
        kinds = self.t.labels("rule_kinds")
        rows = []
        # a recommendation answers the problems of its rules about its own subjects: two target
        # problems of one rule are answered one each (zj-cixi-transport's 建议5 and 建议6 both read
        # "针对问题5、问题6"); one written without subjects answers every problem of its rules
        # numbered as 三 and 四 number them: across their subsections, in the order they are shown
        problems = [p for _, group in self.problem_groups() for p in group]
        recommendations = [r for _, group in self.recommendation_groups() for r in group]
        by_rule: dict[str, list[tuple[int, object]]] = {}
        for n, p in enumerate(problems, 1):
            by_rule.setdefault(str(p.get("rule_id")), []).append((n, (p.get("claim") or {}).get("subject")))
        for kind, items in (("highlight", self.highlights), ("problem", problems),
                            ("recommendation", recommendations)):
            for n, f in enumerate(items, 1):
                if f.get("origin") == "evaluator":
                    basis, cited = self.t("evaluator.basis"), ""
                elif kind == "recommendation":
                    subjects = set(f.get("subjects") or ())
                    answered = sorted({x for rid in f.get("addresses") or [] for x, subject in by_rule.get(rid, [])
                                       if not subjects or subject in subjects})
                    numbers = [self.t("appendix.problem_no", n=x) for x in answered]
                    listed = Words(self.r, self.lang).join(numbers) if self.lang == "en" else self.t("list_sep").join(numbers)
                    basis = self.t("appendix.answers", items=listed, count=len(answered)) if answered else ""
                    cited = ""
                else:
                    basis, cited = self.text(f), _evidence(f.get("evidence"), self.t)[1]
                rows.append({"item": self.t("appendix.item_no", kind=kinds[kind], n=n), "basis": basis,
                             "source": cited})
        return rows

    # -- figures ---------------------------------------------------------------
    @property
    def figures(self) -> dict[str, dict]:
        captions = self.t.labels("figures")
        alts = {name: self.t(f"figure_alt.{name}") for name in ("net_emissions", "sectors", "non_fossil", "indicators")}
        if not any(t["metric"] == "non_fossil_share_pct" for t in self.targets):
            captions["non_fossil"] = captions["non_fossil_no_target"]
        if not emission_milestones(self.r):  # no net-emission target: no planned path is drawn (zj-anxi)
            captions["net_emissions"] = captions["net_emissions_no_target"]
            alts["net_emissions"] = self.t("figure_alt.net_emissions_no_target")
        out: dict[str, dict] = {}
        for n, name in enumerate((k for k in ("net_emissions", "sectors", "non_fossil", "indicators")
                                  if k in self.figure_uris), 1):
            out[name] = {"uri": self.figure_uris[name], "number": self.t("figure_number", n=n),
                         "caption": captions[name], "alt": alts[name]}
        return out

    # where a chart is absent (too few points to draw), its figures as a table
    @property
    def sector_table(self) -> dict | None:
        rows = self.m.emissions_by_sector
        if not rows or "sectors" in self.figure_uris:
            return None
        sectors = [s for s in self.m.sectors if any(x["sector"] == s for x in rows)]
        sectors += sorted({x["sector"] for x in rows} - set(sectors))
        cells = {(x["year"], x["sector"]): x["emissions_tco2e"] for x in rows}
        years = sorted({x["year"] for x in rows})
        labels = self.t.labels("domains")
        return {"sectors": [labels.get(s, s) for s in sectors],
                "rows": [(y, [cells.get((y, s)) for s in sectors]) for y in years]}

    @property
    def non_fossil_rows(self) -> list[tuple[int, float]]:
        if "non_fossil" in self.figure_uris:
            return []
        return [(x["year"], x["non_fossil_share_pct"]) for x in self.m.activity_by_year
                if x.get("non_fossil_share_pct") is not None]

    # -- provenance and reproduction ------------------------------------------------
    @property
    def files(self) -> list[dict]:
        return self.m.dataset.get("files") or []

    @property
    def zone_data_sha256(self) -> str | None:
        """The digest of the zone's own data its report cites (issue 27 item 8), None in results
        of earlier versions (these cite the files' digests)."""
        return (self.r.get("dataset") or {}).get("zone_data_sha256")

    @property
    def file_names(self) -> str:
        """The data tables read, in words (示范区表、排放数据表…), not file names: a reviewer reads words."""
        labels = self.t.labels("tables")

        def table(file: str) -> str:  # zones.csv, or a workbook's dataset.xlsx[zones]
            key = file[file.index("[") + 1:-1] if file.endswith("]") and "[" in file else file.rsplit(".", 1)[0]
            return labels.get(key, file)
        return self.t("list_sep").join(table(f["file"]) for f in self.files) or self.t("not_reported")

    @property
    def command(self) -> str:
        parts = ["nzc-report build", f"--data {self.t('appendix.data_placeholder')}", f"--year {self.year}",
                 f"--zones {self.m.zone_id}"]
        if self.lang != "zh":
            parts.append(f"--lang {self.lang}")
        if self.pdf_variant:
            parts.append(f"--pdf-variant {self.pdf_variant}")
        return " ".join(parts)

    @property
    def versions(self) -> list[tuple[str, str]]:
        return _versions(self.r, self.t("appendix.results_schema"))
