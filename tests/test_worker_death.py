"""Workers that die in the build's own local cluster (workers under a Dask nanny), through a copy of
the zone notebook with one cell that ends the worker process running it (cold kernels: a cold
kernel's parent is its worker).

- A zone that kills every worker it touches fails alone, with failure kind "worker", after the
  embedded cluster's allowed failures (run.py: LOCAL_ALLOWED_FAILURES); the zone submitted after
  it, which Dask would have queued on the same worker and taken down with it, is built, and so are
  the summaries, on the workers that replaced the dead ones (set up again by the plugin).
- A zone whose worker dies once is run again on the replacement and the build exits 0, even when
  the cluster closes the nanny instead of letting it restart its worker (what left a build
  waiting with no worker on a loaded machine): the executor starts the worker again.

A wait for workers that is not a number of seconds is refused (exit 2) before anything is read.

The watchdog (no worker left at all) is tested on an external cluster in test_cluster.py; a
worker killed once on an external cluster, too; a kernel that dies is retried once (test_batch.py).
"""
import json
import logging

import dask
import nbformat
import pytest

from nzc_report.batch import BuildOptions, build
from nzc_report.batch.executor import EXECUTOR_ENV
from nzc_report.batch.run import LOCAL_ALLOWED_FAILURES, WORKER_WAIT_ENV
from nzc_report.cli import main
from nzc_report.resources import ZONE_NOTEBOOK

pytestmark = pytest.mark.timeout(900)  # a hung build fails its test, not the suite

KILL_THE_WORKER = """# 测试用：{zone} 结束运行它的 Dask 工作进程（冷内核的父进程）{once}
import os
import signal
from pathlib import Path

marker = Path({marker!r})
if zone_id == {zone!r} and {condition}:
    marker.write_text("killed", encoding="utf-8")
    os.kill(os.getppid(), signal.SIGKILL)"""


def _notebook_killing_the_worker_of(zone: str, folder, *, once: bool):
    """The zone notebook with one cell after the parameters that kills ``zone``'s worker: every
    time, or only the first time (a marker file remembers it)."""
    nb = nbformat.read(str(ZONE_NOTEBOOK), as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    cell = nbformat.v4.new_code_cell(KILL_THE_WORKER.format(
        zone=zone, marker=str(folder / "killed-once"), once="，只一次" if once else "",
        condition="not marker.exists()" if once else "True"))
    cell["id"] = "kill-the-worker"
    nb.cells.insert(at, cell)
    path = folder / "zone_assessment.ipynb"
    nbformat.write(nb, str(path))
    return path


def _build(tmp_path, tiny_dir, notebook):
    # --jobs 1: one worker, so every zone would be queued on the worker the killer runs on
    return build(BuildOptions(data=tiny_dir, out=tmp_path / "out", jobs=1, year=2019, zone_notebook=notebook,
                              warm_kernels=False, executor="dask"))


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_a_zone_that_kills_every_worker_it_touches_fails_alone(tmp_path, tiny_dir):
    # alpha is submitted first: beta comes after it, on the same (one) worker
    notebook = _notebook_killing_the_worker_of("alpha", tmp_path, once=False)
    result = _build(tmp_path, tiny_dir, notebook)
    by_id = {(o.id, o.kind): o for o in result.outcomes}
    alpha = by_id["alpha", "zone"]
    workers = LOCAL_ALLOWED_FAILURES + 1
    assert alpha.status == "failed" and alpha.failure == "worker", alpha
    assert f"已死亡 {workers} 次（在 {workers} 个不同的工作进程上）" in alpha.reason  # the build's language (zh)
    assert alpha.attempts == workers
    assert by_id["beta", "zone"].status == by_id["beta", "zone_report"].status == "built"
    assert ("alpha", "zone_report") not in by_id
    # the replacement workers got the plugin: the summaries ran on them
    assert by_id["provinces/440000", "province"].status == "built"
    assert by_id["provinces/330000", "province"].status == "built"
    assert by_id["national", "national"].status == "built"
    assert result.exit_code == 1
    year_dir = tmp_path / "out" / "2019"
    entry = _json(year_dir / "manifest.json")["zones"]["alpha"]
    assert (entry["status"], entry["failure"], entry["attempts"]) == ("failed", "worker", workers)
    assert [m["zone_id"] for m in _json(year_dir / "national" / "results.json")["missing"]] == ["alpha"]
    assert (year_dir / "zones" / "beta" / "report.pdf").is_file()
    assert not (year_dir / "zones" / "alpha" / "report.pdf").exists()


@pytest.mark.e2e
def test_a_zone_whose_worker_dies_once_is_built_even_when_the_cluster_closes_the_nanny(tmp_path, tiny_dir,
                                                                                        caplog):
    notebook = _notebook_killing_the_worker_of("beta", tmp_path, once=True)
    # LocalCluster closes the nanny of a worker gone longer than this (15 s by default, which a
    # restart on a loaded machine takes): at 0 s it always does, and nothing would start it again
    logger = logging.getLogger("nzc_report")  # the CLI stops it propagating: caplog listens to it here
    logger.addHandler(caplog.handler)
    try:
        with dask.config.set({"distributed.deploy.lost-worker-timeout": "0s"}):
            result = _build(tmp_path, tiny_dir, notebook)
    finally:
        logger.removeHandler(caplog.handler)
    assert (tmp_path / "killed-once").is_file()  # beta did kill its worker
    assert result.failed == []
    assert result.exit_code == 0
    assert "the embedded Dask cluster closed its worker(s) 0; starting them again" in caplog.text
    manifest = _json(tmp_path / "out" / "2019" / "manifest.json")
    assert {z: e["status"] for z, e in manifest["zones"].items()} == {"alpha": "built", "beta": "built"}
    assert manifest["summaries"]["national"]["status"] == "built"


def test_a_wait_for_workers_that_is_not_a_number_of_seconds_is_refused(tmp_path, tiny_dir, monkeypatch, capsys):
    monkeypatch.setenv(WORKER_WAIT_ENV, "soon")
    monkeypatch.setenv(EXECUTOR_ENV, "dask")  # the embedded cluster's setting (the tests' default is in-process)
    assert main(["build", "--data", str(tiny_dir), "--out", str(tmp_path / "out"), "--year", "2019"]) == 2
    err = capsys.readouterr().err
    assert f"{WORKER_WAIT_ENV}='soon'：必须是大于 0 的秒数" in err  # the command's language (zh)
    assert "Traceback" not in err and not (tmp_path / "out").exists()
