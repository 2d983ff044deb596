"""verify is never blind (issue 27, item 2): a build killed (kill -9 of its process group) at
several points on changed data, then verify, then the build that completes it. It starts from a
copy of the session's whole build of four tiny zones (conftest.py's four_zone_build) and changes
z01 (a copy of the tiny fixture's alpha).

The truth check: every file the completing build changes was stale or missing at the kill, so
verify must have named it; verify must not pass while anything planned is unfinished."""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from batchdata import copy_build
from clirun import in_process as cli
from nzc_report.batch.manifest import JOURNAL
from nzc_report.resources import PROJECT_ROOT

pytestmark = pytest.mark.e2e
ZONE = "z01"
SKIP = {"manifest.json", JOURNAL, ".build.lock", "build.log"}


def build_cmd(data: Path, out: Path) -> list[str]:
    return [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(data), "--out", str(out),
            "--jobs", "1"]


def snapshot(year_dir: Path) -> dict[str, bytes]:
    return {p.relative_to(year_dir).as_posix(): p.read_bytes() for p in sorted(year_dir.rglob("*"))
            if p.is_file() and p.name not in SKIP and not p.name.startswith(".")}


def verify(out: Path) -> subprocess.CompletedProcess:
    """`verify` in this process (clirun): its exit code and what it printed, without a new interpreter each time."""
    return cli("verify", "--out", out, cwd=out.parent)


def change_zone(data: Path, value: int) -> None:
    path = data / "emissions.csv"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(rf"^{ZONE},2019,building,\d+$", f"{ZONE},2019,building,{value}", text, flags=re.M)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def journal_has(year_dir: Path, unit: str, uid: str) -> bool:
    try:
        lines = (year_dir / JOURNAL).read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if item.get("unit") == unit and item.get("id") == uid:
            return True
    return False


def planned_written(year_dir: Path) -> bool:
    try:
        return "planned" in json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def session(sid: int) -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.split()[1] == str(sid) and not line.split()[2].startswith("Z")]


def kill_when(cmd: list[str], ready, cwd: Path, env: dict) -> int:
    """Runs the build, kills its process group at ``ready``; its session id."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, start_new_session=True,
                            env=env)
    deadline = time.monotonic() + 300
    try:
        while not ready() and time.monotonic() < deadline:
            assert proc.poll() is None, "the build ended before the point it was to be killed at"
            time.sleep(0.02)
        assert ready(), "the build never reached the point it was to be killed at"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    return proc.pid


def complete(data: Path, out: Path, cwd: Path, env: dict, monkeypatch) -> subprocess.CompletedProcess:
    """The build that completes a killed one: the command line in this process (clirun), with the
    killed builds' temporary and runtime folders (``env``), which it sweeps."""
    with monkeypatch.context() as m:
        for name in ("TMPDIR", "JUPYTER_RUNTIME_DIR"):
            m.setenv(name, env[name])
        m.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR again
        return cli("build", "--data", data, "--out", out, "--jobs", "1", cwd=cwd)


def test_kill_at_several_points_then_verify_tells_the_truth(four_zone_build, tmp_path, monkeypatch):
    data, out = copy_build(four_zone_build, tmp_path / "build")
    year_dir = out / "2019"
    cmd = build_cmd(data, out)
    tmp, runtime = tmp_path / "tmp", tmp_path / "runtime"
    tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(tmp), "JUPYTER_RUNTIME_DIR": str(runtime)}
    assert verify(out).returncode == 0

    points = {
        "before any task": lambda: planned_written(year_dir),
        "after z01's notebook": lambda: journal_has(year_dir, "zones", ZONE),
        "after the ranking": lambda: journal_has(year_dir, "planned", "ranking"),
    }
    killed_sessions = []
    for value, (point, ready) in zip((2000, 2500, 1500), points.items()):
        change_zone(data, value)
        assert not (year_dir / JOURNAL).exists()  # the completed build folded it: no point reached yet
        killed_sessions.append(kill_when(cmd, ready, tmp_path, env))
        killed = snapshot(year_dir)
        report = verify(out)
        assert report.returncode == 1, f"{point}: verify passed after a kill:\n{report.stdout}"
        assert "Traceback" not in report.stderr

        done = complete(data, out, tmp_path, env, monkeypatch)
        assert done.returncode == 0, done.stdout + done.stderr
        assert verify(out).returncode == 0
        after = snapshot(year_dir)
        differ = sorted(rel for rel in set(killed) | set(after) if killed.get(rel) != after.get(rel))
        assert differ, point  # the completing build had something to do
        for rel in differ:
            folders = [f"{year_dir / parent}/" for parent in Path(rel).parents if parent != Path(".")]
            named = any(f"{name} " in report.stdout for name in [str(year_dir / rel), *folders])
            assert named, f"{point}: {rel} was stale or missing, verify did not say so:\n{report.stdout}"
    # nothing of the killed builds runs, and the next builds swept what they left
    time.sleep(2)
    assert [line for sid in killed_sessions for line in session(sid)] == []
    assert not list(tmp.glob("nzc-kernel-*")) and not list(tmp.glob("**/nzc-task-*"))
    assert not list(runtime.glob("kernel-*.json"))
