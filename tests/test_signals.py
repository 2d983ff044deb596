"""Ctrl-C and kill -9 of a build (issue 27, item 5): real processes, a private TMPDIR.

SIGINT to the build's process group (what a terminal's Ctrl-C sends) stops it within seconds,
exit 130, one line, no traceback; no process of the build stays, no kernel folder or connection
file. After kill -9 what the build's processes left is swept by the next build (its own, by pid)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nzc_report.batch.sweep import sweep
from nzc_report.resources import PROJECT_ROOT

pytestmark = pytest.mark.e2e
TINY = Path(__file__).parent / "data" / "tiny"


def session(sid: int) -> list[str]:
    """Processes of the session ``sid`` still running (zombies aside)."""
    out = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.split()[1] == str(sid) and not line.split()[2].startswith("Z")]


def _sigint_default() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(tmp_path: Path, executor: str = "dask") -> tuple[subprocess.Popen, Path, Path]:
    tmp, runtime = tmp_path / "tmp", tmp_path / "runtime"
    tmp.mkdir()
    # the command line's executor, Dask (the in-process one is for tests and is not offered to users)
    env = {**os.environ, "TMPDIR": str(tmp), "JUPYTER_RUNTIME_DIR": str(runtime), "NZC_REPORT_EXECUTOR": executor}
    proc = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(TINY), "--out",
                             str(tmp_path / "out"), "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=env, start_new_session=True,
                            # as a terminal starts it: SIGINT not ignored, even where the suite itself was
                            # started in the background by a shell (which ignores it there, and Python
                            # keeps an ignored SIGINT ignored: the build then ran to its end)
                            preexec_fn=_sigint_default)
    deadline = time.monotonic() + 300
    while not list(tmp.glob("nzc-kernel-*")):  # a notebook is running in a kernel
        assert proc.poll() is None and time.monotonic() < deadline, "the build never started a kernel"
        time.sleep(0.05)
    return proc, tmp, runtime


def gone(sid: int, within: float) -> list[str]:
    deadline = time.monotonic() + within
    while session(sid) and time.monotonic() < deadline:
        time.sleep(0.2)
    return session(sid)


def test_ctrl_c_stops_the_build_and_all_it_started_in_seconds_with_one_line(tmp_path):
    proc, tmp, runtime = start(tmp_path)
    t = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    seconds = time.monotonic() - t
    left = gone(proc.pid, 15)
    for line in left:
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert proc.returncode == 130, stdout + stderr
    assert seconds < 20, f"took {seconds:.1f} s to stop"
    assert left == [], "processes of the build still running after Ctrl-C"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr and "distributed." not in stderr, stderr
    assert "Kernel died" not in stderr and "retrying" not in stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("警告：")]  # the dataset's own warnings
    assert len(lines) == 1 and lines[0].startswith("已中断"), stderr  # Chinese first (issue 31)
    assert not list(tmp.glob("nzc-kernel-*")) and not list(tmp.glob("**/nzc-task-*"))
    assert not list(runtime.glob("kernel-*.json"))
    assert (tmp_path / "out" / "2019" / "build.log").is_file()  # Dask's messages, if any, went there
    checked = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "verify", "--out", str(tmp_path / "out")],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1 and "NOT FINISHED" in checked.stdout  # the build was stopped: verify says so


def test_what_a_killed_build_left_is_swept_by_the_next_its_own_only(tmp_path):
    proc, tmp, runtime = start(tmp_path)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert gone(proc.pid, 30) == []
    left = sorted(tmp.glob("nzc-kernel-*"))
    assert left, "the kill left no kernel folder: nothing to sweep"
    alive = tmp / f"nzc-kernel-{os.getpid()}-running"  # a live process's folder
    alive.mkdir()
    foreign = tmp / "nzc-kernel-x-notours"
    foreign.mkdir()
    removed = sweep(tmp)
    assert set(left) <= set(removed)
    assert alive.is_dir() and foreign.is_dir()
    assert not [p for p in tmp.glob("nzc-kernel-*") if p not in (alive, foreign)]


def test_ctrl_c_of_a_build_on_the_in_process_executor_leaves_no_kernel_folder_or_connection_file(tmp_path):
    """The notebook runs in this process's papermill: Ctrl-C cuts its clean-up short, so the build
    unwinds nbclient's pending coroutines, kills what kernel is left and removes its folder itself
    (nzc_report.notebook), at once, not at the next build's sweep; no asyncio complaint on exit.
    (Ctrl-C 2 s later, while the notebook runs, left nothing even before: not tested twice.)"""
    proc, tmp, runtime = start(tmp_path, "local")
    os.killpg(proc.pid, signal.SIGINT)  # as the kernel starts (its folder is there): left behind before
    stdout, stderr = proc.communicate(timeout=120)
    left = gone(proc.pid, 15)
    for line in left:
        os.kill(int(line.split()[0]), signal.SIGKILL)
    assert proc.returncode == 130, stdout + stderr
    assert left == [], "processes of the build still running after Ctrl-C"
    assert not list(tmp.glob("nzc-kernel-*")) and not list(tmp.glob("**/nzc-task-*"))
    assert not list(runtime.glob("kernel-*.json"))
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if not line.startswith("警告：")]
    assert len(lines) == 1 and lines[0].startswith("已中断"), stderr
