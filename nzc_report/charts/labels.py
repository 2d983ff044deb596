"""The charts' part of the message catalogue (the report's is templates/messages/).

Charts are drawn in the kernel, which reads no templates; the words they need
are few and live here, in both languages, with the same keys (a test checks).
"""
from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "year": "年份",
        "tco2e": "吨二氧化碳当量",
        "net": "净排放",
        "gross": "总排放",
        "baseline": "基准年（{year}年）净排放",
        "milestone": "阶段目标",
        "path": "规划路径（逐段线性）",
        "later_milestones": "此后的阶段目标：{items}",
        "later_item": "{year}年 {value}",
        "later_sep": "；",
        "share_unit": "非化石能源占能源消费总量比重（%）",
        "value_header": "实际值 / 标杆值",
        "not_reported_zero": "未报告（按0分计）",
        "sum_score": "综合得分（分）",
        "sum_reduction": "净排放较基准年降幅（%）",
        "sum_no_score": "暂无评分",
        "sum_group": "{label}（{n}个，平均{mean}）",
        "sum_group_one": "{label}（1个）",
        "sum_data_year": "{value}（{year}年）",  # a reduction of an earlier year (no emissions for the year)
        "sum_province": "{name}（{n}个）",
        "sum_zone_in_province": "{name}（{province}）",
        "sum_mean_range": "平均{mean}（{low}～{high}）",
        "target_label": "{year}",
        "non_fossil": "非化石能源占比",
        "score": "得分（100 = 达到标杆值）",
        "not_reported": "未报告",
        "not_scored": "未评分",
        "gate_passed": "否决条件：达到",
        "gate_failed": "否决条件：未达到",
        "gate_missing": "否决条件：缺少数据",
        "value_vs_benchmark": "{value} / {benchmark}{unit}",
        "mechanisms": "管理机制（已报告{n}/{total}项）",
        "mechanisms_mean": "加权平均（未报告的按0分计）",
        "industry": "产业",
        "energy": "能源",
        "transport": "交通",
        "building": "建筑",
        "consumption": "消费",
        "dim_emissions": "排放",
        "dim_energy": "能源",
        "dim_industry": "产业",
        "dim_transport": "交通",
        "dim_building": "建筑",
        "dim_consumption": "消费",
        "dim_ecology": "生态",
        "dim_management": "管理",
    },
    "en": {
        "year": "Year",
        "tco2e": "t CO2e",
        "net": "Net emissions",
        "gross": "Gross emissions",
        "baseline": "Baseline ({year}) net emissions",
        "milestone": "Milestone",
        "path": "Planned path (piecewise linear)",
        "later_milestones": "Later milestones: {items}",
        "later_item": "{year}: {value}",
        "later_sep": "; ",
        "share_unit": "Non-fossil share of total energy use (%)",
        "value_header": "Value / benchmark",
        "not_reported_zero": "not reported (scored 0)",
        "sum_score": "Composite score (points)",
        "sum_reduction": "Net reduction vs baseline (%)",
        "sum_no_score": "no score yet",
        "sum_group": "{label} (n={n}, mean {mean})",
        "sum_group_one": "{label} (n=1)",
        "sum_data_year": "{value} ({year})",  # a reduction of an earlier year (no emissions for the year)
        "sum_province": "{name} (n={n})",
        "sum_zone_in_province": "{name} ({province})",
        "sum_mean_range": "mean {mean} ({low} to {high})",
        "target_label": "{year}",
        "non_fossil": "Non-fossil energy share",
        "score": "Score (100 = benchmark reached)",
        "not_reported": "not reported",
        "not_scored": "not scored",
        "gate_passed": "veto condition: met",
        "gate_failed": "veto condition: not met",
        "gate_missing": "veto condition: no data",
        "value_vs_benchmark": "{value} / {benchmark}{unit}",
        "mechanisms": "Mechanisms ({n} of {total} reported)",
        "mechanisms_mean": "weighted mean (not reported counts 0)",
        "industry": "Industry",
        "energy": "Energy",
        "transport": "Transport",
        "building": "Buildings",
        "consumption": "Consumption",
        "dim_emissions": "Emissions",
        "dim_energy": "Energy",
        "dim_industry": "Industry",
        "dim_transport": "Transport",
        "dim_building": "Buildings",
        "dim_consumption": "Consumption",
        "dim_ecology": "Ecology",
        "dim_management": "Management",
    },
}


# Zone types in English (Chinese labels come with the results).
ZONE_TYPES_EN: dict[str, str] = {
    "town": "Town", "county": "County", "new_district": "New district", "park": "Park",
    "community": "Community or village", "building": "Building", "organisation": "Organisation",
    "transport": "Transport", "mining": "Industrial and mining area", "agriculture": "Agricultural park",
    "ecological": "Ecological function zone", "industry": "Industry",
}

# Units as charts print them after a number: the framework's (Chinese) unit → each language's.
UNITS: dict[str, dict[str, str]] = {
    "zh": {},
    "en": {"%": "%", "分": " points", "吨二氧化碳当量": " t CO2e", "吨二氧化碳当量/万元": " t CO2e/10k CNY",
           "吨二氧化碳当量/人": " t CO2e/person", "吨二氧化碳当量/吨标准煤": " t CO2e/tce",
           "吨标准煤": " tce", "万元": " 10k CNY"},
}


def unit(text: str | None, lang: str) -> str:
    """A unit as the chart prints it after a number in lang (Chinese units as written;
    in English a space before any unit but %)."""
    if not text:
        return ""
    if lang != "en":
        return text
    return UNITS["en"].get(text, text if text == "%" else f" {text}")


def labels(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]
