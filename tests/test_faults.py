"""Faults stay local (issue 27, item 5): a full disk and a read-only file fail only the tasks
whose files they are, named with the path and the reason; the others go on; exit 1; verify tells.

A real file system: a small tmpfs (mounted for the test) and an immutable file (chattr +i);
skipped where this user may not do either. The builds are the command line's, run in this process
(clirun), each with real kernels."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from batchdata import copy_build
from clirun import in_process as cli
from nzc_report.resources import PROJECT_ROOT

pytestmark = pytest.mark.e2e
TINY = Path(__file__).parent / "data" / "tiny"


# The command line in this process (clirun: its exit code, stdout and stderr), without a new
# interpreter's imports for each build; the faults are the file system's, not the process's.
def build(data: Path, out: Path, cwd: Path, *extra) -> subprocess.CompletedProcess:
    # --lang en: the closing table's rows are read in English below (Chinese is the default)
    return cli("build", "--data", data, "--out", out, "--jobs", "1", "--lang", "en", *extra, cwd=cwd)


def verify(out: Path) -> subprocess.CompletedProcess:
    return cli("verify", "--out", out, cwd=out.parent)


def test_a_full_disk_fails_the_tasks_it_hits_and_the_others_go_on(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # the tiny build writes about 3.6 MB: its zones' notebooks fit, not all of its PDFs
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(out)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here: " + mounted.stderr.decode(errors="replace"))
    try:
        proc = build(TINY, out, tmp_path)
        checked = verify(out)
    finally:
        subprocess.run(["umount", "-l", str(out)], check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    failed = [line for line in proc.stdout.splitlines() if re.match(r"^\S+( report)? +failed ", line)]
    assert failed and all("cannot write" in line and "the disk is full" in line and str(out) in line for line in failed), \
        proc.stdout
    assert re.search(r"^\w+ +built ", proc.stdout, flags=re.M), proc.stdout  # the others went on
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "NOT WRITTEN" in checked.stdout or "NOT FINISHED" in checked.stdout, checked.stdout


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory) -> tuple[Path, Path]:
    """(data, out): one whole build of a copy of the tiny fixture, as build() makes it; each test below
    that starts from such a build starts from a copy of it (batchdata.copy_build)."""
    root = tmp_path_factory.mktemp("tiny-build")
    data, out = root / "tiny", root / "out"
    shutil.copytree(TINY, data)
    proc = build(data, out, root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return data, out


def test_a_read_only_report_fails_its_zone_alone(tiny_build, tmp_path):
    data, out = copy_build(tiny_build, tmp_path)
    report = out / "2019" / "zones" / "alpha" / "report.pdf"
    if subprocess.run(["chattr", "+i", str(report)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a file immutable here (chattr +i)")
    try:
        emissions = data / "emissions.csv"
        emissions.write_text(re.sub(r"^alpha,2019,building,\d+$", "alpha,2019,building,2000",
                                    emissions.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
        proc = build(data, out, tmp_path)
        checked = verify(out)
    finally:
        subprocess.run(["chattr", "-i", str(report)], check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    rows = {line.split()[0] + (" report" if " report " in line else ""): line for line in proc.stdout.splitlines()
            if re.match(r"^\S+( report)? +(built|failed)", line)}
    assert "failed" in rows["alpha report"] and f"cannot write {report}" in rows["alpha report"]
    assert "may not be changed" in rows["alpha report"]
    assert "built" in rows["alpha"] and "built" in rows["national"]  # the others went on
    assert checked.returncode == 1 and str(report) in checked.stdout


def test_a_failed_zone_never_replaces_a_good_summary_with_one_of_fewer_zones(tiny_build, tmp_path):
    import json

    data, out = copy_build(tiny_build, tmp_path)
    year_dir = out / "2019"
    results = {p.name: json.loads((p / "results.json").read_text(encoding="utf-8"))
               for p in (year_dir / "zones").iterdir()}
    province = results["alpha"]["province_code"]
    assert results["beta"]["province_code"] != province  # one province per zone in tiny
    kept = {rel: (year_dir / rel).read_bytes() for rel in (f"provinces/{province}/summary.pdf", "national/summary.pdf")}

    # the zone notebook with a cell that fails for alpha (a notebook of the user's: --notebook)
    nb = json.loads((PROJECT_ROOT / "notebooks" / "zone_assessment.ipynb").read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", []))
    # with its id, as every cell of the zone notebook (else papermill warns, and this process errs on a warning)
    nb["cells"].insert(at + 1, {"cell_type": "code", "id": "planted-failure", "metadata": {}, "execution_count": None,
                                "outputs": [], "source": 'if zone_id == "alpha":\n    raise RuntimeError("a planted failure")'})
    notebook = tmp_path / "failing.ipynb"
    notebook.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    proc = build(data, out, tmp_path, "--notebook", notebook)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    rows = {line.split()[0]: line for line in proc.stdout.splitlines() if re.match(r"^\S+ +(built|failed)", line)}
    assert "failed" in rows["alpha"] and "built" in rows["beta"]
    for uid in (f"provinces/{province}", "national"):
        assert "failed" in rows[uid] and "not rebuilt: alpha failed" in rows[uid]
    assert {rel: (year_dir / rel).read_bytes() for rel in kept} == kept  # the good summaries stay
