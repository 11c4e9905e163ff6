"""Headless tests of the disruptor-game widget callbacks (no kernel needed)."""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from techseg_lib import strategy as S
from techseg_lib.widgets import strategy as W

N = 20_000


@pytest.fixture
def app() -> W.StrategyApp:
    return W.build_app(n_trials=N, seed=99)


def se(x: np.ndarray) -> float:
    return float(x.std(ddof=1) / math.sqrt(len(x)))


def test_app_starts_with_defaults_and_a_result(app):
    d = S.StrategyParams()
    assert app.n_updates == 1
    assert app.params == d
    assert app.result.disruptor.shape == (N,)
    assert app.summary == S.summarise(app.result)
    assert {s.value for s in app.sliders.values()} >= {d.competitors, d.stretch}
    assert "P(alternative beats disruptor)" in app.summary_widget.value
    assert "application/vnd.jupyter.widget-view+json" in app._repr_mimebundle_()


def test_chart_is_built_from_bins_not_trials(app):
    spec = app.chart_spec
    assert "layer" in spec
    rows = [r for ds in spec["datasets"].values() for r in ds]
    assert 0 < len(rows) <= 2 * app.bins + 1          # binned (+ the zero rule), never N rows
    assert {r["path"] for r in rows if "path" in r} == {"disruptor", "alternative"}


def test_more_competitors_lower_the_disruptor_only(app):
    before = app.result
    app.sliders["competitors"].value = 25              # fires the observe callback
    assert app.n_updates == 2 and app.params.competitors == 25
    assert np.all(app.result.disruptor <= before.disruptor)     # common random numbers
    assert app.summary["disruptor"]["mean"] < S.summarise(before)["disruptor"]["mean"]
    assert np.array_equal(app.result.alternative, before.alternative)
    assert app.summary["p_alternative_wins"] >= S.summarise(before)["p_alternative_wins"]


def test_higher_success_rate_raises_the_disruptor_as_predicted(app):
    before = app.result
    app.sliders["transformation_success_rate"].value = 0.7
    assert app.params.transformation_success_rate == 0.7
    assert app.params.success_definition == "custom"
    predicted = S.expected_disruptor(app.params) - S.expected_disruptor(before.params)
    observed = app.result.disruptor.mean() - before.disruptor.mean()
    assert predicted > 0
    assert abs(observed - predicted) <= 4 * (se(app.result.disruptor) + se(before.disruptor))
    assert app.summary["disruptor"]["p_loss"] < S.summarise(before)["disruptor"]["p_loss"]


def test_stretch_beyond_the_limit_lowers_the_alternative(app):
    before = app.result
    limit = app.params.stretch_limit
    app.sliders["stretch"].value = limit + 1.0
    assert app.params.stretch == pytest.approx(limit + 1.0)
    assert np.all(app.result.alternative <= before.alternative)
    assert app.summary["alternative"]["mean"] < S.summarise(before)["alternative"]["mean"]
    assert np.array_equal(app.result.disruptor, before.disruptor)
    ok = abs(app.result.alternative.mean() - S.expected_alternative(app.params))
    assert ok <= 4 * se(app.result.alternative)


def test_horizon_changes_the_roadmap_and_matches_closed_form(app):
    app.sliders["horizon_quarters"].value = 16
    assert app.params.horizon_quarters == 16
    expected = S.expected_alternative(app.params)
    assert expected > S.expected_alternative(replace(app.params, horizon_quarters=8))
    assert abs(app.result.alternative.mean() - expected) <= 4 * se(app.result.alternative)


def test_handler_can_be_called_directly_and_slider_back_restores(app):
    first = app.result
    slider = app.sliders["competitors"]
    old = slider.value
    slider.value = 3
    app.on_change({"name": "value", "old": 3, "new": 3, "owner": slider, "type": "change"})
    assert app.n_updates == 3
    slider.value = old
    assert app.params == S.StrategyParams()
    assert np.array_equal(app.result.disruptor, first.disruptor)   # same seed, same numbers


def test_output_widget_is_display_only_outside_a_kernel(app):
    app.sliders["competitors"].value = 1
    assert app.output.outputs == ()        # nothing captured without a kernel; state is on app


def test_base_params_are_kept_for_fields_without_sliders():
    base = S.StrategyParams.from_config({"payoff_on_success": 20.0, "success_definition": "full_ambition"})
    app = W.build_app(base, n_trials=2000)
    assert app.params.success_definition == "full_ambition"
    app.sliders["stretch"].value = 1.0
    assert app.params.payoff_on_success == 20.0 and app.params.success_definition == "full_ambition"


def test_other_chart_builders_produce_specs():
    p = S.StrategyParams()
    grid = S.breakeven_map(p, success_rates=[0.1, 0.5], competitors=[0, 3], n_trials=2000)
    assert W.chart_breakeven_map(grid).to_dict()["mark"]["type"] == "rect"
    assert W.chart_roadmap(S.sprint_roadmap(p)).to_dict()["mark"]["type"] == "bar"
