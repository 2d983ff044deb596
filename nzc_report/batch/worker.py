"""What a Dask worker needs to run nzc-report tasks, and the plugin that sets it up.

A worker needs the same nzc-report (version and source) as the build, the
fonts the reports are set in and libharfbuzz-subset; nothing of the build's
files. NzcWorkerPlugin, registered by the build on every worker (present and
future), checks that once per worker. A worker that passes gets the warm
kernel template (notebook/zygote.py) and WeasyPrint loaded, then announces
the resource the build's tasks ask for (one task at a time); a worker that
fails keeps its problems and never gets a task of this build, and the build
names it and what is wrong.
"""
from __future__ import annotations

import asyncio
import gc
import logging

from distributed.diagnostics.plugin import WorkerPlugin

# what a process needs to run the tasks (the in-process executor checks it too): checks.py
from nzc_report.batch.checks import REPORT_FONTS, environment_problems, missing_fonts, package_digest
from nzc_report.yamlfile import Fault

__all__ = ["REPORT_FONTS", "NzcWorkerPlugin", "environment_problems", "missing_fonts", "package_digest",
           "resource_name", "worker_problems"]

log = logging.getLogger("nzc_report")
PLUGIN_NAME = "nzc-report"
PROFILER_CALLBACKS = ("profile", "profile-cycle")  # distributed.Worker's statistical profiler


def resource_name(version: str, digest: str) -> str:
    """The worker resource this build's tasks ask for: one per worker that passed the checks."""
    return f"nzc-report-{version}-{digest[:12]}"


class NzcWorkerPlugin(WorkerPlugin):
    """Set up once per worker, torn down with it (or when a later build registers its own)."""

    name = PLUGIN_NAME

    def __init__(self, version: str, digest: str, warm: bool):
        self.version, self.digest, self.warm = version, digest, warm
        self.problems: list[Fault] | None = None  # codes with fields: the build words them in its language
        self.paused: dict = {}  # the worker's statistical profiler, paused while it serves the build

    def _prepare(self) -> list[Fault]:
        from nzc_report.notebook.warm import Zygote

        if self.warm:  # its imports (seconds) run beside the checks and WeasyPrint's import
            Zygote.launch()
        problems = environment_problems(self.version, self.digest)
        if problems:
            Zygote.stop()
            return problems
        if self.warm:
            Zygote.get()
        import nzc_report.render
        import nzc_report.render.summary  # noqa: F401

        # What the worker holds now (Dask, WeasyPrint, pandas: ~150,000 objects) lives as long as
        # it does: out of the collector's full passes, which a report's layout sets off once or
        # twice (~0.2 s of a report's CPU spent walking them).
        gc.collect()
        gc.freeze()
        return []

    async def setup(self, worker) -> None:
        loop = asyncio.get_running_loop()
        try:
            self.problems = await loop.run_in_executor(None, self._prepare)
        except Exception as exc:
            self.problems = [Fault.of("fault_worker_setup", error=f"{type(exc).__name__}: {exc}")]
        if self.problems:
            log.error("nzc-report cannot use this worker: %s", "; ".join(map(str, self.problems)))
            return
        self._pause_profiler(worker)
        await worker.set_resources(**{resource_name(self.version, self.digest): 1})

    def _pause_profiler(self, worker) -> None:
        """Dask samples the stack of a running task every 10 ms (for its dashboard): a WeasyPrint
        layout is deep, and the sampling cost about 5 % of a report's CPU, in the worker's own
        thread beside the task. Paused while this build's plugin is the worker's; resumed after."""
        callbacks = getattr(worker, "periodic_callbacks", {})
        for name in PROFILER_CALLBACKS:
            callback = callbacks.get(name)
            if callback is not None and callback.is_running():
                callback.stop()
                self.paused[name] = callback

    def teardown(self, worker) -> None:
        from nzc_report.notebook.warm import Zygote

        Zygote.stop()
        for callback in self.paused.values():
            callback.start()
        self.paused.clear()


def worker_problems(dask_worker) -> list[Fault] | None:
    """Run on each worker by the build (client.run): the plugin's findings, None before set-up."""
    plugin = dask_worker.plugins.get(PLUGIN_NAME)
    return None if plugin is None else plugin.problems
