"""WeasyPrint's libraries found from the linker cache (render/pdf.py): the stock lookup's answers
for the names it finds there, None at once for the others, and ctypes.util left as it was."""
import ctypes.util
import subprocess
import sys

import pytest

from nzc_report.render.pdf import libraries_from_the_linker_cache, linker_cache_lookup

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the linker cache is Linux's")
# the names of WeasyPrint's libraries that ctypes.util finds in the linker cache (its first step, no gcc)
FOUND = ("gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "pangoft2-1.0")


def test_a_name_in_the_linker_cache_gets_the_stock_answer():
    find = linker_cache_lookup()
    for name in FOUND:
        assert find(name) == ctypes.util.find_library(name) is not None, name


def test_a_name_not_in_the_linker_cache_is_none_without_running_a_compiler(monkeypatch):
    find = linker_cache_lookup()
    assert find("harfbuzz") is not None  # the cache read
    ran = []
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: ran.append(a) or pytest.fail("a process started"))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a) or pytest.fail("a process started"))
    for name in ("libgobject-2.0-0", "gobject-2.0-0", "libharfbuzz-vector-0.dll", "libharfbuzz.0.dylib"):
        assert find(name) is None, name
    assert ran == []


def test_the_stock_lookup_is_back_after_weasyprint_loaded():
    stock = ctypes.util.find_library
    with libraries_from_the_linker_cache():
        assert ctypes.util.find_library is not stock
    assert ctypes.util.find_library is stock
    with pytest.raises(OSError), libraries_from_the_linker_cache():
        raise OSError("a library not found")
    assert ctypes.util.find_library is stock
