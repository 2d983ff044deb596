#!/usr/bin/env python3
"""Batch build benchmark: nzc-report build against the naive papermill + weasyprint loop.

    .venv/bin/python benchmarks/batch.py [--sizes 100,300] [--naive-zones K] [--jobs N]

For each synthetic dataset size (nzc-report synth, seed 2024) it times:
  (a) the naive loop: the papermill CLI per zone, then our template rendered to
      HTML and the weasyprint CLI per zone, one zone after the other;
  (b) `nzc-report build --jobs <cores>` on a fresh output folder (zones,
      provincial and national summaries);
then, on (b)'s output, a rebuild with nothing changed and a rebuild with one
zone's data changed. It prints the amortised wall time per zone, the ratio
naive/ours, the 300/100 time ratio, the peak RSS of the whole process tree,
and the median and largest zone PDF, each against its target.

The naive loop costs about 5 s a zone; --naive-zones K times it on the
first K zones only and extrapolates (said so in the output).
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
OUT = ROOT / "benchmarks" / "out"


class TreeRSS:
    """Samples the summed RSS of a process and all its descendants; keeps the peak."""

    def __init__(self, pid: int, every: float = 0.1):
        self.pid, self.every, self.peak = pid, every, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _children() -> dict[int, list[int]]:
        kids: dict[int, list[int]] = {}
        for d in os.listdir("/proc"):
            if d.isdigit():
                try:
                    ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                kids.setdefault(ppid, []).append(int(d))
        return kids

    def _rss(self) -> int:
        kids, total, todo = self._children(), 0, [self.pid]
        while todo:
            pid = todo.pop()
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
            todo += kids.get(pid, [])
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._rss())
            time.sleep(self.every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(cmd: list[str], **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    rss = TreeRSS(proc.pid)
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak = rss.stop()
    return wall, peak, subprocess.CompletedProcess(cmd, proc.returncode, out, None)


def zone_ids(data: Path) -> list[str]:
    with open(data / "zones.csv", encoding="utf-8") as f:
        return [r["zone_id"] for r in csv.DictReader(f)]


def naive_loop(data: Path, out: Path, zones: list[str], year: int) -> float:
    """papermill CLI, then our template to HTML, then the weasyprint CLI, zone by zone."""
    render_html = ("import sys, json; from pathlib import Path; from nzc_report.render import render_zone_html; "
                   "d = Path(sys.argv[1]); r = json.loads((d / 'results.json').read_text()); "
                   "(d / 'report.html').write_text(render_zone_html(r, d), encoding='utf-8')")
    bindir = Path(PY).parent
    start = time.perf_counter()
    for z in zones:
        zd = out / z
        zd.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(bindir / "papermill"), str(ROOT / "notebooks" / "zone_assessment.ipynb"),
                        str(zd / "assessment.ipynb"), "-k", "nzc-report", "--cwd", str(zd), "--no-progress-bar",
                        "-p", "zone_id", z, "-p", "year", str(year), "-p", "data", str(data),
                        "-p", "out_dir", str(zd), "-p", "rules", str(ROOT / "params" / "rules.yaml")],
                       check=True, capture_output=True)
        subprocess.run([PY, "-c", render_html, str(zd)], check=True, capture_output=True)
        subprocess.run([str(bindir / "weasyprint"), str(zd / "report.html"), str(zd / "report.pdf")],
                       check=True, capture_output=True)
    return time.perf_counter() - start


def bump_one_zone(data: Path, zone: str) -> None:
    path = data / "emissions.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    for r in rows:
        if r["zone_id"] == zone:
            r["emissions_tco2e"] = f"{float(r['emissions_tco2e']) * 1.01:.1f}"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def check(label: str, value: str, ok: bool | None, target: str) -> None:
    mark = "—" if ok is None else ("PASS" if ok else "FAIL")
    print(f"  {label:<44} {value:>14}   target {target:<14} {mark}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,300")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--naive-zones", type=int, default=None,
                    help="time the naive loop on this many zones per dataset and extrapolate")
    ap.add_argument("--skip-naive", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    cli = [PY, str(ROOT / "build.py")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    results = {}
    for n in sizes:
        data = OUT / f"synth-{n}"
        subprocess.run(cli + ["synth", "--zones", str(n), "--seed", "2024", "--out", str(data)], check=True,
                       capture_output=True)
        ids = zone_ids(data)
        r = {"zones": n}
        if not args.skip_naive:
            k = min(n, args.naive_zones or n)
            t = naive_loop(data, OUT / f"naive-{n}", ids[:k], 2024)
            r["naive_per_zone"] = t / k
            r["naive_total"] = t / k * n
            r["naive_extrapolated"] = k < n
        out = OUT / f"ours-{n}"
        wall, peak, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(args.jobs)])
        if proc.returncode != 0:
            print(proc.stdout[-3000:])
            return 1
        r.update(ours_total=wall, ours_per_zone=wall / n, peak_rss=peak)
        pdfs = sorted(p.stat().st_size for p in (out / "2024" / "zones").glob("*/report.pdf"))
        r.update(pdf_median=statistics.median(pdfs), pdf_max=max(pdfs))
        wall, _, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(args.jobs)])
        r["noop"] = wall
        r["noop_says"] = "everything is up to date" in proc.stdout
        bump_one_zone(data, ids[len(ids) // 2])
        wall, _, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(args.jobs)])
        r["one_zone"] = wall
        r["one_zone_table"] = [l for l in proc.stdout.splitlines() if l.split()[1:2] == ["built"]]
        results[n] = r

    for n, r in results.items():
        print(f"\n{n} zones (zones + provincial + national summaries), --jobs {args.jobs}:")
        check("ours: wall per zone, amortised", f"{r['ours_per_zone']:.3f} s", r["ours_per_zone"] <= 0.5, "≤ 0.5 s")
        check("ours: whole build", f"{r['ours_total']:.1f} s", None, "")
        if "naive_per_zone" in r:
            note = " (extrapolated)" if r["naive_extrapolated"] else ""
            check(f"naive loop: per zone{note}", f"{r['naive_per_zone']:.2f} s", None, "")
            ratio = r["naive_total"] / r["ours_total"]
            check("speed-up naive/ours", f"{ratio:.1f}×", ratio >= 5, "≥ 5×")
        check("rebuild, nothing changed", f"{r['noop']:.2f} s", r["noop"] <= 2 and r["noop_says"], "≤ 2 s")
        check("rebuild, one zone changed", f"{r['one_zone']:.2f} s", r["one_zone"] <= 5, "≤ 5 s")
        check("  rebuilt", ", ".join(l.split()[0] for l in r["one_zone_table"]) or "-", None, "")
        check("peak RSS, whole process tree", f"{r['peak_rss'] / 2**20:.0f} MiB", r["peak_rss"] <= 2 * 2**30, "≤ 2 GB")
        check("zone PDF: median / largest", f"{r['pdf_median'] / 1024:.0f} / {r['pdf_max'] / 1024:.0f} KB",
              r["pdf_max"] <= 600 * 1024, "≤ 600 KB")
    if 100 in results and 300 in results:
        ratio = results[300]["ours_total"] / results[100]["ours_total"]
        print()
        check("300/100 time ratio", f"{ratio:.2f}", 2.7 <= ratio <= 3.3, "2.7 – 3.3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
