"""Benchmark the security model against pyfair (the open-source FAIR library) at 10**6 trials.

Run from the repository root::

    .venv/bin/python benchmarks/bench_security.py [--trials 1000000] [--repeats 3]

pyfair is a benchmark-only dependency (``pip install pyfair``); only its simulation is used
(its HTML report breaks on pandas 3).

(a) Agreement of mean annual loss on inputs both can express. pyfair draws ONE loss per
    simulated year and multiplies it by the loss event frequency (Risk = TEF x Vuln x LM per
    iteration); techseg sums one loss per simulated event (compound Poisson). Their
    distributions differ, but their expectations are identical when techseg is given the same
    TEF and vulnerability PERTs, exposure 1, one form of loss with pyfair's primary-loss PERT
    and the other five forms fixed at 0 (pyfair: secondary loss constant 0):
    E = E[TEF] E[Vuln] E[PL] for both. The script prints both means, the closed form and the
    relative difference (target: within 2 %).

(b) Speed. techseg's full model (three purposes, six forms of loss each, mixed-Poisson counts,
    one draw per event and form, default ranges) against pyfair's full FAIR tree (contact
    frequency, probability of action, threat capability, control strength, primary loss,
    secondary loss event frequency and magnitude) for three purposes with ranges derived from
    the same defaults. Both are timed in this process, median of ``--repeats`` runs, and the
    ratio techseg / pyfair is printed (target: <= 1). techseg's run with numpy's exact Beta
    sampler is printed too, to show what the inverse-CDF table buys.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from techseg_lib import security  # noqa: E402

warnings.filterwarnings("ignore")


def _pyfair():
    try:
        from pyfair import FairModel
    except ImportError:  # pragma: no cover - benchmark-only dependency
        sys.exit("pyfair is not installed: .venv/bin/pip install pyfair")
    return FairModel


def _r(rng_: security.PertRange) -> dict:
    return {"low": rng_.min, "mode": rng_.mode, "high": rng_.max}


# ------------------------------------------------------------------------------ (a) agreement
AGREEMENT_CASES = {
    # name: (TEF, vulnerability, primary loss) PERT ranges
    "IT-like": ((2, 6, 20), (0.02, 0.08, 0.25), (2e5, 1.5e6, 1.2e7)),
    "OT-like": ((1, 4, 12), (0.03, 0.10, 0.35), (1e5, 8e5, 8e6)),
    "CT-like": ((1, 4, 12), (0.02, 0.06, 0.20), (7e5, 3.4e6, 1.5e7)),
}


def agreement(n_trials: int) -> list[dict]:
    FairModel = _pyfair()
    rows = []
    zero = {"min": 0, "mode": 0, "max": 0}
    for i, (name, (tef, vul, pl)) in enumerate(AGREEMENT_CASES.items()):
        model = FairModel(name=name, n_simulations=n_trials, random_seed=42 + i)
        model.input_data("Threat Event Frequency", low=tef[0], mode=tef[1], high=tef[2])
        model.input_data("Vulnerability", low=vul[0], mode=vul[1], high=vul[2])
        model.input_data("Primary Loss", low=pl[0], mode=pl[1], high=pl[2])
        model.input_data("Secondary Loss", constant=0)
        model.calculate_all()
        pyfair_mean = float(model.export_results()["Risk"].mean())

        cfg = {p: {"threat_event_frequency": dict(zip(("min", "mode", "max"), tef)),
                   "vulnerability": dict(zip(("min", "mode", "max"), vul)),
                   "loss": {f: dict(zero) for f in security.FORMS}}
               for p in security.PURPOSES}
        cfg["IT"]["loss"]["productivity"] = dict(zip(("min", "mode", "max"), pl))
        params = security.SecurityParams.from_config(cfg)
        exposure = {"IT": 1.0, "OT": 0.0, "CT": 0.0}
        res = security.simulate(params, exposure, n_trials=n_trials, rng=1000 + i)
        techseg_mean = float(res.annual_loss[0].mean())
        exact = float(security.annual_loss_moments(params, exposure)["mean"].iloc[0])
        rows.append({"case": name, "closed_form": exact, "pyfair": pyfair_mean,
                     "techseg": techseg_mean,
                     "rel_diff": techseg_mean / pyfair_mean - 1.0})
    return rows


# ------------------------------------------------------------------------------ (b) speed
def pyfair_full_tree(params: security.SecurityParams, n_trials: int) -> float:
    """Seconds for pyfair's full tree, three purposes, ranges derived from techseg's defaults:
    contact frequency = techseg's threat event frequency; probability of action 0.5-1.0;
    threat capability vs control strength chosen so that P(TCap > CS) is of the order of the
    vulnerability; primary loss = sum of the primary forms' ranges (productivity, response,
    replacement); secondary loss magnitude = sum of the secondary forms' ranges; secondary loss
    event frequency 0.2-0.8."""
    FairModel = _pyfair()
    primary = ("productivity", "response", "replacement")
    secondary = ("fines_and_judgements", "competitive_advantage", "reputation")
    start = time.perf_counter()
    for i, p in enumerate(security.PURPOSES):
        prof = params.purposes[p]

        def total(forms, prof=prof):
            return security.PertRange(*(sum(getattr(prof.loss[f], k) for f in forms)
                                        for k in ("min", "mode", "max")))
        model = FairModel(name=p, n_simulations=n_trials, random_seed=7 + i)
        model.input_data("Contact Frequency", **_r(prof.threat_event_frequency))
        model.input_data("Probability of Action", low=0.5, mode=0.8, high=1.0)
        model.input_data("Threat Capability", low=0.2, mode=0.5, high=0.9)
        model.input_data("Control Strength", low=0.5, mode=0.8, high=0.99)
        model.input_data("Primary Loss", **_r(total(primary)))
        model.input_data("Secondary Loss Event Frequency", low=0.2, mode=0.5, high=0.8)
        model.input_data("Secondary Loss Event Magnitude", **_r(total(secondary)))
        model.calculate_all()
        model.export_results()  # results as a DataFrame: what a user of pyfair reads
    return time.perf_counter() - start


def techseg_full(params: security.SecurityParams, n_trials: int, sampler: str = "table"
                 ) -> tuple[float, security.SecurityResult]:
    start = time.perf_counter()
    res = security.simulate(params, n_trials=n_trials, rng=123, sampler=sampler)
    return time.perf_counter() - start, res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)
    n = args.trials

    print(f"(a) mean annual loss, {n:,} trials: techseg (compound, one loss per event) vs "
          "pyfair (one loss per year), identical expectations")
    print(f"{'case':<9} {'closed form':>14} {'pyfair':>14} {'techseg':>14} {'techseg/pyfair-1':>17}")
    worst = 0.0
    for row in agreement(n):
        worst = max(worst, abs(row["rel_diff"]))
        print(f"{row['case']:<9} {row['closed_form']:>14,.0f} {row['pyfair']:>14,.0f} "
              f"{row['techseg']:>14,.0f} {row['rel_diff']:>+16.2%}")
    print(f"largest |difference|: {worst:.2%} (target <= 2 %): {'OK' if worst <= 0.02 else 'FAIL'}")

    params = security.SecurityParams.defaults()
    cold, _ = techseg_full(params, n)  # includes building the quantile tables once
    t_ts, t_pf, t_beta = [], [], []
    for _ in range(args.repeats):
        t_pf.append(pyfair_full_tree(params, n))
        t, res = techseg_full(params, n)
        t_ts.append(t)
        t_beta.append(techseg_full(params, n, sampler="beta")[0])
    ts, pf, bt = (statistics.median(x) for x in (t_ts, t_pf, t_beta))
    events = int(res.loss_events.sum())
    print(f"\n(b) speed, {n:,} trials, 3 purposes, median of {args.repeats} runs in one process")
    print(f"techseg full model (6 forms, {events:,} events -> {6 * events:,} per-event draws, "
          f"inverse-CDF PERT): {ts:.3f} s  (first run incl. table build: {cold:.3f} s)")
    print(f"techseg full model, numpy exact Beta PERT draws:                 {bt:.3f} s")
    print(f"pyfair full FAIR tree x 3 purposes:                             {pf:.3f} s")
    print(f"ratio techseg / pyfair = {ts / pf:.3f} (target <= 1): {'OK' if ts <= pf else 'FAIL'}")
    return 0 if (worst <= 0.02 and ts <= pf) else 1


if __name__ == "__main__":
    sys.exit(main())
