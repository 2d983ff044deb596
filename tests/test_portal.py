"""The reviewers' portal over a hand-made build folder: pages, ranks, escaping, links,
no remote sources, English, and writing only what changed."""
import json
import re
import shutil

import pytest

from nzc_report.portal import PortalInputs, build_portal, make_portal, plan_portal, write_pages, write_portal
from nzc_report.portal.paper import notebook_body
from nzc_report.render.messages import Messages, flat_keys
from nzc_report.resources import TEMPLATES_DIR
from nzc_report.summary.ranking import rank_zones
from portaldata import HOSTILE, ZONES, make_build, notebook, zone_results
from portalhtml import broken_links, parse, remote_sources, text_of

ZONE_IDS = [r["zone_id"] for r in ZONES]


@pytest.fixture
def year_dir(tmp_path):
    return make_build(tmp_path)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return build_portal(make_build(tmp_path_factory.mktemp("build")))


def html(files, path):
    return files[path].decode("utf-8")


def test_the_pages_of_the_portal(files):
    assert {"index.html", "portal/zones.html", "portal/assets/portal.css", "portal/assets/portal.js",
            "portal/provinces/440000.html", "portal/provinces/330000.html"} <= set(files)
    for z in ZONE_IDS:
        assert f"portal/zones/{z}.html" in files and f"portal/zones/{z}.assessment.html" in files


def test_the_ranks_are_those_of_ranking_json(tmp_path):
    # the portal ranks nothing itself: a ranking.json against the scores is shown as it is
    given = {z: {"score": 0, "overall": i, "overall_of": 9, "zone_type": "x", "within_type": i, "within_type_of": 9}
             for i, z in enumerate(reversed(ZONE_IDS), start=1)}
    files = build_portal(make_build(tmp_path, ranking={"zones": given}))
    rows = parse(html(files, "portal/zones.html")).rows
    assert [r["id"] for r in rows] == list(reversed(ZONE_IDS))
    assert "第5名，共9个" in text_of(html(files, "portal/zones/gd-a.html"))


def test_a_provisional_zone_is_shown_not_ranked_and_out_of_the_others_places(tmp_path):
    # ranking.json marks zj-c's provisional grade (as the build does): the portal places the others
    # among final grades, as their reports do (issue 29), and says why zj-c has no place
    zones = [{"zone_id": r["zone_id"], "zone_type": r["zone_type"], "score": r["score"],
              "provisional": r["grade_provisional"]} for r in ZONES]
    files = build_portal(make_build(tmp_path, ranking=rank_zones(zones)))
    rows = parse(html(files, "portal/zones.html")).rows
    assert [r["id"] for r in rows] == ["zj-d", "gd-a", "gd-b", "zj-c", "zj-e"]  # zj-c after the ranked zones
    assert "第3名，共4个" in text_of(html(files, "portal/zones/gd-b.html"))  # 4th of 5 with zj-c counted
    page = text_of(html(files, "portal/zones/zj-c.html"))
    assert "暂定，不排名" in page and "名，共" not in page


def test_a_zone_whose_framework_document_is_not_known_in_force_says_for_reference_not_provisional(tmp_path):
    # ranking.json marks zj-c reference_only (its framework's document not confirmed on the report's
    # date, issue 30): the portal says 仅供对照 in both rank cells, not 暂定
    zones = [{"zone_id": r["zone_id"], "zone_type": r["zone_type"], "score": r["score"],
              "reference_only": r["zone_id"] == "zj-c"} for r in ZONES]
    files = build_portal(make_build(tmp_path, ranking=rank_zones(zones)))
    page = text_of(html(files, "portal/zones/zj-c.html"))
    assert page.count("仅供对照，不排名") == 2 and "暂定，不排名" not in page and "名，共" not in page


def test_a_zone_that_ranking_json_leaves_out_has_no_rank(tmp_path):
    files = build_portal(make_build(tmp_path, ranking={"zones": {}}))
    rows = parse(html(files, "portal/zones.html")).rows
    assert [r["id"] for r in rows] == ["zj-d", "gd-a", "zj-c", "gd-b", "zj-e"]  # none ranked: by score, then id
    assert "名，共" not in text_of(html(files, "portal/zones/zj-c.html"))


def test_the_table_lists_every_zone_in_rank_order_without_script(files):
    rows = parse(html(files, "portal/zones.html")).rows
    assert [r["id"] for r in rows] == ["zj-d", "gd-a", "zj-c", "gd-b", "zj-e"]  # ties by id, unscored last
    assert not any(r["hidden"] for r in rows)
    gd_a = rows[1]
    assert gd_a["data-province"] == "440000" and gd_a["data-type"] == "county"
    assert gd_a["data-status"] == "off_track achieved" and gd_a["data-watch"] == "1"
    # the filter form appears only when the script runs
    assert 'id="filters" hidden' in html(files, "portal/zones.html")


def test_a_hostile_name_is_escaped_everywhere(files):
    for path, data in files.items():
        if path.endswith(".html"):
            page = data.decode("utf-8")
            assert "<script>alert" not in page, path
            assert "onerror=alert" not in page.replace("onerror=alert(2)&gt;", ""), path
            for attrs, body in parse(page).scripts:
                assert not body.strip() and attrs.get("src"), path  # only our own script files
    for path in ("index.html", "portal/zones.html", "portal/zones/gd-a.html", "portal/provinces/440000.html"):
        assert HOSTILE in text_of(html(files, path)), path


def test_the_working_paper_escapes_outputs_and_keeps_figures():
    body = notebook_body(notebook(HOSTILE))
    text = text_of(body)
    assert "<script" not in body and "<b>" not in body and "onerror" not in body.replace("onerror=alert", "")
    assert f"{HOSTILE}\n" in text and f"plain {HOSTILE}" in text  # plain text rather than HTML or Markdown
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,', body)
    assert "<h1" in body  # the project's Markdown cells are rendered


def test_every_link_leads_to_a_file_of_the_build(year_dir):
    written = write_portal(year_dir)
    pages = [p for p in written.paths if p.suffix == ".html"]
    assert len(pages) == 4 + 2 * len(ZONES)  # overview, table, two provinces; page and paper per zone
    bad = [b for p in pages for b in broken_links(year_dir, p.relative_to(year_dir).as_posix(),
                                                  p.read_text(encoding="utf-8"))]
    assert not bad, bad


def test_nothing_comes_from_the_network(files):
    found = {p: remote_sources(d.decode("utf-8")) for p, d in files.items()}
    assert not {p: f for p, f in found.items() if f}
    for path in (TEMPLATES_DIR / "portal").iterdir():
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path


def test_the_grep_finds_remote_sources():
    # the check above can fail: each of these is found
    for s in ['<script src="https://cdn.example/x.js">', "<img src=http://x/y.png>", '<link href="//cdn/x.css">',
              "body { background: url('https://x/y.png') }", '@import "https://x/y.css";']:
        assert remote_sources(s), s


def test_only_our_own_files_by_content_security_policy(files):
    for path, data in files.items():
        if path.endswith(".html"):
            metas = [m for m in parse(data.decode("utf-8")).metas if m.get("http-equiv") == "Content-Security-Policy"]
            assert len(metas) == 1, path
            policy = dict(d.strip().split(" ", 1) for d in metas[0]["content"].split(";"))
            assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
            assert policy["style-src"] == "'self'" and policy["img-src"] == "'self' data:"


def test_js_never_writes_html():
    source = (TEMPLATES_DIR / "portal" / "portal.js").read_text(encoding="utf-8")
    js = re.sub(r"//.*", "", source)  # the comments may name what the code never does
    assert "textContent" in js
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "fetch(",
                 "XMLHttpRequest"):
        assert sink not in js


def test_the_watch_list_names_its_reasons(files):
    text = text_of(html(files, "index.html"))
    assert "重点关注" in text
    assert "2025年净排放较基准年降幅目标进度滞后" in text  # gd-a: off track, worded as the summaries word it
    assert "净排放比基准年高5.0%" in text  # gd-b
    assert "净排放比上年高16.7%" in text  # zj-c: 70 now, 60 the year before
    assert "评价等级为暂定" in text
    assert "浙江丁区" not in text.split("重点关注")[1].split("汇总报告")[0]  # zj-d is fine
    assert "示例数据" in text and "未生成结果的示范区：浙江己镇" in text


def test_zone_page(files):
    page = html(files, "portal/zones/zj-c.html")
    text = text_of(page)
    for words in ("综合得分", "第2名，共5个", "暂定", "综合得分变化+2.0分（等级", "亮点：浙江丙村", "问题：浙江丙村",
                  "建议：浙江丙村", "工作底稿"):
        assert words in text, words
    links = parse(page).links
    assert "../../zones/zj-c/report.pdf" in links and "../../zones/zj-c/results.json" in links
    assert "zj-c.assessment.html" in links and "../../zones/zj-c/figures/net_emissions.svg" in links


def test_english(tmp_path):
    year_dir = make_build(tmp_path, lang="en")
    files = build_portal(year_dir)
    text = text_of(html(files, "portal/zones.html"))
    assert "All zones" in text and "Guangdong" in text and "广东乙镇 (B Town)" in text and "Pass" in text
    assert 'lang="en"' in html(files, "index.html")
    assert "全部示范区" not in text


def test_catalogues_have_the_same_keys():
    assert flat_keys(Messages("zh", "portal").tree) == flat_keys(Messages("en", "portal").tree)


def test_same_bytes_every_time(tmp_path):
    a = build_portal(make_build(tmp_path / "a"))
    b = build_portal(make_build(tmp_path / "b"))
    assert a == b


def test_writes_only_what_changed(year_dir):
    first = write_portal(year_dir)
    assert len(first.changed) == len(first.paths)
    mtimes = {p: p.stat().st_mtime_ns for p in first.paths}
    again = write_portal(year_dir, known=first.keys)
    assert again.changed == [] and again.removed == []
    assert {p: p.stat().st_mtime_ns for p in again.paths} == mtimes
    # one zone changes: its page, and the pages that list it, are written; other zones' are not
    r = json.loads((year_dir / "zones/zj-d/results.json").read_text(encoding="utf-8"))
    r["highlights"][0]["text"] = "新的亮点"
    (year_dir / "zones/zj-d/results.json").write_text(json.dumps(r, ensure_ascii=False), encoding="utf-8")
    changed = write_portal(year_dir, known=first.keys).changed
    assert changed == ["portal/assets/search.js", "portal/zones/zj-d.html"]  # the search's index of findings
    # a zone gone from the build: its pages go too
    (year_dir / "zones/zj-e/results.json").unlink()
    gone = write_portal(year_dir, known=first.keys)
    assert gone.removed == ["portal/zones/zj-e.assessment.html", "portal/zones/zj-e.html"]


def test_a_working_paper_is_converted_again_when_its_notebook_changes(year_dir):
    first = write_portal(year_dir)
    (year_dir / "zones/gd-b/assessment.ipynb").write_bytes(notebook("广东乙镇，新版"))
    again = write_portal(year_dir, known=first.keys)
    assert again.changed == ["portal/zones/gd-b.assessment.html"]
    assert "广东乙镇，新版" in (year_dir / "portal/zones/gd-b.assessment.html").read_text(encoding="utf-8")


def test_unsafe_zone_folders_are_not_shown(tmp_path):
    bad = zone_results("Bad Id", "坏编号", "440000", "town", 50.0, "不合格")
    year_dir = make_build(tmp_path, zones=[*ZONES[:2], bad])
    assert not any("Bad Id" in p for p in build_portal(year_dir))


def test_overview_of_a_whole_build_shows_the_national_summary(tmp_path):
    year_dir = make_build(tmp_path, national=True)
    files = build_portal(year_dir)
    page = html(files, "index.html")
    links = parse(page).links
    assert "national/summary.pdf" in links and "national/figures/reduction_by_province.svg" in links
    assert "provinces/440000/summary.pdf" in links and "portal/provinces/440000.html" in links
    assert "national/figures/gone.svg" not in links  # a figure the build lacks is not linked
    text = text_of(page)
    assert "全国汇总报告（PDF）" in text and "各省份示范区平均净排放降幅" in text and "未生成全国汇总" not in text
    assert "未生成全国汇总" in text_of(html(build_portal(make_build(tmp_path / "part")), "index.html"))


# -- the pure part (make_portal) apart from the build folder's bookkeeping (plan_portal, write_pages)

def test_make_portal_reads_nothing_of_the_build_folder(tmp_path):
    year_dir = make_build(tmp_path / "b")
    expected = build_portal(year_dir)
    inputs = plan_portal(year_dir).inputs
    shutil.rmtree(year_dir)
    assert make_portal(inputs) == expected


def test_the_inputs_carry_what_is_read_and_name_what_is_linked(year_dir):
    inputs = plan_portal(year_dir).inputs
    read = dict(inputs.files)
    assert {"manifest.json", "ranking.json", "zones/gd-a/results.json", "zones/gd-a/assessment.ipynb",
            "provinces/440000/results.json"} <= set(read)
    assert not any(p.endswith((".pdf", ".svg")) for p in read)  # linked, not read: their bytes stay here
    assert {"zones/gd-a/report.pdf", "zones/gd-a/figures/net_emissions.svg", "provinces/440000/summary.pdf",
            "provinces/440000/figures/scores.svg"} <= set(inputs.present)
    assert json.loads(read["manifest.json"]) == {"year": 2024, "options": {"lang": "zh"},
                                                 "zones": {"zj-f": {"status": "failed", "name": "浙江己镇"}}}


def test_tiny_inputs_by_hand():
    r = zone_results("gd-a", "广东甲县", "440000", "county", 70.0, "合格")
    inputs = PortalInputs.of("zh", {"zones/gd-a/results.json": json.dumps(r).encode(),
                                    "zones/gd-a/assessment.ipynb": notebook("广东甲县")})
    files = make_portal(inputs)
    assert set(files) == {"index.html", "portal/zones.html", "portal/assets/portal.css", "portal/assets/portal.js",
                          "portal/assets/search.js", "portal/provinces/440000.html", "portal/zones/gd-a.html",
                          "portal/zones/gd-a.assessment.html"}
    page = html(files, "portal/zones/gd-a.html")
    assert "未排名" in text_of(page)  # no ranking.json: no rank
    links = parse(page).links
    assert "../../zones/gd-a/results.json" in links and "../../zones/gd-a/report.pdf" not in links  # no PDF present
    assert "../../zones/gd-a/figures/net_emissions.svg" not in links  # nor the figure


def test_inputs_stay_inside_the_year_folder():
    for bad in ("../x.json", "/etc/passwd", "zones/../../x", "zones//x", "zones\\x"):
        with pytest.raises(ValueError):
            PortalInputs.of("zh", {bad: b"{}"})
        with pytest.raises(ValueError):
            PortalInputs.of("zh", {}, [bad])


def test_write_pages_writes_only_portal_files(year_dir):
    for bad in ("zones/gd-a/report.pdf", "../index.html", "portal/../manifest.json", "ranking.json"):
        with pytest.raises(ValueError):
            write_pages(year_dir, {bad: b"x"})
    assert (year_dir / "zones/gd-a/report.pdf").read_bytes() == b"%PDF-1.7 stand-in"


def test_a_kept_working_paper_travels_as_a_name_only(year_dir):
    first = write_portal(year_dir)
    plan = plan_portal(year_dir, known=first.keys)
    assert plan.kept == tuple(sorted(f"portal/zones/{z}.assessment.html" for z in ZONE_IDS))
    assert not any(p.endswith(".ipynb") for p, _ in plan.inputs.files)
    pages = make_portal(plan.inputs)
    assert not any(p.endswith(".assessment.html") for p in pages)
    written = write_pages(year_dir, pages, plan.kept)
    assert written.changed == [] and written.removed == []  # kept pages are not removed
    assert plan_portal(year_dir, known=first.keys).key == plan.key  # the same build: the same key
    (year_dir / "zones/gd-b/assessment.ipynb").write_bytes(notebook("广东乙镇，新版"))
    again = plan_portal(year_dir, known=first.keys)
    assert [p for p, _ in again.inputs.files if p.endswith(".ipynb")] == ["zones/gd-b/assessment.ipynb"]
    assert again.key != plan.key


def test_a_working_paper_is_made_again_when_a_province_joins_its_navigation(tmp_path):
    year_dir = make_build(tmp_path, zones=ZONES[:2])  # Guangdong only
    first = write_portal(year_dir)
    zj = make_build(tmp_path / "zj", zones=ZONES[2:3])
    shutil.copytree(zj / "zones" / "zj-c", year_dir / "zones" / "zj-c")
    plan = plan_portal(year_dir, known=first.keys)
    assert plan.kept == ()  # every page's navigation now lists Zhejiang


def test_the_search_index_holds_each_zones_findings_as_data(files):
    """portal/assets/search.js: a script of ours assigning JSON (a finding's text can close no tag)."""
    import json as _json

    text = files["portal/assets/search.js"].decode("utf-8")
    prefix = "window.NZC_PORTAL_SEARCH = "
    assert text.startswith(prefix) and text.endswith(";\n") and "<" not in text
    index = _json.loads(text[len(prefix):-2])
    assert set(index) == set(ZONE_IDS)
    assert all(isinstance(v, str) for v in index.values()) and any(index.values())
    assert 'src="assets/search.js"' in html(files, "portal/zones.html")


def test_a_zone_that_failed_in_this_build_is_marked_failed_not_shown_with_last_builds_figures(tmp_path):
    zones = [*ZONES, zone_results("zj-f", "浙江己镇", "330000", "town", 99.0, "优秀")]
    files = build_portal(make_build(tmp_path, zones=zones))  # the manifest says zj-f failed; its old results remain
    assert "portal/zones/zj-f.html" not in files
    assert "zj-f" not in [r["id"] for r in parse(html(files, "portal/zones.html")).rows]
    assert "浙江己镇" in text_of(html(files, "index.html"))  # named among the failed
    assert "未生成结果的示范区：浙江己镇" in text_of(html(files, "portal/zones.html"))
    page = html(files, "portal/zones.html")  # a marked row of its own, after the sorted ones, no figures
    row = page.split('<tr class="failed" data-failed="zj-f">')[1].split("</tr>")[0]
    assert "浙江己镇" in row and "构建失败" in row and "99" not in row and "优秀" not in row
    assert page.index('data-failed="zj-f"') > page.index("</tbody>")


def test_the_zone_page_shows_the_expert_opinion_and_the_site_visit(tmp_path):
    r = dict(ZONES[0])
    r["params"] = {"expert_opinion": "专家组认为该区建设成效明显。",
                   "site_visit": {"date": "2025-03-15", "team": ["张三", "李四"], "findings": "现场核查：光伏已并网。"}}
    files = build_portal(make_build(tmp_path, zones=[r, *ZONES[1:]]))
    text = text_of(html(files, f"portal/zones/{r['zone_id']}.html"))
    for words in ("评估组意见", "专家意见", "专家组认为该区建设成效明显。", "现场核查",
                  "核查日期：2025-03-15；核查人员：张三、李四", "现场核查：光伏已并网。"):
        assert words in text, words


def test_the_working_paper_shows_the_users_file_names_and_tables_as_tables():
    import nbformat

    nb = nbformat.reads(notebook("甲").decode("utf-8"), as_version=4)
    cell = nbformat.v4.new_code_cell('data = "in/dataset.xlsx"\nrules = "project/params/rules.yaml"\n')
    cell["metadata"]["tags"] = ["injected-parameters"]
    cell["id"] = "params"
    frame = ('<div><style scoped>.dataframe td { color: red }</style><table border="1" class="dataframe">'
             '<thead><tr style="text-align: right;"><th></th><th>碳汇（吨）</th><th>备注</th></tr></thead>'
             f'<tbody><tr><th>2018</th><td>NaN</td><td onclick="x()">{HOSTILE}</td></tr></tbody></table></div>')
    table = nbformat.v4.new_code_cell("t", execution_count=2, outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/html": frame, "text/plain": "   碳汇（吨）\n2018  NaN"}, execution_count=2)])
    table["id"] = "table"
    nb.cells[1:1] = [cell, table]
    body = notebook_body(nbformat.writes(nb).encode("utf-8"))
    text = text_of(body)
    assert '"dataset.xlsx"' in text and '"params/rules.yaml"' in text and "in/dataset" not in text
    assert "<th>碳汇（吨）</th>" in body and "<th>2018</th><td>—</td>" in body  # a table; not reported: —
    assert "<style" not in body and "color: red" not in body and "onclick" not in body and "<script" not in body
    assert "<td>alert(1){{x}}</td>" in body  # the cell's text only: its tags are not kept


def test_the_working_papers_parameters_show_chinese_as_chinese():
    import nbformat

    nb = nbformat.reads(notebook("甲").decode("utf-8"), as_version=4)
    cell = nbformat.v4.new_code_cell('zone_params = {"context": "\\u6d59\\u6c5f", "tab": "\\u0009"}\n')
    cell["metadata"]["tags"] = ["injected-parameters"]
    cell["id"] = "params"
    nb.cells.insert(1, cell)
    text = text_of(notebook_body(nbformat.writes(nb).encode("utf-8")))
    assert "浙江" in text and "\\u6d59" not in text
    assert "\\u0009" in text  # a control character's escape stays


def test_a_failed_gate_is_the_first_reason_to_watch_a_zone():
    """A park that fails its framework's gate (a veto) at a high score is listed under 重点关注, first."""
    from nzc_report.portal.site import Zone
    from nzc_report.results_model import ZoneResults

    r = {**zone_results("sn-p", "陕西某园区", "610000", "park", 100.0, "未达标", reduction=-5.0),
         "gates": [{"id": "core_carbon_per_energy", "label": "单位能耗碳排放（核心指标）", "value": 0.25,
                    "threshold": 0.2, "passed": False, "source": "910号"}],
         "outcome": {"label": "未达标", "reason": None, "status": "gate_failed", "decided_by": "gate"}}
    z = Zone(id="sn-p", r=r, rank={}, files={}, figures=[], m=ZoneResults.from_dict(r))
    reasons = z.watch()
    assert reasons[0] == ("gate_failed", {"label": "单位能耗碳排放（核心指标）", "label_en": None,
                                          "outcome": "未达标", "outcome_en": None})
    assert [code for code, _ in reasons[1:]] == ["rose_since_baseline"]
    # said as failed: "未达到否决条件" reads as "not vetoed" (sum6)
    from nzc_report.portal.pages import Words
    words = Words.__new__(Words)
    words.lang, words.t = "zh", Messages("zh", "portal")
    assert words.watch(z)[0] == "单位能耗碳排放（核心指标）未通过否决条件，结论为“未达标”"
    passed = {**r, "gates": [{**r["gates"][0], "passed": True}]}
    assert "gate_failed" not in [c for c, _ in Zone(id="sn-p", r=passed, rank={}, files={}, figures=[],
                                                      m=ZoneResults.from_dict(passed)).watch()]


def test_the_key_figures_never_pool_two_frameworks():
    """A mean score and grade counts of one framework (the one most zones are under); another
    framework's grades counted apart (issue 30)."""
    from nzc_report.portal.site import Site, Zone
    from nzc_report.results_model import ZoneResults

    def zone(zid, score, grade, fw):
        r = {**zone_results(zid, zid, "610000", "park", score, grade), "framework": fw}
        return Zone(id=zid, r=r, rank={}, files={}, figures=[], m=ZoneResults.from_dict(r))

    nz = {"id": "near-zero-zone", "title": "近零碳", "grade_bands": [{"grade": "合格", "min": 60},
                                                                   {"grade": "不合格", "min": 0}]}
    zcp = {"id": "zero-carbon-park", "title": "零碳园区", "grade_bands": [{"grade": "达标", "min": 0}]}
    zones = [zone("a", 70.0, "合格", nz), zone("b", 50.0, "不合格", nz), zone("c", 100.0, "未达标", zcp)]
    site = Site(year=2024, lang="zh", dataset={}, zones=zones, provinces={}, national=None, failed=[])
    f = site.key_figures()
    assert f["mean_score"] == 60.0  # (70 + 50) / 2: the park's 100 under another framework is not in it
    assert f["grades"] == [("合格", 1), ("不合格", 1)]
    assert f["framework"]["id"] == "near-zero-zone"
    assert [(fw["id"], n, g, ref) for fw, n, g, ref in f["other_frameworks"]] == [
        ("zero-carbon-park", 1, [("未达标", 1)], False)]  # its conclusion is not marked for reference


def test_a_municipality_page_says_municipal_and_one_zone_has_no_mean(tmp_path):
    # Beijing's page read "全省汇总报告（PDF）", "全省图表" and "平均综合得分" over its one zone (sum6, issue 28)
    zones = [zone_results("bj-a", "北京甲区", "110000", "building", 60.0, "合格"), *ZONES[:2]]
    files = build_portal(make_build(tmp_path, zones=zones))
    beijing = text_of(html(files, "portal/provinces/110000.html"))
    assert "全市汇总报告（PDF）" in beijing and "全市图表" in beijing and "全省" not in beijing
    assert "平均综合得分" not in beijing and "综合得分" in beijing
    assert "算术平均" not in beijing and "净排放较基准年降幅" in beijing  # one zone: one reduction
    guangdong = text_of(html(files, "portal/provinces/440000.html"))
    assert "全省汇总报告（PDF）" in guangdong and "平均综合得分" in guangdong
    en = text_of(build_portal(make_build(tmp_path / "en", zones=zones, lang="en"))["portal/provinces/110000.html"]
                 .decode("utf-8"))
    assert "Municipal summary (PDF)" in en and "The zone of Beijing in this assessment is 北京甲区." in en
    # one zone is named, not counted ("北京市共有1个示范区纳入本次评估", sum7)
    assert "北京市纳入本次评估的示范区为北京甲区。" in beijing and "共有1个" not in beijing
    # nor is it "各示范区" (the table's heading and the charts' titles, review8)
    assert "各示范区" not in beijing and "该示范区评估结果" in beijing and "该示范区综合得分" in beijing
    assert "各示范区综合得分" in guangdong
    assert "Scores of the zones" not in en and "The zone's score" in en


def test_a_zone_pages_recommendations_are_headed_by_its_own_problem_categories(tmp_path):
    # the report heads them "针对概念认识方面的问题"; the portal showed the national source's "加强政策引导"
    zone = zone_results("gd-a", "广东甲县", "440000", "county", 70.0, "合格")
    zone["recommendations"] = [{"category": "guidance", "problem_category": "concept", "text": "建议甲。",
                                "addresses": ["P-1"]},
                               {"category": "pilot", "text": "评估组自己的建议。", "addresses": []}]
    page = text_of(html(build_portal(make_build(tmp_path, zones=[zone])), "portal/zones/gd-a.html"))
    assert "针对概念认识方面的问题 建议甲。" in page or "针对概念认识方面的问题建议甲。" in page
    assert "加强政策引导" not in page and "鼓励先行先试" in page


def test_the_watch_list_names_a_suspended_measure_and_a_chart_is_captioned_as_in_the_report(tmp_path):
    # the summaries' 重点关注 lists "1项措施暂停（潮流能发电示范）"; the portal's list did not say it.
    # zj-anxi's chart without a non-fossil target read "非化石能源占比与目标" on the portal
    zone = zone_results("zj-s", "浙江嵊镇", "330000", "town", 40.0, "不合格", statuses=("achieved",))
    zone["problems"].append({"rule_id": "P-MEASURES-SUSPENDED", "category": "progress", "text": "暂停",
                             "evidence": {"figures": {"count": 1, "measures": [{"name": "潮流能发电示范"}]}}})
    zone["figures"]["non_fossil"] = "figures/non_fossil.svg"
    year_dir = make_build(tmp_path, zones=[zone])
    (year_dir / "zones" / "zj-s" / "figures" / "non_fossil.svg").write_text(
        (year_dir / "zones" / "zj-s" / "figures" / "net_emissions.svg").read_text())
    files = build_portal(year_dir)
    watch = text_of(html(files, "index.html")).split("重点关注")[1]
    assert "浙江嵊镇" in watch and "1项措施暂停（潮流能发电示范）" in watch
    page = text_of(html(files, "portal/zones/zj-s.html"))
    assert "非化石能源占比" in page and "非化石能源占比与目标" not in page
    assert "净排放、基准年与规划路径" in page  # the report's caption, one word for one chart


def test_a_reduction_of_an_earlier_year_says_its_year(tmp_path):
    # zj-anxi has no 2024 emissions: its province's table and its page showed its 2023 reduction as 2024's
    old = zone_results("zj-old", "浙江旧村", "330000", "town", 50.0, "不合格", reduction=22.0)
    old["data_year"] = 2023
    files = build_portal(make_build(tmp_path, zones=[*ZONES, old]))
    assert "22.0%（2023年数据）" in text_of(html(files, "portal/provinces/330000.html"))
    page = text_of(html(files, "portal/zones/zj-old.html"))
    assert "22.0%（2023年数据）" in page
    assert "（2024年数据）" not in text_of(html(files, "portal/provinces/440000.html"))
    assert "年数据）" not in text_of(html(files, "portal/zones/gd-b.html"))
