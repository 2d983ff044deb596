"""The wheel works outside the checkout: built, installed into a new venv, run from elsewhere.

The new venv gets the wheel alone (`--no-deps`); its dependencies come from the
test's own environment through a .pth line naming that environment's
site-packages folders, appended after the venv's own (and their data files under
share/jupyter through links): the wheel's nzc_report is
found first, and the checkout (the test environment's editable install, itself a
.pth line) is never on the path, since a .pth line adds a folder without reading
the .pth files inside it. `pip check` proves the wheel's declared dependencies
are all met there. Marked slow (it builds the wheel and two reports through a
real kernel): CI runs it.
"""
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from pdftools import pdftotext

pytestmark = [pytest.mark.slow, pytest.mark.e2e]
ZONE = "gd-nanao"
ADDED = "context_zh: 评估组在工作区中补充的背景说明：轮子安装测试。\n"


def _run(cmd: list, cwd: Path, env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory, project_root):
    """(venv's bin folder, a working folder outside the checkout, a clean environment)."""
    root = tmp_path_factory.mktemp("wheel")
    assert project_root not in root.parents
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "NZC_REPORT_HOME", "NZC_REPORT_PARAMS", "VIRTUAL_ENV", "JUPYTER_PATH")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", root / "dist", project_root],
         cwd=root, env=env)
    wheel = next((root / "dist").glob("nzc_report-*.whl"))
    # without pip of its own (ensurepip takes seconds): this environment's pip installs into it (--python)
    _run([sys.executable, "-m", "venv", "--without-pip", root / "venv"], cwd=root, env=env)
    bin_dir = root / "venv" / "bin"
    pip = [sys.executable, "-m", "pip", "--python", bin_dir / "python"]
    _run([*pip, "install", "--quiet", "--no-deps", wheel], cwd=root, env=env)
    site = _run([bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=root, env=env).stdout.strip()
    ours = dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib"))
    (Path(site) / "zz-test-environment.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    # the dependencies' data files (nbconvert's templates), which pip would put under the venv's share/jupyter;
    # not the test environment's kernels: the build registers the venv's own
    for item in (Path(sys.prefix) / "share" / "jupyter").glob("*"):
        if item.name != "kernels":
            (root / "venv" / "share" / "jupyter").mkdir(parents=True, exist_ok=True)
            (root / "venv" / "share" / "jupyter" / item.name).symlink_to(item, target_is_directory=True)
    _run([*pip, "check"], cwd=root, env=env)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    work = root / "work"
    work.mkdir()
    return bin_dir, work, env, wheel


def test_the_wheel_carries_the_project_files(installed):
    names = set(zipfile.ZipFile(installed[3]).namelist())
    for name in ("nzc_report/_project/notebooks/zone_assessment.ipynb", "nzc_report/_project/templates/report.css",
                 "nzc_report/_project/params/rules.yaml", f"nzc_report/_project/params/zones/{ZONE}.yaml",
                 "nzc_report/_project/data/sample/meta.csv", "nzc_report/_project/schemas/zone-params.schema.json",
                 "nzc_report/dataset/columns.yaml"):
        assert name in names, name


def test_frameworks_lists_the_shipped_frameworks_from_the_wheel(installed):
    # issue 30: the frameworks are package data (params/frameworks/ in the wheel), listed Chinese first
    bin_dir, work, env, wheel = installed
    assert "nzc_report/_project/params/frameworks/zero-carbon-park.yaml" in zipfile.ZipFile(wheel).namelist()
    out = _run([bin_dir / "nzc-report", "frameworks"], cwd=work, env=env).stdout
    for line in ("near-zero-zone  近零碳排放区示范工程统一评估指标体系", "shenzhen-acceptance  深圳市近零碳排放区试点验收评价",
                 "zero-carbon-park  国家零碳园区建设评价（发改环资〔2025〕910号）", "性质：验收评价；适用类型：园区",
                 "阈值：官方文件规定；文件：", "阈值：评估单位设定；文件："):
        assert line in out, out


def test_the_installed_tool_uses_its_own_files(installed, project_root):
    bin_dir, work, env, _ = installed
    out = _run([bin_dir / "python", "-c", "import sys, nzc_report, nzc_report.resources as r; "
                "print(r.PROJECT_ROOT); print(nzc_report.__file__); print(*sys.path, sep='\\n')"],
               cwd=work, env=env).stdout.splitlines()
    assert Path(out[0]).parts[-2:] == ("nzc_report", "_project") and project_root not in Path(out[0]).parents
    # the package imported is the wheel's, in the new venv, and the checkout is nowhere on the path
    assert bin_dir.parent in Path(out[1]).parents, out[1]
    assert all(Path(p).resolve() != project_root.resolve() for p in out[2:] if p), out[2:]


def test_build_a_sample_zone_outside_the_checkout(installed):
    bin_dir, work, env, _ = installed
    _run([bin_dir / "nzc-report", "build", "--zones", ZONE, "--jobs", "1", "--out", "out"], cwd=work, env=env)
    pdf = next((work / "out").glob(f"*/zones/{ZONE}/report.pdf"))
    assert "示例数据" in pdftotext(pdf)
    # No `make setup` here: the build registered a kernel of the venv's own Python, privately.
    spec = json.loads((bin_dir.parent / "share/nzc-report/jupyter/kernels/nzc-report/kernel.json").read_text())
    assert Path(spec["argv"][0]) == bin_dir / "python"


def test_a_workspace_line_reaches_the_report(installed):
    bin_dir, work, env, _ = installed
    _run([bin_dir / "nzc-report", "init", "ws", "--sample"], cwd=work, env=env)
    ws = work / "ws"
    params = ws / "params" / "zones" / f"{ZONE}.yaml"
    params.write_text(params.read_text(encoding="utf-8") + ADDED, encoding="utf-8")
    _run([bin_dir / "nzc-report", "build", "--zones", ZONE, "--jobs", "1"], cwd=ws, env=env)
    pdf = next((ws / "build").glob(f"*/zones/{ZONE}/report.pdf"))
    text = "".join(pdftotext(pdf).split())
    assert "评估组在工作区中补充的背景说明：轮子安装测试。" in text
