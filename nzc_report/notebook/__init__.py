"""Running a parameterised notebook through papermill.

The executed notebook is written atomically, and written even when the
notebook fails (papermill puts an error banner in it), before the error is
raised: it is the evaluator's working paper either way.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from nzc_report.errors import NotebookExecutionError

KERNEL_NAME = "nzc-report"
log = logging.getLogger(__name__)


def _ipc_kernel_manager_class():
    """A kernel manager that talks to its kernel over Unix sockets, not TCP ports.

    Kernels started in parallel over TCP race for free ports (papermill#511,
    jupyter_client#154); socket files in a private folder cannot collide.
    """
    import shutil
    import tempfile

    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            self._ipc_dir = tempfile.mkdtemp(prefix="nzc-kernel-")
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", f"{self._ipc_dir}/k")
            super().__init__(**kwargs)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart:
                shutil.rmtree(self._ipc_dir, ignore_errors=True)

    return IPCKernelManager


def kernel_name() -> str:
    """The venv's own kernel if installed (make setup does), else ipykernel's native one."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return "python3"
    # A kernelspec of another interpreter would run another nzc_report.
    exe = spec.argv[0]
    if exe in ("python", "python3", sys.executable) or Path(exe).resolve() == Path(sys.executable).resolve():
        return KERNEL_NAME
    return "python3"


def execute(notebook: Path, output: Path, parameters: dict, *, zone_id: str,
            timeout: float | None = 600, cwd: Path | None = None) -> None:
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    from nzc_report.atomic import atomic_path

    failure: Exception | None = None
    with atomic_path(output) as tmp:
        try:
            pm.execute_notebook(
                str(notebook), str(tmp), parameters=parameters,
                kernel_name=kernel_name(), language="python",
                progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                execution_timeout=timeout, cwd=str(cwd) if cwd else None,
                kernel_manager_class=_ipc_kernel_manager_class(),
            )
        except PapermillExecutionError as exc:
            failure = exc
        except Exception as exc:  # kernel died, timed out, failed to start
            failure = exc
            if not tmp.exists() or tmp.stat().st_size == 0:
                raise NotebookExecutionError(zone_id, f"{type(exc).__name__}: {exc}") from exc
    if failure is not None:
        reason = failure.evalue if hasattr(failure, "evalue") else f"{type(failure).__name__}: {failure}"
        raise NotebookExecutionError(zone_id, f"{getattr(failure, 'ename', type(failure).__name__)}: {reason}",
                                     str(output)) from failure
