"""Charts of the segmentation analysis (:mod:`techseg_lib.analyses.segmentation`).

Each builder takes one part of a :class:`~techseg_lib.analyses.segmentation.SegmentationResult`
and returns an Altair chart; none computes a model figure.

=============================  ==========================================================
builder                        input
=============================  ==========================================================
:func:`purpose_mix`            ``result.by_count`` or ``result.by_spend``
:func:`purpose_mode_grid`      ``result.grid()``
:func:`cisr_position`          ``result.position``
:func:`position_components`    ``result.position.components``
:func:`shadow_it_by_purpose`   ``result.shadow_items()``
=============================  ==========================================================

Review items are shown as a table (``display(result.review_items())``), not as a chart.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import (HIGHLIGHT, MODE_LABELS, NEUTRAL, PURPOSES, RANGE_COLOR, purpose_scale,
               use_theme)

__all__ = ["cisr_position", "position_components", "purpose_mix", "purpose_mode_grid",
           "shadow_it_by_purpose"]

_WIDTH = 420


def purpose_mix(comparison: pd.DataFrame, *, archetype_label: str | None = None,
                title: str | None = None) -> alt.LayerChart:
    """The purpose mix against the archetype's expected range: one bar per purpose.

    Parameters
    ----------
    comparison : DataFrame
        :func:`techseg_lib.archetypes.compare_to_archetype` output (``result.by_count`` or
        ``result.by_spend``): one row per purpose with ``purpose``, ``basis``, ``share`` (0–1,
        NaN when unknown), ``expected_min``, ``expected_max`` (0–1), ``status``, ``n_items``
        and ``value``.
    archetype_label : str, optional
        The archetype in words (e.g. "an information business"), for the subtitle.
    title : str, optional
        Default: "Purpose mix by share of <basis>".

    Returns
    -------
    alt.LayerChart
        Grey band: expected range (an assumption); coloured bar: the organisation's share;
        label: share and status (below / within / above / unknown).
    """
    use_theme()
    basis = str(comparison["basis"].iloc[0]) if len(comparison) else "items"
    title = title or f"Purpose mix by share of {basis}"
    subtitle = ["Coloured bar: this organisation. Grey band: expected range"
                + (f" for {archetype_label}" if archetype_label else "")
                + " (an editable assumption)."]
    data = comparison[["purpose", "basis", "share", "expected_min", "expected_max", "status",
                       "n_items", "value"]]
    base = alt.Chart(data).encode(
        y=alt.Y("purpose:N", sort=list(PURPOSES), title=None,
                scale=alt.Scale(domain=list(PURPOSES)), axis=alt.Axis(labelFontWeight="bold")))
    x_scale = alt.Scale(domain=[0, 1], nice=False)
    band = base.mark_bar(color=RANGE_COLOR, opacity=0.55, size=30).encode(
        x=alt.X("expected_min:Q", scale=x_scale, axis=alt.Axis(format="%"),
                title=f"Share of {basis}"),
        x2="expected_max:Q")
    ends = base.mark_tick(color=NEUTRAL, thickness=2, size=30).encode(
        x=alt.X("expected_min:Q", scale=x_scale))
    ends_hi = base.mark_tick(color=NEUTRAL, thickness=2, size=30).encode(
        x=alt.X("expected_max:Q", scale=x_scale))
    bars = base.mark_bar(size=14).encode(
        x=alt.X("share:Q", scale=x_scale),
        color=alt.Color("purpose:N", scale=purpose_scale(), legend=None),
        tooltip=[alt.Tooltip("purpose:N"), alt.Tooltip("share:Q", format=".1%"),
                 alt.Tooltip("expected_min:Q", format=".0%", title="expected from"),
                 alt.Tooltip("expected_max:Q", format=".0%", title="expected to"),
                 alt.Tooltip("status:N")])
    labels = base.mark_text(align="left", dx=6, fontSize=12, color="#222222").transform_calculate(
        label="(isValid(datum.share) ? format(datum.share, '.0%') : 'no cost known')"
              " + ' (' + datum.status + ')'",
        at="isValid(datum.share) ? max(datum.share, datum.expected_max) : datum.expected_max",
    ).encode(x=alt.X("at:Q", scale=x_scale), text="label:N")
    return alt.layer(band, ends, ends_hi, bars, labels).properties(
        width=_WIDTH, height=alt.Step(44), title=alt.Title(title, subtitle=subtitle))


def purpose_mode_grid(grid: pd.DataFrame, *, title: str = "Purpose x mode: where the items are"
                      ) -> alt.LayerChart:
    """Heat map of item counts per purpose (rows) and bimodal mode (columns).

    Parameters
    ----------
    grid : DataFrame
        ``result.grid()``: tidy, columns ``purpose`` ("IT", "OT", "CT"), ``mode`` (1 or 2) and
        ``items`` (count >= 0), one row per cell.
    title : str

    Returns
    -------
    alt.LayerChart
        Cells in the purpose's colour, darker for more items, with the count written in each.
    """
    use_theme()
    data = grid[["purpose", "mode", "items"]]
    mode_expr = " : ".join(f"datum.value == {k} ? '{v}'" for k, v in MODE_LABELS.items()) + " : ''"
    base = alt.Chart(data).encode(
        x=alt.X("mode:O", title=None, sort=sorted(MODE_LABELS),
                axis=alt.Axis(labelExpr=mode_expr, labelAngle=0, orient="top")),
        y=alt.Y("purpose:N", sort=list(PURPOSES), title=None,
                scale=alt.Scale(domain=list(PURPOSES)), axis=alt.Axis(labelFontWeight="bold")),
    ).transform_joinaggregate(most="max(items)")
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("purpose:N", scale=purpose_scale(), legend=None),
        opacity=alt.Opacity("items:Q", scale=alt.Scale(domainMin=0, range=[0.06, 1]),
                            legend=None),
        tooltip=["purpose:N", alt.Tooltip("mode:O"), "items:Q"])
    counts = base.mark_text(fontSize=16, fontWeight="bold").encode(
        text="items:Q",
        color=alt.condition("datum.items > 0.5 * datum.most", alt.value("white"),
                            alt.value("#222222")))
    return alt.layer(cells, counts).properties(
        width=alt.Step(150), height=alt.Step(56),
        title=alt.Title(title, subtitle=["Items per purpose and mode: mode 1 runs the "
                                         "predictable, mode 2 explores (pilots, experiments)."]))


def cisr_position(position, *, label: str = "This organisation",
                  customer_title: str = "Knowledge of the end customer (0-100)",
                  ecosystem_title: str = "Business design: value chain to ecosystem (0-100)",
                  title: str = "Business-model position (MIT CISR 2x2)") -> alt.LayerChart:
    """The MIT CISR 2x2 with the organisation placed.

    Parameters
    ----------
    position : techseg_lib.business_model.Position
        ``result.position``: ``customer`` and ``ecosystem`` scores (0–100), ``quadrant`` and
        ``threshold`` (the score from which an axis counts as high).
    label : str
        Text next to the point (client text is safe here: the chart is drawn as an SVG image).
    customer_title, ecosystem_title, title : str
        Axis and chart titles.

    Returns
    -------
    alt.LayerChart
        Four quadrants named (the organisation's own shaded), threshold lines, and the point.
    """
    from ..business_model import QUADRANTS

    use_theme()
    t = float(position.threshold)
    quads = pd.DataFrame([
        {"quadrant": name, "x0": t if cust else 0.0, "x1": 100.0 if cust else t,
         "y0": t if eco else 0.0, "y1": 100.0 if eco else t,
         "current": name == position.quadrant}
        for (cust, eco), name in QUADRANTS.items()])
    quads["xm"] = (quads["x0"] + quads["x1"]) / 2
    quads["ytop"] = quads["y1"] - 2.5
    point = pd.DataFrame({"customer": [float(position.customer)],
                          "ecosystem": [float(position.ecosystem)], "label": [str(label)]})
    xs = alt.Scale(domain=[0, 100], nice=False)
    ys = alt.Scale(domain=[0, 100], nice=False)
    areas = alt.Chart(quads).mark_rect(stroke="white").encode(
        x=alt.X("x0:Q", scale=xs, title=customer_title), x2="x1:Q",
        y=alt.Y("y0:Q", scale=ys, title=ecosystem_title), y2="y1:Q",
        color=alt.condition("datum.current", alt.value("#E8E8E8"), alt.value("#F8F8F8")))
    names = alt.Chart(quads).encode(x=alt.X("xm:Q", scale=xs), y=alt.Y("ytop:Q", scale=ys),
                                    text="quadrant:N")
    other_names = names.transform_filter("!datum.current").mark_text(
        baseline="top", fontSize=13, color="#777777")
    own_name = names.transform_filter("datum.current").mark_text(
        baseline="top", fontSize=13, fontWeight="bold", color="#222222")
    rules = alt.Chart(pd.DataFrame({"t": [t]}))
    vline = rules.mark_rule(color=NEUTRAL, strokeDash=[5, 4]).encode(x=alt.X("t:Q", scale=xs))
    hline = rules.mark_rule(color=NEUTRAL, strokeDash=[5, 4]).encode(y=alt.Y("t:Q", scale=ys))
    dot = alt.Chart(point).encode(x=alt.X("customer:Q", scale=xs),
                                  y=alt.Y("ecosystem:Q", scale=ys))
    marker = dot.mark_point(filled=True, size=180, color=HIGHLIGHT, opacity=1).encode(
        tooltip=[alt.Tooltip("customer:Q", format=".0f"), alt.Tooltip("ecosystem:Q", format=".0f")])
    caption = dot.mark_text(align="left", dx=10, dy=-10, fontSize=12, fontWeight="bold").transform_calculate(
        text="datum.label + ' (' + format(datum.customer, '.0f') + ', ' + format(datum.ecosystem, '.0f') + ')'"
    ).encode(text="text:N")
    return alt.layer(areas, other_names, own_name, vline, hline, marker, caption).properties(
        width=380, height=380,
        title=alt.Title(title, subtitle=[f"Dashed lines: threshold {t:.0f}; a score at or above "
                                         "it counts as high."]))


def position_components(components: pd.DataFrame, *,
                        title: str = "What placed the point: contribution of each input"
                        ) -> alt.FacetChart:
    """Bar chart of what moved the point on each axis.

    Parameters
    ----------
    components : DataFrame
        ``result.position.components``: ``axis``, ``kind`` ("answer" or "signal"), ``label``,
        ``value`` (0–100), ``weight`` and ``contribution`` (points; summing to the axis score).
        Inputs with weight 0 (unanswered items) are not drawn.

    Returns
    -------
    alt.FacetChart
        One panel per axis; bars sum to the axis score.
    """
    use_theme()
    data = components[["axis", "kind", "label", "value", "weight", "contribution"]]
    bars = alt.Chart().mark_bar().encode(
        x=alt.X("contribution:Q", title="points of the axis score (0-100)"),
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=520)),
        color=alt.Color("kind:N", title="input",
                        scale=alt.Scale(domain=["answer", "signal"], range=[NEUTRAL, RANGE_COLOR]),
                        legend=alt.Legend(labelExpr="datum.value == 'answer' ? "
                                          "'assessment answer' : 'portfolio signal'")),
        tooltip=["label:N", alt.Tooltip("value:Q", format=".0f", title="value (0-100)"),
                 alt.Tooltip("weight:Q", format=".2f"),
                 alt.Tooltip("contribution:Q", format=".1f")],
    ).transform_filter("datum.weight > 0").properties(width=300, height=alt.Step(18))
    return alt.FacetChart(data=data, spec=bars, facet=alt.Facet(
        "axis:N", sort=["customer", "ecosystem"], title=None,
        header=alt.Header(labelExpr="datum.value == 'customer' ? 'Closeness to the end customer'"
                                    " : 'Ecosystem'", labelAnchor="start",
                          labelFontWeight="bold")), columns=1
    ).resolve_scale(y="independent").properties(title=title)


def shadow_it_by_purpose(shadow: pd.DataFrame, *,
                         title: str = "Shadow IT by purpose") -> alt.LayerChart:
    """Number of shadow-IT items per purpose.

    Parameters
    ----------
    shadow : DataFrame
        ``result.shadow_items()``: one row per shadow-IT item with a ``purpose`` column.

    Returns
    -------
    alt.LayerChart
        One bar per purpose (all three shown, zero included), with the count.
    """
    use_theme()
    data = shadow[["purpose"]]
    base = alt.Chart(data).encode(
        y=alt.Y("purpose:N", sort=list(PURPOSES), title=None,
                scale=alt.Scale(domain=list(PURPOSES)), axis=alt.Axis(labelFontWeight="bold")),
        x=alt.X("count():Q", title="shadow-IT items",
                axis=alt.Axis(tickMinStep=1, format="d")))
    bars = base.mark_bar(size=22).encode(
        color=alt.Color("purpose:N", scale=purpose_scale(), legend=None))
    counts = base.mark_text(align="left", dx=5).encode(text="count():Q")
    return alt.layer(bars, counts).properties(
        width=_WIDTH, height=alt.Step(40),
        title=alt.Title(title, subtitle=["SaaS and personal devices in use without IT's "
                                         "sanction, by what they act on."]))
