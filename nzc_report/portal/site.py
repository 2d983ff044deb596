"""What the portal shows, read from its inputs (inputs.py): zones, provinces, the nation, ranks.

Ranks are ranking.json's (cli.md v2, written by the build after the zones), among final grades; a zone
it does not list has no rank. Python returns codes and numbers here; the words come
from the message catalogues (templates/messages/portal.<lang>.yaml and <lang>.yaml)
in the templates.
"""
from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field

from nzc_report.portal.inputs import MANIFEST, RANKING, PortalInputs
from nzc_report.results_model import TargetStatus, ZoneResults
from nzc_report.summary import statistics as st
from nzc_report.summary.focus import suspended_measures
from nzc_report.summary.ranking import final_ranks

STATUS_ORDER = ["missed", "off_track", "at_risk", "no_data", "on_track", "achieved"]
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")  # the dataset's slug rule: ids become paths
RANK_KEYS = ("overall", "overall_of", "within_type", "within_type_of", "provisional", "reference_only")
PROVINCE_CODE = re.compile(r"^[0-9]{6}$")


class Build:
    """The build folder as the inputs give it: files read, and files that exist."""

    def __init__(self, inputs: PortalInputs):
        self.data = dict(inputs.files)
        self.present = set(inputs.present) | set(self.data)

    def has(self, path: str) -> bool:
        return path in self.present

    def json(self, path: str) -> dict | None:
        try:
            value = json.loads(self.data[path].decode("utf-8"))
        except (KeyError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def zone_ids(self) -> list[str]:
        """Folders under zones/ with a results.json, by id."""
        return sorted({p.split("/")[1] for p in self.data if p.startswith("zones/") and p.count("/") == 2
                       and p.endswith("/results.json")})


def _figures(build: Build, folder: str, results: dict | None) -> list[tuple[str, str]]:
    """(name, path from the year folder) of each SVG figure that is there, in results' order."""
    out = []
    for name, rel in ((results or {}).get("figures") or {}).items():
        path = f"{folder}/{rel}"
        if isinstance(rel, str) and rel.endswith(".svg") and ".." not in rel and build.has(path):
            out.append((name, path))
    return out


@dataclass
class Zone:
    id: str
    r: dict  # its results.json as read (what the templates show)
    rank: dict  # its places among final grades (ranking.json, summary.ranking.final_ranks)
    files: dict[str, str]  # report_pdf, results_json, notebook → path from the year folder, if there
    figures: list[tuple[str, str]]
    m: ZoneResults  # its results.json as the typed model (what is decided on here)

    @property
    def statuses(self) -> list[str]:
        """Its targets' statuses, each once, worst first."""
        present = {t.status for t in self.m.targets}
        return [s for s in STATUS_ORDER if s in present]

    @property
    def reduction(self) -> float | None:
        return self.m.emissions.net_reduction_pct if self.m.emissions is not None else None

    @property
    def score_delta(self) -> float | None:
        """The change as the zone's report says it: the difference of the two scores as printed."""
        return st.shown_score_change(self.m)

    def watch(self) -> list[tuple]:
        """Why a reviewer should look at this zone first: (code, values) pairs, most serious first."""
        reasons: list[tuple] = []
        for g in self.m.gates or ():  # a failed gate decides the outcome whatever the score: first
            if g.passed is False:
                reasons.append(("gate_failed", {"label": g.label, "label_en": g.extra.get("label_en"),
                                                "outcome": self.m.outcome.label if self.m.outcome else None,
                                                "outcome_en": self.m.outcome.extra.get("label_en")
                                                if self.m.outcome else None}))
        now = self.m.emissions.net_tco2e if self.m.emissions is not None else None
        before = ((self.m.previous or {}).get("emissions") or {}).get("net_tco2e")  # the previous block stays a dict
        if now is not None and before and before > 0 and now > before:
            reasons.append(("rose_since_last_year", {"pct": (now / before - 1) * 100}))
        if self.reduction is not None and self.reduction < 0:
            reasons.append(("rose_since_baseline", {"pct": -self.reduction}))
        for t in self.m.targets:
            if t.status in (TargetStatus.MISSED, TargetStatus.OFF_TRACK):
                reasons.append(("target", {"metric": t.metric, "year": t.target_year, "status": t.status.value}))
        suspended = suspended_measures(self.m)  # as the summaries' 重点关注 list it (有措施暂停)
        if suspended:
            reasons.append(("suspended", {"n": suspended["count"] or 1, "measures": suspended["measures"]}))
        if self.m.grade_provisional:
            reasons.append(("provisional", {}))
        return reasons


@dataclass
class Summary:
    """A provincial or the national summary: its results.json, PDF and figures, where built."""
    code: str
    results: dict | None
    pdf: str | None
    figures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Site:
    year: int | None  # the manifest's, else the zones'
    lang: str
    dataset: dict
    zones: list[Zone]  # in rank order
    provinces: dict[str, Summary]  # code → summary (results None when not built)
    national: Summary | None
    failed: list[dict]  # manifest entries of zones that failed (zone_id, name)

    def province_zones(self, code: str) -> list[Zone]:
        return [z for z in self.zones if z.m.province_code == code]

    def key_figures(self, zones: list[Zone] | None = None) -> dict:
        zones = self.zones if zones is None else zones
        # the mean score and the grade counts of one framework only (issue 30): the principal's;
        # each other framework's grade counts apart
        principal = st.principal_framework([z.m for z in zones])
        pooled = [z for z in zones if st.framework_id(z.m) == principal]
        scores = [z.m.score for z in pooled if z.m.score is not None]
        statuses = [t.status.value for z in zones for t in z.m.targets]

        def counts(group: list[Zone]) -> list[tuple[str, int]]:
            grades: dict[str, int] = {}
            for z in group:
                if z.m.grade:
                    grades[z.m.grade] = grades.get(z.m.grade, 0) + 1
            return [(g, grades[g]) for g in self.grade_order() if g in grades]

        others: dict[str | None, list[Zone]] = {}
        for z in zones:
            if st.framework_id(z.m) != principal:
                others.setdefault(st.framework_id(z.m), []).append(z)
        return {
            "framework": (pooled[0].m.framework or {}) if pooled and others else None,
            # each: (framework, zones, grade counts, whether its conclusions are for reference only)
            "other_frameworks": [((g[0].m.framework or {}), len(g), counts(g), any(z.m.reference_only for z in g))
                                 for _, g in sorted(others.items(), key=lambda kv: (-len(kv[1]), str(kv[0])))],
            "zones": len(zones),
            "provinces": len({z.m.province_code for z in zones}),
            "mean_score": statistics.fmean(scores) if scores else None,
            # the summaries' two definitions, each named where shown (issue 28): pooled, and the PDFs' mean
            "net_reduction_pct": st.pooled_reduction([z.m for z in zones]),
            "mean_reduction_pct": statistics.fmean(reds) if (reds := [
                r for z in zones if (r := st.reduction(z.m)) is not None]) else None,
            "statuses": [(s, statuses.count(s)) for s in STATUS_ORDER if s in statuses],
            "grades": counts(pooled),
        }

    def grade_order(self) -> list[str]:
        """Grades best first, as the framework's bands give them; then any other grade seen."""
        order: list[str] = []
        for z in self.zones:
            bands = z.m.framework.get("grade_bands") or []  # the framework block stays a dict
            for b in sorted(bands, key=lambda b: -(b.get("min") or 0)):
                if b.get("grade") not in order:
                    order.append(b.get("grade"))
        for z in self.zones:
            if z.m.grade and z.m.grade not in order:
                order.append(z.m.grade)
        return order

    def grade_en(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for z in self.zones:
            for b in z.m.framework.get("grade_bands") or []:
                if b.get("grade") and b.get("grade_en"):
                    out.setdefault(b["grade"], b["grade_en"])
            if z.m.grade and z.m.grade_en:
                out.setdefault(z.m.grade, z.m.grade_en)
        return out


def _rank_entries(zones: object) -> dict[str, dict]:
    """ranking.json's ``zones``, its well-formed entries only (a file the portal did not make may be damaged)."""
    return {z: e for z, e in zones.items() if isinstance(e, dict)} if isinstance(zones, dict) else {}


def _rank_key(z: Zone):
    overall = z.rank.get("overall")
    score = z.m.score
    return (overall is None, overall or 0, -(score or 0), z.id)


def _summary(build: Build, folder: str, code: str) -> Summary:
    results = build.json(f"{folder}/results.json")
    pdf = f"{folder}/summary.pdf"
    return Summary(code, results, pdf if build.has(pdf) else None, _figures(build, folder, results))


def _model(r: dict) -> ZoneResults | None:
    """A zone's results as the typed model; None for one the model cannot read (a status word
    the contract does not have…): shown as a zone without results, never half-read."""
    try:
        return ZoneResults.from_dict(r)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def read_site(inputs: PortalInputs) -> Site:
    """The portal's view of a build folder (OUT/<year>), from what ``inputs`` carry of it."""
    build = Build(inputs)
    manifest = build.json(MANIFEST) or {}
    lang = inputs.lang or (manifest.get("options") or {}).get("lang") or "zh"
    results: dict[str, tuple[dict, ZoneResults]] = {}
    # a zone that failed in this build is listed as failed, never shown with an earlier build's figures
    failed_now = {zid for zid, e in (manifest.get("zones") or {}).items() if e.get("status") == "failed"}
    for zid in build.zone_ids():
        if zid in failed_now:
            continue
        r = build.json(f"zones/{zid}/results.json")
        if SAFE_ID.match(zid) and r and r.get("zone_id") == zid and PROVINCE_CODE.match(str(r.get("province_code"))):
            model = _model(r)
            if model is not None:
                results[zid] = (r, model)
    # places among final grades: a provisional zone is shown, not ranked (issue 29), as in its report
    ranks = final_ranks(_rank_entries((build.json(RANKING) or {}).get("zones")))
    zones = []
    for zid, (r, model) in results.items():
        folder = f"zones/{zid}"
        files = {k: p for k, p in {"report_pdf": f"{folder}/report.pdf", "results_json": f"{folder}/results.json",
                                   "notebook": f"{folder}/assessment.ipynb"}.items() if build.has(p)}
        entry = ranks.get(zid)
        rank = {k: (entry.get(k) if isinstance(entry, dict) else None) for k in RANK_KEYS}
        zones.append(Zone(zid, r, rank, files, _figures(build, folder, r), model))
    zones.sort(key=_rank_key)
    provinces = {code: _summary(build, f"provinces/{code}", code)
                 for code in sorted({z.m.province_code for z in zones})}
    national = _summary(build, "national", "national")
    dataset = next((z.m.dataset for z in zones if z.m.dataset), None) or {}
    year = manifest.get("year") or next((z.m.year for z in zones), None)
    failed = [{"zone_id": zid, "name": e.get("name") or zid}
              for zid, e in sorted((manifest.get("zones") or {}).items())
              if e.get("status") == "failed" and zid not in results]
    return Site(year=year, lang=lang, dataset=dataset, zones=zones, provinces=provinces,
                national=national if (national.results or national.pdf) else None, failed=failed)
