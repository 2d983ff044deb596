"""What a build must do: the zones in scope, their content keys, what is stale.

A zone's key hashes everything its notebook depends on: its rows of the
dataset and the dataset's labels, its parameters (its params file as read,
with the workspace's defaults), the framework and rules (all of params/ but
the zones' files, each taken from the --params overlay where it has one:
``shared_params_digest``, passed in the options), the notebook, the
templates, the package (version and source) and the build options that
change the output. So an overlay file rebuilds exactly what reads it: a
zone's file its zone (and the summaries through its results), a shared
file everything. A zone's report has a key of its own (``report_key``): what its
notebook wrote, and its rank among the zones of its type.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nzc_report import __version__
from nzc_report.dataset import Dataset
from nzc_report.dataset.digest import digest_parts, zone_digests
from nzc_report.dataset.provinces import province_code
from nzc_report.errors import ConfigError, ConfigProblem, UsageError
from nzc_report.resources import NOTEBOOKS_DIR, PARAMS_DIR, PROJECT_ROOT, TEMPLATES_DIR, params_file
from nzc_report.yamlfile import check_yaml, did_you_mean, display_path, key_line, load_with_lines, said

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def tree_digest(root: Path, pattern: str = "*", exclude: Path | None = None) -> str:
    """Digest of the files below ``root`` (names and contents), in a stable order."""
    parts: list[bytes | str] = []
    for path in sorted(root.rglob(pattern)):
        if path.is_file() and "__pycache__" not in path.parts and (exclude is None or exclude not in path.parents):
            parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest_parts(*parts)


@cache
def code_digest() -> str:
    """The package version and source, the templates (the shared params: shared_params_digest)."""
    return digest_parts(
        __version__,
        tree_digest(PACKAGE_DIR, "*.py"),
        tree_digest(TEMPLATES_DIR),
    )


def _shared_params_names(root: Path | None) -> set[str]:
    if root is None or not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "zones" != p.relative_to(root).parts[0]}


def shared_params_digest(overlay: Path | None = None) -> str:
    """The params files every report reads (all of params/ but zones/), each as the build
    reads it: from ``overlay`` where it has the file, from the project otherwise."""
    parts: list[str | bytes] = []
    files = {name: params_file(name, overlay) for name in _shared_params_names(PARAMS_DIR) | _shared_params_names(overlay)}
    if "framework.yaml" in files:  # the version 2 name of the default framework (assess/frameworks.py)
        files["frameworks/near-zero-zone.yaml"] = files.pop("framework.yaml")
    for name in sorted(files):
        parts += [name, files[name].read_bytes()]
    return digest_parts(*parts)


def zone_params_path(zone_id: str, overlay: Path | None = None) -> Path:
    return params_file(f"zones/{zone_id}.yaml", overlay)


def _zone_params_problems(zone_id: str, path: Path) -> tuple[dict, list[ConfigProblem]]:
    data, problems = check_yaml(path, "zone-params")
    if problems or not isinstance(data, dict):
        return {}, problems
    named = data.get("zone_id")
    if named is not None and named != zone_id:
        _, node = load_with_lines(path.read_text(encoding="utf-8"))
        line = key_line(node, ["zone_id"])
        problems.append(ConfigProblem(display_path(path), line,
                                      said("cfg_zone_id_mismatch", named=named, zone_id=zone_id)))
    return data, problems


def load_zone_params(zone_ids: list[str], overlay: Path | None = None,
                     defaults: dict | None = None) -> dict[str, dict]:
    """Every zone's parameters, checked against schemas/zone-params.schema.json.

    The overlay's own zone files are all checked, whether or not the dataset
    has the zone (a file whose name starts with '_' is an example, checked too).
    ``defaults`` (the workspace's evaluating body, say) fill keys a zone's file
    leaves out. ConfigError with every problem of every file otherwise.
    """
    params: dict[str, dict] = {}
    problems: list[ConfigProblem] = []
    for zone_id in zone_ids:
        path = zone_params_path(zone_id, overlay)
        data: dict = {}
        if path.is_file():
            data, found = _zone_params_problems(zone_id, path)
            problems += found
        params[zone_id] = {**{k: v for k, v in (defaults or {}).items() if v is not None}, **data}
    if overlay is not None and (overlay / "zones").is_dir():
        for path in sorted((overlay / "zones").glob("*.yaml")):
            if path.stem not in params:
                problems += _zone_params_problems(path.stem, path)[1]
                if not path.stem.startswith("_"):  # '_example.yaml' is an example, not a zone
                    problems.append(ConfigProblem(display_path(path), None, said(
                        "cfg_zone_not_in_dataset", zone=path.stem, hint=did_you_mean(path.stem, zone_ids))))
    if problems:
        raise ConfigError(problems)
    return params


# The evaluating body `init` writes into nzc-report.yaml until the user names the real one.
PLACEHOLDER_BODY = "某某评估机构"


def placeholder_problems(zone_params: dict[str, dict], is_sample: bool, overlay: Path | None = None,
                         settings: str = "nzc-report.yaml") -> list[ConfigProblem]:
    """The zones whose cover would name the placeholder evaluating body (issue 29): refused
    unless the sample (示例数据) is being built."""
    if is_sample:
        return []
    zones = sorted(z for z, p in zone_params.items() if p.get("evaluating_body") == PLACEHOLDER_BODY)
    if not zones:
        return []
    own = [z for z in zones if zone_params_path(z, overlay).is_file()
           and PLACEHOLDER_BODY in zone_params_path(z, overlay).read_text(encoding="utf-8")]
    where = [display_path(zone_params_path(z, overlay)) for z in own] or [settings]
    return [ConfigProblem(w, None, said("cfg_placeholder_body", body=PLACEHOLDER_BODY, n=len(zones)))
            for w in where]


def zone_data_digests(ds: Dataset) -> dict[str, str]:
    """Each zone's data digest (its rows in every table and the meta table), the one its
    results.json and report cite (nzc_report/dataset/digest.py)."""
    return zone_digests(ds)


def zone_key(ds: Dataset, zone_id: str, options: dict, data_digest: str, zone_params: dict | None = None) -> str:
    """``data_digest``: the zone's entry of zone_data_digests(ds); ``zone_params``: its
    parameters as the notebook gets them (default: its params file as it stands);
    ``options`` carry shared_params_digest() under "params"."""
    if zone_params is None:
        path = zone_params_path(zone_id)
        params = path.read_bytes() if path.is_file() else b""
    else:
        params = json.dumps(zone_params, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return digest_parts(code_digest(), (NOTEBOOKS_DIR / "zone_assessment.ipynb").read_bytes(),
                        json.dumps(options, sort_keys=True), json.dumps(ds.meta, sort_keys=True, ensure_ascii=False),
                        params, data_digest)


def report_key(results: bytes, figures: list[tuple[str, bytes]], rank: dict | None, options: dict) -> str:
    """A zone report's key: its results.json and figures as the notebook wrote them, its rank
    and the count of its type (not the other zones' scores), the package and templates, and
    ``options`` (language, PDF variant, shared_params_digest() under "params")."""
    return digest_parts(code_digest(), json.dumps(options, sort_keys=True), hashlib.sha256(results).hexdigest(),
                        *[f"{name}:{hashlib.sha256(data).hexdigest()}" for name, data in sorted(figures)],
                        json.dumps(rank, sort_keys=True))


def summary_key(notebook: str, zone_outputs: list[tuple[str, str, str]], options: dict) -> str:
    """zone_outputs: (zone_id, status, sha256 of its results.json or '') for every zone in scope."""
    return digest_parts(code_digest(), (NOTEBOOKS_DIR / notebook).read_bytes(),
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
            raise UsageError(said("unknown_zones", count=len(unknown), zones=said("cfg_list_sep").join(unknown)))
        ids = [z for z in ids if z in zones]
    if province:
        code = province_code(province)
        if code is None:
            raise UsageError(said("not_a_province", value=province))
        ids = [z for z in ids if ds.zone(z)["province_code"] == code]
        if not ids:
            raise UsageError(said("no_zone_in_province", value=province))
    return ids


def relative_to_project(path: Path) -> str:
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
