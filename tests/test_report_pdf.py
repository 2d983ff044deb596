"""The zone report PDF read back with poppler and pypdf: outline, contents, footers,
fonts, metadata, tags, variants and byte-identical output. Rendered in-process from
a tiny zone's results (the worker's half of a build); WeasyPrint warnings fail."""
import copy
import hashlib
import json
import re
import shutil
import subprocess

import pytest
from nzc_report.render import render_zone_html, render_zone_pdf
from nzc_report.render.outline import flatten
from nzc_report.render.zone_view import ZoneView
from pdftools import pdf_reader, pdffonts, pdftotext
from reportdata import write_zone_dir, zone_results

CONTEXT = "甲镇位于测试海湾，以海上风电和绿色港口为建设重点（测试背景）。"


def _render(folder, results, lang="zh", variant=None, written=None):
    """``folder`` rendered from ``results``; ``written``: a zone folder already written from the same
    results (results.json, figures) to copy instead of drawing the charts again."""
    if written is None:
        write_zone_dir(folder, results, lang)
    else:
        shutil.copytree(written, folder)
    warnings = render_zone_pdf(folder, lang=lang, pdf_variant=variant)
    assert warnings == [], warnings  # WeasyPrint said something: a missing glyph, a bad rule…
    return folder / "report.pdf"


@pytest.fixture(scope="module")
def alpha():
    return zone_results("alpha", zone_params={"context": CONTEXT})


@pytest.fixture(scope="module")
def alpha_zh_dir(alpha, tmp_path_factory):
    """alpha's zone folder as the kernel leaves it (results.json, figures), written once: the renders
    of the same results in other folders copy it (the charts' own tests are test_charts.py)."""
    return write_zone_dir(tmp_path_factory.mktemp("written") / "alpha", alpha)


@pytest.fixture(scope="module")
def zh_pdf(alpha, alpha_zh_dir, tmp_path_factory):
    return _render(tmp_path_factory.mktemp("zh") / "alpha", alpha, written=alpha_zh_dir)


@pytest.fixture(scope="module")
def en_pdf(alpha, tmp_path_factory):
    return _render(tmp_path_factory.mktemp("en") / "alpha", alpha, "en")


def page_texts(pdf) -> list[str]:
    """Text of each page, by poppler (pages end with a form feed)."""
    return pdftotext(pdf).split("\f")[:-1]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _outline(pdf):
    reader = pdf_reader(pdf)
    entries = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                entries.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return entries


def _headings(results, lang):
    return [h.label for h in flatten(ZoneView(results, lang, {}).headings)]


def _toc(pdf):
    """(label, page) of each line of the contents page: a label, the dots (drawn, not text)
    and a page number at the right margin."""
    text = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    rows = []
    for line in text.splitlines():
        m = re.match(r"^\s*(\S.*?)\s{2,}(\d+)\s*$", line)
        if m:
            rows.append((m.group(1).strip(), int(m.group(2))))
    return rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_outline_entries_are_the_headings_and_point_at_them(alpha, zh_pdf, en_pdf, lang):
    pdf = zh_pdf if lang == "zh" else en_pdf
    outline = _outline(pdf)
    assert [title for title, _ in outline] == _headings(alpha, lang)
    pages = page_texts(pdf)
    for title, page in outline:
        assert _squash(title) in _squash(pages[page - 1]), (title, page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_contents_page_numbers_are_the_real_pages(zh_pdf, en_pdf, lang):
    pdf = zh_pdf if lang == "zh" else en_pdf
    outline = _outline(pdf)
    toc = _toc(pdf)
    assert [_squash(label) for label, _ in toc] == [_squash(title) for title, _ in outline]
    assert [page for _, page in toc] == [page for _, page in outline]


def test_every_page_has_the_footer_and_later_pages_the_running_header(zh_pdf, en_pdf, alpha):
    for pdf, lang, footer in ((zh_pdf, "zh", "第{i}页共{n}页"), (en_pdf, "en", "Page{i}of{n}")):
        header = _squash(ZoneView(alpha, lang, {}).running_title)  # e.g. 甲镇（测试）·2019年度评估报告
        pages = page_texts(pdf)
        n = len(pages)
        assert n >= 6
        for i, text in enumerate(pages, 1):
            assert footer.format(i=i, n=n) in _squash(text), (pdf, i)
            if i > 1:  # the cover has none
                assert header in _squash(text) and "测试数据" in text, (pdf, i)
        assert header not in _squash(pages[0])


def test_the_summary_fits_on_one_page(zh_pdf):
    outline = _outline(zh_pdf)
    titles = [t for t, _ in outline]
    summary = dict(outline)["总体评价"]
    following = outline[titles.index("总体评价") + 1][1]
    assert following == summary + 1


def test_text_extraction_gives_the_chinese_report(zh_pdf, alpha):
    text = pdftotext(zh_pdf)
    for heading in ["一、重要意义", "二、进展情况", "三、存在的问题", "四、政策建议", "附录", "总体评价", "目录"]:
        assert heading in text
    # cover: title, facts, evaluating body (params/report.yaml default), date from the data
    assert "甲镇（测试）" in text and "近零碳排放区示范工程" in text and "2019年度评估报告" in text
    assert "近零碳排放区示范工程评估组" in text and "2020年3月31日" in text
    assert "测试数据" in text  # the dataset's sample label, on the cover and in the header
    assert "10,000" in _squash(text) or "14,000" in _squash(text)  # thousands separators
    assert "\ufffd" not in text


def test_only_the_two_embedded_subset_sc_faces(zh_pdf, en_pdf):
    for pdf in (zh_pdf, en_pdf):
        fonts = pdffonts(pdf)
        names = {re.sub(r"^[A-Z]{6}\+", "", f["name"]) for f in fonts}
        assert names == {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"}, names  # no JP face, no DejaVu, no bold
        for f in fonts:
            assert f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes", f


def test_metadata_and_language(zh_pdf, en_pdf, alpha):
    zh = pdf_reader(zh_pdf)
    assert zh.metadata.title == "甲镇（测试）近零碳排放区示范工程2019年度评估报告"
    assert zh.metadata.author == "近零碳排放区示范工程评估组"
    assert "2019年度评估" in zh.metadata.subject and "测试数据" in zh.metadata.subject
    assert "近零碳排放区示范工程" in zh.metadata["/Keywords"]
    assert zh.metadata["/CreationDate"].startswith("D:20200331")  # the data's date, not the build's
    assert zh.trailer["/Root"]["/Lang"] == "zh-CN"
    en = pdf_reader(en_pdf)
    assert en.trailer["/Root"]["/Lang"] == "en"
    assert en.metadata.title.startswith("甲镇（测试）") and "Assessment Report 2019" in en.metadata.title


def test_tagged_by_default(zh_pdf):
    root = pdf_reader(zh_pdf).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_same_inputs_give_the_same_bytes(alpha, alpha_zh_dir, zh_pdf, tmp_path):
    first = hashlib.sha256(zh_pdf.read_bytes()).hexdigest()
    render_zone_pdf(zh_pdf.parent, lang="zh")  # again, in the same folder
    assert hashlib.sha256(zh_pdf.read_bytes()).hexdigest() == first
    other = _render(tmp_path / "elsewhere" / "alpha", alpha, written=alpha_zh_dir)  # no path may leak into the PDF
    assert hashlib.sha256(other.read_bytes()).hexdigest() == first


def test_pdf_a_2b_variant(alpha, alpha_zh_dir, tmp_path):
    pdf = _render(tmp_path / "alpha", alpha, variant="pdf/a-2b", written=alpha_zh_dir)
    reader = pdf_reader(pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"] and "/StructTreeRoot" in reader.trailer["/Root"]
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))


@pytest.fixture(scope="module")
def long_table_ua_pdf(alpha, tmp_path_factory):
    """alpha with its indicator table three times as long (it spans pages), rendered once as PDF/UA-1:
    the variant's test and the split table's read the same render (a variant changes the PDF's
    metadata, not its layout)."""
    results = copy.deepcopy(alpha)
    base = [i for i in results["indicators"] if i.get("applies", True)]
    results["indicators"] = [dict(i, id=f"{i['id']}_{k}") for k in range(3) for i in base]
    return _render(tmp_path_factory.mktemp("long") / "alpha", results, variant="pdf/ua-1")


def test_pdf_ua_1_variant(long_table_ua_pdf):
    xmp = pdf_reader(long_table_ua_pdf).trailer["/Root"]["/Metadata"].get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


def test_a_table_split_across_pages_repeats_its_header(long_table_ua_pdf):
    pdf = long_table_ua_pdf
    pages = page_texts(pdf)
    outline = _outline(pdf)
    start = dict(outline)["（一）指标评价明细"]
    end = dict(outline)["（二）证明材料清单"]
    assert end > start, "the indicator table should span pages"
    for page in range(start, end + 1):
        assert "标杆值" in pages[page - 1] and "权重" in pages[page - 1], page


def test_significance_is_written_for_the_zone_type_and_context(alpha, tmp_path):
    from nzc_report.render.significance import significance_texts

    texts = significance_texts()
    beta = zone_results("beta")
    html_a = render_zone_html(alpha, tmp_path, "zh")
    html_b = render_zone_html(beta, tmp_path, "zh")
    for point in texts["points"]:
        town, park = point["zone_types"]["town"]["zh"], point["zone_types"]["park"]["zh"]
        assert town in html_a and town not in html_b
        assert park in html_b and park not in html_a
    assert CONTEXT in html_a and CONTEXT not in html_b
    assert "甲镇（测试）于2017年列入" in html_a


def test_every_zone_type_has_its_significance_in_both_languages():
    from nzc_report.dataset.vocab import ZONE_TYPES
    from nzc_report.render.significance import significance_texts

    for point in significance_texts()["points"]:
        for zone_type in ZONE_TYPES:
            for lang in ("zh", "en"):
                assert point["zone_types"][zone_type][lang].strip(), (point["id"], zone_type, lang)


def test_message_catalogues_have_the_same_keys():
    from nzc_report.render.messages import catalogue, flat_keys

    zh, en = flat_keys(catalogue("zh")), flat_keys(catalogue("en"))
    assert zh - en == set()
    # English grammar the Chinese text has no use for, read only where lang is en: a type with its
    # article (zone_kinds) or before "zone" (zone_type_modifiers), a metric's lower-case name
    # mid-sentence (synthesis.metrics; Chinese uses the indicator's own name), and a one-zone
    # variant ("…_one": "its", not "their") of a key both catalogues hold, which is the fallback
    english_only = {k for k in en - zh if k.split(".")[0] in ("zone_kinds", "zone_type_modifiers")
                    or k.startswith("synthesis.metrics.") or (k.endswith("_one") and k.removesuffix("_one") in zh)}
    assert en - zh - english_only == set()


def test_results_without_score_or_indicators_render_as_not_scored(alpha, tmp_path):
    old = {k: v for k, v in alpha.items()
           if k not in ("indicators", "score", "grade", "grade_en", "coverage_pct", "score_by_dimension")}
    html = render_zone_html(old, tmp_path, "zh")
    assert "未评分" in html
    html_en = render_zone_html(old, tmp_path, "en")
    assert "not scored" in html_en


def test_english_report_uses_the_english_name_and_gives_the_name_as_written(tmp_path, alpha):
    # the English name the data gives is the zone's name in the English report (issue 29); the name as
    # written beside it in the facts table (tests/test_english_body.py: where else)
    results = dict(alpha, name_en="Jia Town (test)")
    html = render_zone_html(results, tmp_path, "en")
    assert '<html lang="en">' in html
    assert "Jia Town (test) (甲镇（测试）)" in html
    assert "Significance" in html and "重要意义" not in html


def test_english_findings_are_worded_from_the_english_catalogue(tmp_path, alpha):
    from nzc_report.render.narrative import narrate_findings
    results = narrate_findings(copy.deepcopy(alpha), "en")
    html = render_zone_html(results, tmp_path, "en")
    assert results["highlights"] and all(f["text"] in html for f in results["highlights"])
    # English sentences (names of projects and places stay as the data writes them)
    assert all(len(re.findall(r"[A-Za-z]", f["text"])) > 20 for f in results["problems"])


def test_unknown_language_or_variant_is_a_usage_error(tmp_path, alpha_zh_dir):
    from nzc_report.errors import UsageError

    folder = shutil.copytree(alpha_zh_dir, tmp_path / "alpha")  # alpha's folder as written (write_zone_dir)
    with pytest.raises(UsageError):
        render_zone_pdf(folder, lang="fr")
    with pytest.raises(UsageError):
        render_zone_pdf(folder, pdf_variant="pdf/x-4")
    assert not (folder / "report.pdf").exists()


def test_results_json_round_trip_is_what_renders(tmp_path, alpha_zh_dir):
    """The worker reads results.json from disk: figures resolve against the zone folder."""
    folder = shutil.copytree(alpha_zh_dir, tmp_path / "alpha")  # alpha's folder as written (write_zone_dir)
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    html = render_zone_html(results, folder, "zh")
    for rel in results["figures"].values():
        assert (folder / rel).resolve().as_uri() in html


def test_the_garbage_collector_is_off_only_while_weasyprint_renders(tmp_path, monkeypatch):
    """render.pdf pauses automatic collection for the render (it cost a fifth of the CPU) and
    gives it back as it was, also when the render fails."""
    import gc

    import weasyprint

    from nzc_report.render.pdf import write_pdf

    seen = []
    real = weasyprint.HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spy)
    html = "<html lang='en'><body><p>x</p></body></html>"
    assert gc.isenabled()
    write_pdf(html, tmp_path / "a.pdf", base_url=tmp_path, allowed_roots=[tmp_path])
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        write_pdf(html, tmp_path / "b.pdf", base_url=tmp_path, allowed_roots=[tmp_path])
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()

    def failing(self, *args, **kwargs):
        raise RuntimeError("the render failed")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", failing)
    with pytest.raises(RuntimeError):
        write_pdf(html, tmp_path / "c.pdf", base_url=tmp_path, allowed_roots=[tmp_path])
    assert gc.isenabled() and not (tmp_path / "c.pdf").exists()


def test_the_stylesheet_parsed_once_gives_the_pdf_the_linked_one_gives(zh_pdf):
    """render_zone_pdf passes report.css parsed once per process instead of linking it: the
    same bytes as the HTML with its <link>, and the cached sheet serves the second report."""
    import json as _json

    from nzc_report.render.pdf import pdf_options, stylesheet, write_pdf
    from nzc_report.resources import TEMPLATES_DIR

    folder = zh_pdf.parent
    results = _json.loads((folder / "results.json").read_text(encoding="utf-8"))
    linked = render_zone_html(results, folder, "zh")
    assert 'rel="stylesheet"' in linked
    assert 'rel="stylesheet"' not in render_zone_html(results, folder, "zh", link_css=False)
    target = folder.parent / "linked.pdf"
    assert write_pdf(linked, target, base_url=TEMPLATES_DIR, allowed_roots=[TEMPLATES_DIR, folder],
                     pdf_options=pdf_options(None)) == []  # the options a report is rendered with
    # zh_pdf is render_zone_pdf's (the sheet parsed once); test_same_inputs_give_the_same_bytes
    # renders second reports with the cached sheet and finds these same bytes
    assert target.read_bytes() == zh_pdf.read_bytes()
    assert stylesheet(TEMPLATES_DIR / "report.css") is stylesheet(TEMPLATES_DIR / "report.css")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_word_runs_past_the_right_margin(zh_pdf, en_pdf, lang):
    # the targets table ran past the right margin (its eight column widths summed to 100 % before padding)
    from html import unescape
    pdf = zh_pdf if lang == "zh" else en_pdf
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    right = page_width - 26 / 25.4 * 72  # report.css: @page margin-right 26mm
    over = [(unescape(w), float(x)) for x, w in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" '
                                                           r'yMax="[\d.]+">([^<]*)</word>', xml)
            if float(x) > right + 1.0]
    assert over == [], over[:10]
