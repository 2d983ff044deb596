"""Builds on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, each started in its own empty folder, sharing no files with the build.

Small on purpose (four zones in two provinces): the machine has two cores.
The last test stops the scheduler, so the tests of this file run in order.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from batchdata import copy_build
from nzc_report.cli import main

pytestmark = pytest.mark.e2e
DASK = str(Path(sys.executable).with_name("dask"))


def _start(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.Popen:
    cwd.mkdir(parents=True, exist_ok=True)
    with open(cwd / "log.txt", "wb") as log:
        return subprocess.Popen([DASK, *args], cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _address(sched_file: Path) -> str | None:
    """The scheduler's address once its file is whole: Dask creates the file, then writes it (a read
    in between found it empty: JSONDecodeError)."""
    try:
        return json.loads(sched_file.read_text())["address"]
    except (OSError, ValueError, KeyError):
        return None


class Cluster:
    def __init__(self, root: Path, workers: int, worker_env: dict | None = None):
        self.root = root
        sched_file = root / "scheduler.json"
        self.scheduler = _start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(sched_file)], root / "scheduler")
        deadline = time.monotonic() + 120
        self.address = _address(sched_file)
        while self.address is None and time.monotonic() < deadline:
            time.sleep(0.2)
            self.address = _address(sched_file)
        if self.address is None:  # no Cluster to stop(): the scheduler must not outlive the test
            _stop(self.scheduler)
            raise AssertionError(f"no scheduler address in {sched_file} after 120 s")
        self.workers = [self.add_worker(f"w{i}", worker_env) for i in range(workers)]

    def add_worker(self, name: str, env: dict | None = None, nanny: bool = True) -> subprocess.Popen:
        args = ["worker", self.address, "--nthreads", "1", "--name", name, "--no-dashboard",
                "--local-directory", str(self.root / name / "scratch")]
        if not nanny:
            args.append("--no-nanny")
        return _start(args, self.root / name, env)

    def client(self):
        from distributed import Client

        return Client(self.address, timeout="30s", set_as_default=False)

    def wait_for_workers(self, n: int) -> None:
        with self.client() as c:
            c.wait_for_workers(n, timeout=180)

    def stop(self) -> None:
        for w in self.workers:
            _stop(w)
        _stop(self.scheduler)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("cluster"), 0)
    # no nanny: a worker killed with SIGKILL stays dead, its task must go to the other one
    c.workers = [c.add_worker("w0", nanny=False), c.add_worker("w1", nanny=False)]
    c.wait_for_workers(2)
    yield c
    c.stop()


@pytest.fixture(scope="module")
def session_copy(four_zone_build, tmp_path_factory):
    """The session's four-zone build (conftest.py: on the in-process executor), copied."""
    return copy_build(four_zone_build, tmp_path_factory.mktemp("local"))


@pytest.fixture(scope="module")
def data(session_copy):
    # four zones: z01, z03 in Guangdong, z02, z04 in Zhejiang
    return session_copy[0]


def _build(data: Path, out: Path, *extra: str) -> int:
    return main(["build", "--data", str(data), "--out", str(out), "--year", "2019", *extra])


def _pdfs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


@pytest.fixture(scope="module")
def local_build(session_copy):
    """The same zones built in one process (the in-process executor), as a user's laptop would."""
    return session_copy[1]


# -- the portal (portaltask helper): its task on a remote worker, in an empty folder, gives the local build's bytes
def test_the_portal_made_on_a_remote_worker_is_the_local_builds(cluster, local_build):
    from nzc_report.batch.portal_task import portal_spec
    from nzc_report.batch.project import collect
    from nzc_report.batch.run import DaskExecutor
    from nzc_report.portal import plan_portal
    from nzc_report.resources import ZONE_NOTEBOOK

    year_dir = local_build / "2019"
    plan = plan_portal(year_dir)  # no known keys: every working paper is made again, there
    executor = DaskExecutor(1, cluster.address, True, project=lambda: collect(ZONE_NOTEBOOK))
    outcomes: list = []
    try:
        executor.run([portal_spec(plan.inputs, 600)], "portal", outcomes.append)
    finally:
        executor.close()
    (outcome,) = outcomes
    assert outcome.status == "built", outcome.reason
    local = {p.relative_to(year_dir).as_posix(): p.read_bytes()
             for p in [year_dir / "index.html", *sorted((year_dir / "portal").rglob("*"))] if p.is_file()}
    assert "portal/zones/z01.assessment.html" in local
    assert [rel for rel in sorted(local) if dict(outcome.outputs).get(rel) != local[rel]] == []
    assert sorted(dict(outcome.outputs)) == sorted(local)
# -- end of the portal's test


def _worker_pids(cluster) -> dict[str, int]:
    with cluster.client() as c:
        return c.run(os.getpid)


def _templates(pids: dict[str, int]) -> dict[str, set[int]]:
    """Each worker's warm-kernel templates (nzc_report/notebook/zygote.py): its child processes
    running that module, as /proc shows them."""
    found: dict[str, set[int]] = {w: set() for w in pids}
    by_pid = {pid: w for w, pid in pids.items()}
    for d in os.listdir("/proc"):
        try:
            ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = Path(f"/proc/{d}/cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid in by_pid and b"nzc_report.notebook.zygote" in cmd:
            found[by_pid[ppid]].add(int(d))
    return found


def test_a_worker_killed_mid_build_has_its_task_run_elsewhere_and_the_build_matches_a_local_one(
        cluster, data, local_build, tmp_path):
    """The whole build on the cluster, one of its two workers killed while it runs a zone: every
    zone is built, every PDF is byte for byte the in-process build's, nothing is written where the
    workers run, and verify passes. (One build for both: a cluster build undisturbed, compared with
    the local one, was a test of its own.) And the survivor's warm-kernel template is a new process:
    each build's worker plugin restarts it, so it never holds modules an earlier build loaded (from
    other source)."""
    out = tmp_path / "out"
    pids = _worker_pids(cluster)
    assert len(pids) == 2
    before = _templates(pids)  # started by the previous test's portal task (its plugin), one per worker
    assert all(len(t) == 1 for t in before.values()), before
    killed = []

    def kill_a_busy_worker():
        with cluster.client() as c:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and not killed:
                busy = [w for w, keys in c.processing().items()
                        if any(str(k).startswith("nzc-zone-") for k in keys)]
                if busy:
                    os.kill(pids[busy[0]], signal.SIGKILL)
                    killed.append(busy[0])
                time.sleep(0.2)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        code = _build(data, out, "--scheduler", cluster.address, "--force")
    finally:
        killer.join()
    assert killed, "no zone task was seen running"
    assert code == 0
    manifest = json.loads((out / "2019" / "manifest.json").read_text(encoding="utf-8"))
    assert {z: e["status"] for z, e in manifest["zones"].items()} == {f"z0{i}": "built" for i in range(1, 5)}
    with cluster.client() as c:
        assert killed[0] not in c.scheduler_info()["workers"]
    (survivor,) = set(pids) - set(killed)
    after = _templates({survivor: pids[survivor]})[survivor]
    assert len(after) == 1 and after.isdisjoint(before[survivor]), (before, after)
    remote, local = _pdfs(out), _pdfs(local_build)
    assert sorted(remote) == sorted(local) == [
        "2019/national/summary.pdf", "2019/provinces/330000/summary.pdf", "2019/provinces/440000/summary.pdf",
        *(f"2019/zones/z0{i}/report.pdf" for i in range(1, 5))]
    assert [name for name in remote if remote[name] != local[name]] == []
    # the workers ran where the checkout, the dataset and OUT/ are not: nothing written there
    for w in ("w0", "w1"):
        assert not list((cluster.root / w).glob("*.pdf")) and not (cluster.root / w / "2019").exists()
    assert main(["verify", "--out", str(out)]) == 0


def test_workers_without_the_report_fonts_or_with_other_source_are_refused_by_name(tmp_path, data, capsys):
    # a real worker whose fontconfig sees no font at all
    fonts = tmp_path / "fonts.conf"
    fonts.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n')
    # and one whose nzc_report is the build's with one line changed (first on its path): what a
    # worker left running while the source was edited has loaded, templates included
    import nzc_report

    src = tmp_path / "src"
    shutil.copytree(Path(nzc_report.__file__).parent, src / "nzc_report",
                    ignore=shutil.ignore_patterns("__pycache__", "_project"))
    with open(src / "nzc_report" / "atomic.py", "a", encoding="utf-8") as f:
        f.write("# edited after the worker started\n")
    bad = Cluster(tmp_path / "bad", 1, worker_env={"FONTCONFIG_FILE": str(fonts)})
    try:
        bad.workers.append(bad.add_worker("stale", env={"PYTHONPATH": str(src)}))
        bad.wait_for_workers(2)
        code = _build(data, tmp_path / "out", "--scheduler", bad.address)
    finally:
        bad.stop()
    err = capsys.readouterr().err
    assert code == 2
    # made on the workers as codes, said in the build's language (Chinese here: no --lang)
    assert "工作进程 tcp://127.0.0.1:" in err and "被拒绝" in err and "上的集群没有能运行 nzc-report 任务的工作进程" in err
    assert "缺少报告字体：Noto Sans CJK SC, Noto Serif CJK SC" in err
    assert f"已安装的 nzc-report {nzc_report.__version__} 与本次构建的源代码不同" in err
    assert not (tmp_path / "out" / "2019" / "zones").exists()


@pytest.mark.timeout(600)  # the watchdog is what is tested: a build that hangs fails here, not the suite
def test_a_cluster_left_without_workers_ends_the_build_with_its_reason(tmp_path, data, monkeypatch, capsys):
    """Its only worker is killed mid-zone and nothing replaces it (no nanny): after
    NZC_REPORT_WORKER_WAIT seconds without a usable worker every task not done fails with failure
    kind "worker" naming the cluster, the later steps fail at once, and the build exits 1."""
    from nzc_report.batch.run import WORKER_WAIT_ENV

    lone = Cluster(tmp_path / "lone", 0)
    out = tmp_path / "out"
    try:
        lone.workers.append(lone.add_worker("only", nanny=False))
        lone.wait_for_workers(1)
        pids = _worker_pids(lone)
        killed: list[str] = []

        def kill_the_worker_when_busy():
            with lone.client() as c:
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline and not killed:
                    for keys in c.processing().values():
                        zones = [str(k) for k in keys if str(k).startswith("nzc-zone-")]
                        if zones:
                            (pid,) = pids.values()
                            os.kill(pid, signal.SIGKILL)
                            killed.append(zones[0].split("-")[2])
                    time.sleep(0.2)

        monkeypatch.setenv(WORKER_WAIT_ENV, "15")
        killer = threading.Thread(target=kill_the_worker_when_busy)
        killer.start()
        try:
            code = _build(data, out, "--scheduler", lone.address)
        finally:
            killer.join()
    finally:
        lone.stop()
    assert killed, "no zone task was seen running"
    assert code == 1
    reason = (f"未运行：{lone.address} 上的 Dask 集群在 15 秒内没有可运行它的工作进程"
              f"（其工作进程已停止或从未加入；等待时长由 {WORKER_WAIT_ENV} 设定）")  # the build's language
    manifest = json.loads((out / "2019" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["zones"][killed[0]]
    assert (entry["status"], entry["failure"], entry["reason"]) == ("failed", "worker", reason)
    # the zones queued after it and every summary fail with it; none waits again
    failed = {z for z, e in manifest["zones"].items() if e["status"] == "failed"}
    assert {manifest["zones"][z]["reason"] for z in failed} == {reason}
    assert {s: (e["status"], e["failure"]) for s, e in manifest["summaries"].items()} == dict.fromkeys(
        ("national", "provinces/330000", "provinces/440000"), ("failed", "worker"))
    assert manifest["portal"]["portal"]["status"] == "failed"
    captured = capsys.readouterr()
    assert f"{killed[0]}：失败" in captured.err and "Traceback" not in captured.err  # the progress line, in Chinese
    assert reason in captured.out  # the closing table
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]  # nothing half-written


def test_no_change_rebuild_needs_no_scheduler(cluster, data, local_build, capsys):
    cluster.stop()
    capsys.readouterr()
    assert _build(data, local_build, "--scheduler", cluster.address) == 0
    assert "全部为最新，无需重建" in capsys.readouterr().out


def test_an_unreachable_scheduler_is_a_clear_error_when_something_must_build(cluster, data, tmp_path, capsys):
    code = _build(data, tmp_path / "out", "--scheduler", cluster.address)  # stopped by the test before
    assert code == 2
    err = capsys.readouterr().err
    assert f"无法连接 {cluster.address} 上的 Dask 调度器" in err and "Traceback" not in err  # the build's language
