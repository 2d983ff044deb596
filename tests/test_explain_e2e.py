"""`build --explain` after a real build (issue 31): it names why a changed zone would be built,
the unchanged ones are not listed, and nothing in OUT/ is touched. The build is a copy of the
session's four tiny zones (conftest.py's four_zone_build: z01, z03 in Guangdong, z02, z04 in
Zhejiang, year 2019)."""
import hashlib

import pytest

from batchdata import copy_build
from nzc_report.cli import main

pytestmark = pytest.mark.e2e


def _tree(root):
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_explain_names_the_reason_for_a_changed_zone_and_writes_nothing(four_zone_build, tmp_path, capsys):
    data, out = copy_build(four_zone_build, tmp_path)
    assert main(["build", "--explain", "--data", str(data), "--out", str(out), "--year", "2019"]) == 0
    assert "无需构建" in capsys.readouterr().out

    emissions = data / "emissions.csv"
    lines = emissions.read_text(encoding="utf-8").splitlines()
    changed = next(i for i, line in enumerate(lines) if line.startswith("z01,2019,"))
    zone, year, sector, value = lines[changed].split(",", 3)
    lines[changed] = f'{zone},{year},{sector},"7,777"'
    emissions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _tree(out)
    assert main(["build", "--explain", "--data", str(data), "--out", str(out), "--year", "2019"]) == 0
    text = capsys.readouterr().out
    assert _tree(out) == before
    rows = text.splitlines()
    assert any("z01" in r and "数据变化" in r for r in rows), text
    assert not any(f" {z} " in r for r in rows if r.startswith("  ") for z in ("z02", "z03", "z04")), text
    assert any("provinces/440000" in r and "所含区域将重建" in r for r in rows), text
