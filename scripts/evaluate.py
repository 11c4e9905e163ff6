"""Score the classifier on techseg's own evaluation set (data/eval/technology_items.csv).

Prints macro-F1, per-purpose precision and recall, and the share of items flagged
``needs_review`` among clear and among ambiguous items, for one split. Tune only on
``--split dev``; ``test`` is held out (see data/eval/README.md).

    .venv/bin/python scripts/evaluate.py --split dev
    .venv/bin/python scripts/evaluate.py --split test
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from techseg_lib import PURPOSES, classify  # noqa: E402
from techseg_lib.metrics import classification_report  # noqa: E402

EVAL_SET = ROOT / "data" / "eval" / "technology_items.csv"
INPUTS = ["name", "description", "vendor", "category", "users", "deployment"]
"""The evaluation set's columns that the classifier reads (the others are labels and sources)."""


def read_items(split: str = "all") -> pd.DataFrame:
    """The rows of the evaluation set, all of them or one split's (``dev`` or ``test``), with
    blank cells as missing values and every other cell as text."""
    items = pd.read_csv(EVAL_SET, dtype=str, keep_default_na=False, na_values=[""])
    if split != "all":
        items = items[items["split"] == split].reset_index(drop=True)
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list misclassified items (dev only)")
    args = parser.parse_args(argv)
    items = read_items(args.split)
    result = classify(items[INPUTS])
    report = classification_report(items["purpose"], result["purpose"], result["needs_review"],
                                   items["difficulty"] == "ambiguous")
    print(f"split: {args.split}   items: {len(items)}   "
          f"(clear {int((items['difficulty'] == 'clear').sum())}, "
          f"ambiguous {int((items['difficulty'] == 'ambiguous').sum())})")
    print(f"macro-F1: {report['macro_f1']:.3f}   accuracy: {report['accuracy']:.3f}   "
          f"macro-F1 on clear items: {report['macro_f1_clear']:.3f}")
    for purpose in PURPOSES:
        row = report["per_purpose"][purpose]
        print(f"  {purpose}: precision {row['precision']:.3f}  recall {row['recall']:.3f}  "
              f"F1 {row['f1']:.3f}  support {row['support']}")
    print(f"needs_review flagged: clear {report['review_rate_clear']:.1%}   "
          f"ambiguous {report['review_rate_ambiguous']:.1%}")
    if args.errors:
        if args.split != "dev":
            parser.error("--errors lists items of the dev split only: never tune on test")
        wrong = result.assign(label=items["purpose"], difficulty=items["difficulty"])
        wrong = wrong[(wrong["purpose"] != wrong["label"]) |
                      (wrong["needs_review"] != (wrong["difficulty"] == "ambiguous"))]
        with pd.option_context("display.max_rows", None, "display.width", 250,
                               "display.max_colwidth", 120):
            print(wrong[["name", "label", "difficulty", "purpose", "confidence",
                         "needs_review", "evidence"]].to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
