"""The Python API for analysts, at the package root: ``nzc_report.validate``, ``nzc_report.build``,
``nzc_report.explain`` and ``nzc_report.load_results``. The command line calls the same functions'
parts; these return typed objects instead of printing.

>>> import nzc_report
>>> from nzc_report.resources import SAMPLE_DATA_DIR
>>> checked = nzc_report.validate(SAMPLE_DATA_DIR)
>>> len(checked.zone_ids), checked.is_sample
(31, True)
>>> checked.year
2024
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nzc_report.batch import BuildOptions, BuildResult
from nzc_report.batch.explain import Explanation
from nzc_report.results_model import ZoneResults, read_results
from nzc_report.yamlfile import speaking

__all__ = ["Validation", "validate", "build", "explain", "load_results", "BuildResult", "Explanation", "ZoneResults"]


@dataclass(frozen=True)
class Validation:
    """A dataset that passed every check: its zones, its latest assessment year, its warnings."""

    source: Path
    zone_ids: list[str]
    year: int  # the default assessment year: the latest with emissions data
    is_sample: bool
    warnings: list[str] = field(default_factory=list)


def validate(data: str | Path | None = None, *, params: str | Path | None = None, lang: str = "zh",
             max_file_mb: float = 50) -> Validation:
    """Checks a dataset (a folder of CSV files or a dataset.xlsx; default: the sample) as a build
    does, with the zones' parameters; raises ``nzc_report.errors.DatasetError`` or ``ConfigError``
    with every problem found.

    >>> from nzc_report.resources import SAMPLE_DATA_DIR
    >>> validate(SAMPLE_DATA_DIR, lang="en").zone_ids[:2]
    ['gd-nanao', 'gd-wanshan']
    """
    from nzc_report.batch.plan import load_zone_params
    from nzc_report.config import load_shared_params
    from nzc_report.dataset import load_dataset
    from nzc_report.resources import SAMPLE_DATA_DIR, use_params

    overlay = Path(params) if params is not None else None
    with use_params(overlay), speaking(lang):  # the problems in ``lang``, as the dataset's
        frameworks = load_shared_params(overlay)
        ds = load_dataset(Path(data) if data is not None else SAMPLE_DATA_DIR,
                          max_file_bytes=int(max_file_mb * 1024 * 1024), lang=lang,
                          indicator_units=frameworks.units(), programmes=frameworks.ids())
        load_zone_params(ds.zone_ids, overlay)
    return Validation(Path(ds.source), list(ds.zone_ids), ds.assessment_year(None, lang), ds.is_sample,
                      [str(w) for w in ds.warnings])


def _options(data, out, year, zones, province, lang, force, jobs, params) -> BuildOptions:
    from nzc_report.resources import SAMPLE_DATA_DIR

    return BuildOptions(data=Path(data) if data is not None else SAMPLE_DATA_DIR, year=year, out=Path(out),
                        zones=list(zones) if zones else None, province=province, jobs=jobs, lang=lang, force=force,
                        params=Path(params) if params is not None else None)


def build(data: str | Path | None = None, *, out: str | Path = "build", year: int | None = None,
          zones: list[str] | None = None, province: str | None = None, lang: str = "zh", force: bool = False,
          jobs: int | None = None, params: str | Path | None = None) -> BuildResult:
    """Builds the zones' reports, the summaries and the portal into ``out``/<year>, as
    ``nzc-report build`` does; returns what happened to each (``result.outcomes``, ``result.failed``,
    ``result.exit_code``). Only what changed is built again. See docs/api-example.ipynb."""
    from nzc_report.batch import build as run_build
    from nzc_report.system import check_cjk_fonts

    with speaking(lang):
        check_cjk_fonts()
        return run_build(_options(data, out, year, zones, province, lang, force, jobs, params))


def explain(data: str | Path | None = None, *, out: str | Path = "build", year: int | None = None,
            zones: list[str] | None = None, province: str | None = None, lang: str = "zh", force: bool = False,
            params: str | Path | None = None) -> Explanation:
    """What ``build`` with the same arguments would build, and why (``item.reasons``: codes such as
    ``data``, ``params``, ``framework``, ``new``, ``failed_before``, ``forced``); writes nothing.

    >>> import tempfile
    >>> from nzc_report.resources import SAMPLE_DATA_DIR
    >>> plan = explain(SAMPLE_DATA_DIR, out=tempfile.mkdtemp(), zones=["gd-nanao"])
    >>> [(item.id, item.reasons) for item in plan.to_build if item.kind == "zone"]
    [('gd-nanao', ('new',))]
    """
    from nzc_report.batch import Build
    from nzc_report.batch.explain import explain as run_explain
    from nzc_report.resources import use_params

    options = _options(data, out, year, zones, province, lang, force, None, params)
    with use_params(options.params), speaking(lang):
        return run_explain(options, Build)


def load_results(path: str | Path) -> ZoneResults | dict[str, ZoneResults]:
    """A zone's results.json as a typed ``ZoneResults`` (a results.json, or a zone's folder), or
    every zone's of a build (its year folder, OUT/<year>: a dict by zone id). Validated against
    the contract (``ResultsError`` otherwise).

    >>> load_results("no/such/folder")
    Traceback (most recent call last):
    ...
    FileNotFoundError: no/such/folder: neither a results.json, a zone's folder nor a build's year folder
    """
    path = Path(path)
    if path.is_file():
        return read_results(path)
    if (path / "results.json").is_file() and not (path / "zones").is_dir():
        return read_results(path / "results.json")
    if (path / "zones").is_dir():
        return {p.parent.name: read_results(p) for p in sorted((path / "zones").glob("*/results.json"))}
    raise FileNotFoundError(f"{path}: neither a results.json, a zone's folder nor a build's year folder")
