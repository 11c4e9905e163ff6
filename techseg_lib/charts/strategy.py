"""Charts of the disruptor-vs-alternative analysis (house theme from :mod:`techseg_lib.charts`).

Each builder takes a tidy frame produced by :mod:`techseg_lib.strategy` or
:mod:`techseg_lib.analyses.strategy` and returns an Altair chart; it computes nothing. Money
axes are labelled with the analysis's money unit, passed in as ``unit``.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from . import HIGHLIGHT, NEUTRAL, PURPOSE_LABELS, PURPOSES, purpose_scale

__all__ = ["PATH_COLORS", "PATH_LABELS", "chart_distributions", "chart_breakeven_map",
           "chart_breakeven_stretch", "chart_roadmap"]

PATH_COLORS: dict[str, str] = {"disruptor": "#CC79A7", "alternative": "#E69F00"}
"""Fixed colour per path (Okabe-Ito reddish purple and orange, distinct from the purposes)."""

PATH_LABELS: dict[str, str] = {"disruptor": "disruptor (one transformation)",
                               "alternative": "alternative (sprints by purpose)"}

_DEFAULT_UNIT = "money; defaults: multiples of the disruptor's investment"


def _path_scale() -> alt.Scale:
    return alt.Scale(domain=list(PATH_COLORS), range=list(PATH_COLORS.values()))


def chart_distributions(frame: pd.DataFrame, *, title: str = "Value of each path",
                        unit: str = _DEFAULT_UNIT) -> alt.LayerChart:
    """Histogram of both paths on common bins, with a rule at zero.

    Parameters
    ----------
    frame : DataFrame
        :func:`techseg_lib.strategy.distribution_frame`: ``path``, ``bin_start``, ``bin_end``,
        ``share`` (and ``count``; empty bins are not drawn), 2 x bins rows.
    title : str
    unit : str
        Money unit for the axis title.
    """
    data = frame[frame["count"] > 0] if "count" in frame.columns else frame
    bars = alt.Chart(data).mark_bar(opacity=0.7, stroke=None).encode(
        x=alt.X("bin_start:Q", title=f"value at the end of the horizon ({unit})"),
        x2="bin_end:Q",
        y=alt.Y("share:Q", title="share of simulated futures", axis=alt.Axis(format="%"),
                scale=alt.Scale(zero=True, nice=True)),
        y2=alt.datum(0),
        color=alt.Color("path:N", scale=_path_scale(), title="path"),
        tooltip=[alt.Tooltip("path:N"), alt.Tooltip("bin_start:Q", format=".2f", title="from"),
                 alt.Tooltip("bin_end:Q", format=".2f", title="to"),
                 alt.Tooltip("share:Q", format=".1%")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(
        strokeDash=[4, 3], color=NEUTRAL).encode(x="x:Q")
    return (bars + zero).properties(title=title, width=520, height=260)


def chart_breakeven_map(frame: pd.DataFrame, line: pd.DataFrame | None = None, *,
                        current: tuple[float, int] | None = None) -> alt.LayerChart:
    """Heat map of P(alternative wins) over success rate x competitors, with the break-even line.

    Parameters
    ----------
    frame : DataFrame
        :attr:`techseg_lib.analyses.strategy.StrategyAnalysis.breakeven`: one row per cell with
        ``transformation_success_rate``, ``competitors``, ``p_alternative_wins``,
        ``expected_difference`` and the cell edges ``rate_start``, ``rate_end``,
        ``competitors_start``, ``competitors_end``.
    line : DataFrame, optional
        :func:`techseg_lib.strategy.breakeven_curve`: ``competitors``,
        ``breakeven_success_rate`` (NaN where the disruptor never wins: not drawn).
    current : (float, int), optional
        The client's (success rate, competitors), drawn as a point.
    """
    heat = alt.Chart(frame).mark_rect().encode(
        x=alt.X("rate_start:Q", title="transformation success rate",
                axis=alt.Axis(format="%"), scale=alt.Scale(nice=False, zero=False)),
        x2="rate_end:Q",
        y=alt.Y("competitors_start:Q", title="competitors who could chase the same disruption",
                scale=alt.Scale(nice=False, zero=False)),
        y2="competitors_end:Q",
        color=alt.Color("p_alternative_wins:Q", title="P(alternative ends ahead)",
                        scale=alt.Scale(domain=[0, 1], scheme="purpleorange", reverse=False),
                        legend=alt.Legend(format="%")),
        tooltip=[alt.Tooltip("transformation_success_rate:Q", format=".0%",
                             title="success rate"),
                 alt.Tooltip("competitors:Q"),
                 alt.Tooltip("p_alternative_wins:Q", format=".1%",
                             title="P(alternative ends ahead)"),
                 alt.Tooltip("expected_difference:Q", format=".3f",
                             title="E[alternative] - E[disruptor]")],
    )
    layers = [heat]
    if line is not None:
        layers.append(alt.Chart(line).mark_line(color=HIGHLIGHT, strokeWidth=2.5).encode(
            x="breakeven_success_rate:Q",
            y=alt.Y("competitors:Q"),
            order="competitors:Q",
            tooltip=[alt.Tooltip("competitors:Q"),
                     alt.Tooltip("breakeven_success_rate:Q", format=".1%",
                                 title="break-even success rate")]))
    if current is not None:
        layers.append(alt.Chart(pd.DataFrame({"rate": [float(current[0])],
                                              "competitors": [int(current[1])]})).mark_point(
            shape="diamond", size=140, filled=True, color="white", stroke=HIGHLIGHT,
            strokeWidth=2).encode(x="rate:Q", y="competitors:Q"))
    return alt.layer(*layers).properties(
        width=440, height=320,
        title=alt.Title("Where the alternative beats the disruptor",
                        subtitle=["Colour: chance that the sprints end ahead. Line: expected "
                                  "values equal (disruptor wins to its right).",
                                  "Diamond: this organisation."]))


def chart_breakeven_stretch(frame: pd.DataFrame, *, stretch_limit: float,
                            stretch: float | None = None, unit: str = _DEFAULT_UNIT
                            ) -> alt.LayerChart:
    """Expected value of both paths as the sprints' stretch varies, with the stretch limit.

    Parameters
    ----------
    frame : DataFrame
        :func:`techseg_lib.strategy.breakeven_stretch`: ``stretch``, ``expected_alternative``,
        ``expected_disruptor``, ``success_probability``, ``p_alternative_wins``.
    stretch_limit : float
        Where sprints become "ridiculous" (drawn as a dashed rule).
    stretch : float, optional
        The stretch planned (drawn as a solid rule).
    unit : str
        Money unit for the axis title.
    """
    lines = alt.Chart(frame).transform_fold(
        ["expected_alternative", "expected_disruptor"], as_=["series", "value"]
    ).transform_calculate(
        path="datum.series == 'expected_alternative' ? 'alternative' : 'disruptor'"
    ).mark_line(strokeWidth=2.5).encode(
        x=alt.X("stretch:Q", title="stretch (ambition / past velocity)"),
        y=alt.Y("value:Q", title=f"expected value ({unit})"),
        color=alt.Color("path:N", scale=_path_scale(), title="path"),
        tooltip=[alt.Tooltip("stretch:Q", format=".1f"), alt.Tooltip("path:N"),
                 alt.Tooltip("value:Q", format=".3f", title="expected value"),
                 alt.Tooltip("success_probability:Q", format=".0%",
                             title="sprint success probability")],
    )
    marks = pd.DataFrame({"x": [float(stretch_limit)], "label": ["stretch limit"]})
    layers = [lines, alt.Chart(marks).mark_rule(strokeDash=[5, 4], color=NEUTRAL).encode(
        x="x:Q", tooltip=["label:N", alt.Tooltip("x:Q", title="stretch")])]
    if stretch is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [float(stretch)], "label": ["planned"]}))
                      .mark_rule(color=HIGHLIGHT).encode(
                          x="x:Q", tooltip=["label:N", alt.Tooltip("x:Q", title="stretch")]))
    return alt.layer(*layers).properties(
        width=440, height=260,
        title=alt.Title("A stretch, but not ridiculous",
                        subtitle=["Dashed: the stretch limit. Solid: the stretch planned."]))


def chart_roadmap(frame: pd.DataFrame) -> alt.Chart:
    """Sprints per quarter, stacked by purpose, from :func:`techseg_lib.strategy.sprint_roadmap`.

    Parameters
    ----------
    frame : DataFrame
        ``quarter`` (1-based), ``purpose`` (IT, OT, CT), ``sprints``, ``sprint_length_weeks``,
        ``expected_value``; one row per quarter and purpose.
    """
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("quarter:O", title="quarter", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("sprints:Q", title="sprints"),
        color=alt.Color("purpose:N", scale=purpose_scale(), sort=list(PURPOSES),
                        title="purpose"),
        order=alt.Order("purpose_order:Q"),
        tooltip=["quarter:O", "purpose:N", "sprints:Q",
                 alt.Tooltip("sprint_length_weeks:Q", format=".1f", title="weeks per sprint"),
                 alt.Tooltip("expected_value:Q", format=".3f", title="expected value")],
    ).transform_calculate(
        purpose_order="indexof(['IT', 'OT', 'CT'], datum.purpose)"
    ).properties(width=440, height=240,
                 title=alt.Title("Sprint roadmap per purpose",
                                 subtitle=["Sprints grow in number and length as capability "
                                           "grows; " + ", ".join(PURPOSE_LABELS[p]
                                                                 for p in PURPOSES) + "."]))
