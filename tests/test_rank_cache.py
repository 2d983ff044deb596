"""A zone report shows its rank among the zones of its type, and that rank (not the other
zones' scores) is part of the report's key (issue 12, "the rank-stable cache test").

Six zones made from the tiny fixture: three towns in Guangdong (z01, z03, z05), three
parks in Zhejiang (z02, z04, z06), their emissions scaled so that every score differs.
Changing z05's data so that its score moves but no rank does rebuilds z05 (notebook and
report), Guangdong's summary and the nation, nothing else. Changing it so that z05 and z03
swap places rebuilds z05, and z03's report alone (not its notebook).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from batchdata import bump_emissions, copies_of_tiny
from nzc_report.batch import BuildOptions, build
from nzc_report.render import PeerRank, render_zone_html
from nzc_report.resources import PARAMS_DIR
from pdftools import pdftotext
from reportdata import write_zone_dir, zone_results

ZONES = [f"z{i:02d}" for i in range(1, 7)]
TOWNS, PARKS = ["z01", "z03", "z05"], ["z02", "z04", "z06"]
# towns z05 > z03 > z01, parks z06 > z04 > z02 (lower emissions, better score)
SPREAD = {"z03": 0.9, "z05": 0.8, "z04": 0.95, "z06": 0.85}
RANK_LINE = re.compile(r"综合得分在本次评估的(\d+)个(\S+?)类示范区中(?:排名|并列)第(\d+)。")


def _state(out: Path, result) -> dict:
    year_dir = out / "2019"
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    return {
        "outcomes": {(o.kind, o.id): o.status for o in result.outcomes},
        "failed": [(o.kind, o.id, o.reason) for o in result.failed],
        "manifest": manifest,
        "ranking": json.loads((year_dir / "ranking.json").read_text(encoding="utf-8"))["zones"],
        "national": json.loads((year_dir / "national" / "results.json").read_text(encoding="utf-8")),
        "rank_lines": {z: _rank_line(year_dir / "zones" / z / "report.pdf") for z in ZONES},
    }


def _rank_line(pdf: Path) -> tuple[int, str, int]:
    found = RANK_LINE.findall(re.sub(r"\s+", "", pdftotext(pdf)))
    assert len(found) == 1, found
    n, zone_type, k = found[0]
    return int(k), zone_type, int(n)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The first build, then one where z05's score moves alone, then one where its rank moves."""
    root = tmp_path_factory.mktemp("rank")
    data = copies_of_tiny(root / "data", len(ZONES))
    for zone_id, factor in SPREAD.items():
        bump_emissions(data, zone_id, factor)
    out = root / "out"
    # the tiny zones report few indicators: their grades would be provisional, which a report does not
    # rank among final ones (issue 29); an evaluator's framework.yaml with no provisional threshold
    params = root / "params"
    params.mkdir()
    framework = (PARAMS_DIR / "frameworks" / "near-zero-zone.yaml").read_text(encoding="utf-8")
    assert "provisional_below_coverage_pct: 60" in framework
    (params / "framework.yaml").write_text(framework.replace("provisional_below_coverage_pct: 60",
                                                             "provisional_below_coverage_pct: 0"), encoding="utf-8")

    def again():
        return _state(out, build(BuildOptions(data=data, out=out, jobs=2, year=2019, params=params)))

    first = again()
    bump_emissions(data, "z05", 0.98)  # better still: first among the towns as before
    stable = again()
    bump_emissions(data, "z05", 1.2)  # now below z03: z03 first, z05 second
    moved = again()
    return first, stable, moved


def _places(state: dict) -> dict[str, int]:
    return {z: e["within_type"] for z, e in state["ranking"].items()}


def _built(state: dict) -> set[tuple[str, str]]:
    """What was rebuilt, the portal aside (it lists every zone's figures)."""
    return {k for k, s in state["outcomes"].items() if s == "built" and k[0] != "portal"}


def _everything_else_up_to_date(state: dict, built: set) -> None:
    expected = {(kind, z) for z in ZONES for kind in ("zone", "zone_report")} | {
        ("province", "provinces/440000"), ("province", "provinces/330000"), ("national", "national")}
    assert {k for k in state["outcomes"] if k[0] != "portal"} == expected
    others = {k: s for k, s in state["outcomes"].items() if k in expected and k not in built}
    assert others == dict.fromkeys(expected - built, "up_to_date")


@pytest.mark.e2e
def test_the_first_build_ranks_every_zone_within_its_type_on_its_summary_page(builds):
    first, _, _ = builds
    assert first["failed"] == []
    assert _places(first) == {"z05": 1, "z03": 2, "z01": 3, "z06": 1, "z04": 2, "z02": 3}
    national = {z["zone_id"]: z for z in first["national"]["zones"]}
    for z in ZONES:
        rank, zone_type, n = first["rank_lines"][z]
        # the report, ranking.json, the national summary and the manifest say the same
        assert (rank, n) == (first["ranking"][z]["within_type"], first["ranking"][z]["within_type_of"]) == (
            national[z]["rank_within_type"], national[z]["rank_within_type_of"])
        assert zone_type == ("城镇" if z in TOWNS else "园区") and n == 3
        assert first["manifest"]["zones"][z]["rank"] == {"within_type": rank, "within_type_of": 3, "tied": False}


@pytest.mark.e2e
def test_a_score_that_moves_no_rank_rebuilds_only_that_zone_its_province_and_the_nation(builds):
    first, stable, _ = builds
    assert stable["failed"] == []
    assert stable["ranking"]["z05"]["score"] != first["ranking"]["z05"]["score"]  # the premise
    assert _places(stable) == _places(first)
    built = {("zone", "z05"), ("zone_report", "z05"), ("province", "provinces/440000"), ("national", "national")}
    assert _built(stable) == built
    _everything_else_up_to_date(stable, built)
    before, after = first["manifest"]["zones"], stable["manifest"]["zones"]
    for z in ZONES:
        changed = z == "z05"
        assert (before[z]["key"] != after[z]["key"]) is changed
        assert (before[z]["report_key"] != after[z]["report_key"]) is changed
        assert (before[z]["outputs"] != after[z]["outputs"]) is changed
    assert stable["rank_lines"] == first["rank_lines"]


@pytest.mark.e2e
def test_a_rank_that_moves_rebuilds_the_report_of_the_zone_it_passes_not_its_notebook(builds):
    _, stable, moved = builds
    assert moved["failed"] == []
    assert _places(moved) == {**_places(stable), "z03": 1, "z05": 2}  # the premise: they swap
    built = {("zone", "z05"), ("zone_report", "z05"), ("zone_report", "z03"),
             ("province", "provinces/440000"), ("national", "national")}
    assert _built(moved) == built
    _everything_else_up_to_date(moved, built)
    before, after = stable["manifest"]["zones"], moved["manifest"]["zones"]
    assert after["z03"]["key"] == before["z03"]["key"] and after["z03"]["report_key"] != before["z03"]["report_key"]
    assert {o["path"]: o["sha256"] for o in after["z03"]["outputs"] if not o["path"].endswith(".pdf")} == {
        o["path"]: o["sha256"] for o in before["z03"]["outputs"] if not o["path"].endswith(".pdf")}
    assert moved["rank_lines"]["z03"] == (1, "城镇", 3) and moved["rank_lines"]["z05"] == (2, "城镇", 3)
    assert moved["rank_lines"]["z01"] == (3, "城镇", 3)
    national = {z["zone_id"]: z["rank_within_type"] for z in moved["national"]["zones"]}
    assert {z: moved["rank_lines"][z][0] for z in ZONES} == national


# -- the sentence itself, from the catalogue, in both languages -------------------------------
@pytest.fixture(scope="module")
def alpha_dir(tmp_path_factory) -> tuple[dict, Path]:
    results = zone_results("alpha")
    folder = tmp_path_factory.mktemp("alpha") / "alpha"
    write_zone_dir(folder, results)
    return results, folder


@pytest.mark.parametrize("rank, zh, en", [
    (PeerRank(2, 5), "综合得分在本次评估的5个城镇类示范区中排名第2。",
     "Rank 2 of the 5 town zones assessed this year, by overall score."),
    (PeerRank(2, 5, tied=True), "综合得分在本次评估的5个城镇类示范区中并列第2。",
     "Rank 2 (shared) of the 5 town zones assessed this year, by overall score."),
    (PeerRank(None, 5), "本年度未评分，未参与城镇类示范区排名。",
     "Not scored this year, so not ranked among the town zones."),
    (PeerRank(1, 1), "本次评估中没有其他城镇类示范区，不作同类排名。",
     "No other town zone was assessed this year: no rank within the type."),
    (PeerRank(2, 4, provisional=1),
     "综合得分在本次评估的4个城镇类示范区中排名第2。另有1个城镇类示范区的评价等级为暂定结果，未参与排名。",
     "Rank 2 of the 4 town zones assessed this year, by overall score. Not ranked: 1 other zone of the type, "
     "whose grade is provisional."),
    (PeerRank(1, 1, provisional=1),
     "本次评估中没有其他参与排名的城镇类示范区，不作同类排名。另有1个城镇类示范区的评价等级为暂定结果，未参与排名。",
     "No other town zone is ranked this year: no rank within the type. Not ranked: 1 other zone of the type, "
     "whose grade is provisional."),
])
def test_the_rank_sentence(alpha_dir, rank, zh, en):
    results, folder = alpha_dir
    results = {**results, "grade_provisional": False}  # a final grade: ranked among its type (issue 29)
    assert f'<p class="noindent keyline rank-line">{zh}</p>' in render_zone_html(results, folder, "zh", rank=rank)
    assert f'<p class="noindent keyline rank-line">{en}</p>' in render_zone_html(results, folder, "en", rank=rank)


@pytest.mark.parametrize("rank", [PeerRank(2, 5), PeerRank(2, 5, tied=True), PeerRank(1, 1)])
def test_a_provisional_grade_is_not_ranked_among_final_ones(alpha_dir, rank):
    results, folder = alpha_dir
    html = render_zone_html({**results, "grade_provisional": True}, folder, "zh", rank=rank)
    assert ('<p class="noindent keyline rank-line">评价等级为暂定结果（有数据的指标权重不足），'
            '不与其他城镇类示范区的正式结果一并排名。</p>') in html
    assert "排名第" not in html and "并列第" not in html


def test_a_report_outside_a_build_has_no_rank_sentence(alpha_dir):
    results, folder = alpha_dir
    assert "rank-line" not in render_zone_html(results, folder, "zh")


def test_a_peer_rank_comes_from_ranks_alone():
    ranking = {"zones": {
        "a": {"zone_type": "town", "within_type": 1, "within_type_of": 4},
        "b": {"zone_type": "town", "within_type": 2, "within_type_of": 4},
        "c": {"zone_type": "town", "within_type": 2, "within_type_of": 4},
        "d": {"zone_type": "town", "within_type": None, "within_type_of": 4},
        "e": {"zone_type": "park", "within_type": 2, "within_type_of": 2},
    }}
    assert PeerRank.of(ranking, "a") == PeerRank(1, 4, False)
    assert PeerRank.of(ranking, "b") == PeerRank.of(ranking, "c") == PeerRank(2, 4, True)
    assert PeerRank.of(ranking, "d") == PeerRank(None, 4, False)
    assert PeerRank.of(ranking, "e") == PeerRank(2, 2, False)  # another type's 2 is no tie
    assert PeerRank.of(ranking, "zz") is None


def test_a_peer_rank_counts_only_final_grades_and_names_the_provisional_ones():
    # issue 29: zj-anxi read "5个社区/村类示范区中排名第4" with zj-qiaonan (暂定) counted; a provisional
    # zone ranked above a final one no longer pushes it down either
    ranking = {"zones": {
        "p": {"zone_type": "community", "within_type": 1, "within_type_of": 4, "provisional": True},
        "a": {"zone_type": "community", "within_type": 2, "within_type_of": 4},
        "b": {"zone_type": "community", "within_type": 3, "within_type_of": 4},
        "q": {"zone_type": "community", "within_type": 4, "within_type_of": 4, "provisional": True},
    }}
    assert PeerRank.of(ranking, "a") == PeerRank(1, 2, False, provisional=2)
    assert PeerRank.of(ranking, "b") == PeerRank(2, 2, False, provisional=2)
    assert PeerRank.of(ranking, "b").as_param() == {"within_type": 2, "within_type_of": 2, "tied": False,
                                                    "provisional": 2}
    assert PeerRank.of(ranking, "q") == PeerRank(4, 4, False)  # its own report: provisional, not ranked
    assert PeerRank(1, 3).as_param() == {"within_type": 1, "within_type_of": 3, "tied": False}  # keys as before


def test_a_report_task_ships_the_figures_the_zone_folder_holds(tmp_path):
    from nzc_report.batch import zone_figures

    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "net.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path.parent / "outside.svg").write_text("<svg/>", encoding="utf-8")
    from nzc_report.results_model import ZoneResults

    results = ZoneResults.from_dict({"figures": {"net_emissions": "figures/net.svg", "sectors": "figures/missing.svg",
                                                 "indicators": "../outside.svg"}})
    assert zone_figures(tmp_path, results) == [("figures/net.svg", tmp_path / "figures" / "net.svg")]
