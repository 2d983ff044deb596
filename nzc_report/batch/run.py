"""Running tasks on Dask: an embedded LocalCluster, or an existing cluster at --scheduler
(the executor users run; executor.py has the interface and the in-process one).

The cluster is started (or reached) only when some task must run: a build
with nothing to do never imports Dask. A rebuild may start its embedded
cluster early (start()), in the background while the build reads the
dataset; it never contacts a --scheduler before a task must run. Tasks ask for the resource that
NzcWorkerPlugin gives the workers that passed its checks (one task at a time
per worker).

Faults. The executor keeps no more tasks in flight than the cluster has
workers with that resource, and submits the next one as one completes: a task
waits here, not on a worker, so a worker that dies takes down only the task it
was running (Dask counts a death against every task assigned to the worker).
Such a task is rescheduled on another worker; after the scheduler's
allowed-failures (LOCAL_ALLOWED_FAILURES on the embedded cluster; an external
scheduler's own setting) it fails alone, with failure kind WORKER. A worker of
the embedded cluster is restarted by its nanny, and started again here if the
cluster closed its nanny; the worker plugin sets up every new worker. A
watchdog bounds the wait: when the cluster has had no usable worker for
worker_wait() seconds, the tasks not done fail (kind WORKER) and so do those of
the later steps: the build ends, exit 1.
"""
from __future__ import annotations

import logging
import os
import queue
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING

from nzc_report import __version__
from nzc_report.batch.executor import Executor, Progress
from nzc_report.batch.project import ProjectFiles
from nzc_report.batch.tasks import FailureKind, TaskOutcome, TaskSpec, run_task
from nzc_report.errors import EnvironmentProblem
from nzc_report.yamlfile import Fault, worded
from nzc_report.messages import say

if TYPE_CHECKING:
    from distributed import Client, Future, LocalCluster

    from nzc_report.batch.signals import DaskLogRoute, EarlyLog

log = logging.getLogger("nzc_report")
CONNECT_TIMEOUT = "10s"
CLOSE_TIMEOUT = 60  # seconds: closing a cluster that lost its workers must not hang the build either
SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
# A task is tried on two workers of the embedded cluster: its workers are alike, so a second death
# of the same task is the task's doing (its memory, a crash in a native library), and each death
# costs a worker restart (see README, "Running on a cluster").
LOCAL_ALLOWED_FAILURES = 1
WORKER_WAIT_ENV = "NZC_REPORT_WORKER_WAIT"  # seconds a build waits for a usable worker
LOCAL_WORKER_WAIT = 180.0  # a nanny restarts its worker in seconds, a minute on a loaded machine
REMOTE_WORKER_WAIT = 1800.0  # workers of an external cluster may join late (a batch queue)
POLL = 1.0  # seconds between looks at the cluster while no task completes
# A scheduler that has not answered for this long (or whose client gave up reconnecting, after
# distributed.comm.timeouts.connect) is lost: the build fails what is left, naming it, within a minute.
SCHEDULER_LOST = 40.0
SLOTS_REFRESH = 0.2  # seconds: how stale the count of usable workers may be


def scheduler_address(option: str | None) -> str | None:
    return option or os.environ.get(SCHEDULER_ENV) or None


def worker_wait(external: bool) -> float:
    """Seconds a build waits while the cluster has no usable worker: NZC_REPORT_WORKER_WAIT, else
    LOCAL_WORKER_WAIT (embedded cluster) or REMOTE_WORKER_WAIT (--scheduler)."""
    value = os.environ.get(WORKER_WAIT_ENV, "").strip()
    if not value:
        return REMOTE_WORKER_WAIT if external else LOCAL_WORKER_WAIT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < float("inf"):
        raise EnvironmentProblem(Fault.of("fault_worker_wait", env=WORKER_WAIT_ENV, value=repr(value)))
    return seconds


def _project(project: ProjectFiles) -> ProjectFiles:
    return project


def _has_dashboard() -> bool:
    try:
        import bokeh  # noqa: F401  (Dask's dashboard needs it)
    except ImportError:
        return False
    return True


class DaskExecutor(Executor):
    """A Dask client for one build, connected on first use, closed at the end."""

    def __init__(self, jobs: int, scheduler: str | None, warm: bool, project: Callable[[], ProjectFiles],
                 lang: str | None = None):
        self.jobs = max(1, jobs)
        self.lang = lang  # of the line naming the cluster joined (cli_messages.yaml)
        self.address = scheduler_address(scheduler)
        self.warm = warm
        self.wait = worker_wait(bool(self.address))
        self._make_project = project
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self._project_future: Future | None = None
        self._resource = ""
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._lost: Fault | None = None  # why the remaining tasks fail, once the watchdog gave up
        self._slots = (0, float("-inf"))  # usable workers, when counted
        self._silent_since: float | None = None  # when the scheduler stopped answering
        self._seen: set = set()  # names of the embedded cluster's workers that have run
        self._restarts = 0  # workers of the embedded cluster started again after their nanny was closed
        self.log_path: Path | None = None  # where Dask's messages go (signals.py), else Dask's own logging
        self._log_route: DaskLogRoute | None = None
        self._early: EarlyLog | None = None  # the log of a cluster started before the year was known
        self._redirected = False  # its workers' stderr moved to the build log
        self._route_lock = threading.Lock()

    @property
    def where(self) -> str:
        return str(self.where_fault)  # in the current language (log lines)

    @property
    def where_fault(self) -> Fault:
        """The cluster, said where it is shown (a failure reason's field)."""
        return Fault.of("fault_where_cluster", address=self.address) if self.address else Fault.of("fault_where_embedded")

    def route_logs(self, path: Path) -> None:
        """Dask's messages go to ``path`` from now on (signals.py): the build's once it holds its
        year folder. A cluster started before (start(): its early log) follows: its workers'
        stderr is moved there once it is up (_move_early_log), and what they wrote before."""
        self.log_path = path
        if self.client is not None or self._starting is not None:
            self._route_logs()
        if self._starting is None:
            self._move_early_log()

    def route_early_logs(self, out: Path) -> None:
        """A cluster started before the build's year folder is known (start()) logs to a file of
        its own in ``out`` until route_logs() names the build's log (signals.EarlyLog)."""
        from nzc_report.batch.signals import EarlyLog

        if self.address:
            return  # nothing starts early on a cluster of its own (start())
        try:
            EarlyLog.sweep(out)
            early = EarlyLog(out)
            early.path.touch()
        except OSError:
            return  # OUT/ refuses it: the build says so when it writes there
        self._early, self.log_path = early, early.path

    def _route_logs(self) -> None:
        from nzc_report.batch.signals import DaskLogRoute

        with self._route_lock:
            if self.log_path is None:
                return
            if self._log_route is not None and self._log_route.path != self.log_path:
                self._log_route.close()  # the early log's: the build's from now on
                self._log_route = None
            if self._log_route is None:
                self._log_route = DaskLogRoute(self.log_path)

    def _move_early_log(self) -> None:
        """The early cluster's workers write to the build's log from now on; what they wrote is moved there."""
        if self._early is None or self.log_path is None or self.log_path == self._early.path or self._redirected:
            return
        from nzc_report.batch.signals import redirect_stderr

        if self.client is not None:
            try:
                self.client.run(redirect_stderr, str(self.log_path))
            except Exception as exc:  # a worker gone meanwhile: its lines stay in the early log, moved at close
                log.debug("early workers' log not moved: %s", exc)
        self._redirected = True
        self._early.move(self.log_path)

    # -- connecting -----------------------------------------------------------------
    def _connect(self, tasks: int) -> None:
        from distributed import Client, LocalCluster

        self._route_logs()

        if self.address:
            try:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError) as exc:
                raise EnvironmentProblem(Fault.of("fault_scheduler_unreachable", address=self.address, error=str(exc),
                                                  env=SCHEDULER_ENV).said(self.lang)) from None
        else:
            import dask

            from nzc_report.batch.signals import PRELOAD

            # its workers leave Ctrl-C to the build, which stops them in order, and log to the build log (signals.py)
            with dask.config.set({"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES,
                                  "distributed.worker.preload": [PRELOAD]}):
                # Only as many workers as the first tasks can use (a one-zone rebuild starts one);
                # _scale adds workers, up to --jobs, when a later run has more tasks.
                self.cluster = LocalCluster(n_workers=min(self.jobs, tasks), threads_per_worker=1, processes=True,
                                            dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                                            local_directory=tempfile.gettempdir(), host="127.0.0.1")
            self.client = Client(self.cluster, set_as_default=False)
        info = self.client.scheduler_info()
        dashboard = _has_dashboard() and "dashboard" in info.get("services", {})
        if self.address:  # the cluster this build joined, its workers and its dashboard (issue 31)
            link = say("scheduler_dashboard", self.lang, link=self.client.dashboard_link) if dashboard else ""
            log.info("%s", say("scheduler_line", self.lang, address=self.address,
                                 workers=len(info.get("workers", {})), dashboard=link))
        elif dashboard:
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
            log.error("%s", say("worker_refused_line", self.lang, worker=worker, problems=worded(tuple(problems), self.lang)))
        if found and len(refused) == len(found):
            each = tuple(Fault.of("fault_worker_refused", worker=w, problems=tuple(p)) for w, p in refused.items())
            fault = (Fault.of("fault_no_worker_at", address=self.address, problems=each) if self.address
                     else Fault.of("fault_no_worker_here", problems=each))
            raise EnvironmentProblem(fault.said(self.lang))
        if not found:
            log.warning("the cluster at %s has no worker yet; tasks wait for one (at most %.0f s, %s)",
                        self.address, self.wait, WORKER_WAIT_ENV)

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
            self._route_logs()  # route_logs() called while it started
            self._move_early_log()
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
        # A worker started now competes with the tasks already running on the warm ones, and its start
        # (Dask, WeasyPrint, the kernel template) costs about 7 s of CPU, more than a report and a
        # province summary: worth it only for more than three tasks a worker (a one-zone rebuild's
        # round of its report, its province's summary and the national one stays on one worker).
        if have < wanted and tasks > 3 * have:
            self.cluster.scale(wanted)

    # -- the cluster's health -----------------------------------------------------------
    def _usable_workers(self) -> int:
        """How many workers have this build's resource (passed the plugin's checks), counted at most
        every SLOTS_REFRESH seconds; 0 while the scheduler does not answer."""
        count, when = self._slots
        now = time.monotonic()
        if now - when < SLOTS_REFRESH:
            return count
        assert self.client is not None
        try:
            info = self.client.sync(self.client.scheduler.identity, n_workers=-1, callback_timeout=10 * POLL)
            count = sum(int((w.get("resources") or {}).get(self._resource, 0))
                        for w in (info.get("workers") or {}).values())
            self._silent_since = None
        except Exception as exc:  # unreachable scheduler, broken comm: no usable worker now
            log.debug("no answer from the scheduler: %s", exc)
            count = 0
            if self._silent_since is None:
                self._silent_since = now
        self._slots = (count, now)
        return count

    def _revive(self) -> None:
        """Starts again any worker of the embedded cluster whose nanny was closed: LocalCluster
        closes the nanny of a worker that stays gone for distributed.deploy.lost-worker-timeout
        (15 s), as a nanny restarting its worker on a loaded machine does, and never replaces it."""
        cluster = self.cluster
        if cluster is None or cluster.status.name not in ("running", "created"):
            return
        try:
            present = set(cluster.workers)  # changed by the cluster's own thread
        except RuntimeError:
            return
        self._seen |= present
        lost = (set(cluster.worker_spec) & self._seen) - present
        if lost:
            log.warning("the embedded Dask cluster closed its worker(s) %s; starting them again",
                        ", ".join(sorted(map(str, lost))))
            for name in sorted(lost, key=str):  # under a new name: the closed nanny may still have a worker registered
                self._restarts += 1
                cluster.worker_spec[f"restarted-{self._restarts}"] = cluster.worker_spec.pop(name)
            cluster.scale(len(cluster.worker_spec))

    # -- running ----------------------------------------------------------------------
    def run(self, specs: list[TaskSpec], label: str, on_done: Callable[[TaskOutcome], None]) -> None:
        """Runs every spec; calls ``on_done`` in this process as each one completes.

        No more tasks are in flight than the cluster has usable workers (see the module's docstring);
        when it has had none for ``self.wait`` seconds, the tasks not done fail with kind WORKER."""
        if not specs:
            return
        progress = Progress(len(specs), label, specs[0].lang)
        try:
            if self._lost is None:
                self._ensure(len(specs))
                self._run(specs, progress, on_done)
            else:
                for spec in specs:
                    self._done(TaskOutcome.lost(spec, FailureKind.WORKER, self._lost), progress, on_done)
        finally:
            progress.close()

    def _run(self, specs: list[TaskSpec], progress: Progress, on_done: Callable[[TaskOutcome], None]) -> None:
        waiting = deque(specs)
        running: dict[Hashable, tuple[Future, TaskSpec]] = {}  # by key
        completed: queue.Queue[Future] = queue.Queue()
        usable_since = time.monotonic()
        while waiting or running:
            self._revive()
            usable = self._usable_workers()
            now = time.monotonic()
            if usable:
                usable_since = now
            elif self._scheduler_lost(now):
                self._give_up(waiting, running, progress, on_done, lost_scheduler=True)
                return
            elif now - usable_since > self.wait:
                self._give_up(waiting, running, progress, on_done)
                return
            self._submit(waiting, running, usable, completed)
            try:
                fut = completed.get(timeout=POLL)
            except queue.Empty:
                continue
            fut, spec = running.pop(fut.key)
            outcome = self._outcome(fut, spec)
            if self.address and isinstance(outcome.reason, str) and "scheduler-connection-lost" in outcome.reason:
                outcome = TaskOutcome.lost(spec, FailureKind.WORKER,
                                           Fault.of("fault_scheduler_lost_running", address=self.address))
            fut.release()
            self._submit(waiting, running, usable, completed)  # the freed worker gets its next task first
            self._done(outcome, progress, on_done)

    def _submit(self, waiting: deque, running: dict, usable: int, completed: queue.Queue) -> None:
        """Sends tasks until as many are in flight as there are usable workers."""
        assert self.client is not None  # _ensure connected
        while waiting and len(running) < usable:
            spec = waiting.popleft()
            fut = self.client.submit(run_task, spec, self._project_future, resources={self._resource: 1},
                                     key=f"nzc-{spec.kind}-{spec.id}-{id(spec):x}", pure=False)
            running[fut.key] = (fut, spec)
            fut.add_done_callback(completed.put)  # called in a thread of the client's

    @staticmethod
    def _done(outcome: TaskOutcome, progress: Progress, on_done: Callable[[TaskOutcome], None]) -> None:
        progress.task_done(outcome)
        on_done(outcome)

    def _scheduler_lost(self, now: float) -> bool:
        """An external scheduler that stopped answering (its client gave up, or SCHEDULER_LOST s)."""
        if not self.address or self.client is None:
            return False
        if getattr(self.client, "status", "") in ("closed", "closing", "failed"):
            return True
        return self._silent_since is not None and now - self._silent_since > SCHEDULER_LOST

    def _give_up(self, waiting: deque, running: dict, progress: Progress, on_done: Callable[[TaskOutcome], None],
                 lost_scheduler: bool = False) -> None:
        """The watchdog: every task not done fails (those sent first, then the waiting ones in their
        order), and so will every task of the later runs."""
        if lost_scheduler:
            self._lost = Fault.of("fault_scheduler_lost", address=self.address)
            log.error("lost the Dask scheduler at %s: the tasks not done fail", self.address)
        else:
            self._lost = Fault.of("fault_no_worker_for", where=self.where_fault, seconds=f"{self.wait:.0f}",
                                  env=WORKER_WAIT_ENV)
            log.error("%s has had no usable worker for %.0f s: the tasks not done fail", self.where, self.wait)
        left = sorted(running.values(), key=lambda fs: fs[0].key)
        for fut, _ in left:
            fut.release()
        for spec in [s for _, s in left] + list(waiting):
            self._done(TaskOutcome.lost(spec, FailureKind.WORKER, self._lost), progress, on_done)

    @staticmethod
    def _outcome(fut, spec: TaskSpec) -> TaskOutcome:
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        try:
            return fut.result()
        except KilledWorker as exc:
            n = exc.allowed_failures + 1
            return TaskOutcome.lost(spec, FailureKind.WORKER, Fault.of("fault_worker_died", n=n), attempts=n)
        except FutureCancelledError as exc:
            return TaskOutcome.lost(spec, FailureKind.WORKER, Fault.of("fault_cluster_dropped", error=str(exc)))
        except Exception as exc:
            return TaskOutcome.lost(spec, FailureKind.INTERNAL, f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = self._start_error = None
        for part in (self.client, self.cluster):
            try:
                if part is not None:  # a lost scheduler is not waited for
                    part.close(timeout=5 if self._lost and self.address else CLOSE_TIMEOUT)
            except TimeoutError:  # the embedded cluster's processes are the build's children: they leave with it
                log.warning("%s did not close within %d s", self.where, CLOSE_TIMEOUT)
        self.client = self.cluster = self._project_future = None
        if self._log_route is not None:
            self._log_route.close()
            self._log_route = None
        if self._early is not None:  # its workers are gone: the rest of what they wrote, then the file
            self._early.move(self.log_path if self.log_path != self._early.path else None, final=True)
            self._early = None
