"""The security-lag teaching app, driven headlessly: slider values in, model-predicted changes out."""
from __future__ import annotations

import pytest

from techseg_lib import security
from techseg_lib.widgets.security import (SecurityLagApp, build_app, chart_lag_by_purpose,
                                          vulnerability_with_mode)


@pytest.fixture()
def app() -> SecurityLagApp:
    return build_app(purpose="OT")


def _final(app: SecurityLagApp, scenario: str) -> float:
    return float(app.totals[scenario].iloc[-1])


def test_initial_state(app):
    assert app.n_updates == 1
    h = app.base_params.lag.horizon_quarters
    assert list(app.totals.index) == list(range(h + 1))
    assert app.lag_cost > 0
    assert "Extra expected loss" in app.summary_widget.value
    assert app.chart_spec["mark"]["type"] == "line"
    assert len(app.widget.children) == 5


def test_maturity_slider_lowers_the_keeps_pace_curve(app):
    before = _final(app, "keeps_pace")
    app.sliders["maturity_rate"].value = 0.15
    assert app.n_updates == 2
    assert app.params.lag.maturity_rate == pytest.approx(0.15)
    assert _final(app, "keeps_pace") < before
    # the model's own answer for the same inputs
    expected = security.security_lag(app.params, app.schedule)
    assert app.frame["expected_loss"].to_numpy() == pytest.approx(
        expected["expected_loss"].to_numpy())


def test_sprint_pace_widens_the_gap(app):
    gap = app.lag_cost
    exposure = app.frame["exposure"].max()
    app.sliders["sprint_pace"].value = 2.5
    assert app.lag_cost > gap
    assert app.frame["exposure"].max() > exposure
    app.sliders["sprint_pace"].value = 0.0  # no sprints: nothing to lag behind
    assert app.lag_cost == pytest.approx(0.0)
    assert app.totals["lags"].to_numpy() == pytest.approx(app.totals["keeps_pace"].to_numpy())


def test_vulnerability_slider_moves_only_its_purpose_in_proportion_to_the_mean(app):
    q0 = app.frame[(app.frame.quarter == 0) & (app.frame.scenario == "keeps_pace")]
    before = q0.set_index("purpose")["expected_loss"]
    old_mean = app.params.purposes["OT"].vulnerability.mean
    app.sliders["vulnerability"].value = 0.3
    new_vul = app.params.purposes["OT"].vulnerability
    assert new_vul.mode == pytest.approx(0.3) and new_vul.max <= 1.0
    q0 = app.frame[(app.frame.quarter == 0) & (app.frame.scenario == "keeps_pace")]
    after = q0.set_index("purpose")["expected_loss"]
    # quarter 0: loss = E[T] E[V] E[X] at exposure 1, linear in E[V]
    assert after["OT"] / before["OT"] == pytest.approx(new_vul.mean / old_mean)
    assert after["IT"] == pytest.approx(before["IT"]) and after["CT"] == pytest.approx(before["CT"])


def test_handler_can_be_called_with_a_change_dict(app):
    slider = app.sliders["sprint_pace"]
    slider.value = 3.0
    n = app.n_updates
    app.on_change({"name": "value", "old": 1.0, "new": 3.0, "owner": slider, "type": "change"})
    assert app.n_updates == n + 1


def test_vulnerability_with_mode_stays_a_probability_range():
    r = security.PertRange(0.05, 0.2, 0.6)
    hi = vulnerability_with_mode(r, 0.8)
    assert hi.min <= hi.mode <= hi.max <= 1.0 and hi.mode == 0.8
    assert vulnerability_with_mode(r, 0.4).mean < hi.mean
    with pytest.raises(ValueError):
        vulnerability_with_mode(r, 1.5)


def test_custom_schedule_and_bad_purpose():
    from techseg_lib import strategy
    roadmap = strategy.sprint_roadmap(strategy.StrategyParams.from_config(None))
    app = build_app(schedule=roadmap, purpose="IT")
    assert app.schedule["sprints"].sum() == pytest.approx(roadmap["sprints"].sum())
    spec = chart_lag_by_purpose(app.frame).to_dict()
    assert "facet" in spec
    with pytest.raises(ValueError):
        build_app(purpose="XX")
