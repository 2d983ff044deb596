"""WeasyPrint with a restricted fetcher, fast subsetting checked, warnings captured."""
from __future__ import annotations

import gc
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from nzc_report.errors import EnvironmentProblem, UsageError

# The archival and accessibility variants the CLI offers (--pdf-variant). Every
# report is tagged (structure tree, reading order, alt texts) whatever the variant.
PDF_VARIANTS = ("pdf/a-2b", "pdf/ua-1")

HARFBUZZ_SUBSET_MESSAGE = (
    "libharfbuzz-subset is not installed: WeasyPrint would fall back to fontTools "
    "subsetting and one Chinese report would take 20-50 s instead of under a second. "
    "Install it (Debian/Ubuntu: apt-get install libharfbuzz-subset0), or run `make reports`, "
    "which installs it."
)


def linker_cache_lookup() -> Callable[[str], str | None]:
    """A find_library for Linux answered from one read of the linker cache (``ldconfig -p``) with
    ctypes.util's own pattern: the stock lookup's first step, without its gcc and ld steps."""
    import os
    import re
    import subprocess
    import sys

    cache: list[bytes] = []
    machine = os.uname().machine + ("-64" if sys.maxsize > 2**32 else "-32")
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")  # as ctypes.util's

    def find_library(name: str) -> str | None:
        if not cache:
            try:
                cache.append(subprocess.run(["/sbin/ldconfig", "-p"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, env={"LC_ALL": "C", "LANG": "C"}).stdout)
            except OSError:
                cache.append(b"")
        found = re.search(os.fsencode(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({abi}"), cache[0])
        return os.fsdecode(found.group(1)) if found else None

    return find_library


@contextmanager
def libraries_from_the_linker_cache() -> Iterator[None]:
    """ctypes.util.find_library is linker_cache_lookup() while WeasyPrint loads its libraries.

    WeasyPrint tries several names per library (``libgobject-2.0-0``, ``gobject-2.0-0``,
    ``gobject-2.0``, ``libgobject-2.0.so.0`` …); cffi asks find_library for each name it cannot
    open, and for a name the linker cache lacks the stock lookup runs ldconfig, then gcc, then ld:
    16 of WeasyPrint's 22 names on Debian 12, about 1.2 s of wall a process (several seconds on a
    loaded machine). A name the cache knows gets the stock lookup's answer (the same pattern over
    the same text); a name it lacks gets None at once, and WeasyPrint goes on to its next name:
    each library is opened by the soname the stock lookup returned (WeasyPrint lists it too).
    harfbuzz_subset_available imports WeasyPrint the stock way if this way fails."""
    import ctypes.util
    import sys

    stock = ctypes.util.find_library
    if not sys.platform.startswith("linux"):
        yield
        return
    ctypes.util.find_library = linker_cache_lookup()  # type: ignore[assignment]  # (a Callable: its parameter unnamed)
    try:
        yield
    finally:
        ctypes.util.find_library = stock


def harfbuzz_subset_available() -> bool:
    """What WeasyPrint itself found when it loaded its libraries."""
    import sys
    import warnings

    with warnings.catch_warnings():
        # WeasyPrint warns (DeprecationWarning) at import when the library is missing;
        # we report that ourselves, with what to install.
        warnings.simplefilter("ignore", DeprecationWarning)
        if "weasyprint.text.ffi" not in sys.modules:
            try:
                with libraries_from_the_linker_cache():
                    from weasyprint.text import ffi
            except OSError:  # a library the linker cache does not hold: the stock lookup, as WeasyPrint does it
                for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
                    del sys.modules[name]
        from weasyprint.text import ffi
    return ffi.harfbuzz_subset is not None


def check_harfbuzz_subset() -> None:
    if not harfbuzz_subset_available():
        raise EnvironmentProblem(HARFBUZZ_SUBSET_MESSAGE)


class _CaptureWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pdf_options(pdf_variant: str | None) -> dict:
    """WeasyPrint options of a report: tagged by default, plus the variant asked for. Custom
    metadata: the data digest a report cites (<meta name="nzc-zone-data-sha256"> becomes the
    document information entry /nzczonedatasha256; a summary's /nzcdatasetsha256)."""
    if pdf_variant is not None and pdf_variant not in PDF_VARIANTS:
        raise UsageError(f"unknown PDF variant '{pdf_variant}': use one of {', '.join(PDF_VARIANTS)}")
    options: dict[str, bool | str] = {"pdf_tags": True, "custom_metadata": True}
    if pdf_variant:
        options["pdf_variant"] = pdf_variant
    return options


def _restricted_fetcher(allowed_roots: list[Path]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [r.resolve() for r in allowed_roots]

    class ProjectOnlyFetcher(URLFetcher):
        """Fetches only files below the project's templates and the zone's own folder."""

        def fetch(self, url, headers=None):
            from urllib.parse import unquote, urlparse

            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if any(path == r or r in path.parents for r in roots):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to fetch {url}: only project files may be loaded")

    return ProjectOnlyFetcher(allowed_protocols=["file"])


@cache
def font_config():
    """One WeasyPrint font configuration per process, shared by every document it renders:
    the reports declare no @font-face, so it only holds fontconfig's view of the system fonts,
    which building anew for each report cost ~0.1 s of CPU (benchmarks/render_cpu.py)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


_SHEETS: dict[tuple[str, int, int], tuple[object, tuple[str, ...]]] = {}  # parsed sheet, its warnings


def stylesheet(path: Path):
    """``path`` parsed once per process (and again if the file changes), for every document
    that uses it: parsing report.css cost ~50 ms of CPU per report. The warnings WeasyPrint
    logs while parsing are logged again for each later document, so every report lists them."""
    from weasyprint import CSS

    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    logger = logging.getLogger("weasyprint")
    if key in _SHEETS:
        css, messages = _SHEETS[key]
        for message in messages:
            logger.warning("%s", message)
        return css
    capture = _CaptureWarnings()
    logger.addHandler(capture)
    try:
        css = CSS(filename=key[0], url_fetcher=_restricted_fetcher([path.parent]), font_config=font_config())
    finally:
        logger.removeHandler(capture)
    _SHEETS[key] = (css, tuple(capture.messages))
    return css


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while WeasyPrint renders, back on after.

    A render allocates some hundred thousand objects that live until its end (boxes,
    styles, layouts); the collector, run every 700 allocations, kept walking them:
    ~300 collections, two of them full, 0.6-0.8 s of a 4 s report (gc.callbacks).
    Off, the render's garbage is freed by reference counting as before, and its
    few cycles by the first collection after it: ~0.4 s less CPU per report for
    ~35 MB more at the peak (benchmarks/render_cpu.py, zj-meishan)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def write_pdf(html: str, target: Path, *, base_url: Path, allowed_roots: list[Path],
              pdf_options: dict | None = None, stylesheets: tuple[Path, ...] = ()) -> list[str]:
    """Renders ``html`` into ``target`` (atomically) with ``stylesheets`` after its own (each
    parsed once per process); returns WeasyPrint's warnings."""
    check_harfbuzz_subset()
    import weasyprint

    from nzc_report.atomic import atomic_path

    capture = _CaptureWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(capture)
    try:
        with warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile (PDF/A output intent) and never closes it;
            # collect it here, where that one known leak is not reported as ours.
            warnings.filterwarnings("ignore", category=ResourceWarning, message=r".*sRGB2014\.icc")
            doc = weasyprint.HTML(string=html, base_url=str(base_url) + "/",
                                  url_fetcher=_restricted_fetcher(allowed_roots))
            options = pdf_options or {}
            with atomic_path(target) as tmp, collector_paused():
                doc.write_pdf(tmp, font_config=font_config(), stylesheets=[stylesheet(p) for p in stylesheets],
                              **options)
            del doc
            if options.get("pdf_variant"):
                # Only the archival variants open the profile; a full collection of a worker's
                # heap costs 0.2-0.4 s of CPU per report, so the default reports skip it.
                gc.collect()
    finally:
        logger.removeHandler(capture)
    return capture.messages
