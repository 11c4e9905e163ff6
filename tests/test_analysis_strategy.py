"""The disruptor-vs-alternative analysis on a client config (techseg_lib.analyses.strategy)."""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import yaml

from techseg_lib import strategy as S
from techseg_lib.analyses import segmentation as seg_analysis
from techseg_lib.analyses import strategy as A
from techseg_lib.charts import PURPOSE_COLORS
from techseg_lib.charts import strategy as C
from techseg_lib.config import load_config
from techseg_lib.errors import ConfigError

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
ADVISORY = SAMPLES / "advisory_firm" / "client.yaml"
TRIALS = 20_000


def write_config(tmp_path: Path, strategy: dict | None = None, seed: int = 20261126,
                 sample: str = "advisory_firm", name: str = "client.yaml") -> Path:
    """A copy of a sample config with absolute input paths and the given strategy section."""
    src = SAMPLES / sample / "client.yaml"
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    for key in ("portfolio", "assessment"):
        data[key] = str((src.parent / data[key]).resolve())
    data["seed"] = seed
    if strategy is not None:
        data["strategy"] = strategy
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def segmentation():
    return seg_analysis.run(load_config(ADVISORY))


@pytest.fixture(scope="module")
def counts_mix(segmentation):
    counts = segmentation.summary()["purpose_counts"]
    total = sum(counts.values())
    return {p: counts[p] / total for p in ("IT", "OT", "CT")}


@pytest.fixture(scope="module")
def analysis(tmp_path_factory, segmentation):
    path = write_config(tmp_path_factory.mktemp("cfg"), {"n_trials": TRIALS})
    return A.run(load_config(path), segmentation)


# ------------------------------------------------------------------------------------------------
# Where the purpose mix comes from
# ------------------------------------------------------------------------------------------------

def test_segmentation_mix_is_used_when_the_config_gives_none(analysis, counts_mix):
    assert analysis.mix_source == "segmentation"
    assert dict(analysis.params.purpose_mix) == pytest.approx(counts_mix, abs=1e-12)
    assert analysis.segmentation_mix == pytest.approx(counts_mix, abs=1e-12)
    row = analysis.parameters.set_index("parameter").loc["purpose_mix"]
    assert row["set_by"] == "segmentation"
    # the roadmap follows the mix: IT (69 %) gets the most sprints, OT (7 %) the fewest
    plan = analysis.purpose_plan().set_index("purpose")
    assert plan.loc["IT", "sprints"] > plan.loc["CT", "sprints"] > plan.loc["OT", "sprints"] > 0
    sprints, _ = S.sprint_schedule(analysis.params)
    assert plan["sprints"].sum() == sprints.sum()
    assert "segmentation" in analysis.actions()[0]


def test_segmentation_is_run_when_not_given(tmp_path, counts_mix):
    path = write_config(tmp_path, {"n_trials": 2_000})
    a = A.run(load_config(path))
    assert a.mix_source == "segmentation"
    assert dict(a.params.purpose_mix) == pytest.approx(counts_mix, abs=1e-12)


def test_explicit_mix_in_the_config_wins(tmp_path, segmentation, counts_mix):
    mix = {"IT": 0.2, "OT": 0.5, "CT": 0.3}
    path = write_config(tmp_path, {"purpose_mix": mix, "n_trials": 2_000})
    a = A.run(load_config(path), segmentation)
    assert a.mix_source == "config"
    assert dict(a.params.purpose_mix) == pytest.approx(mix)
    assert a.segmentation_mix == pytest.approx(counts_mix, abs=1e-12)   # still reported
    assert a.parameters.set_index("parameter").loc["purpose_mix", "set_by"] == "client config"
    plan = a.purpose_plan().set_index("purpose")
    assert plan.loc["OT", "sprints"] > plan.loc["CT", "sprints"] > plan.loc["IT", "sprints"]
    assert "client config" in a.actions()[0]
    # without a segmentation the explicit mix needs none: nothing is classified
    b = A.run(load_config(path))
    assert b.segmentation_mix == {} and dict(b.params.purpose_mix) == pytest.approx(mix)


def test_mix_from_a_segmentation_without_items_is_an_error():
    class Empty:
        def summary(self):
            return {"purpose_counts": {"IT": 0, "OT": 0, "CT": 0}}

    with pytest.raises(ConfigError, match="strategy.purpose_mix"):
        A.segmentation_mix(Empty())


# ------------------------------------------------------------------------------------------------
# summary.json object
# ------------------------------------------------------------------------------------------------

def test_summary_has_exactly_the_contract_keys_and_types(analysis):
    s = analysis.summary()
    assert set(s) == {"disruptor", "alternative", "p_alternative_wins"}
    for path in ("disruptor", "alternative"):
        assert set(s[path]) == {"mean", "p_loss", "p5", "p95"}
        assert all(type(v) is float and math.isfinite(v) for v in s[path].values())
        assert 0.0 <= s[path]["p_loss"] <= 1.0
        assert s[path]["p5"] <= s[path]["mean"] <= s[path]["p95"]
    assert type(s["p_alternative_wins"]) is float and 0.0 <= s["p_alternative_wins"] <= 1.0
    assert json.loads(json.dumps(s)) == s
    # and the numbers are the simulation's, checked against the closed forms
    r = analysis.result
    assert r.n_trials == TRIALS
    assert s["p_alternative_wins"] == float((r.alternative > r.disruptor).mean())
    for path in ("disruptor", "alternative"):
        x = getattr(r, path)
        se = x.std(ddof=1) / math.sqrt(len(x))
        assert abs(s[path]["mean"] - S.expected_values(analysis.params)[path]) <= 4 * se


def test_summary_frames_have_their_shapes(analysis):
    p = analysis.params
    assert len(analysis.roadmap) == 3 * p.horizon_quarters
    assert len(analysis.distribution) == 2 * 60
    comps = sorted(analysis.breakeven["competitors"].unique())
    assert comps == list(range(0, max(20, p.competitors) + 1))
    b = analysis.breakeven
    assert np.allclose(b["rate_end"] - b["rate_start"], 0.05)
    assert np.allclose(b["competitors_end"] - b["competitors_start"], 1.0)
    assert list(analysis.breakeven_line["competitors"]) == comps
    assert analysis.stretch["stretch"].min() == pytest.approx(0.5)
    assert analysis.stretch["stretch"].max() >= 2 * p.stretch_limit - 1e-9
    assert set(analysis.parameters["parameter"]) == set(S.StrategyParams.allowed_keys())
    rates = analysis.base_rates()
    assert (rates["url"].str.startswith("http")).all() and (rates["confidence"] != "").all()
    assert not (analysis.parameters.query("basis == 'assumption'")["parameter"]
                .isin(rates["used_as"])).any()


def test_breakeven_rate_is_where_expected_values_meet(analysis):
    be = analysis.breakeven_success_rate
    assert 0 < be < 1
    at = replace(analysis.params, transformation_success_rate=be, success_definition="custom")
    assert S.expected_disruptor(at) == pytest.approx(S.expected_alternative(at), abs=1e-6)
    assert f"{be:.1%}" in " ".join(analysis.findings())


# ------------------------------------------------------------------------------------------------
# Seeds
# ------------------------------------------------------------------------------------------------

def test_the_client_seed_drives_the_simulation(tmp_path, segmentation):
    a1 = A.run(load_config(write_config(tmp_path, {"n_trials": 5_000}, seed=7, name="a.yaml")),
               segmentation)
    a2 = A.run(load_config(write_config(tmp_path, {"n_trials": 5_000}, seed=7, name="b.yaml")),
               segmentation)
    a3 = A.run(load_config(write_config(tmp_path, {"n_trials": 5_000}, seed=8, name="c.yaml")),
               segmentation)
    assert a1.params.seed == 7 and a3.params.seed == 8
    assert np.array_equal(a1.result.disruptor, a2.result.disruptor)
    assert np.array_equal(a1.result.alternative, a2.result.alternative)
    assert a1.summary() == a2.summary()
    assert a1.stretch.equals(a2.stretch) and a1.breakeven.equals(a2.breakeven)
    assert not np.array_equal(a1.result.alternative, a3.result.alternative)
    assert a1.summary() != a3.summary()
    assert a1.parameters.set_index("parameter").loc["seed", "set_by"] == "client seed"


def test_an_explicit_strategy_seed_wins(tmp_path, segmentation):
    a = A.run(load_config(write_config(tmp_path, {"n_trials": 2_000, "seed": 99}, seed=7)),
              segmentation)
    assert a.params.seed == 99
    assert a.parameters.set_index("parameter").loc["seed", "set_by"] == "client config"
    b = S.simulate(a.params)
    assert np.array_equal(a.result.disruptor, b.disruptor)


# ------------------------------------------------------------------------------------------------
# Bad config sections
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("section, key", [
    ({"competitor": 3}, "strategy.competitor"),                  # unknown key (typo)
    ({"competitors": "nine"}, "strategy.competitors"),           # wrong type
    ({"competitors": 2.5}, "strategy.competitors"),              # int expected
    ({"stretch": -1.0}, "strategy.stretch"),                     # out of range
    ({"purpose_mix": {"IT": 0.5, "OT": 0.2}}, "strategy.purpose_mix"),   # does not sum to 1
    ({"purpose_mix": {"IT": 0.5, "XT": 0.5}}, "strategy.purpose_mix"),   # unknown purpose
    ({"success_definition": "mostly"}, "strategy.success_definition"),
])
def test_bad_strategy_section_names_the_key(tmp_path, segmentation, section, key):
    path = write_config(tmp_path, section)
    with pytest.raises(ConfigError) as err:
        A.run(load_config(path), segmentation)
    message = str(err.value)
    assert key in message and str(path) in message and "Fix" in message


def test_unknown_key_error_lists_the_allowed_keys(tmp_path, segmentation):
    with pytest.raises(ConfigError, match="did you mean 'competitors'") as err:
        A.run(load_config(write_config(tmp_path, {"competitor": 3})), segmentation)
    assert "stretch_limit" in str(err.value)


# ------------------------------------------------------------------------------------------------
# Money unit, narrative, charts
# ------------------------------------------------------------------------------------------------

def test_money_unit_is_budget_units_unless_the_config_sets_amounts(analysis, tmp_path,
                                                                    segmentation):
    assert "budget units" in analysis.money_unit
    a = A.run(load_config(write_config(tmp_path, {"n_trials": 2_000, "transformation_cost": 5e6,
                                                  "payoff_on_success": 4e7})), segmentation)
    assert a.money_unit == "EUR"
    assert a.parameters.set_index("parameter").loc["transformation_cost", "set_by"] == \
        "client config"


def test_narrative_escapes_client_text(tmp_path, segmentation):
    path = write_config(tmp_path, {"n_trials": 2_000, "transformation_cost": 2.0})
    data = yaml.safe_load(path.read_text())
    data["currency"] = "<script>x</script>"
    path.write_text(yaml.safe_dump(data))
    a = A.run(load_config(path), segmentation)
    text = a.headline()
    assert "<script>" not in text and "&#60;script&#62;" in text


def test_actions_name_purposes_without_sprints(tmp_path, segmentation):
    path = write_config(tmp_path, {"n_trials": 2_000,
                                   "purpose_mix": {"IT": 0.6, "OT": 0.0, "CT": 0.4}})
    a = A.run(load_config(path), segmentation)
    plan = a.purpose_plan().set_index("purpose")
    assert plan.loc["OT", "sprints"] == 0 and plan.loc["OT", "first_quarter"] == 0
    assert "OT gets no sprint" in a.actions()[0]


def test_stretch_window_and_best_stretch(analysis):
    lo, hi = analysis.stretch_window()
    ok = analysis.stretch[analysis.stretch["expected_difference"] >= 0]
    assert (lo, hi) == (ok["stretch"].min(), ok["stretch"].max())
    # value grows with stretch up to the limit and success falls beyond it
    assert analysis.best_stretch() == pytest.approx(analysis.params.stretch_limit)


def test_chart_builders_take_the_analysis_frames(analysis):
    p = analysis.params
    dist = C.chart_distributions(analysis.distribution, unit=analysis.money_unit).to_dict()
    assert len(dist["layer"]) == 2
    heat = C.chart_breakeven_map(analysis.breakeven, analysis.breakeven_line,
                                 current=(p.transformation_success_rate, p.competitors)).to_dict()
    assert [lay["mark"]["type"] if isinstance(lay["mark"], dict) else lay["mark"]
            for lay in heat["layer"]] == ["rect", "line", "point"]
    stretch = C.chart_breakeven_stretch(analysis.stretch, stretch_limit=p.stretch_limit,
                                        stretch=p.stretch).to_dict()
    assert len(stretch["layer"]) == 3
    road = C.chart_roadmap(analysis.roadmap).to_dict()
    scale = road["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"])) == PURPOSE_COLORS


def test_parameters_view_writes_mixes_readably(analysis):
    view = analysis.parameters_view().set_index("parameter")
    mix = analysis.params.purpose_mix
    expected = ", ".join(f"{p} {mix[p]:.0%}" for p in ("IT", "OT", "CT"))
    assert view.loc["purpose_mix", "value"] == expected
    assert mix["IT"] > 0.5  # the advisory firm: mostly staff IT
    assert view.loc["purpose_value_multiplier", "value"] == "IT 1, OT 1, CT 1"
    assert view.loc["competitors", "value"] == str(analysis.params.competitors)
