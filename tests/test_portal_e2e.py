"""End to end: a real build of a few sample zones (one with a hostile name) writes the
portal, and headless Chromium opens it from file://: every zone listed, the hostile name
shown literally, our script sorting and filtering, our CSS applied, every link a file."""
import csv
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from urllib.parse import quote

import pytest
from matplotlib.image import imread

from nzc_report.resources import SAMPLE_DATA_DIR
from clirun import in_process as cli
from portaldata import HOSTILE
from portalhtml import broken_links, parse, remote_sources, text_of

pytestmark = pytest.mark.e2e

ZONES = ["gd-nanao", "gd-wanshan", "zj-yucun"]  # two provinces
CHROMIUM = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def year_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("portal")
    data = root / "data"
    shutil.copytree(SAMPLE_DATA_DIR, data)
    with open(data / "zones.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        if r["zone_id"] == "gd-nanao":
            r["name"] = HOSTILE
    with open(data / "zones.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    # the command line in this process (clirun), as the other builds of this file
    proc = cli("build", "--data", data, "--zones", ",".join(ZONES), "--jobs", "1", "--out", root / "out", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (year_dir,) = (root / "out").iterdir()
    return year_dir


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    return tmp_path_factory.mktemp("chromium-profile")


def chromium(profile, *args, timeout=120) -> str:
    assert shutil.which("chromium"), "Debian's chromium is needed: make test installs it (scripts/ensure-system-deps.sh --test)"
    proc = subprocess.run([*CHROMIUM, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def dom(profile, url: str) -> str:
    """The page as Chromium has it after our script ran (--dump-dom)."""
    return chromium(profile, "--dump-dom", url)


def results(year_dir, zone):
    return json.loads((year_dir / "zones" / zone / "results.json").read_text(encoding="utf-8"))


def shown(page: str) -> list[str]:
    return [r["id"] for r in parse(page).rows if not r["hidden"]]


def test_every_zone_is_listed_and_the_script_ran(year_dir, profile):
    page = dom(profile, (year_dir / "portal" / "zones.html").as_uri())
    rows = parse(page).rows
    assert sorted(r["id"] for r in rows) == sorted(ZONES)
    assert shown(page) == [r["id"] for r in rows]
    # our script ran from file:// under the Content-Security-Policy: it counted the rows,
    # showed the filters and made the column headings buttons
    assert "显示3个，共3个" in text_of(page)
    assert 'id="filters" hidden' not in page and 'class="sort"' in page


def test_without_script_every_zone_in_rank_order(year_dir):
    rows = parse((year_dir / "portal" / "zones.html").read_text(encoding="utf-8")).rows
    ranking = json.loads((year_dir / "ranking.json").read_text(encoding="utf-8"))["zones"] \
        if (year_dir / "ranking.json").is_file() else None
    scores = {z: results(year_dir, z)["score"] for z in ZONES}
    assert [r["id"] for r in rows] == sorted(ZONES, key=lambda z: (-scores[z], z))
    if ranking:
        assert [r["id"] for r in rows] == sorted(ZONES, key=lambda z: (ranking[z]["overall"], z))


def test_the_hostile_name_shows_literally(year_dir, profile):
    for page in ("portal/zones.html", "portal/zones/gd-nanao.html", "portal/provinces/440000.html"):
        html = dom(profile, (year_dir / page).as_uri())
        assert HOSTILE in text_of(html), page
        assert all(not body.strip() for _, body in parse(html).scripts), page  # no script of the data's
    # the overview names only the zones that need attention; gd-nanao is not one of them
    html = dom(profile, (year_dir / "index.html").as_uri())
    assert all(not body.strip() for _, body in parse(html).scripts)


def test_sorting_by_score(year_dir, profile):
    scores = {z: results(year_dir, z)["score"] for z in ZONES}
    assert len(set(scores.values())) == len(ZONES)  # distinct, so the order is one
    base = (year_dir / "portal" / "zones.html").as_uri()
    ascending = shown(dom(profile, base + "#sort=score&dir=asc"))
    assert ascending == sorted(ZONES, key=scores.get)
    descending = shown(dom(profile, base + "#sort=score&dir=desc"))
    assert descending == list(reversed(ascending))


def test_filtering_by_province_and_status(year_dir, profile):
    base = (year_dir / "portal" / "zones.html").as_uri()
    page = dom(profile, base + "#province=440000&sort=score&dir=asc")
    assert shown(page) == sorted(["gd-nanao", "gd-wanshan"], key=lambda z: results(year_dir, z)["score"])
    assert "显示2个，共3个" in text_of(page)
    assert shown(dom(profile, base + "#province=330000")) == ["zj-yucun"]
    status = "missed"
    expected = [z for z in ZONES if any(t["status"] == status for t in results(year_dir, z)["targets"])]
    assert expected  # the sample has a missed target among these zones
    assert sorted(shown(dom(profile, base + f"#status={quote(status)}"))) == sorted(expected)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, format, *args):
        self.requests.append(f"{args[0]} {args[1]}" if len(args) > 1 else str(args))


def test_the_same_from_a_static_web_server(year_dir, profile):
    handler = functools.partial(_QuietHandler, directory=str(year_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page = dom(profile, base + "portal/zones.html#province=330000")
        assert shown(page) == ["zj-yucun"] and "显示1个，共3个" in text_of(page)
        zone = dom(profile, base + "portal/zones/gd-nanao.html")
        assert HOSTILE in text_of(zone)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    # 200, or 304 where the browser revalidates what it fetched for the page before
    assert not [r for r in _QuietHandler.requests if not r.endswith((" 200", " 304"))], _QuietHandler.requests


def test_every_link_resolves_to_a_file_of_the_build(year_dir):
    manifest = json.loads((year_dir / "manifest.json").read_text(encoding="utf-8"))
    outputs = [o["path"] for o in manifest["portal"]["portal"]["outputs"]]
    pages = [p for p in outputs if p.endswith(".html")]
    assert "index.html" in pages and "portal/zones/gd-nanao.assessment.html" in pages
    bad = [b for p in pages for b in broken_links(year_dir, p, (year_dir / p).read_text(encoding="utf-8"))]
    assert not bad, bad
    zone = parse((year_dir / "portal/zones/gd-nanao.html").read_text(encoding="utf-8")).links
    for target in ("report.pdf", "results.json", "figures/net_emissions.svg"):
        assert f"../../zones/gd-nanao/{target}" in zone
    assert "gd-nanao.assessment.html" in zone


def test_no_remote_source_in_any_file_of_the_portal(year_dir):
    files = [year_dir / "index.html", *sorted((year_dir / "portal").rglob("*.*"))]
    found = {str(f): remote_sources(f.read_text(encoding="utf-8")) for f in files}
    assert not {f: s for f, s in found.items() if s}


def test_the_working_paper_escapes_the_hostile_name(year_dir, profile):
    html = dom(profile, (year_dir / "portal/zones/gd-nanao.assessment.html").as_uri())
    assert "<script>alert" not in html
    assert all(not body.strip() for _, body in parse(html).scripts)
    assert "近零碳排放区示范工程" in text_of(html)


def test_our_stylesheet_is_applied_from_file(year_dir, profile, tmp_path):
    shot = tmp_path / "overview.png"
    chromium(profile, f"--screenshot={shot}", "--window-size=800,600", (year_dir / "index.html").as_uri())
    pixel = imread(shot)[5, 5][:3]  # the header's background: --accent #1d5c8a
    assert [round(float(c) * 255) for c in pixel] == [0x1d, 0x5c, 0x8a]


def test_verify_covers_the_portal_and_a_second_build_keeps_it(year_dir):
    page = year_dir / "portal" / "zones" / "gd-wanshan.html"
    before = {p: p.read_bytes() for p in (year_dir / "portal").rglob("*.html")}
    mtime = page.stat().st_mtime_ns
    data = year_dir.parent.parent / "data"
    cwd = year_dir.parent.parent
    proc = cli("build", "--data", data, "--zones", ",".join(ZONES), "--jobs", "1", "--out", year_dir.parent, cwd=cwd)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {p: p.read_bytes() for p in (year_dir / "portal").rglob("*.html")} == before
    assert page.stat().st_mtime_ns == mtime  # not even rewritten
    ok = cli("verify", "--out", year_dir.parent, cwd=cwd)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    page.write_bytes(page.read_bytes() + b" ")
    changed = cli("verify", "--out", year_dir.parent, cwd=cwd)
    assert changed.returncode == 1 and "gd-wanshan.html" in changed.stdout + changed.stderr


# -- issue 31: search, and a phone's width ----------------------------------------------------
def test_search_over_names_provinces_and_findings(year_dir, profile):
    base = (year_dir / "portal" / "zones.html").as_uri()
    assert shown(dom(profile, base + "#q=" + quote("浙江"))) == ["zj-yucun"]  # a province
    assert sorted(shown(dom(profile, base + "#q=" + quote("广东")))) == ["gd-nanao", "gd-wanshan"]
    name = results(year_dir, "gd-wanshan")["name"]
    assert shown(dom(profile, base + "#q=" + quote(name))) == ["gd-wanshan"]  # a zone's name
    # a finding's words: a problem of one zone that no other zone's findings share
    texts = {z: " ".join(f["text"] for f in results(year_dir, z)["problems"] + results(year_dir, z)["highlights"])
             for z in ZONES}
    phrase = next(f["text"][:12] for f in results(year_dir, "zj-yucun")["problems"]
                  if f["text"][:12] not in texts["gd-nanao"] + texts["gd-wanshan"])
    page = dom(profile, base + "#q=" + quote(phrase))
    assert shown(page) == ["zj-yucun"] and "显示1个，共3个" in text_of(page)
    assert shown(dom(profile, base + "#q=" + quote("没有这样的文字xyz"))) == []


MEASURE = """
window.addEventListener("load", function () {
  var row = document.querySelector("#zones tbody tr");
  function right(i) { var r = row.cells[i].getBoundingClientRect(); return r.width > 0 ? Math.round(r.right) : -1; }
  document.body.setAttribute("data-measure", [right(0), right(3), right(4), window.innerWidth,
    document.documentElement.scrollWidth].join(","));
});
"""
# headless Chromium's window is at least 500 px wide: the page is shown in a 390 px frame of a host page
HOST = """<!DOCTYPE html><html><head><style>body{margin:0}iframe{border:0;display:block}</style>
<script src="host.js"></script></head>
<body><iframe id="phone" src="portal/zones.html" width="390" height="844"></iframe></body></html>"""
HOST_JS = """
window.addEventListener("load", function () {
  var inner = document.getElementById("phone").contentDocument.body;
  document.body.setAttribute("data-measure", inner.getAttribute("data-measure") || "none");
});
"""


def test_at_390_px_the_zones_table_shows_name_score_and_grade(year_dir, profile, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(year_dir, site, ignore=shutil.ignore_patterns("*.pdf", "*.ipynb"))
    (site / "portal" / "assets" / "measure.js").write_text(MEASURE, encoding="utf-8")
    page = site / "portal" / "zones.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</head>", '<script src="assets/measure.js"></script></head>'), encoding="utf-8")
    (site / "host.html").write_text(HOST, encoding="utf-8")
    (site / "host.js").write_text(HOST_JS, encoding="utf-8")
    host = (site / "host.html").as_uri()
    html = chromium(profile, "--allow-file-access-from-files", "--dump-dom", "--window-size=500,900", host)
    measured = re.search(r'data-measure="([-\d,]+)"', html)
    assert measured, html[:800]
    name, score, grade, width, scroll = map(int, measured[1].split(","))
    assert width == 390
    assert 0 < name < score <= width and 0 < grade <= width, measured[1]  # name, score, grade in view
    assert scroll <= width  # nothing off to the side
    shot = tmp_path / "zones-390.png"
    chromium(profile, "--allow-file-access-from-files", f"--screenshot={shot}", "--window-size=500,900", host)
    assert imread(shot).shape[1] == 500


CHARTS = """
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.querySelectorAll("figure.chart img"));
  var right = 0, narrow = 0;
  imgs.forEach(function (img) {
    var r = img.getBoundingClientRect();
    right = Math.max(right, Math.round(r.right));
    if (r.width < 200) { narrow += 1; }  // drawn too small to read
  });
  document.body.setAttribute("data-measure", [imgs.length, right, narrow, window.innerWidth,
    document.documentElement.scrollWidth].join(","));
});
"""


@pytest.mark.parametrize("page", ["portal/provinces/330000.html", "portal/zones/zj-yucun.html"])
def test_at_390_px_the_charts_fit_the_width(year_dir, profile, tmp_path, page):
    """Issue 31: the charts scale at phone width, measured: every chart within the 390 px frame,
    none drawn narrower than 200 px, and nothing off to the side (a zone's targets table was
    448 px wide: it scrolls within itself now). This build has no national summary: the
    overview has no charts; a province's page has."""
    site = tmp_path / "site"
    shutil.copytree(year_dir, site, ignore=shutil.ignore_patterns("*.pdf", "*.ipynb"))
    (site / "portal" / "assets" / "measure.js").write_text(CHARTS, encoding="utf-8")
    target = site / page
    assets = "../assets"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "</head>", f'<script src="{assets}/measure.js"></script></head>'), encoding="utf-8")
    (site / "host.html").write_text(HOST.replace("portal/zones.html", page), encoding="utf-8")
    (site / "host.js").write_text(HOST_JS, encoding="utf-8")
    html = chromium(profile, "--allow-file-access-from-files", "--dump-dom", "--window-size=500,900",
                    (site / "host.html").as_uri())
    measured = re.search(r'data-measure="([-\d,]+)"', html)
    assert measured, html[:800]
    charts, right, narrow, width, scroll = map(int, measured[1].split(","))
    assert width == 390 and charts >= 1, measured[1]
    assert right <= width and narrow == 0 and scroll <= width, measured[1]
