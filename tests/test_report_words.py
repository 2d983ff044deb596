"""The text a reviewer reads: no code in the body, an English report in English, no contradictions.

Reads back the real PDFs of the session's sample build (conftest.py) and an English one rendered here.
"""
import re

import pytest

from nzc_report.assess import assess_zone, load_framework
from nzc_report.findings import evaluate_findings, load_rules
from nzc_report.findings.results import build_results
from nzc_report.render.narrative import narrate_findings
from nzc_report.resources import PARAMS_DIR
from samplebuild import SAMPLE_BUILD_ZONES
import sampledata

FW = load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
RULES = load_rules(PARAMS_DIR / "rules.yaml")
# rule ids, file names, snake_case words, internal notes, the zone called 本区 where it is an organisation
FORBIDDEN = [r"\b[HPR]-[A-Z]+(-[A-Z]+)*\b", r"\.csv\b", r"\.yaml\b", r"\b[a-z]+_[a-z_]+\b", r"our judgement",
             r"源报告"]
ORGANISATION_TYPES = {"transport", "organisation", "industry", "building"}


@pytest.fixture(scope="module")
def sample():
    return sampledata.dataset()  # loaded with sample_units(), once per process


def _results(ds, zone_id, lang="zh"):
    a = sampledata.assessment(zone_id) if ds is sampledata.dataset() else assess_zone(ds, zone_id, 2024, FW)
    return narrate_findings(build_results(ds, a, evaluate_findings(a, RULES)), lang)


def _texts(r):
    return [f["text"] for k in ("highlights", "problems", "recommendations") for f in r[k]]


def test_every_sample_zone_holds_together(sample):
    for zone_id in sample.tables["zones"]["zone_id"]:
        r = _results(sample, zone_id)
        text = "\n".join(_texts(r))
        for pattern in FORBIDDEN:
            assert not re.search(pattern, text), (zone_id, pattern, re.search(pattern, text).group(0))
        if r["targets"]:
            assert "尚未设定" not in text, zone_id
        mech = {i["id"]: i for i in r["indicators"]}
        if (mech.get("mechanism_fiscal_support") or {}).get("status") == "yes":
            recs = "\n".join(x["text"] for x in r["recommendations"])
            assert "财政补贴" not in recs, zone_id
        if r["zone_type"] in ORGANISATION_TYPES:
            assert "本区" not in text, zone_id
        ids = [f["rule_id"] for f in r["problems"]]
        if "P-NO-PLAN" in ids:  # said once
            missing = [m["id"] for p in r["problems"] if p["rule_id"] == "P-EVAL-MISSING-DATA"
                       for m in p["evidence"]["figures"]["missing"]]
            assert "mechanism_plan" not in missing, zone_id
        for f in r["highlights"] + r["problems"]:
            assert f["rule_id"] and f["evidence"]["figures"] is not None
            if "category" in f:
                assert f["category"] in ("concept", "evaluation", "policy", "progress")


def test_recommendations_state_the_gap_and_who_acts(sample):
    r = _results(sample, "zj-cixi-transport")
    gaps = [x["text"] for x in r["recommendations"] if x["rule_id"] == "R-TARGET-GAP"]
    assert any("新能源汽车占比需由2024年的45.0%达到80.0%" in g and "提高35.0个百分点" in g for g in gaps)
    assert all("慈溪市交通集团有限公司" in g for g in gaps)
    # its one sector-focus recommendation answers the low non-fossil share (its only problem left to
    # answer): that indicator and its own sector, not "the largest emitters" (交通 93 %, 能源 7 %)
    focus = next(x for x in r["recommendations"] if x["rule_id"] == "R-SECTOR-FOCUS")
    assert focus["addresses"] == ["P-INDICATORS-BELOW-FLOOR"]
    assert "非化石能源占比8.0%" in focus["text"] and "能源领域" in focus["text"], focus["text"]
    assert "排放最多" not in focus["text"] and "建筑" not in focus["text"]
    assert not [x for x in r["recommendations"] if x["rule_id"] == "R-INTL-EXCHANGE"]


def _body(pdf) -> str:
    import subprocess
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\n附录\n")[0] if "\n附录\n" in text else text.split("Appendix")[0]


@pytest.mark.parametrize("zone_id", SAMPLE_BUILD_ZONES)
def test_built_pdf_body_holds_no_code(sample_build, zone_id):
    """The reports of the session's real sample build (notebook in a kernel, then WeasyPrint)."""
    import json

    folder = sample_build.zone(zone_id)
    r = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    body = _body(folder / "report.pdf")
    toc_end = body.index("总体评价", body.index("目录"))
    body = body[toc_end:]
    for pattern in FORBIDDEN:
        assert not re.search(pattern, body), (pattern, re.search(pattern, body).group(0))
    if r["zone_type"] in ORGANISATION_TYPES:
        assert "本区" not in body


def test_english_report_is_english(sample, tmp_path):
    import json

    from nzc_report.render import render_zone_pdf
    folder = tmp_path / "en"
    folder.mkdir()
    r = _results(sample, "zj-cixi-transport", "en")
    (folder / "results.json").write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
    render_zone_pdf(folder, lang="en")
    body = _body(folder / "report.pdf")
    for name in filter(None, [r["name"], r.get("implementing_body"), r.get("province_name"), r.get("city")]
                       + [m["name"] for m in r["measures"]]):
        body = body.replace(name, "")
    cjk = len(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", body))
    letters = len(re.findall(r"[A-Za-z\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", body))
    assert cjk / letters < 0.05, f"{cjk / letters:.1%} of the body is Chinese"
