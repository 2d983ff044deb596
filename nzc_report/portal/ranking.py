"""Ranks of the zones of a build: ranking.json when the build wrote one, else the same rule here.

The rule (cli.md v2, ranking.json): by score, highest first, among the zones of the
build (``overall``) and among those of the same ``zone_type`` (``within_type``);
equal scores share a rank (1, 2, 2, 4); zones without a score get ``null`` ranks.
"""
from __future__ import annotations

import json
from pathlib import Path


def _competition_ranks(scores: dict[str, float | None]) -> dict[str, int | None]:
    scored = sorted((s for s in scores.values() if s is not None), reverse=True)
    first: dict[float, int] = {}
    for i, s in enumerate(scored, start=1):
        first.setdefault(s, i)
    return {z: (None if s is None else first[s]) for z, s in scores.items()}


def compute_ranking(results: dict[str, dict]) -> dict:
    """``results``: zone id → its results.json. Returns ranking.json's shape."""
    scores = {z: r.get("score") for z, r in results.items()}
    overall = _competition_ranks(scores)
    n_scored = sum(1 for s in scores.values() if s is not None)
    zones = {}
    for ztype in sorted({r["zone_type"] for r in results.values()}):
        members = {z: s for z, s in scores.items() if results[z]["zone_type"] == ztype}
        within = _competition_ranks(members)
        of = sum(1 for s in members.values() if s is not None)
        for z in members:
            zones[z] = {"score": scores[z], "overall": overall[z], "overall_of": n_scored,
                        "zone_type": ztype, "within_type": within[z], "within_type_of": of}
    return {"zones": {z: zones[z] for z in sorted(zones)}}


def read_ranking(year_dir: Path, results: dict[str, dict]) -> dict[str, dict]:
    """zone id → its ranks. From ranking.json where it covers every zone shown, else computed."""
    path = Path(year_dir) / "ranking.json"
    if path.is_file():
        try:
            zones = json.loads(path.read_text(encoding="utf-8")).get("zones") or {}
        except ValueError:
            zones = {}
        if all(z in zones for z in results):
            return zones
    return compute_ranking(results)["zones"]
