"""`build --explain` (`--dry-run`): what a build would make, and why, without making it.

Decided as the build decides (uptodate.py's stamp first, then each zone's key
against its manifest entry, plan.py), with no cluster started and nothing
written. Why a zone's key moved is read off the parts of its key
(``key_parts``) that a build records in the zone's manifest entry: its data,
its parameters, the framework and rules, the templates and package. Returns
codes; the command line says them in words (cli_messages.yaml, explain_*).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.batch.uptodate import done, outputs_intact, up_to_date

# Why something would be built; the catalogue's keys are "explain_<code>".
FORCED, NEW, FAILED_BEFORE = "forced", "new", "failed_before"
DATA, PARAMS, FRAMEWORK = "data", "params", "framework"  # framework: templates, framework, rules, package
OUTPUTS, INPUTS, ZONES_REBUILT = "outputs", "inputs", "zones_rebuilt"
NOT_YET_APPROVED = "not_yet_approved"
PART_REASONS = {"data": DATA, "params": PARAMS, "framework": FRAMEWORK, "code": FRAMEWORK}


def key_parts(build, zone_id: str) -> dict[str, str]:
    """The parts of a zone's key, each hashed (what ``explain`` compares with the manifest's)."""
    from nzc_report.batch.plan import code_digest
    from nzc_report.dataset import sha256_file
    from nzc_report.dataset.digest import digest_parts

    options = {k: v for k, v in build.key_options.items() if k != "params"}
    published = build.published.get(zone_id)
    return {
        "data": digest_parts(build.digests[zone_id], json.dumps(build.ds.meta, sort_keys=True, ensure_ascii=False),
                             sha256_file(published) if published else ""),
        "params": digest_parts(json.dumps(build.zone_params[zone_id], sort_keys=True, ensure_ascii=False)),
        "framework": build.key_options["params"],
        "code": digest_parts(code_digest(), json.dumps(options, sort_keys=True)),
    }


@dataclass(frozen=True)
class Item:
    id: str  # a zone id, "provinces/440000" or "national"
    kind: str  # zone, province, national
    reasons: tuple[str, ...]  # empty: up to date
    name: str = ""


@dataclass
class Explanation:
    year: int | None
    out_dir: Path
    items: list[Item] = field(default_factory=list)
    everything_up_to_date: bool = False

    @property
    def to_build(self) -> list[Item]:
        return [i for i in self.items if i.reasons and i.reasons != (NOT_YET_APPROVED,)]


def _zone_reasons(build, zone_id: str) -> tuple[str, ...]:
    prev = build.previous.entry("zones", zone_id)
    if build.options.force:
        return (FORCED,)
    if prev is None:
        return (NEW,)
    if done(build.year_dir, prev.parts()[0], build.keys[zone_id]):
        return ()
    if not prev.built:
        return (FAILED_BEFORE,)
    if prev.key == build.keys[zone_id]:
        return (OUTPUTS,)  # same inputs, outputs missing or changed since
    before = prev.key_parts
    if before is None:
        return (INPUTS,)  # a manifest written before key parts were recorded
    now = key_parts(build, zone_id)
    reasons = []
    for part, reason in PART_REASONS.items():
        if before.get(part) != now[part] and reason not in reasons:
            reasons.append(reason)
    return tuple(reasons) or (INPUTS,)


def _summary_reasons(build, uid: str, kind: str, zone_ids: list[str], stale: set[str]) -> tuple[str, ...]:
    prev = build.previous.entry("summaries", uid)
    if build.options.force:
        return (FORCED,)
    if prev is None:
        return (NEW,)
    if not prev.built:
        return (FAILED_BEFORE,)
    if stale & set(zone_ids):
        return (ZONES_REBUILT,)
    if not outputs_intact(build.year_dir, prev):
        return (OUTPUTS,)
    _, key = build.summary_spec(kind, uid, zone_ids)
    return () if prev.key == key else (FRAMEWORK,)


def explain(options, make_build) -> Explanation:
    """What ``build(options)`` would build and why; reads, never writes, starts no cluster.
    ``make_build``: batch.Build (passed in: batch/__init__.py imports this module)."""
    from nzc_report.batch.manifest import Manifest
    from nzc_report.batch.uptodate import stamp as stamp_of

    if not options.force:
        year_dir, stamped, _ = up_to_date(options)
        if year_dir is not None and stamped is not None:
            manifest = Manifest.read(year_dir)
            summaries = manifest.entries("summaries")
            items = [Item(z, "zone", ()) for z in stamped.zones]
            items += [Item(s, summaries[s].kind or "province", ()) for s in stamped.summaries]
            return Explanation(int(manifest.data["year"]), year_dir, items, everything_up_to_date=True)
    build = make_build(options, stamp_of(options))
    result = Explanation(build.year, build.year_dir)
    stale = set()
    for z in build.zone_ids:
        reasons = _zone_reasons(build, z)
        if reasons:
            stale.add(z)
        result.items.append(Item(z, "zone", reasons, build.metas[z]["name"]))
    for z in build.not_yet_approved:
        if not build.restricted or z in build.zone_ids:
            result.items.append(Item(z, "zone", (NOT_YET_APPROVED,), build.metas[z]["name"]))
    ranking = build.year_dir / "ranking.json"
    if ranking.is_file():  # the ranks a summary shows are in its key: those on disk, if no zone moves
        try:
            build.ranking = json.loads(ranking.read_text(encoding="utf-8"))
        except ValueError:
            pass
    for uid, (kind, zone_ids) in sorted(build.summary_groups().items()):
        result.items.append(Item(uid, kind, _summary_reasons(build, uid, kind, zone_ids, stale)))
    return result
