"""The render floor: WeasyPrint rendering built zone reports in one warm process.

Each zone of OUT/<year>/zones is copied, rendered once to warm the process up
(imports, fonts), then N times; the least CPU time (time.process_time, so that
other processes on a shared machine count as little as they can) is kept. The
page count is read back from the PDF. Prints one line per zone and the CPU
per page; with --json, one JSON object instead (benchmarks/batch.py reads it).

A name ``national`` or ``provinces/<code>`` renders that summary of the same
build (OUT/<year>/national, OUT/<year>/provinces/<code>) the same way.

Each row also gives ``svg``: the CPU of that least run spent drawing the SVG
charts (WeasyPrint's SVG drawing, timed from outside; nothing in it is changed),
so that the charts' share of the floor can be told from the page layout's.

Usage: python benchmarks/render_cpu.py OUT/2024/zones zj-meishan,gd-nanao,national [N] [--json]
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
from nzc_report.render.summary import render_summary_pdf

_SVG_CPU = [0.0]


def _time_svg_drawing() -> None:
    """Adds the CPU of every SVG image drawn to _SVG_CPU (a timing wrapper only)."""
    from weasyprint.svg import SVG

    draw = SVG.draw
    if getattr(draw, "timed", False):
        return

    def timed_draw(self, *args, **kwargs):
        t0 = time.process_time()
        try:
            return draw(self, *args, **kwargs)
        finally:
            _SVG_CPU[0] += time.process_time() - t0

    timed_draw.timed = True
    SVG.draw = timed_draw


def _source(zones_dir: Path, name: str) -> tuple[Path, object, str]:
    """The folder to copy, the renderer, the PDF it writes."""
    if name == "national" or name.startswith("provinces/"):
        return zones_dir.parent / name, render_summary_pdf, "summary.pdf"
    return zones_dir / name, render_zone_pdf, "report.pdf"


def render_cpu(src: Path, zones: list[str], n: int) -> list[dict]:
    """[{zone, cpu (least of n, s), pages, svg (s of that run)}] for each zone built under ``src``."""
    _time_svg_drawing()
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="render-cpu-"))
    try:
        for z in zones:
            folder, render, pdf = _source(src, z)
            d = tmp / z.replace("/", "-")
            shutil.copytree(folder, d)
            render(d)  # warm-up
            runs = []
            for _ in range(n):
                _SVG_CPU[0] = 0.0
                t0 = time.process_time()
                render(d)
                runs.append((time.process_time() - t0, _SVG_CPU[0]))
            cpu, svg = min(runs)
            rows.append({"zone": z, "cpu": cpu, "pages": len(PdfReader(d / pdf).pages), "svg": svg,
                         "bytes": (d / pdf).stat().st_size})
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
              f"{r['cpu'] / r['pages']:.3f} s per page, SVG charts {r['svg']:.2f} s, {r['bytes'] / 1024:.0f} KB")
    print(f"all: {sum(r['cpu'] for r in rows) / sum(r['pages'] for r in rows):.3f} s CPU per page")


if __name__ == "__main__":
    main(sys.argv[1:])
