"""Matplotlib's SVG, drawn the same with fewer nodes: what WeasyPrint pays for per node.

WeasyPrint draws an SVG node by node, and each node costs a CSS cascade (a
selector match against the SVG's stylesheet, a parse of its ``style``
attribute) whatever it draws. Matplotlib wraps every artist in a ``<g id>``
of its own, styles with ``style="…"`` and one ``*`` rule, and writes an RDF
metadata block and a ``rotate(-0 …)`` on every label. Here the same picture
is written with

- no metadata block (the PDF has its own; nothing in it is drawn),
- the stylesheet's two properties set once on the root, where every node
  inherits them,
- ``style`` declarations as presentation attributes (the same values),
- ``<g>`` elements that carry nothing but an id replaced by their children,
- no rotation by zero degrees, and path data on one line,
- labels centred or right-aligned (``text-anchor``) moved to where they start,
  measured with the same face matplotlib laid the chart out with: WeasyPrint
  draws each anchored label into a PDF form of its own to measure it (26 KB of
  a report's PDF for its ~70 tick labels), a label that starts where it is
  drawn needs none. Matplotlib's widths and WeasyPrint's agree to 0.002 pt.

Every id that something refers to (clip paths, markers) is kept. Output is a
function of the input bytes only, so identical charts stay byte-identical.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any, cast

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_SVG = f"{{{SVG_NS}}}"

# Properties that SVG 1.1 also accepts as presentation attributes (those matplotlib writes).
PRESENTATION = frozenset({
    "clip-path", "color", "fill", "fill-opacity", "fill-rule", "font-family", "font-size", "font-style",
    "font-weight", "opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
})
ZERO_ROTATION = re.compile(r"^\s*rotate\(\s*-?0(\.0*)?(\s[^)]*)?\)\s*$")
STYLE_RULE = re.compile(r"^\s*\*\s*\{([^}]*)\}\s*$")
NUMBER = re.compile(r"^\s*(-?\d+(\.\d*)?)(px|pt)?\s*$")
ANCHOR_SHARE = {"middle": 0.5, "end": 1.0}


def _declarations(style: str) -> list[tuple[str, str]] | None:
    """[(property, value)] of a style attribute, or None if one is not a presentation attribute."""
    out = []
    for part in style.split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        name = name.strip()
        if not sep or name not in PRESENTATION:
            return None
        out.append((name, value.strip()))
    return out


def _style_to_attributes(el: ET.Element) -> None:
    style = el.get("style")
    if style is None:
        return
    declarations = _declarations(style)
    if declarations is None or any(el.get(name) is not None for name, _ in declarations):
        return  # left as it is: style would win over an attribute of the same name
    del el.attrib["style"]
    for name, value in declarations:
        el.set(name, value)


def text_width(text: str, family: str, size: float, weight: str = "normal", style: str = "normal") -> float:
    """Advance width (pt) of ``text`` set in ``family`` at ``size`` pt, as matplotlib lays it out
    (measured once per process: the drawing of the chart measured it already)."""
    from matplotlib.font_manager import FontProperties

    from nzc_report.charts.svg_canvas import text_metrics

    families = [f.strip().strip("'\"") for f in family.split(",") if f.strip()]
    prop = FontProperties(family=families, size=size, weight=weight, style=cast(Any, style))
    return text_metrics(text, prop, False)[0]


def _start_anchored(el: ET.Element) -> None:
    """A centred or right-aligned label, unrotated, moved to where it starts."""
    if el.get("text-anchor") == "start" and el.get("direction") in (None, "ltr"):
        del el.attrib["text-anchor"]  # the initial value
        return
    share = ANCHOR_SHARE.get(el.get("text-anchor", ""))
    x, size = NUMBER.match(el.get("x", "")), NUMBER.match(el.get("font-size", ""))
    if (share is None or x is None or size is None or len(el) or not el.text
            or el.get("transform") is not None or el.get("direction") not in (None, "ltr")):
        return
    width = text_width(el.text, el.get("font-family", "sans-serif"), float(size.group(1)),
                       el.get("font-weight", "normal"), el.get("font-style", "normal"))
    el.set("x", f"{float(x.group(1)) - share * width:.4f}")
    del el.attrib["text-anchor"]


def _flatten(parent: ET.Element) -> None:
    """Children of id-only groups moved into their place, depth first."""
    children: list[ET.Element] = []
    for child in list(parent):
        _flatten(child)
        if child.tag == f"{_SVG}g" and set(child.attrib) <= {"id"}:
            children.extend(child)
        else:
            children.append(child)
    parent[:] = children


def compact_svg(data: bytes) -> bytes:
    """The SVG ``data`` (as matplotlib writes it) with fewer nodes and the same drawing."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(data)
    root_style: list[tuple[str, str]] = []
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{_SVG}metadata":
                parent.remove(child)
            elif child.tag == f"{_SVG}style" and (m := STYLE_RULE.match(child.text or "")):
                declarations = _declarations(m.group(1))
                if declarations is not None:
                    root_style = declarations
                    parent.remove(child)
    for name, value in root_style:
        root.set(name, value)
    text_tags = {f"{_SVG}text", f"{_SVG}tspan"}
    for el in root.iter():
        _style_to_attributes(el)
        if el.tag in text_tags:
            if ZERO_ROTATION.match(el.get("transform") or ""):
                del el.attrib["transform"]
            if el.tag == f"{_SVG}text":
                _start_anchored(el)
            continue  # its text and its children's tails are what it says
        if el.text is not None and not el.text.strip():
            el.text = None
        for child in el:
            child.tail = None
        if "d" in el.attrib:
            el.set("d", " ".join(el.get("d", "").split()))
    for defs in root.findall(f"{_SVG}defs"):
        if len(defs) == 0:
            root.remove(defs)
    _flatten(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
