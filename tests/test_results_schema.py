"""results.json validates against schemas/results.schema.json: in-process for every zone of the
sample and engine datasets, and as written by a real build (notebook in a Jupyter kernel)."""
import json
from functools import cache

import pytest
from jsonschema import Draft202012Validator

from nzc_report.assess import assess_zone
from nzc_report.dataset import load_dataset
from nzc_report.findings import evaluate_findings
from nzc_report.findings.annual import annual_blocks, previous_block, previous_year_results
from nzc_report.findings.results import build_results
from nzc_report.findings.tables import findings_table, indicator_table, score_summary, target_table
from nzc_report.render.narrative import narrate_findings
from nzc_report.resources import PROJECT_ROOT, SAMPLE_DATA_DIR

from engine_data import ENGINE, framework, rules
import sampledata

SCHEMA = json.loads((PROJECT_ROOT / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
FW, RULES = framework(), rules()


def _errors(results: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(results)]


def _results(ds, zone_id):
    year = ds.latest_year()
    a = assess_zone(ds, zone_id, year, FW)
    # as the notebook writes it: the findings' sentences filled in the build language, then last year's
    params = {"zone_id": zone_id}
    results = narrate_findings(build_results(ds, a, evaluate_findings(a, RULES), zone_params=params), "zh")
    before = previous_year_results(ds, zone_id, year, FW, RULES, zone_params=params)
    results.update(annual_blocks(results, previous_block(narrate_findings(before, "zh")) if before else None))
    return a, results


@cache
def _dataset(data):
    """The sample (tests/sampledata.py) or the engine dataset, loaded once per process (read only here)."""
    return sampledata.dataset() if data == SAMPLE_DATA_DIR else load_dataset(data)


def test_the_schema_is_a_valid_json_schema():
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("data", [SAMPLE_DATA_DIR, ENGINE], ids=["sample", "engine"])
def test_results_of_every_zone_validate(data):
    ds = _dataset(data)
    for z in ds.zone_ids:
        _, r = _results(ds, z)
        assert _errors(r) == [], z
        json.dumps(r, allow_nan=False, ensure_ascii=False)  # strict JSON: no NaN or numpy types


def test_the_schema_rejects_what_it_must():
    _, r = _results(_dataset(ENGINE), "weak")
    bad = json.loads(json.dumps(r))
    bad["targets"][0]["status"] = "late"
    bad["problems"][0]["category"] = "other"
    del bad["indicators"][0]["benchmark_source"]
    bad["recommendations"][0]["addresses"] = []
    unreported = next(i for i in bad["indicators"] if not i["reported"])
    unreported["value"] = 0.0  # "not reported" must never be a zero
    assert len(_errors(bad)) == 5


def test_results_carry_the_indicator_table_score_and_labels():
    a, r = _results(_dataset(ENGINE), "weak")
    assert r["score"] == pytest.approx(a.score.score) and r["grade"] == "不合格"
    assert r["coverage_pct"] == pytest.approx(a.score.coverage_pct)
    row = next(i for i in r["indicators"] if i["id"] == "net_emissions_per_capita_tco2e")
    assert (row["value"], row["year"], row["previous_value"], row["previous_year"]) == (5.0, 2023, 4.0, 2015)
    assert row["change"] == pytest.approx(1.0) and (row["floor"], row["benchmark"]) == (8.0, 1.0)
    assert row["benchmark_source"] == "评估组设定"
    assert row["source"] == "emissions.csv 第58、59行；activity.csv 第5行"
    missing = next(i for i in r["indicators"] if i["id"] == "green_coverage_pct")
    assert missing["value"] is None and missing["score"] is None and "indicators.csv" in missing["missing"]
    assert {t["metric_label"] for t in r["targets"]} == {"净排放较基准年降幅", "新能源汽车占比", "绿色建筑占比"}
    assert all(p["category_label"] for p in r["problems"] + r["recommendations"])


def test_working_paper_tables():
    a, r = _results(_dataset(ENGINE), "good")
    assert list(indicator_table(a)["指标"]) == [i["name_zh"] for i in r["indicators"]]
    assert list(target_table(a)["状态"]) == ["已实现", "进度正常", "进度正常"]
    assert score_summary(a)["等级"] == "优秀"
    f = evaluate_findings(a, RULES)
    assert set(findings_table(f)["类型"]) == {"特色亮点"}


@pytest.mark.e2e
def test_results_written_by_a_real_build_validate(sample_build):
    """The session's sample build (conftest.py): among its zones one without targets or plan
    (zj-qiaonan) and one whose emissions rose (zj-huangyan-mould)."""
    assert {"zj-qiaonan", "zj-huangyan-mould"} <= set(sample_build.zones)
    for z in sample_build.zones:
        r = json.loads((sample_build.zone(z) / "results.json").read_text(encoding="utf-8"))
        assert _errors(r) == [], z
        assert r["figures"] and r["indicators"] and r["score"] is not None
        nb = (sample_build.zone(z) / "assessment.ipynb").read_text(encoding="utf-8")
        for heading in ("统一指标体系下的指标与得分", "目标进展", "综合得分", "起评值", "标杆值"):
            assert heading in nb  # the working paper shows each step
