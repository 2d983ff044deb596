"""Work done inside a worker process: one zone or one summary, start to finish.

Task specs and outcomes are plain dicts, so they cross process boundaries.
A worker computes nothing itself: the notebook computes in its kernel, the
worker renders the PDF from what the notebook wrote.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from nzc_report.errors import NotebookExecutionError, NzcError, ZoneBuildError
from nzc_report.notebook import execute

log = logging.getLogger("nzc_report")


def _run_notebook(spec: dict, folder: Path, output_name: str) -> int:
    """Executes the task's notebook; a dead or unstartable kernel is retried once."""
    attempts = 0
    while True:
        attempts += 1
        try:
            execute(Path(spec["notebook"]), folder / output_name, spec["parameters"],
                    zone_id=spec["id"], timeout=spec["timeout"], cwd=folder, warm=spec.get("warm", False))
            return attempts
        except NotebookExecutionError as exc:
            if exc.retryable and attempts < 2:
                log.warning("%s: %s; retrying once", spec["id"], exc.reason)
                continue
            exc.attempts = attempts
            raise


def run_task(spec: dict) -> dict:
    """Runs one zone (kind 'zone') or summary ('province', 'national'); never raises."""
    from nzc_report.render import render_zone_pdf
    from nzc_report.render.summary import render_summary_pdf

    start = time.perf_counter()
    folder = Path(spec["folder"])
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.rglob(".*.tmp-*"):  # temporaries of a build that was killed
        leftover.unlink(missing_ok=True)
    zone = spec["kind"] == "zone"
    attempts = 0
    try:
        attempts = _run_notebook(spec, folder, "assessment.ipynb" if zone else "summary.ipynb")
        render = render_zone_pdf if zone else render_summary_pdf
        warnings = render(folder, lang=spec["lang"], pdf_variant=spec["pdf_variant"])
    except ZoneBuildError as exc:
        return {"id": spec["id"], "status": "failed", "stage": exc.stage, "reason": exc.reason,
                "attempts": getattr(exc, "attempts", attempts or 1), "seconds": time.perf_counter() - start}
    except NzcError as exc:
        return {"id": spec["id"], "status": "failed", "stage": "render", "reason": str(exc),
                "attempts": attempts, "seconds": time.perf_counter() - start}
    except Exception as exc:  # noqa: BLE001 - a bug in one zone must not stop the others
        return {"id": spec["id"], "status": "failed", "stage": "render",
                "reason": f"{type(exc).__name__}: {exc}", "attempts": attempts,
                "seconds": time.perf_counter() - start}
    return {"id": spec["id"], "status": "built", "reason": None, "warnings": warnings,
            "attempts": attempts, "seconds": time.perf_counter() - start}


def init_worker(warm: bool, preload: str | None = None) -> None:
    """Pays the heavy imports once per worker, not once per zone.

    With warm kernels, the kernel template starts first (and reads the dataset
    once, see zygote.py), so that its work runs while this process imports WeasyPrint.
    """
    if warm:
        import threading

        from nzc_report.notebook.warm import Zygote

        Zygote.preload_path = preload
        threading.Thread(target=Zygote.get, daemon=True).start()
    import nzc_report.render  # noqa: F401  (WeasyPrint, Jinja2)
    import nzc_report.render.summary  # noqa: F401
