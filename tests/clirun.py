"""The command line in this process (as click's CliRunner tests a CLI) or as a real process.

In process, main() runs in ``cwd`` with its stdout and stderr captured: the same exit code and
text as the process, without the ~1.3 s of CPU a new interpreter spends importing the package.
A test keeps a real process where the process is the point (its exit code, no traceback)."""
from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path

from nzc_report.cli import main
from nzc_report.resources import PROJECT_ROOT


def process(*args, cwd: Path) -> subprocess.CompletedProcess:
    """The CLI as a user runs it (build.py), a new process."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "build.py"), *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def in_process(*args, cwd: Path) -> subprocess.CompletedProcess:
    """main() in this process, in ``cwd``: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    argv = [str(a) for a in args]
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())
