"""The executive summary of a client report: one headline and one small chart per analysis.

:func:`highlights` reads ``summary.json`` (a dict) and returns, for each analysis present, a
:class:`Highlight`: the headline figure in words and a chart drawn from the summary's numbers
only (no client text reaches the chart), rendered to SVG by vl-convert so ``index.html`` stays
self-contained and prints well.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import altair as alt
import pandas as pd

from . import PURPOSE_COLORS, PURPOSES, purpose_scale


@dataclass(frozen=True)
class Highlight:
    """One analysis in the executive summary."""

    key: str
    """The analysis's key in summary.json."""
    title: str
    text: str
    """The headline in words (plain text: the page escapes it)."""
    chart: alt.TopLevelMixin
    """A small chart built from summary numbers only."""

    def svg(self) -> str:
        """The chart as an SVG document (vl-convert)."""
        import vl_convert as vlc

        return vlc.vegalite_to_svg(self.chart.to_dict())


def _money(value: float, currency: str) -> str:
    value = float(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{currency} {value / limit:.1f}{suffix}"
    return f"{currency} {value:,.0f}"


def _segmentation(s: Mapping[str, Any]) -> Highlight:
    shares = s["purpose_shares"]
    frame = pd.DataFrame({"purpose": list(PURPOSES), "share": [shares[p] for p in PURPOSES]})
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("share:Q", stack="zero", axis=alt.Axis(format="%", title="share of items")),
        color=alt.Color("purpose:N", scale=purpose_scale(), legend=alt.Legend(orient="bottom")),
        order=alt.Order("purpose_order:Q"),
        tooltip=["purpose", alt.Tooltip("share:Q", format=".0%")],
    ).transform_calculate(
        purpose_order="indexof(['IT','OT','CT'], datum.purpose)").properties(width=420, height=40)
    mix = ", ".join(f"{p} {shares[p]:.0%}" for p in PURPOSES)
    text = (f"{s['items']} technology items: {mix}. Business model: {s['quadrant']} "
            f"(closeness to the end customer {s['customer_score']:.0f}/100, ecosystem "
            f"{s['ecosystem_score']:.0f}/100). Items needing review: {s['needs_review']}; "
            f"shadow IT: {s['shadow_it']}.")
    return Highlight("segmentation", "Segmentation", text, chart)


def _strategy(s: Mapping[str, Any]) -> Highlight:
    rows = [{"path": name.capitalize(), "mean": s[name]["mean"], "p5": s[name]["p5"],
             "p95": s[name]["p95"], "p_loss": s[name]["p_loss"]}
            for name in ("disruptor", "alternative")]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(y=alt.Y("path:N", title=None,
                                           axis=alt.Axis(labelLimit=200, labelPadding=6)))
    chart = (base.mark_rule(strokeWidth=2, color="#4D4D4D").encode(
                 x=alt.X("p5:Q", title="value (P5 to P95, dot = mean)"), x2="p95:Q")
             + base.mark_point(filled=True, size=90, color="#000000").encode(x="mean:Q")
             ).properties(width=420, height=70)
    d, a = s["disruptor"], s["alternative"]
    text = (f"The segmented alternative beats trying to be the disruptor in "
            f"{s['p_alternative_wins']:.0%} of simulated futures. Probability of a loss: "
            f"disruptor {d['p_loss']:.0%}, alternative {a['p_loss']:.0%}; expected value "
            f"{d['mean']:.2f} vs {a['mean']:.2f}.")
    return Highlight("strategy", "Disruptor or alternative", text, chart)


def _security(s: Mapping[str, Any], currency: str) -> Highlight:
    frame = pd.DataFrame({"purpose": list(PURPOSES),
                          "loss": [s[p]["mean_annual_loss"] for p in PURPOSES]})
    chart = alt.Chart(frame).mark_bar().encode(
        x=alt.X("loss:Q", title=f"expected annual loss ({currency})",
                axis=alt.Axis(format="~s")),
        y=alt.Y("purpose:N", sort=list(PURPOSES), title=None),
        color=alt.Color("purpose:N", scale=purpose_scale(), legend=None),
    ).properties(width=420, height=90)
    top = max(PURPOSES, key=lambda p: s[p]["mean_annual_loss"])
    form = str(s[top].get("dominant_form") or "").replace("_", " ")
    text = (f"Expected annual loss from breaches: {_money(s['total']['mean_annual_loss'], currency)}"
            f" (1-in-100 year: {_money(s['total']['p99'], currency)}). The largest share is "
            f"{top}, dominated by {form or 'several forms of loss'}.")
    return Highlight("security", "Security consequences", text, chart)


def highlights(summary: Mapping[str, Any]) -> list[Highlight]:
    """The executive-summary highlights for the analyses present in ``summary``."""
    currency = str(summary.get("currency") or "")
    found = []
    if "segmentation" in summary:
        found.append(_segmentation(summary["segmentation"]))
    if "strategy" in summary:
        found.append(_strategy(summary["strategy"]))
    if "security" in summary:
        # loss figures are in the currency of the cited studies, which may differ from the config's
        found.append(_security(summary["security"],
                               str(summary["security"].get("currency") or currency)))
    return found


__all__ = ["Highlight", "PURPOSE_COLORS", "highlights"]
