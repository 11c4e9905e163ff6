"""Disruptor-vs-alternative analysis: "should we try to be the disruptor?" for one client.

``run(config)`` turns the client config's ``strategy:`` section into
:class:`techseg_lib.strategy.StrategyParams`, points the sprints of the alternative path at the
organisation's purpose mix (from the segmentation analysis), simulates both paths and computes
everything the notebook ``disruptor_vs_alternative.ipynb`` shows: the summary that goes into
``summary.json``, the value distributions, the break-even maps, the sprint roadmap per purpose,
the parameters with their sources, and the recommendations in words.

Where each parameter comes from (first match wins):

1. the client config's ``strategy:`` section (explicit values always win, also for
   ``purpose_mix`` and ``seed``);
2. ``purpose_mix``: the segmentation's purpose shares by item count (effective purpose, i.e. the
   analyst's override where given); ``seed``: the config's top-level ``seed``;
3. the shipped defaults (``techseg_lib/data/strategy_defaults.yaml``, each with a source or
   marked as an assumption).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from .. import strategy
from ..config import ClientConfig
from ..errors import ConfigError
from ..reporting import safe_markdown

__all__ = ["MONEY_KEYS", "TIE_TOLERANCE", "StrategyAnalysis", "run", "segmentation_mix"]

MONEY_KEYS = ("payoff_on_success", "transformation_cost", "failure_cost",
              "sprint_value_per_week", "sprint_cost_per_week")
"""Config keys in money; if the config sets none of them the amounts are in budget units."""

TIE_TOLERANCE = 0.05
"""Expected values within 5 % of the larger one are reported as "about the same" (a wording
threshold, not a model parameter)."""

_BUDGET_UNITS = "budget units (the disruptor's investment = 1)"
_URL = re.compile(r"^https?://[A-Za-z0-9._~:/?#\[\]@!$&'*+,;=%-]+$")


def segmentation_mix(segmentation: Any) -> dict[str, float]:
    """Purpose shares by item count from a segmentation result, exact (sum to 1).

    Parameters
    ----------
    segmentation : SegmentationResult
        Output of :func:`techseg_lib.analyses.segmentation.run`; its ``summary()`` gives
        ``purpose_counts`` (the shares in ``purpose_shares`` are rounded to 4 places, so they
        are recomputed from the counts here).

    Returns
    -------
    dict
        ``{"IT": share, "OT": share, "CT": share}``, shares in [0, 1] summing to 1.

    Raises
    ------
    ConfigError
        The segmentation has no items (no mix to allocate sprints by).
    """
    counts = segmentation.summary()["purpose_counts"]
    total = sum(int(counts.get(p, 0)) for p in strategy.PURPOSES)
    if total <= 0:
        raise ConfigError("strategy.purpose_mix: the segmentation classified no items, so there "
                          "is no purpose mix. Fix: check the portfolio, or set strategy.purpose_mix "
                          "in the client config")
    return {p: int(counts.get(p, 0)) / total for p in strategy.PURPOSES}


def _fmt_money(x: float) -> str:
    return f"{x:,.2f}"


def _fmt_pct(x: float) -> str:
    return "n/a" if not math.isfinite(x) else f"{x:.0%}"


@dataclass(frozen=True)
class StrategyAnalysis:
    """Everything the disruptor-vs-alternative notebook shows, for one client.

    Money is in :attr:`money_unit`; probabilities in [0, 1].

    Attributes
    ----------
    config : ClientConfig
    params : StrategyParams
        The parameters simulated (config section, then segmentation mix and seed, then defaults).
    mix_source : {"config", "segmentation"}
        Where ``params.purpose_mix`` came from.
    segmentation_mix : dict
        The segmentation's purpose shares (IT, OT, CT); also given when the config's mix won
        and a segmentation was passed, empty when the config's mix won and none was.
    money_unit : str
        The client's currency when the config sets any amount (:data:`MONEY_KEYS`), else
        budget units normalised to the disruptor's investment.
    result : StrategyResult
        Simulated values, two arrays of shape (n_trials,).
    table : DataFrame
        :func:`techseg_lib.strategy.summary_frame`: one row per path (``path``, ``mean``,
        ``mean_se``, ``expected``, ``p_loss``, ``p5``, ``p95``).
    distribution : DataFrame
        :func:`techseg_lib.strategy.distribution_frame` of ``result`` (60 common bins per path).
    breakeven : DataFrame
        :func:`techseg_lib.strategy.breakeven_map` over success rate (0.05 .. 0.95) x
        competitors (0 .. max(20, client's)), plus cell edges for drawing: ``rate_start``,
        ``rate_end``, ``competitors_start``, ``competitors_end``.
    breakeven_line : DataFrame
        :func:`techseg_lib.strategy.breakeven_curve` on the same competitors: the success rate
        at which both paths have the same expected value (NaN where the disruptor never wins).
    stretch : DataFrame
        :func:`techseg_lib.strategy.breakeven_stretch` over stretch 0.5 .. max(3, 2 x limit).
    roadmap : DataFrame
        :func:`techseg_lib.strategy.sprint_roadmap`: one row per quarter and purpose.
    parameters : DataFrame
        :func:`techseg_lib.strategy.parameter_table` plus ``set_by`` ("client config",
        "segmentation", "client seed" or "default").
    definitions : DataFrame
        :func:`techseg_lib.strategy.success_definitions`.
    """

    config: ClientConfig
    params: strategy.StrategyParams
    mix_source: str
    segmentation_mix: dict
    money_unit: str
    result: strategy.StrategyResult
    table: pd.DataFrame
    distribution: pd.DataFrame
    breakeven: pd.DataFrame
    breakeven_line: pd.DataFrame
    stretch: pd.DataFrame
    roadmap: pd.DataFrame
    parameters: pd.DataFrame
    definitions: pd.DataFrame

    # -- the summary.json object ---------------------------------------------------------------
    def summary(self) -> dict:
        """The ``strategy`` object of ``summary.json``.

        Returns
        -------
        dict
            ``{"disruptor": {"mean", "p_loss", "p5", "p95"}, "alternative": {...},
            "p_alternative_wins": float}``; means and percentiles in :attr:`money_unit`,
            ``p_loss = P(value < 0)``, ``p_alternative_wins = P(alternative > disruptor)``.
        """
        return strategy.summarise(self.result)

    # -- derived figures -----------------------------------------------------------------------
    @property
    def breakeven_success_rate(self) -> float:
        """Transformation success rate above which the disruptor wins in expectation, at the
        client's number of competitors (0 if it always wins, NaN if it never does)."""
        return strategy.breakeven_success_rate(self.params)

    def stretch_window(self) -> tuple[float, float]:
        """Smallest and largest stretch on the :attr:`stretch` grid at which the alternative's
        expected value is at least the disruptor's; ``(nan, nan)`` if at none."""
        ok = self.stretch.loc[self.stretch["expected_difference"] >= 0, "stretch"]
        if ok.empty:
            return math.nan, math.nan
        return float(ok.min()), float(ok.max())

    def best_stretch(self) -> float:
        """Stretch on the :attr:`stretch` grid with the highest expected alternative value
        (the smallest such stretch on ties)."""
        i = int(np.argmax(self.stretch["expected_alternative"].to_numpy()))
        return float(self.stretch["stretch"].iloc[i])

    def purpose_plan(self) -> pd.DataFrame:
        """The roadmap per purpose over the horizon.

        Returns
        -------
        DataFrame
            One row per purpose (IT, OT, CT): ``share`` (of sprints in the mix), ``sprints``
            (total), ``sprint_weeks`` (total weeks of sprinting), ``first_quarter`` (1-based;
            0 when the purpose gets no sprint), ``expected_value`` (money).
        """
        r = self.roadmap
        weeks = r["sprints"] * r["sprint_length_weeks"]
        grouped = pd.DataFrame({"purpose": r["purpose"], "sprints": r["sprints"],
                                "sprint_weeks": weeks, "expected_value": r["expected_value"],
                                "first": np.where(r["sprints"] > 0, r["quarter"], np.iinfo(np.int64).max)})
        agg = grouped.groupby("purpose", sort=False).agg(
            sprints=("sprints", "sum"), sprint_weeks=("sprint_weeks", "sum"),
            expected_value=("expected_value", "sum"), first=("first", "min"))
        agg = agg.reindex(list(strategy.PURPOSES))
        first = agg["first"].to_numpy()
        return pd.DataFrame({
            "purpose": pd.Series(list(strategy.PURPOSES), dtype="str"),
            "share": [float(self.params.purpose_mix[p]) for p in strategy.PURPOSES],
            "sprints": agg["sprints"].to_numpy().astype(np.int64),
            "sprint_weeks": agg["sprint_weeks"].to_numpy().astype(float),
            "first_quarter": np.where(first == np.iinfo(np.int64).max, 0, first).astype(np.int64),
            "expected_value": agg["expected_value"].to_numpy().astype(float),
        })

    def results_table(self) -> pd.DataFrame:
        """The summary for display: one row per path, values formatted as text.

        Returns
        -------
        DataFrame
            Index ``path`` (the paths' labels); columns ``average value``, ``exact expected
            value`` (closed form), ``chance of a loss``, ``worst 5 % at or below``, ``best 5 %
            at or above`` (money in :attr:`money_unit`, shares as percentages).
        """
        labels = {"disruptor": "disruptor: one transformation",
                  "alternative": "alternative: sprints by purpose"}
        t = self.table
        return pd.DataFrame({
            "average value": [_fmt_money(x) for x in t["mean"]],
            "exact expected value": [_fmt_money(x) for x in t["expected"]],
            "chance of a loss": [f"{x:.1%}" for x in t["p_loss"]],
            "worst 5 % at or below": [_fmt_money(x) for x in t["p5"]],
            "best 5 % at or above": [_fmt_money(x) for x in t["p95"]],
        }, index=pd.Index([labels[p] for p in t["path"]], name="path"))

    def parameters_view(self) -> pd.DataFrame:
        """:attr:`parameters` for display: ``parameter``, ``value`` (purpose mappings written
        as "IT 69%, OT 7%, CT 24%"), ``unit``, ``set_by``, ``basis``, ``confidence``,
        ``source`` (title, or the assumption's rationale). Links are in :meth:`base_rates`."""
        view = self.parameters[["parameter", "value", "unit", "set_by", "basis", "confidence",
                                "source"]].reset_index(drop=True)
        mix = ", ".join(f"{p} {self.params.purpose_mix[p]:.0%}" for p in strategy.PURPOSES)
        mult = ", ".join(f"{p} {self.params.purpose_value_multiplier[p]:g}"
                         for p in strategy.PURPOSES)
        values = view["value"].to_numpy(copy=True)
        values[(view["parameter"] == "purpose_mix").to_numpy()] = mix
        values[(view["parameter"] == "purpose_value_multiplier").to_numpy()] = mult
        view["value"] = pd.Series(values, dtype="str")
        return view

    def base_rates(self) -> pd.DataFrame:
        """The cited figures behind the defaults (never the assumptions).

        Returns
        -------
        DataFrame
            Columns ``figure``, ``value``, ``used_as`` (parameter or "success definition"),
            ``source``, ``url``, ``confidence``, ``caveat``: the sourced parameters, then every
            definition of transformation success.
        """
        p = self.parameters[self.parameters["basis"] == "source"]
        shipped = strategy.load_defaults()["parameters"]
        rows = []
        for row in p.itertuples():
            entry = shipped[row.parameter]
            value = entry["value"]
            shown = (f"{value:.0%}" if row.unit == "probability"
                     else f"{value:g} {row.unit}")
            rows.append({"figure": str(entry.get("description", row.parameter)), "value": shown,
                         "used_as": row.parameter, "source": row.source, "url": row.url,
                         "confidence": row.confidence, "caveat": row.caveat})
        for row in self.definitions.itertuples():
            rows.append({"figure": f"transformation success: {row.description}",
                         "value": f"{row.success_rate:.0%}",
                         "used_as": f"success definition {row.definition}",
                         "source": row.source, "url": row.url, "confidence": row.confidence,
                         "caveat": row.caveat})
        return pd.DataFrame(rows, columns=["figure", "value", "used_as", "source", "url",
                                           "confidence", "caveat"])

    # -- narrative (Markdown; every value from data passes through safe_markdown) ---------------
    def base_rates_markdown(self) -> str:
        """:meth:`base_rates` as a Markdown table with links (text escaped, URLs checked)."""
        lines = ["| figure | value | used as | source | confidence |",
                 "| --- | --- | --- | --- | --- |"]
        for r in self.base_rates().itertuples():
            src = safe_markdown(r.source)
            if _URL.match(r.url):
                src = f"[{src}]({r.url.replace('(', '%28').replace(')', '%29')})"
            if r.caveat:
                src += f" *Caveat: {safe_markdown(r.caveat)}*"
            lines.append(f"| {safe_markdown(r.figure)} | {safe_markdown(r.value)} | "
                         f"`{r.used_as}` | {src} | {safe_markdown(r.confidence)} |")
        return "\n".join(lines)

    def headline(self) -> str:
        """The answer in one Markdown paragraph."""
        s = self.summary()
        d, a = s["disruptor"], s["alternative"]
        u = safe_markdown(self.money_unit)
        return (f"**Over {self.params.horizon_quarters} quarters the segmented sprints end ahead "
                f"of the disruptor bet in {_fmt_pct(s['p_alternative_wins'])} of simulated "
                f"futures.** The disruptor loses money in {_fmt_pct(d['p_loss'])} of them, the "
                f"sprints in {_fmt_pct(a['p_loss'])}. On average the disruptor returns "
                f"{_fmt_money(d['mean'])} and the sprints {_fmt_money(a['mean'])} ({u}): "
                f"{self.comparison()}.")

    def comparison(self) -> str:
        """How the expected values compare, in words, from the closed forms: "about the same"
        when they differ by at most :data:`TIE_TOLERANCE` of the larger magnitude."""
        e = strategy.expected_values(self.params)
        d, a = e["disruptor"], e["alternative"]
        scale = max(abs(d), abs(a))
        if scale == 0 or abs(a - d) <= TIE_TOLERANCE * scale:
            return "about the same expected value"
        if a > d:
            return "the sprints have the higher expected value"
        return "the disruptor has the higher expected value"

    def findings(self) -> list[str]:
        """The numbers behind the answer, as Markdown sentences."""
        s = self.summary()
        d, a = s["disruptor"], s["alternative"]
        p = self.params
        be = self.breakeven_success_rate
        out = [
            f"Downside: in the worst 5 % of futures the disruptor ends at or below "
            f"{_fmt_money(d['p5'])}, the sprints at or below {_fmt_money(a['p5'])}.",
            f"Upside: in the best 5 % the disruptor ends at or above {_fmt_money(d['p95'])}, "
            f"the sprints at or above {_fmt_money(a['p95'])}. The disruptor is a lottery ticket; "
            f"the sprints are a portfolio of small bets.",
        ]
        if math.isnan(be):
            out.append(f"With {p.competitors} competitors the disruptor does not beat the sprints "
                       "in expectation at any transformation success rate.")
        elif be <= 0:
            out.append(f"With {p.competitors} competitors the disruptor beats the sprints in "
                       "expectation at any transformation success rate.")
        else:
            out.append(f"Break-even: with {p.competitors} competitors the transformation has to "
                       f"succeed more than {be:.1%} of the time for the disruptor to win in "
                       f"expectation; the cited rate used here is "
                       f"{_fmt_pct(p.transformation_success_rate)} "
                       f"(definition: {safe_markdown(p.success_definition)}).")
        return out

    def actions(self) -> list[str]:
        """What to do, as Markdown sentences: where the sprints go and how far to stretch."""
        p = self.params
        plan = self.purpose_plan()
        parts = [f"{r.purpose} {r.sprints} sprints from quarter {r.first_quarter}"
                 for r in plan.itertuples() if r.sprints > 0]
        none = [r.purpose for r in plan.itertuples() if r.sprints == 0]
        source = ("the client config" if self.mix_source == "config"
                  else "the segmentation's purpose mix")
        out = [f"Run sprints by purpose, following {source}: " + "; ".join(parts) + "."
               + (f" {', '.join(none)} gets no sprint at this mix: revisit it when the mix "
                  "changes." if none else "")]
        s0, s1 = p.sprints_per_quarter_start, p.sprints_per_quarter_max
        w0, w1 = p.sprint_weeks_start, p.sprint_weeks_max
        out.append(f"Start small and grow: {s0} sprints of {w0:g} weeks in the first quarter, "
                   f"growing to {s1} sprints of {w1:g} weeks as capability grows.")
        lo, hi = self.stretch_window()
        limit = f"Keep each sprint a stretch but not ridiculous: at most {p.stretch_limit:g} " \
                f"times past velocity (now {p.stretch:g}; the best stretch on the grid is " \
                f"{self.best_stretch():g})."
        if math.isnan(lo):
            limit += " At no stretch do the sprints match the disruptor's expected value here."
        else:
            limit += (f" The sprints match or beat the disruptor's expected value for stretches "
                      f"from {lo:g} to {hi:g}.")
        out.append(limit)
        be = self.breakeven_success_rate
        if math.isfinite(be) and be > 0:
            out.append(f"Revisit the disruptor bet only with evidence that this transformation "
                       f"would succeed more than {be:.1%} of the time, or that fewer "
                       f"than {p.competitors} competitors are chasing the same prize.")
        return out


def _parameters(params: strategy.StrategyParams, config: ClientConfig, mix_source: str,
                seed_source: str) -> pd.DataFrame:
    table = strategy.parameter_table(params)
    set_by = np.where(table["parameter"].isin(list(config.strategy)), "client config", "default")
    set_by = np.where((table["parameter"] == "purpose_mix") & (mix_source == "segmentation"),
                      "segmentation", set_by)
    set_by = np.where((table["parameter"] == "seed") & (seed_source == "config.seed"),
                      "client seed", set_by)
    table["set_by"] = pd.Series(set_by, dtype="str")
    return table


def _with_edges(grid: pd.DataFrame, rates: np.ndarray) -> pd.DataFrame:
    half = float(np.min(np.diff(rates))) / 2 if len(rates) > 1 else 0.025
    out = grid.copy()
    out["rate_start"] = out["transformation_success_rate"] - half
    out["rate_end"] = out["transformation_success_rate"] + half
    out["competitors_start"] = out["competitors"] - 0.5
    out["competitors_end"] = out["competitors"] + 0.5
    return out


def run(config: ClientConfig, segmentation: Any = None, *, stretch_trials: int = 20_000
        ) -> StrategyAnalysis:
    """Run the disruptor-vs-alternative analysis for one client config.

    Parameters
    ----------
    config : ClientConfig
        The client config; its ``strategy:`` section overrides the shipped defaults and its
        ``seed`` seeds the simulation unless the section sets ``seed`` itself.
    segmentation : SegmentationResult, optional
        Output of :func:`techseg_lib.analyses.segmentation.run`, whose purpose mix sets where
        the sprints go (unless the config's ``strategy.purpose_mix`` is given: explicit wins).
        Default: the segmentation is run here.
    stretch_trials : int
        Trials per stretch of the break-even over stretch (26+ stretches, common random numbers;
        the expected values there are exact, only ``p_alternative_wins`` is sampled).

    Returns
    -------
    StrategyAnalysis

    Raises
    ------
    ConfigError
        The ``strategy:`` section is invalid (the message names ``strategy.<key>``).
    """
    params = config.strategy_params()
    section = config.strategy
    if "purpose_mix" in section:
        mix_source = "config"
        seg_mix = {}
        if segmentation is not None:
            seg_mix = segmentation_mix(segmentation)
    else:
        if segmentation is None:
            from . import segmentation as seg_analysis
            segmentation = seg_analysis.run(config)
        seg_mix = segmentation_mix(segmentation)
        mix_source = "segmentation"
        params = strategy.with_purpose_mix(params, seg_mix)
    seed_source = "strategy.seed" if "seed" in section else "config.seed"
    if seed_source == "config.seed":
        params = replace(params, seed=int(config.seed))
    money_unit = (config.currency if any(k in section for k in MONEY_KEYS) else _BUDGET_UNITS)

    result = strategy.simulate(params)
    rates = np.round(np.arange(0.05, 0.951, 0.05), 10)
    comps = np.arange(0, max(20, params.competitors) + 1)
    grid = strategy.breakeven_map(params, success_rates=rates, competitors=comps)
    limit_top = max(3.0, 2.0 * params.stretch_limit, params.stretch)
    stretches = np.round(np.arange(0.5, limit_top + 1e-9, 0.1), 10)
    return StrategyAnalysis(
        config=config, params=params, mix_source=mix_source, segmentation_mix=seg_mix,
        money_unit=money_unit, result=result, table=strategy.summary_frame(result),
        distribution=strategy.distribution_frame(result, bins=60),
        breakeven=_with_edges(grid, rates),
        breakeven_line=strategy.breakeven_curve(params, comps),
        stretch=strategy.breakeven_stretch(params, stretches, n_trials=stretch_trials),
        roadmap=strategy.sprint_roadmap(params),
        parameters=_parameters(params, config, mix_source, seed_source),
        definitions=strategy.success_definitions(),
    )
