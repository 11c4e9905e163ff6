"""The classifier against techseg's own evaluation set (data/eval).

The taxonomy is set on the dev split only. On dev, the macro-F1 and ambiguous-flag targets are met
and guarded: a taxonomy edit that pushes dev below them fails. On the held-out split they are not met; those
tests are strict xfails, so they fail loudly (and must be turned into plain tests) once a change,
tuned on dev only, meets a target on the held-out rows.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from techseg_lib import classify
from techseg_lib.metrics import classification_report

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval" / "technology_items.csv"
INPUTS = ["name", "description", "vendor", "category", "users", "deployment"]


def report_on(items: pd.DataFrame) -> dict:
    result = classify(items[INPUTS])
    return classification_report(items["purpose"], result["purpose"], result["needs_review"],
                                 items["difficulty"] == "ambiguous")


@pytest.fixture(scope="module")
def dev() -> dict:
    items = pd.read_csv(EVAL, dtype=str, keep_default_na=False, na_values=[""])
    return report_on(items[items["split"] == "dev"].reset_index(drop=True))


def test_accuracy_and_ambiguity_targets_hold_on_the_development_split(dev):
    assert dev["macro_f1"] >= 0.90
    assert dev["review_rate_ambiguous"] >= 0.70


@pytest.mark.xfail(strict=True, reason="on dev (v1-v7) clear items are flagged 23.5%: no review "
                   "threshold meets both flag targets there (data/eval/README.md)")
def test_clear_items_rarely_flagged_on_the_development_split(dev):
    assert dev["review_rate_clear"] <= 0.15


@pytest.fixture(scope="module")
def held_out() -> dict:
    items = pd.read_csv(EVAL, dtype=str, keep_default_na=False, na_values=[""])
    assert len(items) >= 300
    assert items["source_url"].notna().all() and items["rule"].notna().all()
    test = items[items["split"] == "test"].reset_index(drop=True)
    assert 0.25 <= len(test) / len(items) <= 0.35
    assert set(test["added"]) == {"v8"}
    return report_on(test)


# Targets of issue 2, not met on the fresh v8 held-out split (first and only look, 2026-11-27):
# macro-F1 0.860, clear items flagged 25.9%, ambiguous items flagged 67.8% (data/eval/README.md).
# Strict xfails: they fail loudly once a taxonomy change (tuned on dev only) meets a target.
UNMET = "target not met on the v8 held-out split; see data/eval/README.md"


@pytest.mark.xfail(strict=True, reason=UNMET)
def test_macro_f1_on_held_out_split(held_out):
    assert held_out["macro_f1"] >= 0.90


@pytest.mark.xfail(strict=True, reason=UNMET)
def test_clear_items_rarely_flagged(held_out):
    assert held_out["review_rate_clear"] <= 0.15


@pytest.mark.xfail(strict=True, reason=UNMET)
def test_ambiguous_items_mostly_flagged(held_out):
    assert held_out["review_rate_ambiguous"] >= 0.70
