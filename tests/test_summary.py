"""Provincial and national aggregation (pure functions over results.json dicts)."""
import pytest

from nzc_report.dataset import load_dataset
from nzc_report.summary import by_type, common_findings, national_summary, province_summary, zones_table

DATASET = {"label": "测试数据", "is_sample": True, "report_date": "2020-03-31"}


def _result(zone_id, province, zone_type, reduction, score=None, problems=(), highlights=(), targets=()):
    return {"zone_id": zone_id, "name": f"{zone_id}区", "province_code": province, "zone_type": zone_type,
            "data_year": 2019, "score": score, "grade": None, "emissions": {"net_reduction_pct": reduction},
            "targets": [{"status": s} for s in targets],
            "problems": [{"rule_id": r, "category": c, "text": f"{zone_id}: {r}"} for r, c in problems],
            "highlights": [{"rule_id": r, "text": f"{zone_id}: {r}"} for r in highlights],
            "recommendations": []}


def _meta(r, status="built", reason=None):
    return {"zone_id": r["zone_id"], "name": r["name"], "zone_type": r["zone_type"],
            "province_code": r["province_code"], "status": status, "reason": reason}


@pytest.fixture
def results():
    return [
        _result("a", "330000", "town", 40.0, 80, problems=[("P-X", "policy")], targets=["on_track", "missed"]),
        _result("b", "330000", "town", -10.0, 50, problems=[("P-X", "policy"), ("P-Y", "progress")]),
        _result("c", "440000", "park", 20.0, None, highlights=["H-1"]),
    ]


def test_province_summary_counts_groups_and_names_the_missing(results):
    zj = [r for r in results if r["province_code"] == "330000"]
    missing = {"zone_id": "d", "name": "d区", "zone_type": "community", "province_code": "330000",
               "status": "failed", "reason": "boom"}
    s = province_summary(zj, [_meta(r) for r in zj] + [missing], "330000", 2019, DATASET)
    assert (s["zones_total"], s["zones_built"]) == (3, 2)
    assert s["missing"] == [{"zone_id": "d", "name": "d区", "status": "failed", "reason": "boom"}]
    assert s["by_type"] == [{"zone_type": "town", "label": "城镇", "count": 2},
                            {"zone_type": "community", "label": "社区/村", "count": 1}]
    assert s["score_stats"]["mean"] == 65 and s["reduction_stats"]["mean"] == 15
    assert s["common_problems"][0]["rule_id"] == "P-X" and s["common_problems"][0]["zones"] == 2
    assert s["zones"][0]["worst_status"] == "missed"
    assert s["dataset"] == DATASET


def test_national_summary_by_category_and_province(results):
    s = national_summary(results, [_meta(r) for r in results], 2019, DATASET)
    assert [p["province_code"] for p in s["provinces"]] == ["330000", "440000"]
    assert s["problems_by_category"]["policy"]["zones"] == 2
    assert s["problems_by_category"]["progress"]["zone_ids"] == ["b"]
    assert s["problems_by_category"]["concept"]["zones"] == 0
    assert s["highlights"][0]["example"]["name"] == "c区"
    assert set(s["recommendations_by_category"]) == {"guidance", "supporting_policy", "pilot", "international"}


def test_nothing_built_still_summarises(results):
    metas = [_meta(r, "failed", "x") for r in results]
    s = national_summary([], metas, 2019, DATASET)
    assert s["zones_built"] == 0 and len(s["missing"]) == 3 and s["score_stats"] is None
    assert zones_table(s).empty


def test_common_findings_are_ordered_by_reach(results):
    rows = common_findings(results, "problems")
    assert [(r["rule_id"], r["zones"]) for r in rows] == [("P-X", 2), ("P-Y", 1)]


def test_zhejiang_counts_match_the_source_report(sample_dir):
    # 6 towns, 4 communities, 1 park and 4 transport pilots (source report, 浙江省); plus 宁波梅山
    ds = load_dataset(sample_dir)
    zones = ds.tables["zones"]
    metas = [{"zone_type": t} for t in zones[zones["province"] == "330000"]["zone_type"]]
    counts = {row["zone_type"]: row["count"] for row in by_type(metas)}
    assert counts == {"town": 6, "community": 4, "park": 1, "transport": 4, "new_district": 1}


def test_the_build_hands_zhejiangs_zones_to_its_province_summary(sample_dir, tmp_path):
    from nzc_report.batch import Build, BuildOptions

    b = Build(BuildOptions(data=sample_dir, out=tmp_path / "out"))
    zj = [z for z in b.ds.zone_ids if b.zone_meta(z)["province_code"] == "330000"]
    spec, _ = b.summary_spec("province", "provinces/330000", zj)
    counts = {row["zone_type"]: row["count"] for row in by_type(spec.parameters["zones_meta"])}
    assert counts == {"town": 6, "community": 4, "park": 1, "transport": 4, "new_district": 1}
    assert not (tmp_path / "out").exists()  # planning writes nothing
