"""Segmentation analysis: purpose mix, archetype comparison, business-model position.

``run(config)`` loads and classifies the client's portfolio, compares its purpose mix with the
archetype's expected range (by item count and, where costs exist, by spend), places the
organisation on the two MIT CISR axes and says which purpose to invest in to move along which.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import archetypes, business_model
from ..config import ClientConfig
from ..portfolio import PURPOSES, canonical, load_portfolio
from ..segment import classify, effective_purpose, review_rule, summarize
from ..taxonomy import Taxonomy, load_taxonomy


@dataclass(frozen=True)
class SegmentationResult:
    """Everything the segmentation notebook shows.

    Attributes
    ----------
    config : ClientConfig
    classified : DataFrame, shape (n_items, n_columns + 8)
        The portfolio as exported plus the classifier's columns.
    items : DataFrame, shape (n_items, k)
        Canonical view (``id``, ``name``, ``description``, ``cost`` …, ``purpose`` as the
        effective purpose: the analyst's override where given).
    counts : dict
        :func:`techseg_lib.segment.summarize` of ``classified``.
    by_count, by_spend : DataFrame
        :func:`techseg_lib.archetypes.compare_to_archetype` by item count and by spend
        (``by_spend`` is empty when no item has a cost).
    gaps : list of str
        The gaps in words.
    position : business_model.Position
        The two axis scores (0-100), their components and the quadrant.
    advice : DataFrame
        Which purpose to invest in to move along which axis.
    taxonomy : Taxonomy
        The cues and settings the items were classified with.
    """

    config: ClientConfig
    classified: pd.DataFrame
    items: pd.DataFrame
    counts: dict
    by_count: pd.DataFrame
    by_spend: pd.DataFrame
    gaps: list
    position: business_model.Position
    advice: pd.DataFrame
    taxonomy: Taxonomy

    def review_rule(self) -> str:
        """When an item is flagged for review, in words (see :func:`segment.review_rule`)."""
        return review_rule(self.taxonomy)

    def review_items(self) -> pd.DataFrame:
        """Items the model flagged for review and the analyst has not overridden, with evidence."""
        flagged = self.classified["needs_review"].to_numpy() & (
            self.items["purpose"].to_numpy() == self.classified["purpose"].astype(str).to_numpy())
        view = self.items.loc[flagged, ["id", "name"]].copy()
        view["purpose"] = self.classified.loc[flagged, "purpose"].astype(str)
        view["runner_up"] = self.classified.loc[flagged, "runner_up"].astype(str)
        view["confidence"] = self.classified.loc[flagged, "confidence"]
        view["evidence"] = self.classified.loc[flagged, "evidence"].astype(str)
        return view.sort_values(["confidence", "name"]).reset_index(drop=True)

    def shadow_items(self) -> pd.DataFrame:
        """Items classified as shadow IT (SaaS or personal devices without IT's sanction)."""
        mask = self.classified["shadow_it"].to_numpy()
        columns = [c for c in ("id", "name", "vendor", "owner", "cost") if c in self.items]
        view = self.items.loc[mask, columns].copy()
        view["purpose"] = self.items.loc[mask, "purpose"]
        return view.reset_index(drop=True)

    def grid(self) -> pd.DataFrame:
        """Item counts per purpose x bimodal mode, tidy (purpose, mode, items)."""
        grid = pd.crosstab(self.items["purpose"], self.classified["mode"]).reindex(
            index=list(PURPOSES), columns=[1, 2], fill_value=0)
        tidy = grid.stack().rename("items").reset_index()
        tidy.columns = ["purpose", "mode", "items"]
        return tidy

    def summary(self) -> dict:
        """The ``segmentation`` object of ``summary.json``."""
        return {
            "items": self.counts["items"],
            "purpose_counts": self.counts["purpose_counts"],
            "purpose_shares": self.counts["purpose_shares"],
            "mode_counts": self.counts["mode_counts"],
            "needs_review": self.counts["needs_review"],
            "shadow_it": self.counts["shadow_it"],
            "overrides": self.counts["overrides"],
            "customer_score": round(float(self.position.customer), 1),
            "ecosystem_score": round(float(self.position.ecosystem), 1),
            "quadrant": self.position.quadrant,
            "gaps": list(self.gaps),
        }


def run(config: ClientConfig) -> SegmentationResult:
    """Run the segmentation analysis for one client config."""
    portfolio = load_portfolio(config.portfolio, sheet=config.sheet)
    taxonomy = load_taxonomy(config.taxonomy)
    classified = classify(portfolio, taxonomy)
    items = canonical(classified)
    items["purpose"] = effective_purpose(classified).to_numpy()
    by_count = archetypes.compare_to_archetype(items, config.archetype, by="count")
    by_spend = (archetypes.compare_to_archetype(items, config.archetype, by="spend")
                if archetypes.has_spend(items) else by_count.iloc[0:0])
    gap_text = archetypes.gaps(items, config.archetype, by="count")
    if len(by_spend):
        gap_text += [f"By spend: {g}" for g in archetypes.gaps(items, config.archetype,
                                                                by="spend")]
    answers = business_model.load_assessment(config.assessment)
    position = business_model.score_axes(answers, items)
    return SegmentationResult(config=config, classified=classified, items=items,
                              counts=summarize(classified), by_count=by_count,
                              by_spend=by_spend, gaps=gap_text, position=position,
                              advice=business_model.investment_advice(position),
                              taxonomy=taxonomy)
