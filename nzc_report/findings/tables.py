"""The assessment as tables with Chinese headings, for the working paper (the notebook).

They are built from the same rows as results.json (results.py), so the working
paper shows exactly what the report is built from.
"""
from __future__ import annotations

import pandas as pd

from nzc_report.assess import ZoneAssessment
from nzc_report.findings import Findings
from nzc_report.findings.results import indicator_rows, target_rows

__all__ = ["indicator_table", "target_table", "findings_table", "score_summary"]


def indicator_table(a: ZoneAssessment) -> pd.DataFrame:
    rows = []
    for r in indicator_rows(a):
        rows.append({
            "维度": r["dimension_label"], "指标": r["name_zh"], "单位": r["unit"],
            "数值": r["value"], "年份": r["year"], "上期值": r["previous_value"], "上期年份": r["previous_year"],
            "变化": r["change"], "起评值": r["floor"], "标杆值": r["benchmark"],
            "得分": r["score"], "权重": r["weight"],
            "数据来源": r["source"] if r["reported"] else f"未报告（需{r['missing']}）",
            "基准依据": r["benchmark_source"],
        })
    return pd.DataFrame(rows)


def target_table(a: ZoneAssessment) -> pd.DataFrame:
    rows = []
    for t in target_rows(a):
        rows.append({
            "指标": t["metric_label"], "目标年": t["target_year"], "目标值": t["target_value"],
            "基准值 B": t["baseline_value"], "当前值 A": t["current_value"], "当前年份": t["current_year"],
            "完成度 P": t["share_achieved"], "时间进度 E": t["time_elapsed"], "进度比 R": t["progress_ratio"],
            "状态": t["status_label"], "年均需变化": t["required_annual_change"], "说明": t["note"],
        })
    return pd.DataFrame(rows)


def findings_table(findings: Findings | dict) -> pd.DataFrame:
    """Every finding with its rule, category, sentence and basis; ``findings`` is the engine's
    Findings (sentences not yet filled) or results.json (sentences in the build language)."""
    rows = []
    for kind, key in (("特色亮点", "highlights"), ("存在的问题", "problems"), ("政策建议", "recommendations")):
        for f in (findings.get(key) or []) if isinstance(findings, dict) else getattr(findings, key):
            rows.append({"类型": kind, "类别": f.get("category_label", ""), "规则": f["rule_id"],
                         "内容": f["text"],
                         "依据": "、".join(f["addresses"]) if key == "recommendations"
                         else "；".join(f"{s['file']} 第{'、'.join(map(str, s['rows']))}行" if s["rows"]
                                       else f"{s['file']}（无记录）" for s in f["evidence"].get("sources") or [])})
    return pd.DataFrame(rows)


def score_summary(a: ZoneAssessment) -> pd.Series:
    s, fw = a.score, a.framework
    assert s is not None  # assess_zone scores every zone
    return pd.Series({
        "综合得分": None if s.score is None else round(s.score, 1),
        "等级": (s.grade + ("（仅供参考）" if s.provisional else "")) if s.grade else "无法评定",
        "数据覆盖率（%）": round(s.coverage_pct, 1),
        "指标体系": f"{fw.title} v{fw.version}",
    }, name=a.zone["name"])
