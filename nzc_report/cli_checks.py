"""Every command-line value checked before anything is read or written (issue 26).

Numbers finite and in range, years four-digit, zone lists non-empty, the
scheduler address well-formed, paths of the right kind: a value that fails is
a UsageError of one line (exit 2), from the catalogue cli_messages.yaml. The
ranges are stated once, here. The assessment year against the dataset's own
years is checked once the dataset is read (Dataset.assessment_year), still
before anything is written.
"""
from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
from pathlib import Path

from nzc_report.dataset.catalogue import one_line
from nzc_report.dataset.schema import SLUG_RE
from nzc_report.errors import UsageError
from nzc_report.messages import LANGS, catalogue, say

# option → (lowest, highest) of its value
RANGES: dict[str, tuple[float, float]] = {
    "max_file_mb": (0.001, 4096),  # a file-size limit in MB: a byte to 4 GB
    "timeout": (1, 86400),  # seconds a zone's notebook may run: a second to a day
    "jobs": (1, 256),
    "synth_zones": (1, 100000),
}
YEARS = (1900, 2100)  # as the dataset's years (dataset/limits.yaml)
_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))"
                      r":(\d{1,5})$")


@contextlib.contextmanager
def argparse_speaking(lang: str):
    """argparse's own words ("usage:", "options", "the following arguments are required") in
    ``lang``: argparse asks gettext for each (argparse._ and argparse.ngettext, looked up when a
    message is made), so for the block they are looked up in cli_messages.yaml's argparse table
    (English: argparse's own). Restored after the block."""
    if lang == "en":
        yield
        return
    table = catalogue()["argparse"]
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda text: table.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: table.get(one if n == 1 else many, one if n == 1 else many)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def lang_of_argv(argv: list[str]) -> str | None:
    """--lang's value as typed (--lang en, --lang=en), before argparse has read the line."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGS else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGS else None
    return None


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage error said in one line (no usage dump), exit 2."""

    def error(self, message: str):
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)


def _number(args, name: str, option: str, lang: str | None, low_high: tuple[float, float]) -> None:
    value = getattr(args, name, None)
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(say("not_finite", lang, option=option, value=one_line(value)))
    low, high = low_high
    if not low <= value <= high:
        raise UsageError(say("out_of_range", lang, option=option, value=one_line(value), low=f"{low:g}", high=f"{high:g}"))


def _exists(path: Path, option: str, lang: str | None) -> None:
    if not _present(path):
        raise UsageError(say("no_such_path", lang, option=option, value=one_line(path)))


def _present(path: Path) -> bool:
    """Whether ``path`` exists; False for what no file system holds (a NUL byte, a name too long)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _creatable(path: Path, option: str, lang: str | None, folder: bool) -> None:
    """``path`` is a folder (``folder``) or may be made one; or, a file to write, its folder is."""
    if "\0" in str(path) or any(len(part.encode()) > 255 for part in path.parts):
        raise UsageError(say("not_creatable", lang, option=option, value=repr(str(path)),
                             reason=_reason("name", lang)))
    if _present(path):
        if folder and not path.is_dir():
            raise UsageError(say("not_creatable", lang, option=option, value=one_line(path), reason=_reason("file", lang)))
        return
    parent = path.parent if not folder else path
    while not _present(parent):
        parent = parent.parent
    if not parent.is_dir():
        raise UsageError(say("not_creatable", lang, option=option, value=one_line(path), reason=_reason("file", lang)))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(say("not_creatable", lang, option=option, value=one_line(path), reason=_reason("read_only", lang)))


def _reason(kind: str, lang: str | None) -> str:
    words = {"file": ("路径中有同名文件", "a file is in the way"),
             "read_only": ("所在位置不可写", "the place is not writable"),
             "name": ("不是有效的文件名", "not a valid file name")}[kind]
    return words[0] if lang == "zh" else words[1]


def check_scheduler(value: str | None, option: str, lang: str | None) -> None:
    if value is None:
        return
    m = _ADDRESS.match(value.strip())
    if not m or not 1 <= int(m[3]) <= 65535:
        raise UsageError(say("scheduler", lang, option=option, value=one_line(value)))


def check_args(args) -> None:
    """The values of ``args`` (parsed by cli.make_parser); UsageError on the first that fails."""
    lang = getattr(args, "lang", None)
    command = args.command
    _number(args, "max_file_mb", "--max-file-mb", lang, RANGES["max_file_mb"])
    _number(args, "timeout", "--timeout", lang, RANGES["timeout"])
    _number(args, "jobs", "--jobs", lang, RANGES["jobs"])
    year = getattr(args, "year", None)
    if year is not None and not YEARS[0] <= year <= YEARS[1]:
        raise UsageError(say("year_range", lang, value=one_line(year), low=YEARS[0], high=YEARS[1]))
    if command == "synth":
        _number(args, "zones", "--zones", lang, RANGES["synth_zones"])
        _creatable(args.out, "--out", lang, folder=True)
        return
    zones = getattr(args, "zones", None)
    if zones is not None:
        if not zones:
            raise UsageError(say("empty_list", lang, option="--zones"))
        for z in zones:
            if not SLUG_RE.match(z):
                raise UsageError(say("not_slug", lang, option="--zones", value=repr(z)))
    if getattr(args, "province", None) is not None and not args.province.strip():
        raise UsageError(say("empty_text", lang, option="--province"))
    if command == "build":
        check_scheduler(args.scheduler, "--scheduler", lang)
        check_scheduler(os.environ.get("DASK_SCHEDULER_ADDRESS") if args.scheduler is None else None,
                        "DASK_SCHEDULER_ADDRESS", lang)
        if args.notebook is not None:
            _exists(args.notebook, "--notebook", lang)
            if not args.notebook.is_file() or args.notebook.suffix != ".ipynb":
                raise UsageError(say("not_a_notebook", lang, option="--notebook", value=one_line(args.notebook)))
        if args.compare_to is not None:
            _exists(args.compare_to, "--compare-to", lang)
    data = getattr(args, "data", None)
    if data is not None:
        _exists(data, "--data", lang)
        if not data.is_dir() and not (data.is_file() and data.suffix.lower() == ".xlsx"):
            raise UsageError(say("not_data", lang, option="--data", value=one_line(data)))
    # --params: cli._apply_workspace says "no such folder" (a workspace may name it too)
    out = getattr(args, "out", None)
    if out is not None:
        if command in ("build", "synth"):
            _creatable(out, "--out", lang, folder=True)
        elif command == "verify":
            _exists(out, "--out", lang)
            if not out.is_dir():
                raise UsageError(say("not_a_folder", lang, option="--out", value=one_line(out)))
        elif command in ("template", "export"):
            if out.suffix.lower() != ".xlsx":
                raise UsageError(say("not_xlsx_name", lang, option="--out", value=one_line(out)))
            _creatable(out, "--out", lang, folder=False)
    if command == "init":
        _creatable(args.dir, "DIR", lang, folder=True)
