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
from nzc_report.yamlfile import said

# errno → its sentence in cli_messages.yaml (said in the build's language); any other: the system's words
REASONS = {errno.ENOSPC: "fault_disk_full", errno.EDQUOT: "fault_quota", errno.EFBIG: "fault_too_large",
           errno.EROFS: "fault_read_only_fs", errno.EACCES: "fault_permission", errno.EPERM: "fault_immutable"}


class OutputRefused(NzcError):
    """OUT/ cannot be written at all: nothing was built."""

    exit_code = 1


def unwritable(target: Path, exc: OSError, lang: str | None = None) -> str:
    """Why ``target`` could not be written, in words, with the path (in ``lang``, else the current language)."""
    key = REASONS.get(exc.errno or -1)
    why = said(key, lang) if key else exc.strerror or str(exc)
    return said("fault_cannot_write", lang, target=target, why=why)
