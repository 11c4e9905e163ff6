"""Assign the dev/test split of the evaluation set, deterministically.

Usage (from the repository root)::

    python data/eval/make_split.py [path/to/technology_items.csv]

The split is stratified by (purpose, difficulty): within every stratum the
rows are ordered by ``item_id``, permuted with one
``numpy.random.default_rng(20261126)`` generator (strata visited in sorted
order) and the first ``round(0.30 * n)`` rows of the permutation become
``split=test``; the rest are ``split=dev``. The ``split`` column is rewritten
in place (every other cell is written back unchanged) and the counts per
purpose x difficulty x split are printed.

Never tune anything on ``split=test``.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

SEED = 20261126
TEST_SHARE = 0.30
DEFAULT_PATH = Path(__file__).with_name("technology_items.csv")


def assign_split(rows: list[dict[str, str]], seed: int = SEED,
                 test_share: float = TEST_SHARE) -> list[str]:
    """Return the split label ("dev" or "test") for each row, in row order.

    Parameters
    ----------
    rows : list of dict
        Rows with at least ``item_id``, ``purpose`` and ``difficulty``.
    seed : int
        Seed for ``numpy.random.default_rng``.
    test_share : float
        Share of each (purpose, difficulty) stratum held out, in [0, 1].
    """
    rng = np.random.default_rng(seed)
    strata: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        strata[(row["purpose"], row["difficulty"])].append(i)
    labels = ["dev"] * len(rows)
    for key in sorted(strata):
        idx = sorted(strata[key], key=lambda i: rows[i]["item_id"])
        order = rng.permutation(len(idx))
        n_test = int(round(test_share * len(idx)))
        for pos in order[:n_test]:
            labels[idx[pos]] = "test"
    return labels


def main(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    for row, label in zip(rows, assign_split(rows)):
        row["split"] = label
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    counts = Counter((r["purpose"], r["difficulty"], r["split"]) for r in rows)
    print(f"{'purpose':8}{'difficulty':11}{'dev':>5}{'test':>6}{'total':>7}")
    for purpose in ("IT", "OT", "CT"):
        for diff in ("clear", "ambiguous"):
            d, t = counts[(purpose, diff, "dev")], counts[(purpose, diff, "test")]
            print(f"{purpose:8}{diff:11}{d:5d}{t:6d}{d + t:7d}")
    n_dev = sum(v for k, v in counts.items() if k[2] == "dev")
    n_test = sum(v for k, v in counts.items() if k[2] == "test")
    print(f"{'all':19}{n_dev:5d}{n_test:6d}{n_dev + n_test:7d}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH)
