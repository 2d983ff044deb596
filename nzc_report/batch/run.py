"""Running tasks on Dask: an embedded LocalCluster, or an existing cluster at --scheduler.

The cluster is started (or reached) only when some task must run: a build
with nothing to do never imports Dask. A rebuild may start its embedded
cluster early (start()), in the background while the build reads the
dataset; it never contacts a --scheduler before a task must run. Tasks ask for the resource that
NzcWorkerPlugin gives the workers that passed its checks (one task at a time
per worker). A worker that dies mid-task has its task rescheduled by the
scheduler (distributed.scheduler.allowed-failures); past that the task is
failed alone, with failure kind WORKER.
"""
from __future__ import annotations

import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from nzc_report import __version__
from nzc_report.batch.project import ProjectFiles
from nzc_report.batch.tasks import FailureKind, TaskOutcome, TaskSpec, run_task
from nzc_report.errors import EnvironmentProblem

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

log = logging.getLogger("nzc_report")
CONNECT_TIMEOUT = "10s"
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"


class Progress:
    """A bar on a terminal (tqdm, following the futures as they complete), one log line per task otherwise."""

    def __init__(self, total: int, label: str):
        self.bar = None
        if total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="task", file=sys.stderr, leave=False)

    def task_done(self, outcome: TaskOutcome) -> None:
        line = f"{outcome.id}: {outcome.status} in {outcome.seconds:.1f} s"
        if outcome.reason:
            line += f": {outcome.reason}"
        if self.bar is not None:
            self.bar.update(1)
            if outcome.status != "built":
                self.bar.write(line, file=sys.stderr)
        else:
            (log.info if outcome.status == "built" else log.error)("%s", line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def scheduler_address(option: str | None) -> str | None:
    return option or os.environ.get(SCHEDULER_ENV) or None


def _project(project: ProjectFiles) -> ProjectFiles:
    return project


def _has_dashboard() -> bool:
    try:
        import bokeh  # noqa: F401  (Dask's dashboard needs it)
    except ImportError:
        return False
    return True


class DaskExecutor:
    """A Dask client for one build, connected on first use, closed at the end."""

    def __init__(self, jobs: int, scheduler: str | None, warm: bool, project: Callable[[], ProjectFiles]):
        self.jobs = max(1, jobs)
        self.address = scheduler_address(scheduler)
        self.warm = warm
        self._make_project = project
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self._project_future: Future | None = None
        self._resource = ""
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None

    # -- connecting -----------------------------------------------------------------
    def _connect(self, tasks: int) -> None:
        from distributed import Client, LocalCluster

        if self.address:
            try:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise EnvironmentProblem(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}. Start it (dask scheduler; "
                    f"dask worker {self.address}), or build without --scheduler and {SCHEDULER_ENV} to use "
                    "this machine's cores") from None
        else:
            import dask

            with dask.config.set({"distributed.scheduler.allowed-failures": 3}):
                # Only as many workers as the first tasks can use (a one-zone rebuild starts one);
                # _scale adds workers, up to --jobs, when a later run has more tasks.
                self.cluster = LocalCluster(n_workers=min(self.jobs, tasks), threads_per_worker=1, processes=True,
                                            dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                                            local_directory=tempfile.gettempdir(), host="127.0.0.1")
            self.client = Client(self.cluster, set_as_default=False)
        if _has_dashboard() and "dashboard" in self.client.scheduler_info().get("services", {}):
            log.info("Dask dashboard: %s", self.client.dashboard_link)
        self._register_plugin()

    def _register_plugin(self) -> None:
        from nzc_report.batch.worker import NzcWorkerPlugin, package_digest, resource_name, worker_problems

        digest = package_digest()
        self._resource = resource_name(__version__, digest)
        assert self.client is not None  # _connect made it
        self.client.register_plugin(NzcWorkerPlugin(__version__, digest, self.warm))
        found = self.client.run(worker_problems)
        refused = {w: p for w, p in sorted(found.items()) if p}
        for worker, problems in refused.items():
            log.error("worker %s refused: %s", worker, "; ".join(problems))
        if found and len(refused) == len(found):
            where = f"the cluster at {self.address}" if self.address else "this machine"
            raise EnvironmentProblem(f"no worker of {where} can run nzc-report tasks: " + "; ".join(
                f"{w}: {', '.join(p)}" for w, p in refused.items()))
        if not found:
            log.warning("the cluster at %s has no worker yet; tasks wait for one", self.address)

    def start(self) -> None:
        """Starts an embedded cluster of one worker in the background (more join in _scale when the
        tasks are known); nothing for --scheduler, which is reached only when a task must run."""
        if self.address or self.client is not None or self._starting is not None:
            return

        def connect() -> None:
            try:
                self._connect(1)
            except BaseException as exc:  # raised again by _ensure, in the build's thread
                self._start_error = exc

        self._starting = threading.Thread(target=connect, name="nzc-cluster-start", daemon=True)
        self._starting.start()

    def _started(self) -> None:
        """Waits for start(); its failure, if any, is raised here."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        error, self._start_error = self._start_error, None
        if error is not None:
            raise error

    def _ensure(self, tasks: int) -> None:
        self._started()
        if self.client is None:
            self._connect(tasks)
        else:
            self._scale(tasks)
        assert self.client is not None  # _connect made it
        if self._project_future is None:
            project = self._make_project()
            # One small task holding the project files: fetched once by each worker that needs
            # it, recomputed by the scheduler if the worker holding it dies.
            self._project_future = self.client.submit(_project, project, key=project.key, pure=False)

    def _scale(self, tasks: int) -> None:
        """An embedded cluster grows towards min(--jobs, tasks) workers; the tasks start on the workers
        already there, and the new ones join when their plugin has set them up."""
        if self.cluster is None:
            return
        wanted, have = min(self.jobs, tasks), len(self.cluster.worker_spec)
        # A worker started now competes with the tasks already running on the warm ones: worth it
        # only for more than two tasks a worker (a one-zone rebuild's two summaries stay on one).
        if have < wanted and tasks > 2 * have:
            self.cluster.scale(wanted)

    # -- running ----------------------------------------------------------------------
    def run(self, specs: list[TaskSpec], label: str, on_done: Callable[[TaskOutcome], None]) -> None:
        """Runs every spec; calls ``on_done`` in this process as each one completes."""
        from distributed import as_completed

        if not specs:
            return
        self._ensure(len(specs))
        assert self.client is not None  # _ensure connected
        progress = Progress(len(specs), label)
        futures = {}
        for spec in specs:
            fut = self.client.submit(run_task, spec, self._project_future, key=f"nzc-{spec.kind}-{spec.id}-{id(spec):x}",
                                     resources={self._resource: 1}, pure=False)
            futures[fut.key] = (fut, spec)
        try:
            for fut in as_completed([f for f, _ in futures.values()], loop=self.client.loop):
                spec = futures[fut.key][1]
                outcome = self._outcome(fut, spec)
                fut.release()
                progress.task_done(outcome)
                on_done(outcome)
        finally:
            progress.close()

    @staticmethod
    def _outcome(fut, spec: TaskSpec) -> TaskOutcome:
        from distributed.scheduler import KilledWorker

        try:
            return fut.result()
        except KilledWorker:
            return TaskOutcome.lost(spec, FailureKind.WORKER, "the workers running it died (Dask's allowed-failures)")
        except Exception as exc:
            return TaskOutcome.lost(spec, FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = self._start_error = None
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = self._project_future = None
