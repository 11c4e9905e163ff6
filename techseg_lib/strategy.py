"""Disruptor path versus alternative path: Monte Carlo over cited base rates.

The question: "should we try to be the disruptor?" Two paths are simulated for one organisation
over ``horizon_quarters``; all money is in one currency unit (the shipped defaults use budget
units where the disruptor's investment is 1.0).

Disruptor path (one trial)
    The transformation succeeds with probability ``p``, itself uncertain:
    ``p ~ Beta(m * kappa, (1 - m) * kappa)`` with mean ``m = transformation_success_rate``, variance
    ``u * m * (1 - m)`` and ``kappa = 1/u - 1`` (``u = success_rate_uncertainty``; ``u = 0`` fixes
    ``p = m``). Each of ``n = competitors`` rivals tries with probability ``q`` and succeeds with the
    same ``p``, so the number of rivals who also succeed is ``K ~ Binomial(n, q * p)``. Value:
    ``V / (1 + K) - C`` on success, ``-C - L`` on failure.

    Closed form (``u = 0``, ``r = q p``):
    ``E = p V E[1/(1+K)] - C - (1 - p) L`` with ``E[1/(1+K)] = (1 - (1 - r)^(n+1)) / ((n+1) r)``.

Alternative path (one trial)
    A deterministic roadmap: in quarter ``t = 0 .. H-1`` the organisation runs
    ``s_t = min(s_max, s0 + g t)`` sprints of ``w_t = min(w_max, w0 + g_w t)`` weeks ("take a sprint
    and build to longer, more frequent sprints"), allocated to the purposes IT / OT / CT in
    proportion to ``purpose_mix`` (largest-remainder rounding, ties in the order IT, OT, CT).
    Every sprint costs ``c_w * w_t``; it succeeds with ``p_eff`` and then delivers
    ``v_w * w_t * multiplier[purpose] * min(stretch, stretch_limit)``. ASSUMPTION (documented, not
    sourced): ``p_eff = p_base`` for ``stretch <= stretch_limit`` and
    ``p_base * exp(-k (stretch - stretch_limit))`` beyond it; value grows with ambition only up to
    the limit. Successes per (quarter, purpose) cell are ``Binomial(n_tj, p_eff)``.

    Closed form: ``E = sum over cells of n_tj (p_eff v_tj - c_tj)``.

Sampling is by inversion of the binomial CDF with one uniform per draw, from independent
streams (``numpy.random.SeedSequence(seed).spawn``) for the Beta draws, own success, rivals and
sprints. Consequences: the same seed gives identical arrays; with the same seed, adding
competitors never raises any trial's disruptor value, and stretching beyond the limit never
raises any trial's alternative value (common random numbers, pathwise). A higher success rate
raises the disruptor's *expected* value but not every trial's (more rivals succeed too).

Break-even maps combine the disruptor's exact outcome distribution (``n + 2`` atoms, probabilities
in closed form, also under Beta uncertainty) with one simulated sample of the alternative, so a
grid cell costs a searchsorted, not a simulation.
"""
from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from techseg_lib.errors import ConfigError

__all__ = [
    "PURPOSES", "PATHS", "StrategyParams", "StrategyResult", "load_defaults", "parameter_table",
    "success_definitions", "with_purpose_mix", "sprint_schedule", "sprint_roadmap",
    "effective_sprint_success", "disruptor_outcomes", "expected_disruptor", "expected_alternative",
    "expected_values", "simulate", "simulate_disruptor", "simulate_alternative", "summarise",
    "summary_frame", "distribution_frame", "breakeven_map", "breakeven_curve",
    "breakeven_success_rate", "breakeven_stretch",
]

PURPOSES: tuple[str, ...] = ("IT", "OT", "CT")
PATHS: tuple[str, ...] = ("disruptor", "alternative")

_DEFAULTS_PATH = Path(__file__).resolve().parent / "data" / "strategy_defaults.yaml"
_SHIPPED_CONFIDENCE = ("P", "P-m", "S")
_MAX_COMPETITORS = 1000


# ------------------------------------------------------------------------------------------------
# Shipped defaults
# ------------------------------------------------------------------------------------------------

def _check_basis(name: str, entry: Mapping[str, Any], path: str) -> None:
    """A shipped number must cite a P / P-m / S source (S with a caveat) or be an assumption."""
    src = entry.get("source")
    if entry.get("assumption") is True:
        if not str(entry.get("rationale", "")).strip():
            raise ConfigError(f"{path}: {name}: an assumption needs a one-line 'rationale'")
        if src is not None:
            raise ConfigError(f"{path}: {name}: give either 'source' or 'assumption: true', not both")
        return
    if not isinstance(src, Mapping):
        raise ConfigError(f"{path}: {name}: needs 'source' {{title, url, confidence}} or "
                          "'assumption: true' with a 'rationale'")
    for key in ("title", "url", "confidence"):
        if not str(src.get(key, "")).strip():
            raise ConfigError(f"{path}: {name}: source needs {key!r}")
    if src["confidence"] not in _SHIPPED_CONFIDENCE:
        raise ConfigError(f"{path}: {name}: confidence {src['confidence']!r} cannot be shipped; "
                          f"allowed: {', '.join(_SHIPPED_CONFIDENCE)} (NV and S-weak never)")
    if src["confidence"] == "S" and not str(src.get("caveat", "")).strip():
        raise ConfigError(f"{path}: {name}: a secondary (S) source needs a 'caveat'")


@lru_cache(maxsize=4)
def _load_defaults_cached(path: str) -> MappingProxyType:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read strategy defaults ({exc})") from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("parameters"), Mapping):
        raise ConfigError(f"{path}: expected a mapping with a 'parameters' section")
    for name, entry in raw["parameters"].items():
        if not isinstance(entry, Mapping) or "value" not in entry:
            raise ConfigError(f"{path}: parameters.{name}: needs a 'value'")
        _check_basis(f"parameters.{name}", entry, path)
    for name, entry in (raw.get("success_definitions") or {}).items():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("value"), (int, float)):
            raise ConfigError(f"{path}: success_definitions.{name}: needs a numeric 'value'")
        _check_basis(f"success_definitions.{name}", entry, path)
    return MappingProxyType(raw)


def load_defaults(path: str | Path | None = None) -> Mapping[str, Any]:
    """The shipped strategy defaults (or another file of the same shape), validated.

    Parameters
    ----------
    path : str or Path, optional
        YAML file with ``parameters`` (each ``value`` plus ``source`` {title, url, confidence} or
        ``assumption: true`` + ``rationale``) and ``success_definitions``. Default: the file shipped
        in ``techseg_lib/data/strategy_defaults.yaml``.

    Returns
    -------
    Mapping
        The parsed file (read-only at the top level).

    Raises
    ------
    ConfigError
        Unreadable file, a number without a source or assumption label, a source whose confidence
        is not P, P-m or S, or an S source without a caveat.
    """
    return _load_defaults_cached(str(path or _DEFAULTS_PATH))


def _default(name: str) -> Any:
    value = load_defaults()["parameters"][name]["value"]
    if isinstance(value, Mapping):
        return MappingProxyType(dict(value))
    return value


def success_definitions() -> pd.DataFrame:
    """Transformation success rates under the shipped definitions of success.

    Returns
    -------
    DataFrame
        Columns ``definition`` (str), ``success_rate`` (probability), ``description``, ``source``,
        ``url``, ``confidence``, ``caveat`` (empty string when none); ordered by success rate.
    """
    rows = []
    for name, e in load_defaults()["success_definitions"].items():
        s = e["source"]
        rows.append({"definition": name, "success_rate": float(e["value"]),
                     "description": str(e.get("description", "")), "source": s["title"],
                     "url": s["url"], "confidence": s["confidence"],
                     "caveat": str(s.get("caveat", ""))})
    return pd.DataFrame(rows).sort_values("success_rate", ignore_index=True)


def _definition_rates() -> dict[str, float]:
    return {k: float(v["value"]) for k, v in load_defaults()["success_definitions"].items()}


# ------------------------------------------------------------------------------------------------
# Parameters
# ------------------------------------------------------------------------------------------------

def _d(name: str) -> Any:
    return field(default_factory=lambda: _default(name))


# expected config type per field: "float" accepts int or float, "int" only int, "str", "mix"
_TYPES: dict[str, str] = {
    "transformation_success_rate": "float", "success_definition": "str",
    "success_rate_uncertainty": "float", "payoff_on_success": "float",
    "transformation_cost": "float", "failure_cost": "float", "competitors": "int",
    "share_competitors_trying": "float", "horizon_quarters": "int",
    "sprints_per_quarter_start": "int", "sprints_per_quarter_growth": "int",
    "sprints_per_quarter_max": "int", "sprint_weeks_start": "float", "sprint_weeks_growth": "float",
    "sprint_weeks_max": "float", "sprint_success_rate": "float", "sprint_value_per_week": "float",
    "sprint_cost_per_week": "float", "stretch": "float", "stretch_limit": "float",
    "stretch_steepness": "float", "purpose_mix": "mix", "purpose_value_multiplier": "mix",
    "n_trials": "int", "seed": "int",
}


def _bad(key: str, message: str, fix: str) -> ConfigError:
    return ConfigError(f"strategy.{key}: {message}. Fix: {fix}")


def _check_type(key: str, value: Any) -> None:
    kind = _TYPES[key]
    if kind == "float":
        ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
        expected = "a number"
    elif kind == "int":
        ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
        expected = "a whole number (int)"
    elif kind == "str":
        ok = isinstance(value, str)
        expected = "a string"
    else:
        ok = isinstance(value, Mapping)
        expected = "a mapping of purpose (IT, OT, CT) to a number"
    if not ok:
        raise _bad(key, f"expected {expected}, got {type(value).__name__} {value!r}",
                   f"write {key} as {expected}")
    if kind == "float" and not math.isfinite(float(value)):
        raise _bad(key, f"{value!r} is not finite", "use a finite number")


def _check_mix(key: str, value: Any, *, must_sum_to_one: bool) -> MappingProxyType:
    if not isinstance(value, Mapping):
        raise _bad(key, f"expected a mapping of purpose to a number, got {type(value).__name__}",
                   "write e.g. {IT: 0.5, OT: 0.2, CT: 0.3}")
    unknown = [k for k in value if k not in PURPOSES]
    if unknown:
        raise _bad(key, f"unknown purpose {unknown[0]!r}", "use only the purposes IT, OT, CT")
    out: dict[str, float] = {}
    for p in PURPOSES:
        v = value.get(p, 0.0 if must_sum_to_one else 1.0)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not math.isfinite(float(v)) or float(v) < 0:
            raise _bad(f"{key}.{p}", f"expected a finite number >= 0, got {v!r}",
                       "write a non-negative number")
        out[p] = float(v)
    if must_sum_to_one:
        total = sum(out.values())
        if abs(total - 1.0) > 1e-6:
            raise _bad(key, f"shares sum to {total:.6g}, not 1",
                       "give shares of IT, OT, CT that sum to 1 (e.g. from the segmentation)")
        out = {p: v / total for p, v in out.items()}
    return MappingProxyType(out)


@dataclass(frozen=True)
class StrategyParams:
    """All inputs of the strategy model; defaults from ``data/strategy_defaults.yaml``.

    Money is in one currency unit (defaults: budget units, transformation_cost = 1). Build from a
    client config with :meth:`from_config`; change fields with ``dataclasses.replace`` (values
    are validated again). See :func:`parameter_table` for each default's source.

    Attributes
    ----------
    transformation_success_rate : float
        Mean success probability ``m`` of the transformation, in [0, 1].
    success_definition : str
        Name of the definition behind the rate (see :func:`success_definitions`) or "custom".
        A named definition must match its rate.
    success_rate_uncertainty : float
        ``u`` in [0, 1): variance of ``p`` is ``u m (1 - m)``; 0 fixes ``p = m``.
    payoff_on_success : float
        ``V`` >= 0, value of an unshared success (money).
    transformation_cost : float
        ``C`` >= 0, the investment (money).
    failure_cost : float
        ``L`` >= 0, extra cost of a failure beyond ``C`` (money).
    competitors : int
        ``n`` in [0, 1000], rivals who could chase the same disruption.
    share_competitors_trying : float
        ``q`` in [0, 1], probability that each rival tries.
    horizon_quarters : int
        ``H`` in [1, 200], quarters of the alternative's roadmap.
    sprints_per_quarter_start, sprints_per_quarter_growth, sprints_per_quarter_max : int
        ``s_t = min(s_max, s0 + g t)`` sprints in quarter ``t`` (whole organisation); all >= 0,
        ``s_max >= s0``.
    sprint_weeks_start, sprint_weeks_growth, sprint_weeks_max : float
        ``w_t = min(w_max, w0 + g_w t)`` weeks per sprint; ``w0 > 0``, ``g_w >= 0``,
        ``w_max >= w0``.
    sprint_success_rate : float
        ``p_base`` in [0, 1], success probability of a sprint within the stretch limit.
    sprint_value_per_week : float
        ``v_w`` >= 0, value per week of a successful sprint at stretch 1 (money / sprint-week).
    sprint_cost_per_week : float
        ``c_w`` >= 0, cost per sprint-week (money / sprint-week).
    stretch : float
        Ambition / past velocity, > 0.
    stretch_limit : float
        > 0; beyond it value stops growing and success falls (assumption, see module doc).
    stretch_steepness : float
        ``k`` >= 0 in ``p_eff = p_base exp(-k (stretch - limit))``.
    purpose_mix : Mapping[str, float]
        Shares of sprints per purpose, keys IT, OT, CT, summing to 1.
    purpose_value_multiplier : Mapping[str, float]
        Value multiplier per purpose (>= 0).
    n_trials : int
        Default number of Monte Carlo trials, >= 1.
    seed : int
        Default seed, >= 0.
    """

    transformation_success_rate: float = _d("transformation_success_rate")
    success_definition: str = _d("success_definition")
    success_rate_uncertainty: float = _d("success_rate_uncertainty")
    payoff_on_success: float = _d("payoff_on_success")
    transformation_cost: float = _d("transformation_cost")
    failure_cost: float = _d("failure_cost")
    competitors: int = _d("competitors")
    share_competitors_trying: float = _d("share_competitors_trying")
    horizon_quarters: int = _d("horizon_quarters")
    sprints_per_quarter_start: int = _d("sprints_per_quarter_start")
    sprints_per_quarter_growth: int = _d("sprints_per_quarter_growth")
    sprints_per_quarter_max: int = _d("sprints_per_quarter_max")
    sprint_weeks_start: float = _d("sprint_weeks_start")
    sprint_weeks_growth: float = _d("sprint_weeks_growth")
    sprint_weeks_max: float = _d("sprint_weeks_max")
    sprint_success_rate: float = _d("sprint_success_rate")
    sprint_value_per_week: float = _d("sprint_value_per_week")
    sprint_cost_per_week: float = _d("sprint_cost_per_week")
    stretch: float = _d("stretch")
    stretch_limit: float = _d("stretch_limit")
    stretch_steepness: float = _d("stretch_steepness")
    purpose_mix: Mapping[str, float] = _d("purpose_mix")
    purpose_value_multiplier: Mapping[str, float] = _d("purpose_value_multiplier")
    n_trials: int = _d("n_trials")
    seed: int = _d("seed")

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_type(f.name, getattr(self, f.name))
        for f in fields(self):  # normalise numpy scalars to Python numbers
            kind = _TYPES[f.name]
            if kind in ("float", "int"):
                cast = float if kind == "float" else int
                object.__setattr__(self, f.name, cast(getattr(self, f.name)))
        object.__setattr__(self, "purpose_mix",
                           _check_mix("purpose_mix", self.purpose_mix, must_sum_to_one=True))
        object.__setattr__(self, "purpose_value_multiplier",
                           _check_mix("purpose_value_multiplier", self.purpose_value_multiplier,
                                      must_sum_to_one=False))

        def rng(key: str, lo: float, hi: float, lo_open: bool = False, hi_open: bool = False) -> None:
            v = getattr(self, key)
            if (v <= lo if lo_open else v < lo) or (v >= hi if hi_open else v > hi):
                span = f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"
                raise _bad(key, f"{v!r} is outside {span}", f"use a value in {span}")

        for key in ("transformation_success_rate", "share_competitors_trying",
                    "sprint_success_rate"):
            rng(key, 0.0, 1.0)
        rng("success_rate_uncertainty", 0.0, 1.0, hi_open=True)
        for key in ("payoff_on_success", "transformation_cost", "failure_cost",
                    "sprint_value_per_week", "sprint_cost_per_week", "stretch_steepness",
                    "sprint_weeks_growth"):
            rng(key, 0.0, math.inf)
        rng("competitors", 0, _MAX_COMPETITORS)
        rng("horizon_quarters", 1, 200)
        for key in ("sprints_per_quarter_start", "sprints_per_quarter_growth"):
            rng(key, 0, 10_000)
        rng("sprints_per_quarter_max", self.sprints_per_quarter_start, 10_000)
        rng("sprint_weeks_start", 0.0, 52.0, lo_open=True)
        rng("sprint_weeks_max", self.sprint_weeks_start, 52.0)
        for key in ("stretch", "stretch_limit"):
            rng(key, 0.0, 100.0, lo_open=True)
        rng("n_trials", 1, 100_000_000)
        rng("seed", 0, 2**63 - 1)
        rates = _definition_rates()
        if self.success_definition != "custom":
            if self.success_definition not in rates:
                raise _bad("success_definition", f"unknown definition {self.success_definition!r}",
                           f"use one of {', '.join(sorted(rates))} or custom")
            expected = rates[self.success_definition]
            if abs(self.transformation_success_rate - expected) > 1e-12:
                raise _bad("transformation_success_rate",
                           f"{self.transformation_success_rate!r} does not match success_definition "
                           f"{self.success_definition!r} ({expected})",
                           "drop one of the two keys, or set success_definition: custom")

    def __hash__(self) -> int:  # mappings are read-only views; hash their items
        return hash(tuple(tuple(sorted(v.items())) if isinstance(v, Mapping) else v
                          for v in (getattr(self, f.name) for f in fields(self))))

    @classmethod
    def allowed_keys(cls) -> tuple[str, ...]:
        """Keys accepted in the ``strategy:`` section of a client config."""
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> StrategyParams:
        """Parameters from the ``strategy:`` section of a client config.

        Parameters
        ----------
        section : Mapping or None
            Any subset of :meth:`allowed_keys`; missing keys take the shipped defaults. Giving
            ``success_definition`` alone sets the rate from that definition; giving
            ``transformation_success_rate`` alone marks the definition "custom".

        Returns
        -------
        StrategyParams

        Raises
        ------
        ConfigError
            Not a mapping; an unknown key (the message names it and lists the allowed keys); a
            value of the wrong type (names key and expected type); a value out of range.
        """
        if section is None:
            section = {}
        if not isinstance(section, Mapping):
            raise ConfigError(f"strategy: expected a mapping of parameters, got "
                              f"{type(section).__name__}. Fix: write 'strategy:' followed by "
                              "indented 'key: value' lines, or leave it out")
        allowed = cls.allowed_keys()
        for key in section:
            if key not in allowed:
                near = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                raise ConfigError(f"strategy.{key}: unknown key{hint}. Fix: use only the allowed "
                                  f"keys: {', '.join(allowed)}")
        for key, value in section.items():
            _check_type(str(key), value)
        kwargs = dict(section)
        if "success_definition" in kwargs and "transformation_success_rate" not in kwargs:
            rates = _definition_rates()
            name = kwargs["success_definition"]
            if name != "custom":
                if name not in rates:
                    raise _bad("success_definition", f"unknown definition {name!r}",
                               f"use one of {', '.join(sorted(rates))} or custom")
                kwargs["transformation_success_rate"] = rates[name]
        elif "transformation_success_rate" in kwargs and "success_definition" not in kwargs:
            kwargs["success_definition"] = "custom"
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        """Plain dict (mappings copied), e.g. for ``summary.json`` or a papermill parameter."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            out[f.name] = dict(v) if isinstance(v, Mapping) else v
        return out


def with_purpose_mix(params: StrategyParams, mix: Mapping[str, float] | pd.DataFrame
                     ) -> StrategyParams:
    """Copy of ``params`` with the sprint allocation taken from a segmentation result.

    Parameters
    ----------
    params : StrategyParams
    mix : Mapping or DataFrame
        ``{purpose: share}``, or a frame with columns ``purpose`` and ``share`` (as returned by
        ``techseg_lib.archetypes.purpose_mix``). Shares must sum to 1 (missing purposes are 0).

    Returns
    -------
    StrategyParams
    """
    if isinstance(mix, pd.DataFrame):
        if not {"purpose", "share"} <= set(mix.columns):
            raise ConfigError("purpose_mix: the frame needs columns 'purpose' and 'share'. Fix: "
                              "pass the output of archetypes.purpose_mix or a {purpose: share} dict")
        mix = {str(p): float(s) for p, s in zip(mix["purpose"], mix["share"])}
    return replace(params, purpose_mix=dict(mix))


def parameter_table(params: StrategyParams | None = None) -> pd.DataFrame:
    """Every parameter with its value, default and basis (source or assumption).

    Parameters
    ----------
    params : StrategyParams, optional
        Values to show; default: the shipped defaults.

    Returns
    -------
    DataFrame
        Columns ``parameter``, ``value``, ``default`` (both as display strings), ``changed``
        (bool), ``unit``, ``basis`` ("source" or "assumption"), ``confidence`` (empty for
        assumptions), ``source`` (title or the assumption's rationale), ``url``, ``caveat``.
    """
    params = params or StrategyParams()
    rows = []
    for name, entry in load_defaults()["parameters"].items():
        value = getattr(params, name)
        default = entry["value"]
        if isinstance(value, Mapping):
            value, default = dict(value), dict(default)
            changed = any(abs(value[k] - float(default.get(k, 0.0))) > 1e-9 for k in value)
        else:
            changed = value != default
        src = entry.get("source") or {}
        rows.append({
            "parameter": name, "value": str(value), "default": str(default),
            "changed": bool(changed), "unit": str(entry.get("unit", "")),
            "basis": "assumption" if entry.get("assumption") else "source",
            "confidence": str(src.get("confidence", "")),
            "source": str(src.get("title", entry.get("rationale", ""))),
            "url": str(src.get("url", "")), "caveat": str(src.get("caveat", "")),
        })
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------------
# Alternative path: roadmap and expectations
# ------------------------------------------------------------------------------------------------

def effective_sprint_success(params: StrategyParams, stretch: float | None = None) -> float:
    """Sprint success probability at a stretch: ``p_base`` up to the limit, then falling.

    ASSUMPTION: ``p_eff = p_base * exp(-k * (stretch - stretch_limit))`` beyond the limit.

    Parameters
    ----------
    params : StrategyParams
    stretch : float, optional
        Ambition / past velocity (> 0); default ``params.stretch``.

    Returns
    -------
    float
        Probability in [0, ``sprint_success_rate``].
    """
    s = params.stretch if stretch is None else float(stretch)
    excess = max(0.0, s - params.stretch_limit)
    return params.sprint_success_rate * math.exp(-params.stretch_steepness * excess)


def sprint_schedule(params: StrategyParams) -> tuple[np.ndarray, np.ndarray]:
    """Sprints per quarter and sprint length, before allocation to purposes.

    Returns
    -------
    sprints : ndarray of int64, shape (horizon_quarters,)
        ``min(s_max, s0 + g t)`` for ``t = 0 .. H-1``.
    weeks : ndarray of float64, shape (horizon_quarters,)
        ``min(w_max, w0 + g_w t)``, weeks per sprint.
    """
    t = np.arange(params.horizon_quarters)
    sprints = np.minimum(params.sprints_per_quarter_max,
                         params.sprints_per_quarter_start + params.sprints_per_quarter_growth * t)
    weeks = np.minimum(params.sprint_weeks_max,
                       params.sprint_weeks_start + params.sprint_weeks_growth * t)
    return sprints.astype(np.int64), weeks.astype(np.float64)


def _allocate(sprints: np.ndarray, mix: Mapping[str, float]) -> np.ndarray:
    """Largest-remainder split of whole sprints per quarter by purpose; shape (H, 3)."""
    shares = np.array([mix[p] for p in PURPOSES])
    raw = sprints[:, None] * shares[None, :]
    base = np.floor(raw + 1e-9).astype(np.int64)
    left = sprints - base.sum(axis=1)
    frac = raw - base
    order = np.argsort(-frac, axis=1, kind="stable")          # ties: IT, OT, CT
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(len(PURPOSES))[None, :].repeat(len(sprints), 0), 1)
    return base + (rank < left[:, None]).astype(np.int64)


def _cells(params: StrategyParams, stretch: float | None = None
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, float]:
    """Roadmap as (H, 3) arrays: sprints n, weeks w, value per success v, cost per sprint c; p_eff."""
    s = params.stretch if stretch is None else float(stretch)
    sprints, weeks = sprint_schedule(params)
    n = _allocate(sprints, params.purpose_mix)
    mult = np.array([params.purpose_value_multiplier[p] for p in PURPOSES])
    w = np.repeat(weeks[:, None], len(PURPOSES), axis=1)
    v = params.sprint_value_per_week * w * mult[None, :] * min(s, params.stretch_limit)
    c = params.sprint_cost_per_week * w
    return n, w, v, c, effective_sprint_success(params, s)


def sprint_roadmap(params: StrategyParams) -> pd.DataFrame:
    """The alternative path's roadmap, one row per quarter and purpose.

    Returns
    -------
    DataFrame
        Columns ``quarter`` (int, 1-based), ``purpose`` ("IT", "OT", "CT"), ``sprints`` (int),
        ``sprint_length_weeks`` (float), ``success_probability`` (``p_eff``),
        ``value_per_success`` and ``cost_per_sprint`` (money), ``expected_value``
        (``sprints * (p_eff * value_per_success - cost_per_sprint)``, money). Rows: ``3 H``.
    """
    n, w, v, c, p = _cells(params)
    h = params.horizon_quarters
    frame = pd.DataFrame({
        "quarter": np.repeat(np.arange(1, h + 1), len(PURPOSES)),
        "purpose": pd.Series(np.tile(PURPOSES, h), dtype="str"),
        "sprints": n.ravel(),
        "sprint_length_weeks": w.ravel(),
        "success_probability": np.full(n.size, p),
        "value_per_success": v.ravel(),
        "cost_per_sprint": c.ravel(),
    })
    frame["expected_value"] = frame["sprints"] * (p * frame["value_per_success"]
                                                  - frame["cost_per_sprint"])
    return frame


def expected_alternative(params: StrategyParams, stretch: float | None = None) -> float:
    """Closed-form expected value of the alternative path (money).

    ``E = sum over quarters t and purposes j of n_tj (p_eff v_tj - c_tj)``.

    Parameters
    ----------
    params : StrategyParams
    stretch : float, optional
        Overrides ``params.stretch``.
    """
    n, _, v, c, p = _cells(params, stretch)
    return float((n * (p * v - c)).sum())


# ------------------------------------------------------------------------------------------------
# Disruptor path: exact outcome distribution
# ------------------------------------------------------------------------------------------------

def _beta_shape(m: float, u: float) -> tuple[float, float] | None:
    """(a, b) of the Beta for the success rate, or None when p is fixed."""
    if u <= 0.0 or m <= 0.0 or m >= 1.0:
        return None
    kappa = 1.0 / u - 1.0
    return m * kappa, (1.0 - m) * kappa


def _xlogy(x: np.ndarray, y: float) -> np.ndarray:
    """x * log(y) with 0 * log(0) = 0."""
    x = np.asarray(x, dtype=np.float64)
    if y > 0:
        return x * math.log(y)
    return np.where(x == 0, 0.0, -np.inf)


def disruptor_outcomes(params: StrategyParams) -> tuple[np.ndarray, np.ndarray]:
    """Exact distribution of the disruptor's value: ``competitors + 2`` atoms.

    Atom 0 is failure (``-C - L``); atom ``1 + k`` is success with ``k`` rivals also succeeding
    (``V / (1 + k) - C``). With ``T ~ Binomial(n, q)`` rivals trying, own success and the rivals'
    successes are ``T + 1`` Bernoulli(p) draws given ``p``, so under ``p ~ Beta(a, b)``
    ``P(success, K = k) = sum_t Bin(t; n, q) C(t, k) B(a + k + 1, b + t - k) / B(a, b)``, a sum of
    positive terms (no cancellation); with ``u = 0`` the Beta ratio is ``p^(k+1) (1-p)^(t-k)``.

    Returns
    -------
    values : ndarray of float64, shape (n + 2,)
        Money.
    probs : ndarray of float64, shape (n + 2,)
        Probabilities summing to 1.
    """
    n, q = params.competitors, params.share_competitors_trying
    m, u = params.transformation_success_rate, params.success_rate_uncertainty
    V, C, L = params.payoff_on_success, params.transformation_cost, params.failure_cost
    k = np.arange(n + 1)
    values = np.concatenate([[-C - L], V / (1.0 + k) - C])
    kk, tt = np.meshgrid(k, k, indexing="ij")             # (k, t)
    valid = tt >= kk
    logfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    log_bin_t = logfact[n] - logfact[k] - logfact[n - k] + _xlogy(k, q) + _xlogy(n - k, 1.0 - q)
    kv, tv = np.where(valid, kk, 0), np.where(valid, tt, 0)
    log_c = logfact[tv] - logfact[kv] - logfact[tv - kv]
    shape = _beta_shape(m, u)
    if shape is None:
        log_beta = _xlogy(kv + 1, m) + _xlogy(tv - kv, 1.0 - m)
    else:
        a, b = shape
        steps = np.arange(n + 2)
        lra = np.concatenate([[0.0], np.cumsum(np.log(a + steps))])        # log rising(a, i)
        lrb = np.concatenate([[0.0], np.cumsum(np.log(b + steps))])
        lrab = np.concatenate([[0.0], np.cumsum(np.log(a + b + np.arange(n + 2)))])
        log_beta = lra[kv + 1] + lrb[tv - kv] - lrab[tv + 1]
    with np.errstate(invalid="ignore"):
        terms = np.exp(log_bin_t[None, :] + log_c + log_beta)
    terms = np.where(valid, np.nan_to_num(terms, nan=0.0), 0.0)
    p_success_k = terms.sum(axis=1)
    probs = np.concatenate([[1.0 - m], p_success_k])
    probs = np.clip(probs, 0.0, None)
    return values, probs / probs.sum()


def expected_disruptor(params: StrategyParams) -> float:
    """Expected value of the disruptor path (money), exact for any uncertainty.

    With ``success_rate_uncertainty = 0`` this equals
    ``p V (1 - (1 - r)^(n+1)) / ((n + 1) r) - C - (1 - p) L``, ``r = q p``.
    """
    values, probs = disruptor_outcomes(params)
    return float(values @ probs)


def expected_values(params: StrategyParams) -> dict[str, float]:
    """``{"disruptor": E, "alternative": E}`` in money, from the closed forms."""
    return {"disruptor": expected_disruptor(params), "alternative": expected_alternative(params)}


# ------------------------------------------------------------------------------------------------
# Simulation
# ------------------------------------------------------------------------------------------------

def _streams(seed: int | np.random.SeedSequence | np.random.Generator | None
             ) -> list[np.random.Generator]:
    """Four independent generators: beta, own success, rivals, sprints."""
    if isinstance(seed, np.random.Generator):
        return seed.spawn(4)
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return [np.random.default_rng(s) for s in ss.spawn(4)]


def _binom_cdf(n: int, p: float) -> np.ndarray:
    """CDF of Binomial(n, p) at 0..n (last entry exactly 1)."""
    k = np.arange(n + 1)
    logfact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    logpmf = logfact[n] - logfact - logfact[::-1] + _xlogy(k, p) + _xlogy(n - k, 1.0 - p)
    cdf = np.cumsum(np.exp(logpmf))
    cdf[-1] = 1.0
    return np.minimum(cdf, 1.0)


def _binom_inverse(u: np.ndarray, n: int, p: float | np.ndarray) -> np.ndarray:
    """Binomial(n, p) draws by CDF inversion of uniforms ``u`` (p scalar or per draw).

    Inversion makes draws monotone in ``n`` and ``p`` for a fixed ``u`` (common random numbers).
    """
    if n == 0:
        return np.zeros(u.shape, dtype=np.int64)
    if np.ndim(p) == 0:
        return np.searchsorted(_binom_cdf(n, float(p))[:-1], u, side="right").astype(np.int64)
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0 - 1e-15)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(p) - np.log1p(-p)
    logpmf = n * np.log1p(-p)
    cdf = np.exp(logpmf)
    out = np.zeros(u.shape, dtype=np.int64)
    for k in range(n):                                   # loop over outcomes, not trials
        below = cdf <= u
        if not below.any():
            break
        out += below
        logpmf = logpmf + (math.log(n - k) - math.log(k + 1)) + log_ratio
        cdf = cdf + np.exp(logpmf)
    return out


def simulate_disruptor(params: StrategyParams, n_trials: int, streams: list[np.random.Generator]
                       ) -> np.ndarray:
    """Disruptor values per trial, shape (n_trials,), money. ``streams`` from the seed (3 used)."""
    g_beta, g_own, g_rivals = streams[0], streams[1], streams[2]
    m, q, n = params.transformation_success_rate, params.share_competitors_trying, params.competitors
    shape = _beta_shape(m, params.success_rate_uncertainty)
    p: float | np.ndarray = m if shape is None else g_beta.beta(shape[0], shape[1], size=n_trials)
    success = g_own.random(n_trials) < p
    rivals = _binom_inverse(g_rivals.random(n_trials), n, q * p)
    V, C, L = params.payoff_on_success, params.transformation_cost, params.failure_cost
    return np.where(success, V / (1.0 + rivals) - C, -C - L)


def simulate_alternative(params: StrategyParams, n_trials: int, stream: np.random.Generator,
                         stretch: float | None = None) -> np.ndarray:
    """Alternative values per trial, shape (n_trials,), money; one uniform per trial per cell."""
    n, _, v, c, p = _cells(params, stretch)
    value = np.full(n_trials, -float((n * c).sum()))
    for (t, j) in zip(*np.nonzero(n)):                   # loop over roadmap cells, not trials
        successes = _binom_inverse(stream.random(n_trials), int(n[t, j]), p)
        value += v[t, j] * successes
    return value


@dataclass(frozen=True)
class StrategyResult:
    """Simulated values of both paths.

    Attributes
    ----------
    params : StrategyParams
    disruptor, alternative : ndarray of float64, shape (n_trials,)
        Value of each trial (money); trial i of both paths are independent draws.
    seed : int or None
        The seed used (None when a Generator was passed).
    """

    params: StrategyParams
    disruptor: np.ndarray
    alternative: np.ndarray
    seed: int | None = None

    @property
    def n_trials(self) -> int:
        return int(self.disruptor.shape[0])


def simulate(params: StrategyParams, *, n_trials: int | None = None,
             seed: int | np.random.Generator | None = None) -> StrategyResult:
    """Monte Carlo of both paths.

    Parameters
    ----------
    params : StrategyParams
    n_trials : int, optional
        Trials (>= 1); default ``params.n_trials``.
    seed : int or numpy.random.Generator, optional
        Default ``params.seed``. Four independent streams are spawned from it, so changing a
        parameter of one path never changes the random numbers of the other.

    Returns
    -------
    StrategyResult
        Arrays of shape (n_trials,).
    """
    n_trials = params.n_trials if n_trials is None else int(n_trials)
    if n_trials < 1:
        raise ConfigError(f"n_trials: {n_trials} is below 1. Fix: use at least 1 trial")
    seed = params.seed if seed is None else seed
    streams = _streams(seed)
    disruptor = simulate_disruptor(params, n_trials, streams)
    alternative = simulate_alternative(params, n_trials, streams[3])
    return StrategyResult(params, disruptor, alternative,
                          None if isinstance(seed, np.random.Generator) else int(seed))


# ------------------------------------------------------------------------------------------------
# Summaries and tidy frames
# ------------------------------------------------------------------------------------------------

def _stats(x: np.ndarray) -> dict[str, float]:
    p5, p95 = np.percentile(x, [5.0, 95.0])
    return {"mean": float(x.mean()), "p_loss": float((x < 0).mean()),
            "p5": float(p5), "p95": float(p95)}


def summarise(result: StrategyResult) -> dict[str, Any]:
    """Summary statistics, in the shape of ``summary.json``'s ``strategy`` object.

    Returns
    -------
    dict
        ``{"disruptor": {"mean", "p_loss", "p5", "p95"}, "alternative": {...},
        "p_alternative_wins": float}``; money for mean / p5 / p95, probabilities otherwise
        (``p_loss = P(value < 0)``, ``p_alternative_wins = P(alternative > disruptor)``).
    """
    return {
        "disruptor": _stats(result.disruptor),
        "alternative": _stats(result.alternative),
        "p_alternative_wins": float((result.alternative > result.disruptor).mean()),
    }


def summary_frame(result: StrategyResult) -> pd.DataFrame:
    """Summary as a frame: one row per path with ``mean``, ``mean_se`` (Monte Carlo standard
    error), ``expected`` (closed form), ``p_loss``, ``p5``, ``p95``; money / probabilities."""
    expected = expected_values(result.params)
    rows = []
    for path in PATHS:
        x = getattr(result, path)
        rows.append({"path": path, **_stats(x),
                     "mean_se": float(x.std(ddof=1) / math.sqrt(len(x))) if len(x) > 1 else math.nan,
                     "expected": expected[path]})
    return pd.DataFrame(rows)[["path", "mean", "mean_se", "expected", "p_loss", "p5", "p95"]]


def distribution_frame(result: StrategyResult, bins: int = 60) -> pd.DataFrame:
    """Histogram of both paths on common bins, tidy, for charts (2 * bins rows).

    Returns
    -------
    DataFrame
        Columns ``path`` ("disruptor" / "alternative"), ``bin_start``, ``bin_end``, ``bin_mid``
        (money), ``count`` (int), ``share`` (count / n_trials, in [0, 1]).
    """
    lo = float(min(result.disruptor.min(), result.alternative.min()))
    hi = float(max(result.disruptor.max(), result.alternative.max()))
    if hi <= lo:
        hi = lo + 1.0
    edges = np.linspace(lo, hi, int(bins) + 1)
    parts = []
    for path in PATHS:
        counts, _ = np.histogram(getattr(result, path), bins=edges)
        parts.append(pd.DataFrame({
            "path": pd.Series([path] * len(counts), dtype="str"),
            "bin_start": edges[:-1], "bin_end": edges[1:], "bin_mid": (edges[:-1] + edges[1:]) / 2,
            "count": counts.astype(np.int64), "share": counts / result.n_trials,
        }))
    return pd.concat(parts, ignore_index=True)


# ------------------------------------------------------------------------------------------------
# Break-even analysis
# ------------------------------------------------------------------------------------------------

def _p_greater(sorted_sample: np.ndarray, values: np.ndarray) -> np.ndarray:
    """P(A > value) from a sorted sample of A."""
    return 1.0 - np.searchsorted(sorted_sample, values, side="right") / len(sorted_sample)


def _custom_rate(params: StrategyParams, rate: float, **changes: Any) -> StrategyParams:
    return replace(params, transformation_success_rate=float(rate), success_definition="custom",
                   **changes)


def breakeven_map(params: StrategyParams, success_rates: np.ndarray | None = None,
                  competitors: np.ndarray | None = None, *, n_trials: int | None = None,
                  seed: int | None = None) -> pd.DataFrame:
    """Which path wins over a grid of transformation success rate x number of competitors.

    Per cell the disruptor's outcome distribution is exact (:func:`disruptor_outcomes`); the
    alternative does not depend on either axis, so one simulated sample of it serves the whole
    grid and ``P(alternative wins) = sum_k P(D = d_k) P(A > d_k)``.

    Parameters
    ----------
    params : StrategyParams
    success_rates : array-like of float in [0, 1], optional
        Default 0.05, 0.10, ..., 0.95.
    competitors : array-like of int in [0, 1000], optional
        Default 0 .. 20.
    n_trials, seed : optional
        Size and seed of the alternative's sample (defaults from ``params``).

    Returns
    -------
    DataFrame
        One row per cell: ``transformation_success_rate``, ``competitors``,
        ``expected_disruptor``, ``expected_alternative``, ``expected_difference``
        (alternative - disruptor, money), ``p_alternative_wins``, ``winner``
        ("alternative" or "disruptor", by expected value).
    """
    rates = np.round(np.arange(0.05, 0.951, 0.05), 10) if success_rates is None \
        else np.asarray(success_rates, dtype=float)
    comps = np.arange(0, 21) if competitors is None else np.asarray(competitors, dtype=int)
    n_trials = params.n_trials if n_trials is None else int(n_trials)
    alt = np.sort(simulate_alternative(params, n_trials,
                                       _streams(params.seed if seed is None else seed)[3]))
    e_alt = expected_alternative(params)
    rows = []
    for n in comps:
        for rate in rates:
            cell = _custom_rate(params, rate, competitors=int(n))
            values, probs = disruptor_outcomes(cell)
            e_d = float(values @ probs)
            rows.append((float(rate), int(n), e_d, e_alt, e_alt - e_d,
                         float(probs @ _p_greater(alt, values))))
    frame = pd.DataFrame(rows, columns=["transformation_success_rate", "competitors",
                                        "expected_disruptor", "expected_alternative",
                                        "expected_difference", "p_alternative_wins"])
    frame["winner"] = pd.Series(np.where(frame["expected_difference"] >= 0, "alternative",
                                         "disruptor"), dtype="str")
    return frame


def breakeven_success_rate(params: StrategyParams, competitors: int | None = None,
                           tol: float = 1e-9) -> float:
    """Transformation success rate at which both paths have the same expected value.

    The disruptor's expected value rises with the success rate, so bisection finds the root.

    Returns
    -------
    float
        Rate in [0, 1]; 0.0 if the disruptor wins even at rate 0; NaN if it never wins.
    """
    comp = params.competitors if competitors is None else int(competitors)
    e_alt = expected_alternative(params)

    def gap(rate: float) -> float:
        return expected_disruptor(_custom_rate(params, rate, competitors=comp)) - e_alt

    if gap(1.0) < 0:
        return math.nan
    if gap(0.0) >= 0:
        return 0.0
    lo, hi = 0.0, 1.0
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if gap(mid) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


def breakeven_curve(params: StrategyParams, competitors: np.ndarray | None = None
                    ) -> pd.DataFrame:
    """Break-even success rate per number of competitors (for a line over the map).

    Returns
    -------
    DataFrame
        Columns ``competitors`` (int) and ``breakeven_success_rate`` (NaN where the disruptor
        never wins in expectation).
    """
    comps = np.arange(0, 21) if competitors is None else np.asarray(competitors, dtype=int)
    return pd.DataFrame({"competitors": comps.astype(np.int64),
                         "breakeven_success_rate": [breakeven_success_rate(params, int(c))
                                                    for c in comps]})


def breakeven_stretch(params: StrategyParams, stretches: np.ndarray | None = None, *,
                      n_trials: int | None = None, seed: int | None = None) -> pd.DataFrame:
    """The alternative against the disruptor as the sprints' stretch varies.

    Each stretch reuses the same random numbers (common random numbers), so differences between
    rows are the model's, not noise.

    Parameters
    ----------
    stretches : array-like of float > 0, optional
        Default 0.5 .. 3.0 in steps of 0.1.
    n_trials, seed : optional
        Size and seed of each alternative sample (defaults from ``params``).

    Returns
    -------
    DataFrame
        Columns ``stretch``, ``success_probability`` (``p_eff``), ``expected_alternative``,
        ``expected_disruptor``, ``expected_difference`` (money), ``p_alternative_wins``.
    """
    grid = np.round(np.arange(0.5, 3.001, 0.1), 10) if stretches is None \
        else np.asarray(stretches, dtype=float)
    n_trials = params.n_trials if n_trials is None else int(n_trials)
    seed = params.seed if seed is None else seed
    values, probs = disruptor_outcomes(params)
    e_d = float(values @ probs)
    rows = []
    for s in grid:
        alt = np.sort(simulate_alternative(params, n_trials, _streams(seed)[3], stretch=float(s)))
        e_a = expected_alternative(params, stretch=float(s))
        rows.append((float(s), effective_sprint_success(params, float(s)), e_a, e_d, e_a - e_d,
                     float(probs @ _p_greater(alt, values))))
    return pd.DataFrame(rows, columns=["stretch", "success_probability", "expected_alternative",
                                       "expected_disruptor", "expected_difference",
                                       "p_alternative_wins"])
