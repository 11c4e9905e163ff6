"""Append the v12 parts to the evaluation set, once, as held-out rows.

    python data/eval/gathering/v12/merge.py [--dry] PART.csv ...

Each part must have the gatherers' header. A row is skipped (and reported by file and line)
when its name is empty or already in the set or an earlier part (ignoring case), or when its
label, rule or source cell is malformed; a description with a banned word is reported. The
kept rows are shuffled once with ``numpy.random.default_rng(20270620)`` and appended with ids
after the last row, ``split=test`` and ``added=v12``. ``--dry`` prints the checks and counts
and writes nothing. Run ``make_split.py`` afterwards (``v12`` needs its entry there first).
"""
import collections
import csv
import re
import sys
from pathlib import Path

import numpy as np

EVAL = Path(__file__).resolve().parents[2] / "technology_items.csv"
BATCH, SEED = "v12", 20270620
HEADER = ["name", "description", "vendor", "category", "users", "deployment", "purpose",
          "difficulty", "rule", "source_title", "source_url"]
BANNED = re.compile(r"\b(IT|OT)\b|operational technology|information technology|"
                    r"customer technology|R-(CT|OT|IT)-")


def main(argv: list[str]) -> int:
    dry = "--dry" in argv
    parts = [a for a in argv if a != "--dry"]
    with open(EVAL, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    if any(row["added"] == BATCH for row in rows):
        raise SystemExit(f"{EVAL}: {BATCH} is already merged")
    seen = {row["name"].strip().lower() for row in rows}
    new, problems = [], []
    for part in parts:
        with open(part, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != HEADER:
                raise SystemExit(f"{part}: line 1: the header must be {','.join(HEADER)}")
            for line, row in enumerate(reader, start=2):
                key = row["name"].strip().lower()
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
    if dry:
        return 0
    start = len(rows) + 1
    for k, j in enumerate(np.random.default_rng(SEED).permutation(len(new))):
        row = dict(new[j], item_id=f"E{start + k:04d}", split="test", added=BATCH)
        rows.append({f: row.get(f, "") for f in fields})
    with open(EVAL, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"appended {len(new)} rows as E{start:04d}..E{start + len(new) - 1:04d}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
