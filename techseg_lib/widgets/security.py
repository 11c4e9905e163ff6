"""The security-lag teaching app: sliders that recompute the lag curve and redraw it.

``build_app()`` returns a :class:`SecurityLagApp`; show it as the last expression of a notebook
cell. Moving a slider (security maturity rate, sprint pace, one purpose's vulnerability) calls
:meth:`SecurityLagApp.update`, which recomputes :func:`techseg_lib.security.security_lag` (closed
form, so an update takes milliseconds and carries no Monte Carlo noise) and stores the outcome
on plain attributes (``params``, ``schedule``, ``frame``, ``totals``, ``lag_cost``, ``chart``,
``chart_spec``) and in an HTML widget. Those are what tests read: an ``Output`` widget captures
nothing outside a kernel, so it is used only for display.

The chart builders (``chart_lag``, ``chart_lag_by_purpose``) live in
:mod:`techseg_lib.charts.security` and are re-exported here.
"""
from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from techseg_lib import security
from techseg_lib.charts.security import SCENARIO_COLOURS, chart_lag, chart_lag_by_purpose
from techseg_lib.widgets._controls import SliderApp, slider_options

__all__ = ["SCENARIO_COLOURS", "SecurityLagApp", "build_app", "chart_lag", "chart_lag_by_purpose",
           "summary_html", "vulnerability_with_mode"]

# ------------------------------------------------------------------------------------------------
# Summary and slider helpers (the charts are in techseg_lib.charts.security)
# ------------------------------------------------------------------------------------------------

def summary_html(totals: pd.DataFrame, lag_cost: float, currency: str = "USD") -> str:
    """Small HTML summary: losses at the first and last quarter and the cost of lagging.

    Parameters
    ----------
    totals : DataFrame
        Index ``quarter``, columns ``keeps_pace`` and ``lags`` (money a year).
    lag_cost : float
        Extra expected loss over the horizon when security lags (money).
    """
    first, last = totals.index.min(), totals.index.max()
    rows = "".join(
        f"<tr><td>{html.escape(s)}</td><td>{totals.at[first, s]:,.0f}</td>"
        f"<td>{totals.at[last, s]:,.0f}</td></tr>" for s in security.SCENARIOS)
    cur = html.escape(currency)
    return (f"<table><thead><tr><th>security</th><th>quarter {first} ({cur}/yr)</th>"
            f"<th>quarter {last} ({cur}/yr)</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p>Extra expected loss over {last} quarters when security lags: "
            f"<b>{lag_cost:,.0f} {cur}</b></p>")


def vulnerability_with_mode(rng: security.PertRange, mode: float) -> security.PertRange:
    """The vulnerability range rescaled so its most likely value is ``mode`` (0 < mode <= 1).

    ``min`` and ``max`` scale by ``mode / rng.mode``; ``max`` is capped at 1, so the result
    stays a valid probability range and its mean rises with ``mode``.
    """
    if not 0.0 < mode <= 1.0:
        raise ValueError("mode must lie in (0, 1]")
    if rng.mode <= 0:
        return security.PertRange(0.0, mode, max(mode, min(1.0, rng.max)))
    k = mode / rng.mode
    return security.PertRange(min(rng.min * k, mode), mode, min(1.0, max(rng.max * k, mode)))


# ------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------

class SecurityLagApp(SliderApp):
    """Sliders, a summary and the lag chart; state lives on plain attributes.

    Attributes
    ----------
    base_params : SecurityParams
        Parameters the sliders start from; everything without a slider stays as given.
    base_schedule : DataFrame
        Roadmap (``quarter``, ``purpose``, ``sprints``) that the pace slider multiplies.
    purpose : str
        Purpose whose vulnerability the third slider sets.
    params : SecurityParams
        Parameters of the latest update.
    schedule : DataFrame
        Roadmap of the latest update (``sprints`` = base x pace).
    frame : DataFrame
        :func:`techseg_lib.security.security_lag` output (what the chart draws).
    totals : DataFrame
        Index ``quarter``, columns ``keeps_pace`` and ``lags``: loss summed over purposes.
    lag_cost : float
        ``sum over quarters 1..H of (lags - keeps_pace) / 4``: extra expected loss over the
        horizon (each quarter is a quarter of a year at that quarter's annual rate), money.
    chart : altair.Chart
    chart_spec : dict
        Vega-Lite spec of ``chart``.
    n_updates : int
        Updates so far (1 after construction).
    sliders : dict[str, ipywidgets.FloatSlider]
        ``maturity_rate``, ``sprint_pace``, ``vulnerability``.
    widget : ipywidgets.VBox
        What the notebook displays.
    """

    def __init__(self, params: security.SecurityParams | None = None,
                 schedule: pd.DataFrame | None = None, *, purpose: str = "CT",
                 exposure=None) -> None:
        if purpose not in security.PURPOSES:
            raise ValueError(f"purpose must be one of {security.PURPOSES}, got {purpose!r}")
        self.base_params = params or security.SecurityParams.defaults()
        horizon = self.base_params.lag.horizon_quarters
        self.base_schedule = (schedule if schedule is not None else
                              security.sprint_pace_schedule(horizon, sprints_per_quarter=2.0,
                                                            growth_per_quarter=0.1))
        self.purpose = purpose
        self.exposure = exposure
        p = self.base_params
        options = slider_options(label_width_em=16, width_em=36)
        vul = p.purposes[purpose].vulnerability
        self._mount({
            "maturity_rate": widgets.FloatSlider(
                value=p.lag.maturity_rate, min=0.0, max=max(0.3, p.lag.maturity_rate), step=0.01,
                description="security maturity gain / quarter", readout_format=".0%", **options),
            "sprint_pace": widgets.FloatSlider(
                value=1.0, min=0.0, max=4.0, step=0.25, description="sprint pace (x roadmap)",
                readout_format=".2f", **options),
            "vulnerability": widgets.FloatSlider(
                value=vul.mode, min=0.01, max=0.9, step=0.01,
                description=f"{purpose} vulnerability (most likely)", readout_format=".2f",
                **options),
        })

    # -- callbacks ---------------------------------------------------------------------------
    def params_from_sliders(self) -> security.SecurityParams:
        """The base parameters with the maturity rate and the purpose's vulnerability applied."""
        base_vul = self.base_params.purposes[self.purpose].vulnerability
        mode = float(self.sliders["vulnerability"].value)
        vul = base_vul if abs(mode - base_vul.mode) < 1e-12 else vulnerability_with_mode(base_vul,
                                                                                         mode)
        return (self.base_params
                .with_lag(maturity_rate=float(self.sliders["maturity_rate"].value))
                .with_purpose(self.purpose, vulnerability=vul))

    def schedule_from_sliders(self) -> pd.DataFrame:
        """The base roadmap with ``sprints`` multiplied by the pace slider."""
        sched = self.base_schedule.copy()
        sched["sprints"] = sched["sprints"].astype(float) * float(self.sliders["sprint_pace"].value)
        return sched

    def update(self) -> None:
        """Recompute the lag curves with the slider values and refresh every stored output."""
        self.params = self.params_from_sliders()
        self.schedule = self.schedule_from_sliders()
        self.frame = security.security_lag(self.params, self.schedule, self.exposure)
        self.totals = self.frame.pivot_table(index="quarter", columns="scenario",
                                             values="expected_loss", aggfunc="sum")
        gap = self.totals["lags"] - self.totals["keeps_pace"]
        self.lag_cost = float(gap[gap.index > 0].sum() / 4.0)
        self.chart = chart_lag(self.frame, currency=self.params.currency)
        self.chart_spec = self.chart.to_dict()
        self._show(summary_html(self.totals, self.lag_cost, self.params.currency), self.chart)


def build_app(params: security.SecurityParams | None = None, schedule: pd.DataFrame | None = None,
              *, purpose: str = "CT", exposure=None) -> SecurityLagApp:
    """The security-lag teaching app, computed once with the starting values.

    Parameters
    ----------
    params : SecurityParams, optional
        Starting values (default: shipped defaults).
    schedule : DataFrame, optional
        Roadmap ``quarter, purpose, sprints`` (e.g. :func:`techseg_lib.strategy.sprint_roadmap`);
        default two sprints a quarter per purpose growing 10 % a quarter.
    purpose : {"IT", "OT", "CT"}, default "CT"
        Purpose whose vulnerability the third slider sets.
    exposure : dict, DataFrame or None
        Exposure today (see :func:`techseg_lib.security.security_lag`).
    """
    return SecurityLagApp(params, schedule, purpose=purpose, exposure=exposure)
