"""Render CPU per zone report: renders built zones (OUT/<year>/zones) in one warm process,
the least of N runs (time.process_time).

Usage: python benchmarks/render_cpu.py OUT/2024/zones zj-meishan,gd-nanao [N]
"""
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nzc_report.render import render_zone_pdf


def main(src: Path, zones: list[str], n: int) -> None:
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
            print(f"{z}: min {min(times):.2f} s CPU over {n}")
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2].split(","), int(sys.argv[3]) if len(sys.argv) > 3 else 2)
