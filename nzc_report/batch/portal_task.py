"""The reviewers' portal as a Dask task (kind "portal"), after the summaries.

The build process plans it (nzc_report.portal.plan_portal: reads OUT/<year>, keeps
the cache bookkeeping), the task makes the pages from the inputs it carries
(make_portal: bytes in, bytes out, nothing read from OUT/), and the build process
writes what changed (write_pages). On the worker the templates and message
catalogues are the project files the build shipped (project.py).
"""
from __future__ import annotations

from nzc_report.batch.tasks import TaskSpec  # run on a worker by tasks.run_portal_task
from nzc_report.portal import PortalInputs

PORTAL_ID = "portal"


def portal_spec(inputs: PortalInputs, timeout: float) -> TaskSpec:
    return TaskSpec("portal", PORTAL_ID, "", {}, timeout, inputs.lang, None, False, portal=inputs)
