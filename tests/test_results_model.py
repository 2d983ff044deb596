"""results.json as one typed model (nzc_report/findings/model.py): every sample zone's results,
computed in-process as the notebook computes them, round-trip through the model unchanged and
validate; the writer refuses what breaks the contract; status words are enums."""
import json

import pytest

from nzc_report.assess import assess_zone
from nzc_report.findings import evaluate_findings
from nzc_report.findings.annual import annual_blocks, previous_block, previous_year_results
from nzc_report.results_model import (Judgement, ResultsError, TargetStatus, ZoneResults, read_results,
                                       results_errors, write_results)
from nzc_report.findings.results import build_results
from nzc_report.render.narrative import narrate_findings

from engine_data import shipped_framework, shipped_rules
import sampledata

FW, RULES = shipped_framework(), shipped_rules()


def zone_results(ds, zone_id, year):
    """A zone's results as the notebook writes them (sentences filled, then last year's blocks); the
    sample's assessments and last year's results made once per process (tests/sampledata.py)."""
    shared = ds is sampledata.dataset()
    a = sampledata.assessment(zone_id, year) if shared else assess_zone(ds, zone_id, year, FW)
    params = {"zone_id": zone_id}
    results = narrate_findings(build_results(ds, a, evaluate_findings(a, RULES), zone_params=params), "zh")
    before = (sampledata.previous_year_results(zone_id, year, zone_params=params) if shared
              else previous_year_results(ds, zone_id, year, FW, RULES, zone_params=params))
    results.update(annual_blocks(results, previous_block(narrate_findings(before, "zh")) if before else None))
    return json.loads(json.dumps(results, ensure_ascii=False))


@pytest.fixture(scope="module")
def sample_results():
    ds = sampledata.dataset()
    return {z: zone_results(ds, z, 2024) for z in ds.zone_ids}


def test_every_sample_zone_round_trips(sample_results, tmp_path):
    assert len(sample_results) == 31
    for z, r in sample_results.items():
        model = ZoneResults.from_dict(r)
        assert model.to_dict() == r, z
        write_results(tmp_path / f"{z}.json", model)
        again = read_results(tmp_path / f"{z}.json")
        assert again == model, z
        assert json.loads((tmp_path / f"{z}.json").read_text(encoding="utf-8")) == r, z
        write_results(tmp_path / f"{z}.again.json", again)  # read, then written: the same bytes
        assert (tmp_path / f"{z}.again.json").read_bytes() == (tmp_path / f"{z}.json").read_bytes(), z


def test_status_words_are_enums(sample_results):
    model = ZoneResults.from_dict(sample_results["zj-meishan"])
    assert all(isinstance(t.status, TargetStatus) for t in model.targets)
    assert {t.status for t in model.targets} <= set(TargetStatus)
    assert TargetStatus.AT_RISK == "at_risk"  # the contract's words, compared as strings too
    assert all(isinstance(j, Judgement) for j in model.judgements.values())


def test_the_writer_refuses_what_breaks_the_contract(sample_results, tmp_path):
    bad = json.loads(json.dumps(sample_results["gd-nanao"]))
    bad["problems"][0]["category"] = "other"
    assert results_errors(bad)
    with pytest.raises(ResultsError, match="category"):
        write_results(tmp_path / "bad.json", bad)
    assert not (tmp_path / "bad.json").exists()
    with pytest.raises(ValueError):
        ZoneResults.from_dict({**sample_results["gd-nanao"],
                               "targets": [{**sample_results["gd-nanao"]["targets"][0], "status": "late"}]})


def test_a_key_the_model_does_not_name_is_kept_and_an_absent_one_stays_absent(sample_results):
    r = json.loads(json.dumps(sample_results["gd-nanao"]))
    del r["plan_date"]
    r["later_key"] = [{"id": "g1"}]  # a key of a later contract
    again = ZoneResults.from_dict(r).to_dict()
    assert "plan_date" not in again and again["later_key"] == [{"id": "g1"}] and list(again)[-1] == "later_key"
    assert list(again) == [k for k in r if k != "later_key"] + ["later_key"]
