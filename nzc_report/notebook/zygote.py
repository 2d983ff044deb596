"""Warm kernels: a template process that forks a fresh ipykernel per notebook.

Starting a kernel costs about 1.5 s of CPU and importing pandas, seaborn and
nzc_report another 1.2 s; the work of one zone is well under a second. The
zygote pays both once: it imports the heavy modules, then, for each kernel
asked of it, forks a child that becomes a brand-new IPKernelApp on the
connection file it is given. Every notebook still runs in its own new
process with a fresh namespace; only already-imported modules are shared,
copy-on-write, exactly as a cold kernel would have them after its imports.

It can also read the build's dataset once ({"preload": path}): every zone
notebook starts with load_dataset(data), which is then answered from memory
as long as the files are unchanged (same paths, sizes and mtimes) and the
arguments are the same. The forked kernel gets its own copy-on-write copy;
what the notebook sees is what a fresh load would give.

Protocol: one JSON object per line on stdin ({"argv", "cwd", "env"} or
{"preload"}), one JSON reply per line on stdout ({"pid"}, {"preloaded"} or
{"error"}). The zygote exits when its stdin closes, that is when the worker
that started it goes away.
"""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

# Imported before any fork: what every zone notebook imports.
WARM_MODULES = [
    "numpy", "pandas", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_svg", "seaborn",
    "yaml", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "zmq",
    "nzc_report.dataset", "nzc_report.assess", "nzc_report.assess.framework", "nzc_report.findings",
    "nzc_report.findings.results",
    "nzc_report.charts", "nzc_report.charts.summary", "nzc_report.summary", "nzc_report.atomic",
]


def _fingerprint(path: Path) -> tuple:
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)


def preload_dataset(path: str) -> None:
    """Loads the dataset now, as the zone notebook does (against the framework's
    indicators); later identical load_dataset calls with unchanged files reuse it."""
    import nzc_report.dataset as dataset
    from nzc_report.assess.framework import load_framework
    from nzc_report.resources import params_file

    original = getattr(dataset.load_dataset, "__wrapped__", dataset.load_dataset)
    root = Path(path).resolve()
    kwargs = {"indicator_units": load_framework(params_file("framework.yaml")).units()}
    cached = {"key": (root, _fingerprint(root), tuple(sorted(kwargs.items()))),
              "value": original(root, **kwargs)}

    def load_dataset(path, *args, **kwargs):
        p = Path(path).resolve()
        key = (p, _fingerprint(p) if p.exists() else None, tuple(args) + tuple(sorted(kwargs.items())))
        if key == cached["key"]:
            return cached["value"]
        return original(path, *args, **kwargs)

    load_dataset.__wrapped__ = original
    load_dataset.__doc__ = original.__doc__
    dataset.load_dataset = load_dataset


def _reap(signum, frame) -> None:
    try:
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
    except ChildProcessError:
        return


def _become_kernel(request: dict, inherited_fds: list[int]) -> None:
    """In the child: detach from the zygote's pipes and run a new kernel."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setpgid(0, 0)  # its own process group, as jupyter_client signals the group
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    for fd in inherited_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    os.chdir(request.get("cwd") or os.getcwd())
    if request.get("env") is not None:
        os.environ.clear()
        os.environ.update(request["env"])
    sys.stdin = open(0, closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=request["argv"])


def serve() -> None:
    import importlib

    import matplotlib

    matplotlib.use("svg")
    for name in WARM_MODULES:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, _reap)
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in requests:
        try:
            request = json.loads(line)
            if "preload" in request:
                preload_dataset(request["preload"])
                replies.write(json.dumps({"preloaded": request["preload"]}) + "\n")
                replies.flush()
                continue
            pid = os.fork()
        except Exception as exc:  # noqa: BLE001 - told to the worker, which falls back to a cold start
            replies.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
            replies.flush()
            continue
        if pid == 0:
            code = 0
            try:
                _become_kernel(request, [requests.fileno(), replies.fileno()])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:  # noqa: BLE001
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()


if __name__ == "__main__":
    serve()
