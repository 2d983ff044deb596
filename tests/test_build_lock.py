"""One build at a time in OUT/<year> (issue 27, item 1), and a manifest of the wrong shape."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nzc_report.batch import Build, BuildOptions
from nzc_report.batch.lock import LOCK_FILE, BuildLock, BuildLocked
from nzc_report.batch.manifest import read_manifest
from nzc_report.cli import main
from nzc_report.resources import PROJECT_ROOT

TINY = Path(__file__).parent / "data" / "tiny"
HOLD = """
import sys, time
from pathlib import Path
from nzc_report.batch.lock import BuildLock
BuildLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(600)
"""


def _holder(year_dir: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(year_dir)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_held_lock_refuses_naming_its_holder_and_a_dead_holders_lock_is_taken_over(tmp_path, capsys):
    year_dir = tmp_path / "out" / "2019"
    holder = _holder(year_dir)
    try:
        with pytest.raises(BuildLocked) as refused:
            BuildLock.acquire(year_dir)
        text = str(refused.value)
        assert f"pid {holder.pid}" in text and socket.gethostname() in text and "started 20" in text
        assert refused.value.exit_code == 2
        (year_dir / "manifest.json").write_text('{"year": 2019, "zones": {}}')
        assert main(["verify", "--out", str(year_dir.parent)]) == 1  # verify names a build running there
        assert f"BUILDING {year_dir}" in capsys.readouterr().out
    finally:
        holder.send_signal(signal.SIGKILL)  # dies holding it: its name stays in the file, the lock goes
        holder.wait()
        holder.stdout.close()
    assert json.loads((year_dir / LOCK_FILE).read_text())["pid"] == holder.pid
    lock = BuildLock.acquire(year_dir)
    said = capsys.readouterr().err  # main() set the nzc_report logger to write to stderr
    assert f"pid {holder.pid}" in said and "no longer running" in said
    assert json.loads((year_dir / LOCK_FILE).read_text())["pid"] == os.getpid()
    lock.release()
    assert (year_dir / LOCK_FILE).read_text() == ""  # ended in order: nothing to take over
    BuildLock.acquire(year_dir).release()


@pytest.mark.e2e
def test_two_builds_into_one_out_the_second_refuses_at_once(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(TINY), "--out", str(out), "--jobs", "1"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    lock = out / "2019" / LOCK_FILE
    deadline = time.monotonic() + 120
    while not (lock.is_file() and lock.read_text()) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    t = time.monotonic()
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    refused_in = time.monotonic() - t
    stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stdout + stderr
    assert second.returncode == 2, second.stdout + second.stderr
    assert f"pid {first.pid}" in second.stderr and socket.gethostname() in second.stderr
    assert "Traceback" not in second.stderr
    assert refused_in < 60  # at once: it did not wait for the first to end
    manifest = read_manifest(out / "2019")
    assert sorted(manifest["zones"]) == ["alpha", "beta"]
    assert sorted(json.loads((out / "2019" / "ranking.json").read_text())["zones"]) == ["alpha", "beta"]
    assert main(["verify", "--out", str(out)]) == 0


@pytest.mark.parametrize("text", ["[]", '{"zones": []}', '{"zones": {"alpha": 3}, "summaries": {"x": {"outputs": 5}}}',
                                  '{"up_to_date": {"a": 1}, "portal": "x"}'])
def test_a_manifest_of_the_wrong_shape_is_named_by_verify_and_rebuilt_by_build(tmp_path, capsys, text):
    year_dir = tmp_path / "out" / "2019"
    year_dir.mkdir(parents=True)
    (year_dir / "manifest.json").write_text(text)
    assert main(["verify", "--out", str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "manifest.json" in out and "重新构建即可重建它" in out  # said in Chinese, the default
    manifest = read_manifest(year_dir)
    assert all(isinstance(manifest.get(u, {}), dict) for u in ("zones", "summaries", "ranking", "portal"))
    b = Build(BuildOptions(data=TINY, out=tmp_path / "out", year=2019))  # plans a full rebuild, no AttributeError
    assert b.manifest["zones"] == {} or all(isinstance(e, dict) for e in b.manifest["zones"].values())
