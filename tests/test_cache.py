"""The worker's cache of project files is private and verified (issue 27, item 3): real processes."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nzc_report.resources import PROJECT_ROOT

# A worker's use of the cache, in its own process: unpack (or re-use) and print the folder used.
USE_CACHE = """
import sys
from nzc_report.batch.cache import materialise
from nzc_report.batch.project import collect
from nzc_report.resources import ZONE_NOTEBOOK
print(materialise(collect(ZONE_NOTEBOOK)))
"""


def _use(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", USE_CACHE], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def cache_env(tmp_path) -> tuple[Path, dict]:
    cache = tmp_path / "cache"
    return cache, {**os.environ, "NZC_REPORT_CACHE": str(cache)}


def test_the_default_cache_is_the_users_own_created_private(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NZC_REPORT_CACHE"}
    env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
    proc = _use(env)
    assert proc.returncode == 0, proc.stderr
    used = Path(proc.stdout.strip())
    root = tmp_path / "xdg" / "nzc-report"
    assert used.parent == root  # platformdirs' user cache folder, not a name in /tmp
    assert root.stat().st_mode & 0o777 == 0o700


def test_a_world_writable_cache_is_refused_and_nothing_in_it_runs(cache_env):
    cache, env = cache_env
    cache.mkdir()
    os.chmod(cache, 0o777)  # as another local user who made the folder first would leave it
    planted = cache / "planted"
    planted.write_text("x")
    proc = _use(env)
    assert proc.returncode != 0
    assert "被拒绝使用" in proc.stderr and "0777" in proc.stderr and str(cache) in proc.stderr  # said in Chinese (the default)
    assert not list(cache.glob("project-*"))  # nothing unpacked into it, nothing used from it


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refusal_is_a_code_with_fields_said_in_the_language_of_who_shows_it(tmp_path, lang):
    """Made where the cache is checked (a worker, which does not know the build's language) as a
    Fault; worded by the build, in its language: Chinese for a Chinese build, English for --lang en."""
    from nzc_report.batch.cache import CacheRefused, check_private
    from nzc_report.yamlfile import Fault

    cache = tmp_path / "cache"
    cache.mkdir()
    os.chmod(cache, 0o777)
    with pytest.raises(CacheRefused) as info:
        check_private(cache)
    fault = info.value.args[0]
    assert isinstance(fault, Fault) and fault.code == "fault_cache_refused"
    said = fault.said(lang)
    assert str(cache) in said and "0777" in said and "NZC_REPORT_CACHE" in said
    if lang == "zh":
        assert said.startswith(f"nzc-report 缓存 {cache} 被拒绝使用：其权限为 0777：其他用户可以读取或写入（必须为 0700）。")
    else:
        assert said.startswith(f"the nzc-report cache {cache} is refused: its mode is 0777: others may read or write "
                               "it (must be 0700). It holds code")
    os.chmod(cache, 0o700)
    link = tmp_path / "link"
    link.symlink_to(cache)
    with pytest.raises(CacheRefused) as info:
        check_private(link)
    assert ("它是符号链接" if lang == "zh" else "it is a symbolic link") in info.value.args[0].said(lang)


@pytest.mark.parametrize("mode", [0o755, 0o770])
def test_a_cache_readable_or_writable_by_others_is_refused(cache_env, mode):
    cache, env = cache_env
    cache.mkdir()
    os.chmod(cache, mode)
    proc = _use(env)
    assert proc.returncode != 0 and f"{mode:04o}" in proc.stderr


def test_a_cache_that_is_a_symlink_is_refused(cache_env, tmp_path):
    cache, env = cache_env
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    cache.symlink_to(tmp_path / "elsewhere")
    proc = _use(env)
    assert proc.returncode != 0 and "它是符号链接" in proc.stderr


def test_a_build_with_a_refused_cache_exits_2_naming_it_before_anything_runs(cache_env, tmp_path):
    cache, env = cache_env
    cache.mkdir()
    os.chmod(cache, 0o757)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), "build", "--data",
                           str(Path(__file__).parent / "data" / "tiny"), "--out", str(out)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert str(cache) in proc.stderr and "被拒绝使用" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_damaged_cache_is_unpacked_again_before_use(cache_env):
    cache, env = cache_env
    first = _use(env)
    assert first.returncode == 0, first.stderr
    folder = Path(first.stdout.strip())
    assert cache.stat().st_mode & 0o777 == 0o700
    template = next(folder.glob("templates/**/*.j2"), None) or next(p for p in folder.glob("templates/**/*") if p.is_file())
    original = template.read_bytes()
    notebook = folder / "notebooks" / "zone_assessment.ipynb"
    notebook_bytes = notebook.read_bytes()

    # planted code in a template, a file deleted (a tmp cleaner), a file added
    template.write_bytes(b"{{ planted }}")
    notebook.unlink()
    (folder / "params" / "planted.yaml").write_text("planted: true\n")
    second = _use(env)
    assert second.returncode == 0, second.stderr
    assert Path(second.stdout.strip()) == folder
    assert template.read_bytes() == original
    assert notebook.read_bytes() == notebook_bytes
    assert not (folder / "params" / "planted.yaml").exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # what was put aside is gone

    # a file swapped for a link to another file is not followed
    target = cache.parent / "other.txt"
    target.write_bytes(original)
    template.unlink()
    template.symlink_to(target)
    third = _use(env)
    assert third.returncode == 0, third.stderr
    assert not template.is_symlink() and template.read_bytes() == original


OTHER_UID = 54321  # a user id nobody on the machine has: as another local user who made the folder first
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="os.chown to another user needs root")


@needs_root
def test_a_cache_owned_by_another_user_is_refused_and_nothing_in_it_runs(cache_env):
    """Mode 0700, a real folder: only its owner is wrong (os.chown, as the tests run as root)."""
    cache, env = cache_env
    cache.mkdir(mode=0o700)
    os.chown(cache, OTHER_UID, OTHER_UID)
    planted = cache / f"project-{'0' * 32}"
    planted.mkdir()
    os.chown(planted, OTHER_UID, OTHER_UID)
    proc = _use(env)
    assert proc.returncode != 0
    assert f"它属于用户 ID {OTHER_UID}，而不是你（{os.getuid()}）" in proc.stderr and str(cache) in proc.stderr
    assert sorted(p.name for p in cache.iterdir()) == [planted.name]  # nothing unpacked, nothing used
    assert cache.stat().st_uid == OTHER_UID  # left as it was: the user is told to remove it


@needs_root
@pytest.mark.parametrize("what", ["folder", "one file"])
def test_a_project_folder_of_another_user_in_the_cache_is_put_aside_and_unpacked_again(cache_env, what):
    """The cache is this user's, but its project folder (or one file in it) belongs to another
    user, who could change it at will: it is not used, and a fresh copy of this user's replaces it."""
    cache, env = cache_env
    first = _use(env)
    assert first.returncode == 0, first.stderr
    folder = Path(first.stdout.strip())
    target = folder if what == "folder" else folder / "notebooks" / "zone_assessment.ipynb"
    os.chown(target, OTHER_UID, OTHER_UID)
    second = _use(env)
    assert second.returncode == 0, second.stderr
    assert Path(second.stdout.strip()) == folder
    # unpacked again (nothing here gives a file back to its user: a fresh copy does)
    assert {p.stat().st_uid for p in [folder, *folder.rglob("*")]} == {os.getuid()}
    assert not list(cache.glob(".trash-*"))  # the other user's copy is gone, not kept aside
