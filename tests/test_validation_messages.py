"""How problems are told: capped, in the language asked for, with suggestions; what is read as what."""
import pytest

from nzc_report.dataset import load_dataset
from nzc_report.errors import DatasetError, UsageError
from nzc_report.resources import PARAMS_DIR


@pytest.fixture(scope="module")
def units():
    from nzc_report.assess.frameworks import load_frameworks

    return load_frameworks(PARAMS_DIR).units()  # every shipped framework's (the sample's example parks)


def _emissions(folder, rows: list[str]):
    (folder / "emissions.csv").write_text("zone_id,year,sector,emissions_tco2e\n" + "\n".join(rows) + "\n",
                                          encoding="utf-8")


def test_many_problems_are_capped_but_all_kept(tiny_copy):
    sectors = ["industry", "energy", "transport", "building", "consumption"]
    _emissions(tiny_copy, ["alpha,2015,energy,1", "beta,2016,energy,1"]
               + [f"alpha,{1950 + i // 5},{sectors[i % 5]},x{i}" for i in range(250)])
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    assert len(info.value.errors) == 250 and len(info.value.problems) == 251  # + one gap warning
    lines = info.value.format_message().splitlines()
    assert len(lines) == 202
    assert lines[0] == "emissions.csv:4:emissions_tco2e: 'x0' is not a number"
    assert lines[199] == "emissions.csv:203:emissions_tco2e: 'x199' is not a number"
    assert lines[200:] == ["… and 51 more", "dataset refused: 250 problems"]


def test_cap_line_in_chinese(tiny_copy):
    _emissions(tiny_copy, [f"alpha,{1900 + i},energy,x" for i in range(201)])
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="zh")
    assert info.value.format_message().splitlines()[-2:] == ["……另有 3 条", "数据集未通过校验：共 203 个问题"]


def test_unknown_lang_is_a_usage_error(tiny_dir):
    with pytest.raises(UsageError):
        load_dataset(tiny_dir, lang="fr")


@pytest.mark.parametrize("written", ["广东", "广东省", "Guangdong", "GUANGDONG", "Guǎngdōng", "guangdong sheng"])
def test_province_spellings_in_data(tiny_copy, written):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace(",广东,", f",{written},"), encoding="utf-8")
    assert load_dataset(tiny_copy).zone("alpha")["province_name"] == "广东省"


@pytest.mark.parametrize("written,suggested", [("Guangdongg", "广东省"), ("广东身", "广东省"),
                                               ("Zhejang", "浙江省"), ("neimeng", "内蒙古自治区")])
def test_province_suggestions(tiny_copy, written, suggested):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace(",广东,", f",{written},"), encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    assert [str(p) for p in info.value.errors] == [
        f"zones.csv:2:province: '{written}' is not a provincial-level division (did you mean '{suggested}'?)"]


def test_how_cells_are_read(tiny_copy):
    _emissions(tiny_copy, ['alpha,2015.0,energy,"１０，０００"', 'alpha,2015,building," 5,000 "',
                           "alpha,2016,energy,9000", "alpha,2016,building,5000",
                           "beta,2016,industry,2e4", "beta,2016,energy,+10000"])
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    text = text.replace("energy;building;ecology", "energy；building、ecology").replace(",2017-01", ",2017/1")
    (tiny_copy / "zones.csv").write_text(text, encoding="utf-8")
    ds = load_dataset(tiny_copy)
    e = ds.tables["emissions"]
    assert list(e["year"]) == [2015, 2015, 2016, 2016, 2016, 2016]
    assert list(e["emissions_tco2e"]) == [10000.0, 5000.0, 9000.0, 5000.0, 20000.0, 10000.0]
    alpha = ds.zone("alpha")
    assert alpha["sectors"] == ("energy", "building", "ecology") and alpha["plan_date"] == "2017-01"


def test_framework_indicators_and_metrics(tiny_copy, units):
    (tiny_copy / "indicators.csv").write_text(
        "zone_id,year,indicator_id,value,source\n"
        "alpha,2019,green_coverage_pct,45%,统计\n"
        "alpha,2019,green_coverag_pct,45,统计\n"
        "alpha,2019,nev_share_pct,0.5,统计\n", encoding="utf-8")
    (tiny_copy / "targets.csv").write_text(
        "zone_id,metric,target_year,target_value,source\n"
        "alpha,non_fossil_share,2025,50,方案\n"
        "alpha,removals_share_pct,2025,150,方案\n"
        "beta,net_emissions_tco2e,2030,150000,方案\n", encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en", indicator_units=units)
    assert [str(p) for p in info.value.errors] == [
        "indicators.csv:3:indicator_id: 'green_coverag_pct' is not an indicator of the framework "
        "(did you mean 'green_coverage_pct'?)",
        "targets.csv:2:metric: 'non_fossil_share' is not a target metric: use net_emissions_tco2e, "
        "net_reduction_pct, non_fossil_share_pct or an indicator of the framework "
        "(did you mean 'non_fossil_share_pct'?)",
        "targets.csv:3:target_value: '150' is not a percentage within 0..100 (write 35.2 for 35.2 %)",
    ]


def test_percent_unit_comes_from_the_framework(tiny_copy):
    (tiny_copy / "indicators.csv").write_text(
        "zone_id,year,indicator_id,value,source\nalpha,2019,coverage,120,统计\n", encoding="utf-8")
    assert load_dataset(tiny_copy, indicator_units={"coverage": "km"}).tables["indicators"]["value"].item() == 120
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en", indicator_units={"coverage": "%"})
    assert [str(p) for p in info.value.errors] == [
        "indicators.csv:2:value: '120' is not a percentage within 0..100 (write 35.2 for 35.2 %)"]


def test_sample_dataset_passes_every_check(sample_dir, units):
    ds = load_dataset(sample_dir, lang="en", indicator_units=units)
    assert len(ds.zone_ids) == 31
    assert all("gap" in w.message for w in ds.warnings)


def test_one_typo_in_a_zone_id_is_one_problem(tiny_copy):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace("\nalpha,", "\nAlpha,"), encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    # the rows of the other tables that say 'alpha' are not each reported as unknown
    assert [str(p) for p in info.value.errors] == [
        "zones.csv:2:zone_id: 'Alpha' is not a valid id: use lower-case letters, digits, '-' and '_', "
        "starting with a letter or digit, at most 64 characters (did you mean 'alpha'?)"]


def test_baseline_later_than_approval_is_a_warning(tiny_copy):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace("town,2017,2015", "town,2009,2015"), encoding="utf-8")
    ds = load_dataset(tiny_copy, lang="en")
    assert "zones.csv:2:baseline_year: baseline year 2015 is more than 5 years after the approval year 2009" \
        in [str(w) for w in ds.warnings]


def test_a_warning_on_a_cell_does_not_hide_an_error_on_it(tiny_copy):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace("town,2017,2015", "town,2001,2014"), encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    assert [str(p) for p in info.value.problems if p.file == "zones.csv"] == [
        "zones.csv:2:baseline_year: baseline year 2014 of zone 'alpha' has no emissions data",
        "zones.csv:2:baseline_year: baseline year 2014 is more than 5 years after the approval year 2001"]
