"""Atomic file writes: a temporary file in the same folder, then a rename.

An interrupted build (Ctrl-C, kill -9) then leaves either the old file or the
new one, never half of one.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | Path):
    """Yields a temporary path beside ``target``; renames it over ``target`` on success."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Hidden, and not ending in the final extension: after a kill at the wrong moment,
    # a script collecting *.pdf must not pick up a half-written `.report.pdf.tmp-…`.
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.tmp-", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def write_json(target: str | Path, obj) -> None:
    """Stable JSON: sorted keys stay off so the spec's order is kept; floats as Python prints them."""
    write_text(target, json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
