"""The worker's cache of project files: private, and verified before every use.

A task runs the notebooks and templates it finds in this cache, so whoever can
write there runs code in every build. The cache is therefore:

- in the user's own cache folder (platformdirs: ``~/.cache/nzc-report`` on
  Linux), or ``NZC_REPORT_CACHE``; never a predictable name in a shared
  folder;
- private: created 0700, and on every use owned by this user, a real folder
  (not a symlink), with no permission for group or others; refused otherwise
  (CacheRefused: exit 2 in the build, a clear failure on a worker);
- verified: the files under ``project-<digest>`` are compared with the bytes
  they must hold (the project the digest names) before each task uses them;
  a folder with a file missing, changed or added is put aside and unpacked
  again.
"""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from nzc_report.errors import EnvironmentProblem
from nzc_report.yamlfile import Fault

if TYPE_CHECKING:
    from nzc_report.batch.project import ProjectFiles

CACHE_ENV = "NZC_REPORT_CACHE"
APP_NAME = "nzc-report"
UNPACK_ATTEMPTS = 3  # another worker of this machine may be unpacking the same project at once


class CacheRefused(EnvironmentProblem):
    """The cache folder is not private to this user: nothing in it is used."""


def cache_root() -> Path:
    """NZC_REPORT_CACHE, else the platform's cache folder for this user (platformdirs)."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return Path(value)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def _refuse(path: Path, why: Fault) -> CacheRefused:
    """Refused as a code with fields (errors.Fault): a worker's refusal is worded by the build that shows it."""
    return CacheRefused(Fault.of("fault_cache_refused", path=str(path), why=why, env=CACHE_ENV))


def check_private(path: Path) -> None:
    """``path`` is a real folder owned by this user with no permission for group or others."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise _refuse(path, Fault.of("cache_unreadable", error=exc.strerror)) from None
    if stat.S_ISLNK(st.st_mode):
        raise _refuse(path, Fault.of("cache_symlink"))
    if not stat.S_ISDIR(st.st_mode):
        raise _refuse(path, Fault.of("cache_not_folder"))
    if st.st_uid != os.getuid():
        raise _refuse(path, Fault.of("cache_owner", owner=st.st_uid, you=os.getuid()))
    if st.st_mode & 0o077:
        raise _refuse(path, Fault.of("cache_mode", mode=f"{stat.S_IMODE(st.st_mode):04o}"))


def private_root() -> Path:
    """The cache folder, created 0700 if missing (its parents as usual), and checked."""
    root = cache_root()
    if not os.path.lexists(root):
        root.parent.mkdir(parents=True, exist_ok=True)
        try:
            root.mkdir(mode=0o700)
        except FileExistsError:
            pass  # another worker made it: checked below like any other
        except OSError as exc:
            raise _refuse(root, Fault.of("cache_not_created", error=exc.strerror)) from None
    check_private(root)
    return root


def _intact(folder: Path, project: ProjectFiles) -> bool:
    """``folder`` holds exactly the project's files with their bytes, all this user's, no links."""
    expected = dict(project.files)
    seen = 0
    uid = os.getuid()
    try:
        top = os.lstat(folder)
        if not stat.S_ISDIR(top.st_mode) or top.st_uid != uid or top.st_mode & 0o022:
            return False
        for dirpath, dirnames, filenames in os.walk(folder):
            for name in dirnames + filenames:
                st = os.lstat(os.path.join(dirpath, name))
                if stat.S_ISLNK(st.st_mode) or st.st_uid != uid or st.st_mode & 0o022:
                    return False
            for name in filenames:
                rel = Path(dirpath, name).relative_to(folder).as_posix()
                data = expected.get(rel)
                if data is None or Path(dirpath, name).read_bytes() != data:
                    return False
                seen += 1
    except OSError:
        return False
    return seen == len(expected)


def _put_aside(folder: Path, root: Path) -> None:
    """Moves a damaged folder out of the way (then deletes it), so no task uses it again."""
    trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=root))
    try:
        os.replace(folder, trash / "old")
    except FileNotFoundError:
        pass  # another worker put it aside first
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def _unpack(project: ProjectFiles, folder: Path, root: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=root))
    try:
        for name, data in project.files:
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        os.replace(tmp, folder)
    except OSError:
        if not folder.is_dir():  # another worker on this machine may have won the race
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def materialise(project: ProjectFiles) -> Path:
    """The project's files unpacked in this user's private cache, verified against the bytes the
    digest names before they are used; a missing, changed or added file means unpacking again."""
    root = private_root()
    folder = root / f"project-{project.digest[:32]}"
    for _ in range(UNPACK_ATTEMPTS):
        if os.path.lexists(folder):
            if _intact(folder, project):
                return folder
            _put_aside(folder, root)
        _unpack(project, folder, root)
        if _intact(folder, project):
            return folder
    raise _refuse(root, Fault.of("cache_unstable", folder=folder.name))
