"""A kernel's own lines (its stderr) go to OUT/<year>/build.log, not to the terminal, whichever
executor runs it, and also from the worker a rebuild starts while the dataset is read, before
its year folder is known (issue 27: Dask's messages and the kernels' go to the build log).

Real processes: the command line builds one zone of the tiny dataset with a zone notebook whose
kernel writes a line to its stderr (file descriptor 2, as a native library or a crashing
extension would), first in process, then again on Dask after the zone's data changed."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nzc_report.resources import PROJECT_ROOT, ZONE_NOTEBOOK

pytestmark = pytest.mark.e2e
TINY = Path(__file__).parent / "data" / "tiny"
MARK = "NZC-KERNEL-STDERR"


def noisy_notebook(path: Path) -> Path:
    """The zone notebook with a cell, after its parameters, writing MARK and the zone to the kernel's stderr."""
    nb = json.loads(ZONE_NOTEBOOK.read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    nb["cells"].insert(at + 1, {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                "source": [f"import os; os.write(2, ('{MARK} ' + zone_id + '\\n').encode())"]})
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_a_kernel_s_stderr_and_the_early_worker_s_go_to_the_build_log(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    out = tmp_path / "out"
    cmd = [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data", str(data), "--out", str(out),
           "--zones", "alpha", "--jobs", "1", "--notebook", str(noisy_notebook(tmp_path / "noisy.ipynb"))]
    log = out / "2019" / "build.log"

    local = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600,
                           env={**os.environ, "NZC_REPORT_EXECUTOR": "local"})
    assert local.returncode == 0, local.stdout + local.stderr
    # the kernel's stderr, and papermill's warning about the notebook (its cells have no ids)
    assert MARK not in local.stdout + local.stderr and "MissingIDFieldWarning" not in local.stderr, local.stderr
    assert log.read_text(encoding="utf-8").count(f"{MARK} alpha") == 1
    assert log.read_text(encoding="utf-8").count("MissingIDFieldWarning") == 1

    # a rebuild: its Dask worker starts while the dataset is read, before the year is known
    emissions = data / "emissions.csv"
    emissions.write_text(re.sub(r"^alpha,2019,building,\d+$", "alpha,2019,building,2222",
                                emissions.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    dask = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=600,
                          env={**os.environ, "NZC_REPORT_EXECUTOR": "dask"})
    assert dask.returncode == 0, dask.stdout + dask.stderr
    assert MARK not in dask.stdout + dask.stderr and "distributed." not in dask.stderr, dask.stderr
    assert "MissingIDFieldWarning" not in dask.stderr, dask.stderr  # the early worker's own stderr
    assert log.read_text(encoding="utf-8").count(f"{MARK} alpha") == 2
    assert log.read_text(encoding="utf-8").count("MissingIDFieldWarning") == 2
    assert not list(out.glob(".nzc-early-*"))  # moved into the build log, then removed
