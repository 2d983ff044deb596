"""Progress while the dataset is read (issue 31): a large file is announced before it is read,
then where the reading is, at most every PROGRESS_SECONDS; a small one says nothing. The bounds
are lowered here so that a small file counts as large."""
import logging

import openpyxl
import pytest

from nzc_report.cli import main
from nzc_report.dataset import io, load_dataset
from nzc_report.errors import DatasetError


@pytest.fixture
def everything_is_large(monkeypatch):
    monkeypatch.setattr(io, "PROGRESS_BYTES", 0)
    monkeypatch.setattr(io, "PROGRESS_SECONDS", 0.0)
    monkeypatch.setattr(io, "PROGRESS_ROWS", 10)


def _many_rows(folder, n=25):
    with open(folder / "emissions.csv", "a", encoding="utf-8") as f:
        f.writelines(f"beta,{1990 + i},energy,5000\n" for i in range(n))


def test_a_large_csv_is_announced_then_its_rows_counted(tiny_copy, everything_is_large, capsys):
    _many_rows(tiny_copy)
    main(["validate", "--data", str(tiny_copy)])  # refused or not: the lines come first
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("正在读取 emissions.csv（") for line in err)
    assert "正在读取 emissions.csv：第 10 行……" in err and "正在读取 emissions.csv：第 20 行……" in err


def test_a_large_workbook_is_announced_in_english_too(tmp_path, tiny_dir, everything_is_large, caplog):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "emissions"
    ws.append(["zone_id", "year", "sector", "emissions_tco2e"])
    for i in range(25):
        ws.append(["alpha", 1990 + i, "energy", 5000])
    wb.save(tmp_path / "dataset.xlsx")
    with caplog.at_level(logging.INFO, logger="nzc_report.dataset.io"):
        with pytest.raises(DatasetError):
            load_dataset(tmp_path / "dataset.xlsx", lang="en")  # no zones sheet: refused after reading
    said = [r.getMessage() for r in caplog.records]
    assert said[0].startswith("reading dataset.xlsx (") and "reading dataset.xlsx[emissions]: row 20 …" in said


def test_a_small_dataset_says_nothing(tiny_dir, caplog):
    with caplog.at_level(logging.INFO, logger="nzc_report.dataset.io"):
        load_dataset(tiny_dir)
    assert not caplog.records
