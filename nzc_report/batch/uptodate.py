"""Nothing to do? Decided from file hashes alone, before the dataset is even read.

A build that ends with everything built records a stamp in its manifest: a
sha256 of every file the build read (the dataset's files, the package
source, templates, params, the notebook, any folder or file an option names)
and of the options that change outputs. The next build computes the same
stamp first; if it matches and every output is still as written (size and
mtime, as make does; `verify` rehashes), it is done: no dataset validation,
no planning, no pandas, no cluster. Anything else takes the full path, which
decides zone by zone (plan.py).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import nzc_report
from nzc_report import __version__
from nzc_report.batch.manifest import JOURNAL, MANIFEST, BuildStatus, Entry, Manifest, Stamp  # already imported with the package
from nzc_report.resources import NOTEBOOKS_DIR, PARAMS_DIR, TEMPLATES_DIR

# Options that change how a build runs, not what it writes.
EXECUTION_ONLY = {"out", "jobs", "force", "timeout", "warm_kernels", "scheduler", "executor"}


def _update(h, *parts: bytes) -> None:
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)


def _tree(h, root: Path, pattern: str = "*") -> None:
    if root.is_file():
        _update(h, root.name.encode(), root.read_bytes())
        return
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts:
            _update(h, path.relative_to(root).as_posix().encode(), path.read_bytes())


def stamp(options) -> str:
    """What every output of this build depends on, hashed."""
    h = hashlib.sha256()
    _update(h, __version__.encode())
    _tree(h, Path(nzc_report.__file__).resolve().parent, "*.py")
    for root in (TEMPLATES_DIR, PARAMS_DIR, NOTEBOOKS_DIR):
        _tree(h, root)
    fields = {}
    for f in dataclasses.fields(options):
        if f.name in EXECUTION_ONLY:
            continue
        value = getattr(options, f.name)
        if isinstance(value, Path):
            _update(h, f.name.encode())
            if value.exists():
                _tree(h, value)
            value = str(value.resolve())
        fields[f.name] = value
    _update(h, json.dumps(fields, sort_keys=True, default=str).encode())
    return h.hexdigest()


def outputs_intact(year_dir: Path, entry: Entry) -> bool:
    """Every output of a manifest entry still there as written (size and mtime, as make does;
    verify rehashes), and at least one."""
    for o in entry.outputs:
        try:
            st = (year_dir / o.path).stat()
        except OSError:
            return False
        if st.st_size != o.bytes or st.st_mtime_ns != o.mtime_ns:
            return False
    return bool(entry.outputs)


def done(year_dir: Path, entry: Entry | None, key: str) -> bool:
    """Built under ``key`` and its outputs intact (a manifest entry, or a part of a zone's)."""
    return entry is not None and entry.key == key and entry.built and outputs_intact(year_dir, entry)


def _intact(year_dir: Path, entry: Entry | None, zone: bool = False) -> bool:
    if entry is None or not entry.built:
        return False
    if zone and entry.report_status != BuildStatus.BUILT:
        return False
    return outputs_intact(year_dir, entry)


def up_to_date(options) -> tuple[Path, Stamp, str] | tuple[None, None, str]:
    """(year folder, what its manifest says is done, stamp) when this build has nothing to
    do; else (None, None, stamp)."""
    current = stamp(options)
    out = Path(options.out)
    candidates = [out / str(options.year)] if options.year else sorted(out.glob("*"))
    for year_dir in candidates:
        if (year_dir / JOURNAL).exists():  # a build was killed there: the full path decides
            continue
        manifest = Manifest.load(year_dir / MANIFEST)
        for stamped in manifest.stamps:
            if stamped.stamp != current:
                continue
            if all(_intact(year_dir, manifest.entry("zones", z), zone=True) for z in stamped.zones) \
                    and all(_intact(year_dir, manifest.entry("summaries", s)) for s in stamped.summaries):
                return year_dir, stamped, current
    return None, None, current
