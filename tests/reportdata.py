"""Zone results for the report tests, computed in-process the way the notebook does
(dataset → assess → findings → results.json → charts), from the tiny dataset."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from nzc_report.assess import assess_zone, load_framework, resolve_year
from nzc_report.atomic import write_json
from nzc_report.charts import write_zone_charts
from nzc_report.dataset import load_dataset
from nzc_report.findings import evaluate_findings, load_rules
from nzc_report.findings.results import build_results
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR

TINY = Path(__file__).parent / "data" / "tiny"


@cache
def _tiny():
    """The tiny dataset, read once per process: its folder is read-only to the tests, and the
    pipeline below never changes a dataset (a fresh load costs 0.25 s of CPU a call)."""
    return load_dataset(TINY)


def _dataset(data: Path):
    """The tiny dataset or the sample (tests/sampledata.py: its tables as loaded without indicator ids),
    read once per process; another dataset is loaded."""
    if data == TINY:
        return _tiny()
    if data == SAMPLE_DATA_DIR:
        import sampledata

        return sampledata.dataset()
    return load_dataset(data)


def zone_results(zone_id: str, *, data: Path = TINY, zone_params: dict | None = None, lang: str = "zh") -> dict:
    ds = _dataset(data)
    year = resolve_year(ds, None)
    assessment = assess_zone(ds, zone_id, year, load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml"))
    findings = evaluate_findings(assessment, load_rules(PARAMS_DIR / "rules.yaml"))
    from nzc_report.render.narrative import narrate_findings  # the notebook fills the sentences in the build language
    return narrate_findings(build_results(ds, assessment, findings, zone_params=zone_params or {}), lang)


def write_zone_dir(folder: Path, results: dict, lang: str = "zh") -> Path:
    """A zone folder as the kernel leaves it: figures/*.svg and results.json."""
    folder.mkdir(parents=True, exist_ok=True)
    results = json.loads(json.dumps(results))
    results["figures"] = write_zone_charts(results, folder / "figures", lang=lang)
    write_json(folder / "results.json", results)
    return folder
