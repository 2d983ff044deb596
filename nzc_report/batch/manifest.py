"""manifest.json: inputs, parameters, versions, outputs and their sha256; and verify."""
from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from nzc_report import __version__
from nzc_report.atomic import write_json
from nzc_report.resources import PROJECT_ROOT

MANIFEST = "manifest.json"
VERSIONED_PACKAGES = ["papermill", "nbclient", "ipykernel", "pandas", "matplotlib", "seaborn", "weasyprint",
                      "jinja2", "pyyaml"]


def sha256_file(path: Path) -> str:
    """As nzc_report.dataset.sha256_file, without loading the dataset layer (pandas)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(year_dir: Path) -> dict[str, Any]:
    path = year_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a damaged manifest only means everything is rebuilt


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, timeout=5).stdout.strip()
    return out.stdout.strip() + ("-dirty" if dirty else "")


def versions() -> dict:
    v = {"nzc-report": __version__, "python": platform.python_version()}
    for name in VERSIONED_PACKAGES:
        try:
            v[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return v


def output_entries(year_dir: Path, paths: list[Path]) -> list[dict]:
    out = []
    for p in sorted(paths):
        if p.is_file():
            st = p.stat()
            out.append({"path": p.relative_to(year_dir).as_posix(), "sha256": sha256_file(p),
                        "bytes": st.st_size, "mtime_ns": st.st_mtime_ns})
    return out


def outputs_of(folder: Path) -> list[Path]:
    """The files a zone or summary produced (hidden temporaries excluded)."""
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]


def write_manifest(year_dir: Path, manifest: dict) -> None:
    write_json(year_dir / MANIFEST, manifest)


def verify(out: Path) -> tuple[list[str], int]:
    """Recomputes every recorded sha256; returns (problems, files checked)."""
    manifests = sorted(Path(out).glob(f"*/{MANIFEST}"))
    if not manifests:
        return [f"no {MANIFEST} under {out}"], 0
    problems, checked = [], 0
    for m in manifests:
        try:
            data = json.loads(m.read_text(encoding="utf-8"))
        except ValueError as exc:
            problems.append(f"{m}: not valid JSON ({exc})")
            continue
        entries = [o for unit in ("zones", "summaries", "ranking", "portal") for u in data.get(unit, {}).values()
                   for o in u.get("outputs", [])]
        for o in entries:
            p = m.parent / o["path"]
            checked += 1
            if not p.is_file():
                problems.append(f"MISSING {p}")
            elif sha256_file(p) != o["sha256"]:
                problems.append(f"CHANGED {p}")
    return problems, checked
