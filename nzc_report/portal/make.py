"""The portal made from its inputs, in memory: the part that runs as a Dask task.

Pure: it reads nothing of the build folder (only the inputs, and the project's
templates and message catalogues, which a worker has from the files the build
shipped), and gives the same bytes wherever and however often it runs.
"""
from __future__ import annotations

from nzc_report.portal.inputs import PortalInputs
from nzc_report.resources import Project, current_project, using_project
from nzc_report.portal.pages import build_pages, paper_page, render_paper
from nzc_report.portal.paper import notebook_body
from nzc_report.portal.site import read_site


def make_portal(inputs: PortalInputs, project: Project | None = None) -> dict[str, bytes]:
    """Every file of the portal: path from the year folder → bytes.

    A zone's working paper page is made from its notebook when the inputs carry the
    notebook's bytes; when they only say it is present, the page is left out (the
    build keeps the one it has: its key did not change, see sources.py). ``project``: whose
    templates and catalogues (a task: the files the build shipped; default: the current project).
    """
    with using_project(project or current_project()):
        return _make(inputs)


def _make(inputs: PortalInputs) -> dict[str, bytes]:
    site = read_site(inputs)
    files = build_pages(site)
    data = dict(inputs.files)
    for z in site.zones:
        notebook = z.files.get("notebook")
        if notebook in data:
            files[paper_page(z.id)] = render_paper(site, z, notebook_body(data[notebook]))
    return files
