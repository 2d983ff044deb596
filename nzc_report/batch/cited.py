"""verify: each output cites the data digest of the dataset it was built from (issue 27, item 8).

The manifest records the build's dataset digest (``dataset_sha256``) and each zone's data digest
in that dataset (``zone_data_sha256``: zone → digest; nzc_report/dataset/digest.py). A zone's
entry records the data digest its notebook ran on (``data_sha256``), its results.json and report
cite it; the national summary's results.json (and PDF) cite the whole dataset's digest, a
provincial summary's its zones' data (``zones_digest``). A zone report is
not made again when another zone's rows change (cli.md), so it cites its own zone's digest; a
report made from results that are not current is already STALE (manifest._stale).
"""
from __future__ import annotations

import json
from pathlib import Path

from nzc_report.digests import zones_digest
from nzc_report.yamlfile import said


def _cited(path: Path, key: str) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # missing or damaged: the output checks say so
    dataset = data.get("dataset") if isinstance(data, dict) else None
    value = dataset.get(key) if isinstance(dataset, dict) else None
    return value if isinstance(value, str) else None


def _short(digest: str | None) -> str:
    return digest[:12] if digest else said("verify_no_digest")


def cited_problems(year_dir: Path, data: dict) -> list[str]:
    """What cites a data digest other than the one of the dataset the manifest records."""
    problems = []
    current = data.get("zone_data_sha256")
    current = current if isinstance(current, dict) else {}
    for zid, entry in sorted((data.get("zones") or {}).items()):
        built_from = entry.get("data_sha256")
        if entry.get("status") != "built" or not isinstance(built_from, str):
            continue  # an entry of an earlier version records none
        folder = year_dir / "zones" / zid
        now = current.get(zid)
        if isinstance(now, str) and now != built_from:
            problems.append(said("verify_stale_zone_data", folder=folder, built=_short(built_from), now=_short(now)))
        results = folder / "results.json"
        cited = _cited(results, "zone_data_sha256") if results.is_file() else built_from
        if cited != built_from:
            problems.append(said("verify_cites", results=results, cited=_short(cited), built=_short(built_from)))
    for uid, entry in sorted((data.get("summaries") or {}).items()):
        results = year_dir / uid / "results.json"
        if entry.get("status") != "built" or not results.is_file():
            continue
        if entry.get("kind") == "national":
            key, now, what = "sha256", data.get("dataset_sha256"), said("verify_what_dataset")
        else:  # a provincial summary: its zones' data
            zones = entry.get("zones")
            if not isinstance(zones, list) or not all(isinstance(current.get(z), str) for z in zones):
                continue  # a zone gone from the dataset: the summary's inputs say it is stale
            key, now, what = "zones_data_sha256", zones_digest({z: current[z] for z in zones}), said("verify_what_zones")
        if not isinstance(now, str):
            continue  # a manifest of an earlier version records no digest
        cited = _cited(results, key)
        if cited != now:
            problems.append(said("verify_stale_summary", path=year_dir / uid, what=what, cited=_short(cited), now=_short(now)))
    return problems
