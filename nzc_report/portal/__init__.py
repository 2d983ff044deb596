"""The reviewers' portal: a static site over a build, OUT/<year>/index.html and OUT/<year>/portal/.

In three steps, so that the middle one can run on a Dask worker that shares no files
with the build (batch/portal_task.py):

    plan_portal(year_dir, lang, known) -> PortalPlan   build process: reads OUT/<year>; which
                                                       working papers are stale; the whole key
    make_portal(PortalInputs) -> {path: bytes}         pure: inputs as bytes → pages as bytes
    write_pages(year_dir, pages, kept) -> Written      build process: writes what changed, atomically

write_portal() does the three in this process; build_portal() the first two, every page made.

Pages: the overview (index.html), all zones (portal/zones.html, sorted and filtered
by portal/assets/portal.js, every zone in rank order without it), one page per
province and per zone, and each zone's working paper (assessment.ipynb through
nbconvert). Ranks are ranking.json's. Everything is local (CSS, JS, the build's
SVGs and PDFs) and a Content-Security-Policy allows only the site's own files.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from nzc_report.portal.inputs import PortalInputs
from nzc_report.portal.make import make_portal
from nzc_report.portal.pages import INDEX
from nzc_report.portal.sources import PortalPlan, plan_portal
from nzc_report.portal.write import PORTAL_DIR, Written, write_pages

__all__ = ["INDEX", "PORTAL_DIR", "PortalInputs", "PortalPlan", "Written", "build_portal", "make_portal",
           "plan_portal", "write_pages", "write_portal"]


def build_portal(year_dir: Path, lang: str | None = None) -> dict[str, bytes]:
    """Every file of the portal over the build in ``year_dir`` (every working paper made): path → bytes.
    ``lang`` defaults to the build's (manifest.json)."""
    return make_portal(plan_portal(year_dir, lang).inputs)


def write_portal(year_dir: Path, lang: str | None = None, *, known: Mapping[str, str] | None = None) -> Written:
    """Makes and writes the portal in this process. ``known``: working paper page → the key it
    was last made with (Written.keys); those pages are not made again."""
    plan = plan_portal(year_dir, lang, known=known)
    written = write_pages(year_dir, make_portal(plan.inputs), plan.kept)
    written.keys = dict(plan.keys)
    return written
