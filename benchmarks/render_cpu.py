"""Render CPU per zone report: renders a built zone (OUT/<year>/zones) in one warm process, min of N (time.process_time).

Usage: python benchmarks/render_cpu.py OUT/2024/zones zj-meishan,gd-nanao [N]
"""
import shutil, sys, time, tempfile
from pathlib import Path
from nzc_report.render import render_zone_pdf
src = Path(sys.argv[1]); zones = sys.argv[2].split(","); n = int(sys.argv[3]) if len(sys.argv) > 3 else 2
tmp = Path(tempfile.mkdtemp(prefix="narr-bench-"))
for z in zones:
    d = tmp / z
    shutil.copytree(src / z, d)
    render_zone_pdf(d)  # warm-up
    times = []
    for _ in range(n):
        t0 = time.process_time(); render_zone_pdf(d); times.append(time.process_time() - t0)
    print(f"{z}: min {min(times):.2f} s CPU over {n}")
shutil.rmtree(tmp)
