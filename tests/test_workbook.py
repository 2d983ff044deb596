"""The Excel data-entry workbook: template layout, filled-in template, export round-trip."""
import csv
import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from nzc_report.cli import main
from nzc_report.dataset import load_dataset
from nzc_report.dataset.io import header_label
from nzc_report.dataset.schema import TABLES
from nzc_report.dataset.workbook import export_workbook, write_template
from nzc_report.errors import DatasetError

import sampledata


def _number_or_text(text: str):
    """What a person typing into Excel gets: numbers become numbers, the rest stays text."""
    try:
        f = float(text)
    except ValueError:
        return text
    return int(f) if f.is_integer() else f


def fill(template, csv_dir, out):
    """The template filled in from the CSV files of ``csv_dir``, from row 3 down."""
    wb = openpyxl.load_workbook(template)
    for f in sorted(csv_dir.glob("*.csv")):
        ws = wb[f.stem]
        names = [c.value for c in ws[1]]
        with open(f, encoding="utf-8", newline="") as fh:
            for r, row in enumerate(csv.DictReader(fh), start=3):
                for name, text in row.items():
                    if name in names and text:
                        ws.cell(r, names.index(name) + 1, _number_or_text(text))
    wb.save(out)
    return out


def _tables_equal(a, b):
    for name in TABLES:
        pd.testing.assert_frame_equal(a.tables[name].drop(columns="__row__"),
                                      b.tables[name].drop(columns="__row__"))
    assert a.meta == b.meta


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "template.xlsx"
    assert main(["template", "--out", str(path)]) == 0
    return path


def _validation(ws, letter: str):
    """The data validation covering row 3 of a column."""
    for dv in ws.data_validations.dataValidation:
        if f"{letter}3" in dv.sqref:
            return dv
    return None


def test_template_has_a_readme_and_one_sheet_per_file(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["README", *TABLES, "lists", "indicator_ids"]
    # issue 30: every indicator id indicators.csv takes, with its Chinese label and frameworks
    ids = {row[0]: row for row in wb["indicator_ids"].iter_rows(min_row=2, values_only=True)}
    assert ids["waste_heat_utilisation_pct"][1:] == ("余热余冷余压综合利用率", "Waste heat, cold and pressure utilisation",
                                                     "%", "zero-carbon-park")
    for name, spec in TABLES.items():
        ws = wb[name]
        assert [c.value for c in ws[1]] == [c.name for c in spec]
        assert [c.value for c in ws[2]] == [header_label(name, c.name) for c in spec]
        assert ws.freeze_panes == "A3"
    readme = [[c.value for c in row] for row in wb["README"].iter_rows()]
    explained = {(r[0], r[1]) for r in readme if len(r) > 1 and r[1]}
    assert explained >= {(name, c.name) for name, spec in TABLES.items() for c in spec}
    assert header_label("zones", "province") == "省级行政区 / Province"


def _choices(wb, dv) -> list[str]:
    """The values a list validation offers: its inline list, or the cells of its range."""
    if dv.formula1.startswith('"'):
        return dv.formula1.strip('"').split(",")
    sheet, cells = dv.formula1.rsplit("!", 1)
    return [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]


def test_template_has_dropdowns_and_ranges(template):
    wb = openpyxl.load_workbook(template)
    zones = wb["zones"]
    zone_type = _validation(zones, "E")
    assert zone_type.type == "list" and zone_type.errorStyle == "stop"
    assert _choices(wb, zone_type) == ["城镇", "县域", "新区", "园区", "社区/村", "建筑", "企事业单位", "交通", "工矿区",
                                       "农业园区", "生态功能区", "行业", "town", "county", "new_district", "park",
                                       "community", "building", "organisation", "transport", "mining",
                                       "agriculture", "ecological", "industry"]
    province = _validation(zones, "C")
    assert province.type == "list" and "广东省" in _choices(wb, province) and province.errorStyle == "warning"
    assert _validation(zones, "F").type == "whole"
    assert (_validation(zones, "F").formula1, _validation(zones, "F").formula2) == ("1900", "2100")
    emissions = wb["emissions"]
    assert _choices(wb, _validation(emissions, "C")) == ["产业", "能源", "交通", "建筑", "消费", "industry", "energy",
                                                         "transport", "building", "consumption"]
    amount = _validation(emissions, "D")
    assert (amount.type, amount.operator, amount.formula1) == ("decimal", "greaterThanOrEqual", "0")
    mechanisms = wb["mechanisms"]
    assert {"public_engagement", "低碳生活与公众参与"} <= set(_choices(wb, _validation(mechanisms, "C")))
    assert _choices(wb, _validation(mechanisms, "D")) == ["已建立", "部分建立", "未建立", "yes", "partial", "no"]


def test_template_reads_back_the_chinese_labels_it_offers_and_its_chinese_headers(template, tmp_path):
    """A workbook filled in by choosing 县域, 能源, 计划 … from the dropdowns, with the columns
    headed by their Chinese labels, reads as the codes."""
    wb = openpyxl.load_workbook(template)
    zones = wb["zones"]
    for j, cell in enumerate(zones[1]):
        cell.value = zones.cell(2, j + 1).value.split(" / ")[0]  # 区域编号, 区域名称 …
    for j, value in enumerate(["alpha", "甲县", "广东省", None, "县域", 2017, 2015, "能源；建筑"]):
        zones.cell(3, j + 1, value)
    emissions = wb["emissions"]
    emissions.append(["alpha", 2015, "能源", 100])
    measures = wb["measures"]
    measures.append(["alpha", "m1", "光伏", "能源", "实施中"])
    mechanisms = wb["mechanisms"]
    mechanisms.append(["alpha", 2015, "财政补贴、以奖代补、贷款贴息", "部分建立"])
    path = tmp_path / "filled.xlsx"
    wb.save(path)
    ds = load_dataset(path)
    assert ds.zone("alpha")["zone_type"] == "county"
    assert ds.zone("alpha")["sectors"] == ("energy", "building")
    assert ds.tables["emissions"]["sector"].tolist() == ["energy"]
    assert ds.tables["measures"][["sector", "status"]].values.tolist() == [["energy", "ongoing"]]
    assert ds.tables["mechanisms"][["mechanism", "status"]].values.tolist() == [["fiscal_support", "partial"]]


def test_empty_template_says_what_to_fill(template):
    with pytest.raises(DatasetError) as info:
        load_dataset(template, lang="en")
    assert info.value.format_message().splitlines() == [
        "template.xlsx[zones]: has no data rows below the column names",
        "template.xlsx[emissions]: has no data rows below the column names",
        "dataset refused: 2 problems"]


def test_filled_template_reads_like_the_csv_files(template, tiny_dir, tmp_path):
    filled = fill(template, tiny_dir, tmp_path / "dataset.xlsx")
    _tables_equal(load_dataset(tiny_dir), load_dataset(filled))


@pytest.mark.e2e
def test_filled_template_builds(template, tiny_dir, tmp_path, capsys):
    filled = fill(template, tiny_dir, tmp_path / "dataset.xlsx")
    assert main(["validate", "--data", str(filled)]) == 0
    out = tmp_path / "out"
    assert main(["build", "--data", str(filled), "--zones", "alpha", "--out", str(out), "--jobs", "1"]) == 0
    (year_dir,) = out.iterdir()
    assert (year_dir / "zones" / "alpha" / "report.pdf").stat().st_size > 10_000
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [i["file"] for i in manifest["inputs"]] == ["dataset.xlsx"]


@pytest.mark.parametrize("source", ["tiny", "sample"])
def test_export_round_trips(source, tiny_dir, sample_dir, tmp_path):
    # the sample as tests/sampledata.py loaded it once per process (its tables as loaded without indicator ids)
    ds = load_dataset(tiny_dir) if source == "tiny" else sampledata.dataset()
    assert ds.source == (tiny_dir if source == "tiny" else sample_dir)
    out = tmp_path / "dataset.xlsx"
    assert main(["export", "--data", str(ds.source), "--out", str(out)]) == 0
    _tables_equal(ds, load_dataset(out))


def test_export_is_byte_identical_and_atomic(tiny_dir, tmp_path):
    ds = load_dataset(tiny_dir)
    a, b = tmp_path / "a" / "dataset.xlsx", tmp_path / "b" / "dataset.xlsx"
    export_workbook(ds, a)
    b.parent.mkdir()
    b.write_bytes(b"an older file")
    export_workbook(ds, b)  # replaces it
    assert a.read_bytes() == b.read_bytes()
    assert [p.name for p in b.parent.iterdir()] == ["dataset.xlsx"]  # no temporary file left
    write_template(tmp_path / "t1.xlsx")
    write_template(tmp_path / "t2.xlsx")
    assert (tmp_path / "t1.xlsx").read_bytes() == (tmp_path / "t2.xlsx").read_bytes()


def test_text_that_looks_like_a_formula_stays_text(tiny_copy, tmp_path):
    formula = '=HYPERLINK("http://example.com","点击")'
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace("甲镇人民政府", '"=HYPERLINK(""http://example.com"",""点击"")"'),
                                         encoding="utf-8")
    ds = load_dataset(tiny_copy)
    assert ds.zone("alpha")["implementing_body"] == formula
    out = tmp_path / "dataset.xlsx"
    export_workbook(ds, out)
    cell = openpyxl.load_workbook(out)["zones"]["J3"]
    assert (cell.value, cell.data_type) == (formula, "s")
    assert load_dataset(out).zone("alpha")["implementing_body"] == formula


def test_problems_point_at_cells(template, tiny_copy, tmp_path):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace(",Zhejiang,", ",Zhejiangg,"), encoding="utf-8")
    filled = fill(template, tiny_copy, tmp_path / "dataset.xlsx")
    with pytest.raises(DatasetError) as info:
        load_dataset(filled, lang="en")
    assert info.value.format_message().splitlines() == [
        "dataset.xlsx[zones]!C4: 'Zhejiangg' is not a provincial-level division (did you mean '浙江省'?)",
        "warning: dataset.xlsx[emissions]:year: zone 'alpha' has no emissions for 2017 (a gap, reported as not reported)",
        "warning: dataset.xlsx[emissions]:year: zone 'beta' has no emissions for 2017 (a gap, reported as not reported)",
        "dataset refused: 1 problem"]


def test_merged_cells_are_one_problem(template, tiny_dir, tmp_path):
    filled = fill(template, tiny_dir, tmp_path / "dataset.xlsx")
    wb = openpyxl.load_workbook(filled)
    wb["zones"].merge_cells("E3:E4")  # the two zone types, merged
    wb.save(filled)
    with pytest.raises(DatasetError) as info:
        load_dataset(filled, lang="zh")
    assert [str(p) for p in info.value.errors] == [
        "dataset.xlsx[zones]!E3:E4: 合并单元格 E3:E4：请取消合并并逐格填写"]


def test_excel_dates_and_whole_floats_are_read_as_typed(template, tiny_dir, tmp_path):
    filled = fill(template, tiny_dir, tmp_path / "dataset.xlsx")
    wb = openpyxl.load_workbook(filled)
    ws = wb["zones"]
    ws["L3"] = dt.datetime(2017, 1, 5)  # plan_date typed as a date: Excel stores a date cell
    ws["F3"] = 2018.0  # approved_year as a float
    wb.save(filled)
    z = load_dataset(filled).zone("alpha")
    assert (z["plan_date"], z["approved_year"]) == ("2017-01-05", 2018)


def test_label_row_is_data_when_it_is_not_the_labels(template, tiny_dir, tmp_path):
    filled = fill(template, tiny_dir, tmp_path / "dataset.xlsx")
    wb = openpyxl.load_workbook(filled)
    wb["meta"]["A2"] = "title"  # a person wrote a record over the label row
    wb["meta"]["B2"] = "测试标题"
    wb.save(filled)
    assert load_dataset(filled).meta["title"] == "测试标题"


def test_every_column_is_documented_in_both_languages():
    from nzc_report.dataset.catalogue import column_docs

    for name, spec in TABLES.items():
        docs = column_docs(name)["columns"]
        assert set(docs) == {c.name for c in spec}, name
        for column, doc in docs.items():
            # a stray comma in a YAML flow mapping would add a key and cut a label
            assert set(doc) == {"zh", "en", "zh_help", "en_help"}, (name, column, doc)
            assert doc["zh"] and doc["en"], (name, column)
