"""The security model against its closed forms, its properties, its config and its outputs."""
from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from techseg_lib import security as s
from techseg_lib.errors import ConfigError, TechsegError

DEFAULTS = s.SecurityParams.defaults()
N = 400_000


@pytest.fixture(scope="module")
def result():
    return s.simulate(DEFAULTS, {"IT": 1.0, "OT": 0.5, "CT": 2.0}, n_trials=N, rng=20240601)


# ------------------------------------------------------------------------- closed forms
def test_moments_by_hand_for_a_degenerate_case():
    # T = 10, V = 0.2 fixed, exposure 1.5, one form fixed at 1000: S = 1000 * Poisson(3)
    cfg = {"IT": {"threat_event_frequency": {"min": 10, "mode": 10, "max": 10},
                  "vulnerability": {"min": 0.2, "mode": 0.2, "max": 0.2},
                  "loss": {f: {"min": 0, "mode": 0, "max": 0} for f in s.FORMS}}}
    cfg["IT"]["loss"]["response"] = {"min": 1000, "mode": 1000, "max": 1000}
    params = s.SecurityParams.from_config(cfg)
    m = s.annual_loss_moments(params, {"IT": 1.5}).set_index("purpose")
    assert m.loc["IT", "mean"] == pytest.approx(3000.0)
    assert m.loc["IT", "variance"] == pytest.approx(3.0 * 1000.0**2)
    assert m.loc["OT", "mean"] == 0.0  # exposure missing from the dict -> 0


def test_mean_annual_loss_equals_frequency_x_vulnerability_x_per_event_loss(result):
    moments = s.annual_loss_moments(DEFAULTS, result.exposure).set_index("purpose")
    for i, p in enumerate(s.PURPOSES):
        prof = DEFAULTS.purposes[p]
        t, v = prof.threat_event_frequency, prof.vulnerability
        # PERT means written out: (a + 4m + b) / 6
        et = (t.min + 4 * t.mode + t.max) / 6
        ev = (v.min + 4 * v.mode + v.max) / 6
        ex = sum((r.min + 4 * r.mode + r.max) / 6 for r in prof.loss.values())
        expected = result.exposure[p] * et * ev * ex
        assert moments.loc[p, "mean"] == pytest.approx(expected)
        se = np.sqrt(moments.loc[p, "variance"] / N)
        assert abs(result.annual_loss[i].mean() - expected) <= 4 * se, p
    se_total = np.sqrt(moments.loc["total", "variance"] / N)
    assert abs(result.total_loss.mean() - moments.loc["total", "mean"]) <= 4 * se_total


def test_variance_equals_mixed_compound_poisson_variance(result):
    moments = s.annual_loss_moments(DEFAULTS, result.exposure).set_index("purpose")
    series = {**{p: result.annual_loss[i] for i, p in enumerate(s.PURPOSES)},
              "total": result.total_loss}
    for p, x in series.items():
        var = moments.loc[p, "variance"]
        m4 = np.mean((x - x.mean()) ** 4)
        se = np.sqrt((m4 - x.var() ** 2) / x.size)
        assert abs(x.var() - var) <= 4 * se, p


def test_variance_exceeds_fixed_rate_compound_poisson():
    # law of total variance: the random rate adds Var(lambda) E[X]^2 > 0
    m = s.annual_loss_moments(DEFAULTS).set_index("purpose")
    for p in s.PURPOSES:
        prof = DEFAULTS.purposes[p]
        fixed_rate = m.loc[p, "loss_event_rate"] * prof.per_event_second_moment
        assert m.loc[p, "variance"] > fixed_rate


def test_loss_event_counts_are_mixed_poisson(result):
    m = s.annual_loss_moments(DEFAULTS, result.exposure).set_index("purpose")
    for i, p in enumerate(s.PURPOSES):
        n = result.loss_events[i]
        rate = m.loc[p, "loss_event_rate"]
        assert abs(n.mean() - rate) <= 4 * np.sqrt(n.var() / N)
        assert n.var() > n.mean()  # over-dispersed relative to Poisson


def test_form_means_match_closed_form(result):
    sim = s.loss_by_form(result).set_index(["purpose", "form"])
    exact = s.expected_loss_by_form(DEFAULTS, result.exposure).set_index(["purpose", "form"])
    rel = (sim["mean_loss"] / exact["mean_loss"] - 1).abs()
    assert rel.max() < 0.03
    assert np.allclose(sim.groupby("purpose")["share"].sum(), 1.0)


def test_exact_beta_sampler_agrees_with_table_sampler():
    a = s.simulate(DEFAULTS, n_trials=200_000, rng=7, sampler="beta")
    m = s.annual_loss_moments(DEFAULTS).set_index("purpose")
    se = np.sqrt(m.loc["total", "variance"] / 200_000)
    assert abs(a.total_loss.mean() - m.loc["total", "mean"]) <= 4 * se


# ------------------------------------------------------------------------- determinism
def test_same_seed_same_result_and_block_size_does_not_matter(monkeypatch):
    a = s.simulate(DEFAULTS, n_trials=30_000, rng=5)
    b = s.simulate(DEFAULTS, n_trials=30_000, rng=np.random.default_rng(5))
    c = s.simulate(DEFAULTS, n_trials=30_000, rng=6)
    assert np.array_equal(a.annual_loss, b.annual_loss)
    assert not np.array_equal(a.annual_loss, c.annual_loss)
    monkeypatch.setattr(s, "_BLOCK", 4096)
    d = s.simulate(DEFAULTS, n_trials=30_000, rng=5)
    assert np.array_equal(a.annual_loss, d.annual_loss)
    assert np.array_equal(a.loss_events, d.loss_events)


def test_rng_is_required():
    with pytest.raises(TypeError):
        s.simulate(DEFAULTS, n_trials=10)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        s.simulate(DEFAULTS, n_trials=10, rng="seed")


def test_zero_exposure_gives_zero_loss():
    r = s.simulate(DEFAULTS, {"IT": 0.0, "OT": 0.0, "CT": 0.0}, n_trials=1000, rng=1)
    assert r.total_loss.sum() == 0.0
    table = s.summarise(r)
    assert table["dominant_form"].isna().all()
    assert s.loss_exceedance(r, 10)["probability_of_exceedance"].eq(0).all()


# ------------------------------------------------------------------------- properties


@st.composite
def _range(draw, hi=None):
    vals = sorted(draw(st.floats(0.0, hi if hi else 1e6)) for _ in range(3))
    return {"min": vals[0], "mode": vals[1], "max": vals[2]}


@st.composite
def _config(draw):
    cfg = {}
    for p in s.PURPOSES:
        cfg[p] = {"threat_event_frequency": draw(_range(hi=50.0)),
                  "vulnerability": draw(_range(hi=1.0)),
                  "loss": {f: draw(_range()) for f in s.FORMS}}
    return cfg


def _raise(rng_: dict, which: str, delta: float, cap: float | None = None) -> dict:
    """Raise one value of a range by delta, keeping min <= mode <= max (and <= cap)."""
    out = dict(rng_)
    if which == "all":
        for k in ("min", "mode", "max"):
            out[k] = out[k] + delta
    else:
        out[which] = out[which] + delta
        if which == "min":
            out["min"] = min(out["min"], out["mode"])
        if which == "mode":
            out["mode"] = min(out["mode"], out["max"])
    if cap is not None:
        for k in out:
            out[k] = min(out[k], cap)
    return out


@settings(max_examples=150, deadline=None)
@given(cfg=_config(), purpose=st.sampled_from(s.PURPOSES),
       target=st.sampled_from(["threat_event_frequency", "vulnerability", *s.FORMS]),
       which=st.sampled_from(["min", "mode", "max", "all"]), delta=st.floats(0.0, 1e5),
       exposure=st.floats(0.0, 10.0))
def test_raising_any_range_never_lowers_expected_loss(cfg, purpose, target, which, delta,
                                                      exposure):
    base = s.SecurityParams.from_config(cfg)
    raised = copy.deepcopy(cfg)
    if target in s.FORMS:
        raised[purpose]["loss"][target] = _raise(cfg[purpose]["loss"][target], which, delta)
    else:
        cap = 1.0 if target == "vulnerability" else None
        raised[purpose][target] = _raise(cfg[purpose][target], which, delta, cap)
    hi = s.SecurityParams.from_config(raised)
    exp = {p: exposure for p in s.PURPOSES}
    before = s.annual_loss_moments(base, exp).set_index("purpose")["mean"]
    after = s.annual_loss_moments(hi, exp).set_index("purpose")["mean"]
    assert (after >= before * (1 - 1e-12) - 1e-9).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(purpose=st.sampled_from(s.PURPOSES), form=st.sampled_from(s.FORMS),
       how=st.sampled_from(["shift", "scale", "mode"]), amount=st.floats(0.0, 2.0),
       seed=st.integers(0, 2**32 - 1))
def test_raising_a_loss_range_never_lowers_simulated_loss_with_common_random_numbers(
        purpose, form, how, amount, seed):
    """Where it holds pathwise: a loss range shifted up, scaled up, or its mode raised (the
    Beta shape rises in first-order dominance) with every other draw unchanged (each form has
    its own stream). Not for frequency or vulnerability: numpy's Poisson sampler consumes a
    variable number of uniforms, so a higher rate does not give a higher count in every trial
    (covered on expectations above)."""
    r = DEFAULTS.purposes[purpose].loss[form]
    if how == "shift":
        new = s.PertRange(r.min + amount * 1e5, r.mode + amount * 1e5, r.max + amount * 1e5)
    elif how == "scale":
        new = r.scaled(1.0 + amount)
    else:
        new = s.PertRange(r.min, r.mode + (r.max - r.mode) * amount / 2.0, r.max)
    loss = dict(DEFAULTS.purposes[purpose].loss)
    loss[form] = new
    hi = DEFAULTS.with_purpose(purpose, loss=loss)
    a = s.simulate(DEFAULTS, n_trials=3000, rng=seed)
    b = s.simulate(hi, n_trials=3000, rng=seed)
    assert np.array_equal(a.loss_events, b.loss_events)
    assert np.all(b.annual_loss >= a.annual_loss * (1 - 1e-9) - 1e-6)
    assert b.total_loss.mean() >= a.total_loss.mean() * (1 - 1e-12)


@st.composite
def _schedule(draw):
    h = draw(st.integers(1, 16))
    rows = draw(st.lists(st.tuples(st.integers(1, h + 3), st.sampled_from(s.PURPOSES),
                                   st.floats(0.0, 20.0)), max_size=30))
    return h, pd.DataFrame(rows, columns=["quarter", "purpose", "sprints"])


@settings(max_examples=150, deadline=None)
@given(cfg=_config(), sched=_schedule(), rate=st.floats(0.0, 0.99), lag=st.integers(0, 8),
       uplift=st.floats(0.0, 1.0), per_sprint=st.floats(0.0, 5.0))
def test_a_lag_never_lowers_projected_loss(cfg, sched, rate, lag, uplift, per_sprint):
    h, schedule = sched
    cfg = {**cfg, "lag": {"maturity_rate": rate, "lag_quarters": lag, "uncovered_uplift": uplift,
                          "items_per_sprint": per_sprint, "horizon_quarters": h}}
    params = s.SecurityParams.from_config(cfg)
    frame = s.security_lag(params, schedule)
    wide = frame.pivot_table(index=["quarter", "purpose"], columns="scenario",
                             values="expected_loss")
    assert (wide["lags"] >= wide["keeps_pace"] * (1 - 1e-12) - 1e-9).all()
    longer = s.security_lag(params.with_lag(lag_quarters=lag + 1), schedule)
    assert (longer["expected_loss"].to_numpy()
            >= frame["expected_loss"].to_numpy() * (1 - 1e-12) - 1e-9).all()


# ------------------------------------------------------------------------- lag by hand
def test_lag_curve_by_hand():
    params = DEFAULTS.with_lag(maturity_rate=0.1, lag_quarters=1, uncovered_uplift=0.5,
                               items_per_sprint=2.0, horizon_quarters=3)
    ref = params.purposes["OT"].reference_items
    schedule = pd.DataFrame({"quarter": [2], "purpose": ["OT"], "sprints": [3.0]})
    f = s.security_lag(params, schedule, {"IT": 1, "OT": 1, "CT": 1})
    ot = f[f.purpose == "OT"].set_index(["scenario", "quarter"])["expected_loss"]
    prof = params.purposes["OT"]
    c = prof.threat_event_frequency.mean * prof.per_event_mean
    v = prof.vulnerability.mean
    added = 6.0 / ref
    assert ot["keeps_pace", 0] == pytest.approx(c * v)
    assert ot["keeps_pace", 1] == pytest.approx(c * v * 0.9)
    assert ot["keeps_pace", 2] == pytest.approx(c * (1 + added) * v * 0.81)
    assert ot["lags", 1] == pytest.approx(c * v * 0.9)
    assert ot["lags", 2] == pytest.approx(c * (v * 0.81 + added * (v + 0.5 * (1 - v))))
    assert ot["lags", 3] == pytest.approx(ot["keeps_pace", 3])  # covered after one quarter
    assert set(f["quarter"]) == {0, 1, 2, 3} and len(f) == 4 * 2 * 3


def test_lag_accepts_the_strategy_roadmap_and_items_column():
    from techseg_lib import strategy
    roadmap = strategy.sprint_roadmap(strategy.StrategyParams.from_config(None))
    frame = s.security_lag(DEFAULTS, roadmap)
    assert set(frame["scenario"]) == set(s.SCENARIOS)
    assert (frame.groupby("scenario")["expected_loss"].sum()["lags"]
            > frame.groupby("scenario")["expected_loss"].sum()["keeps_pace"])
    by_items = s.security_lag(DEFAULTS, pd.DataFrame({"quarter": [1], "purpose": ["CT"],
                                                      "items": [30.0]}))
    ct = by_items[(by_items.purpose == "CT") & (by_items.quarter == 1)]
    assert ct["exposure"].iloc[0] == pytest.approx(2.0)  # 30 new items / 30 reference items


@pytest.mark.parametrize("frame,match", [
    (pd.DataFrame({"quarter": [1], "purpose": ["XX"], "sprints": [1]}), "unknown purposes"),
    (pd.DataFrame({"quarter": [0], "purpose": ["IT"], "sprints": [1]}), "whole number"),
    (pd.DataFrame({"quarter": [1], "purpose": ["IT"], "sprints": [-1]}), ">= 0"),
    (pd.DataFrame({"q": [1], "purpose": ["IT"], "sprints": [1]}), "needs columns"),
])
def test_bad_schedules(frame, match):
    with pytest.raises(TechsegError, match=match):
        s.security_lag(DEFAULTS, frame)


# ------------------------------------------------------------------------- outputs
def test_summary_and_dominant_forms_follow_the_purpose_profiles(result):
    table = s.summarise(result).set_index("purpose")
    assert list(table.index) == ["IT", "OT", "CT", "total"]
    assert table.loc["IT", "dominant_form"] == "competitive_advantage"
    assert table.loc["OT", "dominant_form"] == "productivity"
    assert table.loc["CT", "dominant_form"] == "reputation"
    for p in table.index:
        assert 0 <= table.loc[p, "mean"] <= table.loc[p, "p99"]
        assert table.loc[p, "p90"] <= table.loc[p, "p99"]
    assert table.loc["total", "p99"] <= table.loc[["IT", "OT", "CT"], "p99"].sum()
    summary = s.summary_dict(result)
    assert set(summary) == {"currency", "n_trials", "IT", "OT", "CT", "total"}
    assert summary["CT"]["mean_annual_loss"] == pytest.approx(table.loc["CT", "mean"])
    assert isinstance(summary["total"]["p90"], float)


def test_loss_exceedance_curve(result):
    lec = s.loss_exceedance(result, n_points=50)
    assert list(lec.columns) == ["purpose", "loss", "probability_of_exceedance"]
    assert len(lec) == 4 * 50
    for p, g in lec.groupby("purpose"):
        prob = g["probability_of_exceedance"].to_numpy()
        assert np.all(np.diff(prob) <= 0) and prob.min() >= 0 and prob.max() <= 1
        x = result.total_loss if p == "total" else result.annual_loss[s.PURPOSES.index(p)]
        mid = g.iloc[25]
        assert mid["probability_of_exceedance"] == pytest.approx((x > mid["loss"]).mean())
    grid = lec[lec.purpose == "IT"]["loss"].to_numpy()
    assert np.allclose(np.diff(np.log(grid)), np.log(grid[1] / grid[0]))  # log-spaced


# ------------------------------------------------------------------------- exposure, heat map
ITEMS = pd.DataFrame({
    "name": ["ERP", "Wiki", "PLC line 1", "SCADA", "Web shop", "App", "Laptop fleet"],
    "purpose": ["IT", "IT", "OT", "OT", "CT", "CT", "IT"],
    "criticality": ["High", "low", "Critical", None, "Tier 1", 3, "medium"],
})


def test_exposure_from_items_weights_criticality():
    exp = s.exposure_from_items(ITEMS, DEFAULTS)
    ref = {p: DEFAULTS.purposes[p].reference_items for p in s.PURPOSES}
    assert exp["IT"] == pytest.approx((2.0 + 0.5 + 1.0) / ref["IT"])
    assert exp["OT"] == pytest.approx((4.0 + 1.0) / ref["OT"])  # missing = medium
    assert exp["CT"] == pytest.approx((4.0 + 1.0) / ref["CT"])
    no_crit = s.exposure_from_items(ITEMS.drop(columns="criticality"), DEFAULTS)
    assert no_crit["IT"] == pytest.approx(3 / ref["IT"])
    overridden = ITEMS.assign(purpose_override=[None, None, None, None, None, None, "CT"])
    assert s.exposure_from_items(overridden, DEFAULTS)["CT"] > exp["CT"]
    # a DataFrame passed to simulate() is turned into exposure the same way
    r = s.simulate(DEFAULTS, ITEMS, n_trials=10, rng=0)
    assert dict(r.exposure) == pytest.approx(exp)


def test_unknown_criticality_label_names_it_and_the_fix():
    bad = ITEMS.assign(criticality=["gold"] + list(ITEMS["criticality"][1:]))
    with pytest.raises(TechsegError, match=r"gold.*criticality_weights"):
        s.exposure_from_items(bad, DEFAULTS)
    params = s.SecurityParams.from_config({"criticality_weights": {"Gold": 3}})
    assert s.exposure_from_items(bad, params)["IT"] > s.exposure_from_items(ITEMS, params)["IT"]


def test_heat_map():
    hm = s.heat_map(ITEMS, DEFAULTS)
    assert len(hm) == 25 and hm["n_items"].sum() == len(ITEMS)
    assert set(hm.columns) == {"likelihood", "impact", "n_items", "items"}
    scored = s.score_items(ITEMS, DEFAULTS).set_index("name")
    assert scored.loc["ERP", "likelihood"] > scored.loc["Wiki", "likelihood"]
    assert scored["likelihood"].between(1, 5).all() and scored["impact"].between(1, 5).all()
    cell = hm[(hm.likelihood == scored.loc["ERP", "likelihood"])
              & (hm.impact == scored.loc["ERP", "impact"])]
    assert "ERP" in cell["items"].iloc[0].split("; ")
    # consistency with the closed form: sum of item rates x E[X] = expected loss at exposure
    exp = s.exposure_from_items(ITEMS, DEFAULTS)
    mean = s.annual_loss_moments(DEFAULTS, exp).set_index("purpose")["mean"]
    by_p = (scored["loss_event_rate"] * scored["per_event_loss"]).groupby(scored["purpose"]).sum()
    assert by_p["OT"] == pytest.approx(mean["OT"])


# ------------------------------------------------------------------------- config
def test_defaults_have_provenance():
    table = s.defaults_table()
    assert (table["assumption"] | (table["sources"] != "")).all()
    assert (~table["assumption"] | (table["rationale"].str.len() > 10)).all()
    raw = s.load_defaults()
    assert all(v["confidence"] in {"P", "P-m", "S"} for v in raw["sources"].values())
    assert all(v.get("caveat") for v in raw["sources"].values() if v["confidence"] == "S")
    assert {"CT.loss.reputation", "OT.loss.productivity", "lag.maturity_rate"} <= set(table["key"])


def test_empty_config_is_the_defaults_and_partial_override_merges():
    assert s.SecurityParams.from_config({}) == DEFAULTS
    p = s.SecurityParams.from_config({"OT": {"vulnerability": {"mode": 0.2}},
                                      "lag": {"lag_quarters": 4}, "currency": "EUR"})
    base = DEFAULTS.purposes["OT"].vulnerability
    assert p.purposes["OT"].vulnerability == s.PertRange(base.min, 0.2, base.max)
    assert p.lag.lag_quarters == 4 and p.currency == "EUR"
    assert p.purposes["IT"] == DEFAULTS.purposes["IT"]


@pytest.mark.parametrize("section,match", [
    ({"IT": {"loss": {"reputaton": {"mode": 1}}}},
     r"security\.IT\.loss\.reputaton: unknown key.*reputation"),
    ({"it": {}}, r"security\.it: unknown key.*IT, OT, CT"),
    ({"OT": {"frequency": {}}}, r"security\.OT\.frequency.*threat_event_frequency"),
    ({"CT": {"vulnerability": {"most_likely": 0.1}}}, r"security\.CT\.vulnerability\.most_likely.*min, mode, max"),
    ({"lag": {"speed": 1}}, r"security\.lag\.speed.*maturity_rate"),
    ({"heatmap": {"colours": 1}}, r"security\.heatmap\.colours.*likelihood_thresholds"),
    ({"IT": {"threat_event_frequency": {"min": 30}}},
     r"security\.IT\.threat_event_frequency: needs min <= mode <= max"),
    ({"CT": {"vulnerability": {"max": 1.5}}}, r"security\.CT\.vulnerability.*\[0, 1\]"),
    ({"OT": {"loss": {"response": {"min": -5}}}}, r"security\.OT\.loss\.response.*non-negative"),
    ({"IT": {"loss": {"response": {"max": "2.5e6"}}}}, r"security\.IT\.loss\.response\.max.*number"),
    ({"IT": {"reference_items": True}}, r"security\.IT\.reference_items.*number"),
    ({"IT": {"reference_items": 0}}, r"reference_items.*> 0"),
    ({"lag": {"maturity_rate": 1.0}}, r"security\.lag\.maturity_rate.*\[0, 1\)"),
    ({"lag": {"lag_quarters": 1.5}}, r"security\.lag\.lag_quarters.*whole number"),
    ({"lag": {"uncovered_uplift": 2}}, r"uncovered_uplift.*\[0, 1\]"),
    ({"heatmap": {"impact_thresholds": [3, 2, 1, 0]}}, r"impact_thresholds.*increasing"),
    ({"criticality_weights": {"gold": -1}}, r"criticality_weights\.gold.*>= 0"),
    ({"IT": 5}, r"security\.IT: expected a mapping"),
    ([1, 2], r"security: expected a mapping"),
])
def test_bad_config_names_the_key(section, match):
    with pytest.raises(ConfigError, match=match):
        s.SecurityParams.from_config(section)
