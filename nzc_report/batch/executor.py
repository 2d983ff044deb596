"""How a build's tasks run: one interface (Executor), two executors.

    DaskExecutor (run.py)   the tasks on Dask: an embedded LocalCluster of --jobs worker
                            processes, or the cluster at --scheduler. A worker's death costs
                            only the task it ran. What users run.
    LocalExecutor (here)    the same TaskSpec objects through the same run_task, one after
                            another, in the build's own process (kedro's SequentialRunner
                            beside its parallel runners; dbt's single-threaded mode).

Both give the same outputs, failure kinds and closing table for the same build (a test
compares the bytes): a task is the same task wherever it runs. Each zone's notebook still
runs in its own Jupyter kernel (papermill), the PDF is rendered with the project files the
build shipped (batch/project.py), materialised once in this process's cache.

The in-process executor is chosen with BuildOptions(executor="local") or NZC_REPORT_EXECUTOR=local
(the test suite, a debugger in a task). It is not the command line's: a native crash (WeasyPrint,
HarfBuzz, fontconfig) or the kernel's OOM killer would take the build down with the task, where a
Dask worker's death fails that task alone and the other zones go on (README, "Executors").
"""
from __future__ import annotations

import abc
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

from nzc_report.batch.manifest import BuildStatus
from nzc_report.batch.project import ProjectFiles
from nzc_report.batch.tasks import TaskOutcome, TaskSpec, run_task
from nzc_report.errors import EnvironmentProblem, UsageError
from nzc_report.yamlfile import Fault, worded
from nzc_report.messages import say

log = logging.getLogger("nzc_report")
EXECUTOR_ENV = "NZC_REPORT_EXECUTOR"
EXECUTORS = ("dask", "local")


class Progress:
    """A bar on a terminal (tqdm, following the tasks as they complete), one log line per task otherwise."""

    def __init__(self, total: int, label: str, lang: str | None = None):
        self.bar = None
        self.lang = lang  # the build's: the line's words from cli_messages.yaml (progress_task, status_*)
        if total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="task", file=sys.stderr, leave=False)

    def task_done(self, outcome: TaskOutcome) -> None:
        line = say("progress_task", self.lang, id=outcome.id, status=say(f"status_{outcome.status}", self.lang),
                   seconds=f"{outcome.seconds:.1f}")
        if outcome.reason:
            line += f": {worded(outcome.reason, self.lang)}"
        if self.bar is not None:
            self.bar.update(1)
            if outcome.status != BuildStatus.BUILT:
                self.bar.write(line, file=sys.stderr)
        else:
            (log.info if outcome.status == BuildStatus.BUILT else log.error)("%s", line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class Executor(abc.ABC):
    """Runs a build's tasks; the build calls start() (maybe), run() once a step, close() at the end."""

    @property
    @abc.abstractmethod
    def where(self) -> str:
        """Where the tasks run, for messages."""

    def start(self) -> None:  # noqa: B027  (optional: an executor with nothing to start early)
        """Starts what the tasks will need, in the background, while the build reads the dataset."""

    @abc.abstractmethod
    def run(self, specs: list[TaskSpec], label: str, on_done: Callable[[TaskOutcome], None]) -> None:
        """Runs every spec; calls ``on_done`` in the build's thread as each one completes. Never
        raises for a task's failure: a failed task is an outcome (tasks.FailureKind)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Releases what run() started."""


class LocalExecutor(Executor):
    """The tasks in order, in this process, through run_task."""

    def __init__(self, warm: bool, project: Callable[[], ProjectFiles]):
        self.warm = warm
        self._make_project = project
        self._project: ProjectFiles | None = None
        self._zygote = False  # whether this executor started the warm-kernel template (and stops it)
        self._log_route: Any = None  # papermill's, jupyter_client's and the kernels' lines → the build log

    def route_logs(self, path) -> None:
        """What runs the notebooks logs to ``path`` (OUT/<year>/build.log), not to the terminal:
        papermill's and jupyter_client's loggers, and each kernel's stderr (signals.py)."""
        from nzc_report.batch.signals import KERNEL_LOGGERS, DaskLogRoute

        if self._log_route is None:
            self._log_route = DaskLogRoute(path, KERNEL_LOGGERS)

    @property
    def where(self) -> str:
        return "this process"

    def _ensure(self) -> ProjectFiles:
        """Checked once, as a Dask worker is by its plugin: fonts and libharfbuzz-subset."""
        if self._project is None:
            from nzc_report import __version__
            from nzc_report.batch.checks import environment_problems, package_digest
            from nzc_report.notebook.warm import Zygote

            if self.warm:  # its imports (seconds) run beside the checks and WeasyPrint's import, as on a worker
                self._zygote = Zygote._instance is None
                Zygote.launch()
            problems = environment_problems(__version__, package_digest())
            if problems:
                if self._zygote:
                    Zygote.stop()
                    self._zygote = False
                raise EnvironmentProblem(Fault.of("fault_this_process", problems=tuple(problems)))
            project = self._make_project()
            if self.warm:
                Zygote.get()
            self._project = project
        return self._project

    def run(self, specs: list[TaskSpec], label: str, on_done: Callable[[TaskOutcome], None]) -> None:
        if not specs:
            return
        project = self._ensure()
        progress = Progress(len(specs), label, specs[0].lang)
        try:
            for spec in specs:
                outcome = run_task(spec, project)
                progress.task_done(outcome)
                on_done(outcome)
        finally:
            progress.close()

    def close(self) -> None:
        from nzc_report.notebook import abandon_kernels

        abandon_kernels()  # a task cut short (Ctrl-C) leaves no kernel, folder or connection file
        if self._zygote:
            from nzc_report.notebook.warm import Zygote

            Zygote.stop()
            self._zygote = False
        self._project = None
        if self._log_route is not None:
            self._log_route.close()
            self._log_route = None


def executor_name(option: str | None) -> str:
    """The executor asked for: ``option`` (BuildOptions.executor), else NZC_REPORT_EXECUTOR, else dask."""
    name = (option or os.environ.get(EXECUTOR_ENV, "").strip() or "dask").lower()
    if name not in EXECUTORS:
        raise UsageError(f"unknown executor {name!r} ({EXECUTOR_ENV} or BuildOptions.executor): "
                         f"use one of {', '.join(EXECUTORS)}")
    return name
