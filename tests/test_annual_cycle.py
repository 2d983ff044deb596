"""The year's cycle (cli.md v3), planned in-process, nothing run: a zone approved after the
assessment year is not built, listed as not yet approved, not counted by the summaries and no
failure; the previous year comes from OUT/<year-1>/ where its manifest says the zone was built."""
import json
import shutil

from nzc_report.batch import Build, BuildOptions

from reportdata import TINY


def _tiny(tmp_path, beta_approved: int):
    data = tmp_path / "data"
    shutil.copytree(TINY, data)
    zones = data / "zones.csv"
    zones.write_text(zones.read_text(encoding="utf-8").replace("park,2018,2016", f"park,{beta_approved},2016"),
                     encoding="utf-8")
    return data


def test_a_zone_approved_after_the_year_is_outside_its_cycle(tmp_path):
    b = Build(BuildOptions(data=_tiny(tmp_path, 2020), out=tmp_path / "out", year=2019))
    assert b.zone_ids == ["alpha"] and b.not_yet_approved == ["beta"]
    assert [(o.id, o.status) for o in b.result.outcomes] == [("beta", "not_yet_approved")]
    assert "2020" in (b.result.outcomes[0].reason or "")
    assert b.result.exit_code == 0
    groups = b.summary_groups()
    assert all("beta" not in zones for _, zones in groups.values())
    assert not (tmp_path / "out").exists()  # planning writes nothing


def test_a_zone_approved_in_the_year_is_in_it(tmp_path):
    b = Build(BuildOptions(data=_tiny(tmp_path, 2019), out=tmp_path / "out", year=2019))
    assert b.zone_ids == ["alpha", "beta"] and not b.not_yet_approved and not b.result.outcomes


def test_the_previous_year_is_the_published_build_where_it_holds_the_zone(tmp_path):
    out = tmp_path / "out"
    (out / "2018" / "zones" / "alpha").mkdir(parents=True)
    (out / "2018" / "zones" / "beta").mkdir(parents=True)
    (out / "2018" / "zones" / "alpha" / "results.json").write_text("{}", encoding="utf-8")
    (out / "2018" / "zones" / "beta" / "results.json").write_text("{}", encoding="utf-8")
    (out / "2018" / "manifest.json").write_text(json.dumps(
        {"zones": {"alpha": {"status": "built"}, "beta": {"status": "failed"}}}), encoding="utf-8")
    b = Build(BuildOptions(data=_tiny(tmp_path, 2018), out=out, year=2019))
    assert set(b.published) == {"alpha"}  # beta's failed there: recomputed
    assert b.zone_spec("alpha", b"").parameters["previous_results"].endswith("previous-results.json")
    assert "previous_results" not in b.zone_spec("beta", b"").parameters
