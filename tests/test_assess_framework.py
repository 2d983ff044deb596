"""The indicator framework: what the issue asks it to hold, and refusal of a broken file."""
import csv
import textwrap

import pytest

from nzc_report.assess import load_framework
from nzc_report.dataset.vocab import MECHANISMS, ZONE_TYPES
from nzc_report.errors import UsageError
from nzc_report.resources import SAMPLE_DATA_DIR

from engine_data import FRAMEWORK_PATH

FW = load_framework(FRAMEWORK_PATH)

# The issue's list, by the ids the framework gives them.
REQUIRED = [
    "net_reduction_pct", "non_fossil_share_pct", "carbon_per_energy_tco2e_per_tce",
    "net_emissions_per_capita_tco2e", "carbon_intensity_gdp_tco2e_per_10k_cny", "removals_share_pct",
    "measure_completion_pct", "sector_measure_coverage_pct", "green_building_share_pct", "nev_share_pct",
    "public_transport_share_pct", "waste_recycling_rate_pct", "green_coverage_pct",
]


def test_the_framework_is_versioned_and_holds_every_indicator_the_issue_lists():
    assert FW.version and FW.id
    for iid in REQUIRED:
        ind = FW.indicator(iid)
        assert ind is not None, iid
        assert ind.name_zh and ind.name_en and ind.unit
        assert ind.zone_types and ind.weight > 0


def test_every_mechanism_of_the_spec_is_an_indicator_read_from_mechanisms_csv():
    by_mechanism = {i.mechanism: i for i in FW.indicators if i.kind == "mechanisms"}
    assert set(by_mechanism) == set(MECHANISMS)
    assert FW.mechanism_values == {"yes": 100, "partial": 50, "no": 0}


def test_dimensions_are_the_issues_eight():
    assert set(FW.dimensions) == {"emissions", "energy", "industry", "transport", "building", "consumption",
                                  "ecology", "management"}
    assert {i.dimension for i in FW.indicators} <= set(FW.dimensions)


def test_indicator_ids_of_the_sample_data_are_defined():
    with open(SAMPLE_DATA_DIR / "indicators.csv", encoding="utf-8") as f:
        ids = {row["indicator_id"] for row in csv.DictReader(f)}
    for iid in ids:
        assert FW.indicator(iid) is not None and FW.indicator(iid).kind == "indicators", iid


def test_every_applicable_zone_type_has_a_floor_and_benchmark_on_the_better_side():
    for ind in FW.indicators:
        for zt in ind.zone_types:
            assert zt in ZONE_TYPES
            for band in ind.thresholds[zt]:
                assert (band.benchmark > band.floor) == ind.higher_is_better, (ind.id, zt)
                assert band.source in FW.sources


def test_benchmarks_cite_their_sources():
    cpe = FW.indicator("carbon_per_energy_tco2e_per_tce")
    assert cpe.direction == "lower"
    small = cpe.threshold("park", 500_000)
    large = cpe.threshold("park", 1_500_000)
    assert (small.benchmark, large.benchmark) == (0.2, 0.3)
    assert small.source == large.source == "zero_carbon_park_2025"
    assert "零碳园区" in FW.source_title(small.source)
    pt = FW.indicator("public_transport_share_pct").threshold("community")
    assert pt.benchmark == 60 and pt.source == "ndrc_low_carbon_community_2015"
    gb = FW.indicator("green_building_share_pct").threshold("community")
    assert gb.benchmark == 100 and "低碳社区" in FW.source_title(gb.source)
    assert FW.source_title("judgement") == "评估组设定"


def test_grades_and_their_cut_offs():
    assert [(g, m) for g, _, m in FW.grade_bands] == [("优秀", 85), ("合格", 60), ("不合格", 0)]
    assert "深圳" in FW.source_title(FW.grade_source)
    assert FW.grade(85)[0] == "优秀" and FW.grade(84.99)[0] == "合格"
    assert FW.grade(60)[0] == "合格" and FW.grade(59.99)[0] == "不合格"
    assert FW.grade(None) == (None, None)


def test_target_metrics_have_directions():
    assert FW.metric("net_emissions_tco2e")["direction"] == "lower"
    assert FW.metric("net_reduction_pct")["direction"] == "higher"
    assert FW.metric("nev_share_pct")["name_zh"] == "新能源汽车占比"
    assert FW.metric("no_such_metric") is None


def test_a_broken_framework_is_refused_with_every_problem(tmp_path):
    text = FRAMEWORK_PATH.read_text(encoding="utf-8")
    text = text.replace("applies_to: [town, county, new_district, community, ecological]",
                        "applies_to: [twon, county, new_district, community, ecological]")
    text = text.replace("formula: net_per_gdp", "formula: net_per_gpd")
    text = text.replace("{floor: 20, benchmark: 80, source: judgement, note: 起评值约为全国非化石能源消费比重。}",
                        "{floor: 80, benchmark: 20, source: judgment}")
    broken = tmp_path / "framework.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as exc:
        load_framework(broken)
    message = str(exc.value)
    assert "unknown zone type 'twon' (did you mean 'town'?)" in message
    assert "unknown formula 'net_per_gpd' (did you mean 'net_per_gdp'?)" in message
    assert "unknown source 'judgment' (did you mean 'judgement'?)" in message
    assert "not on the better side" in message
    assert "4 problem(s)" in message


def test_missing_thresholds_for_an_applicable_type_are_refused(tmp_path):
    broken = tmp_path / "framework.yaml"
    fw_text = textwrap.dedent("""\
        id: x
        version: "0"
        title: x
        sources: {judgement: {title: t}}
        dimensions: {energy: 能源}
        grades: {source: judgement, provisional_below_coverage_pct: 60, bands: [{grade: A, min: 0}]}
        mechanism_values: {"yes": 100, "partial": 50, "no": 0}
        measure_status_values: {completed: 100, ongoing: 50, planned: 0, suspended: 0}
        target_status_labels: {on_track: a, at_risk: b, off_track: c, achieved: d, missed: e, no_data: f}
        indicators:
          - id: nev_share_pct
            name_zh: 新能源汽车占比
            name_en: NEV share
            unit: "%"
            dimension: energy
            direction: higher
            compute: {kind: indicators}
            applies_to: [transport, town]
            weight: 1
            thresholds:
              transport: {floor: 0, benchmark: 100, source: judgement}
        """)
    broken.write_text(fw_text, encoding="utf-8")
    with pytest.raises(UsageError, match="no thresholds for zone type 'town'"):
        load_framework(broken)


def test_a_missing_or_unreadable_framework_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        load_framework(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators: [", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid YAML"):
        load_framework(bad)


def test_units_for_the_dataset_check():
    units = FW.units()
    assert units["nev_share_pct"] == "%" and units["net_emissions_tco2e"] == "吨二氧化碳当量"
    assert set(units) == {i.id for i in FW.indicators} | set(FW.target_metrics)
