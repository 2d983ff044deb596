"""The indicator framework: what the issue asks it to hold, and refusal of a broken file.

The content tests check the shipped params/framework.yaml on purpose (what the issue
asks it to hold); the refusal tests break the tests' own copy (tests/data/engine-params).
"""
import csv
import json
import textwrap

import pytest

from nzc_report.assess import load_framework
from nzc_report.assess.frameworks import load_frameworks
from nzc_report.assess.indicators import FORMULAS
from nzc_report.dataset.vocab import DOMAINS, MEASURE_STATUSES, MECHANISMS, ZONE_TYPES
from nzc_report.errors import ConfigError, UsageError
from nzc_report.resources import PARAMS_DIR, SAMPLE_DATA_DIR, SCHEMAS_DIR

from engine_data import FRAMEWORK_PATH, SHIPPED_FRAMEWORK
from nzc_report.yamlfile import speaking


@pytest.fixture(autouse=True)
def _english():
    """The problems read here in English (the library's own default is Chinese; the Chinese forms
    are checked in test_cli_language.py)."""
    with speaking("en"):
        yield

FW = load_framework(SHIPPED_FRAMEWORK)  # the shipped framework, on purpose

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
    # every id the sample reports is an indicator of a shipped framework (the parks' of zero-carbon-park)
    shipped = load_frameworks(PARAMS_DIR)
    for iid in ids:
        defined = [fw.indicator(iid) for fw in shipped if fw.indicator(iid) is not None]
        assert defined and all(ind.kind == "indicators" for ind in defined), iid
    assert {"industrial_water_reuse_pct"} <= ids - {i.id for i in FW.indicators}  # not near-zero-zone's own


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


def test_a_broken_framework_is_refused_with_every_problem_at_its_line(tmp_path):
    """Schema problems (schemas/framework.schema.json) and cross-references, all in one refusal."""
    text = FRAMEWORK_PATH.read_text(encoding="utf-8")
    for old, new in [("applies_to: [town, county, new_district, community, ecological]",
                      "applies_to: [twon, county, new_district, community, ecological]"),
                     ("formula: net_per_gdp", "formula: net_per_gpd"),
                     ("{floor: 20, benchmark: 80, source: judgement, note: 起评值约为全国非化石能源消费比重。}",
                      "{floor: 80, benchmark: 20, source: judgment}"),
                     ("    weight: 20\n", "    weihgt: 20\n"),
                     ("provisional_below_coverage_pct: 60", "provisional_below_coverage_pct: 160"),
                     ('version: "2.0"', "version: 2.0")]:
        assert old in text
        text = text.replace(old, new, 1)
    broken = tmp_path / "framework.yaml"
    broken.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    def line(start: str) -> int:
        return next(i for i, x in enumerate(lines) if x.strip().startswith(start)) + 1

    with pytest.raises(ConfigError) as exc:
        load_framework(broken)
    assert not isinstance(exc.value, UsageError)  # a configuration error (issue 14)
    zone_types = ", ".join(ZONE_TYPES)
    formulas = ", ".join(FORMULAS)
    non_fossil = line("default: {floor: 80, benchmark: 20, source: judgment}")
    assert exc.value.format_message().splitlines() == [
        f'{broken}:{line("version:")}: version: must be text (write it in quotes: "2.0")',
        f"{broken}:{line('provisional_below')}: grades.provisional_below_coverage_pct: must be at most 100, not 160",
        f"{broken}:{line('- id: net_reduction_pct')}: missing key 'indicators[0].weight'",
        f"{broken}:{line('weihgt:')}: unknown key 'indicators[0].weihgt' (did you mean 'weight'?)",
        f"{broken}:{line('applies_to: [twon')}: indicators[1].applies_to[0]: 'twon' is not one of: {zone_types} "
        "(did you mean 'town'?)",
        f"{broken}:{line('compute: {kind: derived, formula: net_per_gpd}')}: indicators[2].compute.formula: "
        f"'net_per_gpd' is not one of: {formulas} (did you mean 'net_per_gdp'?)",
        f"{broken}:{non_fossil}: indicators[3].thresholds.default.source: unknown source 'judgment' "
        "(did you mean 'judgement'?)",
        f"{broken}:{non_fossil}: indicators[3].thresholds.default: benchmark 20 is not on the better side of "
        "floor 80 for direction 'higher'",
        "configuration refused: 8 problems"]


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
        measure_statuses_for_coverage: [ongoing, completed]
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
              park:
                - {floor: 0, benchmark: 50, source: judgement}
                - {floor: 0, benchmark: 60, source: judgement, below_total_energy_tce: 100}
        """)
    broken.write_text(fw_text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_framework(broken)
    assert exc.value.format_message().splitlines() == [
        f"{broken}:11: indicators: no indicator with a weight above 0 applies to county, new_district, park, "
        "community, building, organisation, mining, agriculture, ecological, industry: "
        "zones of these types could never be scored",
        f"{broken}:21: indicators[0].thresholds: no thresholds for zone type 'town' (add 'town' or 'default')",
        f"{broken}:23: indicators[0].thresholds.park: every band but the last needs 'below_total_energy_tce', "
        "the last none",
        "configuration refused: 3 problems"]


def test_a_missing_or_unreadable_framework_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml: no such file"):
        load_framework(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("indicators: [", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml:1: not valid YAML"):
        load_framework(bad)


def test_the_framework_vocabularies_are_the_schemas_enums():
    """schemas/framework.schema.json states the zone types, domains, mechanisms, statuses and
    formulas the code has (dataset/vocab.py, assess/indicators.py)."""
    defs = json.loads((SCHEMAS_DIR / "framework.schema.json").read_text(encoding="utf-8"))["$defs"]
    assert defs["zone_type"]["enum"] == list(ZONE_TYPES)
    assert defs["domain"]["enum"] == list(DOMAINS)
    assert defs["mechanism"]["enum"] == list(MECHANISMS)
    assert defs["measure_status"]["enum"] == list(MEASURE_STATUSES)
    assert defs["formula"]["enum"] == list(FORMULAS)


def test_units_for_the_dataset_check():
    units = FW.units()
    assert units["nev_share_pct"] == "%" and units["net_emissions_tco2e"] == "吨二氧化碳当量"
    assert set(units) == {i.id for i in FW.indicators} | set(FW.target_metrics)
