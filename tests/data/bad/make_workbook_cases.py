"""Writes the workbook cases of the corpus (workbook-*/dataset.xlsx): run it after changing one.

Each is the nanao dataset of the CSV cases as dataset.xlsx (sheets zones and
emissions, figures as number cells) with one cell of emissions D4 (2016, energy)
broken the way a spreadsheet breaks it. openpyxl writes a formula without a saved
result, as a program that never opened the file in Excel does.

    .venv/bin/python tests/data/bad/make_workbook_cases.py
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ZONES = [["zone_id", "name", "province", "city", "zone_type", "approved_year", "baseline_year", "sectors",
          "area_km2", "plan_date"],
         ["nanao", "南澳县", "广东省", "汕头市", "county", 2017, 2015, "energy;building", 114, "2017-01"]]
EMISSIONS = [["zone_id", "year", "sector", "emissions_tco2e"],
             ["nanao", 2015, "energy", 10000], ["nanao", 2015, "building", 5000],
             ["nanao", 2016, "energy", 9500], ["nanao", 2016, "building", 4800]]

# case → what cell D4 holds
CASES = {
    "workbook-error-value": "#DIV/0!",
    "workbook-boolean-cell": True,
    "workbook-date-cell": dt.datetime(2016, 3, 1),
    "workbook-formula-without-value": "=D2*0.95",
    "workbook-nan-text": "NaN",
    "workbook-overflow-text": "1e400",
    "workbook-implausibly-large": 3.2e11,
}


def write(case: str, d4) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "zones"
    for row in ZONES:
        wb["zones"].append(row)
    ws = wb.create_sheet("emissions")
    for row in EMISSIONS:
        ws.append(row)
    ws["D4"] = d4  # openpyxl types it: an error code, a bool, a date, a formula, text, a number
    if isinstance(d4, dt.datetime):
        ws["D4"].number_format = "yyyy-mm-dd"
    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    folder = HERE / case
    folder.mkdir(exist_ok=True)
    wb.save(folder / "dataset.xlsx")
    return folder / "dataset.xlsx"


if __name__ == "__main__":
    for case, value in CASES.items():
        print(write(case, value))
