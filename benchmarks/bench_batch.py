"""A batch of 6 reports with --jobs 1 and --jobs 2, measured in the same run (goal: ratio <= 0.65).

The batch is the three sample organisations twice (``data/samples/*/client.yaml`` x 2), rendered
by ``techseg report ... --jobs N`` in a new process, all analyses by default. Each worker
process renders whole reports, and every analysis notebook starts its own kernel. On a 2-core
machine the best possible ratio is therefore about 0.5, plus the batch's serial parts (process
start, config checks, worker start-up, and the last report, which runs alone).

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_batch.py                        # 2 runs of each, full reports
    .venv/bin/python benchmarks/bench_batch.py --runs 2 --only segmentation

Runs alternate ``--jobs 1`` and ``--jobs 2``. The script prints each time, the medians and the
ratio. Close other work first: the figure only means something on an otherwise idle machine,
and the script prints the load average so that a reader can judge.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import BIN, ROOT, scratch_env, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="runs of each setting (default 2)")
    parser.add_argument("--only", nargs="+", help="analyses to render (default all)")
    parser.add_argument("--copies", type=int, default=2,
                        help="how many times each of the 3 samples is in the batch (default 2)")
    args = parser.parse_args()

    configs = sorted(str(p) for p in (ROOT / "data" / "samples").glob("*/client.yaml"))
    batch = configs * args.copies
    times: dict[int, list[float]] = {1: [], 2: []}
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before")
    with tempfile.TemporaryDirectory(prefix="techseg-bench-batch-") as tmp:
        scratch = Path(tmp)
        env = scratch_env(scratch)
        for run in range(args.runs):
            for jobs in (1, 2):
                argv = [str(BIN / "techseg"), "report", *batch, "--jobs", str(jobs), "--out",
                        str(scratch / f"run{run}-jobs{jobs}"), "--progress", "never"]
                if args.only:
                    argv += ["--only", *args.only]
                seconds = timed(argv, env)
                times[jobs].append(seconds)
                print(f"  run {run + 1}: --jobs {jobs}: {seconds:.1f} s", flush=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    what = f"{len(batch)} reports ({', '.join(args.only) if args.only else 'all analyses'})"
    print(f"batch of {what}")
    print(f"--jobs 1: median {one:.1f} s   --jobs 2: median {two:.1f} s")
    print(f"ratio jobs2/jobs1: {two / one:.2f}  (goal <= 0.65)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
