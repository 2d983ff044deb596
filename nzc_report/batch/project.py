"""The project files a task needs (notebooks, templates, framework, rules), shipped by content.

Workers have the nzc-report package, not the build's checkout: the build
sends these files once per build, under a key made of their sha256; each
worker unpacks them into its private cache (cache.py: NZC_REPORT_CACHE, or the
user's cache folder), verified before each use, and renders with them: tasks.py passes a
resources.Project of the unpacked folder to the renderer (nothing in the
process is repointed, so two builds in one process keep their own files).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from nzc_report.resources import NOTEBOOKS_DIR, PARAMS_DIR, TEMPLATES_DIR

SUMMARY_NOTEBOOKS = ("province_summary.ipynb", "national_summary.ipynb")
ZONE_NOTEBOOK_NAME = "zone_assessment.ipynb"


@dataclass(frozen=True)
class ProjectFiles:
    """Relative path → content, and the sha256 naming them all."""

    digest: str
    files: tuple[tuple[str, bytes], ...]

    @property
    def key(self) -> str:
        return f"nzc-project-{self.digest}"


def _tree(root: Path, prefix: str, skip: str | None = None) -> list[tuple[str, bytes]]:
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and "__pycache__" not in rel.parts and (skip is None or rel.parts[0] != skip):
            out.append((f"{prefix}/{rel.as_posix()}", path.read_bytes()))
    return out


def collect(zone_notebook: Path, overlay: Path | None = None) -> ProjectFiles:
    """The files of this build: templates/, params/ but per-zone files (those travel with
    their zone), the zone notebook the build runs and the summary notebooks. A params
    overlay's files (--params, a workspace) take the place of the project's of the same name."""
    params = dict(_tree(PARAMS_DIR, "params", skip="zones"))
    if overlay is not None and Path(overlay).is_dir():
        params.update(_tree(Path(overlay), "params", skip="zones"))
    files = _tree(TEMPLATES_DIR, "templates") + sorted(params.items())
    files.append((f"notebooks/{ZONE_NOTEBOOK_NAME}", Path(zone_notebook).read_bytes()))
    files += [(f"notebooks/{n}", (NOTEBOOKS_DIR / n).read_bytes()) for n in SUMMARY_NOTEBOOKS]
    h = hashlib.sha256()
    for name, data in sorted(files):
        for part in (name.encode("utf-8"), data):
            h.update(len(part).to_bytes(8, "big"))
            h.update(part)
    return ProjectFiles(h.hexdigest(), tuple(sorted(files)))
