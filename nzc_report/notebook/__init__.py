"""Running a parameterised notebook through papermill.

The executed notebook is written atomically, and written even when the
notebook fails (papermill puts an error banner in it), before the error is
raised: it is the evaluator's working paper either way.
"""
from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from nzc_report.errors import NotebookExecutionError
from nzc_report.notebook.kernel_log import kernel_log

KERNEL_NAME = "nzc-report"
log = logging.getLogger(__name__)
# Kernel managers of this process whose kernel folder is not removed yet (abandon_kernels).
_LIVE: set = set()


def _unwind_tasks(timeout: float = 5.0) -> None:
    """After a KeyboardInterrupt left nbclient's coroutines pending in this thread's event loop:
    each one cancelled and run to its end (its own clean-up: the kernel shut down, its folder
    removed), for at most ``timeout`` s; none is left to complain as the process exits ("Task
    was destroyed but it is pending", "coroutine … was never awaited")."""
    import asyncio

    from jupyter_core.utils import ensure_event_loop

    try:
        loop = ensure_event_loop()
        tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    except RuntimeError:
        return
    if not tasks or loop.is_running() or loop.is_closed():
        return
    for task in tasks:
        task.cancel()
    try:
        loop.run_until_complete(asyncio.wait(tasks, timeout=timeout))
    except BaseException:  # a second Ctrl-C: the kernels are killed below all the same
        pass
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: not reported as never retrieved
        elif not task.done():
            task._log_destroy_pending = False  # type: ignore[attr-defined]


def abandon_kernels() -> list[str]:
    """The kernels of this process a KeyboardInterrupt cut papermill short on (its asyncio clean-up
    never ran): each one killed (its process group) and its folder (sockets, and the connection
    file that holds its key) removed. The folders removed."""
    import signal

    removed = []
    for km in list(_LIVE):
        provisioner = getattr(km, "provisioner", None)
        pgid, pid = getattr(provisioner, "pgid", None), getattr(provisioner, "pid", None)
        try:
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        except OSError:
            pass  # gone already (the template it was forked from left with the same Ctrl-C)
        shutil.rmtree(km._ipc_dir, ignore_errors=True)
        removed.append(km._ipc_dir)
        _LIVE.discard(km)
    return removed


# After a new kernel's kernel_info reply, jupyter_client drains the kernel's start-up messages
# until IOPub has been quiet for 0.2 s: 0.2 s of a worker's core idle per notebook. Every message
# of a cell is matched to its request by nbclient, so a late start-up message is ignored anyway.
IOPUB_QUIET = 0.02


def _kernel_client_class():
    """jupyter_client's AsyncKernelClient, waiting IOPUB_QUIET, not 0.2 s, for the start-up messages
    to end. As upstream, it is ready only once IOPub has delivered a message (ZeroMQ drops what
    is published before a subscription is made: the first cell's outputs must not be lost)."""
    import time
    from queue import Empty

    from jupyter_client.asynchronous.client import AsyncKernelClient
    from jupyter_core.utils import ensure_async

    class QuickStartClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.time() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    msg = await ensure_async(self.shell_channel.get_msg(timeout=1))
                except Empty:
                    pass
                else:
                    if msg["msg_type"] == "kernel_info_reply":
                        try:  # IOPub connected?
                            await ensure_async(self.iopub_channel.get_msg(timeout=0.2))
                        except Empty:
                            pass
                        else:
                            self._handle_kernel_info_reply(msg)
                            break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.time() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")
            while True:
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=IOPUB_QUIET))
                except Empty:
                    break

        def __del__(self) -> None:
            # a build cut short (Ctrl-C) drops its client with its channels running: upstream then
            # leaves the ZeroMQ context and warns "Could not destroy zmq context" on the user's
            # terminal. Stop the channels first, so the context is destroyed as after a clean run.
            try:
                if self._created_context and self.channels_running:
                    self.stop_channels()
            except Exception:  # at garbage collection nothing may raise
                pass
            super().__del__()

    return QuickStartClient


def _ipc_kernel_manager_class(warm: bool = False):
    """A kernel manager that talks to its kernel over Unix sockets, not TCP ports.

    Kernels started in parallel over TCP race for free ports (papermill#511,
    jupyter_client#154); socket files in a private folder cannot collide.
    With ``warm``, the kernel is forked from a template that has already
    imported the heavy modules (see zygote.py), still one new kernel per notebook.
    """
    import shutil
    import tempfile

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    client = _kernel_client_class()

    class IPCKernelManager(AsyncKernelManager):
        @default("client_factory")
        def _client_factory_default(self):
            return client

        def __init__(self, **kwargs):
            # its pid in the name: a later build sweeps the folder if this process was killed (batch/sweep.py)
            self._ipc_dir = tempfile.mkdtemp(prefix=f"nzc-kernel-{os.getpid()}-")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", f"{self._ipc_dir}/k")
            kwargs.setdefault("connection_file", f"{self._ipc_dir}/kernel.json")  # its key, removed with the folder
            super().__init__(**kwargs)
            _LIVE.add(self)

        async def _async_pre_start_kernel(self, **kw):
            if warm and self.provisioner is None:
                import uuid

                from nzc_report.notebook.warm import ForkingProvisioner

                self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
                self.provisioner = ForkingProvisioner(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                      parent=self)
            return await super()._async_pre_start_kernel(**kw)

        async def _launch_kernel(self, kernel_cmd, **kw):
            """A kernel started here writes its stderr to the build's log (a forked one: zygote.py)."""
            fd = None if warm or "stderr" in kw else kernel_log(kw.get("env"))
            if fd is not None:
                kw["stderr"] = fd
            try:
                return await super()._launch_kernel(kernel_cmd, **kw)
            finally:
                if fd is not None:
                    os.close(fd)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)
                _LIVE.discard(self)

    return IPCKernelManager


def kernel_name() -> str:
    """The venv's own kernel if installed (make setup does), else one registered privately
    for this interpreter (an installed wheel has no make setup), else ipykernel's native one."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        spec = None
    # A kernelspec of another interpreter would run another nzc_report.
    if spec is not None and _is_this_interpreter(spec.argv[0]):
        return KERNEL_NAME
    if register_private_kernel() is not None:
        return KERNEL_NAME
    return "python3"


# --- issue 14: the kernel of an installed wheel --------------------------------------------
def _is_this_interpreter(exe: str) -> bool:
    return exe in ("python", "python3", sys.executable) or Path(exe).resolve() == Path(sys.executable).resolve()


def register_private_kernel() -> Path | None:
    """A kernelspec of this interpreter in a folder of its own prefix, first on JUPYTER_PATH
    (so neither a user's kernels nor another venv's shadow it, and the user's Jupyter does
    not list it). None when the prefix is not writable."""
    import json
    import os

    root = Path(sys.prefix) / "share" / "nzc-report" / "jupyter"
    spec_file = root / "kernels" / KERNEL_NAME / "kernel.json"
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (nzc-report)", "language": "python", "metadata": {"debugger": False}}
    text = json.dumps(spec, indent=1)
    try:
        if not spec_file.is_file() or spec_file.read_text(encoding="utf-8") != text:
            spec_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = spec_file.with_name(f".kernel.json.tmp-{os.getpid()}")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, spec_file)
    except OSError:
        return None
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(root) not in paths:
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(root), *paths])
    return root
# --- end of issue 14 ---------------------------------------------------------------------------


def _failure_kind(exc: BaseException) -> str:
    """error: a cell raised; timeout: a cell ran too long; kernel: it died or never started."""
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return "error"
    if isinstance(exc, CellTimeoutError):
        return "timeout"
    return "kernel"


def _add_error_banner(path: Path, source: Path, parameters: dict, message: str) -> None:
    """Papermill marks a cell that raised; a timeout or a dead kernel gets a banner here.

    When papermill wrote nothing (the kernel died before any save), the working
    paper is the input notebook with the parameters and the banner.
    """
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # nothing readable was written
        nb = nbformat.read(str(source), as_version=4)
        nb.cells.insert(0, nbformat.v4.new_code_cell(
            "# 本次运行的参数（notebook did not run to the end）\n"
            + "\n".join(f"{k} = {v!r}" for k, v in parameters.items())))
    banner = nbformat.v4.new_markdown_cell(
        f'<span style="color:red; font-size:2em">执行失败（Execution failed）</span>\n\n{message}')
    banner.metadata["tags"] = ["nzc-error-banner"]
    nb.cells.insert(0, banner)
    nbformat.write(nb, str(path))


def _reason(exc: BaseException, kind: str, timeout: float | None) -> str:
    if kind == "error":
        from papermill.exceptions import PapermillExecutionError

        assert isinstance(exc, PapermillExecutionError)  # what _failure_kind calls an error
        return f"{exc.ename}: {exc.evalue}"
    if kind == "timeout":
        return f"a cell ran longer than the {timeout:g} s timeout"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def _papermill_path(target: Path):
    """Like atomic.atomic_path, but the temporary file ends in .ipynb (papermill warns
    otherwise), so it sits in a hidden temporary folder that does not."""
    target.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    try:
        tmp = folder / target.name
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def kernel_startup_lines() -> list[str]:
    """Run in every kernel before the notebook: datasets shipped with a task (see shipped.py)."""
    return ["--IPKernelApp.exec_lines=__import__('nzc_report.notebook.shipped').notebook.shipped.install()"]


def execute(notebook: Path, output: Path, parameters: dict, *, zone_id: str,
            timeout: float | None = 600, cwd: Path | None = None, warm: bool = False) -> None:
    """Runs ``notebook`` with ``parameters`` into ``output``.

    Raises NotebookExecutionError (with ``kind`` error, timeout or kernel) after
    the executed notebook, showing the error, has been written.
    """
    import papermill as pm

    failure: NotebookExecutionError | None = None
    with _papermill_path(output) as tmp:
        try:
            pm.execute_notebook(
                str(notebook), str(tmp), parameters=parameters,
                kernel_name=kernel_name(), language="python",
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                # the outputs are all in once the last cell is idle: the kernel is killed, not
                # asked to leave (up to 0.3 s of a worker's core idle while it does)
                shutdown_kernel="immediate",
                execution_timeout=timeout, cwd=str(cwd) if cwd else None,
                kernel_manager_class=_ipc_kernel_manager_class(warm),
                # The kernel's own log only repeats what the executed notebook shows
                # (and a KeyboardInterrupt line at every shutdown). No input history: a kernel
                # runs one notebook, and the history database (SQLite, a thread) is not its business.
                extra_arguments=["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False",
                                 *kernel_startup_lines()],
            )
        except KeyboardInterrupt:  # Ctrl-C in this process (the in-process executor): no kernel left behind
            _unwind_tasks()
            abandon_kernels()
            raise
        except Exception as exc:
            kind = _failure_kind(exc)
            reason = _reason(exc, kind, timeout)
            if kind != "error" or tmp.stat().st_size == 0:
                _add_error_banner(tmp, notebook, parameters, reason)
            failure = NotebookExecutionError(zone_id, reason, str(output), kind=kind)
            failure.__cause__ = exc
    if failure is not None:
        raise failure
