"""The sample (示例数据) does not contradict itself: what mechanisms.csv says of a zone's staged targets
agrees with the targets table the same report prints (a zone with targets of one metric in two years
has targets in stages). sn-agri-example and sn-mining-example said "no" beside a 2020 and a 2025
target, and their reports scored the item 0 after a year of 100 read off the same targets."""
import csv
from collections import defaultdict

from nzc_report.resources import SAMPLE_DATA_DIR


def _rows(name: str) -> list[dict]:
    with open(SAMPLE_DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_staged_targets_said_as_the_targets_table_shows_them():
    years: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in _rows("targets.csv"):
        years[r["zone_id"], r["metric"]].add(r["target_year"])
    staged = {z for (z, _metric), ys in years.items() if len(ys) >= 2}
    said = {(r["zone_id"], r["status"]) for r in _rows("mechanisms.csv") if r["mechanism"] == "staged_targets"}
    assert {z for z, status in said if status == "no"} & staged == set()
    assert staged, "the sample has zones with targets in stages"
