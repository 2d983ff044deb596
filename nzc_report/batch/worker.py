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
import hashlib
import logging
import shutil
import subprocess
from functools import cache
from pathlib import Path

from distributed.diagnostics.plugin import WorkerPlugin

import nzc_report
from nzc_report import __version__

log = logging.getLogger("nzc_report")
PLUGIN_NAME = "nzc-report"
REPORT_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")
PROFILER_CALLBACKS = ("profile", "profile-cycle")  # distributed.Worker's statistical profiler


@cache
def package_digest() -> str:
    """sha256 of the package's Python source: what computes and renders the reports."""
    root = Path(nzc_report.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def missing_fonts() -> list[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(REPORT_FONTS)
    missing = []
    for family in REPORT_FONTS:
        out = subprocess.run([fc_list, f":family={family}", "family"], capture_output=True, text=True, timeout=30)
        if family not in out.stdout:
            missing.append(family)
    return missing


def environment_problems(version: str, digest: str) -> list[str]:
    """What this process lacks to run the tasks of a build of nzc-report ``version`` (``digest``)."""
    from nzc_report.render.pdf import harfbuzz_subset_available

    problems = []
    if __version__ != version:
        problems.append(f"nzc-report {__version__} is installed, the build runs {version}")
    elif package_digest() != digest:
        problems.append(f"nzc-report {__version__} is installed with other source code than the build's "
                        f"({package_digest()[:12]} ≠ {digest[:12]})")
    if not harfbuzz_subset_available():
        problems.append("libharfbuzz-subset is missing (Debian/Ubuntu: apt-get install libharfbuzz-subset0)")
    from nzc_report.batch.cache import CacheRefused, private_root

    try:
        private_root()
    except CacheRefused as exc:
        problems.append(str(exc))
    fonts = missing_fonts()
    if fonts:
        problems.append(f"the report fonts are missing: {', '.join(fonts)} "
                        "(Debian/Ubuntu: apt-get install fonts-noto-cjk fonts-noto-cjk-extra)")
    return problems


def resource_name(version: str, digest: str) -> str:
    """The worker resource this build's tasks ask for: one per worker that passed the checks."""
    return f"nzc-report-{version}-{digest[:12]}"


class NzcWorkerPlugin(WorkerPlugin):
    """Set up once per worker, torn down with it (or when a later build registers its own)."""

    name = PLUGIN_NAME

    def __init__(self, version: str, digest: str, warm: bool):
        self.version, self.digest, self.warm = version, digest, warm
        self.problems: list[str] | None = None
        self.paused: dict = {}  # the worker's statistical profiler, paused while it serves the build

    def _prepare(self) -> list[str]:
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
            self.problems = [f"setting up failed: {type(exc).__name__}: {exc}"]
        if self.problems:
            log.error("nzc-report cannot use this worker: %s", "; ".join(self.problems))
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


def worker_problems(dask_worker) -> list[str] | None:
    """Run on each worker by the build (client.run): the plugin's findings, None before set-up."""
    plugin = dask_worker.plugins.get(PLUGIN_NAME)
    return None if plugin is None else plugin.problems
