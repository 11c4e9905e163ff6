"""Altair chart builders with one house theme.

Importing this package registers the Altair theme ``"techseg"`` once and enables it. Every
chart then uses the same font, sizes and colours. Each analysis has its own module of builders,
e.g. :mod:`techseg_lib.charts.segmentation`. A builder takes model output (tidy DataFrames or
the model's dataclasses) and returns an Altair chart. It computes nothing.

Colours
-------
- :data:`PURPOSE_COLORS`: IT, OT and CT have the same colour in every chart (Okabe-Ito
  colour-blind-safe hues). Use :func:`purpose_scale` for any colour encoding of ``purpose``,
  so that the colour of a purpose does not depend on which purposes a chart's data holds.
- :data:`MODE_SHADES`: per purpose, a dark shade for bimodal mode 1 (run) and a light shade
  for mode 2 (explore). :data:`MODE_LABELS` names the modes.
- :data:`NEUTRAL`, :data:`RANGE_COLOR`, :data:`HIGHLIGHT`: greys for reference marks
  (expected ranges, thresholds) and the colour of "you are here" marks.

Usage::

    from techseg_lib import charts            # registers and enables the theme
    charts.use_theme()                         # enable it again after another theme was enabled
"""
from __future__ import annotations

import altair as alt

__all__ = [
    "FONT", "HIGHLIGHT", "MODE_LABELS", "MODE_SHADES", "NEUTRAL", "PURPOSES", "PURPOSE_COLORS",
    "PURPOSE_LABELS", "RANGE_COLOR", "THEME", "purpose_scale", "use_theme",
]

THEME = "techseg"
"""Name of the house theme in Altair's theme registry."""

PURPOSES: tuple[str, ...] = ("IT", "OT", "CT")
"""The purposes in chart order (same order as :data:`techseg_lib.portfolio.PURPOSES`)."""

PURPOSE_COLORS: dict[str, str] = {"IT": "#0072B2", "OT": "#D55E00", "CT": "#009E73"}
"""Fixed colour per purpose: IT blue, OT vermilion, CT bluish green (Okabe-Ito palette)."""

PURPOSE_LABELS: dict[str, str] = {
    "IT": "IT (staff information)",
    "OT": "OT (physical processes)",
    "CT": "CT (customers)",
}
"""What each purpose acts on, for legends and axis titles."""

MODE_SHADES: dict[str, dict[int, str]] = {
    "IT": {1: "#0072B2", 2: "#80B9D8"},
    "OT": {1: "#D55E00", 2: "#EAAE80"},
    "CT": {1: "#009E73", 2: "#80CEB9"},
}
"""Per purpose: the full colour for mode 1 (run) and a light shade (50 % toward white) for mode 2."""

MODE_LABELS: dict[int, str] = {1: "Mode 1 (run)", 2: "Mode 2 (explore)"}
"""Bimodal mode labels."""

NEUTRAL = "#4D4D4D"
"""Text and reference lines."""

RANGE_COLOR = "#BDBDBD"
"""Expected ranges and other reference areas."""

HIGHLIGHT = "#000000"
"""The organisation's own mark (e.g. its point on the 2x2)."""

FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
"""Font stack of every chart.

vl-convert lays text out with the first font it knows. It ships Liberation Sans, so the layout
(and the SVG, which nbval compares) is the same on every machine; Liberation Sans has the
metrics of Arial and Helvetica, so text fits its space wherever one of the three is installed."""

PADDING = {"left": 24, "top": 5, "right": 5, "bottom": 5}
"""Space around every chart, in pixels. Where none of the fonts of :data:`FONT` is installed
(Linux without fonts-liberation), a browser draws the SVG's text in a wider fallback such as
DejaVu Sans, 12-16% wider at 12 px. Axis labels left of a chart are right-aligned, so the extra
width spills left: 9 px for "Alternative", 20 px for a 26-letter label. The wider left edge
(Vega's default is 5 on every side) keeps labels up to about 170 px (30 letters) whole."""

_SIZES = {"label": 12, "title": 13, "chart_title": 15, "subtitle": 12}


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "padding": PADDING,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 420, "continuousHeight": 260},
            "title": {"fontSize": _SIZES["chart_title"], "fontWeight": "bold", "anchor": "start",
                      "color": "#222222", "subtitleFontSize": _SIZES["subtitle"],
                      "subtitleColor": NEUTRAL, "offset": 10},
            "axis": {"labelFontSize": _SIZES["label"], "titleFontSize": _SIZES["title"],
                     "labelColor": NEUTRAL, "titleColor": NEUTRAL, "titleFontWeight": "normal",
                     "gridColor": "#E6E6E6", "domainColor": "#999999", "tickColor": "#999999",
                     "labelLimit": 320},
            "legend": {"labelFontSize": _SIZES["label"], "titleFontSize": _SIZES["title"],
                       "titleFontWeight": "normal", "labelColor": NEUTRAL, "titleColor": NEUTRAL,
                       "orient": "bottom"},
            "header": {"labelFontSize": _SIZES["title"], "titleFontSize": _SIZES["title"],
                       "labelColor": NEUTRAL},
            "text": {"fontSize": _SIZES["label"], "color": "#222222"},
            "bar": {"discreteBandSize": {"band": 0.7}},
            "range": {"category": [PURPOSE_COLORS[p] for p in PURPOSES]},
        }
    }


if THEME not in alt.theme.names():
    alt.theme.register(THEME, enable=True)(_theme)
else:  # pragma: no cover - re-import after importlib.reload
    alt.theme.enable(THEME)


def use_theme() -> str:
    """Enable the house theme (again) and return its name."""
    alt.theme.enable(THEME)
    return THEME


def purpose_scale() -> alt.Scale:
    """Colour scale mapping IT, OT and CT to :data:`PURPOSE_COLORS` whatever the data holds."""
    return alt.Scale(domain=list(PURPOSES), range=[PURPOSE_COLORS[p] for p in PURPOSES])
