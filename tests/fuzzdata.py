"""Hypothesis strategies for hostile datasets: structurally valid, then perturbed.

A dataset is drawn as tables of cell text (``{"zones": [{"zone_id": "za", …}], …}``),
the way a person types it: tiny (1–3 zones, 1–4 years), with the contract's
structure, then perturbed — odd but readable numbers (zero, −0, 0.000001, full-width
digits, thousands separators, spaces, scientific notation, the plausible maximum),
hostile ones (1e400, inf and NaN in many spellings, beyond the plausible range,
negative, 1e-300), missing cells, single-year zones, targets equal to the baseline or in
the past, sectors without rows, removals that cancel the baseline's emissions.
``write_csv`` and ``write_xlsx`` put a drawn dataset on disk.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from hypothesis import strategies as st

from nzc_report.dataset import vocab

ZONE_IDS = ("za", "zb", "zc")
NAMES = {"za": "甲镇（测试）", "zb": "乙园区（测试）", "zc": "丙社区（测试）"}
PROVINCES = ("广东", "浙江省", "Beijing")
SECTORS = tuple(vocab.EMISSION_SECTORS)

# Text that must be refused wherever a figure is due.
NON_FINITE = ("inf", "-inf", "+Inf", "Infinity", "-Infinity", "INFINITY", "NaN", "nan", "-nan",
              "ＮａＮ", "ｉｎｆ", "∞", "1.#INF", "1e400", "-1e400", "1E+999", "9" * 400)
# Readable, finite, but odd. Those within every range load; the caller's range decides.
ODD_FORMS = ("zero", "negzero", "small", "fullwidth", "thousands", "spaces", "sci", "plus", "max")
# Finite text beyond a column's range or resolution: refused.
IMPLAUSIBLE = ("12,34", "-5", "1e11", "1e-300", "5e-324", "-0.0000001")
# What a spreadsheet puts in a cell instead of a figure; write_xlsx makes each the cell it
# stands for (an error value, a formula without a saved result, TRUE, a date), a CSV keeps the text.
SPREADSHEET = ("#DIV/0!", "#N/A", "#REF!", "#VALUE!", "=D2*2", "TRUE", "2016-03-01")

_FULLWIDTH = str.maketrans("0123456789.,-+e", "０１２３４５６７８９．，－＋ｅ")


def plain(x: float) -> str:
    """A figure as a spreadsheet exports it: 12345.6, 0.001, 1e-05."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


def odd_text(form: str, x: float, hi: float) -> str:
    """``x`` (within 0..hi) written in an odd ``form``; hi is the column's plausible maximum."""
    if form == "zero":
        return "0"
    if form == "negzero":
        return "-0"
    if form == "small":
        return "0.000001"  # the smallest non-zero figure accepted (limits.yaml)
    if form == "fullwidth":
        return plain(x).translate(_FULLWIDTH)
    if form == "thousands":
        return f"{x:,.2f}"
    if form == "spaces":
        return f"  {plain(x)} \u3000"
    if form == "sci":
        return f"{x:.4e}"
    if form == "plus":
        return f"+{plain(x)}"
    if form == "max":
        return plain(hi)
    raise ValueError(form)


@st.composite
def figure(draw, lo: float, hi: float, hostile: tuple[int, int], required: bool,
           plausible_max: float) -> str:
    """Cell text of one figure: plain in lo..hi, or odd, hostile or missing at the dataset's rates."""
    odd_pct, bad_pct = hostile
    x = draw(st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False))
    x = round(x, 3)
    roll = draw(st.integers(0, 99))
    if roll < bad_pct:
        return draw(st.sampled_from(NON_FINITE + IMPLAUSIBLE + SPREADSHEET + (("", plain(plausible_max * 10)) if required
                                                                 else (plain(plausible_max * 10),))))
    if roll < bad_pct + odd_pct:
        return odd_text(draw(st.sampled_from(ODD_FORMS)), x, plausible_max)
    if not required and roll >= 95:
        return ""  # not reported
    return plain(x)


@st.composite
def datasets(draw, max_zones: int = 3, max_years: int = 4, hostile: bool = True) -> dict:
    """A tiny dataset as tables of cell text."""
    rates = draw(st.sampled_from([(0, 0), (30, 0), (70, 0), (30, 3), (10, 15), (0, 40)] if hostile
                                 else [(0, 0), (30, 0), (70, 0)]))
    n_zones = draw(st.integers(1, max_zones))
    zones, emissions, removals, activity, targets, indicators, measures, mechanisms = ([] for _ in range(8))

    def fig(lo, hi, required=True, plausible_max=1e10):
        return draw(figure(lo, hi, rates, required, plausible_max))

    for zid in ZONE_IDS[:n_zones]:
        baseline = draw(st.integers(2010, 2018))
        n_years = draw(st.integers(1, max_years))  # 1: a single-year zone
        years = list(range(baseline, baseline + n_years))
        sectors = draw(st.lists(st.sampled_from(SECTORS), min_size=1, max_size=3, unique=True))
        # The zone's domains may name sectors that have no emissions rows.
        extra = draw(st.lists(st.sampled_from(SECTORS), max_size=2, unique=True))
        domains = list(dict.fromkeys(sectors + extra + draw(st.sampled_from([[], ["ecology"]]))))
        zones.append({"zone_id": zid, "name": NAMES[zid], "province": draw(st.sampled_from(PROVINCES)),
                      "zone_type": draw(st.sampled_from(list(vocab.ZONE_TYPES))),
                      "approved_year": str(baseline + draw(st.integers(0, 3))), "baseline_year": str(baseline),
                      "sectors": ";".join(domains), "area_km2": fig(0, 500, False, 1e6)})
        baseline_gross = 0.0
        for y in years:
            for s in sectors:
                text = fig(0, 1e6)
                emissions.append({"zone_id": zid, "year": str(y), "sector": s, "emissions_tco2e": text})
                if y == baseline:
                    baseline_gross += _value(text)
        if draw(st.booleans()):
            cancel = draw(st.booleans())  # removals equal to the baseline's gross: net zero
            for y in years:
                text = plain(baseline_gross) if cancel and y == baseline and math.isfinite(baseline_gross) \
                    else fig(0, 1e5)
                removals.append({"zone_id": zid, "year": str(y), "source": "forest", "removals_tco2e": text})
        if draw(st.booleans()):
            for y in years:
                total = fig(0, 1e6, False)
                activity.append({"zone_id": zid, "year": str(y), "population": fig(0, 1e6, False, 2e8),
                                 "gdp_10k_cny": fig(0, 1e8, False, 2e10), "total_energy_tce": total,
                                 "non_fossil_energy_tce": _part_of(draw, total),
                                 "floor_area_10k_m2": fig(0, 1e3, False, 1e7)})
        latest = years[-1]
        seen = set()
        for _ in range(draw(st.integers(0, 3))):
            metric = draw(st.sampled_from(["net_reduction_pct", "net_emissions_tco2e", "non_fossil_share_pct"]))
            when = draw(st.sampled_from(["past", "future", "baseline+1"]))
            year = {"past": draw(st.integers(baseline + 1, max(baseline + 1, latest))),
                    "future": draw(st.integers(latest + 1, 2060)), "baseline+1": baseline + 1}[when]
            if (metric, year) in seen:
                continue
            seen.add((metric, year))
            if metric == "net_emissions_tco2e":
                equal = draw(st.booleans())  # the target equals the baseline value
                value = plain(baseline_gross) if equal and math.isfinite(baseline_gross) \
                    else fig(0, 1e6, True, 1e10)
            else:
                value = draw(st.sampled_from(["0", fig(0, 100, True, 100)]))
            targets.append({"zone_id": zid, "metric": metric, "target_year": str(year), "target_value": value,
                            "source": "测试目标"})
        for ind in draw(st.lists(st.sampled_from(["green_coverage_pct", "nev_share_pct",
                                                  "waste_recycling_rate_pct"]), max_size=2, unique=True)):
            for y in years[-2:]:
                indicators.append({"zone_id": zid, "year": str(y), "indicator_id": ind,
                                   "value": fig(0, 100, True, 100)})
        if draw(st.booleans()):
            measures.append({"zone_id": zid, "measure_id": "m1", "name": "分布式光伏", "sector": sectors[0],
                             "status": draw(st.sampled_from(list(vocab.MEASURE_STATUSES))),
                             "start_year": str(baseline), "investment_10k_cny": fig(0, 1e4, False),
                             "expected_reduction_tco2e": fig(0, 1e4, False)})
        if draw(st.booleans()):
            mechanisms.append({"zone_id": zid, "year": str(latest), "mechanism": "plan",
                               "status": draw(st.sampled_from(list(vocab.MECHANISM_STATUSES)))})
    tables = {"zones": zones, "emissions": emissions, "removals": removals, "activity": activity,
              "targets": targets, "indicators": indicators, "measures": measures, "mechanisms": mechanisms,
              "meta": [{"key": "is_sample", "value": "true"}, {"key": "dataset_label", "value": "示例数据"}]}
    return {name: rows for name, rows in tables.items() if rows}


def _value(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _part_of(draw, total: str) -> str:
    """Non-fossil energy: a part of the total (or the total itself), as text."""
    x = _value(total)
    if not math.isfinite(x) or x < 0:
        return ""
    return plain(round(x * draw(st.sampled_from([0, 0.3, 1])), 3))


def write_csv(tables: dict, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        header = list(dict.fromkeys(k for r in rows for k in r))
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows([r.get(h, "") for h in header] for r in rows)
    return folder


def write_xlsx(tables: dict, path: Path) -> Path:
    """The tables as dataset.xlsx; plain figures become number cells, as a spreadsheet holds them."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        header = list(dict.fromkeys(k for r in rows for k in r))
        ws.append(header)
        for r in rows:
            ws.append([_cell(r.get(h, ""), h) for h in header])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


_TEXT_COLUMNS = {"zone_id", "name", "province", "zone_type", "sectors", "sector", "source", "metric",
                 "indicator_id", "measure_id", "status", "mechanism", "key", "plan_date"}


def _cell(text: str, column: str):
    if column in _TEXT_COLUMNS or not text:
        return text or None
    if text in SPREADSHEET:
        if text == "TRUE":
            return True
        if text[0].isdigit():
            return dt.datetime.fromisoformat(text)
        return text  # openpyxl writes "#N/A" as an error value, "=D2*2" as a formula
    try:
        x = float(text)
    except ValueError:
        return text
    if not math.isfinite(x) or text != text.strip():
        return text  # a number cell cannot hold inf; as text it stays what was typed
    return int(x) if x.is_integer() and abs(x) < 2 ** 53 else x
