"""One zone's notebook, one zone's report or one summary, run on a worker that shares no files
with the build.

A TaskSpec carries everything the task reads: the notebook's parameters
(paths relative to the task's own folder), the zone's rows of the dataset
and any other input files, as bytes; the project files come alongside (see
project.py). A TaskOutcome carries everything it wrote, as bytes: only the
build process writes OUT/.

On the worker a task runs in a fresh folder of its own:

    <task>/project -> the unpacked project files (notebooks, templates, params)
    <task>/in/      the dataset stand-in and its rows, other inputs
    <task>/out/     what the notebook and the renderer write: returned, then deleted

A worker computes nothing itself: the notebook computes in its kernel, the
worker renders the PDF from what the notebook wrote. A zone runs in two tasks:
its notebook ('zone': results.json, figures, the working paper), then, once the
build has ranked every zone, its report ('zone_report': report.pdf from that
results.json and figures, shipped as inputs, and the zone's rank). A summary
runs its notebook and renders in one task.
"""
from __future__ import annotations

import enum
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from nzc_report.batch.manifest import BuildStatus
from nzc_report.errors import NotebookExecutionError, NzcError, ZoneBuildError
from nzc_report.yamlfile import Fault, worded
from nzc_report.resources import Project

if TYPE_CHECKING:
    from nzc_report.portal import PortalInputs

log = logging.getLogger("nzc_report")

TASK_DATA = "in"
TASK_OUT = "out"
TASK_PROJECT = "project"
ZONE_REPORT_INPUT = f"{TASK_DATA}/zone"  # a zone_report task's results.json and figures/

# zone: a zone's notebook; zone_report: its PDF, after the ranking; province, national: a summary
TaskKind = Literal["zone", "zone_report", "province", "national", "portal"]


class FailureKind(str, enum.Enum):
    NOTEBOOK = "notebook"  # a cell raised
    TIMEOUT = "timeout"  # a cell ran longer than --timeout
    KERNEL = "kernel"  # the kernel died or never started (retried once)
    RENDER = "render"  # the PDF could not be made
    WORKER = "worker"  # its workers died too often (allowed-failures), or the cluster had none left (run.py)
    INTERNAL = "internal"  # a bug: an unexpected exception
    WRITE = "write"  # OUT/ refused its file (disk full, read-only file): the build process's write (faults.py)


@dataclass(frozen=True)
class TaskSpec:
    kind: TaskKind
    id: str  # zone id (zone, zone_report), "provinces/440000" or "national"
    notebook: str  # file name under the project's notebooks/ ("" for a zone_report)
    parameters: dict  # the notebook's parameters, paths relative to the task folder; a zone_report's: its rank
    timeout: float
    lang: str
    pdf_variant: str | None
    warm: bool
    zone_rows: bytes | None = None  # the zone's rows (nzc_report.notebook.shipped), zones only
    inputs: tuple[tuple[str, bytes], ...] = ()  # other files, relative to the task folder
    portal: PortalInputs | None = None  # kind "portal" only (portal_task.py): what the portal is made from

    @property
    def output_name(self) -> str:
        return "assessment.ipynb" if self.kind == "zone" else "summary.ipynb"


@dataclass(frozen=True)
class TaskOutcome:
    id: str
    kind: TaskKind
    status: BuildStatus  # built, failed
    seconds: float
    attempts: int  # notebook runs (a dead kernel is retried once)
    failure: FailureKind | None = None
    # why it failed: a Fault (a code with fields, made on the worker, worded by the build in its
    # language: said()), or the words of what raised (a cell's error, an unexpected exception)
    reason: str | Fault | None = None
    outputs: tuple[tuple[str, bytes], ...] = ()  # relative path in the task's output folder → content
    warnings: tuple[str, ...] = ()  # WeasyPrint's, of the PDF it rendered
    worker: str = ""

    @classmethod
    def lost(cls, spec: TaskSpec, failure: FailureKind, reason: str | Fault, attempts: int = 0) -> "TaskOutcome":
        """A task that never came back from the cluster (``attempts``: the workers that died running it)."""
        return cls(spec.id, spec.kind, BuildStatus.FAILED, 0.0, attempts, failure, reason)

    def said(self, lang: str | None) -> str | None:
        """The reason in ``lang`` (the build's): for the manifest, the closing table, the progress line."""
        return None if self.reason is None else str(worded(self.reason, lang))


@dataclass
class _Attempt:
    count: int = 0
    failure: FailureKind | None = None
    reason: str | Fault | None = None


def _run_notebook(spec: TaskSpec, folder: Path, attempt: _Attempt) -> None:
    """Executes the task's notebook; a dead or unstartable kernel is retried once."""
    from nzc_report.notebook import execute

    while True:
        attempt.count += 1
        try:
            execute(folder / TASK_PROJECT / "notebooks" / spec.notebook, folder / TASK_OUT / spec.output_name,
                    spec.parameters, zone_id=spec.id, timeout=spec.timeout, cwd=folder, warm=spec.warm)
            return
        except NotebookExecutionError as exc:
            if exc.retryable and attempt.count < 2:
                log.warning("%s: %s; retrying once", spec.id, exc.reason)
                continue
            raise


_NOTEBOOK_FAILURES = {"error": FailureKind.NOTEBOOK, "timeout": FailureKind.TIMEOUT, "kernel": FailureKind.KERNEL}


def _dask_worker():
    """The Dask worker running this task; None in any other process (the in-process executor's:
    a process that has not imported distributed is no worker, and importing it to ask costs
    about 0.6 s of CPU)."""
    if "distributed" not in sys.modules:
        return None
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def _scratch() -> Path:
    """The worker's local directory when running in a Dask worker, else the system's."""
    worker = _dask_worker()
    return Path(worker.local_directory) if worker is not None else Path(tempfile.gettempdir())


def _worker_name() -> str:
    worker = _dask_worker()
    return worker.address if worker is not None else f"pid {os.getpid()}"


def _prepare(spec: TaskSpec, folder: Path, project_root: Path) -> None:
    from nzc_report.notebook.shipped import unpack

    (folder / TASK_PROJECT).symlink_to(project_root, target_is_directory=True)
    (folder / TASK_DATA).mkdir()
    (folder / TASK_OUT).mkdir()
    if spec.zone_rows is not None:
        unpack(spec.zone_rows, folder / TASK_DATA)
    for name, data in spec.inputs:
        path = (folder / name).resolve()
        if folder.resolve() not in path.parents:
            raise ValueError(f"input {name!r} would be written outside the task folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _outputs(out: Path) -> tuple[tuple[str, bytes], ...]:
    return tuple((p.relative_to(out).as_posix(), p.read_bytes()) for p in sorted(out.rglob("*"))
                 if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts))


def _render(spec: TaskSpec, folder: Path, project: Project) -> list[str]:
    """The task's PDF into out/, rendered with ``project``'s files; WeasyPrint's warnings."""
    if spec.kind == "zone_report":
        from nzc_report.render import PeerRank, render_zone_pdf

        rank = spec.parameters.get("rank")
        return render_zone_pdf(folder / ZONE_REPORT_INPUT, lang=spec.lang, pdf_variant=spec.pdf_variant,
                               rank=PeerRank(**rank) if rank is not None else None,
                               target=folder / TASK_OUT / "report.pdf", project=project)
    from nzc_report.render.summary import render_summary_pdf

    return render_summary_pdf(folder / TASK_OUT, lang=spec.lang, pdf_variant=spec.pdf_variant, project=project)


def _execute(spec: TaskSpec, folder: Path, root: Path, attempt: _Attempt) -> list[str]:
    """Runs the notebook (not for a zone_report), then renders (not for a zone) with the project
    files unpacked at ``root`` (their params/ already holds the build's overlay); returns warnings."""
    if spec.kind == "zone_report":
        attempt.count += 1
    else:
        _run_notebook(spec, folder, attempt)
    if spec.kind == "zone":
        return []
    # one document, bounded in time (limits.yaml): past it, it fails alone (deadline.py), in a
    # fork of this process that inherits what the renders share, built here once (render/warm.py)
    from nzc_report.batch.deadline import within
    from nzc_report.dataset.catalogue import limits
    from nzc_report.render.warm import warm

    project = Project(root)
    warm(project, spec.lang)
    return within(float(limits()["render_timeout_seconds"]), lambda: _render(spec, folder, project), spec.id)


def _why(exc: NzcError, named: bool = False) -> str | Fault:
    """An error's reason: its Fault when it carries one (worded by the build, in its language), else
    its words (with its type's name when ``named``)."""
    if exc.args and isinstance(exc.args[0], Fault):
        return exc.args[0]
    return f"{type(exc).__name__}: {exc}" if named else str(exc)


def run_task(spec: TaskSpec, project) -> TaskOutcome:
    """Runs one task (zone notebook, zone report, summary); never raises.

    ``project``: the build's ProjectFiles (project.py), unpacked once per worker.
    """
    if spec.kind == "portal":  # the reviewers' portal: no notebook (portal_task.py)
        return run_portal_task(spec, project)
    from nzc_report.batch.cache import materialise

    start = time.perf_counter()
    attempt = _Attempt()
    folder = Path(tempfile.mkdtemp(prefix=f"nzc-task-{os.getpid()}-", dir=_scratch()))  # pid: batch/sweep.py
    try:
        root = materialise(project)
        _prepare(spec, folder, root)
        warnings: list[str] = []
        try:
            warnings = _execute(spec, folder, root, attempt)
        except NotebookExecutionError as exc:
            attempt.failure, attempt.reason = _NOTEBOOK_FAILURES.get(exc.kind, FailureKind.NOTEBOOK), exc.reason
        except ZoneBuildError as exc:
            attempt.failure, attempt.reason = FailureKind.RENDER, exc.reason
        except NzcError as exc:
            attempt.failure, attempt.reason = FailureKind.RENDER, _why(exc)
        except Exception as exc:
            attempt.failure, attempt.reason = FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}"
        outputs = _outputs(folder / TASK_OUT)
    except NzcError as exc:  # the private cache refused (cache.py): its Fault, worded by the build
        attempt.failure, attempt.reason = FailureKind.INTERNAL, _why(exc, named=True)
        outputs, warnings = (), []
    except Exception as exc:
        attempt.failure, attempt.reason = FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}"
        outputs, warnings = (), []
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    status = BuildStatus.FAILED if attempt.failure else BuildStatus.BUILT
    return TaskOutcome(spec.id, spec.kind, status, time.perf_counter() - start, attempt.count,
                       attempt.failure, attempt.reason, outputs, tuple(warnings), _worker_name())


def run_portal_task(spec: TaskSpec, project) -> TaskOutcome:
    """Makes the portal's pages on a worker; never raises. outputs: path from the year folder → bytes."""
    from nzc_report.batch.cache import materialise
    from nzc_report.portal import make_portal

    start = time.perf_counter()
    try:
        if spec.portal is None:
            raise ValueError("a portal task without its inputs")
        pages = make_portal(spec.portal, Project(materialise(project)))
    except NzcError as exc:
        return TaskOutcome(spec.id, spec.kind, BuildStatus.FAILED, time.perf_counter() - start, 1, FailureKind.RENDER,
                           _why(exc), worker=_worker_name())
    except Exception as exc:
        return TaskOutcome(spec.id, spec.kind, BuildStatus.FAILED, time.perf_counter() - start, 1, FailureKind.INTERNAL,
                           f"{type(exc).__name__}: {exc}", worker=_worker_name())
    return TaskOutcome(spec.id, spec.kind, BuildStatus.BUILT, time.perf_counter() - start, 1,
                       outputs=tuple(sorted(pages.items())), worker=_worker_name())
