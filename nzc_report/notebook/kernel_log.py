"""Where a kernel's stderr goes: the build's log, where the build names it (batch/signals.py).

Read where a kernel starts: a cold one (nzc_report.notebook's kernel manager), one forked from
the warm template (zygote.py), and the template itself (warm.py).
"""
from __future__ import annotations

import os

# The build's log (OUT/<year>/build.log) where a build sets it: a kernel's stderr (its own
# lines, a native library's warnings) goes there, not to the terminal (batch/signals.py).
KERNEL_LOG_ENV = "NZC_REPORT_BUILD_LOG"


def kernel_log(env: dict | None) -> int | None:
    """A descriptor of the build's log named in a kernel's ``env`` (opened for appending), or None."""
    path = (env or {}).get(KERNEL_LOG_ENV)
    if not path:
        return None
    try:
        return os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        return None
