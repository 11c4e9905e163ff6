"""Benchmark: 1,000,000 trials of both strategy paths vs numpy drawing the same random numbers.

The baseline makes only raw generator calls for the distributions the model samples, with the
same counts and parameters: the Beta success rates (n_trials), one uniform per trial for the
own-success Bernoulli, Binomial(competitors, q * p) per trial for the rivals, and
Binomial(n_tj, p_eff) per trial for every non-empty roadmap cell of the alternative. The model's
time includes everything ``techseg_lib.strategy.simulate`` does (inversion sampling, values,
allocation). Each side is timed ``--repeat`` times in this one run; the best time of each is
compared (target ratio <= 3).

Run from the repository root:
    PYTHONPATH=. .venv/bin/python benchmarks/bench_strategy.py [--trials 1000000] [--repeat 5]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from techseg_lib import strategy


def raw_draws(params: strategy.StrategyParams, n_trials: int, seed: int) -> float:
    """Draw the same numbers with raw generator calls; returns a checksum (keeps work alive)."""
    rng = np.random.default_rng(seed)
    m, u = params.transformation_success_rate, params.success_rate_uncertainty
    kappa = 1.0 / u - 1.0
    p = rng.beta(m * kappa, (1.0 - m) * kappa, size=n_trials)
    own = rng.random(n_trials)
    rivals = rng.binomial(params.competitors, params.share_competitors_trying * p)
    roadmap = strategy.sprint_roadmap(params)
    cells = roadmap.loc[roadmap["sprints"] > 0, "sprints"].to_numpy()
    p_eff = strategy.effective_sprint_success(params)
    total = 0
    for n in cells:
        total += int(rng.binomial(int(n), p_eff, size=n_trials).sum())
    return float(own[0] + rivals.sum() + total)


def model(params: strategy.StrategyParams, n_trials: int, seed: int) -> float:
    result = strategy.simulate(params, n_trials=n_trials, seed=seed)
    return float(result.disruptor[0] + result.alternative[0])


def best_of(fn, repeat: int) -> float:
    times = []
    for i in range(repeat):
        t0 = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--competitors", type=int, default=None, help="override the default")
    ap.add_argument("--horizon", type=int, default=None, help="override horizon_quarters")
    args = ap.parse_args()
    overrides = {}
    if args.competitors is not None:
        overrides["competitors"] = args.competitors
    if args.horizon is not None:
        overrides["horizon_quarters"] = args.horizon
    params = strategy.StrategyParams.from_config(overrides)
    cells = int((strategy.sprint_roadmap(params)["sprints"] > 0).sum())
    model(params, 1000, 0)            # warm-up (imports, YAML load)
    raw_draws(params, 1000, 0)
    t_raw = best_of(lambda i: raw_draws(params, args.trials, i), args.repeat)
    t_model = best_of(lambda i: model(params, args.trials, i), args.repeat)
    print(f"trials: {args.trials:,}; competitors {params.competitors}; alternative roadmap cells "
          f"{cells} ({params.horizon_quarters} quarters x 3 purposes, non-empty)")
    print(f"numpy raw draws (beta + uniform + binomial + {cells} x binomial): {t_raw:.3f} s "
          f"(best of {args.repeat})")
    print(f"strategy.simulate, both paths:                         {t_model:.3f} s "
          f"(best of {args.repeat})")
    print(f"ratio model / raw draws: {t_model / t_raw:.2f}  (target <= 3)")


if __name__ == "__main__":
    main()
