"""The render floor: WeasyPrint rendering built zone reports in one warm process.

Each zone of OUT/<year>/zones is copied, rendered once to warm the process up
(imports, fonts), then N times; the least CPU time (time.process_time, so that
other processes on a shared machine count as little as they can) is kept. The
page count is read back from the PDF. Prints one line per zone and the CPU
per page; with --json, one JSON object instead (benchmarks/batch.py reads it).

Usage: python benchmarks/render_cpu.py OUT/2024/zones zj-meishan,gd-nanao [N] [--json]
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from nzc_report.render import render_zone_pdf


def render_cpu(src: Path, zones: list[str], n: int) -> list[dict]:
    """[{zone, cpu (least of n, s), pages}] for each zone built under ``src``."""
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="render-cpu-"))
    try:
        for z in zones:
            d = tmp / z
            shutil.copytree(src / z, d)
            render_zone_pdf(d)  # warm-up
            times = []
            for _ in range(n):
                t0 = time.process_time()
                render_zone_pdf(d)
                times.append(time.process_time() - t0)
            rows.append({"zone": z, "cpu": min(times), "pages": len(PdfReader(d / "report.pdf").pages)})
    finally:
        shutil.rmtree(tmp)
    return rows


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    args = [a for a in argv if a != "--json"]
    rows = render_cpu(Path(args[0]), args[1].split(","), int(args[2]) if len(args) > 2 else 2)
    if as_json:
        print(json.dumps(rows))
        return
    for r in rows:
        print(f"{r['zone']}: {r['cpu']:.2f} s CPU (least of runs), {r['pages']} pages, "
              f"{r['cpu'] / r['pages']:.3f} s per page")
    print(f"all: {sum(r['cpu'] for r in rows) / sum(r['pages'] for r in rows):.3f} s CPU per page")


if __name__ == "__main__":
    main(sys.argv[1:])
