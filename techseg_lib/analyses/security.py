"""Security-consequence analysis: what a breach costs in each purpose, and the cost of lagging.

``run(config)`` takes the client's segmented portfolio (its items, by effective purpose and
criticality), turns it into each purpose's exposure, simulates a year of loss events many times
(:func:`techseg_lib.security.simulate`: compound frequency-severity in FAIR's six forms of loss),
scores every item on a 5x5 likelihood x impact map and projects, over the strategy horizon, the
expected annual loss when security keeps pace with the alternative path's sprints and when it
lags (:func:`techseg_lib.security.security_lag`, driven by
:func:`techseg_lib.strategy.sprint_roadmap` with the segmentation's purpose mix).

Everything the notebook shows is computed here, including its sentences with numbers; the
notebook only calls, draws and narrates. Money is in ``params.currency`` (the shipped defaults
are in USD, the currency of the cited studies), per year unless stated.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import archetypes, security
from .. import strategy as strategy_model
from ..config import ClientConfig
from ..reporting import safe_markdown
from ..security import FORMS, PURPOSES, SecurityParams, SecurityResult

__all__ = [
    "CRITICALITY_SYNONYMS", "DEFAULT_TRIALS", "FORM_LABELS", "CONSEQUENCES", "SecurityAnalysis",
    "format_money", "normalise_criticality", "run",
]

DEFAULT_TRIALS = 100_000
"""Simulated years when ``run(n_trials=...)`` does not say otherwise."""

_MAX_TRIALS = 10_000_000

FORM_LABELS: dict[str, str] = {
    "productivity": "productivity (downtime, disablement)",
    "response": "response (forensics, notification)",
    "replacement": "replacement (equipment, systems)",
    "fines_and_judgements": "fines and judgements",
    "competitive_advantage": "competitive advantage (knowledge stolen)",
    "reputation": "reputation (lost business)",
}
"""FAIR's six forms of loss in words, for tables and legends."""

CONSEQUENCES: dict[str, str] = {
    "CT": "customer data made public and the reputation that goes with it",
    "OT": "production, or the orchestration of services, brought to a stop",
    "IT": "organisational knowledge stolen, and the organisation disabled for a period",
}
"""What a breach means in each purpose (the essay's consequence mapping)."""

CRITICALITY_SYNONYMS: Mapping[str, str] = {
    # ServiceNow business_criticality: 1 is the most critical -> the tier scale (tier 1 = most)
    "1_most_critical": "tier_1",
    "2_somewhat_critical": "tier_2",
    "3_less_critical": "tier_3",
    "4_not_critical": "tier_4",
    # LeanIX businessCriticality (camelCase; folded without separators)
    "missioncritical": "mission_critical",
    "businesscritical": "business_critical",
    "businessoperational": "medium",
    "administrativeservice": "low",
}
"""Criticality labels of common exports -> a label of the shipped ``criticality_weights``.

ASSUMPTION (a translation, not a new number; the weights stay those of
``security_defaults.yaml``): ServiceNow's four levels read as tiers 1-4, LeanIX's four levels as
mission critical, business critical, medium and low. A label the client config weights itself
(``security.criticality_weights``) is never translated.
"""


# ------------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------------

def format_money(value: float, currency: str = "USD") -> str:
    """Money in words for a client: ``"USD 1.2 m"``, ``"USD 350 k"``, ``"USD 900"``.

    The spaces are no-break spaces (U+00A0), so a table cell never wraps inside an amount.

    Parameters
    ----------
    value : float
        Amount (money, any sign).
    currency : str
        Label put in front.
    """
    if value is None or not math.isfinite(float(value)):
        return f"{currency} n/a"
    v = float(value)
    sign = "-" if v < 0 else ""
    a = abs(v)
    if a >= 1e9:
        text = f"{a / 1e9:.1f} bn"
    elif a >= 1e6:
        text = f"{a / 1e6:.1f} m"
    elif a >= 1e3:
        text = f"{a / 1e3:.0f} k"
    else:
        text = f"{a:.0f}"
    return f"{sign}{currency}\u00a0{text}".replace(" ", "\u00a0")


def normalise_criticality(items: pd.DataFrame, params: SecurityParams) -> pd.DataFrame:
    """A copy of ``items`` whose criticality labels from known exports are translated.

    Only labels the parameters do not know are looked up in :data:`CRITICALITY_SYNONYMS`
    (folded: lower case, separators to ``_``; also with the separators dropped, for camelCase
    labels). Labels neither known nor translatable are left as they are, so
    :func:`techseg_lib.security.criticality_weights` still reports them with its fix.

    Parameters
    ----------
    items : DataFrame
        With an optional ``criticality`` column.
    params : SecurityParams

    Returns
    -------
    DataFrame
        Same index and columns; ``criticality`` possibly relabelled.
    """
    if "criticality" not in items.columns:
        return items
    known = params.criticality_weights
    lookup: dict[Any, Any] = {}
    for raw in pd.unique(items["criticality"].dropna()):
        folded = security._fold(raw)  # the model's own folding, so both sides agree
        if folded in known:
            continue
        target = CRITICALITY_SYNONYMS.get(folded) or CRITICALITY_SYNONYMS.get(
            folded.replace("_", ""))
        if target is not None and target in known:
            lookup[raw] = target
    if not lookup:
        return items
    out = items.copy()
    column = out["criticality"]
    out["criticality"] = column.map(lambda v: lookup.get(v, v)).astype(column.dtype)
    return out


def _strategy_params(config: ClientConfig, items: pd.DataFrame):
    """``config.strategy_params()`` with the sprints spread by the segmentation's purpose mix.

    A ``purpose_mix`` the client config sets explicitly wins over the segmentation's.
    """
    params = config.strategy_params()
    if "purpose_mix" in (config.strategy or {}):
        return params
    return strategy_model.with_purpose_mix(params, archetypes.purpose_mix(items, by="count"))


def _roadmap(config: ClientConfig, items: pd.DataFrame, strategy: Any) -> tuple[pd.DataFrame, int]:
    """The sprint roadmap (``quarter, purpose, sprints``) and the horizon in quarters."""
    if strategy is None:
        params = _strategy_params(config, items)
    elif isinstance(strategy, strategy_model.StrategyParams):
        params = strategy
    elif isinstance(getattr(strategy, "params", None), strategy_model.StrategyParams):
        params = strategy.params
    elif isinstance(strategy, pd.DataFrame):
        if not {"quarter", "purpose", "sprints"} <= set(strategy.columns) or strategy.empty:
            raise TypeError("a roadmap frame needs rows and the columns quarter, purpose, sprints")
        roadmap = strategy[["quarter", "purpose", "sprints"]].reset_index(drop=True)
        return roadmap, int(roadmap["quarter"].max())
    else:
        raise TypeError("strategy must be None, StrategyParams, an object with a StrategyParams "
                        f"'params' attribute, or a roadmap DataFrame; got {type(strategy).__name__}")
    roadmap = strategy_model.sprint_roadmap(params)
    return roadmap[["quarter", "purpose", "sprints"]], int(params.horizon_quarters)


# ------------------------------------------------------------------------------------------------
# Result
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SecurityAnalysis:
    """Everything the security notebook shows.

    Attributes
    ----------
    config : ClientConfig
    params : SecurityParams
        From ``config.security_params()``.
    items : DataFrame, shape (n_items, k)
        The segmentation's canonical items (``purpose`` = effective purpose), criticality labels
        of known exports translated (:func:`normalise_criticality`).
    exposure : dict
        Exposure per purpose (``>= 0``; 1 = the reference estate of the defaults).
    result : SecurityResult
        The simulation (``n_trials`` simulated years, seeded by ``config.seed``).
    table : DataFrame
        :func:`techseg_lib.security.summarise`: rows IT, OT, CT, total; ``mean``, ``p90``,
        ``p99`` (money a year), ``dominant_form``, ``mean_loss_events``, ``p_any_loss``.
    moments : DataFrame
        Closed-form mean and variance (:func:`techseg_lib.security.annual_loss_moments`).
    exceedance : DataFrame
        Loss exceedance curves: ``purpose`` (IT, OT, CT, total), ``loss`` (> 0, money a year),
        ``probability_of_exceedance``.
    by_form : DataFrame
        Mean annual loss per purpose and form: ``purpose``, ``form``, ``form_label``,
        ``form_order`` (0-5), ``mean_loss``, ``share``.
    scored : DataFrame
        Each item's likelihood and impact scores (:func:`techseg_lib.security.score_items`).
    heatmap : DataFrame
        25 cells: ``likelihood``, ``impact`` (1-5), ``n_items``, ``items`` (names; client text).
    roadmap : DataFrame
        Sprints per quarter and purpose (``quarter``, ``purpose``, ``sprints``).
    horizon_quarters : int
        Quarters projected (the strategy horizon).
    lag : DataFrame
        :func:`techseg_lib.security.security_lag`: ``quarter`` (0..H), ``scenario``,
        ``purpose``, ``expected_loss`` (money a year), ``exposure``, ``uncovered_exposure``.
    lag_totals : DataFrame
        One row per quarter: ``quarter``, ``keeps_pace``, ``lags`` (expected annual loss summed
        over purposes) and ``gap`` (``lags - keeps_pace``, >= 0).
    """

    config: ClientConfig
    params: SecurityParams
    items: pd.DataFrame
    exposure: Mapping[str, float]
    result: SecurityResult
    table: pd.DataFrame
    moments: pd.DataFrame
    exceedance: pd.DataFrame
    by_form: pd.DataFrame
    scored: pd.DataFrame
    heatmap: pd.DataFrame
    roadmap: pd.DataFrame
    horizon_quarters: int
    lag: pd.DataFrame
    lag_totals: pd.DataFrame

    # -- figures ---------------------------------------------------------------------------------
    @property
    def currency(self) -> str:
        """Currency of every amount (``params.currency``)."""
        return self.params.currency

    @property
    def n_trials(self) -> int:
        """Simulated years."""
        return self.result.n_trials

    @property
    def lag_cost(self) -> float:
        """Extra expected loss over the horizon when security lags (money).

        Each quarter ``1..H`` is a quarter of a year at that quarter's annual rate, so the cost
        is ``sum of gap / 4``.
        """
        gap = self.lag_totals.loc[self.lag_totals["quarter"] > 0, "gap"]
        return float(gap.sum() / 4.0)

    @property
    def keeps_pace_cost(self) -> float:
        """Expected loss over the horizon when security keeps pace (money), same basis."""
        rows = self.lag_totals["quarter"] > 0
        return float(self.lag_totals.loc[rows, "keeps_pace"].sum() / 4.0)

    def lag_by_purpose(self) -> pd.DataFrame:
        """Extra expected loss over the horizon when security lags, per purpose.

        Returns
        -------
        DataFrame
            ``purpose`` (IT, OT, CT), ``keeps_pace`` and ``lags`` (expected loss over the
            horizon, money), ``lag_cost`` (their difference, >= 0), ``lag_share`` (of
            ``keeps_pace``; NaN when that is 0).
        """
        frame = self.lag[self.lag["quarter"] > 0]
        wide = frame.pivot_table(index="purpose", columns="scenario", values="expected_loss",
                                 aggfunc="sum").reindex(list(PURPOSES)) / 4.0
        out = pd.DataFrame({"purpose": list(PURPOSES),
                            "keeps_pace": wide["keeps_pace"].to_numpy(dtype=float),
                            "lags": wide["lags"].to_numpy(dtype=float)})
        out["lag_cost"] = out["lags"] - out["keeps_pace"]
        base = out["keeps_pace"].where(out["keeps_pace"] > 0)
        out["lag_share"] = out["lag_cost"] / base
        return out

    def summary(self) -> dict:
        """The ``security`` object of ``summary.json``.

        Returns
        -------
        dict
            ``{"currency": str, "IT"|"OT"|"CT"|"total": {"mean_annual_loss": float,
            "p90": float, "p99": float, "dominant_form": str or None}}``: money a year,
            rounded to cents; the dominant form is one of :data:`techseg_lib.security.FORMS`
            (None when a purpose has no exposure).
        """
        out: dict[str, Any] = {"currency": self.currency}
        for row in self.table.itertuples(index=False):
            out[str(row.purpose)] = {
                "mean_annual_loss": round(float(row.mean), 2),
                "p90": round(float(row.p90), 2),
                "p99": round(float(row.p99), 2),
                "dominant_form": None if row.dominant_form is None else str(row.dominant_form),
            }
        return out

    # -- text and tables for the notebook -------------------------------------------------------
    def intro_markdown(self) -> str:
        """Who, how many simulated years, the seed and the currency (Markdown, client text escaped).

        Says so when the client's reporting currency differs from the model's: the loss figures
        are not converted.
        """
        cur = safe_markdown(self.currency)
        text = (f"**{safe_markdown(self.config.client)}**: {self.n_trials:,} simulated years "
                f"(seed {self.config.seed}); {len(self.items):,} items. Amounts are in {cur}.")
        if self.config.currency != self.currency:
            text += (f" The report's currency is {safe_markdown(self.config.currency)}, but the "
                     f"loss figures stay in {cur}, the currency of the studies they rest on; "
                     "set `security.currency` and the ranges in the client config to change "
                     "that.")
        return text

    def heatmap_scale_text(self) -> str:
        """What the likelihood and impact scores 1-5 mean (Markdown), from ``params.heatmap``."""
        like = self.params.heatmap.likelihood_thresholds
        imp = self.params.heatmap.impact_thresholds
        cur = self.currency

        def bands(cuts, fmt):
            edges = [fmt(c) for c in cuts]
            return ", ".join([f"1 below {edges[0]}",
                              *(f"{i + 2} from {a} to {b}" for i, (a, b) in
                                enumerate(zip(edges, edges[1:]))),
                              f"5 from {edges[-1]}"])

        return (f"**Likelihood** is an item's chance of at least one loss event a year (its share "
                f"of its purpose's loss events, weighted by criticality): "
                f"{bands(like, lambda c: f'{c:.1%}')}. **Impact** is the mean loss of one loss "
                f"event in the item's purpose, all six forms together: "
                f"{bands(imp, lambda c: format_money(c, cur))}.")

    def headline(self) -> pd.DataFrame:
        """Headline table for a client: one row per purpose and the total, money in words.

        Returns
        -------
        DataFrame
            Index ``purpose`` (IT, OT, CT, total); columns ``exposure``, ``loss events a year``,
            ``chance of a loss year``, ``mean annual loss``, ``P90``, ``P99``,
            ``dominant form of loss`` (all text).
        """
        cur = self.currency
        rows = []
        for row in self.table.itertuples(index=False):
            p = str(row.purpose)
            exposure = self.exposure.get(p)
            rows.append({
                "purpose": p,
                "exposure": "" if exposure is None else f"{exposure:.2f}",
                "loss events a year": f"{row.mean_loss_events:.2f}",
                "chance of a loss year": f"{row.p_any_loss:.0%}",
                "mean annual loss": format_money(row.mean, cur),
                "P90": format_money(row.p90, cur),
                "P99": format_money(row.p99, cur),
                "dominant form of loss": ("none" if row.dominant_form is None
                                          else FORM_LABELS[row.dominant_form]),
            })
        return pd.DataFrame(rows).set_index("purpose")

    def consequence_text(self) -> str:
        """One Markdown paragraph per purpose: what a breach means there and what it costs.

        Only library text and numbers; no client text.
        """
        cur = self.currency
        table = self.table.set_index("purpose")
        forms = self.by_form.set_index(["purpose", "form"])
        lines = []
        for p in ("CT", "OT", "IT"):
            row = table.loc[p]
            if row["dominant_form"] is None or row["mean"] <= 0:
                lines.append(f"- **{p}**: no {p} items in the portfolio, so no {p} loss is "
                             "simulated.")
                continue
            dom = row["dominant_form"]
            second = (forms.loc[p].drop(index=dom)["mean_loss"].idxmax())
            share = float(forms.loc[(p, dom), "share"])
            if row["p90"] > 0:
                tail = (f"one year in ten costs more than {format_money(row['p90'], cur)} and "
                        f"one in a hundred more than {format_money(row['p99'], cur)}")
            else:
                tail = (f"{1 - row['p_any_loss']:.0%} of years pass without a {p} loss event, "
                        f"but one in a hundred costs more than {format_money(row['p99'], cur)}")
            lines.append(
                f"- **{p}**: a breach means {CONSEQUENCES[p]}. Expected loss "
                f"{format_money(row['mean'], cur)} a year; {tail}. The largest form of loss is "
                f"{FORM_LABELS[dom]} ({share:.0%} of the mean), then {FORM_LABELS[second]}.")
        return "\n".join(lines)

    def lag_text(self) -> str:
        """The cost of lag in words (Markdown), from :attr:`lag_totals` and :meth:`lag_by_purpose`."""
        cur = self.currency
        h = self.horizon_quarters
        totals = self.lag_totals.set_index("quarter")
        last = totals.loc[h]
        cost = self.lag_cost
        base = self.keeps_pace_cost
        share = cost / base if base > 0 else float("nan")
        per = self.lag_by_purpose()
        worst = per.sort_values("lag_cost", ascending=False).iloc[0]
        sprints = float(self.roadmap["sprints"].sum())
        lag = self.params.lag
        text = (
            f"Over the next {h} quarters the alternative path's roadmap runs {sprints:,.0f} "
            f"sprints, each putting about {lag.items_per_sprint:g} new technology item"
            f"{'' if lag.items_per_sprint == 1 else 's'} into use. If security keeps pace, every "
            f"new item is covered at once and maturity cuts vulnerability by "
            f"{lag.maturity_rate:.0%} a quarter: the expected annual loss moves from "
            f"{format_money(totals.loc[0, 'keeps_pace'], cur)} today to "
            f"{format_money(last['keeps_pace'], cur)} in quarter {h}. If security lags "
            f"{lag.lag_quarters} quarter{'' if lag.lag_quarters == 1 else 's'} behind the "
            f"sprints (new items are not yet assessed or protected), it reaches "
            f"{format_money(last['lags'], cur)} instead.\n\n"
            f"**The cost of lag over the {h} quarters: {format_money(cost, cur)} of extra "
            f"expected loss**")
        if math.isfinite(share):
            text += f", {share:.0%} more than the {format_money(base, cur)} expected when it keeps pace"
        text += "."
        if worst["lag_cost"] > 0:
            text += (f" Most of it falls on {worst['purpose']} "
                     f"({format_money(worst['lag_cost'], cur)}), where a breach means "
                     f"{CONSEQUENCES[str(worst['purpose'])]}.")
        return text

    def heatmap_cells(self, min_score: int = 0, max_names: int = 12) -> pd.DataFrame:
        """Occupied heat-map cells with their items, riskiest first.

        Parameters
        ----------
        min_score : int
            Keep cells with ``likelihood * impact >= min_score`` (1-25).
        max_names : int
            Names listed per cell; the rest are counted ("… and 7 more").

        Returns
        -------
        DataFrame
            ``likelihood``, ``impact``, ``score`` (product), ``n_items``, ``items`` (names
            joined by "; "; client text, unescaped: display through pandas or escape it).
        """
        scored = self.scored.copy()
        scored["score"] = scored["likelihood"] * scored["impact"]
        scored = scored[scored["score"] >= min_score]
        rows = []
        for (li, im), group in scored.groupby(["likelihood", "impact"], sort=True):
            names = list(map(str, group["name"]))
            listed = "; ".join(names[:max_names])
            if len(names) > max_names:
                listed += f" … and {len(names) - max_names} more"
            rows.append({"likelihood": int(li), "impact": int(im), "score": int(li * im),
                         "n_items": len(names), "items": listed})
        out = pd.DataFrame(rows, columns=["likelihood", "impact", "score", "n_items", "items"])
        return out.sort_values(["score", "likelihood"], ascending=False, ignore_index=True)

    def heatmap_markdown(self, min_score: int = 0, max_names: int = 12) -> str:
        """:meth:`heatmap_cells` as a Markdown list, item names escaped (client text)."""
        cells = self.heatmap_cells(min_score, max_names)
        if cells.empty:
            return "No item reaches this score."
        return "\n".join(
            f"- likelihood {r.likelihood} x impact {r.impact} ({r.n_items} item"
            f"{'s' if r.n_items != 1 else ''}): {safe_markdown(r.items)}"
            for r in cells.itertuples(index=False))

    def sources(self) -> pd.DataFrame:
        """The cited figures behind the defaults, one row per source.

        Returns
        -------
        DataFrame
            ``source`` (title), ``figure`` (what it says), ``confidence`` (P, P-m or S),
            ``caveat``, ``url``, ``used_for`` (the default keys that cite it).
        """
        raw = security.load_defaults()
        cited = [(key, entry.get("sources", [])) for key, entry in security._iter_entries(raw)]
        rows = []
        for sid, src in raw["sources"].items():
            keys = [key for key, ids in cited if sid in ids]
            rows.append({"source": src["title"], "figure": src.get("figure", ""),
                         "confidence": src["confidence"], "caveat": src.get("caveat", ""),
                         "url": src["url"], "used_for": ", ".join(keys)})
        return pd.DataFrame(rows)

    def sources_markdown(self) -> str:
        """:meth:`sources` as a Markdown list with links (shipped data, text escaped)."""
        lines = []
        for r in self.sources().itertuples(index=False):
            url = str(r.url)
            ok = url.startswith(("https://", "http://")) and not any(c in url for c in " <>()")
            title = safe_markdown(r.source)
            line = f"- [{title}]({url})" if ok else f"- {title}"
            line += f" ({safe_markdown(r.confidence)}): {safe_markdown(r.figure)}."
            if r.caveat:
                line += f" *Caveat: {safe_markdown(r.caveat)}.*"
            if r.used_for:
                line += f" Anchors: {safe_markdown(r.used_for)}."
            lines.append(line)
        return "\n".join(lines)

    def ranges_table(self) -> pd.DataFrame:
        """:meth:`ranges` for display: money in words, probabilities as percentages (text)."""
        table = self.ranges()
        out = table[["purpose", "input"]].copy()
        is_money = table["input"].str.startswith("loss per event").to_numpy()
        is_prob = (table["input"] == "vulnerability").to_numpy()
        for col in ("min", "most likely", "max", "mean"):
            values = table[col].to_numpy(dtype=float)
            out[col] = [format_money(v, self.currency) if m else (f"{v:.1%}" if pr else f"{v:.2f}")
                        for v, m, pr in zip(values, is_money, is_prob)]
        return out.set_index(["purpose", "input"])

    def ranges(self) -> pd.DataFrame:
        """The ranges in use per purpose (after the client's overrides), one row per input.

        Returns
        -------
        DataFrame
            ``purpose``, ``input`` (threat events a year, vulnerability, or a form of loss per
            event), ``min``, ``most likely``, ``max``, ``mean`` (PERT).
        """
        rows = []
        for p in PURPOSES:
            prof = self.params.purposes[p]
            items = [("threat events a year (at exposure 1)", prof.threat_event_frequency),
                     ("vulnerability", prof.vulnerability)]
            items += [(f"loss per event: {FORM_LABELS[f]}", prof.loss[f]) for f in FORMS]
            for name, r in items:
                rows.append({"purpose": p, "input": name, "min": r.min, "most likely": r.mode,
                             "max": r.max, "mean": r.mean})
        return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------
# Run
# ------------------------------------------------------------------------------------------------

def run(config: ClientConfig, segmentation=None, strategy=None, *,
        n_trials: int | None = None) -> SecurityAnalysis:
    """Run the security-consequence analysis for one client config.

    Parameters
    ----------
    config : ClientConfig
    segmentation : SegmentationResult, optional
        Its ``items`` (effective purpose, criticality where the export has one) set the exposure
        and the heat map. Default: ``analyses.segmentation.run(config)``.
    strategy : optional
        Source of the sprint roadmap: ``StrategyParams``, an object with a ``params`` attribute
        holding them (a strategy analysis result), or a roadmap DataFrame (``quarter, purpose,
        sprints``). Default: ``config.strategy_params()`` with the segmentation's purpose mix
        (no strategy simulation is run).
    n_trials : int, optional
        Simulated years, 1 to 10,000,000; default :data:`DEFAULT_TRIALS` (100,000).

    Returns
    -------
    SecurityAnalysis

    Raises
    ------
    ConfigError
        A bad ``security:`` (or ``strategy:``) section; the message names the key, e.g.
        ``security.IT.loss.reputaton``.
    TechsegError
        Criticality labels that are neither known nor translatable (the message lists them and
        says how to weight them).
    """
    trials = DEFAULT_TRIALS if n_trials is None else int(n_trials)
    if not 1 <= trials <= _MAX_TRIALS:
        raise ValueError(f"n_trials must be a whole number from 1 to {_MAX_TRIALS:,}, got {n_trials!r}")
    params = config.security_params()
    if segmentation is None:
        from . import segmentation as segmentation_analysis

        segmentation = segmentation_analysis.run(config)
    items = normalise_criticality(segmentation.items, params)
    exposure = security.exposure_from_items(items, params)
    rng = np.random.default_rng(config.seed)
    result = security.simulate(params, exposure, n_trials=trials, rng=rng)
    table = security.summarise(result)

    by_form = security.loss_by_form(result)
    by_form["form_label"] = by_form["form"].map(FORM_LABELS)
    by_form["form_order"] = by_form["form"].map({f: i for i, f in enumerate(FORMS)})

    roadmap, horizon = _roadmap(config, items, strategy)
    lag = security.security_lag(params, roadmap, exposure, horizon_quarters=horizon)
    wide = lag.pivot_table(index="quarter", columns="scenario", values="expected_loss",
                           aggfunc="sum")
    lag_totals = pd.DataFrame({"quarter": wide.index.to_numpy(dtype=np.int64),
                               "keeps_pace": wide["keeps_pace"].to_numpy(dtype=float),
                               "lags": wide["lags"].to_numpy(dtype=float)})
    lag_totals["gap"] = lag_totals["lags"] - lag_totals["keeps_pace"]

    return SecurityAnalysis(
        config=config, params=params, items=items, exposure=dict(exposure), result=result,
        table=table, moments=security.annual_loss_moments(params, exposure),
        exceedance=security.loss_exceedance(result), by_form=by_form,
        scored=security.score_items(items, params), heatmap=security.heat_map(items, params),
        roadmap=roadmap, horizon_quarters=horizon, lag=lag, lag_totals=lag_totals)
