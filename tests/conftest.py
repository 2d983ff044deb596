import shutil
from pathlib import Path

import pytest

from nzc_report.resources import PROJECT_ROOT, SAMPLE_DATA_DIR

TESTS = Path(__file__).parent
TINY = TESTS / "data" / "tiny"


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
