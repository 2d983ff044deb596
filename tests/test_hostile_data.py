"""Nothing the user typed is silently misread, no input is unbounded (issue 26): Excel as the
user typed it, strict text files, the dataset's bounds. Every refusal is exit 2 with
FILE:ROW:COLUMN (or FILE for a file as a whole), no traceback; bombs are made here, never committed."""
import functools
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nzc_report.assess import assess_zone
from nzc_report.assess.framework import load_framework
from nzc_report.cli import main
from nzc_report.dataset import load_dataset
from nzc_report.dataset.catalogue import limits
from nzc_report.dataset.workbook import export_workbook
from nzc_report.errors import DatasetError
from nzc_report.findings.results import indicator_rows
from nzc_report.resources import params_file


def _framework():
    return load_framework(params_file("frameworks/near-zero-zone.yaml"))


def _refused(data, capsys) -> list[str]:
    """validate's lines on stderr, after checking it refused the data as the contract says."""
    assert main(["validate", "--data", str(data), "--lang", "en"]) == 2
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return out.err.splitlines()


@functools.cache
def _exported(data: Path) -> bytes:
    """export_workbook's workbook of the dataset, made once per process (an export is byte-identical
    every time: test_workbook.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dataset.xlsx"
        export_workbook(load_dataset(data), path)
        return path.read_bytes()


def _workbook(tmp_path, tiny_dir):
    """The tiny dataset in the data-entry workbook, open for editing, and where to save it."""
    path = tmp_path / "dataset.xlsx"
    path.write_bytes(_exported(tiny_dir))
    return openpyxl.load_workbook(path), path


def _add_row(ws, values: dict) -> int:
    names = [c.value for c in ws[1]]
    row = ws.max_row + 1
    for name, value in values.items():
        ws.cell(row, names.index(name) + 1, value)
    return row


# -- Excel as typed -------------------------------------------------------------------------
def test_35_percent_typed_in_excel_is_35(tmp_path, tiny_dir):
    """Excel stores a typed 35% as 0.35 with the number format '0%': it is read as 35."""
    wb, path = _workbook(tmp_path, tiny_dir)
    row = _add_row(wb["indicators"], {"zone_id": "alpha", "year": 2018, "indicator_id": "nev_share_pct"})
    cell = wb["indicators"].cell(row, 4, 0.35)
    cell.number_format = "0%"
    wb.save(path)
    fw = _framework()
    ds = load_dataset(path, indicator_units=fw.units())
    assert ds.tables["indicators"]["value"].tolist() == [35.0]
    assert not [w for w in ds.warnings if "indicators" in w.file]
    a = assess_zone(ds, "alpha", 2018, fw)
    assert a.indicator("nev_share_pct").current.value == 35.0
    rows = {r["id"]: r for r in indicator_rows(a)}  # the indicator table of results.json
    assert rows["nev_share_pct"]["value"] == 35.0


def test_percent_cell_with_decimals_and_target(tmp_path, tiny_dir):
    wb, path = _workbook(tmp_path, tiny_dir)
    ws = wb["targets"]
    row = _add_row(ws, {"zone_id": "beta", "metric": "non_fossil_share_pct", "target_year": 2030})
    ws.cell(row, 4, 0.075).number_format = "0.0%"
    wb.save(path)
    ds = load_dataset(path)
    t = ds.tables["targets"]
    assert t[(t["metric"] == "non_fossil_share_pct") & (t["zone_id"] == "beta")]["target_value"].tolist() == [7.5]


def test_percent_cell_where_no_percentage_is_due_is_refused(tmp_path, tiny_dir, capsys):
    wb, path = _workbook(tmp_path, tiny_dir)
    row = _add_row(wb["emissions"], {"zone_id": "beta", "year": 2019, "sector": "transport"})
    wb["emissions"].cell(row, 4, 0.35).number_format = "0%"
    wb.save(path)
    lines = _refused(path, capsys)
    assert lines[0] == (f"dataset.xlsx[emissions]!D{row}: '35%' has a % sign, but this is not a percentage "
                        "(enter the number in the column's unit)")


def test_a_plain_fraction_in_a_percentage_is_warned_about(tiny_copy):
    (tiny_copy / "targets.csv").write_text(
        "zone_id,metric,target_year,target_value,source\n"
        "alpha,net_reduction_pct,2025,0.35,测试目标\n"
        "alpha,net_reduction_pct,2030,0.35%,测试目标\n", encoding="utf-8")
    ds = load_dataset(tiny_copy, lang="en")
    assert [str(w) for w in ds.warnings if "fraction" in w.message] == [
        "targets.csv:2:target_value: '0.35' is a fraction between 0 and 1, but this is a percentage (0–100): "
        "if it means 35 %, enter 35"]


@pytest.mark.parametrize("typed", ["10 5000", "1 23", "12 345 6", "1 234 567.5", "1\u202f234"])
def test_a_number_with_a_space_inside_is_refused(tiny_copy, typed, capsys):
    text = (tiny_copy / "emissions.csv").read_text(encoding="utf-8")
    (tiny_copy / "emissions.csv").write_text(text.replace("alpha,2016,building,5000",
                                                          f"alpha,2016,building,{typed}"), encoding="utf-8")
    lines = _refused(tiny_copy, capsys)
    assert lines[0].startswith(f"emissions.csv:5:emissions_tco2e: '{typed}' has a space inside it")


def test_commas_between_thousands_still_read(tiny_copy):
    """The contract's grouping (dataset.md: 1,234.5), a space never (issue 26)."""
    text = (tiny_copy / "emissions.csv").read_text(encoding="utf-8")
    (tiny_copy / "emissions.csv").write_text(text.replace("alpha,2016,building,5000",
                                                          "alpha,2016,building,\"1,234,567.5\""), encoding="utf-8")
    ds = load_dataset(tiny_copy)
    assert 1234567.5 in ds.tables["emissions"]["emissions_tco2e"].tolist()


def test_hidden_sheet_rows_and_columns_are_warned_about_by_name(tmp_path, tiny_dir):
    wb, path = _workbook(tmp_path, tiny_dir)
    wb["removals"].sheet_state = "hidden"
    wb["emissions"].row_dimensions[4].hidden = True
    wb["emissions"].row_dimensions[5].hidden = True
    wb["zones"].column_dimensions["D"].hidden = True
    wb.save(path)
    warnings = [str(w) for w in load_dataset(path, lang="en").warnings]
    assert "dataset.xlsx[removals]: sheet 'removals' is hidden, yet its data is read; check it and unhide it" \
        in warnings
    assert "dataset.xlsx[emissions]: rows 4–5 are hidden, yet their data is read; check them and unhide them" \
        in warnings
    assert "dataset.xlsx[zones]: columns D are hidden, yet their data is read; check them and unhide them" \
        in warnings


# -- strict text files ------------------------------------------------------------------------
@pytest.mark.parametrize("name,province,said", [
    ("汕頭市南澳縣", "Guangdong", "it gives many characters rare in Chinese text (such as"),
    ("寧波梅山島國際物流產業集聚區", "浙江省", "it gives private-use characters"),
])
def test_big5_is_refused_never_mojibake(tiny_copy, capsys, name, province, said):
    zones = ("zone_id,name,province,zone_type,approved_year,baseline_year,sectors\n"
             f"alpha,{name},{province},county,2017,2015,energy\n")
    (tiny_copy / "zones.csv").write_bytes(zones.encode("big5"))
    lines = _refused(tiny_copy, capsys)
    assert lines[0].startswith("zones.csv: file is not UTF-8, and read as GB18030/GBK " + said)
    assert "(tried: UTF-8, UTF-8 with BOM, GB18030/GBK)" in lines[0]


def test_gbk_is_still_read(tiny_copy):
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_bytes(text.encode("gbk"))
    assert load_dataset(tiny_copy).zone("alpha")["name"] == "甲镇（测试）"


def test_a_stray_quote_swallowing_the_next_fields_is_refused(tiny_copy, capsys):
    (tiny_copy / "zones.csv").write_text(
        "zone_id,name,province,zone_type,approved_year,baseline_year,sectors\n"
        "alpha,\"汕头市南澳县,Nan'ao County,广东,county,2017,2015,energy\n"
        "beta,乙园区（测试）,Zhejiang,park,2018,2016,industry;energy\n", encoding="utf-8")
    lines = _refused(tiny_copy, capsys)
    assert lines[0].startswith("zones.csv:") and "not a valid CSV file" in lines[0]


def test_a_quote_closed_lines_later_is_refused(tiny_copy, capsys):
    (tiny_copy / "zones.csv").write_text(
        "zone_id,name,province,zone_type,approved_year,baseline_year,sectors\n"
        "alpha,\"甲镇,广东,town,2017,2015,energy\n"
        "beta,乙园区\",Zhejiang,park,2018,2016,industry;energy\n", encoding="utf-8")
    lines = _refused(tiny_copy, capsys)
    assert ("zones.csv:2:name: this cell opens a quote that does not close on its line, so it "
            "swallowed the cells and lines after it; remove the stray quote, or quote the whole cell") in lines


def test_a_symlink_out_of_the_data_folder_is_refused(tiny_copy, tmp_path, capsys):
    secret = tmp_path / "secret.csv"
    shutil.copy(tiny_copy / "removals.csv", secret)
    (tiny_copy / "removals.csv").unlink()
    (tiny_copy / "removals.csv").symlink_to(secret)
    lines = _refused(tiny_copy, capsys)
    assert lines[0] == (f"removals.csv: is a symbolic link to {secret.resolve()}, outside the data folder: "
                        "not read; copy the file itself in")


def test_a_symlink_within_the_data_folder_is_read(tiny_copy):
    (tiny_copy / "kept").mkdir()
    (tiny_copy / "removals.csv").rename(tiny_copy / "kept" / "removals.csv")
    (tiny_copy / "removals.csv").symlink_to(tiny_copy / "kept" / "removals.csv")
    assert len(load_dataset(tiny_copy).tables["removals"]) > 0


def test_a_fifo_is_refused_not_read_nor_taken_as_absent(tiny_copy, capsys):
    (tiny_copy / "removals.csv").unlink()
    os.mkfifo(tiny_copy / "removals.csv")
    lines = _refused(tiny_copy, capsys)  # returns: the pipe is never opened
    assert lines[0] == "removals.csv: is not a regular file (a pipe, a device or a folder): not read"


# -- meta.csv ---------------------------------------------------------------------------------
@pytest.mark.parametrize("key,value,message", [
    ("report_date", "2025-13-45", "'2025-13-45' is not a valid date (YYYY-MM-DD)"),
    ("report_date", "soon", "'soon' is not a valid date (YYYY-MM-DD)"),
    ("is_sample", "maybe", "'maybe' is not true or false"),
])
def test_meta_is_checked(tiny_copy, capsys, key, value, message):
    (tiny_copy / "meta.csv").write_text(f"key,value\n{key},{value}\n", encoding="utf-8")
    assert _refused(tiny_copy, capsys)[0] == f"meta.csv:2:value: {message}"


def test_meta_report_date_as_typed_is_read_as_a_date(tiny_copy):
    (tiny_copy / "meta.csv").write_text("key,value\nreport_date,2025/3/31\nreprot_date,x\n", encoding="utf-8")
    ds = load_dataset(tiny_copy, lang="en")
    assert ds.report_date == "2025-03-31"
    assert "meta.csv:3:key: 'reprot_date' is not a known key (dataset_label, is_sample, report_date, title, " \
           "description); it is ignored (did you mean 'report_date'?)" in [str(w) for w in ds.warnings]


# -- bounds -----------------------------------------------------------------------------------
def test_a_far_cell_is_refused_before_the_workbook_is_loaded(tmp_path, tiny_dir, capsys):
    wb, path = _workbook(tmp_path, tiny_dir)
    wb["emissions"]["XFD1048576"] = 1
    wb.save(path)
    lines = _refused(path, capsys)
    assert lines[0].startswith("dataset.xlsx[emissions]: the sheet reaches cell XFD1048576 "
                               "(1,048,576 rows × 16,384 columns), more than the limit of")


def _zip_bomb(path, unpacked_mb: int) -> None:
    """A valid workbook plus a shared-strings part of zeros that unpacks to ``unpacked_mb`` MB."""
    tmp = path.with_suffix(".tmp")
    openpyxl.Workbook().save(tmp)
    with zipfile.ZipFile(tmp) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/padding.xml", "w") as f:
            block = b"0" * (1 << 20)
            for _ in range(unpacked_mb):
                f.write(block)
    tmp.unlink()


def test_a_zip_bomb_is_refused_on_its_directory(tmp_path, capsys):
    path = tmp_path / "dataset.xlsx"
    _zip_bomb(path, int(limits()["workbook_max_unpacked_mb"]) + 1)
    assert path.stat().st_size < 1 << 20
    lines = _refused(path, capsys)
    assert lines[0].startswith("dataset.xlsx: the workbook unpacks to")


def test_too_many_rows_are_refused_at_reading(tiny_copy, capsys, monkeypatch):
    monkeypatch.setitem(limits(), "max_rows", 50)
    with open(tiny_copy / "emissions.csv", "a", encoding="utf-8") as f:
        f.writelines(f"alpha,{1900 + i % 200},energy,1\n" for i in range(60))
    lines = _refused(tiny_copy, capsys)
    assert lines[0] == ("emissions.csv: has more than 50 rows, over the limit that can be read; split the "
                        "dataset or remove the extra rows")


def test_a_long_text_is_refused(tiny_copy, capsys):
    longest = int(limits()["text_max_chars"])
    text = (tiny_copy / "zones.csv").read_text(encoding="utf-8")
    (tiny_copy / "zones.csv").write_text(text.replace("甲镇（测试）", "甲" * (longest + 1)), encoding="utf-8")
    lines = _refused(tiny_copy, capsys)
    assert lines[0] == (f"zones.csv:2:name: the text is {longest + 1:,} characters long, "
                        f"over this column's limit of {longest:,}")


def test_problems_past_the_cap_are_counted_not_listed(tiny_copy, capsys, monkeypatch):
    monkeypatch.setitem(limits(), "max_problems", 5)
    with open(tiny_copy / "emissions.csv", "a", encoding="utf-8") as f:
        f.writelines(f"alpha,{1950 + i},energy,x{i}\n" for i in range(20))
    with pytest.raises(DatasetError) as info:
        load_dataset(tiny_copy, lang="en")
    lines = info.value.format_message().splitlines()
    assert [str(p) for p in info.value.errors] == [
        f"emissions.csv:{16 + i}:emissions_tco2e: 'x{i}' is not a number" for i in range(5)]
    assert "… and 15 more" in lines
    assert lines[-1] == "dataset refused: 20 problems"


@pytest.mark.e2e  # a real build (kernel, PDF): the e2e tier; test_35_percent_typed_in_excel_is_35 is the fast one
def test_35_percent_typed_in_excel_is_35_in_results_json(tmp_path, tiny_dir):
    """The whole way: the workbook as Excel stores a typed 35% (0.35, format '0%'), built by the
    command line; the zone's results.json holds 35."""
    import json

    wb, path = _workbook(tmp_path, tiny_dir)
    row = _add_row(wb["indicators"], {"zone_id": "alpha", "year": 2019, "indicator_id": "nev_share_pct"})
    wb["indicators"].cell(row, 4, 0.35).number_format = "0%"
    wb.save(path)
    out = tmp_path / "out"
    assert main(["build", "--data", str(path), "--year", "2019", "--zones", "alpha", "--jobs", "1",
                 "--out", str(out)]) == 0
    results = json.loads((out / "2019" / "zones" / "alpha" / "results.json").read_text(encoding="utf-8"))
    nev = next(r for r in results["indicators"] if r["id"] == "nev_share_pct")
    assert (nev["value"], nev["year"], nev["unit"]) == (35.0, 2019, "%")
