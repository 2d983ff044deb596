"""The digests a build cites for its data (issue 27, item 8).

- ``dataset_digest``: the whole dataset of a build, one SHA-256. For a workbook it is the file's
  own SHA-256 (what ``sha256sum dataset.xlsx`` prints); for a folder of CSV files, the SHA-256 of
  the lines ``<sha256>  <file>`` of its files in name order (what
  ``sha256sum FILE... | sha256sum`` prints over the files in that order). The manifest and the
  national summary cite it: the national summary is made again whenever any part changes.
- ``zone_digest``: one zone's data, its rows in every table (as read: typed values, not the
  file's bytes) and the dataset's description (the meta table). A zone report and its
  results.json cite it: a zone report is made again when its own data changes, not when another
  zone's does (cli.md: one zone's change must not rebuild every other zone report), so it cannot
  cite the whole dataset's digest truthfully. The same rows give the same digest whether they
  come from a workbook or from CSV files.
- ``zones_digest``: a provincial summary's data, its zones' data digests (the SHA-256 of the lines
  ``<zone digest>  <zone_id>`` in zone_id order). A provincial summary is made again when its
  zones' data changes (or their ranks move), not for every change elsewhere in the dataset: with
  28 provinces in the sample, citing the whole dataset would remake 28 summaries for one zone.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from nzc_report.digests import digest_parts, zones_digest

if TYPE_CHECKING:
    from nzc_report.dataset import Dataset

__all__ = ["ZONE_DIGEST_VERSION", "dataset_digest", "digest_parts", "zone_digest", "zone_digests",
           "zone_rows_digests", "zones_digest"]

ZONE_DIGEST_VERSION = "nzc-zone-data/1"  # what zone_digest covers; a change of it is a new version


def dataset_digest(files: list[dict]) -> str:
    """``files``: the dataset's provenance ([{"file", "sha256"}], Dataset.provenance())."""
    if len(files) == 1:
        return str(files[0]["sha256"])
    listing = "".join(f"{f['sha256']}  {f['file']}\n" for f in sorted(files, key=lambda f: f["file"]))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def zone_rows_digests(ds: Dataset, zone_ids: list[str] | None = None) -> dict[str, str]:
    """A digest of each zone's rows across all tables, in one vectorised pass per table."""
    wanted = ds.zone_ids if zone_ids is None else zone_ids
    parts: dict[str, list[str]] = {z: [] for z in wanted}
    for name, table in sorted(ds.tables.items()):
        if "zone_id" not in table.columns or table.empty:
            continue
        cols = sorted(c for c in table.columns if c != "__row__")
        rows: dict[str, list[str]] = {}
        for zone_id, *values in zip(table["zone_id"].tolist(), *(table[c].tolist() for c in cols)):
            if zone_id in parts:
                rows.setdefault(zone_id, []).append("\x1f".join(map(str, values)))
        for zone_id, lines in rows.items():
            parts[zone_id].append(name + "\x1d" + "\x1e".join(lines))
    return {z: digest_parts(*p) for z, p in parts.items()}


def zone_digests(ds: Dataset, zone_ids: list[str] | None = None) -> dict[str, str]:
    """``zone_digest`` of each zone (of ``zone_ids``, default all) in one pass."""
    meta = json.dumps(ds.meta, sort_keys=True, ensure_ascii=False)
    return {z: digest_parts(ZONE_DIGEST_VERSION, rows, meta) for z, rows in zone_rows_digests(ds, zone_ids).items()}


def zone_digest(ds: Dataset, zone_id: str) -> str:
    """The SHA-256 of one zone's data: its rows of every table and the dataset's meta table."""
    return zone_digests(ds, [zone_id])[zone_id]
