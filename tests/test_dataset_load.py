"""Loading a dataset into typed frames (tests/data/tiny: two zones)."""
import shutil

import pytest

from nzc_report.dataset import load_dataset
from nzc_report.dataset.provinces import province_code
from nzc_report.dataset.cells import number_text
from nzc_report.dataset.schema import NUMBER_RE
from nzc_report.errors import DatasetError


def test_tiny_loads_typed(tiny_dir):
    ds = load_dataset(tiny_dir)
    assert ds.zone_ids == ["alpha", "beta"]
    e = ds.tables["emissions"]
    assert str(e["year"].dtype) == "Int64"
    assert e["emissions_tco2e"].dtype == "float64"
    # "10,000" with a thousands separator is ten thousand, not ten
    assert e[(e.zone_id == "alpha") & (e.year == 2015) & (e.sector == "energy")]["emissions_tco2e"].item() == 10000


def test_zone_fields_are_normalised(tiny_dir):
    ds = load_dataset(tiny_dir)
    alpha, beta = ds.zone("alpha"), ds.zone("beta")
    assert alpha["province_code"] == "440000" and alpha["province_name"] == "广东省"
    assert beta["province_code"] == "330000"  # given as pinyin 'Zhejiang'
    assert alpha["sectors"] == ("energy", "building", "ecology")
    assert beta["area_km2"] == 1200.0
    assert beta["plan_document"] is None  # empty means not reported


def test_missing_optional_tables_are_empty(tiny_dir):
    ds = load_dataset(tiny_dir)
    assert ds.tables["measures"].empty and "measure_id" in ds.tables["measures"].columns


def test_gaps_are_warnings_not_errors(tiny_dir):
    ds = load_dataset(tiny_dir, lang="en")
    gaps = [str(w) for w in ds.warnings]
    assert "emissions.csv:year: zone 'alpha' has no emissions for 2017 (a gap, reported as not reported)" in gaps


def test_warnings_follow_lang(tiny_dir):
    ds = load_dataset(tiny_dir, lang="zh")
    assert "emissions.csv:year: 区域“alpha”缺少 2017 年的排放数据（视为未报告）" in [str(w) for w in ds.warnings]


def test_meta_labels_the_data(tiny_dir):
    ds = load_dataset(tiny_dir)
    assert ds.is_sample and ds.label == "测试数据" and ds.report_date == "2020-03-31"


def test_a_meta_key_with_an_empty_value_is_empty_text(tiny_copy):
    """An empty cell in meta.value reads as "" (it was NaN, and ds.is_sample raised AttributeError)."""
    (tiny_copy / "meta.csv").write_text("key,value\ndataset_label,测试数据\nis_sample,\nreport_date,\n",
                                        encoding="utf-8")
    ds = load_dataset(tiny_copy)
    assert ds.meta == {"dataset_label": "测试数据", "is_sample": "", "report_date": ""}
    assert not ds.is_sample and ds.label == "测试数据" and ds.report_date is None


@pytest.mark.parametrize("text,value", [
    ("1,234.5", 1234.5), ("１２３４", 1234.0), ("35.2%", 35.2), ("1，234", 1234.0), ("-0.5", -0.5),
    ("１２，３４５．６", 12345.6), (" 1,234 ", 1234.0), ("−3", -3.0),
])
def test_number_formats(text, value):
    canonical = number_text(text, percent=True)
    assert NUMBER_RE.match(canonical) and float(canonical) == value


@pytest.mark.parametrize("text", ["1,23", "12,5", "1.234,5", "abc", "1 2 x", "nan", "inf", "35.2%%",
                                  "1 234", "1\u00a0234", "1\u202f234\u202f567", "1 234 567.5"])
def test_ambiguous_numbers_are_refused(text):
    assert not NUMBER_RE.match(number_text(text, percent=True))


def test_percent_sign_only_where_a_percentage(tiny_copy):
    (tiny_copy / "targets.csv").write_text(
        "zone_id,metric,target_year,target_value,source\n"
        "alpha,net_reduction_pct,2025,60%,测试目标\n"
        "beta,net_emissions_tco2e,2030,15000%,测试目标\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    # '60%' of a percentage target is 60; the % of a level is refused
    assert [str(p) for p in info.value.errors] == [
        "targets.csv:3:target_value: '15000%' has a % sign, but this is not a percentage "
        "(enter the number in the column's unit)"]


@pytest.mark.parametrize("name", ["广东省", "广东", "Guangdong", "guangdong", "440000", "Guǎngdōng",
                                  "Guangdong Province", " 广东 "])
def test_province_forms(name):
    assert province_code(name) == "440000"


def test_problems_are_all_reported_with_locations(tiny_copy):
    (tiny_copy / "emissions.csv").write_text(
        "zone_id,year,sector,emissions_tco2e\n"
        "alpha,2015,energy,abc\n"
        "gamma,2015,energy,10\n"
        "alpha,2015,bulding,5\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    assert [str(p) for p in info.value.errors] == [
        "zones.csv:3:baseline_year: baseline year 2016 of zone 'beta' has no emissions data",
        "emissions.csv:2:emissions_tco2e: 'abc' is not a number",
        "emissions.csv:3:zone_id: zone 'gamma' is not in zones.csv",
        "emissions.csv:4:sector: 'bulding' is not one of industry, energy, transport, building, consumption "
        "(did you mean 'building'?)",
    ]


def test_staged_targets_said_no_beside_targets_in_stages_is_warned_about_at_the_row(tiny_dir, tmp_path):
    # alpha sets net_reduction_pct for 2018 and 2025 (targets in stages), beta one 2030 target only
    shutil.copytree(tiny_dir, tmp_path / "d")
    (tmp_path / "d" / "mechanisms.csv").write_text(
        "zone_id,year,mechanism,status,evidence\n"
        "alpha,2019,staged_targets,no,测试\n"
        "alpha,2019,coordination,no,测试\n"
        "beta,2019,staged_targets,no,测试\n", encoding="utf-8")
    said = [str(w) for w in load_dataset(tmp_path / "d", lang="en").warnings if "staged" in str(w)]
    assert said == ["mechanisms.csv:2:status: zone 'alpha' says its staged targets are not in place in 2019, but "
                    "targets.csv sets net_reduction_pct targets for 2018, 2025 (targets in stages); the report "
                    "scores this row: correct one of the two"]
    zh = [str(w) for w in load_dataset(tmp_path / "d", lang="zh").warnings if "分阶段" in str(w)]
    assert len(zh) == 1 and zh[0].startswith("mechanisms.csv:2:status: 区域“alpha” 2019年的分阶段目标填为“no”")
