"""Byte-identical reports: the real build, twice, of one sample zone — once from the
shipped sample with one worker, once from a copy of it elsewhere with two — gives
the same report.pdf, and logs no WeasyPrint or matplotlib warning."""
import hashlib
import json
import shutil
import subprocess
import sys

import pytest

from nzc_report.resources import PROJECT_ROOT, SAMPLE_DATA_DIR

pytestmark = pytest.mark.e2e

ZONE = "zj-meishan"


def _build(cwd, *args):
    proc = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--zones", ZONE, *args],
                          capture_output=True, text=True, cwd=cwd, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for noise in ("WeasyPrint", "matplotlib", "Warning:"):  # a logged or a Python warning
        assert noise not in proc.stderr, proc.stderr
    return proc


def test_two_builds_give_byte_identical_reports(tmp_path):
    data = tmp_path / "copy-of-sample"
    shutil.copytree(SAMPLE_DATA_DIR, data)
    (tmp_path / "cwd").mkdir()
    _build(tmp_path / "cwd", "--out", str(tmp_path / "a"), "--jobs", "1")
    _build(tmp_path / "cwd", "--out", str(tmp_path / "b"), "--jobs", "2", "--data", str(data))
    (a,) = (tmp_path / "a").glob(f"*/zones/{ZONE}/report.pdf")
    (b,) = (tmp_path / "b").glob(f"*/zones/{ZONE}/report.pdf")
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()
    for name in ("net_emissions.svg", "sectors.svg", "non_fossil.svg", "indicators.svg"):
        assert (a.parent / "figures" / name).read_bytes() == (b.parent / "figures" / name).read_bytes(), name
    # the charts were drawn in the kernel: its warnings are in the working paper's stderr
    nb = json.loads((a.parent / "assessment.ipynb").read_text(encoding="utf-8"))
    stderr = "".join("".join(o.get("text", "")) for c in nb["cells"] if c["cell_type"] == "code"
                     for o in c.get("outputs", []) if o.get("name") == "stderr")
    assert "Warning" not in stderr and "findfont" not in stderr, stderr
