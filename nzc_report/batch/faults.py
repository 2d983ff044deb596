"""Faults of the machine the build runs on, kept to what they hit.

A file OUT/ refuses (a full disk, a read-only file or folder) fails the task
whose file it is, with the path and the reason in the closing table; the
others go on and the build exits 1. Only the manifest written before any task
(without which nothing could be vouched for) stops the build at once.
"""
from __future__ import annotations

import errno
from pathlib import Path

from nzc_report.errors import NzcError

REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
           errno.EFBIG: "the file is larger than this process may write", errno.EROFS: "the file system is read-only",
           errno.EACCES: "permission denied", errno.EPERM: "the file may not be changed (read-only or immutable)"}


class OutputRefused(NzcError):
    """OUT/ cannot be written at all: nothing was built."""

    exit_code = 1


def unwritable(target: Path, exc: OSError) -> str:
    """Why ``target`` could not be written, in words, with the path."""
    why = REASONS.get(exc.errno or -1) or exc.strerror or str(exc)
    return f"cannot write {target}: {why}"
