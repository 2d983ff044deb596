"""Summary charts: every zone a labelled row, counts per group, no text clipped or
overlapping, no randomness (same bytes twice and in another process), English labels."""
import hashlib
import io
import json
import re
import subprocess
import sys

import pytest

from nzc_report.charts.style import clipped_texts, drawn_texts, overlapping_texts
from nzc_report.charts.summary import NATIONAL_CHARTS, PROVINCE_CHARTS, write_summary_charts
from nzc_report.charts.svg_canvas import figure_svg
from nzc_report.summary import national_summary, province_summary

DATASET = {"label": "测试数据", "is_sample": True, "report_date": "2020-03-31"}
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


def _result(zone_id, name, province, zone_type, reduction, score):
    return {"zone_id": zone_id, "name": name, "name_en": f"Zone {zone_id}", "province_code": province,
            "zone_type": zone_type, "data_year": 2019, "score": score, "grade": None,
            "emissions": {"net_reduction_pct": reduction}, "targets": [], "problems": [], "highlights": [],
            "recommendations": []}


RESULTS = [
    _result("zj-a", "甲镇", "330000", "town", 40.0, 80.0),
    _result("zj-b", "乙镇", "330000", "town", -10.0, 50.2),
    _result("zj-c", "丙镇", "330000", "town", 12.0, 50.0),  # close to 乙镇: dots must not collide
    _result("zj-d", "丁园区", "330000", "park", 25.0, 91.0),
    _result("zj-e", "戊村", "330000", "community", None, None),
    _result("gd-a", "己县", "440000", "county", 20.0, None) | {"data_year": 2018},  # no 2019 emissions
]


def _meta(r):
    return {k: r[k] for k in ("zone_id", "name", "zone_type", "province_code")} | {"status": "built"}


@pytest.fixture(scope="module")
def national():
    return _with_english_names(national_summary(RESULTS, [_meta(r) for r in RESULTS], 2019, DATASET))


def _with_english_names(summary):
    """Zone rows with name_en, as the summaries are to carry them (the charts use it in English)."""
    names = {r["zone_id"]: r["name_en"] for r in RESULTS}
    for z in summary["zones"]:
        z.setdefault("name_en", names[z["zone_id"]])
    return summary


@pytest.fixture(scope="module")
def zhejiang():
    zj = [r for r in RESULTS if r["province_code"] == "330000"]
    s = province_summary(zj, [_meta(r) for r in zj], "330000", 2019, DATASET)
    return _with_english_names(s)


def _all(national, zhejiang, lang):
    for name, make in NATIONAL_CHARTS.items():
        yield f"national {name} ({lang})", make(national, lang)
    for name, make in PROVINCE_CHARTS.items():
        yield f"330000 {name} ({lang})", make(zhejiang, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_is_clipped_or_overlaps_another(national, zhejiang, lang):
    for where, fig in _all(national, zhejiang, lang):
        texts = drawn_texts(fig)  # one drawing, both checks (each would draw it again)
        assert clipped_texts(fig, texts=texts) == [], where
        assert overlapping_texts(fig, texts=texts) == [], where


def _ticks(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_every_zone_is_a_labelled_row_best_first(zhejiang):
    fig = PROVINCE_CHARTS["scores"](zhejiang, "zh")
    assert _ticks(fig) == ["丁园区", "甲镇", "乙镇", "丙镇", "戊村"]  # top to bottom; unscored last
    texts = [t.get_text() for t in drawn_texts(fig)]
    assert {"91.0", "80.0", "50.2", "50.0", "暂无评分"} <= set(texts)


def test_groups_say_how_many_zones_they_hold(national):
    provinces = _ticks(NATIONAL_CHARTS["reduction_by_province"](national, "zh"))
    assert set(provinces) == {"浙江省（4个）", "广东省（1个）"}  # 戊村 has no emissions figure
    types = _ticks(NATIONAL_CHARTS["reduction_by_type"](national, "en"))
    assert "Town (n=3, mean 14.0%)" in types and "Zone zj-b" in types
    assert types.index("Town (n=3, mean 14.0%)") < types.index("Zone zj-a")  # heading above its zones


def test_a_reduction_of_an_earlier_year_says_its_year(national):
    # zj-anxi has no 2024 emissions: its bar read "22.0%" beside the 2024 figures of the others
    for lang, label in (("zh", "20.0%（2018年）"), ("en", "20.0% (2018)")):
        texts = [t.get_text() for t in drawn_texts(NATIONAL_CHARTS["reduction_by_type"](national, lang))]
        assert label in texts and "40.0%" in texts, texts  # the zones of the year unmarked


def test_english_summary_charts_are_english(national, zhejiang):
    for where, fig in _all(national, zhejiang, "en"):
        assert not [t.get_text() for t in drawn_texts(fig) if CJK.search(t.get_text())], where


DRAW_IN_A_NEW_PROCESS = """
import json, sys
from pathlib import Path
from nzc_report.charts.summary import write_summary_charts
summary = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for lang in sys.argv[3:]:
    write_summary_charts(summary, Path(sys.argv[2]) / lang, lang=lang)
"""
LANGS = ("zh", "en")


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.svg"))}


@pytest.fixture(scope="module")
def drawn_in_a_new_process(national, tmp_path_factory):
    """lang → the national summary's charts drawn by one new Python process, in both languages
    (zh first, in a process that had drawn nothing; en after it): one interpreter's imports, not two."""
    where = tmp_path_factory.mktemp("new-process")
    (where / "summary.json").write_text(json.dumps(national), encoding="utf-8")
    subprocess.run([sys.executable, "-c", DRAW_IN_A_NEW_PROCESS, str(where / "summary.json"), str(where), *LANGS],
                   check=True)
    return {lang: where / lang for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_the_same_summary_gives_the_same_bytes_in_one_process_and_in_two(national, drawn_in_a_new_process,
                                                                         tmp_path, lang):
    summary = json.loads(json.dumps(national))
    a, b = (tmp_path / k / "figures" for k in "ab")
    assert set(write_summary_charts(summary, a, lang)) == set(NATIONAL_CHARTS)
    write_summary_charts(summary, b, lang)
    c = drawn_in_a_new_process[lang]
    assert _digests(a) == _digests(b) == _digests(c) and len(_digests(a)) == 3


def test_a_summary_without_built_zones_still_gives_its_charts(tmp_path):
    meta = [_meta(r) for r in RESULTS]
    written = write_summary_charts(national_summary([], meta, 2019, DATASET), tmp_path / "figures", "zh")
    assert set(written) == set(NATIONAL_CHARTS)


def test_a_group_of_one_zone_gives_no_mean(national):
    types = _ticks(NATIONAL_CHARTS["reduction_by_type"](national, "zh"))
    assert "园区（1个）" in types and not [x for x in types if "1个，平均" in x]
    provinces = NATIONAL_CHARTS["reduction_by_province"](national, "zh")
    assert "20.0%" in [t.get_text() for t in drawn_texts(provinces)]  # 广东 has one zone: its value, no range


def test_a_summary_of_one_zone_draws_its_bar_without_a_group_of_one():
    # Beijing's one-zone summary: "建筑（1个）" over its one bar (review8)
    one = [r for r in RESULTS if r["zone_id"] == "zj-d"]
    s = province_summary(one, [_meta(r) for r in one], "330000", 2019, DATASET)
    fig = PROVINCE_CHARTS["reduction_by_type"](s, "zh")
    assert _ticks(fig) == ["丁园区"]
    texts = drawn_texts(fig)
    assert clipped_texts(fig, texts=texts) == [] and overlapping_texts(fig, texts=texts) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_layout_pass_writes_the_bytes_savefig_writes(national, lang):
    for name, make in NATIONAL_CHARTS.items():
        ours = figure_svg(make(national, lang), metadata={"Date": None, "Creator": "nzc-report"})
        buffer = io.BytesIO()
        make(national, lang).savefig(buffer, format="svg", metadata={"Date": None, "Creator": "nzc-report"})
        assert ours == buffer.getvalue(), name
