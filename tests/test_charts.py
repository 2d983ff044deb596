"""The zone charts: vector SVG with text as text in the CJK sans, no text clipped or
overlapping, the data years in view with one planned path, every year labelled, units
on every value axis, the same bytes every time (in two processes too), English labels
for English reports, and no chart drawn from fewer than three points."""
import copy
import hashlib
import io
import json
import logging
import re
import subprocess
import sys

import pytest

from nzc_report.assess import load_framework
from nzc_report.charts import ZONE_CHARTS, overlapping_texts, write_zone_charts
from nzc_report.charts.energy import non_fossil_series
from nzc_report.charts.labels import LABELS, UNITS, labels
from nzc_report.charts.style import clipped_texts, drawn_texts
from nzc_report.charts.svg_canvas import figure_svg
from nzc_report.resources import PARAMS_DIR
from reportdata import zone_results

CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha")


@pytest.fixture(scope="module")
def beta():
    return zone_results("beta")


@pytest.fixture(scope="module")
def staged(alpha):
    """alpha with ten years of data and Meishan's staged milestones (0/50/80/100 % by
    2020/2025/2030/2050), yearly energy rows and a non-fossil target."""
    r = copy.deepcopy(alpha)
    r["year"] = r["data_year"] = 2024
    r["baseline_year"] = 2015
    nets = [480_000, 482_212, 488_370, 489_600, 474_617, 465_601, 429_587, 393_599, 368_412, 336_000]
    r["emissions_by_year"] = [{"year": 2015 + i, "gross_tco2e": v + 5_000, "net_tco2e": v, "removals_tco2e": 5_000}
                              for i, v in enumerate(nets)]
    r["emissions"]["baseline_net_tco2e"] = 480_000.0
    r["emissions_by_sector"] = [{"year": 2015 + i, "sector": s, "emissions_tco2e": v * share}
                                for i, v in enumerate(nets) for s, share in (("industry", 0.6), ("energy", 0.4))]
    r["activity_by_year"] = [{"year": y, "total_energy_tce": 6000, "non_fossil_energy_tce": 600 + 150 * (y - 2015)}
                             for y in range(2015, 2025)]
    r["targets"] = [{"metric": "net_reduction_pct", "target_year": y, "target_value": v, "baseline_value": 0.0}
                    for y, v in ((2020, 0.0), (2025, 50.0), (2030, 80.0), (2050, 100.0))]
    r["targets"].append({"metric": "non_fossil_share_pct", "target_year": 2030, "target_value": 70.0,
                         "baseline_value": 10.0})
    return r


@pytest.fixture(scope="module")
def sixteen_years(staged):
    """Data 2015–2024 and one net-emissions target in 2030 (as Changsha): sixteen year labels."""
    r = copy.deepcopy(staged)
    r["targets"] = [{"metric": "net_emissions_tco2e", "target_year": 2030, "target_value": 0.0,
                     "baseline_value": 480_000.0}]
    return r


def _figures(results_list, lang):
    for results in results_list:
        for name, make in ZONE_CHARTS.items():
            fig = make(results, lang)
            if fig is not None:
                yield f"{name} ({lang}) of {results['zone_id']}", name, fig


def test_label_catalogues_have_the_same_keys():
    assert set(LABELS["zh"]) == set(LABELS["en"])


def test_every_unit_of_the_framework_has_an_english_form():
    framework = load_framework(PARAMS_DIR / "frameworks" / "near-zero-zone.yaml")
    assert set(framework.units().values()) <= set(UNITS["en"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_text_is_clipped_or_overlaps_another(alpha, beta, staged, sixteen_years, lang):
    drawn = set()
    for where, name, fig in _figures([alpha, beta, staged, sixteen_years], lang):
        drawn.add(name)
        texts = drawn_texts(fig)  # one drawing, both checks (each would draw it again)
        assert clipped_texts(fig, texts=texts) == [], where
        assert overlapping_texts(fig, texts=texts) == [], where
    assert drawn == set(ZONE_CHARTS)


def test_clipping_is_detected():
    """The check itself: a label pushed off the figure is reported."""
    from nzc_report.charts.style import new_figure

    fig = new_figure(2.0)
    ax = fig.subplots()
    ax.text(1.3, 0.5, "off the page", transform=ax.transAxes)
    assert clipped_texts(fig) == ["off the page"]


def _line_xy(fig, label):
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if ln.get_label() == label]
    return [list(zip(ln.get_xdata(), ln.get_ydata())) for ln in lines]


def test_net_emissions_show_the_data_years_the_next_milestone_and_one_planned_path(staged):
    t = labels("zh")
    fig = ZONE_CHARTS["net_emissions"](staged, "zh")
    ax = fig.axes[0]
    assert 2024 < ax.get_xlim()[1] < 2026  # 2025 is the next milestone; 2030 and 2050 are not drawn
    assert [tx.get_text() for tx in ax.get_xticklabels()] == [str(y) for y in range(2015, 2026)]
    (path,) = _line_xy(fig, t["path"])  # one path, through the baseline and the milestones in view
    assert path == [(2015, 480_000), (2020, 480_000), (2025, 240_000)]
    assert not [ln for ln in ax.get_lines() if ln.get_label() == "_nolegend_"]
    note = ax.get_title(loc="right")
    assert "2030" in note and "96,000" in note and "2050" in note
    assert ax.get_title(loc="left") == t["tco2e"]  # the unit of the value axis


def test_a_far_single_target_is_a_note_and_its_path_runs_to_the_edge(beta):
    fig = ZONE_CHARTS["net_emissions"](beta, "en")
    ax = fig.axes[0]
    assert ax.get_xlim()[1] < 2021  # data 2016–2019; the 2030 target is eleven years on
    assert "2030: 15,000" in ax.get_title(loc="right")
    (path,) = _line_xy(fig, labels("en")["path"])
    (x0, y0), (x1, y1) = path
    assert (x0, y0) == (2016, 30_000) and x1 == pytest.approx(ax.get_xlim()[1])
    assert y1 == pytest.approx(30_000 - 15_000 * (x1 - 2016) / 14)


def test_every_year_has_its_label_the_first_bar_too(alpha, staged):
    for results in (alpha, staged):
        fig = ZONE_CHARTS["sectors"](results, "zh")
        years = sorted({r["year"] for r in results["emissions_by_sector"]})
        drawn = drawn_texts(fig)  # drawn once (it was drawn again for each label)
        shown = [t.get_text() for t in fig.axes[0].get_xticklabels() if t in drawn]
        assert shown == [str(y) for y in range(years[0], years[-1] + 1)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_value_axis_says_its_unit(staged, lang):
    t = labels(lang)
    assert ZONE_CHARTS["sectors"](staged, lang).axes[0].get_title(loc="left") == t["tco2e"]
    assert ZONE_CHARTS["non_fossil"](staged, lang).axes[0].get_title(loc="left") == t["share_unit"]
    fig = ZONE_CHARTS["indicators"](staged, lang)
    assert fig.axes[0].get_xlabel() == t["score"]  # normalised: says what 100 means
    texts = [x.get_text() for x in drawn_texts(fig)]
    per_capita = "t CO2e/person" if lang == "en" else "吨二氧化碳当量/人"
    assert any(x.endswith(per_capita) and " / " in x for x in texts), texts
    assert t["value_header"] in texts


def test_charts_from_fewer_than_three_points_are_not_drawn(staged):
    short = copy.deepcopy(staged)
    short["emissions_by_year"] = short["emissions_by_year"][-2:]
    short["emissions_by_sector"] = [r for r in short["emissions_by_sector"] if r["year"] >= 2023]
    short["activity_by_year"] = short["activity_by_year"][-2:]
    for ind in short["indicators"]:
        if ind["id"] not in ("net_reduction_pct", "non_fossil_share_pct"):
            ind["score"], ind["reported"] = None, False
    for name, make in ZONE_CHARTS.items():
        assert make(short, "zh") is None, name
        assert make(staged, "zh") is not None, name


def test_svg_keeps_text_as_text_in_the_cjk_sans_only(staged, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    written = write_zone_charts(staged, tmp_path / "figures", lang="zh")
    assert set(written) == set(ZONE_CHARTS)
    for name, rel in written.items():
        svg = (tmp_path / rel).read_text(encoding="utf-8")
        assert "<text" in svg, name  # not outlined into paths
        families = set(re.findall(r"font-family(?:: |=\")([^;\"]+)", svg))
        # the CJK sans and nothing else by name: no DejaVu or JP face to fall back on
        assert families == {"'Noto Sans CJK SC', sans-serif"}, (name, families)
        assert "\u2212" not in svg, name  # hyphen-minus, not a glyph the face may lack
        assert "<dc:date>" not in svg, name  # no build date inside
    assert "年份" in (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    # matplotlib reports a missing font or glyph through logging as well as warnings
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")], caplog.records


def _digests(folder, written):
    return {n: hashlib.sha256((folder.parent / rel).read_bytes()).hexdigest() for n, rel in written.items()}


DRAW_IN_A_NEW_PROCESS = """
import json, sys
from pathlib import Path
from nzc_report.charts import write_zone_charts
results = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
for lang in sys.argv[3:]:
    write_zone_charts(results, Path(sys.argv[2]) / lang / "figures", lang=lang)
"""
LANGS = ("zh", "en")


@pytest.fixture(scope="module")
def drawn_in_a_new_process(staged, tmp_path_factory):
    """lang → the folder of staged's charts drawn by one new Python process, in both languages (zh
    first, in a process that had drawn nothing; en after it): one interpreter's imports, not two."""
    where = tmp_path_factory.mktemp("new-process")
    (where / "results.json").write_text(json.dumps(staged), encoding="utf-8")
    subprocess.run([sys.executable, "-c", DRAW_IN_A_NEW_PROCESS, str(where / "results.json"), str(where), *LANGS],
                   check=True)
    return {lang: where / lang / "figures" for lang in LANGS}


@pytest.mark.parametrize("lang", LANGS)
def test_identical_results_give_identical_svg_bytes_in_one_process_and_in_two(staged, drawn_in_a_new_process,
                                                                              tmp_path, lang):
    results = json.loads(json.dumps(staged))  # as the kernel sees it: read back from results.json
    a, b = (tmp_path / k / "figures" for k in "ab")
    first = _digests(a, write_zone_charts(results, a, lang=lang))
    assert _digests(b, write_zone_charts(results, b, lang=lang)) == first
    c = drawn_in_a_new_process[lang]
    assert _digests(c, {n: f"figures/{n}.svg" for n in first}) == first
    assert len(first) == len(ZONE_CHARTS)


def _savefig_svg(fig) -> bytes:
    """The chart as matplotlib's own savefig writes it (two draws, its own metrics cache)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "nzc-report"})
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_layout_pass_writes_the_bytes_savefig_writes(staged, sixteen_years, lang):
    """figure_svg lays out once and measures text once per process: the same SVG as
    savefig's lay out, draw, draw again, whichever charts were measured before."""
    for results in (staged, sixteen_years):
        for name, make in ZONE_CHARTS.items():
            ours = figure_svg(make(results, lang), metadata={"Date": None, "Creator": "nzc-report"})
            assert ours == _savefig_svg(make(results, lang)), name


def test_english_charts_have_english_labels(staged, tmp_path):
    written = write_zone_charts(staged, tmp_path / "figures", lang="en")
    for name, rel in written.items():
        svg = (tmp_path / rel).read_text(encoding="utf-8")
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert texts, name
        assert not [x for x in texts if CJK.search(x)], name
    net = (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    assert "Net emissions" in net and "Year" in net


def test_negative_values_are_drawn_with_a_hyphen(alpha, tmp_path):
    """A zone whose net emissions fell below zero: tick labels must not need U+2212."""
    results = copy.deepcopy(alpha)
    for row in results["emissions_by_year"]:
        row["net_tco2e"] = row["net_tco2e"] - 20_000
    written = write_zone_charts(results, tmp_path / "figures", lang="zh")
    svg = (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    assert "\u2212" not in svg and re.search(r">-\d", svg)


def test_charts_with_nothing_to_show_are_left_out_and_stale_files_removed(staged, tmp_path):
    folder = tmp_path / "figures"
    write_zone_charts(staged, folder, lang="zh")
    assert (folder / "indicators.svg").exists() and (folder / "non_fossil.svg").exists()
    bare = copy.deepcopy(staged)
    bare["indicators"] = []
    bare["score"] = None
    bare["activity_by_year"] = []
    bare["targets"] = [t for t in bare["targets"] if t["metric"] != "non_fossil_share_pct"]
    written = write_zone_charts(bare, folder, lang="zh")
    assert "indicators" not in written and not (folder / "indicators.svg").exists()
    assert "non_fossil" not in written and not (folder / "non_fossil.svg").exists()
    assert "net_emissions" in written and "sectors" in written


def test_results_without_engine_extras_still_chart(alpha, tmp_path):
    """Charts read only results.json keys; older results (no indicators, score, activity) degrade."""
    old = {k: v for k, v in alpha.items() if k not in ("indicators", "score", "grade", "coverage_pct")}
    written = write_zone_charts(old, tmp_path / "figures", lang="zh")
    assert "net_emissions" in written and "indicators" not in written


def test_non_fossil_series_prefers_yearly_rows_then_indicator_then_targets(alpha):
    results = copy.deepcopy(alpha)
    results["activity_by_year"] = [{"year": 2015, "total_energy_tce": 6000, "non_fossil_energy_tce": 600},
                                   {"year": 2019, "non_fossil_share_pct": 40.0}]
    assert non_fossil_series(results) == [(2015, 10.0), (2019, 40.0)]
    results.pop("activity_by_year")
    series = dict(non_fossil_series(results))
    ind = next(i for i in alpha["indicators"] if i["id"] == "non_fossil_share_pct")
    assert series[ind["year"]] == pytest.approx(ind["value"])
