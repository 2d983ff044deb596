"""One document's rendering, bounded in time: past its deadline that document fails alone.

A render cannot be interrupted from inside (WeasyPrint runs to its end, and a
worker thread gets no signals), so it runs in a fork of the worker: the child
renders (writing the PDF into the task's folder, as before) and sends back its
warnings; the parent waits at most ``seconds`` and otherwise kills the child and
raises RenderError. A fork starts at once, shares the imported WeasyPrint and
fonts copy-on-write, and takes nothing of the worker down with it.
"""
from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import time
import warnings
from collections.abc import Callable

from nzc_report.errors import NzcError, RenderError, ZoneBuildError
from nzc_report.yamlfile import Fault


class _Failed(Exception):
    """An unexpected exception of the child, said as its type and message."""


def _child(fn: Callable[[], list[str]], write_fd: int) -> None:
    try:
        try:
            outcome: tuple = ("ok", fn())
        except ZoneBuildError as exc:
            outcome = ("render", exc.reason)
        except NzcError as exc:
            outcome = ("render", str(exc))
        except BaseException as exc:
            outcome = ("internal", f"{type(exc).__name__}: {exc}")
        data = pickle.dumps(outcome)
        with os.fdopen(write_fd, "wb") as f:
            f.write(data)
    finally:
        os._exit(0)  # never the parent's atexit handlers, Dask's loop or pytest's


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to ``fd`` until it closes it; None if the deadline passes first."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def within(seconds: float, fn: Callable[[], list[str]], what: str) -> list[str]:
    """``fn()`` (a render: it returns WeasyPrint's warnings) run in a fork, for at most ``seconds``;
    RenderError for ``what`` when it runs longer, fails or dies."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():  # "multi-threaded, fork() may deadlock": the deadline covers it
        warnings.simplefilter("ignore", DeprecationWarning)
        gc.freeze()  # the child's collector leaves the worker's objects alone: fewer pages copied
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid != 0:
            gc.unfreeze()  # the worker's own collector as before; the child's stays frozen
    if pid == 0:
        os.close(read_fd)
        _child(fn, write_fd)
    os.close(write_fd)
    try:
        data = _read_all(read_fd, time.monotonic() + seconds)
    finally:
        os.close(read_fd)
    if data is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise RenderError(what, Fault.of("fault_render_deadline", seconds=f"{seconds:g}"))
    _, status = os.waitpid(pid, 0)
    if not data:
        raise RenderError(what, Fault.of("fault_render_no_result", status=status))
    kind, value = pickle.loads(data)
    if kind == "ok":
        return value
    if kind == "render":
        raise RenderError(what, value)
    raise _Failed(value)
