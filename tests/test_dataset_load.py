"""Loading a dataset into typed frames (tests/data/tiny: two zones)."""
import pytest

from nzc_report.dataset import load_dataset
from nzc_report.dataset.provinces import province_code
from nzc_report.dataset.schema import parse_number
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
    ds = load_dataset(tiny_dir)
    gaps = [str(w) for w in ds.warnings]
    assert "emissions.csv:year: zone 'alpha' has no emissions for 2017 (a gap, reported as not reported)" in gaps


def test_meta_labels_the_data(tiny_dir):
    ds = load_dataset(tiny_dir)
    assert ds.is_sample and ds.label == "测试数据" and ds.report_date == "2020-03-31"


@pytest.mark.parametrize("text,value", [
    ("1,234.5", 1234.5), ("１２３４", 1234.0), ("35.2%", 35.2), ("1，234", 1234.0), ("-0.5", -0.5),
])
def test_number_formats(text, value):
    assert parse_number(text, percent_ok=True) == (value, None)


@pytest.mark.parametrize("text", ["1,23", "12,5", "1.234,5", "abc", "1 2 x"])
def test_ambiguous_numbers_are_refused(text):
    value, err = parse_number(text, percent_ok=True)
    assert value is None and err


@pytest.mark.parametrize("name", ["广东省", "广东", "Guangdong", "guangdong", "440000"])
def test_province_forms(name):
    assert province_code(name) == "440000"


def test_problems_are_all_reported_with_locations(tiny_copy):
    (tiny_copy / "emissions.csv").write_text(
        "zone_id,year,sector,emissions_tco2e\n"
        "alpha,2015,energy,abc\n"
        "gamma,2015,energy,10\n"
        "alpha,2015,bulding,5\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy)
    lines = [str(p) for p in info.value.errors]
    assert "emissions.csv:2:emissions_tco2e: 'abc' is not a number" in lines
    assert "emissions.csv:3:zone_id: zone 'gamma' is not in zones.csv" in lines
    assert any(l.startswith("emissions.csv:4:sector: 'bulding' is not one of") and "did you mean 'building'" in l
               for l in lines)
    assert "zones.csv:3:baseline_year: baseline year 2016 of zone 'beta' has no emissions data" in lines
