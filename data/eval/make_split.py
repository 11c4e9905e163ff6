"""Assign the dev/test split of the evaluation set, deterministically.

Usage (from the repository root)::

    python data/eval/make_split.py [path/to/technology_items.csv] [--v1-history]

Current rule (held-out split v16, since 2026-11-27)
-------------------------------------------------
The split follows the ``added`` column and involves no randomness:

* ``added=v1`` (the original 390 rows, ``E0001``-``E0390``) -> ``split=dev``;
* ``added=v2`` (182 rows, ``E0391``-``E0572``; held out until evaluated once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v3`` (252 rows, ``E0573``-``E0824``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v4`` (353 rows, ``E0825``-``E1177``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v5`` (520 rows, ``E1178``-``E1697``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v6`` (754 rows, ``E1698``-``E2451``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v7`` (1,102 rows, ``E2452``-``E3553``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v8`` (1,697 rows, ``E3554``-``E5250``; held out until scored (a first look
  and a second after review fixes), retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v9`` (2,534 rows, ``E5251``-``E7784``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v10`` (3,723 rows, ``E7785``-``E11507``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v11`` (5,530 rows, ``E11508``-``E17037``; held out until scored once,
  retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v12`` (8,285 rows, ``E17038``-``E25322``, gathered independently in
  thirteen parts; held out until scored once, retired into dev on 2026-11-27)
  -> ``split=dev``;
* ``added=v13`` (11,145 rows, ``E25323``-``E36467``, gathered independently in
  twenty parts; held out until scored once, retired into dev on 2026-11-27)
  -> ``split=dev``;
* ``added=v14`` (16,339 rows, ``E36468``-``E52806``, gathered independently in
  twenty-four parts by people who had not seen the classifier, merged after
  the model that scores them was committed; see ``gathering/``; held out until
  scored once, retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v15`` (25,954 rows, ``E52807``-``E78760``, gathered independently in
  thirty-seven parts by people who had not seen the classifier, merged after
  the model that scores them was committed; see ``gathering/``; held out until
  scored once, retired into dev on 2026-11-27) -> ``split=dev``;
* ``added=v16`` (33,831 rows, ``E78761``-``E112591``, gathered independently in
  forty-four parts by people who had not seen the classifier, merged after
  the model that scores them was committed; see ``gathering/``) -> ``split=test``.

No row is ever re-shuffled. Any other ``added`` value is an error: a new
batch of rows needs a deliberate decision (and a README entry) before it can be
given a split. The ``split`` column is rewritten in place (every other cell is
written back unchanged) and the counts per purpose x difficulty x split and per
batch are printed.

History (v1 held-out split, retired)
------------------------------------
Until 2026-11-27 the split was stratified by (purpose, difficulty): within
every stratum the rows were ordered by ``item_id``, permuted with one
``numpy.random.default_rng(20261126)`` generator (strata visited in sorted
order) and the first ``round(0.30 * n)`` rows of the permutation became
``split=test``. That function is kept as :func:`v1_stratified_split` so the
retired v1 test rows can be listed (``--v1-history``); it no longer writes the
file. Those rows were evaluated once after tuning and are now development data.

History (v2 held-out split, retired)
------------------------------------
Batch v2 (182 rows) was added on 2026-11-27 and held out whole (``added=v2``
-> ``split=test``). It was evaluated once by the classifier's author and
retired into dev on 2026-11-27; batch v3 was the held-out split after it.

History (v3 held-out split, retired)
------------------------------------
Batch v3 (252 rows) was scored once on 2026-11-27 and retired into dev the
same day; batch v4 was the held-out split after it, scored once and retired
the same way, and so were v5 to v15; batch v16 is the held-out split since then.

Never tune anything on ``split=test``.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

V1_SEED = 20261126
V1_TEST_SHARE = 0.30
SPLIT_BY_BATCH = {"v1": "dev", "v2": "dev", "v3": "dev", "v4": "dev", "v5": "dev", "v6": "dev",
                  "v7": "dev", "v8": "dev", "v9": "dev", "v10": "dev",
                  "v11": "dev", "v12": "dev", "v13": "dev", "v14": "dev", "v15": "dev",
                  "v16": "test"}
DEFAULT_PATH = Path(__file__).with_name("technology_items.csv")


def _batch_order(batch: str) -> tuple:
    """v1, v2, ..., v10 in number order (not as text, where v10 comes before v2)."""
    number = batch[1:]
    return (0, int(number), "") if batch.startswith("v") and number.isdigit() else (1, 0, batch)


def assign_split(rows: list[dict[str, str]]) -> list[str]:
    """Return the split label ("dev" or "test") for each row, in row order.

    Parameters
    ----------
    rows : list of dict
        Rows with at least ``item_id`` and ``added`` (a key of ``SPLIT_BY_BATCH``).

    Raises
    ------
    SystemExit
        If a row has no ``added`` value or one not in ``SPLIT_BY_BATCH``.
    """
    labels = []
    for row in rows:
        batch = row.get("added", "")
        if batch not in SPLIT_BY_BATCH:
            raise SystemExit(
                f"{row.get('item_id', '?')}: added={batch!r} is not one of "
                f"{sorted(SPLIT_BY_BATCH)}; decide the split of a new batch in "
                "make_split.py (SPLIT_BY_BATCH) and document it in README.md."
            )
        labels.append(SPLIT_BY_BATCH[batch])
    return labels


def v1_stratified_split(rows: list[dict[str, str]], seed: int = V1_SEED,
                        test_share: float = V1_TEST_SHARE) -> list[str]:
    """Return the historical v1 split labels for ``rows`` (retired, read-only).

    This is the v1 procedure, unchanged: stratify by (purpose, difficulty),
    order each stratum by ``item_id``, permute with one generator and hold out
    the first ``round(test_share * n)`` rows. Applied to the 390 v1 rows it
    reproduces the retired v1 test split (117 rows).

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


def print_counts(rows: list[dict[str, str]], split_key: str = "split") -> None:
    """Print counts per purpose x difficulty x split, then per batch."""
    counts = Counter((r["purpose"], r["difficulty"], r[split_key]) for r in rows)
    print(f"{'purpose':8}{'difficulty':11}{'dev':>5}{'test':>6}{'total':>7}")
    for purpose in ("IT", "OT", "CT"):
        for diff in ("clear", "ambiguous"):
            d, t = counts[(purpose, diff, "dev")], counts[(purpose, diff, "test")]
            print(f"{purpose:8}{diff:11}{d:5d}{t:6d}{d + t:7d}")
    n_dev = sum(v for k, v in counts.items() if k[2] == "dev")
    n_test = sum(v for k, v in counts.items() if k[2] == "test")
    print(f"{'all':19}{n_dev:5d}{n_test:6d}{n_dev + n_test:7d}")
    batches = Counter((r.get("added", ""), r[split_key]) for r in rows)
    print("by batch: " + ", ".join(
        f"{b}/{s}={n}" for (b, s), n in sorted(batches.items(),
                                               key=lambda kv: _batch_order(kv[0][0]))))
    by_batch = Counter((r.get("added", ""), r["purpose"], r["difficulty"]) for r in rows)
    for b in sorted({r.get("added", "") for r in rows}, key=_batch_order):
        cells = ", ".join(f"{p}/{d}={by_batch[(b, p, d)]}"
                          for p in ("IT", "OT", "CT") for d in ("clear", "ambiguous"))
        print(f"  {b}: {cells}")


def main(path: Path, v1_history: bool = False) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    if "added" not in fields:
        raise SystemExit(f"{path}: no 'added' column; every row needs added in {sorted(SPLIT_BY_BATCH)}.")
    for row, label in zip(rows, assign_split(rows)):
        row["split"] = label
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print_counts(rows)

    if v1_history:
        v1 = [r for r in rows if r["added"] == "v1"]
        hist = [dict(r, v1_split=s) for r, s in zip(v1, v1_stratified_split(v1))]
        print("\nretired v1 split (v1 rows only; now all dev):")
        print_counts(hist, split_key="v1_split")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--v1-history"]
    main(Path(args[0]) if args else DEFAULT_PATH, v1_history="--v1-history" in sys.argv[1:])
