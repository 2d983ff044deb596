"""The reviewers' portal: a static site over a build, OUT/<year>/index.html and OUT/<year>/portal/.

    build_portal(year_dir, lang) -> {relative path: bytes}   pure: reads the build folder only
    write_portal(year_dir, lang, known) -> Written            writes what changed, atomically

Pages: the overview (index.html), all zones (portal/zones.html, sorted and filtered
by portal/assets/portal.js, every zone in rank order without it), one page per
province and per zone, and each zone's working paper (assessment.ipynb through
nbconvert). Everything is local (CSS, JS, the build's SVGs and PDFs) and a
Content-Security-Policy allows only the site's own files.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from nzc_report import __version__
from nzc_report.atomic import write_bytes
from nzc_report.portal.pages import INDEX, build_pages, paper_page, render_paper
from nzc_report.portal.paper import CELLS_TEMPLATE, notebook_body
from nzc_report.portal.site import Site, Zone, read_site
from nzc_report.resources import TEMPLATES_DIR

__all__ = ["INDEX", "PORTAL_DIR", "Written", "build_portal", "write_portal"]
PORTAL_DIR = "portal"


def paper_key(year_dir: Path, site: Site, z: Zone) -> str:
    """What a working paper page is made of: its notebook, the language, the page's templates."""
    h = hashlib.sha256(f"{__version__}\0{site.lang}\0{site.year}\0{site.dataset.get('is_sample')}\0".encode())
    for path in [year_dir / z.files["notebook"], CELLS_TEMPLATE, *sorted((TEMPLATES_DIR / "portal").glob("*.j2")),
                 *sorted((TEMPLATES_DIR / "messages").glob(f"*{site.lang}.yaml"))]:
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _build(year_dir: Path, lang: str | None, known: dict[str, str]) -> tuple[dict[str, bytes], dict[str, str]]:
    year_dir = Path(year_dir)
    site = read_site(year_dir, lang)
    files = build_pages(site)
    keys = {}
    for z in site.zones:
        if "notebook" not in z.files:
            continue
        path = paper_page(z.id)
        keys[path] = paper_key(year_dir, site, z)
        if known.get(path) == keys[path] and (year_dir / path).is_file():
            files[path] = (year_dir / path).read_bytes()  # same inputs: the page as last written
        else:
            body = notebook_body((year_dir / z.files["notebook"]).read_bytes())
            files[path] = render_paper(site, z, body)
    return files, keys


def build_portal(year_dir: Path, lang: str | None = None, *, known: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every file of the portal over the build in ``year_dir``: path from ``year_dir`` → bytes.

    ``lang`` defaults to the build's (manifest.json). ``known``: working paper path →
    the key it was last written with (Written.keys); those pages are not converted again.
    """
    return _build(year_dir, lang, known or {})[0]


@dataclass
class Written:
    paths: list[Path] = field(default_factory=list)  # every file of the portal
    changed: list[str] = field(default_factory=list)  # those written (new or different bytes)
    removed: list[str] = field(default_factory=list)  # old portal files no longer part of it
    keys: dict[str, str] = field(default_factory=dict)  # working paper path → its key


def write_portal(year_dir: Path, lang: str | None = None, *, known: dict[str, str] | None = None) -> Written:
    """Writes the portal into ``year_dir``: only files whose bytes changed (atomically), so an
    unchanged zone keeps its page as it was; removes pages of zones no longer in the build."""
    year_dir = Path(year_dir)
    files, keys = _build(year_dir, lang, known or {})
    out = Written(keys=keys)
    for rel, data in sorted(files.items()):
        target = year_dir / rel
        if not (target.is_file() and target.read_bytes() == data):
            write_bytes(target, data)
            out.changed.append(rel)
        out.paths.append(target)
    portal = year_dir / PORTAL_DIR
    for old in sorted(portal.rglob("*")) if portal.is_dir() else []:
        rel = old.relative_to(year_dir).as_posix()
        if old.is_file() and not old.name.startswith(".") and rel not in files:
            old.unlink()
            out.removed.append(rel)
    return out
