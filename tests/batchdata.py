"""Datasets of many zones made from the tiny fixture, for batch tests."""
from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path

TINY = Path(__file__).parent / "data" / "tiny"


def _rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header)
        w.writeheader()
        w.writerows(rows)


def copies_of_tiny(dst: Path, n: int, *, late_zone: str | None = None) -> Path:
    """``n`` zones alternating between copies of alpha (Guangdong) and beta (Zhejiang),
    named z01, z02, …; ``late_zone`` adds a zone approved in 2019 whose data starts in 2021 (a 2019 assessment
    runs its notebook, which fails: a zone approved after the year would not be built at all)."""
    shutil.copytree(TINY, dst)
    ids = [f"z{i:02d}" for i in range(1, n + 1)]
    for name in ("zones", "emissions", "removals", "activity", "targets"):
        header, rows = _rows(TINY / f"{name}.csv")
        out = []
        for i, zid in enumerate(ids):
            src = "alpha" if i % 2 == 0 else "beta"
            for r in rows:
                if r["zone_id"] == src:
                    r = dict(r, zone_id=zid)
                    if name == "zones":
                        r["name"] = f"{r['name']}{zid}"
                    out.append(r)
        if late_zone and name == "zones":
            out.append(dict(out[0], zone_id=late_zone, name="迟建区（测试）", approved_year="2019",
                            baseline_year="2021"))
        if late_zone and name == "emissions":
            out += [{"zone_id": late_zone, "year": y, "sector": "energy", "emissions_tco2e": "100"}
                    for y in ("2021", "2022")]
        _write(dst / f"{name}.csv", header, out)
    return dst


def bump_emissions(data: Path, zone_id: str, factor: float = 1.1) -> None:
    header, rows = _rows(data / "emissions.csv")
    for r in rows:
        if r["zone_id"] == zone_id:
            r["emissions_tco2e"] = f"{float(r['emissions_tco2e'].replace(',', '')) * factor:.1f}"
    _write(data / "emissions.csv", header, rows)


def copy_build(build: tuple[Path, Path], dst: Path) -> tuple[Path, Path]:
    """A writable copy of a session build's (data, out) under ``dst``: the same folder names,
    the outputs' mtimes kept (they are part of what makes an output up to date)."""
    data, out = build
    shutil.copytree(data, dst / data.name)
    shutil.copytree(out, dst / out.name)
    for path in [dst, *dst.rglob("*")]:
        if not path.is_symlink():
            os.chmod(path, path.stat().st_mode | stat.S_IWUSR)
    return dst / data.name, dst / out.name
