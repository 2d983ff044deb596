"""Orchestration of a build: validate once, plan, run zones then summaries, keep the manifest.

    cli → build(options) → plan (keys, what is stale) → Dask tasks (zones' notebooks) →
    ranking.json → Dask tasks, one round: zones' reports (each with its rank) beside the
    provincial and national summaries (they read results, not reports) → portal → manifest.json

Tasks carry their inputs and bring back their outputs as bytes (tasks.py);
only this process writes OUT/, atomically, recording each task's manifest entry
as it ends (a journal line, folded into manifest.json at the end). The cluster
(run.py) is started or reached only when a task must run.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nzc_report.batch.manifest import BuildStatus
from nzc_report.results_model import ZoneResults, read_results
from nzc_report.atomic import write_bytes
from nzc_report.batch import manifest as mf
from nzc_report.batch.project import ZONE_NOTEBOOK_NAME, collect
from nzc_report.batch.executor import Executor, LocalExecutor, executor_name
from nzc_report.batch.cache import private_root
from nzc_report.batch.faults import OutputRefused, unwritable
from nzc_report.yamlfile import Fault
from nzc_report.messages import say
from nzc_report.batch.lock import BuildLock
from nzc_report.batch.run import scheduler_address
from nzc_report.batch.signals import BUILD_LOG
from nzc_report.batch.sweep import sweep
from nzc_report.batch.tasks import (TASK_DATA, TASK_OUT, TASK_PROJECT, ZONE_REPORT_INPUT, FailureKind, TaskKind,
                                    TaskOutcome, TaskSpec)
from nzc_report.batch.uptodate import done, up_to_date
from nzc_report.resources import SAMPLE_DATA_DIR, ZONE_NOTEBOOK, use_params

# The dataset, assess, plan and render layers (pandas, openpyxl…) are imported where a
# build needs them, not here: a build with nothing to do never loads them (uptodate.py).
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
    max_file_bytes: int | None = None  # default: nzc_report.dataset.io.DEFAULT_MAX_FILE_BYTES
    zone_notebook: Path = ZONE_NOTEBOOK
    warm_kernels: bool = True  # fork kernels from a warm template (see nzc_report/notebook/zygote.py)
    scheduler: str | None = None  # a Dask scheduler's address (else DASK_SCHEDULER_ADDRESS, else a LocalCluster)
    # params overlay (--params, a workspace's params/): a folder laid out like params/ whose files replace the project's
    params: Path | None = None
    zone_defaults: dict = field(default_factory=dict)  # keys a zone's params file leaves out (workspace)
    compare_to: Path | None = None  # OUT/<year-1> of a published build: last year's results read from it
    framework: str | None = None  # --framework (else the workspace's): for zones whose programme is empty
    # "dask" (the default, what the command line runs) or "local": the tasks in order in this process
    # (batch/executor.py); None: NZC_REPORT_EXECUTOR, else dask
    executor: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What the closing table shows of one zone or summary."""

    id: str  # zone id (zone, zone_report), "provinces/440000", "national" or "portal"
    kind: str  # zone (its notebook), zone_report (its PDF), province, national, portal
    status: BuildStatus  # built, up_to_date, failed, not_yet_approved
    seconds: float = 0.0
    reason: str | None = None  # in the build's language
    attempts: int = 0
    failure: str | None = None  # tasks.FailureKind's value when failed
    warnings: tuple[str, ...] = ()  # WeasyPrint's, of the PDF built
    fault: Fault | None = None  # the reason as a code with fields, when it has one: the closing table words it

    @classmethod
    def of(cls, task: TaskOutcome, lang: str | None = None) -> "Outcome":
        return cls(task.id, task.kind, task.status, task.seconds, task.said(lang), task.attempts,
                   task.failure.value if task.failure else None, task.warnings,
                   task.reason if isinstance(task.reason, Fault) else None)


@dataclass
class BuildResult:
    year: int
    out_dir: Path
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)  # of the build itself (its manifest could not be written)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == BuildStatus.FAILED]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed or self.problems else 0

    def count(self, kind: str, status: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind and o.status == status)


def task_fields(outcome: TaskOutcome, prefix: str = "", lang: str | None = None) -> dict:
    """How a task went, for its manifest entry (a zone's report's fields prefixed 'report_'); its
    reason in the build's language ``lang``, as the build's own faults are (faults.py)."""
    return {f"{prefix}status": outcome.status, f"{prefix}reason": outcome.said(lang),
            f"{prefix}failure": outcome.failure.value if outcome.failure else None,
            f"{prefix}attempts": outcome.attempts, f"{prefix}seconds": round(outcome.seconds, 3)}


# A zone's entry: its notebook's fields (key, status, …) and its report's, which a rerun of the
# notebook keeps (the report's key then decides) and a failed one drops (no report task runs).
REPORT_FIELDS = ("report_key", "rank", "report_status", "report_reason", "report_failure", "report_attempts",
                 "report_seconds", "warnings")


class Build:
    """One run of `nzc-report build`; holds the manifest as it is brought up to date."""

    def __init__(self, options: BuildOptions, stamp: str | None = None):
        from nzc_report.config import load_shared_params
        from nzc_report.batch.plan import (load_zone_params, placeholder_problems, select_zones, shared_params_digest,
                                           zone_data_digests, zone_key)
        from nzc_report.dataset import load_dataset, sha256_file
        from nzc_report.dataset.catalogue import msg
        from nzc_report.dataset.digest import dataset_digest
        from nzc_report.dataset.io import DEFAULT_MAX_FILE_BYTES

        self.options = options
        self.overlay = Path(options.params) if options.params else None
        self.stamp = stamp
        self.start = time.perf_counter()
        # Checked against the framework's indicators, as the notebooks will: a dataset
        # is refused here, before anything is written, not zone by zone.
        # Every shared params file (framework, rules, ...) is checked first (ConfigError, all at once).
        self.frameworks = load_shared_params(self.overlay)
        if options.framework is not None and options.framework not in self.frameworks.by_id:
            from nzc_report.errors import UsageError

            raise UsageError(say("unknown_framework", options.lang, value=options.framework,
                                 known=", ".join(self.frameworks.ids())))
        self.ds = load_dataset(options.data, max_file_bytes=options.max_file_bytes or DEFAULT_MAX_FILE_BYTES,
                               lang=options.lang, indicator_units=self.frameworks.units(),
                               programmes=self.frameworks.ids())
        for w in self.ds.warnings:
            log.warning("%s%s", msg("warning_prefix", options.lang), w)
        # Every zone's params file checked (schema) before anything is written.
        self.zone_params = load_zone_params(self.ds.zone_ids, self.overlay, options.zone_defaults)
        if placeholder := placeholder_problems(self.zone_params, self.ds.is_sample, self.overlay):
            from nzc_report.errors import ConfigError
            raise ConfigError(placeholder)  # the cover would name init's placeholder evaluating body
        # the year asked, within the dataset's years (the notebooks' per-zone datasets are not checked)
        self.year = self.ds.assessment_year(options.year, options.lang)
        self.zone_ids = select_zones(self.ds, options.zones, options.province)
        # cli.md v3: a zone approved after the assessment year is outside that year's cycle: not
        # built, listed as not yet approved, not counted by the summaries, not a failure
        approved = {r.zone_id: int(r.approved_year) for r in self.ds.tables["zones"].itertuples()}
        self.not_yet_approved = [z for z in self.ds.zone_ids if approved[z] > self.year]
        self.cycle_ids = [z for z in self.ds.zone_ids if z not in self.not_yet_approved]
        self.zone_ids = [z for z in self.zone_ids if z not in self.not_yet_approved]
        self.restricted = bool(options.zones or options.province)
        self.year_dir = Path(options.out) / str(self.year)
        self.previous = mf.Manifest.read(self.year_dir)  # what the last build left (typed); self.manifest: what this one writes
        self.inputs = self.ds.provenance()
        self.dataset_sha256 = dataset_digest(self.inputs)  # item 8: the manifest and summaries cite it
        self.key_options = {"year": self.year, "lang": options.lang, "pdf_variant": options.pdf_variant,
                            "notebook": sha256_file(options.zone_notebook),
                            "params": shared_params_digest(self.overlay)}
        self.manifest: dict[str, Any] = {
            "generator": {"name": "nzc-report", "version": mf.__version__},
            "versions": mf.versions(),
            "git_commit": mf.git_commit(),
            "year": self.year,
            "data": str(Path(options.data).resolve()),
            "inputs": self.inputs,
            "dataset_sha256": self.dataset_sha256,
            "options": {"lang": options.lang, "pdf_variant": options.pdf_variant,
                        "zones": options.zones, "province": options.province,
                        "params": str(self.overlay.resolve()) if self.overlay else None},
            "zones": dict(self.previous.data.get("zones", {})),
            "summaries": dict(self.previous.data.get("summaries", {})),
            # the ranking and the portal on disk, until this build makes them again: after a kill,
            # verify names what of them is stale (their recorded inputs)
            **{unit: dict(self.previous.data[unit]) for unit in ("ranking", "portal") if self.previous.data.get(unit)},
            "timings": {},
        }
        self.result = BuildResult(self.year, self.year_dir)
        self.unwritten: dict[str, str] = {}  # planned output → why OUT/ refused it (faults.py)
        for z in self.not_yet_approved:
            if not self.restricted or z in select_zones(self.ds, options.zones, options.province):
                when = Fault.of("not_yet_approved_when", approved=approved[z], year=self.year)
                self.result.outcomes.append(Outcome(z, "zone", BuildStatus.NOT_YET_APPROVED,
                                                    reason=when.said(options.lang), fault=when))
        zones = self.ds.tables["zones"]
        self.metas = {r.zone_id: {"zone_id": r.zone_id, "name": r.name, "zone_type": r.zone_type,
                                  "province_code": r.province,
                                  # an English summary names a zone not built by its English name too
                                  **({"name_en": r.name_en} if isinstance(getattr(r, "name_en", None), str)
                                     and r.name_en else {})}
                      for r in zones.itertuples()}
        self.manifest["zones"] = {z: e for z, e in self.manifest["zones"].items() if z in self.metas}
        self.digests = zone_data_digests(self.ds)
        # each zone's data digest in this build's dataset: what its results.json and report must cite
        self.manifest["zone_data_sha256"] = {z: self.digests[z] for z in self.ds.zone_ids}
        # the framework each zone is assessed under: its programme, else --framework or the workspace's, else
        # the default (cli.md v3); part of its key
        from nzc_report.assess.frameworks import chosen_framework

        self.zone_framework = {z: chosen_framework(self.ds.zone(z), options.framework, None) for z in self.ds.zone_ids}
        self.keys = {z: hashlib.sha256(f"{zone_key(self.ds, z, self.key_options, self.digests[z], self.zone_params[z])}"
                                       f":framework={self.zone_framework[z]}".encode()).hexdigest()
                     for z in self.ds.zone_ids}
        self.ranking: dict = {"zones": {}}  # written by write_ranking() after the zones
        self.report_options = {"lang": options.lang, "pdf_variant": options.pdf_variant,
                               "params": self.key_options["params"]}
        # --compare-to: a zone's published results of last year are part of its key; without it,
        # OUT/<year-1>/ where its manifest says the zone was built there (cli.md v3)
        self.published: dict[str, Path] = {}
        if options.compare_to is not None:  # checked whole before anything runs (compare.py): UsageError
            from nzc_report.batch.compare import check_finished, published_results

            check_finished(Path(options.compare_to), self.year_dir, self.year)
            self.published = published_results(Path(options.compare_to), self.ds.zone_ids, self.year)
        else:
            compare_to = Path(options.out) / str(self.year - 1)
            before = mf.Manifest.read(compare_to) if (compare_to / "manifest.json").is_file() else mf.Manifest({})
            built_before = {z for z, e in before.entries("zones").items() if e.built}
            for z in self.ds.zone_ids:
                path = compare_to / "zones" / z / "results.json"
                if path.is_file() and z in built_before:
                    self.published[z] = path
        for z, path in self.published.items():
                self.keys[z] = hashlib.sha256(f"{self.keys[z]}:{sha256_file(path)}".encode()).hexdigest()
        from nzc_report.batch.rectify import rectification_problems

        if bad := rectification_problems(self.ds, self.zone_ids, self.zone_params, self.year, self.overlay,
                                         self.published, self.options.framework):
            from nzc_report.errors import ConfigError
            raise ConfigError(bad)  # a plan for a problem last year did not have (cli.md v3)

    # -- zones ------------------------------------------------------------------
    def zone_spec(self, zone_id: str, rows: bytes) -> TaskSpec:
        """Paths are relative to the task's folder on the worker (see tasks.py)."""
        params: dict[str, Any] = {
            "zone_id": zone_id,
            "year": self.year,
            "data": f"{TASK_DATA}/{self.ds.source.name}",
            "out_dir": TASK_OUT,
            "rules": f"{TASK_PROJECT}/params/rules.yaml",
            "framework_id": self.zone_framework[zone_id],
            "zone_params": self.zone_params[zone_id],
            "lang": self.options.lang,
        }
        inputs: tuple[tuple[str, bytes], ...] = ()
        if zone_id in self.published:  # --compare-to: last year's published results travel with the task
            params["previous_results"] = f"{TASK_DATA}/previous-results.json"
            inputs = ((params["previous_results"], self.published[zone_id].read_bytes()),)
        return TaskSpec("zone", zone_id, ZONE_NOTEBOOK_NAME, params, self.options.timeout, self.options.lang,
                        self.options.pdf_variant, self.options.warm_kernels, zone_rows=rows, inputs=inputs)

    def zone_meta(self, zone_id: str) -> dict:
        return dict(self.metas[zone_id])

    def record(self, unit: str, folder: Path, outcome: TaskOutcome, entry: dict, planned: str,
               prefix: str = "", keep: tuple[str, ...] = ()) -> None:
        """Writes what the task brought back into OUT/ (each file atomically), then its manifest
        ``entry`` with every file of its folder, and strikes ``planned`` off. A file OUT/ refuses
        (disk full, a read-only file) fails this task alone: its entry says why (fields with
        ``prefix``), keeps the fields ``keep`` of the entry before, and ``planned`` stays listed."""
        reason = self.write_outputs(folder, outcome)
        if reason is None:
            self.decided(planned)
        else:
            log.error("%s: %s", outcome.id, reason)
            outcome = dataclasses.replace(outcome, status=BuildStatus.FAILED, failure=FailureKind.WRITE, reason=reason)
            before = self.manifest[unit].get(outcome.id) or {}
            entry.update(task_fields(outcome, prefix, self.options.lang))
            entry.update({k: before[k] for k in keep if k in before})
            self.unwritten[planned] = reason
        entry["outputs"] = mf.output_entries(self.year_dir, mf.outputs_of(folder))
        self.manifest[unit][outcome.id] = entry
        self.journal(unit, outcome.id, entry)  # after each task: a killed build loses nothing done
        self.result.outcomes.append(Outcome.of(outcome, self.options.lang))

    def write_outputs(self, folder: Path, outcome: TaskOutcome) -> str | None:
        """The task's files into ``folder``; why not, if OUT/ refused one."""
        try:
            for leftover in folder.glob("**/.*.tmp-*"):  # temporaries of a build that was killed
                leftover.unlink(missing_ok=True)
        except OSError:
            pass
        for name, data in outcome.outputs:
            target = safe_join(folder, name)
            try:
                write_bytes(target, data)
            except OSError as exc:
                return unwritable(target, exc, self.options.lang)
        return None

    def journal(self, unit: str, uid: str, entry: dict) -> None:
        try:
            mf.append_entry(self.year_dir, unit, uid, entry)
        except OSError as exc:
            lang = self.options.lang
            problem = say("fault_journal", lang, problem=unwritable(self.year_dir / mf.JOURNAL, exc, lang))
            if problem not in self.result.problems:
                log.error("%s", problem)
                self.result.problems.append(problem)

    def stale_zones(self) -> list[str]:
        """The zones in scope whose notebooks must run."""
        stale = []
        for zone_id in self.zone_ids:
            prev = self.previous.entry("zones", zone_id)
            if self.options.force or prev is None or not done(self.year_dir, prev.parts()[0], self.keys[zone_id]):
                stale.append(zone_id)
        return stale

    # -- planned outputs (manifest.PLANNED): listed before anything is written, struck off as decided
    def plan_outputs(self) -> dict[str, dict]:
        began = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        items: dict[str, list[str]] = {}
        for z in self.stale_zones():
            items[f"zone:{z}"] = [f"zones/{z}/"]  # a folder: every file in it
        for z in self.ds.zone_ids:  # any zone's report may move with the ranks
            if z in self.zone_ids or z in self.manifest["zones"]:
                items[f"zone_report:{z}"] = [f"zones/{z}/report.pdf"]
        for uid in self.summary_groups():
            items[f"summary:{uid}"] = [f"{uid}/"]
        items["ranking"], items["portal"] = ["ranking.json"], ["index.html", "portal/"]
        return {uid: {"paths": paths, "began": began} for uid, paths in items.items()}

    def decided(self, uid: str) -> None:
        """A planned output is decided (built, failed or up to date): struck off, in the journal too."""
        if self.manifest.get(mf.PLANNED, {}).pop(uid, None) is not None:
            self.journal(mf.PLANNED, uid, {"done": True})

    def withdraw_stale(self) -> None:
        """What this build will make again is not left presented as current meanwhile: the portal's
        front page goes until the portal is made again (a killed build leaves none, and verify says so)."""
        if any(uid.startswith("zone:") for uid in self.manifest[mf.PLANNED]):
            try:
                (self.year_dir / "index.html").unlink(missing_ok=True)
            except OSError as exc:
                log.warning("portal: %s", unwritable(self.year_dir / "index.html", exc, self.options.lang))

    def run_zones(self, executor: Executor) -> None:
        """The zones' notebooks: results.json, figures, the working paper (their reports come after the ranking)."""
        stale = self.stale_zones()
        for zone_id in self.zone_ids:
            if zone_id not in stale:
                self.result.outcomes.append(Outcome(zone_id, "zone", BuildStatus.UP_TO_DATE))
        if not stale:
            return
        from nzc_report.batch.explain import key_parts
        from nzc_report.notebook.shipped import zone_slices

        rows = zone_slices(self.ds, stale)
        specs = {z: self.zone_spec(z, rows.pop(z)) for z in stale}

        def zone_done(outcome: TaskOutcome) -> None:
            spec = specs[outcome.id]
            before = self.manifest["zones"].get(outcome.id) or {}
            kept = {k: before[k] for k in REPORT_FIELDS + ("report_inputs",) if k in before} \
                if outcome.status == BuildStatus.BUILT else {}
            self.withdraw_report(outcome)
            self.record("zones", self.year_dir / "zones" / outcome.id, outcome,
                        {**self.zone_meta(outcome.id), "parameters": spec.parameters, "key": self.keys[outcome.id],
                         "data_sha256": self.digests[outcome.id],  # the zone's data it was built from
                         "key_parts": key_parts(self, outcome.id),  # why it is stale next time (explain.py)
                         **task_fields(outcome, lang=self.options.lang), **kept}, f"zone:{outcome.id}")

        executor.run(list(specs.values()), "zones", zone_done)

    def withdraw_report(self, outcome: TaskOutcome) -> None:
        """A zone's report made from results other than those its notebook brought back now is
        removed before they are written (made again after the ranking, or missing if killed)."""
        folder = self.year_dir / "zones" / outcome.id
        new = dict(outcome.outputs).get("results.json")
        old = folder / "results.json"
        if new is not None and (folder / "report.pdf").exists() and (not old.is_file() or old.read_bytes() != new):
            try:
                (folder / "report.pdf").unlink()
            except OSError as exc:  # its report task will fail on it the same way, and say so
                log.warning("%s: %s", outcome.id, unwritable(folder / "report.pdf", exc, self.options.lang))

    # -- zone reports: after the ranking, each zone's PDF from its results and its rank --------
    def report_spec(self, zone_id: str) -> tuple[TaskSpec, str]:
        """The zone's report task (its results.json and figures as inputs, its rank) and key."""
        from nzc_report.batch.plan import report_key
        from nzc_report.render import PeerRank

        folder = self.year_dir / "zones" / zone_id
        results = (folder / "results.json").read_bytes()
        model = read_results(folder / "results.json", validate=False, data=results)
        figures = [(rel, path.read_bytes()) for rel, path in zone_figures(folder, model)]
        peer = PeerRank.of(self.ranking, zone_id)
        rank = peer.as_param() if peer is not None else None
        inputs = ((f"{ZONE_REPORT_INPUT}/results.json", results),
                  *((f"{ZONE_REPORT_INPUT}/{rel}", data) for rel, data in figures))
        spec = TaskSpec("zone_report", zone_id, "", {"rank": rank}, self.options.timeout, self.options.lang,
                        self.options.pdf_variant, self.options.warm_kernels, inputs=inputs)
        return spec, report_key(results, figures, rank, self.report_options)

    def plan_zone_reports(self) -> tuple[list[TaskSpec], Any]:
        """Every zone whose results are current gets its report brought up to date: in scope,
        and outside it where a zone's rank among its type moved. The tasks to run, and what
        records each one's outcome."""
        specs, keys = {}, {}
        for zone_id in self.ds.zone_ids:
            if self.zone_status(zone_id)[0] != BuildStatus.BUILT:
                self.decided(f"zone_report:{zone_id}")
                continue  # its notebook failed, or has not run: no report
            spec, key = self.report_spec(zone_id)
            entry = mf.Entry.of(self.manifest["zones"][zone_id])
            if not self.options.force and entry is not None and done(self.year_dir, entry.parts()[1], key):
                self.decided(f"zone_report:{zone_id}")
                if zone_id in self.zone_ids:
                    self.result.outcomes.append(Outcome(zone_id, "zone_report", BuildStatus.UP_TO_DATE))
            else:
                specs[zone_id], keys[zone_id] = spec, key

        def report_done(outcome: TaskOutcome) -> None:
            before = self.manifest["zones"][outcome.id]
            entry = {k: v for k, v in before.items() if k not in REPORT_FIELDS + ("report_inputs",)}
            results = dict(specs[outcome.id].inputs)[f"{ZONE_REPORT_INPUT}/results.json"]
            self.record("zones", self.year_dir / "zones" / outcome.id, outcome,
                        {**entry, "report_key": keys[outcome.id], "rank": specs[outcome.id].parameters["rank"],
                         **task_fields(outcome, "report_", self.options.lang), "warnings": list(outcome.warnings),
                         "report_inputs": {f"zones/{outcome.id}/results.json": hashlib.sha256(results).hexdigest()}},
                        f"zone_report:{outcome.id}", "report_", keep=("report_inputs",))

        return list(specs.values()), report_done

    # -- summaries ----------------------------------------------------------------
    def zone_status(self, zone_id: str) -> tuple[str, str | None, str]:
        """(status, reason, sha256 of results.json) of a zone for the summaries."""
        from nzc_report.dataset import sha256_file

        entry = mf.Entry.of(self.manifest["zones"].get(zone_id))
        in_scope = zone_id in self.zone_ids
        if entry is None:
            if in_scope:
                return "missing", "not built", ""
            return "outside", "not built yet (outside --zones/--province)", ""
        if not entry.built:
            return BuildStatus.FAILED, entry.reason, ""
        if not in_scope and entry.key != self.keys[zone_id]:
            return "stale", "out of date (outside --zones/--province)", ""
        results = self.year_dir / "zones" / zone_id / "results.json"
        if not results.is_file():
            return "missing", "results.json is missing", ""
        return BuildStatus.BUILT, None, sha256_file(results)

    def summary_spec(self, kind: TaskKind, uid: str, zone_ids: list[str]) -> tuple[TaskSpec, str]:
        from nzc_report.batch.plan import summary_key
        from nzc_report.summary.ranking import ranks_in_build

        metas, inputs, states = [], [], []
        for zid in zone_ids:
            status, reason, digest = self.zone_status(zid)
            metas.append({**self.zone_meta(zid), "status": status, "reason": reason})
            states.append((zid, status, digest))
            if status == BuildStatus.BUILT:
                data = (self.year_dir / "zones" / zid / "results.json").read_bytes()
                inputs.append((f"{TASK_DATA}/zones/{zid}.json", data))
        notebook = f"{kind}_summary.ipynb"
        # places among the whole build's final grades, not among this summary's zones only
        ranks = ranks_in_build(self.ranking.get("zones") or {}, zone_ids)
        params = {"year": self.year, "zone_results": [name for name, _ in inputs], "zones_meta": metas,
                  "ranking": ranks, "summary_config": f"{TASK_PROJECT}/params/summary.yaml",
                  "dataset": {"label": self.ds.label, "is_sample": self.ds.is_sample,
                              "report_date": self.ds.report_date, **self.summary_data(kind, zone_ids),
                              "cover": self.summary_cover},
                  "out_dir": TASK_OUT, "lang": self.options.lang}
        if kind == "province":
            params["province_code"] = uid.split("/")[1]
        spec = TaskSpec(kind, uid, notebook, params, self.options.timeout, self.options.lang,
                        self.options.pdf_variant, self.options.warm_kernels, inputs=tuple(inputs))
        # the data digest it cites (summary_data) and the cover: made again when either changes
        return spec, summary_key(notebook, states, {**self.key_options, "ranking": ranks,
                                                    "cites": params["dataset"]})

    def summary_data(self, kind: TaskKind, zone_ids: list[str]) -> dict:
        """The data digest a summary cites (issue 27 item 8; dataset/digest.py): the national one
        the whole dataset's (and its files'), a provincial one its zones' data."""
        from nzc_report.dataset.digest import zones_digest

        if kind == "national":
            return {"sha256": self.dataset_sha256, "files": self.inputs}
        return {"zones_data_sha256": zones_digest({z: self.digests[z] for z in zone_ids}),
                "files": [{"file": f["file"]} for f in self.inputs]}

    @property
    def summary_cover(self) -> dict:
        """The workspace's 文号, 编制/审核/批准 and evaluating body (nzc-report.yaml), on the summaries'
        covers as on the zone reports' (issue 29); params/report.yaml gives what it leaves out."""
        return {k: v for k, v in (self.options.zone_defaults or {}).items()
                if k in ("document_number", "sign_off", "evaluating_body") and v}

    def summary_groups(self) -> dict[str, tuple[TaskKind, list[str]]]:
        """Summary id → (kind, its zones): the provinces touched, and the nation in a full build."""
        all_ids = self.cycle_ids  # zones approved after the year are not counted
        provinces = sorted({self.zone_meta(z)["province_code"] for z in self.zone_ids})
        groups: dict[str, tuple[TaskKind, list[str]]] = {
            f"provinces/{code}": ("province", [z for z in all_ids if self.zone_meta(z)["province_code"] == code])
            for code in provinces}
        if not self.restricted:
            groups["national"] = ("national", all_ids)
        return groups

    def keeps_summary(self, uid: str, zone_ids: list[str]) -> str | None:
        """Why the summary on disk is kept rather than replaced by one of fewer zones (zones it
        counted failed or are missing in this build; not zones gone from the dataset), else None."""
        from nzc_report.batch.uptodate import outputs_intact

        prev = self.previous.entry("summaries", uid)
        if prev is None or not prev.built or not outputs_intact(self.year_dir, prev):
            return None
        lost = [z for z in zone_ids if self.zone_status(z)[0] in (BuildStatus.FAILED, "missing")]
        had = prev.inputs
        if had is not None:  # only zones the summary on disk counted
            lost = [z for z in lost if f"zones/{z}/results.json" in had]
        if not lost:
            return None
        return say("summary_not_rebuilt", self.options.lang, zones=say("cfg_list_sep", self.options.lang).join(lost))

    def plan_summaries(self) -> tuple[list[TaskSpec], Any]:
        """The summaries to run, and what records each one's outcome. Both kinds read only zones'
        results (their notebooks' status, results.json, the ranking), never a zone's report."""
        groups = self.summary_groups()
        specs, keys = {}, {}
        for uid, (kind, zone_ids) in sorted(groups.items()):
            spec, key = self.summary_spec(kind, uid, zone_ids)
            keys[uid] = key
            if not self.options.force and done(self.year_dir, self.previous.entry("summaries", uid), key):
                self.decided(f"summary:{uid}")
                self.result.outcomes.append(Outcome(uid, kind, BuildStatus.UP_TO_DATE))
            elif (kept := self.keeps_summary(uid, zone_ids)) is not None:
                self.decided(f"summary:{uid}")
                self.result.outcomes.append(Outcome(uid, kind, BuildStatus.FAILED, reason=kept, failure="kept"))
            else:
                specs[uid] = spec

        def summary_done(outcome: TaskOutcome) -> None:
            kind, zone_ids = groups[outcome.id]
            inputs = {f"zones/{Path(name).stem}/results.json": hashlib.sha256(data).hexdigest()
                      for name, data in specs[outcome.id].inputs}
            self.record("summaries", self.year_dir / outcome.id, outcome,
                        {"kind": kind, "zones": zone_ids, "key": keys[outcome.id], **task_fields(outcome, lang=self.options.lang),
                         "warnings": list(outcome.warnings),
                         "inputs": inputs},  # the ranks it shows are in its key (a move of other ranks does not stale it)
                        f"summary:{outcome.id}", keep=("inputs",))

        return list(specs.values()), summary_done

    def run_reports_and_summaries(self, executor: Executor) -> None:
        """The zones' reports and the summaries in one round: the summaries need the zones'
        results and the ranking, not the reports, so a worker free of reports takes a summary
        (and the long national summary starts first). Timings: reports_seconds and
        summaries_seconds from the round's start to its last task of that kind, and the round's."""
        start = time.perf_counter()
        summaries, summary_done = self.plan_summaries()
        reports, report_done = self.plan_zone_reports()
        timings = self.manifest["timings"]
        timings["reports_seconds"] = timings["summaries_seconds"] = 0.0

        def task_done(outcome: TaskOutcome) -> None:
            if outcome.kind == "zone_report":
                report_done(outcome)
                timings["reports_seconds"] = round(time.perf_counter() - start, 3)
            else:
                summary_done(outcome)
                timings["summaries_seconds"] = round(time.perf_counter() - start, 3)

        national = [s for s in summaries if s.kind == "national"]
        provinces = [s for s in summaries if s.kind != "national"]
        executor.run([*national, *provinces, *reports], "zone reports and summaries", task_done)
        timings["reports_and_summaries_seconds"] = round(time.perf_counter() - start, 3)

    # -- ranking.json (cli.md v2): after the zones, before the summaries -------------
    def write_ranking(self) -> None:
        """OUT/<year>/ranking.json over every zone whose results are current."""
        from nzc_report.atomic import write_json
        from nzc_report.summary.ranking import rank_zones

        zones = []
        for zid in self.ds.zone_ids:
            if self.zone_status(zid)[0] == BuildStatus.BUILT:
                r = read_results(self.year_dir / "zones" / zid / "results.json", validate=False)  # written validated
                zones.append({"zone_id": zid, "zone_type": r.zone_type, "score": r.score,
                              "framework": r.framework.get("id"),
                              "outcome_status": r.outcome.status if r.outcome is not None else None,
                              "provisional": bool(r.grade_provisional), "reference_only": r.reference_only})
        self.ranking = rank_zones(zones)
        try:
            write_json(self.year_dir / "ranking.json", self.ranking)
        except OSError as exc:  # the reports and summaries go on with the ranking in hand
            reason = unwritable(self.year_dir / "ranking.json", exc, self.options.lang)
            log.error("ranking: %s", reason)
            self.unwritten["ranking"] = reason
            self.result.outcomes.append(Outcome("ranking", "ranking", BuildStatus.FAILED, reason=reason, failure="write"))
            return
        self.manifest["ranking"] = {"ranking": {
            "outputs": mf.output_entries(self.year_dir, [self.year_dir / "ranking.json"]),
            "inputs": mf.digests(self.year_dir, [f"zones/{z['zone_id']}/results.json" for z in zones])}}
        self.journal("ranking", "ranking", self.manifest["ranking"]["ranking"])  # a kill: not the last build's entry
        self.decided("ranking")

    # -- the reviewers' portal: OUT/<year>/index.html and portal/, a Dask task after the summaries.
    # This process plans it (what the pages are made from; working papers whose key is unchanged
    # are kept, not made again), the task makes the pages from bytes (batch/portal_task.py),
    # and this process writes only the files whose bytes changed. Recorded as
    # manifest["portal"]["portal"] (key, sources: paper keys, outputs) so that `verify` covers it.
    def run_portal(self, executor: Executor) -> None:
        from nzc_report.batch.portal_task import portal_spec
        from nzc_report.portal import plan_portal, write_pages

        from nzc_report.portal.depends import page_inputs

        t = time.perf_counter()
        previous = (self.previous.data.get("portal") or {}).get("portal") or {}  # kept whole when up to date
        try:
            plan = plan_portal(self.year_dir, self.options.lang, known=previous.get("sources"), manifest=self.manifest)
            pages = page_inputs(plan.inputs)
        except Exception as exc:  # the portal failing must not lose the reports: recorded, exit 1
            return self.portal_failed(TaskOutcome("portal", "portal", BuildStatus.FAILED, time.perf_counter() - t, 0,
                                                  FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}"))
        if not self.options.force and done(self.year_dir, mf.Entry.of(previous), plan.key):
            self.manifest["portal"] = {"portal": previous}  # nothing it shows changed: no task, no cluster
            self.result.outcomes.append(Outcome("portal", "portal", BuildStatus.UP_TO_DATE))
            return
        outcomes: list[TaskOutcome] = []
        executor.run([portal_spec(plan.inputs, self.options.timeout)], "portal", outcomes.append)
        outcome = outcomes[0]
        if outcome.status != BuildStatus.BUILT:
            return self.portal_failed(outcome)
        try:
            written = write_pages(self.year_dir, dict(outcome.outputs), plan.kept)
        except OSError as exc:
            self.unwritten["portal"] = unwritable(self.year_dir / "portal", exc, self.options.lang)
            return self.portal_failed(TaskOutcome("portal", "portal", BuildStatus.FAILED, outcome.seconds, outcome.attempts,
                                                  FailureKind.WRITE, self.unwritten["portal"]))
        except ValueError as exc:
            return self.portal_failed(TaskOutcome("portal", "portal", BuildStatus.FAILED, outcome.seconds, outcome.attempts,
                                                  FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}"))
        status = BuildStatus.BUILT if written.changed or written.removed else BuildStatus.UP_TO_DATE
        # each page's inputs (portal/depends.py) and their digests: verify names a stale page
        made_from = {p.relative_to(self.year_dir).as_posix(): pages.get(p.relative_to(self.year_dir).as_posix(), [])
                     for p in written.paths}
        inputs = mf.digests(self.year_dir, sorted({rel for rels in made_from.values() for rel in rels}))
        self.manifest["portal"] = {"portal": {"status": BuildStatus.BUILT, "key": plan.key, "sources": plan.keys,
                                              "outputs": mf.output_entries(self.year_dir, written.paths),
                                              "inputs": inputs, "page_inputs": made_from}}
        self.journal("portal", "portal", self.manifest["portal"]["portal"])
        self.result.outcomes.append(Outcome("portal", "portal", status, time.perf_counter() - t))

    def portal_failed(self, outcome: TaskOutcome) -> None:
        """The pages on disk stay listed with what they were made from: verify names those now stale."""
        log.error("portal: %s", outcome.said(self.options.lang))
        previous = (self.previous.data.get("portal") or {}).get("portal") or {}
        kept = {k: previous[k] for k in ("outputs", "inputs", "page_inputs") if k in previous}
        self.manifest["portal"] = {"portal": {"outputs": [], **kept, "status": BuildStatus.FAILED,
                                              "reason": outcome.said(self.options.lang)}}
        self.result.outcomes.append(Outcome.of(outcome, self.options.lang))

    # -- the whole build ------------------------------------------------------------
    def timed(self, name: str, step, *args) -> None:
        t = time.perf_counter()
        step(*args)
        self.manifest["timings"][name] = round(time.perf_counter() - t, 3)

    def run(self, executor: Executor | None = None) -> BuildResult:
        """Runs the build while holding OUT/<year>'s lock (lock.py): a second build there refuses."""
        executor = executor or executor_for(self.options)
        try:
            lock = BuildLock.acquire(self.year_dir)
        except BaseException:
            executor.close()
            raise
        try:
            route_logs = getattr(executor, "route_logs", None)  # Dask's executor (an in-process one has no Dask log)
            if route_logs is not None:
                route_logs(self.year_dir / BUILD_LOG)
            self.reload_previous()
            return self._run(executor)
        finally:
            lock.release()
            sweep()  # kernel and task folders of workers stopped mid-task (Ctrl-C), now gone

    def reload_previous(self) -> None:
        """The manifest as it is now that this build holds the lock (another build may have ended
        between this build's planning and its lock)."""
        previous = mf.Manifest.read(self.year_dir)
        if previous != self.previous:
            self.previous = previous
            self.manifest["zones"] = {z: e for z, e in previous.data.get("zones", {}).items() if z in self.metas}
            self.manifest["summaries"] = dict(previous.data.get("summaries", {}))
            for unit in ("ranking", "portal"):
                self.manifest.pop(unit, None)
                if previous.data.get(unit):
                    self.manifest[unit] = dict(previous.data[unit])

    def _run(self, executor: Executor) -> BuildResult:
        try:
            # this build's manifest (no stamp: not up to date until it ends; every output it will
            # write listed as planned before any is written), then a journal line a task
            self.manifest[mf.PLANNED] = self.plan_outputs()
            try:
                mf.write_manifest(self.year_dir, self.manifest)
            except OSError as exc:
                lang = self.options.lang
                raise OutputRefused(say("fault_nothing_built", lang,
                                        problem=unwritable(self.year_dir / mf.MANIFEST, exc, lang))) from None
            self.withdraw_stale()
            self.timed("zones_seconds", self.run_zones, executor)
            self.timed("ranking_seconds", self.write_ranking)
            self.run_reports_and_summaries(executor)
            self.timed("portal_seconds", self.run_portal, executor)
            if "portal" not in self.unwritten:
                self.decided("portal")
        except KeyboardInterrupt:
            self.save_manifest()
            raise
        finally:
            executor.close()
        self.result.seconds = time.perf_counter() - self.start
        self.manifest["timings"]["total_seconds"] = round(self.result.seconds, 3)
        self.manifest["up_to_date"] = self.stamps()
        # the build ended: each planned output was decided, but those OUT/ refused (verify names them)
        planned = self.manifest.pop(mf.PLANNED, {})
        unwritten = {uid: {**item, "reason": self.unwritten[uid]} for uid, item in planned.items() if uid in self.unwritten}
        if unwritten:
            self.manifest[mf.PLANNED] = unwritten
        self.save_manifest()
        return self.result

    def save_manifest(self) -> None:
        """manifest.json at the end; if OUT/ refuses it, the build says so and exits 1."""
        try:
            mf.write_manifest(self.year_dir, self.manifest)
        except OSError as exc:
            lang = self.options.lang
            problem = say("fault_manifest", lang, problem=unwritable(self.year_dir / mf.MANIFEST, exc, lang))
            log.error("%s", problem)
            self.result.problems.append(problem)


    def stamps(self) -> list[dict]:
        """What the next identical build may skip (uptodate.py): this build's stamp when nothing
        failed, and earlier ones (other option sets) only if this build rewrote no output."""
        if self.result.failed or self.result.problems or not self.stamp:
            return []
        rewrote = any(o.status == BuildStatus.BUILT for o in self.result.outcomes)
        earlier = [] if rewrote else [d for d in self.previous.data.get("up_to_date") or []
                                      if isinstance(d, dict) and d.get("stamp") != self.stamp]
        current = {"stamp": self.stamp, "zones": self.zone_ids, "summaries": sorted(self.summary_groups())}
        return [current, *earlier][:4]


def safe_join(folder: Path, name: str) -> Path:
    """``folder / name`` for a relative path a task returned; refuses one that leaves ``folder``."""
    path = Path(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{name!r}: a task output must be a relative path inside its folder")
    return folder / path


def zone_figures(folder: Path, results: ZoneResults) -> list[tuple[str, Path]]:
    """The figure files results.json names that its zone's folder holds; one it names but
    lacks (or outside the folder) is left out: the renderer says so in WeasyPrint's warnings."""
    found = []
    for rel in sorted({str(v) for v in results.figures.values()}):
        try:
            path = safe_join(folder, rel)
        except ValueError:
            continue
        if path.is_file():
            found.append((rel, path))
    return found


def build(options: BuildOptions) -> BuildResult:
    # The overlay reaches whatever this process reads through params_file; tasks get it in their project files.
    with use_params(options.params):
        return _build(options)


def _build(options: BuildOptions) -> BuildResult:
    if scheduler_address(options.scheduler) is None:  # this machine's workers run from this user's cache
        private_root()  # CacheRefused (exit 2) before anything runs
    sweep()  # what killed builds of this user left in the temporary folder
    year_dir, stamped, stamp = up_to_date(options)
    if year_dir is not None and not options.force:
        assert stamped is not None  # up_to_date gives both or neither
        manifest = mf.Manifest.read(year_dir)
        summaries = manifest.entries("summaries")
        kinds = {s: summaries[s].kind or "province" for s in stamped.summaries}
        result = BuildResult(int(manifest.data["year"]), year_dir,
                             [Outcome(z, kind, BuildStatus.UP_TO_DATE) for z in stamped.zones
                              for kind in ("zone", "zone_report")]
                             + [Outcome(s, kinds[s], BuildStatus.UP_TO_DATE) for s in stamped.summaries])
        return result
    # perf: a rebuild (a manifest in OUT/) starts its embedded cluster while the dataset is read
    executor = executor_for(options)
    if any(Path(options.out).glob("*/manifest.json")):
        early_logs = getattr(executor, "route_early_logs", None)  # until the year folder is known (signals.py)
        if early_logs is not None:
            early_logs(Path(options.out))
        executor.start()
    try:
        build = Build(options, stamp)
    except BaseException:
        executor.close()
        raise
    return build.run(executor)


def executor_for(options: BuildOptions) -> Executor:
    """The Dask executor (run.py), or the in-process one (executor.py) when asked for."""
    overlay = Path(options.params) if options.params else None

    def project():
        return collect(options.zone_notebook, overlay)

    # --scheduler asks for a Dask cluster: it wins over NZC_REPORT_EXECUTOR, not over BuildOptions.executor
    name = executor_name(options.executor or ("dask" if options.scheduler else None))
    if name == "local":
        if options.scheduler:
            from nzc_report.errors import UsageError

            raise UsageError("--scheduler runs the tasks on a Dask cluster: not with the in-process executor")
        return LocalExecutor(options.warm_kernels, project=project)
    from nzc_report.batch.run import DaskExecutor

    return DaskExecutor(options.jobs or os.cpu_count() or 1, options.scheduler, options.warm_kernels, project=project,
                        lang=options.lang)
