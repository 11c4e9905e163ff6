"""Append a new batch's parts to the evaluation set, once, as held-out rows.

Usage (from the repository root)::

    python data/eval/merge_batch.py --batch v13 --seed 20270720 [--dry] PART.csv ...

Each part must have the gatherers' header (:data:`HEADER`). A row is skipped, and reported by
file and line, when its name is empty or already in the set or in an earlier part, compared by
:func:`name_key` (ignoring case, spaces and punctuation: "Bit.ly" and "bitly" are one name),
or when its purpose, difficulty, rule or source cell is malformed; a description holding a
banned word (the purpose names, a rule id) is reported. The kept rows are
shuffled once with ``numpy.random.default_rng(seed)`` and appended with ids after the last row,
``split=test`` and ``added=<batch>``. ``--dry`` prints the checks and counts and writes nothing.
Run ``make_split.py`` afterwards (the batch needs its entry in ``SPLIT_BY_BATCH`` first).

Batches merged with it: v12 (``--seed 20270620``), v13 (``--seed 20270720``), v14
(``--seed 20270820``), v15 (``--seed 20270920``) and v16 (``--seed 20271020``); the parts as
gathered are in the history (see ``gathering/README.md``).
"""
from __future__ import annotations

import argparse
import collections
import csv
import re
import sys
from pathlib import Path

import numpy as np

EVAL = Path(__file__).resolve().with_name("technology_items.csv")
HEADER = ["name", "description", "vendor", "category", "users", "deployment", "purpose",
          "difficulty", "rule", "source_title", "source_url"]
BANNED = re.compile(r"\b(IT|OT)\b|operational technology|information technology|"
                    r"customer technology|R-(CT|OT|IT)-")

PUNCTUATION = re.compile(r"[^\w+#]+|_")


def name_key(name: str) -> str:
    """``name`` as compared for duplicates: case-folded, without spaces or punctuation other than
    ``+`` and ``#`` (so "C++" and "C#" stay apart). Since v15; earlier batches compared names
    by case and surrounding spaces only."""
    return PUNCTUATION.sub("", name.casefold())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", required=True, help="the new batch's name, e.g. v13")
    parser.add_argument("--seed", required=True, type=int, help="seed of the one shuffle")
    parser.add_argument("--dry", action="store_true", help="check and count, write nothing")
    parser.add_argument("--eval-set", type=Path, default=EVAL, help=argparse.SUPPRESS)
    parser.add_argument("parts", nargs="+", type=Path)
    args = parser.parse_args(argv)
    with open(args.eval_set, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    if any(row["added"] == args.batch for row in rows):
        raise SystemExit(f"{args.eval_set}: {args.batch} is already merged")
    seen = {name_key(row["name"]) for row in rows}
    new, problems = [], []
    for part in args.parts:
        with open(part, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != HEADER:
                raise SystemExit(f"{part}: line 1: the header must be {','.join(HEADER)}")
            for line, row in enumerate(reader, start=2):
                key = name_key(row["name"])
                if not key or key in seen:
                    problems.append(f"{part}:{line}: duplicate or empty name")
                    continue
                if (row["purpose"] not in ("IT", "OT", "CT")
                        or row["difficulty"] not in ("clear", "ambiguous")
                        or not row["rule"] or not row["source_url"].startswith("http")):
                    problems.append(f"{part}:{line}: bad label/rule/source cell")
                    continue
                if BANNED.search(row["description"] or ""):
                    problems.append(f"{part}:{line}: banned word in description")
                seen.add(key)
                new.append(row)
    print("\n".join(problems) or "no problems")
    print(collections.Counter((row["purpose"], row["difficulty"]) for row in new), len(new))
    if args.dry:
        return 0
    start = len(rows) + 1
    for k, j in enumerate(np.random.default_rng(args.seed).permutation(len(new))):
        row = dict(new[j], item_id=f"E{start + k:04d}", split="test", added=args.batch)
        rows.append({f: row.get(f, "") for f in fields})
    with open(args.eval_set, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"appended {len(new)} rows as E{start:04d}..E{start + len(new) - 1:04d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
