"""Hostile input: markup in names is shown literally, ids never become paths unchecked,
huge files are refused before they are read."""
import csv
import json
import re
import zipfile

import pytest

from nzc_report.cli import main
from nzc_report.dataset import load_dataset
from nzc_report.errors import DatasetError
from pdftools import pdftotext

NAME = '甲镇<script>alert("x")</script>'
BODY = "{{ 7*7 }}\x07人民政府"  # Jinja expression and a control character (BEL)
BODY_SHOWN = "{{ 7*7 }}\\x07人民政府"  # the BEL is shown as a visible escape
PLAN = "{% if true %}《方案》{% endif %} **粗体** [链接](javascript:alert(1))"
MEASURE = "<b>光伏</b> {{ config }} # 标题"


def _rewrite(path, change):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0].keys()) if rows else []
    rows = [r for r in (change(dict(r)) for r in rows) if r is not None]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def hostile(tiny_copy):
    """The tiny dataset cut to its one zone 'alpha', with markup in its texts."""
    for f in tiny_copy.glob("*.csv"):
        if f.name != "meta.csv":
            _rewrite(f, lambda r: r if r.get("zone_id") == "alpha" else None)

    def zone(r):
        r.update(name=NAME, implementing_body=BODY, plan_document=PLAN)
        return r
    _rewrite(tiny_copy / "zones.csv", zone)
    (tiny_copy / "measures.csv").write_text(
        "zone_id,measure_id,name,sector,status,start_year,investment_10k_cny,expected_reduction_tco2e\n"
        f'alpha,m01,"{MEASURE}",energy,ongoing,2018,8600,950\n', encoding="utf-8")
    return tiny_copy


def test_markup_is_data_and_controls_are_made_visible(hostile):
    ds = load_dataset(hostile, lang="en")
    z = ds.zone("alpha")
    assert (z["name"], z["implementing_body"], z["plan_document"]) == (NAME, BODY_SHOWN, PLAN)
    assert "zones.csv:2:implementing_body: contains control characters, shown as " \
           "'{{ 7*7 }}\\x07人民政府'" in [str(w) for w in ds.warnings]


def test_tab_and_newline_are_kept_bidi_overrides_escaped(tiny_copy):
    _rewrite(tiny_copy / "zones.csv",
             lambda r: {**r, "name": "甲\t镇\r\n第二行", "plan_document": "abc\u202edcba"} if r["zone_id"] == "alpha" else r)
    ds = load_dataset(tiny_copy, lang="en")
    z = ds.zone("alpha")
    assert z["name"] == "甲\t镇\n第二行" and z["plan_document"] == "abc\\u202edcba"
    assert [str(w) for w in ds.warnings if "control" in w.message] == [
        "zones.csv:2:plan_document: contains control characters, shown as 'abc\\u202edcba'"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.e2e
def test_build_shows_markup_literally(hostile, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--data", str(hostile), "--out", str(out), "--jobs", "1"]) == 0, capsys.readouterr()
    zone_dir = next(out.glob("*/zones/alpha"))

    results = json.loads((zone_dir / "results.json").read_text(encoding="utf-8"))
    assert results["name"] == NAME
    assert results["implementing_body"] == BODY_SHOWN
    assert results["plan_document"] == PLAN

    text = _squash(pdftotext(zone_dir / "report.pdf"))
    for literal in (NAME, BODY_SHOWN, PLAN):
        assert _squash(literal) in text, literal
    assert "49人民政府" not in text  # {{ 7*7 }} was not evaluated

    nb = json.loads((zone_dir / "assessment.ipynb").read_text(encoding="utf-8"))
    plain, html = [], []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            plain.append("".join(data.get("text/plain", "")) + "".join(o.get("text", "")))
            html.append("".join(data.get("text/html", "")))
            assert "text/markdown" not in data
    assert any(NAME in p for p in plain)  # shown as text in the working paper
    assert not any("<script>" in h for h in html)  # never as live HTML


def test_zone_id_that_is_a_path_is_refused_before_anything_is_written(tiny_copy, tmp_path, capsys):
    for f in tiny_copy.glob("*.csv"):
        if f.name != "meta.csv":
            _rewrite(f, lambda r: {**r, "zone_id": "../../evil"} if r.get("zone_id") == "alpha" else r)
    out = tmp_path / "out"
    assert main(["build", "--data", str(tiny_copy), "--out", str(out), "--lang", "en"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert ("zones.csv:2:zone_id: '../../evil' is not a valid id: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit, at most 64 characters (did you mean 'evil'?)") in err
    assert not out.exists() and not (tmp_path / "evil").exists()


def test_file_over_the_size_limit_is_refused_unread(tiny_copy, capsys):
    big = tiny_copy / "emissions.csv"
    with open(big, "a", encoding="utf-8") as f:
        # over 1 MB: a row read twice, then the blank lines a spreadsheet leaves at the end (cheap to
        # read once the limit is raised; 60,000 rows of data took 9 s to check for the same assertions)
        f.write("alpha,2020,energy,1\n" * 2 + (" " * 99 + "\n") * 11_000)
    size = big.stat().st_size
    assert main(["validate", "--data", str(tiny_copy), "--lang", "en", "--max-file-mb", "1"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"emissions.csv: file is {size:,} bytes, over the limit of {1024 * 1024:,} (raise it with --max-file-mb)",
        "dataset refused: 1 problem"]
    # the limit is configurable: raised, the same file is read (and then checked)
    assert main(["validate", "--data", str(tiny_copy), "--lang", "en", "--max-file-mb", "5"]) == 2
    assert "over the limit" not in capsys.readouterr().err


def test_workbook_that_unpacks_to_a_huge_size_is_refused(tmp_path):
    bomb = tmp_path / "dataset.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(DatasetError) as info:
        load_dataset(bomb, max_file_bytes=1024 * 1024, lang="en")
    assert [str(p) for p in info.value.problems] == [
        f"dataset.xlsx: the workbook unpacks to {30 * 1024 * 1024:,} bytes, over the limit of "
        f"{20 * 1024 * 1024:,} (raise it with --max-file-mb)"]
