"""Compacted chart SVG (nzc_report/charts/compact.py): the same picture with fewer nodes,
labels that start where they are drawn, and no PDF form per label once WeasyPrint draws it."""
import io
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
from pypdf import PdfReader

from nzc_report.charts.compact import SVG_NS, compact_svg, text_width
from nzc_report.charts.style import legend_below, new_figure, save_svg, thousands, unit_label, year_axis
from nzc_report.render.pdf import font_config

TINY = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt" viewBox="0 0 100 50"
     xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
 <defs>
  <style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
 </defs>
 <g id="figure_1">
  <g id="axes_1">
   <g id="line2d_1">
    <path d="M 10 40\x20
L 90 10\x20
" clip-path="url(#p1)" style="fill: none; stroke: #0072b2; stroke-width: 1.4"/>
   </g>
   <g id="text_1">
    <text style="font-size: 8px; font-family: 'Noto Sans CJK SC', sans-serif; text-anchor: middle; fill: #222222"
          x="50" y="48" transform="rotate(-0 50 48)">2024\u5e74</text>
   </g>
   <g id="text_2" transform="translate(1 1)">
    <text style="font-size: 8px; font-family: 'Noto Sans CJK SC', sans-serif; text-anchor: end" x="9" y="8"
          transform="rotate(-90 9 8)">kept</text>
   </g>
  </g>
 </g>
 <defs><clipPath id="p1"><rect x="5" y="5" width="90" height="40"/></clipPath></defs>
</svg>
""".encode()


def _tag(el):
    return el.tag.split("}", 1)[-1]


def test_compaction_drops_what_draws_nothing_and_keeps_what_is_referred_to():
    root = ET.fromstring(compact_svg(TINY))
    tags = [_tag(el) for el in root.iter()]
    assert "metadata" not in tags and "style" not in tags
    # id-only groups are gone; a group with a transform stays, with its rotated label
    groups = root.findall(f".//{{{SVG_NS}}}g")
    assert [g.get("transform") for g in groups] == ["translate(1 1)"]
    assert root.get("stroke-linejoin") == "round" and root.get("stroke-linecap") == "butt"
    path = root.find(f"{{{SVG_NS}}}path")
    assert path.get("d") == "M 10 40 L 90 10"
    assert (path.get("stroke"), path.get("stroke-width"), path.get("style")) == ("#0072b2", "1.4", None)
    assert root.find(f".//{{{SVG_NS}}}clipPath").get("id") == "p1" and path.get("clip-path") == "url(#p1)"
    label, rotated = root.findall(f".//{{{SVG_NS}}}text")
    assert label.text == "2024\u5e74" and label.get("transform") is None
    assert rotated.get("text-anchor") == "end" and rotated.get("transform") == "rotate(-90 9 8)"


def test_a_centred_label_is_moved_left_by_half_its_width():
    root = ET.fromstring(compact_svg(TINY))
    label = root.find(f".//{{{SVG_NS}}}text")
    width = text_width("2024\u5e74", "'Noto Sans CJK SC', sans-serif", 8)
    assert 20 < width < 30  # four digits and one CJK character at 8 pt
    assert label.get("text-anchor") is None
    assert float(label.get("x")) == pytest.approx(50 - width / 2, abs=1e-3)


def test_compaction_is_a_function_of_its_input():
    assert compact_svg(TINY) == compact_svg(TINY)
    assert compact_svg(compact_svg(TINY)) == compact_svg(TINY)


def _chart(path, raw: bool):
    fig = new_figure(2.2)
    ax = fig.subplots()
    ax.plot([2019, 2020, 2021, 2022, 2023, 2024], [410_000, 398_000, 371_000, 352_000, 340_000, 336_000],
            marker="o", markersize=4, label="\u51c0\u6392\u653e")
    ax.axhline(380_000, linestyle=":", label="\u57fa\u51c6\u5e74\uff082015\u5e74\uff09")
    ax.set_xlabel("\u5e74\u4efd")
    unit_label(ax, "\u5428\u4e8c\u6c27\u5316\u78b3\u5f53\u91cf")
    year_axis(ax, 2019, 2024)
    thousands(ax)
    legend_below(ax, ncol=2)
    if raw:  # as matplotlib writes it
        fig.savefig(path, format="svg", metadata={"Date": None})
    else:
        save_svg(fig, path)
    return path


def _pdf_and_png(svg, tmp_path, name):
    import weasyprint

    html = f'<html lang="zh"><body style="margin:0"><img src="{svg.name}"></body></html>'
    pdf = tmp_path / f"{name}.pdf"
    weasyprint.HTML(string=html, base_url=str(svg.parent) + "/").write_pdf(pdf, font_config=font_config(),
                                                                            pdf_tags=True)
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / name)], check=True)
    return pdf, tmp_path / f"{name}.png"


def test_weasyprint_draws_the_compacted_chart_as_the_original_without_a_form_per_label(tmp_path):
    from PIL import Image, ImageChops

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    original = _chart(tmp_path / "a" / "chart.svg", raw=True)
    compacted = _chart(tmp_path / "b" / "chart.svg", raw=False)
    assert len(compacted.read_bytes()) < 0.75 * len(original.read_bytes())
    assert len(re.findall(rb"<[a-zA-Z]", compacted.read_bytes())) < 0.6 * len(
        re.findall(rb"<[a-zA-Z]", original.read_bytes()))
    pdf_a, png_a = _pdf_and_png(original, tmp_path / "a", "a")
    pdf_b, png_b = _pdf_and_png(compacted, tmp_path / "b", "b")

    def forms(pdf):
        data = pdf.read_bytes()
        reader = PdfReader(io.BytesIO(data))
        xobjects = reader.pages[0]["/Resources"].get("/XObject") or {}
        return sum(1 for x in xobjects.values() if x.get_object().get("/Subtype") == "/Form")

    assert forms(pdf_a) > 10  # one per centred or right-aligned label
    assert forms(pdf_b) == 0
    # the same text, read back, and the same picture to the pixel but for anti-aliasing
    texts = [PdfReader(p).pages[0].extract_text() for p in (pdf_a, pdf_b)]
    assert texts[0].split() == texts[1].split() and "\u51c0\u6392\u653e" in texts[1]
    a, b = Image.open(png_a).convert("L"), Image.open(png_b).convert("L")
    assert a.size == b.size
    diff = ImageChops.difference(a, b)
    assert diff.getbbox() is None or max(diff.histogram()[96:]) == 0, "a label or line moved"
