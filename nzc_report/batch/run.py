"""Running tasks in parallel worker processes, with progress and isolation.

Workers are long-lived (WeasyPrint's import and font set-up are paid once per
worker) and recycled every RECYCLE_EVERY tasks to bound memory growth.
"""
from __future__ import annotations

import logging
import multiprocessing
import sys
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Callable

from nzc_report.batch.tasks import init_worker, run_task

log = logging.getLogger("nzc_report")
RECYCLE_EVERY = 50


class Progress:
    """A bar on a terminal, one plain log line per task otherwise."""

    def __init__(self, total: int, label: str):
        self.bar = None
        if total and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=label, unit="task", file=sys.stderr, leave=False)

    def task_done(self, outcome: dict) -> None:
        line = f"{outcome['id']}: {outcome['status']} in {outcome['seconds']:.1f} s"
        if outcome.get("reason"):
            line += f": {outcome['reason']}"
        if self.bar is not None:
            self.bar.update(1)
            if outcome["status"] != "built":
                self.bar.write(line, file=sys.stderr)
        else:
            (log.info if outcome["status"] == "built" else log.error)("%s", line)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class WorkerPool:
    def __init__(self, jobs: int):
        self.executor = ProcessPoolExecutor(
            max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker, max_tasks_per_child=RECYCLE_EVERY)

    def run(self, specs: list[dict], label: str, on_done: Callable[[dict], None]) -> list[dict]:
        """Runs every spec; calls ``on_done`` in the parent as each finishes; outcomes in spec order."""
        progress = Progress(len(specs), label)
        futures: dict[Future, dict] = {self.executor.submit(run_task, s): s for s in specs}
        outcomes: dict[str, dict] = {}
        pending = set(futures)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for f in sorted(done, key=lambda f: futures[f]["id"]):
                    spec = futures[f]
                    try:
                        outcome = f.result()
                    except Exception as exc:  # the worker process itself died
                        outcome = {"id": spec["id"], "status": "failed", "stage": "worker",
                                   "reason": f"worker process failed: {type(exc).__name__}: {exc}",
                                   "attempts": 1, "seconds": 0.0}
                    outcomes[spec["id"]] = outcome
                    progress.task_done(outcome)
                    on_done(outcome)
        finally:
            progress.close()
        return [outcomes[s["id"]] for s in specs]

    def close(self, cancel: bool = False) -> None:
        self.executor.shutdown(wait=not cancel, cancel_futures=cancel)
