"""What a build must do: the zones in scope, their content keys, what is stale.

A zone's key hashes everything its report depends on: its rows of the
dataset and the dataset's labels, its params file, the framework and rules
(all of params/ but other zones' files), the notebook, the templates, the
package (version and source) and the build options that change the output.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from nzc_report import __version__
from nzc_report.dataset import Dataset
from nzc_report.dataset.provinces import province_code
from nzc_report.errors import UsageError
from nzc_report.resources import NOTEBOOKS_DIR, PARAMS_DIR, PROJECT_ROOT, TEMPLATES_DIR

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        data = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(root: Path, pattern: str = "*", exclude: Path | None = None) -> str:
    """Digest of the files below ``root`` (names and contents), in a stable order."""
    parts = []
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts and (exclude is None or exclude not in path.parents):
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return _digest(*parts)


@lru_cache(maxsize=None)
def code_digest() -> str:
    """The package version and source, the templates, the shared params."""
    return _digest(
        __version__,
        tree_digest(PACKAGE_DIR, "*.py"),
        tree_digest(TEMPLATES_DIR),
        tree_digest(PARAMS_DIR, exclude=PARAMS_DIR / "zones"),
    )


def zone_params_path(zone_id: str) -> Path:
    return PARAMS_DIR / "zones" / f"{zone_id}.yaml"


def zone_data_digests(ds: Dataset) -> dict[str, str]:
    """A digest of each zone's rows across all tables, in one vectorised pass per table."""
    parts: dict[str, list[str]] = {z: [] for z in ds.zone_ids}
    for name, table in sorted(ds.tables.items()):
        if "zone_id" not in table.columns or table.empty:
            continue
        cols = sorted(c for c in table.columns if c != "__row__")
        rows: dict[str, list[str]] = {}
        for zone_id, *values in zip(table["zone_id"].tolist(), *(table[c].tolist() for c in cols)):
            rows.setdefault(zone_id, []).append("\x1f".join(map(str, values)))
        for zone_id, lines in rows.items():
            if zone_id in parts:
                parts[zone_id].append(name + "\x1d" + "\x1e".join(lines))
    return {z: _digest(*p) for z, p in parts.items()}


def zone_key(ds: Dataset, zone_id: str, options: dict, data_digest: str) -> str:
    """``data_digest``: the zone's entry of zone_data_digests(ds)."""
    params = zone_params_path(zone_id)
    return _digest(code_digest(), (NOTEBOOKS_DIR / "zone_assessment.ipynb").read_bytes(),
                   json.dumps(options, sort_keys=True), json.dumps(ds.meta, sort_keys=True, ensure_ascii=False),
                   params.read_bytes() if params.is_file() else b"", data_digest)


def summary_key(notebook: str, zone_outputs: list[tuple[str, str, str]], options: dict) -> str:
    """zone_outputs: (zone_id, status, sha256 of its results.json or '') for every zone in scope."""
    return _digest(code_digest(), (NOTEBOOKS_DIR / notebook).read_bytes(),
                   json.dumps(options, sort_keys=True), json.dumps(sorted(zone_outputs)))


@dataclass
class ZonePlan:
    zone_id: str
    name: str
    zone_type: str
    province_code: str
    key: str
    params: dict = field(default_factory=dict)


def select_zones(ds: Dataset, zones: list[str] | None, province: str | None) -> list[str]:
    ids = ds.zone_ids
    if zones:
        unknown = [z for z in zones if z not in ids]
        if unknown:
            raise UsageError(f"--zones: unknown zone(s): {', '.join(unknown)}")
        ids = [z for z in ids if z in zones]
    if province:
        code = province_code(province)
        if code is None:
            raise UsageError(f"--province: '{province}' is not a provincial-level division")
        ids = [z for z in ids if ds.zone(z)["province_code"] == code]
        if not ids:
            raise UsageError(f"--province: the dataset has no zone in {province}")
    return ids


def relative_to_project(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
