"""The zone charts: vector SVG with text as text in the CJK sans, no overlapping labels,
the same bytes every time, English labels for English reports, and nothing drawn
where there is nothing to show."""
import copy
import hashlib
import logging
import re

import pytest

from nzc_report.charts import ZONE_CHARTS, overlapping_texts, write_zone_charts
from nzc_report.charts.energy import non_fossil_series
from nzc_report.charts.labels import LABELS
from reportdata import zone_results


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha")


@pytest.fixture(scope="module")
def beta():
    return zone_results("beta")


def test_label_catalogues_have_the_same_keys():
    assert set(LABELS["zh"]) == set(LABELS["en"])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(ZONE_CHARTS))
def test_no_label_overlaps_another(alpha, beta, name, lang):
    drawn = 0
    for results in (alpha, beta):
        fig = ZONE_CHARTS[name](results, lang)
        if fig is None:
            continue
        drawn += 1
        assert overlapping_texts(fig) == [], f"{name} ({lang}) of {results['zone_id']}"
    assert drawn, f"{name} drew for neither tiny zone"


def test_svg_keeps_text_as_text_in_the_cjk_sans_only(alpha, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    written = write_zone_charts(alpha, tmp_path / "figures", lang="zh")
    assert set(written) >= {"net_emissions", "sectors", "non_fossil", "indicators"}
    for name, rel in written.items():
        svg = (tmp_path / rel).read_text(encoding="utf-8")
        assert "<text" in svg, name  # not outlined into paths
        families = set(re.findall(r"font-family: ([^;\"]+)", svg))
        # the CJK sans and nothing else by name: no DejaVu or JP face to fall back on
        assert families == {"'Noto Sans CJK SC', sans-serif"}, (name, families)
        assert "\u2212" not in svg, name  # hyphen-minus, not a glyph the face may lack
        assert "<dc:date>" not in svg, name  # no build date inside
    assert "年份" in (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    # matplotlib reports a missing font or glyph through logging as well as warnings
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")], caplog.records


def test_identical_results_give_identical_svg_bytes(alpha, tmp_path):
    def digests(folder):
        written = write_zone_charts(alpha, folder, lang="zh")
        return {n: hashlib.sha256((folder.parent / rel).read_bytes()).hexdigest() for n, rel in written.items()}

    assert digests(tmp_path / "a" / "figures") == digests(tmp_path / "b" / "figures")


def test_english_charts_have_english_labels(alpha, tmp_path):
    written = write_zone_charts(alpha, tmp_path / "figures", lang="en")
    net = (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    assert "Net emissions" in net and "Year" in net
    assert "净排放" not in net and "年份" not in net


def test_negative_values_are_drawn_with_a_hyphen(alpha, tmp_path):
    """A zone whose net emissions fell below zero: tick labels must not need U+2212."""
    results = copy.deepcopy(alpha)
    for row in results["emissions_by_year"]:
        row["net_tco2e"] = row["net_tco2e"] - 20_000
    written = write_zone_charts(results, tmp_path / "figures", lang="zh")
    svg = (tmp_path / written["net_emissions"]).read_text(encoding="utf-8")
    assert "\u2212" not in svg and re.search(r">-\d", svg)


def test_charts_with_nothing_to_show_are_left_out_and_stale_files_removed(alpha, tmp_path):
    folder = tmp_path / "figures"
    write_zone_charts(alpha, folder, lang="zh")
    assert (folder / "indicators.svg").exists()
    bare = copy.deepcopy(alpha)
    bare["indicators"] = []
    bare["score"] = None
    bare["targets"] = [t for t in bare["targets"] if t["metric"] != "non_fossil_share_pct"]
    written = write_zone_charts(bare, folder, lang="zh")
    assert "indicators" not in written and not (folder / "indicators.svg").exists()
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
