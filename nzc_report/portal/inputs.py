"""What the portal is made from, as bytes: the one value that crosses to a Dask worker.

The portal reads a few files of a build (results.json of the zones and summaries,
ranking.json, a short manifest, the working papers to convert) and links others
without reading them (PDFs, figures, working papers whose page is kept). Paths are
relative to the year folder (OUT/<year>), POSIX style.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

MANIFEST = "manifest.json"  # only year, options.lang and the failed zones (short_manifest)
RANKING = "ranking.json"


def check_relative(path: str) -> str:
    """``path`` if it is a relative POSIX path that stays inside the year folder; else ValueError."""
    if path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in path.split("/")):
        raise ValueError(f"{path!r}: not a relative path inside the year folder")
    return path


def short_manifest(manifest: Mapping) -> bytes:
    """What the portal needs of manifest.json: the year, the language, the zones that failed."""
    zones = {z: {"status": e.get("status"), "name": e.get("name")}
             for z, e in sorted((manifest.get("zones") or {}).items()) if e.get("status") == "failed"}
    short = {"year": manifest.get("year"), "options": {"lang": (manifest.get("options") or {}).get("lang")},
             "zones": zones}
    return json.dumps(short, ensure_ascii=False, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class PortalInputs:
    """``files``: what the portal reads, path → bytes; ``present``: the other files of the build
    it may link to (they exist; their bytes do not travel). A zone's working paper whose
    notebook is present but not in ``files`` keeps the page it has (not made again)."""

    lang: str
    files: tuple[tuple[str, bytes], ...]
    present: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for path in [p for p, _ in self.files] + list(self.present):
            check_relative(path)

    @classmethod
    def of(cls, lang: str, files: Mapping[str, bytes], present=()) -> PortalInputs:
        return cls(lang, tuple(sorted(files.items())), tuple(sorted(set(present) - set(files))))
