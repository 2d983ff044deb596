"""A scheduler killed mid-build (issue 27, item 6): the build fails fast (≤ 60 s), exit 1, naming
the address, and no raw Dask log line reaches the terminal (Dask's messages go to OUT/<year>/build.log).

Real processes: a `dask scheduler` and a `dask worker` on 127.0.0.1 (test_cluster.Cluster)."""
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nzc_report.batch.manifest import JOURNAL
from nzc_report.resources import PROJECT_ROOT
from test_cluster import Cluster

pytestmark = pytest.mark.e2e
TINY = Path(__file__).parent / "data" / "tiny"


def test_a_scheduler_killed_mid_build_fails_it_within_a_minute_naming_it(tmp_path):
    cluster = Cluster(tmp_path / "cluster", 1)
    out = tmp_path / "out"
    try:
        cluster.wait_for_workers(1)
        proc = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(TINY), "--out",
                                 str(out), "--scheduler", cluster.address], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=tmp_path)
        journal = out / "2019" / JOURNAL
        deadline = time.monotonic() + 300
        while not (journal.is_file() and any(json.loads(line).get("unit") == "zones"
                                             for line in journal.read_text().splitlines() if line.endswith("}"))):
            assert proc.poll() is None and time.monotonic() < deadline, "no zone came back from the cluster"
            time.sleep(0.1)
        cluster.scheduler.send_signal(signal.SIGKILL)  # mid-build: the other zone or the reports still to come
        t = time.monotonic()
        stdout, stderr = proc.communicate(timeout=300)
        seconds = time.monotonic() - t
    finally:
        cluster.stop()
    assert proc.returncode == 1, stdout + stderr
    assert seconds <= 60, f"the build took {seconds:.0f} s to give up"
    # the build speaks its language (Chinese by default), the reason too: "…与 tcp://… 上的 Dask 调度器失去联系…"
    assert f"与 {cluster.address} 上的 Dask 调度器失去联系" in stdout
    assert "was lost" not in stdout
    assert "Traceback" not in stderr + stdout
    assert not [line for line in stderr.splitlines() if "distributed." in line or " - ERROR - " in line], stderr
    assert (out / "2019" / "build.log").is_file()
