#!/usr/bin/env python3
"""The cost of rendering in a fork (issue 26's render deadline, batch/deadline.py).

Every zone report and summary is rendered in a fork of the worker, so that past its deadline
(limits.yaml render_timeout_seconds) that document fails alone. This renders the same zone
report N times in this process and N times through deadline.within, after a warm-up of each,
and prints the least wall time and the least CPU time of each (the fork's CPU counted in full:
the parent's own and the child's, from getrusage), and their difference.

    .venv/bin/python benchmarks/render_fork.py OUT/<year>/zones ZONE [N]

On a shared machine wall time grows with the load average (printed); CPU time much less.
Nothing is asserted.
"""
from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _cpu() -> float:
    """CPU seconds of this process and of its waited-for children so far."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _runs(render, n: int) -> tuple[float, float]:
    """(least wall s, least CPU s) of n calls of ``render`` after one warm-up."""
    render()
    walls, cpus = [], []
    for _ in range(n):
        w0, c0 = time.perf_counter(), _cpu()
        render()
        walls.append(time.perf_counter() - w0)
        cpus.append(_cpu() - c0)
    return min(walls), min(cpus)


def main(argv: list[str]) -> int:
    from nzc_report.batch.deadline import within
    from nzc_report.render import render_zone_pdf

    zones, zone = Path(argv[0]), argv[1]
    n = int(argv[2]) if len(argv) > 2 else 5
    tmp = Path(tempfile.mkdtemp(prefix="render-fork-"))
    try:
        folder = tmp / zone
        shutil.copytree(zones / zone, folder)
        direct = _runs(lambda: render_zone_pdf(folder), n)
        forked = _runs(lambda: within(600, lambda: render_zone_pdf(folder), zone), n)
    finally:
        shutil.rmtree(tmp)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {zone}, least of {n} runs each")
    print(f"{'render':<22} {'wall s':>7} {'CPU s':>7}")
    print(f"{'in this process':<22} {direct[0]:>7.3f} {direct[1]:>7.3f}")
    print(f"{'in a fork (deadline)':<22} {forked[0]:>7.3f} {forked[1]:>7.3f}")
    print(f"{'fork cost':<22} {forked[0] - direct[0]:>+7.3f} {forked[1] - direct[1]:>+7.3f}  "
          f"({(forked[1] - direct[1]) / direct[1]:+.1%} CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
