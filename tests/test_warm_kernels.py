"""Warm kernels (nzc_report/notebook/zygote.py, warm.py) and --cold-kernels, tested directly.

What is observed is what the operating system shows, not a hook of the product:
a warm kernel is a child of the template process (`python -m nzc_report.notebook.zygote`)
and starts with the heavy modules already imported; a cold kernel is a new
`python -m ipykernel_launcher` started by the process that runs the notebook.

The template preloads Python modules only. What the worker caches of a build, the
project files (templates, params, notebooks), is keyed by their content
(batch/project.py): a worker that serves one build after another renders each with
its own files. That is tested here too; the template's own freshness (restarted with
each build's worker plugin, a worker of other source code refused) in test_cluster.py.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nzc_report.cli import main
from nzc_report.notebook import execute
from nzc_report.notebook.warm import Zygote
from nzc_report.notebook.zygote import WARM_MODULES
from pdftools import pdftotext

pytestmark = pytest.mark.e2e

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny"
FACTS = TESTS / "data" / "notebooks" / "kernel_facts.ipynb"
ZYGOTE_MODULE = "nzc_report.notebook.zygote"


# -- processes, as /proc shows them ---------------------------------------------------------------
def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every process."""
    found = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        found[int(d)] = (ppid, cmd)
    return found


def _descendants(root: int, procs: dict[int, tuple[int, str]]) -> dict[int, tuple[int, str]]:
    below, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, (ppid, cmd) in procs.items():
            if ppid == parent and pid not in below:
                below[pid] = (ppid, cmd)
                todo.append(pid)
    return below


class ProcessWatch:
    """Every process seen below this one while the block runs (sampled every 50 ms)."""

    def __init__(self):
        self.seen: dict[int, tuple[int, str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid, (ppid, cmd) in _descendants(os.getpid(), _processes()).items():
                if cmd or pid not in self.seen:  # a process that is leaving shows an empty command line
                    self.seen[pid] = (ppid, cmd)
            self._stop.wait(0.05)

    def __enter__(self) -> "ProcessWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def templates(self) -> set[int]:
        return {pid for pid, (ppid, cmd) in self.seen.items()
                if ZYGOTE_MODULE in cmd and ZYGOTE_MODULE not in self.seen.get(ppid, (0, ""))[1]}

    def forked_kernels(self) -> set[int]:
        """Children of a template: kernels forked without a new interpreter (same command line)."""
        templates = self.templates()
        return {pid for pid, (ppid, _) in self.seen.items() if ppid in templates}

    def cold_kernels(self) -> set[int]:
        return {pid for pid, (_, cmd) in self.seen.items() if "-m ipykernel_launcher" in cmd}


# -- one notebook, in this process ------------------------------------------------------------
@pytest.fixture
def template():
    """This process's warm-kernel template, stopped after the test."""
    Zygote.stop()
    yield
    Zygote.stop()


def _facts(tmp_path: Path, label: str, warm: bool) -> dict:
    out = tmp_path / f"{label}.ipynb"
    execute(FACTS, out, {"label": label}, zone_id=label, timeout=120, cwd=tmp_path, warm=warm)
    nb = json.loads(out.read_text(encoding="utf-8"))
    lines = ["".join(o["text"]) for c in nb["cells"] if c["cell_type"] == "code"
             for o in c["outputs"] if o.get("name") == "stdout"]
    (facts,) = [json.loads(line) for text in lines for line in text.splitlines() if line.startswith("{")]
    assert facts["label"] == label
    return facts


def test_a_warm_kernel_is_a_fresh_child_of_the_template_with_its_modules_loaded(tmp_path, template):
    first = _facts(tmp_path, "first", warm=True)
    zygote = Zygote.get().proc.pid
    assert first["ppid"] == zygote != os.getpid()
    heavy = ["seaborn", "matplotlib.backends.backend_svg", "nzc_report.charts", "nzc_report.findings"]
    assert set(heavy) <= set(WARM_MODULES) and first["preloaded"] == heavy
    second = _facts(tmp_path, "second", warm=True)
    # one new process per notebook, forked from the same template, with a namespace of its own
    assert second["ppid"] == zygote and second["pid"] != first["pid"]
    assert first["fresh"] and second["fresh"]
    assert ZYGOTE_MODULE in _processes()[zygote][1]
    # a template that died is started again for the next notebook
    dead = Zygote.get().proc
    os.kill(dead.pid, signal.SIGKILL)
    dead.wait()
    after = _facts(tmp_path, "after", warm=True)
    assert after["ppid"] == Zygote.get().proc.pid != dead.pid
    assert after["preloaded"] == heavy


def test_a_cold_kernel_is_a_new_interpreter_without_a_template(tmp_path, template):
    with ProcessWatch() as watch:
        facts = _facts(tmp_path, "cold", warm=False)
    assert facts["ppid"] == os.getpid()  # started by jupyter_client in this process
    assert "seaborn" not in facts["preloaded"] and "nzc_report.charts" not in facts["preloaded"]
    assert facts["fresh"]
    assert watch.cold_kernels() and not watch.templates()


# -- whole builds: --cold-kernels against the default -----------------------------------------
def _files(year_dir: Path) -> dict[str, bytes]:
    """Every output a reader gets; not the manifest (timings) nor the executed notebooks (papermill's times)."""
    return {p.relative_to(year_dir).as_posix(): p.read_bytes() for p in sorted(year_dir.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", "build.log") and not p.name.startswith(".")
            and p.suffix != ".ipynb"}  # not the build's log (times) nor its hidden lock file


def test_cold_kernels_give_the_same_bytes_as_warm_ones(tmp_path):
    """Zone alpha of the tiny dataset and its provincial summary (a notebook of each kind) and
    the portal (the working paper as HTML), once with warm kernels and once with --cold-kernels."""
    builds = {}
    for mode, extra in (("warm", []), ("cold", ["--cold-kernels"])):
        with ProcessWatch() as watch:
            code = main(["build", "--data", str(TINY), "--year", "2019", "--zones", "alpha", "--jobs", "1",
                         "--out", str(tmp_path / mode), *extra])
        assert code == 0
        builds[mode] = watch
    warm, cold = builds["warm"], builds["cold"]
    assert len(warm.templates()) == 1 and warm.forked_kernels() and not warm.cold_kernels()
    assert not cold.templates() and cold.cold_kernels()

    a, b = _files(tmp_path / "warm" / "2019"), _files(tmp_path / "cold" / "2019")
    assert a.keys() == b.keys()
    assert {"zones/alpha/report.pdf", "zones/alpha/results.json", "zones/alpha/figures/net_emissions.svg",
            "provinces/440000/summary.pdf", "portal/zones/alpha.assessment.html"} <= a.keys()
    # the working paper too (its tables as pandas prints them), not only what was computed
    differ = [name for name in a if a[name] != b[name]]
    assert differ == []
    cells = [_outputs(tmp_path / mode / "2019" / "zones" / "alpha" / "assessment.ipynb") for mode in ("warm", "cold")]
    assert cells[0] == cells[1]


def _outputs(notebook: Path) -> list:
    """What each cell of an executed notebook showed (not papermill's timings)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [[{k: v for k, v in o.items() if k != "metadata"} for o in c["outputs"]]
            for c in nb["cells"] if c["cell_type"] == "code"]


# -- the worker's cache of project files ------------------------------------------------------
SERVE_TWO_BUILDS = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from nzc_report.batch.cache import materialise
from nzc_report.batch.project import collect
from nzc_report.render import render_zone_pdf
from nzc_report.resources import ZONE_NOTEBOOK, Project
from reportdata import write_zone_dir, zone_results

work, overlay = Path(sys.argv[2]), Path(sys.argv[3])
results = zone_results("alpha")
plain, own = materialise(collect(ZONE_NOTEBOOK)), materialise(collect(ZONE_NOTEBOOK, overlay))
assert plain != own
for name, root in (("first", plain), ("second", own)):
    folder = write_zone_dir(work / name / "alpha", results)
    assert render_zone_pdf(folder, lang="zh", project=Project(root)) == []
"""


def test_a_worker_serving_one_build_after_another_renders_each_with_its_own_project_files(tmp_path):
    """One process, as a Dask worker is: project files unpacked by content (NZC_REPORT_CACHE),
    the renderer given each build's in turn, nothing of the last build's files kept in its caches."""
    overlay = tmp_path / "params"
    overlay.mkdir()
    report = (Path(__file__).parents[1] / "params" / "report.yaml").read_text(encoding="utf-8")
    assert "近零碳排放区示范工程评估组" in report
    (overlay / "report.yaml").write_text(report.replace("近零碳排放区示范工程评估组", "某省第二评估中心"),
                                         encoding="utf-8")
    env = {**os.environ, "NZC_REPORT_CACHE": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", SERVE_TWO_BUILDS, str(TESTS), str(tmp_path / "work"), str(overlay)],
                   check=True, env=env, timeout=600)
    assert len(list((tmp_path / "cache").glob("project-*"))) == 2  # one folder per content
    texts = {name: pdftotext(tmp_path / "work" / name / "alpha" / "report.pdf") for name in ("first", "second")}
    assert "近零碳排放区示范工程评估组" in texts["first"] and "某省第二评估中心" not in texts["first"]
    assert "某省第二评估中心" in texts["second"] and "近零碳排放区示范工程评估组" not in texts["second"]
