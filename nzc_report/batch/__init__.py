"""Orchestration of a build: validate once, plan, run zones then summaries, keep the manifest.

    cli → build(options) → plan (keys, what is stale) → WorkerPool (zones) →
    WorkerPool (province summaries) → national summary → manifest.json
"""
from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.assess import resolve_year
from nzc_report.atomic import write_json  # issue 11: ranking.json
from nzc_report.assess.framework import load_framework
from nzc_report.batch import manifest as mf
from nzc_report.batch.plan import (load_zone_params, select_zones, shared_params_digest, summary_key,
                                   zone_data_digests, zone_key)
from nzc_report.batch.run import WorkerPool
from nzc_report.dataset import Dataset, load_dataset, sha256_file
from nzc_report.dataset.catalogue import msg
from nzc_report.dataset.io import DEFAULT_MAX_FILE_BYTES
from nzc_report.portal import write_portal
from nzc_report.render import check_harfbuzz_subset
from nzc_report.resources import NOTEBOOKS_DIR, SAMPLE_DATA_DIR, ZONE_NOTEBOOK, params_file, use_params
from nzc_report.summary.ranking import rank_zones  # issue 11: ranking.json

__all__ = ["BuildOptions", "BuildResult", "build", "verify"]
log = logging.getLogger("nzc_report")
verify = mf.verify


@dataclass
class BuildOptions:
    data: Path = SAMPLE_DATA_DIR
    year: int | None = None
    out: Path = Path("build")
    zones: list[str] | None = None
    province: str | None = None
    jobs: int | None = None
    lang: str = "zh"
    force: bool = False
    timeout: float = 600
    pdf_variant: str | None = None
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    zone_notebook: Path = ZONE_NOTEBOOK
    warm_kernels: bool = True  # fork kernels from a warm template (see nzc_report/notebook/zygote.py)
    # --- params overlay (issue 14): a folder laid out like params/ whose files replace the project's
    params: Path | None = None
    zone_defaults: dict = field(default_factory=dict)  # keys a zone's params file leaves out (workspace)


@dataclass
class Outcome:
    id: str  # zone id, "provinces/440000" or "national"
    kind: str  # zone, province, national
    status: str  # built, up_to_date, failed
    seconds: float = 0.0
    reason: str | None = None
    attempts: int = 0


@dataclass
class BuildResult:
    year: int
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def count(self, kind: str, status: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind and o.status == status)


def _outputs_intact(year_dir: Path, entry: dict) -> bool:
    """Every output still there as written (size and mtime, as make does; verify rehashes)."""
    outputs = entry.get("outputs") or []
    for o in outputs:
        try:
            st = (year_dir / o["path"]).stat()
        except OSError:
            return False
        if st.st_size != o.get("bytes") or st.st_mtime_ns != o.get("mtime_ns"):
            return False
    return bool(outputs)


def _up_to_date(year_dir: Path, previous: dict | None, key: str) -> bool:
    return bool(previous) and previous.get("key") == key and previous.get("status") == "built" \
        and _outputs_intact(year_dir, previous)


class Build:
    """One run of `nzc-report build`; holds the manifest as it is brought up to date."""

    def __init__(self, options: BuildOptions):
        self.options = options
        self.overlay = Path(options.params) if options.params else None
        self.start = time.perf_counter()
        # Checked against the framework's indicators, as the notebooks will: a dataset
        # is refused here, before anything is written, not zone by zone.
        overlay = self.overlay
        units = load_framework(params_file("framework.yaml", overlay)).units()
        self.ds: Dataset = load_dataset(options.data, max_file_bytes=options.max_file_bytes,
                                        lang=options.lang, indicator_units=units)
        for w in self.ds.warnings:
            log.warning("%s%s", msg("warning_prefix", options.lang), w)
        # Every zone's params file checked (schema) before anything is written.
        self.zone_params = load_zone_params(self.ds.zone_ids, overlay, options.zone_defaults)
        check_harfbuzz_subset()
        self.year = resolve_year(self.ds, options.year)
        self.zone_ids = select_zones(self.ds, options.zones, options.province)
        self.restricted = bool(options.zones or options.province)
        self.year_dir = Path(options.out) / str(self.year)
        self.previous = mf.read_manifest(self.year_dir)
        self.key_options = {"year": self.year, "lang": options.lang, "pdf_variant": options.pdf_variant,
                            "notebook": sha256_file(options.zone_notebook),
                            "params": shared_params_digest(overlay)}
        self.manifest = {
            "generator": {"name": "nzc-report", "version": mf.__version__},
            "versions": mf.versions(),
            "git_commit": mf.git_commit(),
            "year": self.year,
            "data": str(Path(options.data).resolve()),
            "inputs": self.ds.provenance(),
            "options": {"lang": options.lang, "pdf_variant": options.pdf_variant,
                        "zones": options.zones, "province": options.province,
                        "params": str(overlay.resolve()) if overlay else None},
            "zones": dict(self.previous.get("zones", {})),
            "summaries": dict(self.previous.get("summaries", {})),
            "timings": {},
        }
        self.result = BuildResult(self.year, self.year_dir)
        self.ranking: dict = {"zones": {}}  # issue 11: written by write_ranking()
        zones = self.ds.tables["zones"]
        self.metas = {r.zone_id: {"zone_id": r.zone_id, "name": r.name, "zone_type": r.zone_type,
                                  "province_code": r.province} for r in zones.itertuples()}
        self.manifest["zones"] = {z: e for z, e in self.manifest["zones"].items() if z in self.metas}
        self.digests = zone_data_digests(self.ds)
        self.keys = {z: zone_key(self.ds, z, self.key_options, self.digests[z], self.zone_params[z])
                     for z in self.ds.zone_ids}

    # -- zones ------------------------------------------------------------------
    def zone_spec(self, zone_id: str) -> dict:
        folder = self.year_dir / "zones" / zone_id
        params = {
            "zone_id": zone_id,
            "year": self.year,
            "data": str(Path(self.options.data).resolve()),
            "out_dir": str(folder.resolve()),
            "rules": str(params_file("rules.yaml", self.overlay).resolve()),
            "framework": str(params_file("framework.yaml", self.overlay).resolve()),
            "zone_params": self.zone_params[zone_id],
            "lang": self.options.lang,
        }
        return {"kind": "zone", "id": zone_id, "folder": str(folder), "notebook": str(self.options.zone_notebook),
                "parameters": params, "timeout": self.options.timeout, "lang": self.options.lang,
                "pdf_variant": self.options.pdf_variant, "warm": self.options.warm_kernels}

    def zone_meta(self, zone_id: str) -> dict:
        return dict(self.metas[zone_id])

    def record(self, unit: str, uid: str, key: str, folder: Path, outcome: dict, extra: dict) -> None:
        entry = {**extra, "key": key, "status": outcome["status"], "reason": outcome.get("reason"),
                 "attempts": outcome.get("attempts"), "seconds": round(outcome["seconds"], 3),
                 "outputs": mf.output_entries(self.year_dir, mf.outputs_of(folder))}
        self.manifest[unit][uid] = entry
        mf.write_manifest(self.year_dir, self.manifest)  # after each task: a killed build loses nothing done

    def run_zones(self, pool: WorkerPool) -> None:
        specs, keys = [], {}
        for zone_id in self.zone_ids:
            key = self.keys[zone_id]
            keys[zone_id] = key
            prev = self.previous.get("zones", {}).get(zone_id)
            if not self.options.force and _up_to_date(self.year_dir, prev, key):
                self.result.outcomes.append(Outcome(zone_id, "zone", "up_to_date"))
            else:
                specs.append(self.zone_spec(zone_id))
        if not specs:
            return

        def done(outcome: dict) -> None:
            zid = outcome["id"]
            spec = next(s for s in specs if s["id"] == zid)
            self.record("zones", zid, keys[zid], Path(spec["folder"]), outcome,
                        {**self.zone_meta(zid), "parameters": spec["parameters"]})
            self.result.outcomes.append(Outcome(zid, "zone", outcome["status"], outcome["seconds"],
                                                outcome.get("reason"), outcome.get("attempts", 0)))

        pool.run(specs, "zones", done)

    # -- summaries ----------------------------------------------------------------
    def zone_status(self, zone_id: str) -> tuple[str, str | None, str]:
        """(status, reason, sha256 of results.json) of a zone for the summaries."""
        entry = self.manifest["zones"].get(zone_id)
        in_scope = zone_id in self.zone_ids
        if entry is None:
            if in_scope:
                return "missing", "not built", ""
            return "outside", "not built yet (outside --zones/--province)", ""
        if entry["status"] != "built":
            return "failed", entry.get("reason"), ""
        if not in_scope and entry.get("key") != self.keys[zone_id]:
            return "stale", "out of date (outside --zones/--province)", ""
        results = self.year_dir / "zones" / zone_id / "results.json"
        if not results.is_file():
            return "missing", "results.json is missing", ""
        return "built", None, sha256_file(results)

    def summary_spec(self, kind: str, uid: str, zone_ids: list[str]) -> tuple[dict, str]:
        folder = self.year_dir / uid
        metas, results, states = [], [], []
        for zid in zone_ids:
            status, reason, digest = self.zone_status(zid)
            metas.append({**self.zone_meta(zid), "status": status, "reason": reason})
            states.append((zid, status, digest))
            if status == "built":
                results.append(str((self.year_dir / "zones" / zid / "results.json").resolve()))
        notebook = f"{kind}_summary.ipynb"
        ranks = {z: self.ranking["zones"][z] for z in zone_ids if z in self.ranking.get("zones", {})}  # issue 11
        params = {"year": self.year, "zone_results": results, "zones_meta": metas, "ranking": ranks,
                  "dataset": {"label": self.ds.label, "is_sample": self.ds.is_sample,
                              "report_date": self.ds.report_date},
                  "out_dir": str(folder.resolve()), "lang": self.options.lang,
                  "summary_config": str(params_file("summary.yaml").resolve())}
        if kind == "province":
            params["province_code"] = uid.split("/")[1]
        spec = {"kind": kind, "id": uid, "folder": str(folder), "notebook": str(NOTEBOOKS_DIR / notebook),
                "parameters": params, "timeout": self.options.timeout, "lang": self.options.lang,
                "pdf_variant": self.options.pdf_variant, "warm": self.options.warm_kernels}
        return spec, summary_key(notebook, states, {**self.key_options, "ranking": ranks})

    def run_summaries(self, pool: WorkerPool, groups: dict[str, tuple[str, list[str]]]) -> None:
        """``groups``: summary id → (kind, its zones). Both kinds read only zones'
        results, so provincial and national summaries run side by side."""
        specs, keys = [], {}
        for uid, (kind, zone_ids) in sorted(groups.items()):
            spec, key = self.summary_spec(kind, uid, zone_ids)
            keys[uid] = key
            if not self.options.force and _up_to_date(self.year_dir, self.previous.get("summaries", {}).get(uid), key):
                self.result.outcomes.append(Outcome(uid, kind, "up_to_date"))
            else:
                specs.append(spec)
        if not specs:
            return

        def done(outcome: dict) -> None:
            uid = outcome["id"]
            spec = next(s for s in specs if s["id"] == uid)
            kind, zone_ids = groups[uid]
            self.record("summaries", uid, keys[uid], Path(spec["folder"]), outcome,
                        {"kind": kind, "zones": zone_ids})
            self.result.outcomes.append(Outcome(uid, kind, outcome["status"], outcome["seconds"],
                                                outcome.get("reason"), outcome.get("attempts", 0)))

        pool.run(specs, "summaries", done)

    # -- the reviewers' portal (issue 16) ----------------------------------------------
    # One step after the summaries: OUT/<year>/index.html and portal/ over the whole build
    # folder. Files whose bytes are unchanged are not rewritten, so an unchanged zone keeps
    # its page; working papers are converted again only when their key changes. Recorded
    # as manifest["portal"]["portal"] so that `verify` covers it. To re-home into the task graph.
    def run_portal(self) -> None:
        t = time.perf_counter()
        previous = (self.previous.get("portal") or {}).get("portal") or {}
        try:
            written = write_portal(self.year_dir, self.options.lang, known=previous.get("sources"))
        except Exception as exc:  # the portal failing must not lose the reports: recorded, exit 1
            log.error("portal: %s", exc)
            log.debug("portal failed", exc_info=True)
            self.manifest["portal"] = {"portal": {"status": "failed", "reason": str(exc), "outputs": []}}
            self.result.outcomes.append(Outcome("portal", "portal", "failed", time.perf_counter() - t, str(exc)))
            return
        status = "built" if written.changed or written.removed else "up_to_date"
        self.manifest["portal"] = {"portal": {"status": "built", "sources": written.keys,
                                              "outputs": mf.output_entries(self.year_dir, written.paths)}}
        self.result.outcomes.append(Outcome("portal", "portal", status, time.perf_counter() - t))

    # -- ranking.json (issue 11): after the zones, before the summaries -----------------
    def write_ranking(self) -> None:
        """OUT/<year>/ranking.json over every zone whose results are current (cli.md v2)."""
        zones = []
        for zid in self.ds.zone_ids:
            if self.zone_status(zid)[0] == "built":
                r = json.loads((self.year_dir / "zones" / zid / "results.json").read_text(encoding="utf-8"))
                zones.append({"zone_id": zid, "zone_type": r["zone_type"], "score": r.get("score")})
        self.ranking = rank_zones(zones)
        write_json(self.year_dir / "ranking.json", self.ranking)

    # -- the whole build ------------------------------------------------------------
    def run(self) -> BuildResult:
        jobs = self.options.jobs or os.cpu_count() or 1
        pool = WorkerPool(jobs, warm=self.options.warm_kernels, preload=str(Path(self.options.data).resolve()))
        try:
            t = time.perf_counter()
            self.run_zones(pool)
            self.manifest["timings"]["zones_seconds"] = round(time.perf_counter() - t, 3)
            self.write_ranking()  # issue 11
            all_ids = self.ds.zone_ids
            provinces = sorted({self.zone_meta(z)["province_code"] for z in self.zone_ids})
            groups = {f"provinces/{code}": ("province", [z for z in all_ids
                                                         if self.zone_meta(z)["province_code"] == code])
                      for code in provinces}
            if not self.restricted:
                groups["national"] = ("national", all_ids)
            t = time.perf_counter()
            self.run_summaries(pool, groups)
            self.manifest["timings"]["summaries_seconds"] = round(time.perf_counter() - t, 3)
            t = time.perf_counter()
            self.run_portal()
            self.manifest["timings"]["portal_seconds"] = round(time.perf_counter() - t, 3)
        except KeyboardInterrupt:
            pool.close(cancel=True)
            mf.write_manifest(self.year_dir, self.manifest)
            raise
        pool.close()
        self.result.seconds = time.perf_counter() - self.start
        self.manifest["timings"]["total_seconds"] = round(self.result.seconds, 3)
        mf.write_manifest(self.year_dir, self.manifest)
        return self.result


def build(options: BuildOptions) -> BuildResult:
    # The overlay reaches the worker processes (render reads report.yaml & co. through params_file).
    with use_params(options.params):
        return Build(options).run()
