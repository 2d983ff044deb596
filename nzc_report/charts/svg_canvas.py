"""A figure saved as SVG with one layout pass, its text measured once per process.

What matplotlib's ``savefig`` does for a figure with a layout engine, and what
it costs (cProfile of a zone's four charts):

- it starts a print and aborts it to get a renderer, then draws the whole
  figure without output so that constrained layout runs, then prints, which
  draws the whole figure again: two draws, three renderers;
- constrained layout asks for one more renderer, by one more aborted print;
- text metrics are cached per renderer, so every renderer measures every
  label again with FreeType on the CJK face (~1 ms a label), and every text
  layout reads the face's ``OS/2`` and ``head`` tables again.

Here the layout engine runs once, with a renderer of our own, and is then
switched off, so the print draws once. The SVG renderer measures text with
``TextToPath`` at a fixed 72 dpi: the metrics depend on the text, the font
properties and the math flag only, not on the renderer, so one cache per
process gives the same numbers, hence the same bytes, in any process and in
any order of charts. The face's height metrics are read once per font
properties, with the arithmetic of ``Text._get_layout``.
"""
from __future__ import annotations

import codecs
import io
from typing import TYPE_CHECKING, Any

from matplotlib import cbook, rcParams
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.textpath import text_to_path

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

SVG_DPI = 72  # FigureCanvasSVG.print_svg draws at 72 dpi whatever the figure's dpi

_TEXT_METRICS: dict[tuple, tuple[float, float, float]] = {}
_FACES: dict[tuple, tuple] = {}  # font properties and rc families → the font files they resolve to
FONT_FAMILY_RC: tuple[RcKeyType, ...] = (
    "font.family", "font.serif", "font.sans-serif", "font.cursive", "font.fantasy", "font.monospace")
_HEIGHT_METRICS: dict[tuple, tuple[float, float, float] | tuple[None, None, None]] = {}


def font_key(prop: FontProperties) -> tuple:
    """Everything of ``prop`` that text metrics depend on (as FontProperties.__hash__)."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
            prop.get_stretch(), prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily())


def face_key(prop: FontProperties) -> tuple:
    """What plain (not math) text metrics depend on: the font files ``prop`` resolves to,
    the size, and the rc settings get_font reads. Two spellings of one face share it, so
    compact.py's widths reuse the drawing's."""
    families = tuple(tuple(rcParams[key]) for key in FONT_FAMILY_RC)  # what findfont's answer depends on
    faces_key = (font_key(prop), families)
    faces = _FACES.get(faces_key)
    if faces is None:
        # a face listed twice (two families resolving to it) measures as once: it falls back to itself
        faces = _FACES[faces_key] = tuple(dict.fromkeys(fontManager._find_fonts_by_props(prop)))
    return (faces, prop.get_size_in_points(), rcParams["text.kerning_factor"], rcParams["font.enable_last_resort"])


def text_metrics(text: str, prop: FontProperties, ismath: Any) -> tuple[float, float, float]:
    """(width, height, descent) in points of ``text``, as the SVG renderer measures it."""
    key = (text, face_key(prop) if ismath is False else font_key(prop), ismath)
    metrics = _TEXT_METRICS.get(key)
    if metrics is None:
        metrics = _TEXT_METRICS[key] = text_to_path.get_text_width_height_descent(text, prop, ismath)
    return metrics


def font_height_metrics(prop: FontProperties, dpi: float):
    """(ascent, descent, line gap) of the face, scaled as ``Text._get_layout`` scales them;
    (None, None, None) when the face has neither table (Text then measures "lp")."""
    key = (font_key(prop), dpi)
    metrics = _HEIGHT_METRICS.get(key)
    if metrics is None:
        metrics = (None, None, None)
        font: Any = get_font(fontManager._find_fonts_by_props(prop))  # tables read by name, as Text does
        possible = [("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                    ("hhea", "lineGap", "ascent", "descent")]
        for table_name, linegap_key, ascent_key, descent_key in possible:
            table = font.get_sfnt_table(table_name)
            if table is None:
                continue
            fontsize = prop.get_size_in_points()
            units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
            scale = 1 / units_per_em * fontsize * dpi / 72
            metrics = (table[ascent_key] * scale, -table[descent_key] * scale, table[linegap_key] * scale)
            break
        _HEIGHT_METRICS[key] = metrics
    return metrics


class MeasuredRendererSVG(RendererSVG):
    """RendererSVG whose text metrics come from the process-wide caches."""

    def __init__(self, *args, layout_dpi: float = SVG_DPI, **kwargs):
        super().__init__(*args, **kwargs)
        self._layout_dpi = layout_dpi

    def get_text_width_height_descent(self, s, prop, ismath):
        return text_metrics(s, prop, ismath)

    def _get_font_height_metrics(self, prop):  # read by Text._get_layout when a renderer has it
        return font_height_metrics(prop, self._layout_dpi)


class MeasuredCanvasSVG(FigureCanvasSVG):
    """FigureCanvasSVG printing with MeasuredRendererSVG, and giving the layout engine one."""

    def get_renderer(self):
        """A renderer of the figure at its dpi, writing nowhere (Figure._get_renderer asks here)."""
        fig = self.figure
        width, height = fig.get_size_inches()
        return MixedModeRenderer(fig, width, height, fig.dpi,
                                 MeasuredRendererSVG(width * 72, height * 72, io.StringIO(),
                                                     image_dpi=fig.dpi, layout_dpi=fig.dpi))

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None):
        """FigureCanvasSVG.print_svg, with MeasuredRendererSVG."""
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = SVG_DPI
            width, height = self.figure.get_size_inches()
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi,
                MeasuredRendererSVG(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata,
                                    layout_dpi=SVG_DPI),
                bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()


def figure_svg(fig: Figure, metadata: dict) -> bytes:
    """The SVG of ``fig``, laid out once by its layout engine and drawn once.

    What ``savefig`` does besides that does not apply: the charts print at the
    figure's own size and dpi (72, as SVG), with no background (its patch is
    hidden) and no bbox; the canvas prints ``fig`` exactly as it stands."""
    canvas = MeasuredCanvasSVG(fig)  # becomes fig.canvas
    engine = fig.get_layout_engine()
    if engine is not None and fig.axes:
        engine.execute(fig)  # what savefig's draw without output is for
    fig.set_layout_engine("none")  # a placeholder: the draw does not lay out again
    buffer = io.StringIO()
    canvas.print_svg(buffer, metadata=metadata)
    return buffer.getvalue().encode("utf-8")
