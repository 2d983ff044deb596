"""verify: the portal's pages made from files that changed since (issue 27: verify is never blind).

The portal's manifest entry records each page's inputs (``page_inputs``: page → the build's
files it shows, nzc_report/portal/depends.py) and their digests (``inputs``): a page whose input
changed or is gone is STALE, by name, and the other pages are not.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nzc_report.yamlfile import said


def stale_pages(year_dir: Path, entry: dict, digest: Callable[[Path], str]) -> list[str]:
    """STALE lines for the pages of a portal ``entry`` made from files that changed since."""
    inputs, pages = entry.get("inputs"), entry.get("page_inputs")
    if not isinstance(inputs, dict) or not isinstance(pages, dict):
        return []
    changed = {rel for rel, was in inputs.items()
               if not (year_dir / rel).is_file() or digest(year_dir / rel) != was}
    problems = []
    for page, made_from in sorted(pages.items()):
        gone = sorted(set(made_from if isinstance(made_from, list) else []) & changed)
        if gone and (year_dir / page).is_file():
            shown = ", ".join(gone[:3])
            if len(gone) > 3:
                shown = said("verify_and_more", shown=shown, n=len(gone) - 3)
            problems.append(said("verify_stale", path=year_dir / page, inputs=shown))
    return problems
