"""A tiny build folder for the portal's unit tests: results.json files written by hand,
a manifest, SVG figures and a notebook, without running a build."""
import json
from pathlib import Path

import nbformat

from nzc_report.summary.ranking import rank_zones

HOSTILE = "<script>alert(1)</script>{{x}}"
BANDS = [{"grade": "优秀", "grade_en": "Excellent", "min": 85.0}, {"grade": "合格", "grade_en": "Pass", "min": 60.0},
         {"grade": "不合格", "grade_en": "Fail", "min": 0.0}]
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def zone_results(zone_id, name, province, zone_type, score, grade, *, reduction=30.0, statuses=("on_track",),
                 provisional=False, previous_net=None, name_en=None):
    net = 100.0 * (1 - reduction / 100)
    r = {
        "zone_id": zone_id, "name": name, "name_en": name_en, "province_code": province, "zone_type": zone_type,
        "year": 2024, "data_year": 2024, "baseline_year": 2015,
        "emissions": {"baseline_net_tco2e": 100.0, "net_tco2e": net, "gross_tco2e": net + 10,
                      "removals_tco2e": 10.0, "net_reduction_pct": reduction},
        "targets": [{"metric": "net_reduction_pct", "target_year": 2025, "target_value": 40.0,
                     "current_value": reduction, "progress_ratio": 0.5, "status": s} for s in statuses],
        "score": score, "grade": grade, "grade_en": next((b["grade_en"] for b in BANDS if b["grade"] == grade), None),
        "grade_provisional": provisional, "framework": {"grade_bands": BANDS},
        "highlights": [{"rule_id": "H-1", "text": f"亮点：{name}", "evidence": {}}],
        "problems": [{"rule_id": "P-1", "category": "progress", "text": f"问题：{name}", "evidence": {}}],
        "recommendations": [{"category": "pilot", "text": f"建议：{name}", "addresses": ["P-1"]}],
        "dataset": {"label": "示例数据", "is_sample": True},
        "figures": {"net_emissions": "figures/net_emissions.svg"},
    }
    if previous_net is not None:
        r["previous"] = {"year": 2023, "data_year": 2023, "emissions": {"net_tco2e": previous_net},
                         "targets": [], "score": score - 2, "grade": grade, "problems": []}
        r["changes"] = {"score_delta": 2.0, "grade_before": grade, "grade_after": grade, "problems_resolved": [],
                        "problems_persisting": ["P-1"], "problems_new": []}
    return r


ZONES = [
    zone_results("gd-a", HOSTILE, "440000", "county", 70.0, "合格", statuses=("off_track", "achieved")),
    zone_results("gd-b", "广东乙镇", "440000", "town", 64.0, "合格", reduction=-5.0, name_en="B Town"),
    zone_results("zj-c", "浙江丙村", "330000", "town", 70.0, "合格", provisional=True, previous_net=60.0),
    zone_results("zj-d", "浙江丁区", "330000", "county", 90.0, "优秀", statuses=()),
    zone_results("zj-e", "浙江戊园", "330000", "park", None, None, statuses=("no_data",)),
]


def notebook(name: str) -> bytes:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 工作底稿\n\n说明文字。"),
        nbformat.v4.new_code_cell("zone_name = 'x'", execution_count=1, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text=f"{name}\n"),
            nbformat.v4.new_output("display_data", data={"text/html": f"<b>{name}</b><img src=x onerror=alert(2)>",
                                                         "text/plain": f"plain {name}"}),
            nbformat.v4.new_output("display_data", data={"text/markdown": f"**{name}**", "text/plain": "md"}),
            nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG, "text/plain": "<Figure>"}),
        ]),
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nbformat.writes(nb).encode("utf-8")


def ranking_of(zones) -> dict:
    """ranking.json as a build writes it (after the zones)."""
    return rank_zones([{"zone_id": r["zone_id"], "zone_type": r["zone_type"], "score": r["score"]} for r in zones])


def make_build(root: Path, zones=ZONES, lang: str = "zh", national: bool = False, ranking: dict | None = None) -> Path:
    """``ranking``: ranking.json's content; by default the build's over ``zones``; {} for none."""
    year_dir = root / "2024"
    for r in zones:
        d = year_dir / "zones" / r["zone_id"]
        (d / "figures").mkdir(parents=True)
        (d / "results.json").write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
        (d / "figures" / "net_emissions.svg").write_text(SVG, encoding="utf-8")
        (d / "report.pdf").write_bytes(b"%PDF-1.7 stand-in")
        (d / "assessment.ipynb").write_bytes(notebook(r["name"]))
    for code in sorted({r["province_code"] for r in zones}):
        d = year_dir / "provinces" / code
        (d / "figures").mkdir(parents=True)
        (d / "figures" / "scores.svg").write_text(SVG, encoding="utf-8")
        (d / "results.json").write_text(json.dumps({"figures": {"scores": "figures/scores.svg"}}), encoding="utf-8")
        (d / "summary.pdf").write_bytes(b"%PDF-1.7 stand-in")
    if national:
        d = year_dir / "national"
        (d / "figures").mkdir(parents=True)
        (d / "figures" / "reduction_by_province.svg").write_text(SVG, encoding="utf-8")
        (d / "results.json").write_text(json.dumps({"figures": {"reduction_by_province": "figures/reduction_by_province.svg",
                                                                "gone": "figures/gone.svg"}}), encoding="utf-8")
        (d / "summary.pdf").write_bytes(b"%PDF-1.7 stand-in")
    ranking = ranking_of(zones) if ranking is None else ranking
    if ranking:
        (year_dir / "ranking.json").write_text(json.dumps(ranking), encoding="utf-8")
    manifest = {"year": 2024, "options": {"lang": lang},
                "zones": {"zj-f": {"status": "failed", "name": "浙江己镇", "reason": "kernel died"}}}
    (year_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return year_dir
