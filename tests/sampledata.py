"""The sample (示例数据) loaded and assessed once per test process, with the shipped framework and rules.

Several modules read every sample zone's assessment for 2024 (test_findings_sample, test_report_words,
test_judgement_property, test_results_model, and through recdata test_recommendations and
test_review_circles); each made its own (a load and 31 assessments, about 2.5 s of CPU, and as much
again for last year's results). Here each is made once per process:

- the dataset and the assessments are shared, read-only: nothing downstream changes them (findings,
  results and the narrative build new objects; an assessment's ZoneData only fills its memo of the
  rows it read, the same rows whoever reads them);
- last year's results (``previous_year_results``) are dicts a test may change: each caller gets a copy.

Findings are evaluated by each test itself (a few ms a zone): they are dicts the narrative fills.
"""
from __future__ import annotations

import copy
import json
from functools import cache

from engine_data import sample_units, shipped_framework, shipped_rules
from nzc_report.assess import Framework, ZoneAssessment, assess_zone
from nzc_report.dataset import Dataset, load_dataset
from nzc_report.findings import annual
from nzc_report.resources import SAMPLE_DATA_DIR


@cache
def dataset() -> Dataset:
    """The sample, checked against every shipped framework's indicator ids (the tables are the same
    as loaded without them: the ids only add checks)."""
    return load_dataset(SAMPLE_DATA_DIR, indicator_units=sample_units())


@cache
def framework() -> Framework:
    return shipped_framework()


@cache
def rules() -> dict:
    return shipped_rules()


@cache
def assessment(zone_id: str, year: int = 2024) -> ZoneAssessment:
    """The zone's assessment under the near-zero framework (shared: read it, do not change it)."""
    return assess_zone(dataset(), zone_id, year, framework())


@cache
def _previous(zone_id: str, year: int, params: str) -> dict | None:
    return annual.previous_year_results(dataset(), zone_id, year, framework(), rules(),
                                        zone_params=json.loads(params))


def previous_year_results(zone_id: str, year: int = 2024, zone_params: dict | None = None) -> dict | None:
    """annual.previous_year_results of the zone (a copy: the caller may change it)."""
    return copy.deepcopy(_previous(zone_id, year, json.dumps(zone_params, sort_keys=True)))
