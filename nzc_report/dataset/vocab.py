"""Controlled vocabularies of the dataset contract (../shared/spec/dataset.md)."""
from __future__ import annotations

from collections.abc import Iterable

ZONE_TYPES: dict[str, str] = {
    "town": "城镇",
    "county": "县域",
    "new_district": "新区",
    "park": "园区",
    "community": "社区/村",
    "building": "建筑",
    "organisation": "企事业单位",
    "transport": "交通",
    "mining": "工矿区",
    "agriculture": "农业园区",
    "ecological": "生态功能区",
    "industry": "行业",
}

# The six domains a zone works in (产业、能源、交通、建筑、消费、生态).
DOMAINS: dict[str, str] = {
    "industry": "产业",
    "energy": "能源",
    "transport": "交通",
    "building": "建筑",
    "consumption": "消费",
    "ecology": "生态",
}

# Emission sectors: the domains that emit (ecology removes, see REMOVAL_SOURCES).
EMISSION_SECTORS: dict[str, str] = {k: v for k, v in DOMAINS.items() if k != "ecology"}

REMOVAL_SOURCES: dict[str, str] = {
    "forest": "森林碳汇",
    "wetland": "湿地碳汇",
    "grassland": "草地碳汇",
    "ccus": "碳捕集利用与封存",
    "other": "其他",
}

MEASURE_STATUSES: dict[str, str] = {
    "planned": "计划",
    "ongoing": "实施中",
    "completed": "已完成",
    "suspended": "暂停",
}

MECHANISMS: dict[str, str] = {
    "plan": "建设方案或规划",
    "staged_targets": "阶段性目标",
    "coordination": "跨部门协调机制",
    "fiscal_support": "财政补贴、以奖代补、贷款贴息",
    "green_finance": "绿色信贷、绿色债券、绿色基金",
    "accounting": "碳排放统计核算",
    "verification": "核查机制",
    "disclosure": "信息披露机制",
    "assessment": "考核机制",
    "evaluation": "评估机制",
    "access": "准入机制",
    "carbon_market": "碳排放权交易",
    "research": "理论研究",
    "training": "培训与能力建设",
    "international": "国际交流合作",
    "public_engagement": "低碳生活与公众参与",
}

MECHANISM_STATUSES: dict[str, str] = {"yes": "已建立", "partial": "部分建立", "no": "未建立"}

# Target metrics built in; any indicator_id of the framework is accepted too.
BUILTIN_TARGET_METRICS: dict[str, str] = {
    "net_emissions_tco2e": "净排放量",
    "net_reduction_pct": "净排放较基准年降幅",
    "non_fossil_share_pct": "非化石能源占比",
}


# The labels of each coded column (table, column) → {code: label}: the data-entry workbook
# offers them in its dropdowns and reads them back as their codes (CSV files keep the codes).
LABELLED: dict[tuple[str, str], dict[str, str]] = {
    ("zones", "zone_type"): ZONE_TYPES,
    ("zones", "sectors"): DOMAINS,
    ("emissions", "sector"): EMISSION_SECTORS,
    ("removals", "source"): REMOVAL_SOURCES,
    ("measures", "sector"): DOMAINS,
    ("measures", "status"): MEASURE_STATUSES,
    ("mechanisms", "mechanism"): MECHANISMS,
    ("mechanisms", "status"): MECHANISM_STATUSES,
}


def code_of(table: str, column: str, text: str) -> str:
    """The code a label stands for in ``table.column`` (县域 → county); else the text as written.
    A ';'-list of domains (能源;建筑) is read label by label."""
    labels = LABELLED.get((table, column))
    if not labels:
        return text
    codes = {label: code for code, label in labels.items()}
    if table == "zones" and column == "sectors":
        parts = [p.strip() for p in text.replace("；", ";").replace("、", ";").split(";")]
        return ";".join(codes.get(p, p) for p in parts) if any(p in codes for p in parts) else text
    return codes.get(text.strip(), text)


def staged_metrics(targets: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    """Of one zone's targets as (metric, target_year): the metrics set for two or more years, each
    with its years in order. Several rows per zone and metric make staged milestones (dataset.md):
    the framework reads them as staged targets where mechanisms.csv is silent (assess), and
    validate warns where mechanisms.csv says "no" beside them."""
    years: dict[str, set[int]] = {}
    for metric, year in targets:
        years.setdefault(metric, set()).add(int(year))
    return {metric: sorted(ys) for metric, ys in sorted(years.items()) if len(ys) >= 2}
