"""What each page of the portal is made from: the files of the build (paths from OUT/<year>) a
page shows, so that verify names a page made from a file that changed since (STALE), as it
does for the reports and summaries (issue 27: verify is never blind).

- the overview (index.html), the zones page and its search index: every zone's and summary's
  results.json and ranking.json;
- a province's page: its summary's results.json, its zones' results.json, ranking.json;
- a zone's page: its results.json and ranking.json (its rank);
- a zone's working paper: its executed notebook (assessment.ipynb);
- the assets (CSS, script): none of the build's files.
"""
from __future__ import annotations

from nzc_report.portal.inputs import RANKING, PortalInputs
from nzc_report.portal.pages import ASSETS, INDEX, SEARCH_INDEX, ZONES_PAGE, paper_page, province_page, zone_page
from nzc_report.portal.site import read_site


def page_inputs(inputs: PortalInputs) -> dict[str, list[str]]:
    """Page (path from the year folder) → the build's files it is made from, for every page
    the portal over ``inputs`` has (the working papers whether made again or kept)."""
    site = read_site(inputs)
    present = {p for p, _ in inputs.files} | set(inputs.present)
    ranking = [RANKING] if RANKING in present else []
    results = {z.id: z.files["results_json"] for z in site.zones if "results_json" in z.files}
    summaries = {code: f"provinces/{code}/results.json" for code in site.provinces}
    everything = sorted({*results.values(), *(p for p in summaries.values() if p in present),
                         *(["national/results.json"] if "national/results.json" in present else []), *ranking})
    pages: dict[str, list[str]] = {path: [] for path in ASSETS}
    for page in (INDEX, ZONES_PAGE, SEARCH_INDEX):
        pages[page] = everything
    for code in site.provinces:
        own = [summaries[code]] if summaries[code] in present else []
        pages[province_page(code)] = sorted({*own, *(results[z.id] for z in site.province_zones(code)
                                                      if z.id in results), *ranking})
    for z in site.zones:
        pages[zone_page(z.id)] = sorted({*([results[z.id]] if z.id in results else []), *ranking})
        if "notebook" in z.files:
            pages[paper_page(z.id)] = [z.files["notebook"]]
    return pages
