"""Charts of the security-consequence analysis.

Builders take the model's tidy frames (:mod:`techseg_lib.security`,
:mod:`techseg_lib.analyses.security`) and return Altair charts; they compute nothing (sums over
purposes are Vega-Lite aggregates). Colours: purposes in the house colours
(:data:`techseg_lib.charts.PURPOSE_COLORS`), the total in :data:`~techseg_lib.charts.NEUTRAL`,
forms of loss in :data:`FORM_COLORS`, the two lag scenarios in :data:`SCENARIO_COLOURS`.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import NEUTRAL, PURPOSE_COLORS, PURPOSES

__all__ = [
    "FORM_COLORS", "SCENARIO_COLOURS", "SCENARIO_LABELS", "chart_exceedance", "chart_forms",
    "chart_heatmap", "chart_lag", "chart_lag_by_purpose",
]

SCENARIO_COLOURS: dict[str, str] = {"keeps_pace": "#2471a3", "lags": "#c0392b"}
"""Line colour of each security-lag scenario."""

SCENARIO_LABELS: dict[str, str] = {"keeps_pace": "keeps pace", "lags": "lags"}

FORM_COLORS: dict[str, str] = {
    "productivity": "#332288",
    "response": "#88CCEE",
    "replacement": "#999933",
    "fines_and_judgements": "#DDCC77",
    "competitive_advantage": "#882255",
    "reputation": "#CC6677",
}
"""Colour per FAIR form of loss (Paul Tol's muted palette; distinct from the purpose colours)."""

_SERIES = (*PURPOSES, "total")


def _series_scale() -> alt.Scale:
    return alt.Scale(domain=list(_SERIES), range=[*(PURPOSE_COLORS[p] for p in PURPOSES), NEUTRAL])


def _scenario_colour() -> alt.Color:
    scale = alt.Scale(domain=list(SCENARIO_COLOURS), range=list(SCENARIO_COLOURS.values()))
    return alt.Color("scenario:N", scale=scale, title="security",
                     legend=alt.Legend(labelExpr="datum.label == 'keeps_pace' ? 'keeps pace' "
                                                 ": datum.label"))


def chart_exceedance(frame: pd.DataFrame, *, currency: str = "USD",
                     title: str = "Loss exceedance: chance that a year's loss is above x"
                     ) -> alt.Chart:
    """Loss exceedance curves, one line per purpose and the total, log loss axis.

    Parameters
    ----------
    frame : DataFrame
        :func:`techseg_lib.security.loss_exceedance` output: ``purpose`` (IT, OT, CT, total),
        ``loss`` (> 0, money a year), ``probability_of_exceedance`` in [0, 1].
    currency : str
        Axis label.
    """
    dash = alt.condition(alt.datum.purpose == "total", alt.value([6, 3]), alt.value([1, 0]))
    return alt.Chart(frame).mark_line(strokeWidth=2).encode(
        x=alt.X("loss:Q", scale=alt.Scale(type="log"), title=f"annual loss ({currency})",
                axis=alt.Axis(format="~s", tickCount=6)),
        y=alt.Y("probability_of_exceedance:Q", title="chance the year's loss is higher",
                axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("purpose:N", scale=_series_scale(), title="purpose",
                        sort=list(_SERIES)),
        strokeDash=dash,
        tooltip=["purpose:N", alt.Tooltip("loss:Q", format=",.0f"),
                 alt.Tooltip("probability_of_exceedance:Q", format=".1%")],
    ).properties(width=520, height=280, title=title)


def chart_forms(frame: pd.DataFrame, *, currency: str = "USD", normalize: bool = False,
                title: str = "Mean annual loss by form of loss") -> alt.Chart:
    """Stacked bars: each purpose's mean annual loss split into FAIR's six forms.

    Parameters
    ----------
    frame : DataFrame
        ``purpose``, ``form``, ``mean_loss`` (money a year) and optionally ``form_label`` (the
        legend text) and ``form_order`` (stacking order); e.g. ``SecurityAnalysis.by_form``.
    normalize : bool
        Stack to 100 % (shares) instead of money.
    """
    label = "form_label" if "form_label" in frame.columns else "form"
    forms = list(dict.fromkeys(frame["form"]))
    labels = list(dict.fromkeys(frame[label]))
    scale = alt.Scale(domain=labels, range=[FORM_COLORS.get(f, NEUTRAL) for f in forms])
    stack = "normalize" if normalize else "zero"
    x_title = "share of mean annual loss" if normalize else f"mean annual loss ({currency})"
    order = (alt.Order("form_order:Q", sort="ascending") if "form_order" in frame.columns
             else alt.Order("form:N"))
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y("purpose:N", sort=list(PURPOSES), title=None),
        x=alt.X("sum(mean_loss):Q", stack=stack, title=x_title,
                axis=alt.Axis(format="%" if normalize else "~s")),
        color=alt.Color(f"{label}:N", scale=scale, title="form of loss", sort=labels,
                        legend=alt.Legend(orient="right", columns=1, labelLimit=320)),
        order=order,
        tooltip=["purpose:N", f"{label}:N", alt.Tooltip("mean_loss:Q", format=",.0f"),
                 *([alt.Tooltip("share:Q", format=".0%")] if "share" in frame.columns else [])],
    ).properties(width=440, height=150, title=title)


def chart_heatmap(frame: pd.DataFrame, *, title: str = "Items by likelihood and impact",
                  subtitle: str | list[str] | None = None) -> alt.LayerChart:
    """The 5x5 likelihood x impact heat map: item counts per cell (no item names).

    Parameters
    ----------
    frame : DataFrame
        :func:`techseg_lib.security.heat_map` output: 25 rows of ``likelihood``, ``impact``
        (1-5) and ``n_items``. Other columns (the item names) are not drawn.
    subtitle : str or list of str, optional
        E.g. what the scores mean.
    """
    data = frame[["likelihood", "impact", "n_items"]]
    base = alt.Chart(data).encode(
        x=alt.X("impact:O", title="impact score (mean loss per event)",
                scale=alt.Scale(domain=[1, 2, 3, 4, 5]), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("likelihood:O", title="likelihood score (chance of a loss event a year)",
                scale=alt.Scale(domain=[5, 4, 3, 2, 1])),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(alt.datum.n_items > 0,
                            alt.Color("n_items:Q", title="items",
                                      scale=alt.Scale(scheme="oranges", domainMin=0)),
                            alt.value("#F2F2F2")),
        tooltip=["likelihood:O", "impact:O", "n_items:Q"],
    )
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("n_items:Q"),
        color=alt.condition(alt.datum.n_items > 0, alt.value("#222222"), alt.value("#9E9E9E")),
    )
    props = {"title": alt.Title(title, subtitle=subtitle) if subtitle else title}
    return (cells + text).properties(width=300, height=300, **props)


def chart_lag(frame: pd.DataFrame, *, currency: str = "USD",
              title: str = "Expected annual loss, all purposes") -> alt.Chart:
    """Expected annual loss per quarter, summed over purposes, one line per scenario.

    Parameters
    ----------
    frame : DataFrame
        :func:`techseg_lib.security.security_lag` output (``quarter``, ``scenario``,
        ``purpose``, ``expected_loss``).
    """
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("quarter:Q", title="quarter", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("sum(expected_loss):Q", title=f"expected annual loss ({currency})",
                axis=alt.Axis(format="~s")),
        color=_scenario_colour(),
        tooltip=[alt.Tooltip("quarter:Q"), alt.Tooltip("scenario:N"),
                 alt.Tooltip("sum(expected_loss):Q", format=",.0f", title="expected loss")],
    ).properties(width=480, height=260, title=title)


def chart_lag_by_purpose(frame: pd.DataFrame, *, currency: str = "USD") -> alt.FacetChart:
    """Small multiples of :func:`chart_lag`, one panel per purpose (independent y scales)."""
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("quarter:Q", title="quarter", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("expected_loss:Q", title=f"expected annual loss ({currency})",
                axis=alt.Axis(format="~s")),
        color=_scenario_colour(),
        tooltip=["quarter:Q", "scenario:N", "purpose:N",
                 alt.Tooltip("expected_loss:Q", format=",.0f")],
    ).properties(width=220, height=180).facet(
        column=alt.Column("purpose:N", sort=list(PURPOSES), title=None)
    ).resolve_scale(y="independent")
