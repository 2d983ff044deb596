"""Where the project's own files live: templates, params, notebooks, sample data, schemas.

They stay at the top of the repository, where people edit them. In a
checkout (editable install included) they are read from there; the wheel
carries a copy inside the package (``nzc_report/_project/``, mapped by
pyproject.toml) that importlib.resources finds when installed.
NZC_REPORT_HOME points elsewhere when the project files live apart from both.

Per-zone and shared parameters may be overlaid by a folder laid out like
``params/`` (``--params DIR`` or a workspace's ``params/``): each file in it
takes the place of the project's file of the same name. ``params_file``
answers where a parameter file is read from; the overlay of the running
command is held in the environment (NZC_REPORT_PARAMS) so the build's
worker processes and kernels see the same files.
"""
from __future__ import annotations

import contextlib
import contextvars
import importlib.resources
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_FOLDERS = ("templates", "params", "notebooks", "data/sample", "schemas")
PARAMS_OVERLAY_ENV = "NZC_REPORT_PARAMS"


def _is_project_root(path: Path) -> bool:
    return all((path / folder).is_dir() for folder in ("templates", "params", "notebooks"))


def find_project_root() -> Path:
    """NZC_REPORT_HOME, else the checkout around the package, else the copy inside the wheel."""
    home = os.environ.get("NZC_REPORT_HOME")
    if home:
        return Path(home)
    checkout = Path(__file__).resolve().parents[1]
    if _is_project_root(checkout) and (checkout / "pyproject.toml").is_file():
        return checkout
    bundled = importlib.resources.files("nzc_report").joinpath("_project")
    return Path(str(bundled))


PROJECT_ROOT = find_project_root()
TEMPLATES_DIR = PROJECT_ROOT / "templates"
PARAMS_DIR = PROJECT_ROOT / "params"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
SAMPLE_DATA_DIR = PROJECT_ROOT / "data" / "sample"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"
ZONE_NOTEBOOK = NOTEBOOKS_DIR / "zone_assessment.ipynb"


def params_overlay() -> Path | None:
    """The folder overlaying params/ for the running command, if any."""
    value = os.environ.get(PARAMS_OVERLAY_ENV)
    return Path(value) if value else None


def params_file(name: str, overlay: Path | None = None) -> Path:
    """Where the parameter file ``name`` (e.g. "framework.yaml", "zones/gd-nanao.yaml") is read from.

    ``overlay`` defaults to the running command's (see use_params).
    """
    overlay = overlay if overlay is not None else params_overlay()
    # a pipe or a folder of that name too: the check refuses it rather than reading the project's
    if overlay is not None and os.path.lexists(overlay / name):
        return overlay / name
    return PARAMS_DIR / name


@contextlib.contextmanager
def use_params(overlay: Path | None):
    """Within the block (and in the processes started in it) params files come from ``overlay`` first."""
    before = os.environ.get(PARAMS_OVERLAY_ENV)
    if overlay is None:
        os.environ.pop(PARAMS_OVERLAY_ENV, None)
    else:
        os.environ[PARAMS_OVERLAY_ENV] = str(Path(overlay).resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PARAMS_OVERLAY_ENV, None)
        else:
            os.environ[PARAMS_OVERLAY_ENV] = before


@dataclass(frozen=True)
class Project:
    """The project files a render reads: templates/, params/ (overlaid by ``overlay`` if given)
    and notebooks/ under ``root``.

    The build's tasks render with the files the build shipped (batch/project.py unpacks them
    by content; their params/ already holds the overlay): ``Project(root)``. Outside a task,
    ``Project.installed()``: this package's files and the running command's overlay.
    """

    root: Path
    overlay: Path | None = None

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def params(self) -> Path:
        return self.root / "params"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def params_file(self, name: str) -> Path:
        """Where the parameter file ``name`` is read from: the overlay's, else params/'s."""
        if self.overlay is not None and (self.overlay / name).is_file():
            return self.overlay / name
        return self.params / name

    @classmethod
    def installed(cls) -> "Project":
        return cls(PROJECT_ROOT, params_overlay())


_PROJECT: contextvars.ContextVar[Project | None] = contextvars.ContextVar("nzc_report_project", default=None)


def current_project() -> Project:
    """The project a render in progress was given (see using_project), else the installed one."""
    return _PROJECT.get() or Project.installed()


@contextlib.contextmanager
def using_project(project: Project):
    """Within the block, in this thread (context) only, what the renderer reads comes from
    ``project``: render_zone_pdf, render_summary_pdf and make_portal set it from their
    ``project`` argument for the views, catalogues and templates they call. Nothing global
    changes: two builds in one process render each with its own files."""
    token = _PROJECT.set(project)
    try:
        yield project
    finally:
        _PROJECT.reset(token)
