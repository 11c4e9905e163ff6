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

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
PURPOSES = ("IT", "OT", "CT")


def macro_f1(truth: np.ndarray, guess: np.ndarray) -> float:
    scores = []
    for purpose in PURPOSES:
        hit = ((truth == purpose) & (guess == purpose)).sum()
        precision = hit / max((guess == purpose).sum(), 1)
        recall = hit / max((truth == purpose).sum(), 1)
        scores.append(0.0 if hit == 0 else 2 * precision * recall / (precision + recall))
    return float(np.mean(scores))


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
        guess = labels[f"purpose_{who}"].to_numpy()
        flag = (labels[f"difficulty_{who}"] == "ambiguous").to_numpy()
        flags[who] = flag
        print(f"{who.upper()}: purpose accuracy {(guess == purpose).mean():.3f}, macro-F1 "
              f"{macro_f1(purpose, guess):.3f}; as a review flag: clear {flag[~ambiguous].mean():.1%}, "
              f"ambiguous {flag[ambiguous].mean():.1%}; kappa {kappa(ambiguous, flag):.2f}")
    x, y = labels["purpose_x"].to_numpy(), labels["purpose_y"].to_numpy()
    print(f"X and Y: purpose agreement {(x == y).mean():.3f}; difficulty agreement "
          f"{(flags['x'] == flags['y']).mean():.3f}, kappa {kappa(flags['x'], flags['y']):.2f}")


if __name__ == "__main__":
    main()
