"""Running tasks in parallel worker processes, with progress and isolation.

Workers are long-lived (WeasyPrint's import and font set-up, and the warm
kernel template, are paid once per worker) and recycled every RECYCLE_EVERY
tasks to bound memory growth (WeasyPrint #2130, #2319). The pool is our own,
small one: concurrent.futures' max_tasks_per_child can leave the executor
with no worker and hang (CPython gh-115634), and we need to know which task a
worker held when it died.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
from typing import Callable

from nzc_report.batch.tasks import init_worker, run_task

log = logging.getLogger("nzc_report")
RECYCLE_EVERY = 40


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


def worker_main(tasks, results, recycle_every: int, parent_pid: int, warm: bool, preload: str | None) -> None:
    """A worker: take a task, run it, report; leave after ``recycle_every`` tasks."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    init_worker(warm, preload)
    pid = os.getpid()
    done = 0
    while done < recycle_every:
        try:
            spec = tasks.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent_pid:
                return  # the build was killed: do not linger
            continue
        if spec is None:
            break
        results.put(("start", pid, spec["id"]))
        results.put(("done", pid, run_task(spec)))
        done += 1
    results.put(("exit", pid, None))


class WorkerPool:
    def __init__(self, jobs: int, warm: bool = True, preload: str | None = None):
        self.jobs = max(1, jobs)
        self.warm = warm
        self.preload = preload
        self.ctx = multiprocessing.get_context("spawn")
        self.tasks = self.ctx.Queue()
        self.results = self.ctx.Queue()
        self.workers: dict[int, multiprocessing.Process] = {}

    def _spawn(self) -> None:
        p = self.ctx.Process(target=worker_main, args=(self.tasks, self.results, RECYCLE_EVERY, os.getpid(), self.warm, self.preload),
                             daemon=True)
        p.start()
        self.workers[p.pid] = p

    def run(self, specs: list[dict], label: str, on_done: Callable[[dict], None]) -> list[dict]:
        """Runs every spec; calls ``on_done`` in the parent as each finishes; outcomes in spec order."""
        progress = Progress(len(specs), label)
        by_id = {s["id"]: s for s in specs}
        for s in specs:
            self.tasks.put(s)
        waiting = set(by_id)  # queued or running
        running: dict[int, str] = {}
        outcomes: dict[str, dict] = {}

        def finish(outcome: dict) -> None:
            waiting.discard(outcome["id"])
            outcomes[outcome["id"]] = outcome
            progress.task_done(outcome)
            on_done(outcome)

        try:
            while waiting:
                while len(self.workers) < min(self.jobs, len(waiting)):
                    self._spawn()
                try:
                    kind, pid, payload = self.results.get(timeout=0.5)
                except queue.Empty:
                    for pid, p in list(self.workers.items()):
                        if not p.is_alive():  # died without saying goodbye
                            del self.workers[pid]
                            if pid in running:
                                finish({"id": running.pop(pid), "status": "failed", "stage": "worker",
                                        "reason": f"worker process died (exit code {p.exitcode})",
                                        "attempts": 1, "seconds": 0.0})
                    continue
                if kind == "start":
                    running[pid] = payload
                elif kind == "done":
                    running.pop(pid, None)
                    finish(payload)
                elif kind == "exit":
                    p = self.workers.pop(pid, None)
                    if p is not None:
                        p.join()
        finally:
            progress.close()
        return [outcomes[s["id"]] for s in specs]

    def close(self, cancel: bool = False) -> None:
        if cancel:
            for p in self.workers.values():
                p.kill()
        else:
            for _ in self.workers:
                self.tasks.put(None)
        for p in self.workers.values():
            p.join(timeout=10)
        self.workers.clear()
