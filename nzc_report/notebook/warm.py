"""The worker's side of warm kernels: a zygote client and a jupyter_client provisioner."""
from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from jupyter_client.provisioning import LocalProvisioner

log = logging.getLogger(__name__)


class Zygote:
    """One per worker process, started on first use, restarted if it died.

    In a build it is started and stopped by the worker's plugin
    (nzc_report.batch.worker.NzcWorkerPlugin): set up once per worker, torn down with it.
    """

    _instance: "Zygote | None" = None
    _lock = threading.RLock()

    def __init__(self):
        from nzc_report.notebook.kernel_log import kernel_log

        log = kernel_log(dict(os.environ))  # its own stderr to the build's log, where the build names it
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "nzc_report.notebook.zygote"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
                                         bufsize=1)
        finally:
            if log is not None:
                os.close(log)
        self.ready = False

    def _wait_ready(self) -> None:
        """Waits for the template's imports (its first reply); kills it if it did not start."""
        if self.ready:
            return
        reply = json.loads(self.proc.stdout.readline() or "{}")
        if not reply.get("ready"):
            self.proc.kill()
            raise RuntimeError("the warm-kernel template process did not start")
        self.ready = True

    def _close_pipes(self) -> None:
        self.proc.stdin.close()
        self.proc.stdout.close()

    @classmethod
    def launch(cls) -> None:
        """Starts the template without waiting for it: its imports run while the caller does other
        work (the worker's plugin: its checks, WeasyPrint's import); get() waits for it."""
        with cls._lock:
            cls._current()

    @classmethod
    def _current(cls) -> "Zygote":
        if cls._instance is None or cls._instance.proc.poll() is not None:
            if cls._instance is not None:  # it died: its pipes go with it
                cls._instance._close_pipes()
            cls._instance = cls()
        return cls._instance

    @classmethod
    def get(cls) -> "Zygote":
        with cls._lock:
            zygote = cls._current()
            try:
                zygote._wait_ready()
            except BaseException:
                cls._instance = None
                zygote._close_pipes()
                raise
            return zygote

    @classmethod
    def stop(cls, timeout: float = 5.0) -> None:
        """Closes the template's stdin (it leaves, its kernels with it) and waits for it."""
        with cls._lock:
            z, cls._instance = cls._instance, None
        if z is None:
            return
        try:
            if not z.ready:  # still importing (launch()): nothing of it is in use
                z.proc.kill()
            z.proc.stdin.close()
            z.proc.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            z.proc.kill()
            z.proc.wait()
        z.proc.stdout.close()

    def fork(self, argv: list[str], cwd: str | None, env: dict | None) -> int:
        with self._lock:
            self.proc.stdin.write(json.dumps({"argv": argv, "cwd": cwd, "env": env}) + "\n")
            self.proc.stdin.flush()
            reply = json.loads(self.proc.stdout.readline() or "{}")
        if "pid" not in reply:
            raise RuntimeError(reply.get("error", "the warm-kernel template process died"))
        return reply["pid"]


class ForkedProcess:
    """Popen's interface for a kernel that is the zygote's child, not ours."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                state = "X"
            if state in ("Z", "X"):
                self.returncode = 0  # its exit status belongs to the zygote, which reaped it
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if timeout is not None and deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        assert self.returncode is not None  # poll() set it
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkingProvisioner(LocalProvisioner):
    """Launches an ipykernel of this interpreter by forking the zygote; anything else as usual."""

    @staticmethod
    def kernel_args(cmd: list[str]) -> list[str] | None:
        """The ipykernel arguments of ``cmd`` if it starts an ipykernel of this interpreter.

        Interpreter flags before ``-m`` (ipykernel's specs add -Xfrozen_modules=off
        for the debugger) do not change what the kernel computes.
        """
        try:
            i = cmd.index("-m")
        except ValueError:
            return None
        if cmd[i + 1:i + 2] != ["ipykernel_launcher"] or Path(cmd[0]).resolve() != Path(sys.executable).resolve():
            return None
        return cmd[i + 2:]

    async def launch_kernel(self, cmd: list[str], **kwargs):
        args = self.kernel_args(cmd)
        if args is None:
            return await super().launch_kernel(cmd, **kwargs)
        try:
            # papermill runs the notebook in its cwd by changing this process's directory
            cwd = kwargs.get("cwd") or os.getcwd()
            pid = Zygote.get().fork(args, cwd, kwargs.get("env"))
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("warm kernel unavailable (%s); starting a cold one", exc)
            return await super().launch_kernel(cmd, **kwargs)
        # jupyter_client's LocalProvisioner.process is inferred as Popen | None; it only calls the
        # Popen methods that ForkedProcess provides (poll, wait, send_signal, kill).
        self.process = ForkedProcess(pid)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid
        self.cwd = cwd
        return self.connection_info
