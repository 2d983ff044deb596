"""The portal as a Dask task in a real build (real kernels, a real LocalCluster): the same bytes
as the portal made in this process from the same build folder, nothing rewritten by a build
that changes nothing, only the pages that show a changed zone rewritten, and a portal that
cannot be written recorded as a failure that loses no report."""
import json
import shutil

import pytest

from batchdata import bump_emissions, copies_of_tiny
from nzc_report.batch import BuildOptions, Build, build
from nzc_report.portal import write_portal

pytestmark = pytest.mark.e2e
YEAR = "2019"
UNREACHABLE = "tcp://127.0.0.1:9"  # discard port: any attempt to run a task is an error (exit 2)


def portal_files(year_dir) -> dict[str, bytes]:
    files = {p.relative_to(year_dir).as_posix(): p for p in sorted((year_dir / "portal").rglob("*")) if p.is_file()}
    files["index.html"] = year_dir / "index.html"
    return {rel: p.read_bytes() for rel, p in files.items()}


def mtimes(year_dir) -> dict[str, int]:
    return {rel: (year_dir / rel).stat().st_mtime_ns for rel in portal_files(year_dir)}


def statuses(result) -> dict[str, str]:
    return {o.id: o.status for o in result.outcomes}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal-task")
    data = copies_of_tiny(root / "data", 2)  # z01 in Guangdong, z02 in Zhejiang
    options = BuildOptions(data=data, out=root / "out", jobs=1, year=int(YEAR))
    result = build(options)
    assert result.exit_code == 0, [(o.id, o.reason) for o in result.failed]
    assert statuses(result)["portal"] == "built"
    return options, root / "out" / YEAR


def test_the_portal_task_gives_the_bytes_of_the_portal_made_in_this_process(built, tmp_path):
    _, year_dir = built
    copy = tmp_path / YEAR
    shutil.copytree(year_dir, copy, ignore=shutil.ignore_patterns("portal", "index.html"))
    written = write_portal(copy, "zh")
    assert portal_files(copy) == portal_files(year_dir)
    assert {"index.html", "portal/zones/z01.html", "portal/zones/z02.assessment.html"} <= set(portal_files(year_dir))
    entry = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))["portal"]["portal"]
    assert entry["status"] == "built" and entry["sources"] == written.keys
    assert sorted(o["path"] for o in entry["outputs"]) == sorted(portal_files(year_dir))


def test_a_build_that_changes_nothing_runs_no_portal_task_and_rewrites_nothing(built):
    options, year_dir = built
    before = mtimes(year_dir)
    # past the no-change stamp (uptodate.py), with a scheduler that cannot be reached: a task would fail
    result = Build(BuildOptions(**{**vars(options), "scheduler": UNREACHABLE})).run()
    assert set(statuses(result).values()) == {"up_to_date"} and "portal" in statuses(result)
    assert mtimes(year_dir) == before


def test_a_changed_zone_rewrites_the_pages_that_show_it_and_no_other(built):
    options, year_dir = built
    before = mtimes(year_dir)
    bump_emissions(options.data, "z02")  # Zhejiang
    result = build(options)
    assert statuses(result)["portal"] == "built" and not result.failed
    after = mtimes(year_dir)
    assert after.keys() == before.keys()
    rewritten = {rel for rel in after if after[rel] != before[rel]}
    assert {"portal/zones/z02.html", "portal/zones/z02.assessment.html", "index.html"} <= rewritten
    # portal/assets/search.js: the search index holds the zone's findings (issue 31)
    assert rewritten <= {"portal/zones/z02.html", "portal/zones/z02.assessment.html", "index.html", "portal/assets/search.js",
                         "portal/zones.html", "portal/provinces/330000.html"}


def test_a_portal_that_cannot_be_written_is_a_failure_that_loses_no_report(built):
    options, year_dir = built
    shutil.rmtree(year_dir / "portal")
    (year_dir / "portal").write_text("a file where the portal's folder goes", encoding="utf-8")
    try:
        bump_emissions(options.data, "z01")
        result = build(options)
        assert result.exit_code == 1 and [o.id for o in result.failed] == ["portal"]
        assert statuses(result)["z01"] == "built"
        manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["zones"]["z01"]["status"] == "built" and (year_dir / "zones/z01/report.pdf").is_file()
        assert manifest["portal"]["portal"]["status"] == "failed" and "portal" in manifest["portal"]["portal"]["reason"]
    finally:
        (year_dir / "portal").unlink()
