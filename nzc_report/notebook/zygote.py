"""Warm kernels: a template process that forks a fresh ipykernel per notebook.

Starting a kernel costs about 1.5 s of CPU and importing pandas, seaborn and
nzc_report another 1.2 s; the work of one zone is well under a second. The
zygote pays both once: it imports the heavy modules, then, for each kernel
asked of it, forks a child that becomes a brand-new IPKernelApp on the
connection file it is given. Every notebook still runs in its own new
process with a fresh namespace; only already-imported modules are shared,
copy-on-write, exactly as a cold kernel would have them after its imports.

Every process of the build must go when the build goes (kill -9 included): the
zygote leaves when its stdin closes, that is when the worker that started it
goes away, and each kernel it forks asks the kernel (prctl PR_SET_PDEATHSIG)
for SIGKILL when the zygote goes.

The zygote also installs shipped.install(): datasets travel with the tasks.

Protocol: one JSON object per line on stdin ({"argv", "cwd", "env"}), one
JSON reply per line on stdout ({"pid"} or {"error"}).
"""
from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import signal
import sys

# Imported before any fork: what every zone notebook imports, and what a new kernel imports
# while it starts (ipykernel.debugger: debugpy, a third of a kernel's start-up CPU) or runs the
# notebooks (the schema validators, the tables' HTML); a module left out costs each kernel its import.
WARM_MODULES = [
    "numpy", "pandas", "matplotlib", "matplotlib.figure", "matplotlib.backends.backend_svg", "seaborn",
    "yaml", "IPython", "ipykernel.kernelapp", "ipykernel.ipkernel", "zmq",
    "ipykernel.debugger", "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
    "IPython.core.logger", "tornado.gen", "tornado.queues", "tornado.platform.asyncio", "xml.dom.minidom",
    "jsonschema", "pandas.io.formats.html", "pandas.io.formats.string", "pandas.core.reshape.reshape",
    "pandas.core.methods.to_dict",
    "nzc_report.dataset", "nzc_report.assess", "nzc_report.assess.framework", "nzc_report.findings",
    "nzc_report.findings.results", "nzc_report.findings.annual", "nzc_report.findings.tables",
    "nzc_report.render.narrative", "nzc_report.charts", "nzc_report.charts.summary", "nzc_report.summary",
    "nzc_report.atomic", "nzc_report.yamlfile",
]
# The schemas the notebooks check their params files against (framework, rules: the zone
# notebook; summary: the summaries'), and the results contract every notebook checks
# results.json against (the zone's as it writes it, the summaries' as they read each zone's):
# each validator is built (its schema checked: 0.27 s of CPU for results) once, here
# (_warm_caches), with the message catalogues.
NOTEBOOK_SCHEMAS = ("framework", "rules", "summary", "results")
# The params files the notebooks check (the shipped ones; a build's task reads its own copy): their
# problems found once here, by text (yamlfile.check_file remembers them so), not in every kernel.
NOTEBOOK_PARAMS = (("frameworks/*.yaml", "framework"), ("rules.yaml", "rules"), ("summary.yaml", "summary"))


def die_with_parent(parent: int) -> None:
    """Asks Linux for SIGKILL when ``parent`` goes; exits now if it already went."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the kernel's own parent poller remains
        pass
    if os.getppid() != parent:
        os._exit(1)


def _reap(signum, frame) -> None:
    try:
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return
    except ChildProcessError:
        return


def _become_kernel(request: dict, inherited_fds: list[int], zygote: int) -> None:
    """In the child: detach from the zygote's pipes and run a new kernel."""
    from nzc_report.notebook.kernel_log import kernel_log

    die_with_parent(zygote)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setpgid(0, 0)  # its own process group, as jupyter_client signals the group
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    log = kernel_log(request.get("env"))  # the build's log, where the build names it (else the template's stderr)
    if log is not None:
        os.dup2(log, 2)
        os.close(log)
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


def _warm_caches() -> None:
    """What every notebook would otherwise build again from the same files: the schema
    validators and the message catalogues (files of the package, as the kernels read them)."""
    from nzc_report.render.messages import LANGS, catalogue
    from nzc_report.resources import PARAMS_DIR
    from nzc_report.yamlfile import _validator, check_file, schema_path, schema_predicate

    for name in NOTEBOOK_SCHEMAS:
        if schema_path(name).is_file():
            _validator(str(schema_path(name)))
    schema_predicate(str(schema_path("results")))  # what results_errors asks first (20 ms to compile)
    for pattern, schema in NOTEBOOK_PARAMS:
        for path in sorted(PARAMS_DIR.glob(pattern)):
            check_file(path, schema)
    for lang in LANGS:
        catalogue(lang)


def serve() -> None:
    import gc
    import importlib

    import matplotlib

    matplotlib.use("svg")
    for name in WARM_MODULES:
        # debugpy warns on stderr, at import, that frozen modules may hide breakpoints: a
        # debugger's matter, not the build's log (a kernel imports it after redirecting stderr)
        with contextlib.redirect_stderr(io.StringIO()) if name == "ipykernel.debugger" else contextlib.nullcontext():
            importlib.import_module(name)
    import pandas

    # pandas fixes its column limit at import by whether a Jupyter kernel is running: none is in
    # the template yet, so it chose 0 (fit a terminal: columns elided as "..."). A kernel's pandas
    # has 20; the working papers of warm and cold kernels must be the same.
    pandas.set_option("display.max_columns", 20)
    from nzc_report.notebook.shipped import install

    install()
    _warm_caches()
    # What the template holds stays out of the kernels' garbage collections (a full one would
    # walk, and copy on write, every object of the template in every kernel).
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, _reap)
    zygote = os.getpid()
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in requests:
        try:
            request = json.loads(line)
            pid = os.fork()
        except Exception as exc:
            replies.write(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
            replies.flush()
            continue
        if pid == 0:
            code = 0
            try:
                _become_kernel(request, [requests.fileno(), replies.fileno()], zygote)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        replies.write(json.dumps({"pid": pid}) + "\n")
        replies.flush()


if __name__ == "__main__":
    try:
        serve()
    except KeyboardInterrupt:  # Ctrl-C to the build's process group: the build stops it; no traceback
        raise SystemExit(130) from None
