"""What the portal is made from, gathered from a build folder, and what need not be made again.

This runs in the build process (the only one that reads and writes OUT/): it reads
the files the portal needs into PortalInputs, decides which working papers are
stale (a page is made again only when its key changes) and keys the whole portal,
so that a build in which nothing the portal shows has changed runs no portal task.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import nzc_report
from nzc_report import __version__, resources
from nzc_report.portal.inputs import MANIFEST, RANKING, PortalInputs, short_manifest
from nzc_report.portal.pages import paper_page
from nzc_report.portal.site import PROVINCE_CODE, SAFE_ID, Site, Zone, read_site

# The package's code that makes the pages: a change to it makes them again.
SOURCE_FILES = ("portal/*.py", "render/environment.py", "render/messages.py")


@dataclass(frozen=True)
class PortalPlan:
    inputs: PortalInputs  # what the portal task gets
    keys: dict[str, str] = field(default_factory=dict)  # working paper page → its key (every paper shown)
    kept: tuple[str, ...] = ()  # working paper pages whose key is unchanged: kept as written
    key: str = ""  # the whole portal's: unchanged → nothing to make


def _hash(*parts: bytes) -> hashlib._Hash:
    h = hashlib.sha256()
    for p in parts:
        h.update(len(p).to_bytes(8, "big"))
        h.update(p)
    return h


def _maker_digest(lang: str) -> bytes:
    """The code, templates and words that make the pages."""
    package = Path(nzc_report.__file__).resolve().parent
    templates = resources.current_project().templates
    paths = [p for pattern in SOURCE_FILES for p in sorted(package.glob(pattern))]
    paths += sorted((templates / "portal").glob("*")) + sorted((templates / "messages").glob(f"*{lang}.yaml"))
    h = _hash(__version__.encode())
    for p in paths:
        h.update(_hash(p.name.encode(), p.read_bytes()).digest())
    return h.digest()


def paper_key(site: Site, z: Zone, notebook: bytes, maker: bytes) -> str:
    """What a working paper page is made of: its notebook, the zone's name, the site's frame
    (year, language, dataset, provinces in the navigation), the code and templates."""
    frame = json.dumps([site.year, site.lang, site.dataset, list(site.provinces), z.id, z.m.name,
                        z.m.name_en], ensure_ascii=False, sort_keys=True, default=str)
    return _hash(maker, frame.encode("utf-8"), hashlib.sha256(notebook).digest()).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _gather(year_dir: Path, manifest: Mapping) -> tuple[dict[str, bytes], list[str]]:
    """Files read (results, ranking, the manifest's short form) and files linked (PDFs, figures, notebooks)."""
    files = {MANIFEST: short_manifest(manifest)}
    present: list[str] = []
    ranking = _read(year_dir / RANKING)
    if ranking is not None:
        files[RANKING] = ranking
    folders = [d for d in sorted((year_dir / "zones").glob("*")) if SAFE_ID.match(d.name)]
    folders += [d for d in sorted((year_dir / "provinces").glob("*")) if PROVINCE_CODE.match(d.name)]
    folders.append(year_dir / "national")
    for d in folders:
        if not d.is_dir():
            continue
        rel = d.relative_to(year_dir).as_posix()
        results = _read(d / "results.json")
        if results is not None:
            files[f"{rel}/results.json"] = results
        present += [f"{rel}/{name}" for name in ("report.pdf", "summary.pdf", "assessment.ipynb") if (d / name).is_file()]
        present += [p.relative_to(year_dir).as_posix() for p in sorted(d.rglob("*.svg"))
                    if p.is_file() and not p.name.startswith(".")]
    return files, present


def plan_portal(year_dir: Path, lang: str | None = None, *, known: Mapping[str, str] | None = None,
                manifest: Mapping | None = None) -> PortalPlan:
    """The portal's inputs over the build in ``year_dir``, carrying only the notebooks of the
    working papers to make again. ``known``: working paper page → the key it was last made with
    (PortalPlan.keys of the last build); ``manifest``: the build's (else manifest.json)."""
    year_dir = Path(year_dir)
    if manifest is None:
        try:
            manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
    assert manifest is not None
    lang = lang or (manifest.get("options") or {}).get("lang") or "zh"
    files, present = _gather(year_dir, manifest)
    site = read_site(PortalInputs.of(lang, files, present))
    maker = _maker_digest(site.lang)
    keys: dict[str, str] = {}
    kept, notebooks = [], {}
    for z in site.zones:
        if "notebook" not in z.files:
            continue
        page, notebook = paper_page(z.id), (year_dir / z.files["notebook"]).read_bytes()
        keys[page] = paper_key(site, z, notebook, maker)
        if (known or {}).get(page) == keys[page] and (year_dir / page).is_file():
            kept.append(page)
        else:
            notebooks[z.files["notebook"]] = notebook
    whole = _hash(maker, json.dumps([site.lang, sorted(present), keys], sort_keys=True).encode("utf-8"))
    for path, data in sorted(files.items()):
        whole.update(_hash(path.encode("utf-8"), data).digest())
    return PortalPlan(PortalInputs.of(site.lang, {**files, **notebooks}, present), keys, tuple(sorted(kept)),
                      whole.hexdigest())
