"""The portal's pages as bytes: Jinja2 templates (autoescape) over a Site, links relative.

Every page sits at a fixed depth under the year folder, so links are plain relative
paths that work from file:// and from any static server.
"""
from __future__ import annotations

import posixpath

from nzc_report import resources
from nzc_report.dataset.provinces import PROVINCE_NAMES, PROVINCE_PINYIN
from nzc_report.portal.site import STATUS_ORDER, Site, Zone
from nzc_report.render.environment import jinja_env
from nzc_report.render.messages import Messages
from nzc_report.render.programme import ProgrammeView
from nzc_report.render.summary_text import MUNICIPALITIES
from nzc_report.render.zone_view import key_findings

ASSETS = {"portal/assets/portal.css": "portal.css", "portal/assets/portal.js": "portal.js"}
# The only sources a page may load: our own files; images also as data: (notebook outputs).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")
INDEX = "index.html"
ZONES_PAGE = "portal/zones.html"
SEARCH_INDEX = "portal/assets/search.js"  # every zone's findings, for the zones page's search box


def zone_page(zone_id: str) -> str:
    return f"portal/zones/{zone_id}.html"


def paper_page(zone_id: str) -> str:
    return f"portal/zones/{zone_id}.assessment.html"


def province_page(code: str) -> str:
    return f"portal/provinces/{code}.html"


class Words:
    """The portal's words (portal.<lang>.yaml) and the reports' vocabulary (<lang>.yaml)."""

    def __init__(self, site: Site):
        self.lang = site.lang
        self.t = Messages(site.lang, "portal")
        self.vocab = Messages(site.lang)
        self.grades_en = site.grade_en()
        self.grades_order = site.grade_order()
        # the framework's names of the zones' indicators: a metric is named, never shown as its id
        key = "name_en" if site.lang == "en" else "name_zh"
        self.indicator_names = {i.id: getattr(i, key) for z in site.zones for i in z.m.indicators
                                if i.id and getattr(i, key)}

    def label(self, group: str, code) -> str:
        """A code's label in the reports' vocabulary (status, zone_types, metrics, …); a metric
        that is an indicator by the framework's name; else the code."""
        try:
            return str(self.vocab.get(f"{group}.{code}"))
        except KeyError:
            if group == "metrics" and code in self.indicator_names:
                return self.indicator_names[code]
            return str(code)

    def chart(self, name: str, n: int, zones: int | None = None) -> str:
        """A summary's chart title; a province of one zone its own ("该示范区综合得分", not "各示范区…")."""
        for key in ([f"charts.{name}_one"] if zones == 1 else []) + [f"charts.{name}"]:
            try:
                return str(self.t.get(key))
            except KeyError:
                continue
        return self.t("charts.generic", n=n)

    def zone_chart(self, r: dict, name: str, n: int) -> str:
        """A zone's chart captioned as its report captions it (<lang>.yaml ``figures``): "非化石能源占比",
        not "…与目标", where the zone has no such target (zj-anxi's page said "与目标" over a line alone)."""
        if name == "non_fossil" and not any(t.get("metric") == "non_fossil_share_pct" for t in r.get("targets") or []):
            name = "non_fossil_no_target"
        try:
            return str(self.vocab.get(f"figures.{name}"))
        except KeyError:
            return self.chart(name, n)

    def province(self, code: str) -> str:
        names = PROVINCE_PINYIN if self.lang == "en" else PROVINCE_NAMES
        return names.get(code, code)

    def province_word(self, key: str, code: str, zones: int | None = None) -> str:
        """A province page's word: a 直辖市's own where the catalogue has one (全市, not 全省), and
        a province of one zone its own (综合得分, not 平均综合得分), as the summaries say."""
        for suffix in (["_one"] if zones == 1 else []) + (["_municipality"] if code in MUNICIPALITIES else []):
            try:
                return str(self.t(f"{key}{suffix}"))
            except KeyError:
                continue
        return str(self.t(key))

    def recommendation_heading(self, f: dict) -> str:
        """Under the zone's own problem category, as its report heads it ("针对概念认识方面的问题");
        the evaluating team's own recommendations under their category."""
        category = f.get("problem_category")
        if category:
            return str(self.vocab("recommendations.heading", category=self.label("problem_categories", category)))
        return self.label("recommendation_categories", f.get("category"))

    def zone_name(self, z: Zone) -> str:
        if self.lang == "en" and z.m.name_en:
            return f"{z.m.name} ({z.m.name_en})"
        return z.m.name

    def grade(self, grade: str | None) -> str:
        if not grade:
            return "—"
        return self.grades_en.get(grade, grade) if self.lang == "en" else grade

    @staticmethod
    def key_findings(r: dict) -> list[dict]:
        """The report's own 主要问题 and 主要亮点 (its summary page), in that order."""
        return key_findings(r.get("problems") or [], "problems") + key_findings(r.get("highlights") or [], "highlights")

    @staticmethod
    def delta(value: float | None) -> str:
        """A score change: signed, but no sign on a change that rounds to nothing ("0.0", not "+0.0")."""
        if value is None:
            return "—"
        return "0.0" if abs(value) < 0.05 else f"{value:+.1f}"

    def pct(self, value: float | None) -> str:
        return "—" if value is None else f"{value:z.1f}%"

    def framework_title(self, fw: dict) -> str:
        return (fw.get("title_en") if self.lang == "en" else None) or fw.get("title") or ""

    def metric_word(self, metric: str) -> str:
        """A metric named in a sentence as the summaries name it ("净排放较基准年降幅", no "（%）")."""
        try:
            return str(self.vocab.get(f"synthesis.metrics.{metric}"))
        except KeyError:
            return self.label("metrics", metric)

    def watch(self, z: Zone) -> list[str]:
        out = []
        for code, v in z.watch():
            if code == "gate_failed":
                en = self.lang == "en"
                out.append(self.t("watch.gate_failed", gate=(v["label_en"] if en else None) or v["label"],
                                  outcome=(v["outcome_en"] if en else v["outcome"]) or self.t("watch.gate_outcome")))
            elif code == "target":
                out.append(self.t("watch.target", metric=self.metric_word(v["metric"]), year=v["year"],
                                  status=self.label("status", v["status"])))
            elif code == "suspended":
                out.append(self.t("watch.suspended", n=v["n"], measures=self.vocab("list_sep").join(v["measures"]))
                           if v["measures"] else self.t("watch.suspended_count", n=v["n"]))
            elif code == "provisional":
                out.append(self.t("watch.provisional", reason=self.t("watch.provisional_reason")))
            else:
                out.append(self.t(f"watch.{code}", pct=self.pct(v["pct"])))
        return out


def _render(template: str, page: str, site: Site, words: Words, **values) -> bytes:
    here = posixpath.dirname(page) or "."

    def link(path: str) -> str:
        """``path`` (from the year folder) as seen from this page."""
        return posixpath.relpath(path, here)

    html = jinja_env().get_template(f"portal/{template}").render(
        site=site, w=words, t=words.t, lang=site.lang, csp=CSP, link=link, page=page,
        index=INDEX, zones_page=ZONES_PAGE, zone_page=zone_page, paper_page=paper_page,
        province_page=province_page, status_order=STATUS_ORDER, **values)
    return html.encode("utf-8")


def build_pages(site: Site) -> dict[str, bytes]:
    """Every page and asset of the portal except the working papers: path → bytes."""
    words = Words(site)
    # the current project's (make_portal's): on a worker, the project files the build shipped
    templates = resources.current_project().templates
    pages = {path: (templates / "portal" / name).read_bytes() for path, name in ASSETS.items()}
    watch = [(z, words.watch(z)) for z in site.zones]
    pages[INDEX] = _render("overview.html.j2", INDEX, site, words, watch=[(z, w) for z, w in watch if w],
                           figures=site.key_figures())
    pages[ZONES_PAGE] = _render("zones.html.j2", ZONES_PAGE, site, words, zones=site.zones, watch={
        z.id: bool(w) for z, w in watch}, search_index=SEARCH_INDEX)
    pages[SEARCH_INDEX] = search_index(site)
    for code, summary in site.provinces.items():
        zones = site.province_zones(code)
        pages[province_page(code)] = _render("province.html.j2", province_page(code), site, words, code=code,
                                             summary=summary, zones=zones, figures=site.key_figures(zones),
                                             watch={z.id: bool(w) for z, w in watch})
    for z, reasons in watch:
        pages[zone_page(z.id)] = _render("zone.html.j2", zone_page(z.id), site, words, z=z, reasons=reasons,
                                         has_paper="notebook" in z.files,
                                         programme=ProgrammeView(z.r, site.lang))  # 对照评价 (issue 30)
    return pages


def search_index(site: Site) -> bytes:
    """window.NZC_PORTAL_SEARCH: zone id → the text of its findings (problems, highlights), as a
    script of our own (a page from file:// may load a script, not fetch JSON). JSON inside: a
    finding's text is data, never code (json.dumps escapes quotes; "<" is escaped too)."""
    import json

    index = {z.id: " ".join(str(f.text or "") for f in z.m.problems + z.m.highlights) for z in site.zones}
    body = json.dumps(index, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f"window.NZC_PORTAL_SEARCH = {body};\n".encode()


def render_paper(site: Site, z: Zone, body: str) -> bytes:
    """The working paper page around nbconvert's (sanitised) cells."""
    return _render("paper.html.j2", paper_page(z.id), site, Words(site), z=z, body=body)
