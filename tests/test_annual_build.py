"""End to end: the annual cycle through real builds of the tiny dataset's zone alpha
(emissions 2015, 2016, 2018, 2019): last year recomputed, then read from a published
build (--compare-to) with a revised figure (数据修订), and the evaluating team's own
words (--params) shown literally in the PDF, results.json and the working paper."""
from __future__ import annotations

import csv
import json
import shutil

import pytest

from clirun import in_process as cli
from pdftools import pdftotext
from nzc_report.resources import PROJECT_ROOT

pytestmark = pytest.mark.e2e

HOSTILE = "<script>alert(1)</script>{{ x }}"
PARAMS = f"""zone_id: alpha
expert_opinion: "专家组认为甲镇建设成效初显，{HOSTILE}建议加快推进。"
site_visit:
  date: "2020-03-12"
  team: 评估组两人
  findings: 抽查了屋顶光伏项目。
extra_problems:
  - category: progress
    text: 评估组补充的问题{{% if %}}。
extra_recommendations:
  - category: pilot
    text: 评估组补充的建议。
"""


def build(*args, cwd):
    # the command line in this process (clirun): the same build, without a new interpreter's imports each time
    proc = cli("build", "--zones", "alpha", "--jobs", "1", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def results(year_dir):
    return json.loads((year_dir / "zones" / "alpha" / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory, tiny_dir_module):
    tmp = tmp_path_factory.mktemp("annual")
    data = tmp / "data"
    shutil.copytree(tiny_dir_module, data)
    params = tmp / "params"
    (params / "zones").mkdir(parents=True)
    (params / "zones" / "alpha.yaml").write_text(PARAMS, encoding="utf-8")
    build("--data", data, "--year", 2018, "--out", tmp / "out", cwd=tmp)
    # the 2019 build, last year recomputed from the dataset, with the team's own words
    build("--data", data, "--year", 2019, "--out", tmp / "recomputed", "--params", params, cwd=tmp)
    # revise one 2018 figure, then build 2019 against the published 2018
    with (data / "emissions.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if (r["zone_id"], r["year"], r["sector"]) == ("alpha", "2018", "energy"):
            r["emissions_tco2e"] = "7500"
    with (data / "emissions.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    build("--data", data, "--year", 2019, "--out", tmp / "compared", "--compare-to", tmp / "out" / "2018", cwd=tmp)
    return tmp


@pytest.fixture(scope="module")
def tiny_dir_module():
    return PROJECT_ROOT / "tests" / "data" / "tiny"


def test_previous_year_recomputed_from_the_same_dataset(builds):
    r = results(builds / "recomputed" / "2019")
    published = results(builds / "out" / "2018")
    assert r["previous_source"] == "recomputed"
    assert r["previous"]["year"] == 2018
    # nothing was revised between the two builds: the recomputed 2018 is the published one
    assert r["previous"]["emissions"] == published["emissions"]
    assert r["previous"]["score"] == published["score"]
    assert r["changes"]["score_delta"] == pytest.approx(r["score"] - published["score"], abs=1e-6)
    before = {p["rule_id"] for p in published["problems"]}
    now = {p["rule_id"] for p in r["problems"] if p["rule_id"]}
    assert set(r["changes"]["problems_resolved"]) == before - now
    assert set(r["changes"]["problems_persisting"]) == before & now
    assert set(r["changes"]["problems_new"]) == now - before
    text = pdftotext(builds / "recomputed" / "2019" / "zones" / "alpha" / "report.pdf")
    assert "年度变化" in text and "上年度问题整改情况" in text
    assert "数据修订" not in text


def test_compare_to_uses_the_published_figures_and_lists_revisions(builds):
    r = results(builds / "compared" / "2019")
    published = results(builds / "out" / "2018")
    assert r["previous_source"] == "published"
    assert r["previous"]["emissions"] == published["emissions"]  # the published figures, not the revised ones
    # 2018 gross: 7000 + 4000 published; 7500 + 4000 after the revision
    revised = {rv["field"]: rv for rv in r["revisions"]}
    assert revised["emissions.gross_tco2e"]["published"] == 11000.0
    assert revised["emissions.gross_tco2e"]["recomputed"] == 11500.0
    text = pdftotext(builds / "compared" / "2019" / "zones" / "alpha" / "report.pdf")
    assert "数据修订" in text and "11,000" in text and "11,500" in text


def test_the_teams_own_words_show_literally(builds):
    zone = builds / "recomputed" / "2019" / "zones" / "alpha"
    text = pdftotext(zone / "report.pdf").replace("\n", "")
    assert HOSTILE in text
    assert "评估组补充的问题{% if %}。（评估组意见）" in text
    assert "评估组补充的建议。（评估组意见）" in text
    assert "2020年3月12日，评估组两人赴现场核查。" in text
    r = results(zone.parent.parent)
    assert HOSTILE in r["params"]["expert_opinion"]
    assert any(p.get("origin") == "evaluator" and p["category"] == "progress" for p in r["problems"])
    assert HOSTILE in (zone / "assessment.ipynb").read_text(encoding="utf-8").replace("\\u003c", "<")
