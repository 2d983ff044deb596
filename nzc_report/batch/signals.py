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
not to the terminal, where the build says what matters in its own words.
"""
from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path

BUILD_LOG = "build.log"
BUILD_LOG_ENV = "NZC_REPORT_BUILD_LOG"  # read by the workers' preload: where their stderr goes
DASK_LOGGERS = ("distributed", "dask", "tornado", "asyncio")
PRELOAD = __name__


class DaskLogRoute:
    """Dask's loggers in this process, and the worker processes started meanwhile, write to
    ``path``; close() gives the loggers back their own handlers (a process that builds again)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handler = logging.FileHandler(path, encoding="utf-8")
        self.handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"))
        self.saved: dict[str, tuple[list[logging.Handler], bool]] = {}
        # Dask's logging config gives some of their children handlers of their own (distributed.client...)
        names = {n for n in logging.root.manager.loggerDict if n.split(".")[0] in DASK_LOGGERS} | set(DASK_LOGGERS)
        for name in sorted(names):
            logger = logging.getLogger(name)
            if name not in DASK_LOGGERS and not logger.handlers:
                continue  # it reaches the file through its parent
            self.saved[name] = (list(logger.handlers), logger.propagate)
            logger.handlers[:] = [self.handler]
            logger.propagate = False
        self.env = os.environ.get(BUILD_LOG_ENV)
        os.environ[BUILD_LOG_ENV] = str(path.resolve())

    def close(self) -> None:
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
