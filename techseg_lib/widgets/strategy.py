"""The disruptor game: sliders that re-run the strategy simulation and redraw its distributions.

``build_app()`` returns a :class:`StrategyApp`; show it as the last expression of a notebook cell.
Moving a slider (transformation success rate, competitors, stretch, horizon) calls
:meth:`StrategyApp.update`, which re-simulates with a small number of trials and the same seed
(common random numbers, so a change on screen is the model's, not noise) and stores the
outcome on plain attributes (``params``, ``result``, ``summary``, ``frame``, ``chart``,
``chart_spec``) and in an HTML widget. Those are what tests read: an ``Output`` widget captures
nothing outside a kernel, so it is used only for display.

Chart builders (``chart_*``) take the model's tidy frames and return Altair charts; they compute
nothing. ``chart_distributions`` and ``chart_roadmap`` are re-exported from
:mod:`techseg_lib.charts.strategy` (house theme).
"""
from __future__ import annotations

import html
from dataclasses import replace
from typing import Any

import altair as alt
import ipywidgets as widgets
import pandas as pd

from techseg_lib import strategy
from techseg_lib.charts.strategy import PATH_COLORS, chart_distributions, chart_roadmap
from techseg_lib.widgets._controls import SliderApp, slider_options

__all__ = ["StrategyApp", "build_app", "chart_distributions", "chart_breakeven_map",
           "chart_roadmap", "summary_html"]

PATH_COLOURS = PATH_COLORS  # backward-compatible alias


# ------------------------------------------------------------------------------------------------
# Charts (pure: frame in, chart out). The distribution and roadmap builders live in
# techseg_lib.charts.strategy (shared with the report notebook); this ordinal heat map draws the
# raw output of techseg_lib.strategy.breakeven_map (no cell edges needed).
# ------------------------------------------------------------------------------------------------

def chart_breakeven_map(frame: pd.DataFrame) -> alt.Chart:
    """Heat map of P(alternative wins) over success rate x competitors, from
    :func:`techseg_lib.strategy.breakeven_map` (tooltip: expected difference)."""
    heat = alt.Chart(frame).mark_rect().encode(
        x=alt.X("transformation_success_rate:O", title="transformation success rate",
                axis=alt.Axis(format=".2f")),
        y=alt.Y("competitors:O", title="competitors", sort="descending"),
        color=alt.Color("p_alternative_wins:Q", title="P(alternative wins)",
                        scale=alt.Scale(domain=[0, 1], scheme="redblue")),
        tooltip=["transformation_success_rate:Q", "competitors:Q",
                 alt.Tooltip("p_alternative_wins:Q", format=".1%"),
                 alt.Tooltip("expected_difference:Q", format=".3f")],
    ).properties(width=420, height=320,
                 title="Where the alternative beats the disruptor")
    return heat


def summary_html(summary: dict[str, Any], params: strategy.StrategyParams) -> str:
    """Small HTML table of :func:`techseg_lib.strategy.summarise` output (numbers only)."""
    rows = []
    for path in strategy.PATHS:
        s = summary[path]
        rows.append(f"<tr><td>{html.escape(path)}</td><td>{s['mean']:.2f}</td>"
                    f"<td>{s['p_loss']:.0%}</td><td>{s['p5']:.2f}</td><td>{s['p95']:.2f}</td></tr>")
    return ("<table><thead><tr><th>path</th><th>mean</th><th>P(loss)</th><th>P5</th><th>P95</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            f"<p>P(alternative beats disruptor): <b>{summary['p_alternative_wins']:.0%}</b> "
            f"&middot; sprint success at this stretch: "
            f"{strategy.effective_sprint_success(params):.0%}</p>")


# ------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------

class StrategyApp(SliderApp):
    """Sliders, a summary and a chart; state lives on plain attributes.

    Attributes
    ----------
    base_params : StrategyParams
        Parameters the sliders start from; fields without a slider stay as given.
    params : StrategyParams
        Parameters of the latest simulation.
    result : StrategyResult
        Latest simulation (arrays of shape (n_trials,)).
    summary : dict
        :func:`techseg_lib.strategy.summarise` of ``result``.
    frame : DataFrame
        Binned tidy frame of ``result`` (what the chart draws; never the raw trials).
    chart : altair.Chart
    chart_spec : dict
        Vega-Lite spec of ``chart``.
    n_updates : int
        Simulations run so far (1 after construction).
    sliders : dict[str, ipywidgets.Widget]
        Keyed by parameter name.
    widget : ipywidgets.VBox
        What the notebook displays.
    """

    SLIDER_FIELDS = ("transformation_success_rate", "competitors", "stretch", "horizon_quarters")

    def __init__(self, params: strategy.StrategyParams | None = None, *, n_trials: int = 20_000,
                 seed: int | None = None, bins: int = 60) -> None:
        self.base_params = params or strategy.StrategyParams()
        self.n_trials = int(n_trials)
        self.seed = self.base_params.seed if seed is None else int(seed)
        self.bins = int(bins)
        p = self.base_params
        options = slider_options(label_width_em=14, width_em=34)
        self._mount({
            "transformation_success_rate": widgets.FloatSlider(
                value=p.transformation_success_rate, min=0.0, max=1.0, step=0.01,
                description="transformation success", readout_format=".2f", **options),
            "competitors": widgets.IntSlider(
                value=p.competitors, min=0, max=max(30, p.competitors), step=1,
                description="competitors", **options),
            "stretch": widgets.FloatSlider(
                value=p.stretch, min=0.5, max=max(3.0, p.stretch), step=0.05,
                description="stretch (ambition / velocity)", readout_format=".2f", **options),
            "horizon_quarters": widgets.IntSlider(
                value=p.horizon_quarters, min=1, max=max(20, p.horizon_quarters), step=1,
                description="horizon (quarters)", **options),
        })

    # -- callbacks ---------------------------------------------------------------------------
    def params_from_sliders(self) -> strategy.StrategyParams:
        """The base parameters with the four slider values applied."""
        values = {name: s.value for name, s in self.sliders.items()}
        changes: dict[str, Any] = {
            "competitors": int(values["competitors"]),
            "stretch": float(values["stretch"]),
            "horizon_quarters": int(values["horizon_quarters"]),
        }
        rate = float(values["transformation_success_rate"])
        if abs(rate - self.base_params.transformation_success_rate) > 1e-12:
            changes.update(transformation_success_rate=rate, success_definition="custom")
        return replace(self.base_params, **changes)

    def update(self) -> None:
        """Simulate with the slider values and refresh every stored output."""
        self.params = self.params_from_sliders()
        self.result = strategy.simulate(self.params, n_trials=self.n_trials, seed=self.seed)
        self.summary = strategy.summarise(self.result)
        self.frame = strategy.distribution_frame(self.result, bins=self.bins)
        self.chart = chart_distributions(self.frame)
        self.chart_spec = self.chart.to_dict()
        self._show(summary_html(self.summary, self.params), self.chart)


def build_app(params: strategy.StrategyParams | None = None, *, n_trials: int = 20_000,
              seed: int | None = None) -> StrategyApp:
    """The teaching app, simulated once with the starting values.

    Parameters
    ----------
    params : StrategyParams, optional
        Starting values (default: shipped defaults).
    n_trials : int
        Trials per re-simulation (small so that sliders feel live).
    seed : int, optional
        Fixed seed for every re-simulation (default ``params.seed``).
    """
    return StrategyApp(params, n_trials=n_trials, seed=seed)
