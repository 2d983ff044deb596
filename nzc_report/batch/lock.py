"""One build at a time in OUT/<year>: a lock file that names its holder.

``OUT/<year>/.build.lock`` is locked (flock, released by the kernel when the
holder ends, however it ends) for as long as a build writes there, and holds
who holds it: pid, host, start time, command. A second build refuses at once
(BuildLocked, exit 2) and names that holder. A holder that died (kill -9)
leaves its name in the file but no lock: the next build takes it over and
says so. An orderly end empties the file before letting go.
"""
from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
import socket
import sys
from pathlib import Path

from nzc_report.errors import NzcError

log = logging.getLogger("nzc_report")
LOCK_FILE = ".build.lock"


class BuildLocked(NzcError):
    """Another build is writing into the same OUT/<year>."""

    exit_code = 2


def _describe(holder: dict) -> str:
    return (f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}, started {holder.get('started', '?')}"
            + (f" ({holder['command']})" if holder.get("command") else ""))


def _read(fd: int) -> dict:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 1 << 16).decode("utf-8") or "{}")
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def alive(pid: object) -> bool:
    """Whether process ``pid`` of this machine still runs (a zombie does not; batch/sweep.py uses it too)."""
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped: a container's init may never reap it) is gone
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class BuildLock:
    """Held from acquire() to release() (or the process's end)."""

    def __init__(self, year_dir: Path, fd: int):
        self.year_dir, self.fd = year_dir, fd

    @classmethod
    def acquire(cls, year_dir: Path) -> "BuildLock":
        year_dir.mkdir(parents=True, exist_ok=True)
        path = year_dir / LOCK_FILE
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            os.close(fd)
            raise BuildLocked(f"{year_dir} is being built by another nzc-report build: {_describe(holder)}. "
                              "Wait for it to end, or build into another --out") from None
        except BaseException:
            os.close(fd)
            raise
        before = _read(fd)
        here = socket.gethostname()
        if before.get("pid") and before.get("pid") != os.getpid():
            state = "no longer running" if before.get("host") == here and not alive(before.get("pid")) else "gone"
            log.warning("%s: took over the lock of a build that ended without releasing it (%s; %s)",
                        year_dir, _describe(before), state)
        me = {"pid": os.getpid(), "host": here,
              "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "command": " ".join(["nzc-report", *sys.argv[1:]])[:300]}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(me, ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)
        return cls(year_dir, fd)

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            os.ftruncate(self.fd, 0)  # ended in order: nothing to take over
        except OSError:
            pass
        finally:
            os.close(self.fd)  # the kernel lets go of the lock
            self.fd = -1


def holder(year_dir: Path) -> str | None:
    """Who holds ``year_dir``'s lock now (a build running there), or None."""
    try:
        fd = os.open(year_dir / LOCK_FILE, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _describe(_read(fd))
    except OSError:
        return None
    finally:
        os.close(fd)
    return None
