"""verify names the portal's pages made from files that changed since (issue 27: verify is never
blind), page by page: each page's inputs are recorded (nzc_report/portal/depends.py).

On a copy of the session's four-zone build (no new build: the one build below finds everything
up to date and runs no task)."""
import json

import pytest

from batchdata import copy_build
from nzc_report.batch import BuildOptions, build
from nzc_report.batch.manifest import read_manifest, verify
from nzc_report.batch.pages_stale import stale_pages
from nzc_report.dataset import sha256_file
from nzc_report.yamlfile import speaking


def _stale(problems: list[str], year_dir) -> set[str]:
    return {p.split()[1][len(str(year_dir)) + 1:].rstrip(":") for p in problems if p.startswith("STALE ")}


def test_a_page_made_from_a_changed_file_is_named_and_no_other(tmp_path):
    year_dir = tmp_path
    (year_dir / "portal" / "zones").mkdir(parents=True)
    for page in ("index.html", "portal/zones/a.html", "portal/zones/b.html"):
        (year_dir / page).write_text(page)
    for rel in ("zones/a/results.json", "zones/b/results.json"):
        (year_dir / rel).parent.mkdir(parents=True)
        (year_dir / rel).write_text("{}")
    entry = {"inputs": {rel: sha256_file(year_dir / rel) for rel in ("zones/a/results.json", "zones/b/results.json")},
             "page_inputs": {"index.html": ["zones/a/results.json", "zones/b/results.json"],
                             "portal/zones/a.html": ["zones/a/results.json"],
                             "portal/zones/b.html": ["zones/b/results.json"], "portal/assets/portal.css": []}}
    assert stale_pages(year_dir, entry, sha256_file) == []
    (year_dir / "zones/b/results.json").write_text('{"score": 1}')
    with speaking("en"):
        assert stale_pages(year_dir, entry, sha256_file) == [
            f"STALE {year_dir / p}: made from zones/b/results.json as it was before (changed or gone since); "
            "build again" for p in ("index.html", "portal/zones/b.html")]
    assert stale_pages(year_dir, entry, sha256_file)[0] == (  # Chinese unless English is asked for
        f"STALE {year_dir / 'index.html'} 由 zones/b/results.json 的旧版本生成（之后已更改或删除）；请重新构建")
    (year_dir / "portal/zones/b.html").unlink()  # a page gone is the output check's (MISSING), not STALE
    assert _stale(stale_pages(year_dir, entry, sha256_file), year_dir) == {"index.html"}


@pytest.fixture
def built(four_zone_build, tmp_path):
    data, out = copy_build(four_zone_build, tmp_path)
    return data, out, out / "2019"


def test_each_page_records_what_it_is_made_from(built):
    _, _, year_dir = built
    portal = read_manifest(year_dir)["portal"]["portal"]
    pages = portal["page_inputs"]
    assert set(pages) == {o["path"] for o in portal["outputs"]}
    assert pages["portal/zones/z02.html"] == ["ranking.json", "zones/z02/results.json"]
    assert pages["portal/zones/z02.assessment.html"] == ["zones/z02/assessment.ipynb"]
    assert pages["portal/provinces/330000.html"] == ["provinces/330000/results.json", "ranking.json",
                                                     "zones/z02/results.json", "zones/z04/results.json"]
    assert "national/results.json" in pages["index.html"] and pages["portal/assets/portal.css"] == []
    assert set(portal["inputs"]) == {rel for rels in pages.values() for rel in rels}


def test_verify_names_the_pages_a_changed_zone_makes_stale_and_only_those(built):
    """As after a build killed once z02's notebook wrote its files, or one whose portal failed."""
    _, out, year_dir = built
    for name in ("results.json", "assessment.ipynb"):
        path = year_dir / "zones" / "z02" / name
        path.write_bytes(path.read_bytes().replace(b"}", b"} ", 1))
    problems, _ = verify(out)
    assert _stale(problems, year_dir) >= {
        "index.html", "portal/zones.html", "portal/assets/search.js", "portal/provinces/330000.html",
        "portal/zones/z02.html", "portal/zones/z02.assessment.html"}
    pages = {p for p in _stale(problems, year_dir) if p.startswith("portal/") or p == "index.html"}
    assert not {"portal/zones/z01.html", "portal/zones/z04.assessment.html", "portal/provinces/440000.html",
                "portal/assets/portal.css"} & pages


def test_a_failed_portal_leaves_its_pages_listed_with_their_inputs(built, monkeypatch):
    """The pages on disk are not forgotten when the portal fails: verify still checks them, and
    names those whose inputs changed."""
    import nzc_report.portal

    data, out, year_dir = built
    before = read_manifest(year_dir)["portal"]["portal"]

    def broken(*args, **kwargs):
        raise RuntimeError("the portal broke")

    monkeypatch.setattr(nzc_report.portal, "plan_portal", broken)
    result = build(BuildOptions(data=data, out=out, year=2019))
    assert [(o.id, o.status) for o in result.failed] == [("portal", "failed")]
    after = read_manifest(year_dir)["portal"]["portal"]
    assert after["status"] == "failed" and "the portal broke" in after["reason"]
    assert (after["outputs"], after["page_inputs"]) == (before["outputs"], before["page_inputs"])
    assert verify(out)[0] == []
    ranking = year_dir / "ranking.json"
    ranking.write_text(json.dumps({"zones": {}}), encoding="utf-8")
    assert {"portal/zones/z01.html", "portal/provinces/440000.html", "index.html"} <= _stale(verify(out)[0], year_dir)
