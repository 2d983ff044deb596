"""Temporary folders a killed build left behind, swept by the next build (its own, by pid).

A kernel's folder (its sockets and its connection file, which holds the key
that signs its messages: nzc-kernel-<pid>-…) and a task's folder (the zone's
rows: nzc-task-<pid>-…) are removed by the process that made them on every
orderly exit; after a kill -9 they stay. The next build removes those of this
user whose process (the pid in the name) is gone.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from nzc_report.batch.lock import alive

PATTERNS = ("nzc-kernel-*", "nzc-task-*", "dask-scratch-space/*/nzc-task-*")
OWNER_PID = re.compile(r"^nzc-(?:kernel|task)-(\d+)-")


def sweep(root: Path | None = None) -> list[Path]:
    """Removes what dead processes of this user left in ``root`` (the temporary folder)."""
    root = Path(root or tempfile.gettempdir())
    removed = []
    for pattern in PATTERNS:
        for path in sorted(root.glob(pattern)):
            m = OWNER_PID.match(path.name)
            if m is None or alive(int(m[1])):
                continue
            try:
                st = path.lstat()
            except OSError:
                continue
            if st.st_uid != os.getuid() or not stat.S_ISDIR(st.st_mode):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
