import contextlib
import fcntl
import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from nzc_report.resources import PROJECT_ROOT, SAMPLE_DATA_DIR
from samplebuild import SAMPLE_BUILD_JOBS, SAMPLE_BUILD_ZONES, SampleBuild

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny"

# Hypothesis without its per-example deadline (200 ms by default): a property is a claim about
# results, not time (speed lives in benchmarks/). On a loaded 2-core machine a 25 ms example of
# test_scoring_property took 325 ms once and failed as "flaky". The number of examples is unchanged.
# Derandomized: the same examples in every run (the suite is deterministic; a property test found a
# one-line usage error that was not, `--data $'\n'`, in one run of three before). A new search is
# asked for with `--hypothesis-seed=N` or `--hypothesis-profile=explore`.
hypothesis_settings.register_profile("nzc", deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile("nzc")


@pytest.fixture(scope="session", autouse=True)
def in_process_executor():
    """Builds run their tasks in order in the build's process (batch/executor.py's LocalExecutor:
    the same tasks, a real kernel per notebook), in this process and in the CLI processes the tests
    start (they inherit the environment), unless NZC_REPORT_EXECUTOR says otherwise
    (`NZC_REPORT_EXECUTOR=dask make test` runs every build on Dask). What only Dask shows (worker
    death, an external scheduler, the watchdog, one byte-identity build) asks for it by name."""
    from nzc_report.batch.executor import EXECUTOR_ENV

    before = os.environ.get(EXECUTOR_ENV)
    os.environ[EXECUTOR_ENV] = before or "local"
    yield
    if before is None:
        os.environ.pop(EXECUTOR_ENV, None)

# Modules that watch the warm-kernel template a build starts and stops itself: no session template there.
OWN_TEMPLATE = ("test_warm_kernels",)


@pytest.fixture(scope="session", autouse=True)
def warm_template(request) -> Iterator[bool]:
    """One warm-kernel template (nzc_report/notebook/warm.py's Zygote) for this process's whole run
    when it runs e2e tests: every build on the in-process executor forks its kernels from it, as the
    builds of one Dask worker do, instead of starting (about 3 s of CPU) and stopping its own. A build
    that finds a template running uses it and leaves it running; what starts and stops one per build
    is still tested: every build run as a process (the CLI's, Dask's workers) and test_warm_kernels,
    which runs without it (OWN_TEMPLATE)."""
    if not any(item.get_closest_marker("e2e") for item in request.session.items):
        yield False
        return
    from nzc_report.notebook.warm import Zygote

    Zygote.get()  # before the session's builds (four_zone_build is made in this process)
    try:
        yield True
    finally:
        Zygote.stop()


@pytest.fixture(scope="module", autouse=True)
def module_template(request, warm_template) -> None:
    """The session's template running before each module's fixtures (started again if a test
    stopped or killed it), stopped before the modules of OWN_TEMPLATE."""
    if warm_template:
        from nzc_report.notebook.warm import Zygote

        if request.module.__name__ in OWN_TEMPLATE:
            Zygote.stop()
        else:
            Zygote.get()


@pytest.fixture
def tiny_dir() -> Path:
    return TINY


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A writable copy of the tiny dataset, for tests that break it."""
    dst = tmp_path / "data"
    shutil.copytree(TINY, dst)
    return dst


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DATA_DIR


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


def _set_writable(root: Path, writable: bool) -> None:
    write = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        os.chmod(path, (mode | stat.S_IWUSR) if writable else (mode & ~write))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


@contextlib.contextmanager
def shared_session_folder(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Iterator[Path]:
    """A folder that ``make`` fills once per test run and every test then only reads (read-only while
    in use, so that a test that writes into it fails with PermissionError).

    Under pytest-xdist (make test) the workers share it: the first worker that asks makes it under a
    file lock, in the run's temporary folder that all workers share (the pytest-xdist docs' recipe),
    the others wait for it and read the same folder; the last worker done with it makes it writable
    again (so that pytest can remove it with the run's other folders). Without xdist it is a folder of
    this process, as any session fixture's."""
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        _set_writable(folder, False)
        try:
            yield folder
        finally:
            _set_writable(folder, True)
        return
    base = tmp_path_factory.getbasetemp().parent  # pytest-N/, above each worker's popen-gwK/
    folder, lock, state_path = base / name, base / f"{name}.lock", base / f"{name}.state.json"
    with _locked(lock):
        state = json.loads(state_path.read_text()) if state_path.exists() else {"made": False, "users": 0}
        if not state["made"]:
            if folder.exists():  # what a worker's failed attempt left: made again (and failing again, if it does)
                shutil.rmtree(folder)
            folder.mkdir()
            make(folder)
            state["made"] = True
        if state["users"] == 0:
            _set_writable(folder, False)
        state["users"] += 1
        state_path.write_text(json.dumps(state))
    try:
        yield folder
    finally:
        with _locked(lock):
            state = json.loads(state_path.read_text())
            state["users"] -= 1
            if state["users"] == 0:
                _set_writable(folder, True)
            state_path.write_text(json.dumps(state))


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Iterator[SampleBuild]:
    """The sample's zones of SAMPLE_BUILD_ZONES, their provincial summaries and the portal, built
    once per test run (shared by the xdist workers, see shared_session_folder) by the real CLI
    (`build.py build`, as a user runs it) for every test that only reads a build. The outputs are
    read-only: a test that changes outputs must copy them or build its own (it fails with
    PermissionError here otherwise)."""

    def make(root: Path) -> None:
        (root / "cwd").mkdir()
        proc = subprocess.run(
            [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--zones", ",".join(SAMPLE_BUILD_ZONES),
             "--jobs", str(SAMPLE_BUILD_JOBS), "--out", str(root / "out")],
            capture_output=True, text=True, cwd=root / "cwd", timeout=1800)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        (root / "stdout.txt").write_text(proc.stdout, encoding="utf-8")
        (root / "stderr.txt").write_text(proc.stderr, encoding="utf-8")

    with shared_session_folder(tmp_path_factory, "sample-build", make) as root:
        (year_dir,) = (root / "out").iterdir()
        yield SampleBuild(year_dir, SAMPLE_BUILD_ZONES, (root / "stdout.txt").read_text(encoding="utf-8"),
                          (root / "stderr.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def four_zone_build(tmp_path_factory) -> Iterator[tuple[Path, Path]]:
    """(data, out) of one build of four copies of the tiny fixture's zones (z01, z03 in Guangdong,
    z02, z04 in Zhejiang), year 2019, on the in-process executor: built once per test run (shared by
    the xdist workers, see shared_session_folder) for test_batch's rebuilds, test_cluster's
    reference build and test_portal_stale. Read-only: a test copies it first (batchdata.copy_build)."""
    from batchdata import copies_of_tiny
    from nzc_report.batch import BuildOptions, build

    def make(root: Path) -> None:
        data = copies_of_tiny(root / "data", 4)
        result = build(BuildOptions(data=data, out=root / "out", jobs=1, year=2019, executor="local"))
        assert result.exit_code == 0, [(o.id, o.reason) for o in result.failed]

    with shared_session_folder(tmp_path_factory, "four-zones", make) as root:
        yield root / "data", root / "out"


SESSION_BUILDS = ("sample_build", "four_zone_build")
# The longest modules of the e2e tier (minutes each on a 2-core machine: several builds, a Dask cluster,
# a new venv), run first; the rest after them in their usual order. pytest-xdist (make test-e2e: with
# --no-loadscope-reorder, else it orders modules by their number of tests) hands modules out in the
# order collected, each worker taking the next when it is almost done: longest first, no long module
# is left alone at the end while the other core idles.
LONG_FIRST = ("test_batch", "test_summary_build", "test_cluster", "test_worker_death", "test_rank_cache",
              "test_kill_verify", "test_portal_e2e", "test_fuzz_pipeline", "test_faults", "test_annual_build",
              "test_wheel")
# The longest modules of the fast tier (10-40 s of CPU each: PDF renders, charts, the corpus of broken
# datasets, property tests), after LONG_FIRST (whose fast tests are short, but test_fuzz_pipeline's): by
# their number of tests, test_fuzz_pipeline's two (30 s) and test_project_files' four (10 s) ran last,
# one core idle meanwhile. test_judgement_property first: with it come the other SAMPLE_MODULES (one
# unit of about 50 s of CPU, the longest).
FAST_LONG_FIRST = ("test_judgement_property", "test_report_pdf", "test_charts", "test_validation_corpus",
                   "test_workbook", "test_hostile_data", "test_project_files", "test_results_model",
                   "test_summary_charts", "test_results_schema", "test_hostile_cli", "test_config",
                   "test_frameworks", "test_report_words")
ORDER = LONG_FIRST + FAST_LONG_FIRST
# The modules that read the sample's dataset and its 2024 assessments (tests/sampledata.py: about 4 s of
# CPU per test process: the load 1.1 s, 31 assessments 1.2 s, last year's results 1.9 s), handed out
# together, as one unit, to one worker (SampleModulesTogether): the other worker does not make them too.
SAMPLE_MODULES = ("test_judgement_property", "test_results_model", "test_results_schema", "test_report_words",
                  "test_findings_sample", "test_findings_rules", "test_recommendations", "test_review_circles",
                  "test_review_circles6", "test_english_body", "test_workbook")


def pytest_configure(config):
    """pytest-xdist hands modules out in the order pytest_collection_modifyitems leaves them
    (as --no-loadscope-reorder), not by their number of tests: in both tiers, longest first."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook (absent with -p no:xdist)
def pytest_xdist_make_scheduler(config, log):
    """With --dist loadfile (make test): a module per unit, as pytest-xdist's LoadFileScheduling hands
    them out, but the modules of SAMPLE_MODULES in one unit (their tests in their order, each module's
    together), at the place of the first of them."""
    if config.getoption("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SampleModulesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return "tests/<the sample's modules>" if Path(module).stem in SAMPLE_MODULES else module

    return SampleModulesTogether(config, log)


def pytest_collection_modifyitems(config, items):
    """A test that reads one of the session's builds runs the real build: it is an e2e test,
    whether or not its module says so (so `-m "not e2e"` never starts a build).

    With pytest-xdist (make test: -n auto --dist loadfile) a module's tests go to one worker, in
    their order, so that its fixtures (a module-scoped build, test_cluster's cluster) are made once;
    a session build is made once, by the first worker that asks for it (shared_session_folder).
    The modules of LONG_FIRST, then those of FAST_LONG_FIRST, come first."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in SESSION_BUILDS):
            item.add_marker(pytest.mark.e2e)

    def rank(item) -> int:
        name = item.path.stem
        return ORDER.index(name) if name in ORDER else len(ORDER)

    items.sort(key=rank)  # stable: each module's tests keep their order
