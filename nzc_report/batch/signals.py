"""Ctrl-C stops the build, not its helpers one by one; Dask's messages go to the build log.

A terminal's Ctrl-C sends SIGINT to the whole process group: the build and
its embedded cluster's worker processes and their warm-kernel templates. Each
of those would die on its own with a traceback, and the build would see its
workers vanish ("Kernel died… retrying"). Instead each worker process of the
embedded cluster ignores SIGINT (dask_setup, a worker preload; the templates
it starts inherit that): the build alone is interrupted, and it stops them in
order (closing the cluster closes the workers, their templates and their
kernels), writes what it finished and exits 130 with one line. A kernel is a
process group of its own with its own SIGINT handler (zygote.py): its worker
stops it.

Dask's log (the scheduler's and the client's in the build, everything a worker
process of the embedded cluster prints) goes to the build log, OUT/<year>/build.log,
not to the terminal, where the build says what matters in its own words. So do the
kernels' own lines (their stderr: BUILD_LOG_ENV, read where a kernel starts, see
nzc_report/notebook) and, with the in-process executor, papermill's and jupyter_client's.
The worker a rebuild starts while the dataset is read, before its year folder is known,
logs to a file of its own in OUT/ until then (EarlyLog), moved into build.log.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

from nzc_report.notebook.kernel_log import KERNEL_LOG_ENV

BUILD_LOG = "build.log"
# read by the workers' preload and where a kernel starts: where their stderr goes
BUILD_LOG_ENV = KERNEL_LOG_ENV
DASK_LOGGERS = ("distributed", "dask", "tornado", "asyncio")
# what runs the notebooks, in the build's process with the in-process executor (py.warnings: the
# Python warnings they give, nbformat's say, as a Dask worker's go to its stderr)
KERNEL_LOGGERS = ("papermill", "nbclient", "jupyter_client", "traitlets", "asyncio", "py.warnings")
PRELOAD = __name__


class DaskLogRoute:
    """Dask's loggers in this process, and the worker processes started meanwhile, write to
    ``path``; close() gives the loggers back their own handlers (a process that builds again)."""

    def __init__(self, path: Path, loggers: tuple[str, ...] = DASK_LOGGERS):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handler = logging.FileHandler(path, encoding="utf-8")
        self.handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
        self.saved: dict[str, tuple[list[logging.Handler], bool]] = {}
        # Dask's logging config gives some of their children handlers of their own (distributed.client...)
        names = {n for n in logging.root.manager.loggerDict if n.split(".")[0] in loggers} | set(loggers)
        for name in sorted(names):
            logger = logging.getLogger(name)
            if name not in loggers and not logger.handlers:
                continue  # it reaches the file through its parent
            self.saved[name] = (list(logger.handlers), logger.propagate)
            logger.handlers[:] = [self.handler]
            logger.propagate = False
        self.env = os.environ.get(BUILD_LOG_ENV)
        os.environ[BUILD_LOG_ENV] = str(path.resolve())
        self.warnings = "py.warnings" in loggers
        if self.warnings:
            logging.captureWarnings(True)

    def close(self) -> None:
        if self.warnings:
            logging.captureWarnings(False)
        for name, (handlers, propagate) in self.saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.propagate = propagate
        self.saved.clear()
        self.handler.close()
        if self.env is None:
            os.environ.pop(BUILD_LOG_ENV, None)
        else:
            os.environ[BUILD_LOG_ENV] = self.env


def dask_setup(worker=None) -> None:
    """Run by each worker process of the embedded cluster as it starts (a Dask preload)."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    path = os.environ.get(BUILD_LOG_ENV)
    if path:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError:
            return
        os.dup2(fd, 2)
        os.close(fd)


def redirect_stderr(path: str) -> None:
    """Run in a worker process (Client.run) once the build's log is known: the worker's stderr,
    and that of the kernels it starts from now on (BUILD_LOG_ENV), go to ``path``."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    os.environ[BUILD_LOG_ENV] = path


class EarlyLog:
    """Where the worker a rebuild starts early writes until the build's year folder is known:
    OUT/.nzc-early-<pid>.log, moved into the build log (what is there when the build routes its
    log, the rest when the cluster is closed), then removed; one a killed build left is removed
    by the next (its pid gone)."""

    PREFIX = ".nzc-early-"

    def __init__(self, out: Path):
        self.path = out / f"{self.PREFIX}{os.getpid()}.log"
        self.moved = 0  # bytes already moved into the build log

    @classmethod
    def sweep(cls, out: Path) -> None:
        from nzc_report.batch.lock import alive

        for path in out.glob(f"{cls.PREFIX}*.log"):
            pid = path.name[len(cls.PREFIX):-len(".log")]
            if pid.isdigit() and not alive(int(pid)):
                path.unlink(missing_ok=True)

    def move(self, target: Path | None, final: bool = False) -> None:
        """Appends what was written since the last move to ``target``; ``final``: removes it."""
        try:
            with open(self.path, "rb") as f:
                f.seek(self.moved)
                data = f.read()
            if data and target is not None:
                with open(target, "ab") as log:
                    log.write(data)
            self.moved += len(data)
        except OSError:
            pass
        if final:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass
