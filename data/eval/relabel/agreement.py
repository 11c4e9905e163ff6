"""How well two blind labellers reproduce the evaluation set's labels.

    python data/eval/relabel/agreement.py

``labels.csv`` holds the labels two people (X and Y) gave to 600 dev items (drawn from
``split=dev``, v1 to v11, with ``numpy.random.default_rng(20271127)``), each working alone from
the labelling rules and the row as the classifier sees it (blanks included), without the set's
labels, the classifier or any look-up (``brief.md``). This prints, for each labeller and for the
pair: purpose agreement (accuracy, macro-F1), and their "ambiguous" as if it were a review flag:
the share of the set's clear and ambiguous items it would flag, and Cohen's kappa.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from techseg_lib.metrics import classification_report  # noqa: E402


def kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two label arrays."""
    observed = (a == b).mean()
    expected = sum((a == v).mean() * (b == v).mean() for v in np.union1d(a, b))
    return float((observed - expected) / (1 - expected))


def main() -> None:
    labels = pd.read_csv(HERE / "labels.csv", dtype=str)
    items = pd.read_csv(HERE.parent / "technology_items.csv", dtype=str).set_index("item_id")
    truth = items.loc[labels["item_id"]]
    if (truth["split"] != "dev").any():
        raise SystemExit("labels.csv names a test item: the sample must come from dev only")
    purpose = truth["purpose"].to_numpy()
    ambiguous = (truth["difficulty"] == "ambiguous").to_numpy()
    print(f"{len(labels)} dev items, {ambiguous.sum()} ambiguous ({ambiguous.mean():.1%})")
    flags = {}
    for who in ("x", "y"):
        flags[who] = (labels[f"difficulty_{who}"] == "ambiguous").to_numpy()
        report = classification_report(purpose, labels[f"purpose_{who}"], flags[who], ambiguous)
        print(f"{who.upper()}: purpose accuracy {report['accuracy']:.3f}, macro-F1 "
              f"{report['macro_f1']:.3f}; as a review flag: clear "
              f"{report['review_rate_clear']:.1%}, ambiguous "
              f"{report['review_rate_ambiguous']:.1%}; kappa {kappa(ambiguous, flags[who]):.2f}")
    x, y = labels["purpose_x"].to_numpy(), labels["purpose_y"].to_numpy()
    print(f"X and Y: purpose agreement {(x == y).mean():.3f}; difficulty agreement "
          f"{(flags['x'] == flags['y']).mean():.3f}, kappa {kappa(flags['x'], flags['y']):.2f}")


if __name__ == "__main__":
    main()
