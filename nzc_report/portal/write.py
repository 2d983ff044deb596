"""The portal's files written into the year folder: only those whose bytes changed, atomically.

Runs in the build process. An unchanged zone keeps its page as it was (same mtime);
pages of zones no longer in the build are removed.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.atomic import write_bytes
from nzc_report.portal.inputs import check_relative
from nzc_report.portal.pages import INDEX

PORTAL_DIR = "portal"


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)  # every file of the portal
    changed: list[str] = field(default_factory=list)  # those written (new or different bytes)
    removed: list[str] = field(default_factory=list)  # old portal files no longer part of it
    keys: dict[str, str] = field(default_factory=dict)  # working paper path → its key


def _inside(year_dir: Path, rel: str) -> Path:
    parts = check_relative(rel).split("/")
    if not (rel == INDEX or (parts[0] == PORTAL_DIR and len(parts) > 1)):
        raise ValueError(f"{rel!r}: not a file of the portal")
    return year_dir.joinpath(*parts)


def write_pages(year_dir: Path, pages: Mapping[str, bytes], kept: Iterable[str] = ()) -> Written:
    """Writes ``pages`` (path from ``year_dir`` → bytes) where the bytes differ from the file's;
    removes other files under portal/ but those ``kept`` (working papers left as they are)."""
    year_dir = Path(year_dir)
    portal = year_dir / PORTAL_DIR
    for leftover in [*year_dir.glob(f".{INDEX}.tmp-*"), *portal.glob("**/.*.tmp-*")]:  # of a killed build
        leftover.unlink(missing_ok=True)
    targets = {rel: _inside(year_dir, rel) for rel in pages}
    kept = {rel for rel in kept if _inside(year_dir, rel).is_file()}
    out = Written()
    for rel, data in sorted(pages.items()):
        target = targets[rel]
        if not (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
            write_bytes(target, data)
            out.changed.append(rel)
    out.paths = sorted([*targets.values(), *(year_dir / rel for rel in kept)])
    for old in sorted(portal.rglob("*")) if portal.is_dir() else []:
        rel = old.relative_to(year_dir).as_posix()
        if old.is_file() and not old.name.startswith(".") and rel not in pages and rel not in kept:
            old.unlink()
            out.removed.append(rel)
    return out
