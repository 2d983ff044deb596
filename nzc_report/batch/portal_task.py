"""The reviewers' portal as a Dask task (kind "portal"), after the summaries.

The build process plans it (nzc_report.portal.plan_portal: reads OUT/<year>, keeps
the cache bookkeeping), the task makes the pages from the inputs it carries
(make_portal: bytes in, bytes out, nothing read from OUT/), and the build process
writes what changed (write_pages). On the worker the templates and message
catalogues are the project files the build shipped (project.py).
"""
from __future__ import annotations

import time

from nzc_report.batch.tasks import FailureKind, TaskOutcome, TaskSpec, _worker_name
from nzc_report.errors import NzcError
from nzc_report.portal import PortalInputs

PORTAL_ID = "portal"


def portal_spec(inputs: PortalInputs, timeout: float) -> TaskSpec:
    return TaskSpec("portal", PORTAL_ID, "", {}, timeout, inputs.lang, None, False, portal=inputs)


def run_portal_task(spec: TaskSpec, project) -> TaskOutcome:
    """Makes the portal's pages on a worker; never raises. outputs: path from the year folder → bytes."""
    from nzc_report.batch.project import materialise, use_project_files
    from nzc_report.portal import make_portal

    start = time.perf_counter()
    try:
        if spec.portal is None:
            raise ValueError("a portal task without its inputs")
        use_project_files(materialise(project))
        pages = make_portal(spec.portal)
    except NzcError as exc:
        return TaskOutcome(spec.id, spec.kind, "failed", time.perf_counter() - start, 1, FailureKind.RENDER,
                           str(exc), worker=_worker_name())
    except Exception as exc:
        return TaskOutcome(spec.id, spec.kind, "failed", time.perf_counter() - start, 1, FailureKind.INTERNAL,
                           f"{type(exc).__name__}: {exc}", worker=_worker_name())
    return TaskOutcome(spec.id, spec.kind, "built", time.perf_counter() - start, 1,
                       outputs=tuple(sorted(pages.items())), worker=_worker_name())
