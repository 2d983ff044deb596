"""What a process needs to run nzc-report tasks: the build's nzc-report, the report fonts,
libharfbuzz-subset. Checked on each Dask worker (worker.py's plugin) and, by the in-process
executor (local.py), in the build's own process."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
from functools import cache
from pathlib import Path

import nzc_report
from nzc_report import __version__
from nzc_report.yamlfile import Fault

REPORT_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")


@cache
def package_digest() -> str:
    """sha256 of the package's Python source: what computes and renders the reports."""
    root = Path(nzc_report.__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        if "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def missing_fonts() -> list[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return list(REPORT_FONTS)
    missing = []
    for family in REPORT_FONTS:
        out = subprocess.run([fc_list, f":family={family}", "family"], capture_output=True, text=True, timeout=30)
        if family not in out.stdout:
            missing.append(family)
    return missing


def environment_problems(version: str, digest: str) -> list[Fault]:
    """What this process lacks to run the tasks of a build of nzc-report ``version`` (``digest``): codes
    with fields, worded by the build that shows them (a worker does not know the build's language)."""
    from nzc_report.render.pdf import harfbuzz_subset_available

    problems = []
    if __version__ != version:
        problems.append(Fault.of("fault_worker_version", installed=__version__, build=version))
    elif package_digest() != digest:
        problems.append(Fault.of("fault_worker_source", version=__version__, installed=package_digest()[:12],
                                 build=digest[:12]))
    if not harfbuzz_subset_available():
        problems.append(Fault.of("fault_worker_harfbuzz"))
    from nzc_report.batch.cache import CacheRefused, private_root

    try:
        private_root()
    except CacheRefused as exc:
        problems.append(exc.args[0] if isinstance(exc.args[0], Fault) else Fault.of("fault_worker_setup",
                                                                                     error=str(exc)))
    fonts = missing_fonts()
    if fonts:
        problems.append(Fault.of("fault_worker_fonts", fonts=", ".join(fonts)))
    return problems
