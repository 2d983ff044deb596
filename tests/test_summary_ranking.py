"""ranking.json (cli.md v2): ranks overall and within type, ties, zones without a score."""
from nzc_report.summary.ranking import final_ranks, rank_zones


def _z(zone_id, score, zone_type="town"):
    return {"zone_id": zone_id, "score": score, "zone_type": zone_type}


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    r = rank_zones([_z("a", 90), _z("b", 80), _z("c", 80), _z("d", 70)])["zones"]
    assert [r[z]["overall"] for z in "abcd"] == [1, 2, 2, 4]
    assert {r[z]["overall_of"] for z in "abcd"} == {4}


def test_scores_equal_as_printed_tie():
    r = rank_zones([_z("a", 51.1016), _z("b", 51.0984), _z("c", 51.04)])["zones"]
    assert [r[z]["overall"] for z in "abc"] == [1, 1, 3]  # 51.1, 51.1, 51.0


def test_zones_without_a_score_are_listed_with_null_ranks():
    r = rank_zones([_z("a", None), _z("b", 60), _z("c", 70, "park")])["zones"]
    assert r["a"] == {"score": None, "overall": None, "overall_of": 3, "zone_type": "town",
                      "within_type": None, "within_type_of": 2}
    assert (r["b"]["overall"], r["b"]["within_type"]) == (2, 1)
    assert (r["c"]["overall"], r["c"]["within_type"]) == (1, 1)


def test_within_type_counts_the_zones_of_that_type():
    zones = [_z("a", 50, "town"), _z("b", 60, "town"), _z("c", 60, "town"), _z("d", 99, "park")]
    r = rank_zones(zones)["zones"]
    assert [(r[z]["within_type"], r[z]["within_type_of"]) for z in "abcd"] == [(3, 3), (1, 3), (1, 3), (1, 1)]
    assert [r[z]["overall"] for z in "abcd"] == [4, 2, 2, 1]


def test_the_contract_shape_in_zone_order():
    out = rank_zones([_z("b", 1.0), _z("a", 2.0)])
    assert list(out) == ["zones"] and list(out["zones"]) == ["a", "b"]
    assert list(out["zones"]["a"]) == ["score", "overall", "overall_of", "zone_type", "within_type", "within_type_of"]
    assert rank_zones([]) == {"zones": {}}


def test_zones_are_ranked_only_against_zones_under_the_same_framework():
    # issue 30: two parks under the zero-carbon park programme, two towns and a park under the default
    zones = [{**_z("a", 90), "framework": "near-zero-zone"}, {**_z("b", 70), "framework": "near-zero-zone"},
             {**_z("p", 60, "park"), "framework": "near-zero-zone"},
             {**_z("q", 95, "park"), "framework": "zero-carbon-park", "outcome_status": "gate_failed"},
             {**_z("r", 80, "park"), "framework": "zero-carbon-park", "outcome_status": "rated"}]
    result = rank_zones(zones)
    r = result["zones"]
    assert [(r[z]["overall"], r[z]["overall_of"]) for z in "abp"] == [(1, 3), (2, 3), (3, 3)]
    assert (r["p"]["within_type"], r["p"]["within_type_of"]) == (1, 1)  # the other parks are under another
    # a failed gate decides: listed, not ranked by its score of 95; the passing park ranks first
    assert (r["q"]["overall"], r["r"]["overall"], r["r"]["overall_of"]) == (None, 1, 2)
    assert result["by_framework"] == {"near-zero-zone": 3, "zero-carbon-park": 2}


def test_a_provisional_grade_is_marked_so_that_readers_can_leave_it_out():
    # issue 29: zj-anxi read "5个社区/村类示范区中排名第4" with zj-qiaonan (暂定) counted; the ranking
    # marks it, and the zone report ranks among the final grades (tests/test_rank_cache.py)
    zones = [_z("a", 56), _z("b", 36), {**_z("p", 90), "provisional": True}]
    r = rank_zones(zones)["zones"]
    assert [r[z]["within_type"] for z in "abp"] == [2, 3, 1]  # ranked as before: ranking.json v2 unchanged
    assert r["p"]["provisional"] is True and "provisional" not in r["a"] and "provisional" not in r["b"]


def test_final_ranks_leave_provisional_zones_out_of_places_and_counts():
    # zj-anxi's case (issue 29): 4th of 5 in its type with a provisional zone ahead reads 3rd of 4
    zones = [_z("a", 90), {**_z("p", 85), "provisional": True}, _z("b", 80), _z("c", 70), _z("d", 60, "park")]
    final = final_ranks(rank_zones(zones)["zones"])
    assert [(final[z]["within_type"], final[z]["within_type_of"]) for z in "abc"] == [(1, 3), (2, 3), (3, 3)]
    assert [(final[z]["overall"], final[z]["overall_of"]) for z in "abcd"] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    # the provisional zone is shown, not ranked, and said to be provisional
    assert final["p"] == {"provisional": True, "overall": None, "overall_of": 4, "within_type": None,
                          "within_type_of": 3}
    assert not any(final[z]["provisional"] for z in "abcd")


def test_final_ranks_keep_frameworks_apart_and_unscored_zones_unranked():
    zones = [{**_z("a", 90), "framework": "x"}, {**_z("p", 95), "framework": "x", "provisional": True},
             {**_z("b", 99), "framework": "y", "provisional": True}, {**_z("n", None), "framework": "x"}]
    final = final_ranks(rank_zones(zones)["zones"])
    assert (final["a"]["overall"], final["a"]["overall_of"]) == (1, 2)  # a and n under x; p left out
    assert (final["n"]["overall"], final["n"]["overall_of"]) == (None, 2)
    assert (final["b"]["overall"], final["b"]["overall_of"]) == (None, 0)
