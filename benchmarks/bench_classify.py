"""Classify synthetic portfolios of 10k, 100k and 1M rows; compare with pandas.read_csv.

For each size, in one run: write the CSV, then time ``pandas.read_csv`` of it,
``techseg_lib.load_portfolio`` (read + validate) and ``techseg_lib.classify`` of the loaded
frame, each ``--repeats`` times (default 3; the repeats are interleaved, so a busy machine slows
all three alike) with nothing else running, and report the median of each and the ratio
classify / read_csv of the medians. Every repeat's time is listed under the table.

Peak memory is measured in one more, separate classify call under tracemalloc (it slows what it
traces, so it is never part of the timings): Python-allocated memory, which includes numpy and
pandas buffers, plus pyarrow buffers counted through pyarrow's pool. Usage::

    .venv/bin/python benchmarks/bench_classify.py [--sizes 10000 100000 1000000]
        [--repeats 3] [--taxonomy PATH]
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_portfolio  # noqa: E402

import techseg_lib as ts  # noqa: E402


def timed(fn):
    """``(value, seconds)`` of one call of ``fn``, after a garbage collection."""
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def peak_mb(fn) -> float:
    """Peak memory (MB) of one call of ``fn``: tracemalloc peak plus pyarrow pool growth."""
    gc.collect()
    pool = pa.default_memory_pool()
    arrow_before = pool.max_memory()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return (peak + max(0, pool.max_memory() - arrow_before)) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--taxonomy", default=None, help="cue file (default: the shipped one)")
    args = parser.parse_args()
    taxonomy = ts.load_taxonomy(args.taxonomy)
    print(f"median of {args.repeats} runs each; peak memory from a separate classify run")
    print(f"{'rows':>10} {'read_csv s':>11} {'load s':>8} {'classify s':>11} "
          f"{'ratio':>6} {'peak MB':>8}", flush=True)
    details = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"portfolio_{n}.csv"
            make_portfolio(n).to_csv(path, index=False)
            times = {"read_csv": [], "load": [], "classify": []}
            for _ in range(args.repeats):
                times["read_csv"].append(timed(lambda: pd.read_csv(path))[1])
                frame, load_s = timed(lambda: ts.load_portfolio(path))
                times["load"].append(load_s)
                times["classify"].append(timed(lambda: ts.classify(frame, taxonomy))[1])
            median = {k: statistics.median(v) for k, v in times.items()}
            peak = peak_mb(lambda: ts.classify(frame, taxonomy))
            print(f"{n:>10,} {median['read_csv']:>11.2f} {median['load']:>8.2f} "
                  f"{median['classify']:>11.2f} {median['classify'] / median['read_csv']:>6.2f} "
                  f"{peak:>8.0f}", flush=True)
            details.append((n, times))
    print("\nper-repeat times (s):")
    for n, times in details:
        print(f"{n:>10,}  " + "  ".join(
            f"{k} {' '.join(f'{t:.3f}' for t in v)}" for k, v in times.items()))


if __name__ == "__main__":
    main()
