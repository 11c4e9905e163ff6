"""Classify synthetic portfolios of 10k, 100k and 1M rows; compare with pandas.read_csv.

For each size, in one run: write the CSV, time ``pandas.read_csv`` of it, time
``techseg_lib.load_portfolio`` (read + validate) and ``techseg_lib.classify``, measure the peak
memory of classify (tracemalloc: Python-allocated memory, which includes numpy and pandas
buffers; pyarrow buffers are counted through pyarrow's pool) and print the ratio
classify / read_csv. Usage::

    .venv/bin/python benchmarks/bench_classify.py [--sizes 10000 100000 1000000]
"""
from __future__ import annotations

import argparse
import gc
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
    gc.collect()
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    taxonomy = ts.load_taxonomy()
    print(f"{'rows':>10} {'read_csv s':>11} {'load s':>8} {'classify s':>11} "
          f"{'ratio':>6} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            path = Path(tmp) / f"portfolio_{n}.csv"
            make_portfolio(n).to_csv(path, index=False)
            _, read_s = timed(lambda: pd.read_csv(path))
            frame, load_s = timed(lambda: ts.load_portfolio(path))
            tracemalloc.start()
            pool = pa.default_memory_pool()
            arrow_before = pool.max_memory()
            _, classify_s = timed(lambda: ts.classify(frame, taxonomy))
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            arrow_peak = max(0, pool.max_memory() - arrow_before)
            peak_mb = (peak + arrow_peak) / 2**20
            print(f"{n:>10,} {read_s:>11.2f} {load_s:>8.2f} {classify_s:>11.2f} "
                  f"{classify_s / read_s:>6.2f} {peak_mb:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
