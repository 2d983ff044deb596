import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nzc_report.resources import PROJECT_ROOT, SAMPLE_DATA_DIR
from samplebuild import SAMPLE_BUILD_JOBS, SAMPLE_BUILD_ZONES, SampleBuild

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny"


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


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SampleBuild:
    """The sample's zones of SAMPLE_BUILD_ZONES, their provincial summaries and the portal, built
    once per session by the real CLI (`build.py build`, as a user runs it) for every test that
    only reads a build. The outputs are made read-only: a test that changes outputs must copy
    them or build its own (it fails with PermissionError here otherwise)."""
    root = tmp_path_factory.mktemp("sample-build")
    out = root / "out"
    (root / "cwd").mkdir()
    proc = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--zones", ",".join(SAMPLE_BUILD_ZONES),
         "--jobs", str(SAMPLE_BUILD_JOBS), "--out", str(out)],
        capture_output=True, text=True, cwd=root / "cwd", timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (year_dir,) = out.iterdir()
    _set_writable(out, False)
    yield SampleBuild(year_dir, SAMPLE_BUILD_ZONES, proc.stdout, proc.stderr)
    _set_writable(out, True)  # so that pytest can remove it with the session's other folders


@pytest.fixture(scope="session")
def four_zone_build(tmp_path_factory) -> tuple[Path, Path]:
    """(data, out) of one build of four copies of the tiny fixture's zones (z01, z03 in Guangdong,
    z02, z04 in Zhejiang), year 2019, on the in-process executor: built once per session for
    test_batch's rebuilds and test_cluster's reference build. Read-only: a test copies it first
    (batchdata.copy_build)."""
    from batchdata import copies_of_tiny
    from nzc_report.batch import BuildOptions, build

    root = tmp_path_factory.mktemp("four-zones")
    data = copies_of_tiny(root / "data", 4)
    result = build(BuildOptions(data=data, out=root / "out", jobs=1, year=2019, executor="local"))
    assert result.exit_code == 0, [(o.id, o.reason) for o in result.failed]
    _set_writable(root, False)
    yield data, root / "out"
    _set_writable(root, True)


SESSION_BUILDS = ("sample_build", "four_zone_build")


def pytest_collection_modifyitems(config, items):
    """A test that reads one of the session's builds runs the real build: it is an e2e test,
    whether or not its module says so (so `-m "not e2e"` never starts a build).

    With pytest-xdist (make test: -n auto --dist loadfile) a module's tests go to one worker, in
    their order, so that its fixtures (a module-scoped build, test_cluster's cluster) are made once;
    a session build is made by each worker that runs a module reading it."""
    for item in items:
        if any(name in getattr(item, "fixturenames", ()) for name in SESSION_BUILDS):
            item.add_marker(pytest.mark.e2e)
