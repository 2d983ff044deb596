#!/usr/bin/env python3
"""Batch build benchmark: nzc-report build on Dask, against the old worker pool and the naive loop.

    .venv/bin/python benchmarks/batch.py [--sizes 100,300] [--jobs N] [--baseline REV] [--naive-zones K]

For each synthetic dataset size (nzc-report synth, seed 2024) it times:
  (a) the naive loop (unless --skip-naive): the papermill CLI per zone, then our
      template rendered to HTML and the weasyprint CLI per zone, one zone after the other;
  (b) the old worker pool: `build.py build --jobs <N>` of the commit --baseline
      (default: the last commit before Dask), extracted with git archive (first size only);
  (c) `nzc-report build` on Dask (embedded LocalCluster) at --jobs 1 (unless --skip-jobs1) and
      --jobs <N>, each on a fresh output folder (zones, provincial and national summaries);
then (d) the render floor: WeasyPrint rendering --floor-zones of (c)'s zone reports again in
one warm process (benchmarks/render_cpu.py, least CPU time of --floor-runs), per page and per
zone on --jobs cores, against which (c)'s wall per zone is compared;
then, on (c)'s output, a rebuild with nothing changed — given an unreachable
--scheduler, to show that no cluster is contacted — and a rebuild with one zone's
data changed. It prints the wall time per zone and the CPU time per zone of the whole
process tree (user + system of every process waited for: the figure load changes least),
the throughput at --jobs 1 and --jobs N, the peak RSS of the whole process tree, and the median and largest
zone PDF, each against its target, with the load average seen at each step (figures
taken on a machine shared with other work say so).

The naive loop costs about 16–20 s a zone; --naive-zones K times it on the
first K zones only and extrapolates (said so in the output).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
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
BASELINE = "10af8b54278296972c71a97f18214206466b6d43"  # the last commit with our own worker pool
UNREACHABLE = "tcp://127.0.0.1:9"  # nothing listens there: a no-change rebuild must not notice


def baseline(rev: str) -> tuple[list[str], dict]:
    """The build of commit ``rev`` (git archive) run with this venv, and how to run it: from its
    folder, with it first on PYTHONPATH, so that it, its workers, templates and kernels import its
    nzc_report, not this checkout's."""
    src = OUT / f"baseline-{rev[:12]}"
    if not src.is_dir():
        src.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    return [PY, str(src / "build.py")], {"cwd": src, "env": {**os.environ, "PYTHONPATH": str(src)}}


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


CPU: dict[str, float] = {}  # the CPU seconds (user + system) of the last timed() command, by its label


def _children_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def timed(cmd: list[str], label: str = "", **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time, peak RSS of the process tree, the finished process; with ``label``, CPU[label] is the
    CPU time of the command and of every descendant that was waited for (workers, kernels): a figure
    the machine's load changes far less than the wall time."""
    cpu0 = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    rss = TreeRSS(proc.pid)
    out, _ = proc.communicate()
    wall = time.perf_counter() - start
    peak = rss.stop()
    if label:
        CPU[label] = _children_cpu() - cpu0
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


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def render_floor(zones_dir: Path, zones: list[str], runs: int) -> list[dict]:
    """benchmarks/render_cpu.py in its own process: [{zone, cpu, pages}]."""
    proc = subprocess.run([PY, str(ROOT / "benchmarks" / "render_cpu.py"), str(zones_dir), ",".join(zones),
                           str(runs), "--json"], check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.splitlines()[-1])


def check(label: str, value: str, ok: bool | None, target: str) -> None:
    mark = "—" if ok is None else ("PASS" if ok else "FAIL")
    print(f"  {label:<44} {value:>14}   target {target:<14} {mark}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,300")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--baseline", default=BASELINE, help="commit of the old worker pool ('' to skip)")
    ap.add_argument("--naive-zones", type=int, default=None,
                    help="time the naive loop on this many zones per dataset and extrapolate")
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--skip-jobs1", action="store_true",
                    help="build on Dask at --jobs N only (no --jobs 1 build, no throughput ratio)")
    ap.add_argument("--floor-zones", type=int, default=3, help="zones rendered again for the render floor")
    ap.add_argument("--floor-runs", type=int, default=2, help="renders per zone (the least CPU is kept)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    cli = [PY, str(ROOT / "build.py")]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load average at start {os.getloadavg()[0]:.1f}")
    results = {}
    for n in sizes:
        data = OUT / f"synth-{n}"
        subprocess.run(cli + ["synth", "--zones", str(n), "--seed", "2024", "--out", str(data)], check=True,
                       capture_output=True)
        ids = zone_ids(data)
        r: dict = {"zones": n, "load": {}}
        if not args.skip_naive:
            k = min(n, args.naive_zones or n)
            cpu0 = _children_cpu()
            t = naive_loop(data, OUT / f"naive-{n}", ids[:k], 2024)
            r["naive_cpu_per_zone"] = (_children_cpu() - cpu0) / k
            r["naive_per_zone"] = t / k
            r["naive_total"] = t / k * n
            r["naive_extrapolated"] = k < n
            r["load"]["naive"] = load()
        if args.baseline and n == sizes[0]:
            old_cli, how = baseline(args.baseline)
            wall, peak, proc = timed(label="pool", cmd=old_cli + ["build", "--data", str(data.resolve()), "--out",
                                                str((OUT / f"pool-{n}").resolve()), "--jobs", str(args.jobs)], **how)
            if proc.returncode != 0:
                print(proc.stdout[-3000:])
                return 1
            r.update(pool_total=wall, pool_per_zone=wall / n, pool_peak_rss=peak, pool_cpu_per_zone=CPU["pool"] / n)
            r["load"]["pool"] = load()
        legs = {args.jobs} if args.skip_jobs1 else {1, args.jobs}
        for jobs in sorted(legs):
            out = OUT / f"dask-{n}-j{jobs}"
            wall, peak, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(jobs)],
                                     label=f"dask_j{jobs}")
            if proc.returncode != 0:
                print(proc.stdout[-3000:])
                return 1
            r[f"dask_j{jobs}"] = wall
            r[f"dask_j{jobs}_rss"] = peak
            r["load"][f"dask_j{jobs}"] = load()
        r.update(ours_total=r[f"dask_j{args.jobs}"], ours_per_zone=r[f"dask_j{args.jobs}"] / n,
                 ours_cpu_per_zone=CPU[f"dask_j{args.jobs}"] / n, peak_rss=max(r[f"dask_j{j}_rss"] for j in legs))
        pdfs = sorted(p.stat().st_size for p in (out / "2024" / "zones").glob("*/report.pdf"))
        r.update(pdf_median=statistics.median(pdfs), pdf_max=max(pdfs))
        floor = render_floor(out / "2024" / "zones", ids[:args.floor_zones], args.floor_runs)
        cpu, pages = sum(f["cpu"] for f in floor), sum(f["pages"] for f in floor)
        r.update(floor_cpu_per_report=cpu / len(floor), floor_pages=pages / len(floor), cpu_per_page=cpu / pages,
                 floor_per_zone=cpu / len(floor) / args.jobs)
        r["load"]["floor"] = load()
        wall, _, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(args.jobs),
                                     "--scheduler", UNREACHABLE])
        r["noop"] = wall
        r["noop_says"] = proc.returncode == 0 and "everything is up to date" in proc.stdout
        r["load"]["noop"] = load()
        bump_one_zone(data, ids[len(ids) // 2])
        wall, _, proc = timed(cli + ["build", "--data", str(data), "--out", str(out), "--jobs", str(args.jobs)],
                              label="one_zone")
        r["one_zone"] = wall
        r["one_zone_cpu"] = CPU["one_zone"]
        r["one_zone_steps"] = json.loads((out / "2024" / "manifest.json").read_text(encoding="utf-8"))["timings"]
        r["load"]["one_zone"] = load()
        r["one_zone_table"] = [l for l in proc.stdout.splitlines()  # closing-table rows, not log lines
                               if l.split()[1:2] == ["built"] and not l.split()[0].endswith(":")]
        results[n] = r

    for n, r in results.items():
        print(f"\n{n} zones (zones + provincial + national summaries), --jobs {args.jobs}; load average after "
              "each step: " + ", ".join(f"{k} {v}" for k, v in r["load"].items()) + ":")
        check("render floor: CPU per report (warm process)",
              f"{r['floor_cpu_per_report']:.2f} s", None, f"{r['floor_pages']:.1f} pages")
        check("render CPU per page", f"{r['cpu_per_page']:.3f} s", r["cpu_per_page"] <= 0.08, "≤ 0.08 s")
        check(f"render floor per zone on {args.jobs} cores", f"{r['floor_per_zone']:.3f} s", None, "")
        ratio = r["ours_per_zone"] / r["floor_per_zone"]
        check("pipeline per zone / render floor", f"{ratio:.2f}×", ratio <= 1.3, "≤ 1.3×")
        if "pool_per_zone" in r:
            check("old worker pool: wall per zone", f"{r['pool_per_zone']:.3f} s", None, "")
            check("old worker pool: CPU per zone", f"{r['pool_cpu_per_zone']:.2f} s", None, "")
            check("old worker pool: peak RSS", f"{r['pool_peak_rss'] / 2**20:.0f} MiB", None, "")
        check("Dask: wall per zone, amortised", f"{r['ours_per_zone']:.3f} s",
              r["ours_per_zone"] <= r.get("pool_per_zone", r["ours_per_zone"]), "≤ old pool")
        check("Dask: CPU per zone (whole process tree)", f"{r['ours_cpu_per_zone']:.2f} s",
              r["ours_cpu_per_zone"] <= r.get("pool_cpu_per_zone", r["ours_cpu_per_zone"]), "≤ old pool")
        check("Dask: whole build", f"{r['ours_total']:.1f} s", None, "")
        if args.jobs != 1 and "dask_j1" in r:
            check("Dask: throughput at --jobs 1", f"{n / r['dask_j1'] * 60:.1f} zones/min", None, "")
            check(f"Dask: throughput at --jobs {args.jobs}", f"{n / r[f'dask_j{args.jobs}'] * 60:.1f} zones/min",
                  None, "")
            ratio = r["dask_j1"] / r[f"dask_j{args.jobs}"]
            check(f"Dask: speed-up --jobs {args.jobs} / --jobs 1", f"{ratio:.2f}×", ratio >= 1.8, "≥ 1.8×")
        if "naive_per_zone" in r:
            note = " (extrapolated)" if r["naive_extrapolated"] else ""
            check(f"naive loop: per zone{note}", f"{r['naive_per_zone']:.2f} s", None, "")
            check("naive loop: CPU per zone", f"{r['naive_cpu_per_zone']:.2f} s", None, "")
            ratio = r["naive_total"] / r["ours_total"]
            check("speed-up naive/ours", f"{ratio:.1f}×", ratio >= 6, "≥ 6×")
        check("rebuild, nothing changed (scheduler unreachable)", f"{r['noop']:.2f} s",
              r["noop"] <= 1 and r["noop_says"], "≤ 1 s")
        check("rebuild, one zone changed", f"{r['one_zone']:.2f} s", r["one_zone"] <= 4, "≤ 4 s")
        check("  CPU of that rebuild (whole process tree)", f"{r['one_zone_cpu']:.2f} s", None, "")
        check("  rebuilt", ", ".join(l.split()[0] for l in r["one_zone_table"]) or "-", None, "")
        steps = r["one_zone_steps"]
        # reports and summaries run in one round (the summaries beside the reports): its span, and
        # within it when the last report and the last summary were done
        check("  of which zones / reports+summaries / portal", " / ".join(
            f"{steps.get(k, 0):.1f}" for k in ("zones_seconds", "reports_and_summaries_seconds", "portal_seconds"))
            + " s", None, "")
        check("  in that round: last report / last summary at", " / ".join(
            f"{steps.get(k, 0):.1f}" for k in ("reports_seconds", "summaries_seconds")) + " s", None, "")
        check("peak RSS, whole process tree", f"{r['peak_rss'] / 2**20:.0f} MiB", r["peak_rss"] <= 2 * 2**30, "≤ 2 GB")
        check("zone PDF: median / largest", f"{r['pdf_median'] / 1024:.0f} / {r['pdf_max'] / 1024:.0f} KB",
              r["pdf_max"] <= 600 * 1024, "≤ 600 KB")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
