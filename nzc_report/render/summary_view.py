"""What a provincial or national summary says, in the summary's language.

nzc_report/summary computes codes, names and numbers; every sentence here is
a catalogue entry (templates/messages/<lang>.yaml, section ``synthesis``)
filled with them. The templates only lay the sentences out.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from nzc_report.dataset.provinces import PROVINCE_NAMES, PROVINCE_PINYIN
from nzc_report.render.environment import fmt_number
from nzc_report.render.messages import Messages
from nzc_report.render.outline import Heading, Outlined
from nzc_report.render.summary_overall import SummaryOverall
from nzc_report.render.summary_text import SummaryText
from nzc_report.render.zone_view import format_date, report_defaults

RECOMMENDATION_ORDER = ["guidance", "supporting_policy", "pilot", "international"]
FIGURES = {"national": ["reduction_by_province", "scores", "reduction_by_type"],
           "province": ["scores", "reduction_by_type"]}  # in the order they appear


class SummaryView(SummaryText, SummaryOverall, Outlined):
    def __init__(self, summary: dict, lang: str, figures: dict[str, str], pdf_variant: str | None = None):
        self.s = summary
        self.lang = lang
        self.t = Messages(lang)
        self.figure_uris = figures
        self.pdf_variant = pdf_variant
        self.national = summary["kind"] == "national"

    # -- words ------------------------------------------------------------------
    def x(self, key: str, **values) -> str:
        if self.single and self.has(key + "_one"):
            key += "_one"  # one zone reads as one zone (issue 28): its own wording where the catalogue has one
        text = self.t("synthesis." + key, **values)
        if self.single and self.lang == "zh":
            text = re.sub(r"(?<![\d.])1个示范区", self.t("synthesis.count_only"), text)
            text = text.replace("上述示范区", self.t("synthesis.count_only"))  # one zone is not "the zones above"
        for plural, singular in self.singulars:
            text = re.sub(rf"(?<![\d.]){re.escape(plural)}", singular, text)
        if self.single and self.lang == "en":  # one zone reads as one zone: "the zone lacks …", not "1 zone lacks …"
            text = re.sub(r"(?<![\d.,])\b1 zone\b", self.t("synthesis.count_only"), text)
        return text

    @staticmethod
    def opening(text: str) -> str:
        """An English sentence that a count or "the zone" opens begins with a capital."""
        return text[:1].upper() + text[1:]

    @property
    def single(self) -> bool:
        """A provincial summary of one zone."""
        return not self.national and self.s.get("zones_built") == 1

    @property
    def singulars(self) -> list:
        if not hasattr(self, "_singulars"):
            self._singulars = self.t.get("synthesis.singular") or []
        return self._singulars

    def has(self, key: str) -> bool:
        try:
            self.t.get("synthesis." + key)
        except KeyError:
            return False
        return True

    def join(self, items) -> str:
        return self.x("list_sep").join(items)

    def province(self, code: str) -> str:
        return PROVINCE_PINYIN.get(code, code) if self.lang == "en" else PROVINCE_NAMES.get(code, code)

    @property
    def place(self) -> str:
        return self.province(self.s["province_code"]) if not self.national else ""

    def zone_name(self, z: dict) -> str:
        return (z.get("name_en") if self.lang == "en" else None) or z["name"]

    def zone_type(self, code: str) -> str:
        return self.t.labels("synthesis.zone_types").get(code, code)

    def metric(self, key: dict) -> str:
        labels = self.t.labels("synthesis.metrics")
        own = key.get("metric_label") if self.lang == "zh" else key.get("metric_label_en")
        code = key.get("metric")
        label = labels.get(code) if code is not None else None
        return label or own or key.get("metric_label") or str(code)

    def status(self, code: str) -> str:
        return self.x("status." + code)

    @staticmethod
    def num(value, digits: int = 1) -> str:
        return fmt_number(value, digits)

    def pct(self, value, digits: int = 1) -> str:
        return f"{fmt_number(value, digits)}%"

    @staticmethod
    def share(value) -> str:
        """A share as a whole percent, a half rounded up as a reader rounds it (2 of 16 is 13 %, not
        Python's 12 by half-to-even, while 6 of 16 gave 38)."""
        if value is None:
            return "—"
        return f"{Decimal(repr(value)).scaleb(2).quantize(Decimal(1), ROUND_HALF_UP):f}%"

    def change(self, pct) -> str:
        if pct is None:
            return "—"
        return self.x("down" if pct >= 0 else "up", pct=self.pct(abs(pct)))

    def range_text(self, lo, hi, fmt) -> str:
        """One value when the bounds agree (never "from 78.9 to 78.9")."""
        if lo is None:
            return "—"
        if fmt(lo) == fmt(hi):
            return fmt(lo)
        return self.x("range", lo=fmt(lo), hi=fmt(hi))

    def count(self, n: int) -> str:
        total = self.s["zones_built"]
        if n == total == 1:
            return self.x("count_only")  # one zone reads as one zone: 该示范区
        if n == total and n > 1:
            return self.x("count_all", n=n)
        if n == 1:
            return self.x("count_one")
        return self.x("count", n=n, share=self.share(n / total if total else None))

    # -- document ------------------------------------------------------------------
    @property
    def is_sample(self) -> bool:
        return bool(self.s["dataset"].get("is_sample"))

    @property
    def sample_label(self) -> str:
        """The dataset's label as the data gives it (示例数据), glossed in English as the zone
        reports' cover stamp and running head have it: 示例数据 (sample data)."""
        label = self.s["dataset"].get("label") or ""
        return label if self.lang == "zh" or not label else f"{label} ({self.t('cover.sample_word')})"

    @property
    def title(self) -> str:
        if self.national:
            return self.x("doc.national_title", year=self.s["year"])
        return self.x("doc.province_title", province=self.place, year=self.s["year"])

    @property
    def running_title(self) -> str:
        key = "doc.national_running" if self.national else "doc.province_running"
        return self.x(key, province=self.place, year=self.s["year"])

    @property
    def subject(self) -> str:
        key = "doc.national_subject" if self.national else "doc.province_subject"
        text = self.x(key, province=self.place, year=self.s["year"])
        if not self.is_sample:
            return text
        return f"{text}（{self.sample_label}）" if self.lang == "zh" else f"{text} ({self.sample_label})"

    @property
    def keywords(self) -> str:
        words = [self.x("doc.keyword"), self.x("doc.keyword_summary"), str(self.s["year"])]
        if not self.national:
            words.insert(1, self.place)
        return ", ".join(words + ([self.sample_label] if self.is_sample else []))

    @property
    def iso_date(self) -> str | None:
        return self.s["dataset"].get("report_date")

    @property
    def dataset_sha256(self) -> str | None:
        """The data digest this summary was made from (issue 27 item 8): the whole dataset's
        (national), its zones' data (a province; nzc_report/dataset/digest.py)."""
        return self.s["dataset"].get("sha256") or self.s["dataset"].get("zones_data_sha256")

    @property
    def provenance_line(self) -> str:
        # the sample's label glossed in English as on the cover ("示例数据 (sample data)")
        label = (self.sample_label if self.is_sample else self.s["dataset"].get("label")) or "—"
        if not self.s["dataset"].get("sha256"):
            return self.x("provenance_province", label=label, sha256=self.dataset_sha256, own=self.x("own." + self.tier))
        files = self.s["dataset"].get("files") or []
        rule = self.x("provenance_one_file" if len(files) == 1 else "provenance_files")
        return self.x("provenance", label=label, sha256=self.dataset_sha256, rule=rule)

    @property
    def report_date(self) -> str:
        return format_date(self.iso_date, self.lang)

    @property
    def cover(self) -> dict:
        """The workspace's cover settings (nzc-report.yaml), as the build passed them."""
        return self.s["dataset"].get("cover") or {}

    @property
    def evaluating_body(self) -> str:
        own = self.cover.get("evaluating_body")
        return str(own) if own else report_defaults()["evaluating_body"][self.lang]

    @property
    def cover_lines(self) -> list[str]:
        year = self.x("cover.year_report", year=self.s["year"])
        if self.national:
            return [self.x("cover.national_name"), self.x("cover.national_report"), year]
        return [self.place, self.x("cover.province_report"), year]

    @property
    def cover_facts(self) -> list[tuple[str, str]]:
        if self.national:
            scope = self.x("cover.scope_national", provinces=len(self.s["provinces"]), zones=self.s["zones_total"])
        else:  # one zone is named ("该示范区" on a cover refers to nothing)
            scope = self.x("cover.scope_province", zones=self.s["zones_total"],
                           name=self.zone_name(self.s["zones"][0]) if self.s["zones"] else "")
        # 文号 (cli.md v3): the workspace's, else --params report.yaml's
        number = self.cover.get("document_number") or report_defaults().get("document_number")
        return [(self.x("cover.scope"), scope),
                (self.x("cover.year"), self.x("cover.year_value", year=self.s["year"])),
                *([(self.t("cover.document_number"), str(number))] if number else []),
                (self.x("cover.body"), self.evaluating_body),
                (self.x("cover.date"), self.report_date)]

    @property
    def sign_off(self) -> list[tuple[str, str, str]]:
        """编制 / 审核 / 批准 from the workspace, else --params report.yaml; empty strings leave lines to sign on."""
        given = self.cover.get("sign_off") or report_defaults().get("sign_off") or {}
        out = []
        for role in ("prepared_by", "reviewed_by", "approved_by"):
            who = given.get(role) or {}
            out.append((self.t(f"cover.sign_off.{role}"), str(who.get("name") or ""), str(who.get("date") or "")))
        return out

    # -- headings --------------------------------------------------------------------
    def heading_parts(self) -> list[Heading]:
        """The report's parts, unnumbered (Outlined numbers and indexes them)."""
        h = dict(self.t.labels("synthesis.headings"))
        if self.single:  # one zone: its own headings where the catalogue has them ("Strengths", not "Shared strengths")
            h.update({k.removesuffix("_one"): v for k, v in h.items() if k.endswith("_one")})
        n = self.national
        progress = [Heading("overview", 2, h["overview"])]
        if n:
            progress.append(Heading("provinces", 2, h["provinces"]))
        progress += [Heading("highlights", 2, h["highlights"]), Heading("comparison", 2, h["comparison"])]
        if self.s.get("movers"):
            progress.append(Heading("changes", 2, h["changes"]))
        parts = [
            Heading("overall", 1, self.t("headings.summary"), number="-"),  # 总体评价 first (issue 29)
            Heading("significance", 1, h["significance_national" if n else "significance"],
                    children=[Heading(f"significance-{i}", 2, p["title"])
                              for i, p in enumerate(self.t.get("synthesis.significance.points"), 1)] if n else []),
            Heading("progress", 1, h["progress_national" if n else "progress"], children=progress),
            Heading("problems", 1, h["problems"], children=[
                *(Heading(f"problems-{c}", 2, self.x("categories." + c)) for c in self.categories),
                # no heading over a count of 0 (issue 28): with no zone to watch, "需重点关注的示范区" stood
                # over "该示范区本年度不需重点关注"; that sentence closes the part without a heading
                *([Heading("focus", 2, h["focus"])] if (self.s.get("focus") or {}).get("zones") else [])]),
            Heading("recommendations", 1, h["recommendations"], children=[
                Heading(f"recommendations-{c}", 2, self.rec_heading(c)) for c in self.rec_categories]),
            Heading("appendix", 1, h["appendix"], number="-", children=[
                Heading("app-zones", 2, h["app_zones"]),
                *([Heading("app-missing", 2, h["app_missing"])] if self.s["missing"] else [])]),
        ]
        return parts

    def rec_heading(self, cat: str) -> str:
        """A part of 四、政策建议: the national source's heading, or a provincial summary's own where the
        source's does not fit what the part asks (rec_categories_province)."""
        if not self.national and self.has("rec_categories_province." + cat):
            return self.x("rec_categories_province." + cat)
        return self.x("rec_categories." + cat)

    # -- 一、重要意义 ---------------------------------------------------------------------
    @property
    def significance_points(self) -> list[dict]:
        return self.t.get("synthesis.significance.points")

    @property
    def background(self) -> str | None:
        """The provincial policy paragraph of params/summary.yaml (written in Chinese)."""
        return self.s.get("background") if self.lang == "zh" else None

    @property
    def table_note(self) -> str:
        """Under the comparison tables where zones were assessed under more than one framework: the
        counts are every zone's, the means and ranges the principal framework's alone (issue 30)."""
        frameworks = self.s.get("by_framework") or []
        if len(frameworks) < 2:
            return ""
        return self.x("table.note_framework", title=self.framework_title(frameworks[0]))

    # -- figures -------------------------------------------------------------------------------
    @property
    def figures(self) -> dict[str, dict]:
        out = {}
        for n, name in enumerate((k for k in FIGURES[self.s["kind"]] if k in self.figure_uris), 1):
            caption = self.x("figures." + name)
            frameworks = self.s.get("by_framework") or []
            if name == "scores" and len(frameworks) > 1:  # one framework's scores only (issue 30)
                caption += self.x("figures.scores_framework", title=self.framework_title(frameworks[0]))
            out[name] = {"uri": self.figure_uris[name], "number": self.x("figure_number", n=n),
                         "caption": caption, "alt": self.x("figure_alt." + name)}
        return out

    # -- missing zones -----------------------------------------------------------------------
    def missing_reason(self, m: dict) -> str:
        status = m.get("status")
        key = "missing." + str(status)
        return self.x(key) if self.has(key) else self.x("missing.failed")


