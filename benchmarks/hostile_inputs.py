#!/usr/bin/env python3
"""Hostile inputs benchmark (issue 26): peak RSS and wall time of refusing each bomb.

    .venv/bin/python benchmarks/hostile_inputs.py [--only NAME,...]

Each bomb is generated into a temporary folder (never committed) and checked in a
fresh process, as a user runs it: `nzc-report validate --data BOMB` for a dataset,
`--params DIR` for a configuration file. The figures are the child's own peak RSS
(wait4's ru_maxrss) and wall time, against the targets: below 500 MB and 10 s each.
The worst accepted case of each bound (the largest workbook the cell bound lets
through, a CSV at the row bound) is measured too: a bound is only as good as what
it lets in. Nothing is asserted: a slower machine prints slower figures.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny"
sys.path.insert(0, str(ROOT))

RSS_TARGET_MB = 500
SECONDS_TARGET = 10


def _limits() -> dict:
    from nzc_report.dataset.catalogue import limits

    return limits()


def _tiny(where: Path) -> Path:
    data = where / "data"
    shutil.copytree(TINY, data)
    return data


def _save_workbook(wb, path: Path) -> Path:
    wb.save(path)
    return path


def zip_bomb(where: Path) -> list[str]:
    """An .xlsx of ~1 MB whose one part unpacks to 900 MB."""
    import openpyxl

    path = where / "dataset.xlsx"
    tmp = _save_workbook(openpyxl.Workbook(), where / "plain.xlsx")
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/worksheets/sheet9.xml", "w", force_zip64=True) as f:
            block = b"<c/>" * (1 << 18)
            for _ in range(900):
                f.write(block)
    return ["validate", "--data", str(path)]


def far_cell(where: Path) -> list[str]:
    """A 10 KB workbook with one cell at XFD1048576."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "zones"
    wb.active["A1"] = "zone_id"
    wb.active["XFD1048576"] = 1
    return ["validate", "--data", str(_save_workbook(wb, where / "dataset.xlsx"))]


def biggest_workbook(where: Path) -> list[str]:
    """The largest workbook the cell bound lets through (sheet_max_cells, in 4 columns), read whole."""
    import openpyxl

    rows = int(_limits()["sheet_max_cells"]) // 4 - 1
    wb = openpyxl.Workbook(write_only=True)
    zones = wb.create_sheet("zones")
    zones.append(["zone_id", "name", "province", "zone_type", "approved_year", "baseline_year", "sectors"])
    zones.append(["alpha", "甲镇", "广东", "town", 2017, 2015, "energy"])
    ws = wb.create_sheet("emissions")
    ws.append(["zone_id", "year", "sector", "emissions_tco2e"])
    for i in range(rows):
        ws.append(["alpha", 1900 + i % 200, "energy", f"x{i}"])  # every figure refused: the worst case
    return ["validate", "--data", str(_save_workbook(wb, where / "dataset.xlsx"))]


def csv_million_bad_rows(where: Path) -> list[str]:
    """1.2 million bad rows in emissions.csv (refused at the row bound)."""
    data = _tiny(where)
    with open(data / "emissions.csv", "a", encoding="utf-8") as f:
        f.writelines(f"alpha,{1900 + i % 200},energy,x{i}\n" for i in range(1_200_000))
    return ["validate", "--data", str(data)]


def csv_rows_at_the_bound(where: Path) -> list[str]:
    """As many bad rows as the row bound lets through: every one a problem (capped)."""
    data = _tiny(where)
    n = int(_limits()["max_rows"]) - 20
    with open(data / "emissions.csv", "a", encoding="utf-8") as f:
        f.writelines(f"alpha,{1900 + i % 200},energy,x{i}\n" for i in range(n))
    return ["validate", "--data", str(data)]


def long_zone_name(where: Path) -> list[str]:
    """A zone name of 60,000 characters."""
    data = _tiny(where)
    text = (data / "zones.csv").read_text(encoding="utf-8")
    (data / "zones.csv").write_text(text.replace("甲镇（测试）", "甲" * 60_000), encoding="utf-8")
    return ["validate", "--data", str(data)]


def _params(where: Path, name: str, text: str) -> list[str]:
    params = where / "params"
    (params / name).parent.mkdir(parents=True, exist_ok=True)
    (params / name).write_text(text, encoding="utf-8")
    return ["validate", "--data", str(TINY), "--params", str(params)]


def billion_laughs(where: Path) -> list[str]:
    """A 1 KB YAML of 10 levels of 10 aliases: 10^10 values once expanded."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    return _params(where, "zones/alpha.yaml", "\n".join(lines) + "\n")


def deep_yaml(where: Path) -> list[str]:
    """YAML nested 100,000 levels deep."""
    return _params(where, "zones/alpha.yaml", "expert_opinion: " + "[" * 100_000 + "]" * 100_000 + "\n")


def huge_expert_opinion(where: Path) -> list[str]:
    """An expert opinion of 50 MB."""
    return _params(where, "zones/alpha.yaml", "expert_opinion: " + "很" * ((50 << 20) // 3) + "\n")


def yaml_at_the_bound(where: Path) -> list[str]:
    """The largest configuration file let through (yaml_max_bytes), of texts at the text bound."""
    chars = int(_limits()["yaml_max_text_chars"])
    size = int(_limits()["yaml_max_bytes"])
    n = size // (chars * 3 + 40)
    body = "".join(f"k{i}: {'很' * chars}\n" for i in range(n))
    return _params(where, "zones/alpha.yaml", body)


BOMBS: dict[str, Callable[[Path], list[str]]] = {
    "xlsx unpacking to 900 MB": zip_bomb,
    "xlsx with a cell at XFD1048576": far_cell,
    "xlsx at the cell bound (all bad)": biggest_workbook,
    "CSV of 1.2 million bad rows": csv_million_bad_rows,
    "CSV at the row bound (all bad)": csv_rows_at_the_bound,
    "zone name of 60,000 characters": long_zone_name,
    "YAML billion laughs": billion_laughs,
    "YAML nested 100,000 deep": deep_yaml,
    "expert opinion of 50 MB": huge_expert_opinion,
    "YAML at the size bound": yaml_at_the_bound,
}


def measure(argv: list[str]) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS MB, exit code, first stderr line) of `nzc-report ARGV`
    in a fresh process."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "nzc_report", *argv, "--lang", "en"], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own peak RSS, in KB
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    said = [line for line in lines if not line.startswith("reading ")]  # the progress lines (issue 31)
    return seconds, cpu, usage.ru_maxrss / 1024, proc.returncode, (said[0] if said else "")[:110]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated names (substrings) of the bombs to run")
    args = ap.parse_args()
    chosen = [n for n in BOMBS if not args.only or any(o in n for o in args.only.split(","))]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall time grows with it; CPU time less)")
    print(f"{'bomb':<48} {'exit':>4} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>12}  targets: < {SECONDS_TARGET} s, "
          f"< {RSS_TARGET_MB} MB")
    worst = True
    for name in chosen:
        with tempfile.TemporaryDirectory(prefix="nzc-bomb-") as tmp:
            argv = BOMBS[name](Path(tmp))
            seconds, cpu, rss, code, said = measure(argv)
        ok = seconds < SECONDS_TARGET and rss < RSS_TARGET_MB and code == 2
        worst &= ok
        print(f"{name:<48} {code:>4} {seconds:>7.2f} {cpu:>6.2f} {rss:>12.0f}  {'ok' if ok else 'OVER'}")
        print(f"    {said}")
    print("every bomb within its targets" if worst else "some bomb is over its targets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
