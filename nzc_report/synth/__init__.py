"""Synthetic datasets for benchmarks and load tests: `nzc-report synth`.

Deterministic for a given seed; every mainland province and every zone type
appear; figures are plausible for a zone's type and size, with realistic gaps
and zones whose targets slip, so that rules fire. Labelled 合成数据（示例）
in meta.csv: nothing here is real.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

from nzc_report.dataset.provinces import MAINLAND_CODES, PROVINCE_NAMES
from nzc_report.dataset.vocab import DOMAINS, EMISSION_SECTORS, MECHANISMS, ZONE_TYPES

YEARS = list(range(2015, 2025))
# typical gross emissions (t CO2e) and population by zone type
SCALE = {
    "town": (4e4, 3e4), "county": (6e5, 4e5), "new_district": (3e5, 1.5e5), "park": (2e5, 5e3),
    "community": (6e3, 5e3), "building": (8e2, 0), "organisation": (2e4, 2e3), "transport": (5e4, 0),
    "mining": (8e5, 1e4), "agriculture": (3e4, 2e3), "ecological": (2e4, 1e4), "industry": (1e6, 0),
}
SECTORS_BY_TYPE = {
    "building": ["building", "energy"], "transport": ["transport", "energy"],
    "community": ["building", "transport", "consumption"], "mining": ["industry", "energy", "transport"],
    "industry": ["industry", "energy"], "ecological": ["energy", "transport", "consumption"],
}
MEASURE_NAMES = {
    "industry": ["工业余热回收", "绿色工厂改造"], "energy": ["分布式光伏", "储能示范", "地热供暖"],
    "transport": ["电动公交推广", "充电设施建设"], "building": ["近零能耗建筑", "既有建筑节能改造"],
    "consumption": ["垃圾分类与资源化", "低碳生活宣传"], "ecology": ["森林抚育", "湿地修复"],
}
INDICATORS_BY_TYPE = {
    "community": ["green_building_share_pct", "waste_recycling_rate_pct", "public_transport_share_pct"],
    "town": ["green_coverage_pct", "waste_recycling_rate_pct"],
    "transport": ["nev_share_pct"], "new_district": ["green_building_share_pct", "public_transport_share_pct"],
    "park": ["green_coverage_pct"], "building": ["green_building_share_pct"],
}

HEADERS = {
    "zones": ["zone_id", "name", "province", "city", "zone_type", "approved_year", "baseline_year", "sectors",
              "area_km2", "implementing_body", "plan_document", "plan_date"],
    "emissions": ["zone_id", "year", "sector", "emissions_tco2e"],
    "removals": ["zone_id", "year", "source", "removals_tco2e"],
    "activity": ["zone_id", "year", "population", "gdp_10k_cny", "total_energy_tce", "non_fossil_energy_tce",
                 "floor_area_10k_m2"],
    "indicators": ["zone_id", "year", "indicator_id", "value", "source"],
    "targets": ["zone_id", "metric", "target_year", "target_value", "source"],
    "measures": ["zone_id", "measure_id", "name", "sector", "status", "start_year", "investment_10k_cny",
                 "expected_reduction_tco2e"],
    "mechanisms": ["zone_id", "year", "mechanism", "status", "evidence"],
    "meta": ["key", "value"],
}


def _zone(rng: random.Random, i: int, province: str, zone_type: str, rows: dict[str, list]) -> None:
    zid = f"syn-{i:04d}"
    base_year = rng.choice([2015, 2015, 2016, 2017])
    sectors = SECTORS_BY_TYPE.get(zone_type, ["industry", "energy", "transport", "building"])
    domains = sectors + (["ecology"] if zone_type in ("county", "ecological", "agriculture") else [])
    has_plan = rng.random() < 0.75
    rows["zones"].append([zid, f"{PROVINCE_NAMES[province]}合成{ZONE_TYPES[zone_type]}{i:04d}（示例）", province, "",
                          zone_type, base_year + rng.randint(0, 3), base_year, ";".join(domains),
                          round(rng.uniform(0.05, 300), 2), "", f"《合成示范区{i:04d}建设方案》" if has_plan else "",
                          f"{base_year + 1}-0{rng.randint(1, 9)}" if has_plan else ""])
    gross0, pop = SCALE[zone_type]
    gross0 *= rng.uniform(0.5, 1.6)
    trend = rng.choice([-0.09, -0.07, -0.05, -0.03, -0.01, 0.02])  # a few zones rise
    shares = [rng.uniform(0.5, 2) for _ in sectors]
    gap = rng.choice([None, None, None, *YEARS[3:-1]])  # one missing year for a quarter of zones
    last = 2024 if rng.random() > 0.05 else 2023
    years = [y for y in YEARS if y >= base_year and y != gap and y <= last]
    for y in years:
        level = gross0 * (1 + trend) ** (y - base_year) * rng.uniform(0.97, 1.03)
        for s, w in zip(sectors, shares):
            rows["emissions"].append([zid, y, s, round(level * w / sum(shares), 1)])
    if "ecology" in domains:
        sink = gross0 * rng.uniform(0.02, 0.2)
        for y in years:
            rows["removals"].append([zid, y, rng.choice(["forest", "wetland", "grassland"]), round(sink, 1)])
    nf0 = rng.uniform(0.05, 0.35)
    gdp0, floor0 = gross0 * rng.uniform(1, 3), rng.uniform(1, 500)
    for y in years:
        if rng.random() < 0.1:
            continue
        energy = gross0 * (1 + trend) ** (y - base_year) / rng.uniform(2.0, 2.4)
        nf = min(0.95, nf0 + 0.03 * (y - base_year))
        rows["activity"].append([zid, y, round(pop * rng.uniform(0.95, 1.05)) if pop else "",
                                 round(gdp0 * 1.05 ** (y - base_year), 1), round(energy, 1), round(energy * nf, 1),
                                 round(floor0 * 1.02 ** (y - base_year), 1) if zone_type != "transport" else ""])
    for ind in INDICATORS_BY_TYPE.get(zone_type, []):
        v = rng.uniform(20, 70)
        for y in years[-3:]:
            rows["indicators"].append([zid, y, ind, round(min(100, v + 4 * (y - years[-3])), 1), "合成数据"])
    if rng.random() < 0.85:
        stages = rng.choice([[2025], [2020, 2025, 2030], [2020, 2030]])
        for k, ty in enumerate(stages):
            rows["targets"].append([zid, "net_reduction_pct", ty, [30, 50, 70][min(k, 2)] if len(stages) > 1
                                    else rng.choice([20, 40, 60]), "合成示范区建设方案（示例）"])
        if rng.random() < 0.4:
            rows["targets"].append([zid, "non_fossil_share_pct", 2025, rng.choice([30, 50, 60]), "合成（示例）"])
    for k, s in enumerate(domains):
        if rng.random() < 0.15:
            continue  # a declared domain without a measure
        rows["measures"].append([zid, f"m{k + 1:02d}", rng.choice(MEASURE_NAMES[s]), s,
                                 rng.choice(["planned", "ongoing", "ongoing", "completed", "completed", "suspended"]),
                                 rng.randint(base_year, 2023), round(rng.uniform(50, 5e4), 1),
                                 round(gross0 * rng.uniform(0.01, 0.1), 1)])
    if rng.random() < 0.9:
        for m in MECHANISMS:
            if rng.random() < 0.6:
                rows["mechanisms"].append([zid, 2024, m, rng.choice(["yes", "partial", "no"]), "合成证据（示例）"])


def synthesize(n_zones: int, seed: int = 0) -> dict[str, list[list]]:
    rng = random.Random(seed)
    rows: dict[str, list[list]] = {name: [] for name in HEADERS}
    types = list(ZONE_TYPES)
    for i in range(n_zones):
        # round-robin first, so that every province and every type appears once n is large enough
        province = MAINLAND_CODES[i % len(MAINLAND_CODES)] if i < 3 * len(MAINLAND_CODES) else rng.choice(MAINLAND_CODES)
        zone_type = types[i % len(types)] if i < 3 * len(types) else rng.choice(types)
        _zone(rng, i + 1, province, zone_type, rows)
    rows["meta"] = [["dataset_label", "合成数据（示例）"], ["is_sample", "true"],
                    ["title", f"合成数据集（{n_zones}个示范区，种子{seed}）"], ["report_date", "2025-03-31"],
                    ["description", "由 nzc-report synth 生成的合成数据，仅用于测试和性能评估，不代表任何真实示范区。"]]
    return rows


def write_synthetic(out: str | Path, n_zones: int, seed: int = 0) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in synthesize(n_zones, seed).items():
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(HEADERS[name])
            w.writerows(rows)
    return out


assert set(DOMAINS) >= set(MEASURE_NAMES) and set(EMISSION_SECTORS) <= set(DOMAINS)
