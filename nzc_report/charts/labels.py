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
        "path": "基准年至目标的线性路径",
        "target_label": "{year}",
        "non_fossil": "非化石能源占比",
        "score": "得分（100 = 达到标杆值）",
        "not_reported": "未报告",
        "not_scored": "未评分",
        "value_vs_benchmark": "{value} / {benchmark}",
        "mechanisms": "管理机制（已报告{n}/{total}项）",
        "mechanisms_mean": "加权平均",
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
        "path": "Linear path from baseline to target",
        "target_label": "{year}",
        "non_fossil": "Non-fossil energy share",
        "score": "Score (100 = benchmark reached)",
        "not_reported": "not reported",
        "not_scored": "not scored",
        "value_vs_benchmark": "{value} / {benchmark}",
        "mechanisms": "Mechanisms ({n} of {total} reported)",
        "mechanisms_mean": "weighted mean",
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


def labels(lang: str) -> dict[str, str]:
    return LABELS["en" if lang == "en" else "zh"]
