"""Security consequences per purpose: FAIR frequency-severity simulation and the cost of lag.

The same security practice protects three different things: a CT breach puts customer data in
public (reputation, fines), an OT breach stops production (productivity, replacement), an IT
breach steals organisational knowledge or disables the organisation (competitive advantage,
productivity). This module puts numbers on each, in the terms of Open FAIR (O-RT):

* **Loss event frequency.** Per purpose, the threat event frequency ``T`` (threat events a year
  at exposure 1) and the vulnerability ``V`` (probability that a threat event becomes a loss
  event) are PERT ranges. Both are drawn **once per trial** (a trial is one simulated year), so
  they carry the uncertainty about the rate itself; given them, the number of loss events is
  ``N ~ Poisson(e * T * V)`` with ``e`` the purpose's exposure. Unconditionally ``N`` is a
  *mixed* Poisson count, over-dispersed relative to a Poisson with the same mean.
* **Loss magnitude.** Every loss event draws a loss for each of FAIR's six forms (productivity,
  response, replacement, fines and judgements, competitive advantage, reputation) from its own
  PERT range, independently; the event's loss is their sum ``X``.
* **Annual loss** is the sum of the losses of the simulated events (compound
  frequency-severity), never the frequency times one magnitude. Closed forms, used by the tests
  and by the lag curve (:func:`annual_loss_moments`)::

      E[S]   = e E[T] E[V] E[X]
      Var[S] = E[Var(S | lambda)] + Var(E[S | lambda])          (law of total variance)
             = E[lambda] E[X^2] + Var(lambda) E[X]^2,  lambda = e T V

  The first term is the compound Poisson variance for a fixed rate (``lambda E[X^2]``); the
  second is added because the rate itself is uncertain.

Exposure comes from the segmentation (:func:`exposure_from_items`): the criticality-weighted
count of a purpose's items divided by the purpose's ``reference_items`` (the estate the default
ranges describe), so exposure 1 means "the reference estate".

The **security lag** (:func:`security_lag`) projects the expected annual loss quarter by quarter
while sprints add items: when security keeps pace, every item (old and new) gets the maturing
vulnerability ``V (1 - r)^q``; when it lags, items added in the last ``lag_quarters`` quarters are
not yet covered and carry ``V + h (1 - V)`` instead. Both curves are exact expectations.

Defaults, each with its source or marked as an assumption, ship in
``techseg_lib/data/security_defaults.yaml``; a client config's ``security:`` section overrides
any of them (:meth:`SecurityParams.from_config`).

Units: money in the currency of the defaults (USD) per year (annual loss) or per loss event;
frequencies per year; probabilities in [0, 1].
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd
import yaml

from .distributions import PertTable, pert, pert_mean, pert_var
from .errors import ConfigError, TechsegError
from .segment import effective_purpose

__all__ = [
    "FORMS", "PURPOSES", "SCENARIOS", "HeatmapParams", "LagParams", "PertRange", "PurposeProfile",
    "SecurityParams", "SecurityResult", "annual_loss_moments", "criticality_weights",
    "defaults_table", "expected_loss_by_form", "exposure_from_items", "heat_map",
    "load_defaults", "loss_by_form", "loss_exceedance", "score_items", "security_lag",
    "simulate", "sprint_pace_schedule", "summarise", "summary_dict",
]

PURPOSES: tuple[str, ...] = ("IT", "OT", "CT")
"""Purposes in the order of every array axis this module returns."""

FORMS: tuple[str, ...] = ("productivity", "response", "replacement", "fines_and_judgements",
                          "competitive_advantage", "reputation")
"""FAIR's six forms of loss, in the order of every array axis this module returns."""

SCENARIOS: tuple[str, ...] = ("keeps_pace", "lags")

_BLOCK = 1 << 18  # trials per block in simulate(): bounds memory, results do not depend on it
_SECTION = "security"


# ============================================================================ parameters
@dataclass(frozen=True)
class PertRange:
    """A PERT range: minimum, most likely and maximum, ``min <= mode <= max``.

    ``min == max`` is a constant. Units are those of the quantity (events a year, probability,
    money per event).
    """

    min: float
    mode: float
    max: float

    @property
    def mean(self) -> float:
        """PERT mean ``(min + 4 mode + max) / 6``."""
        return float(pert_mean(self.min, self.mode, self.max))

    @property
    def var(self) -> float:
        """PERT variance (from its Beta form)."""
        return float(pert_var(self.min, self.mode, self.max))

    @property
    def second_moment(self) -> float:
        """``E[X^2] = var + mean^2``."""
        return self.var + self.mean**2

    def scaled(self, factor: float) -> "PertRange":
        """The range with all three values multiplied by ``factor >= 0``."""
        return PertRange(self.min * factor, self.mode * factor, self.max * factor)


@dataclass(frozen=True)
class PurposeProfile:
    """FAIR inputs of one purpose.

    Attributes
    ----------
    threat_event_frequency : PertRange
        Threat events a year at exposure 1, ``>= 0``.
    vulnerability : PertRange
        Probability that a threat event becomes a loss event, in [0, 1].
    loss : Mapping[str, PertRange]
        Loss per loss event for each form in :data:`FORMS`, money ``>= 0``.
    reference_items : float
        Criticality-weighted item count that makes exposure 1, ``> 0``.
    """

    threat_event_frequency: PertRange
    vulnerability: PertRange
    loss: Mapping[str, PertRange]
    reference_items: float

    @property
    def per_event_mean(self) -> float:
        """``E[X]``: mean loss per loss event, summed over the six forms (money)."""
        return sum(self.loss[f].mean for f in FORMS)

    @property
    def per_event_second_moment(self) -> float:
        """``E[X^2]`` of the per-event loss (forms independent: variances add)."""
        return sum(self.loss[f].var for f in FORMS) + self.per_event_mean**2

    @property
    def loss_event_rate(self) -> float:
        """``E[T] E[V]``: expected loss events a year at exposure 1."""
        return self.threat_event_frequency.mean * self.vulnerability.mean


@dataclass(frozen=True)
class LagParams:
    """Parameters of the security-lag projection (:func:`security_lag`).

    Attributes
    ----------
    horizon_quarters : int
        Quarters projected, ``>= 1``.
    maturity_rate : float
        Fraction by which security maturity cuts vulnerability each quarter, in [0, 1):
        quarter ``q`` has vulnerability ``V (1 - maturity_rate)^q`` on covered items.
    lag_quarters : int
        When security lags, quarters an item added by a sprint stays uncovered, ``>= 0``.
    uncovered_uplift : float
        ``h`` in [0, 1]: an uncovered item's vulnerability is ``V + h (1 - V)``.
    items_per_sprint : float
        Items (of medium criticality) each sprint puts into use, ``>= 0``.
    """

    horizon_quarters: int
    maturity_rate: float
    lag_quarters: int
    uncovered_uplift: float
    items_per_sprint: float


@dataclass(frozen=True)
class HeatmapParams:
    """Score thresholds of the 5x5 likelihood x impact heat map (:func:`score_items`).

    Attributes
    ----------
    likelihood_thresholds : tuple of 4 floats
        Increasing cut points in (0, 1) on an item's annual probability of at least one loss
        event; score = 1 + number of cut points at or below the probability.
    impact_thresholds : tuple of 4 floats
        Increasing cut points (money, ``> 0``) on the mean loss per loss event.
    """

    likelihood_thresholds: tuple[float, ...]
    impact_thresholds: tuple[float, ...]


@dataclass(frozen=True)
class SecurityParams:
    """All inputs of the security model; build with :meth:`defaults` or :meth:`from_config`.

    Attributes
    ----------
    purposes : Mapping[str, PurposeProfile]
        One profile per purpose in :data:`PURPOSES`.
    criticality_weights : Mapping[str, float]
        Folded criticality label (``"high"``, ``"tier_1"``, ``"3"``) -> weight in the exposure.
    lag : LagParams
    heatmap : HeatmapParams
    currency : str
        Currency of every money amount (label only).
    """

    purposes: Mapping[str, PurposeProfile]
    criticality_weights: Mapping[str, float]
    lag: LagParams
    heatmap: HeatmapParams
    currency: str = "USD"

    @classmethod
    def defaults(cls) -> "SecurityParams":
        """The shipped defaults (``data/security_defaults.yaml``)."""
        return cls.from_config(None)

    @classmethod
    def from_config(cls, section: Mapping[str, Any] | None) -> "SecurityParams":
        """Defaults overridden by the ``security:`` section of a client config.

        Parameters
        ----------
        section : mapping or None
            Any subset of the defaults' shape, for example::

                IT:
                  threat_event_frequency: {mode: 8}        # partial range: min/max kept
                  loss: {reputation: {min: 0, mode: 2.0e+5, max: 3.0e+6}}
                  reference_items: 120
                lag: {maturity_rate: 0.08, lag_quarters: 3}
                criticality_weights: {gold: 4}             # adds or changes labels
                heatmap: {impact_thresholds: [1.0e+5, 5.0e+5, 2.0e+6, 8.0e+6]}
                currency: EUR

            ``None`` or an empty mapping gives the defaults.

        Raises
        ------
        ConfigError
            Naming the key path (``security.IT.loss.reputaton``) and the allowed keys or
            values: unknown keys, non-numbers, ``min <= mode <= max`` violated after merging,
            probabilities outside [0, 1], negative amounts, bad lag or heat-map settings.
        """
        merged = _merge_config(_default_numbers(), section)
        return _build(merged)

    def with_purpose(self, purpose: str, **changes: Any) -> "SecurityParams":
        """A copy with fields of one :class:`PurposeProfile` replaced (no validation)."""
        profiles = dict(self.purposes)
        profiles[purpose] = replace(profiles[purpose], **changes)
        return replace(self, purposes=MappingProxyType(profiles))

    def with_lag(self, **changes: Any) -> "SecurityParams":
        """A copy with fields of :class:`LagParams` replaced (no validation)."""
        return replace(self, lag=replace(self.lag, **changes))


# ---------------------------------------------------------------------------- config loading
_RANGE_KEYS = ("min", "mode", "max")
_PURPOSE_KEYS = ("threat_event_frequency", "vulnerability", "loss", "reference_items")
_LAG_KEYS = ("horizon_quarters", "maturity_rate", "lag_quarters", "uncovered_uplift",
             "items_per_sprint")
_HEATMAP_KEYS = ("likelihood_thresholds", "impact_thresholds")
_TOP_KEYS = (*PURPOSES, "criticality_weights", "lag", "heatmap", "currency")
_META_KEYS = ("assumption", "rationale", "sources", "unit", "caveat")


@lru_cache(maxsize=1)
def _raw_defaults() -> dict:
    text = resources.files("techseg_lib").joinpath("data/security_defaults.yaml").read_text(
        encoding="utf-8")
    return yaml.safe_load(text)


def load_defaults() -> dict:
    """The shipped defaults file as a dict, with its ``sources`` and every entry's provenance.

    Raises
    ------
    ConfigError
        If an entry has neither ``sources`` nor ``assumption: true`` with a ``rationale``, or
        cites a source that is not listed or whose confidence is S-weak / NV (a packaging bug).
    """
    raw = _raw_defaults()
    sources = raw.get("sources", {})
    for path, entry in _iter_entries(raw):
        cited = entry.get("sources", [])
        for sid in cited:
            if sid not in sources:
                raise ConfigError(f"security_defaults.yaml: {path} cites unknown source {sid!r}")
            if sources[sid]["confidence"] not in ("P", "P-m", "S"):
                raise ConfigError(f"security_defaults.yaml: {path} cites {sid!r} with confidence "
                                  f"{sources[sid]['confidence']}; only P, P-m and S may be used")
            if sources[sid]["confidence"] == "S" and not sources[sid].get("caveat"):
                raise ConfigError(f"security_defaults.yaml: source {sid!r} is S without a caveat")
        if not cited and not (entry.get("assumption") is True and entry.get("rationale")):
            raise ConfigError(f"security_defaults.yaml: {path} needs sources or "
                              "'assumption: true' with a rationale")
    return raw


def _iter_entries(raw: Mapping):
    """Yield (key path, entry dict) for every default number or range in the raw file."""
    for p in PURPOSES:
        for key in ("reference_items", "threat_event_frequency", "vulnerability"):
            yield f"{p}.{key}", raw[p][key]
        for form in FORMS:
            yield f"{p}.loss.{form}", raw[p]["loss"][form]
    yield "criticality_weights", raw["criticality_weights"]
    for key in _LAG_KEYS:
        yield f"lag.{key}", raw["lag"][key]
    for key in _HEATMAP_KEYS:
        yield f"heatmap.{key}", raw["heatmap"][key]


def _default_numbers() -> dict:
    """The defaults stripped to numbers, in the shape a config section has."""
    raw = load_defaults()

    def rng_(entry):
        return {k: entry[k] for k in _RANGE_KEYS}

    out: dict = {"currency": raw.get("currency", "USD")}
    for p in PURPOSES:
        out[p] = {
            "reference_items": raw[p]["reference_items"]["value"],
            "threat_event_frequency": rng_(raw[p]["threat_event_frequency"]),
            "vulnerability": rng_(raw[p]["vulnerability"]),
            "loss": {f: rng_(raw[p]["loss"][f]) for f in FORMS},
        }
    out["criticality_weights"] = dict(raw["criticality_weights"]["value"])
    out["lag"] = {k: raw["lag"][k]["value"] for k in _LAG_KEYS}
    out["heatmap"] = {k: list(raw["heatmap"][k]["value"]) for k in _HEATMAP_KEYS}
    return out


def _unknown(path: str, key: Any, allowed) -> ConfigError:
    return ConfigError(f"{path}.{key}: unknown key. Allowed keys: {', '.join(map(str, allowed))}")


def _mapping(path: str, value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{path}: expected a mapping of keys to values, got "
                          f"{type(value).__name__} {value!r}")
    return value


def _number(path: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{path}: expected a finite number, got {value!r}. Fix: write a plain "
                          "number such as 250000 or 2.5e+5 (YAML reads 2.5e5 without a sign as "
                          "text)")
    return float(value)


def _merge_config(base: dict, section: Mapping | None) -> dict:
    """Deep-merge a user ``security:`` section onto the default numbers, checking key names."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for p in PURPOSES:
        merged[p] = {**base[p], "loss": {f: dict(r) for f, r in base[p]["loss"].items()},
                     "threat_event_frequency": dict(base[p]["threat_event_frequency"]),
                     "vulnerability": dict(base[p]["vulnerability"])}
    if section is None:
        return merged
    section = _mapping(_SECTION, section)
    for key, value in section.items():
        path = f"{_SECTION}.{key}"
        if key in PURPOSES:
            for pkey, pval in _mapping(path, value).items():
                ppath = f"{path}.{pkey}"
                if pkey == "reference_items":
                    merged[key][pkey] = _number(ppath, pval)
                elif pkey in ("threat_event_frequency", "vulnerability"):
                    merged[key][pkey].update(_range_update(ppath, pval))
                elif pkey == "loss":
                    for form, fval in _mapping(ppath, pval).items():
                        if form not in FORMS:
                            raise _unknown(ppath, form, FORMS)
                        merged[key]["loss"][form].update(_range_update(f"{ppath}.{form}", fval))
                else:
                    raise _unknown(path, pkey, _PURPOSE_KEYS)
        elif key == "lag":
            for lkey, lval in _mapping(path, value).items():
                if lkey not in _LAG_KEYS:
                    raise _unknown(path, lkey, _LAG_KEYS)
                merged["lag"][lkey] = _number(f"{path}.{lkey}", lval)
        elif key == "heatmap":
            for hkey, hval in _mapping(path, value).items():
                if hkey not in _HEATMAP_KEYS:
                    raise _unknown(path, hkey, _HEATMAP_KEYS)
                if not isinstance(hval, (list, tuple)):
                    raise ConfigError(f"{path}.{hkey}: expected a list of 4 increasing numbers, "
                                      f"got {hval!r}")
                merged["heatmap"][hkey] = [_number(f"{path}.{hkey}[{i}]", v)
                                           for i, v in enumerate(hval)]
        elif key == "criticality_weights":
            for label, w in _mapping(path, value).items():
                merged["criticality_weights"][_fold(label)] = _number(f"{path}.{label}", w)
        elif key == "currency":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{path}: expected a currency label such as USD, got {value!r}")
            merged["currency"] = value.strip()
        else:
            raise _unknown(_SECTION, key, _TOP_KEYS)
    return merged


def _range_update(path: str, value: Any) -> dict:
    value = _mapping(path, value)
    out = {}
    for k, v in value.items():
        if k not in _RANGE_KEYS:
            raise _unknown(path, k, _RANGE_KEYS)
        out[k] = _number(f"{path}.{k}", v)
    return out


def _build_range(path: str, d: Mapping, lo: float = 0.0, hi: float = math.inf) -> PertRange:
    r = PertRange(float(d["min"]), float(d["mode"]), float(d["max"]))
    if not r.min <= r.mode <= r.max:
        raise ConfigError(f"{path}: needs min <= mode <= max, got min={r.min:g}, "
                          f"mode={r.mode:g}, max={r.max:g} (after merging with the defaults). "
                          "Fix: give all three values")
    if r.min < lo or r.max > hi:
        what = "a probability in [0, 1]" if hi == 1.0 else "non-negative"
        raise ConfigError(f"{path}: every value must be {what}, got min={r.min:g}, "
                          f"max={r.max:g}")
    return r


def _build(m: Mapping) -> SecurityParams:
    profiles = {}
    for p in PURPOSES:
        path = f"{_SECTION}.{p}"
        ref = float(m[p]["reference_items"])
        if not ref > 0:
            raise ConfigError(f"{path}.reference_items: must be > 0, got {ref:g}")
        profiles[p] = PurposeProfile(
            threat_event_frequency=_build_range(f"{path}.threat_event_frequency",
                                                m[p]["threat_event_frequency"]),
            vulnerability=_build_range(f"{path}.vulnerability", m[p]["vulnerability"], 0.0, 1.0),
            loss=MappingProxyType({f: _build_range(f"{path}.loss.{f}", m[p]["loss"][f])
                                   for f in FORMS}),
            reference_items=ref,
        )
    lag = m["lag"]
    path = f"{_SECTION}.lag"
    for key in ("horizon_quarters", "lag_quarters"):
        v = lag[key]
        if float(v) != int(v) or int(v) < (1 if key == "horizon_quarters" else 0):
            raise ConfigError(f"{path}.{key}: must be a whole number >= "
                              f"{1 if key == 'horizon_quarters' else 0}, got {v!r}")
    if not 0.0 <= lag["maturity_rate"] < 1.0:
        raise ConfigError(f"{path}.maturity_rate: must lie in [0, 1), got {lag['maturity_rate']!r}")
    if not 0.0 <= lag["uncovered_uplift"] <= 1.0:
        raise ConfigError(f"{path}.uncovered_uplift: must lie in [0, 1], got "
                          f"{lag['uncovered_uplift']!r}")
    if lag["items_per_sprint"] < 0:
        raise ConfigError(f"{path}.items_per_sprint: must be >= 0, got {lag['items_per_sprint']!r}")
    lag_params = LagParams(int(lag["horizon_quarters"]), float(lag["maturity_rate"]),
                           int(lag["lag_quarters"]), float(lag["uncovered_uplift"]),
                           float(lag["items_per_sprint"]))
    hm = m["heatmap"]
    for key, hi in (("likelihood_thresholds", 1.0), ("impact_thresholds", math.inf)):
        v = hm[key]
        if len(v) != 4 or any(b <= a for a, b in zip(v, v[1:])) or v[0] <= 0 or v[-1] >= hi:
            bound = "in (0, 1)" if hi == 1.0 else "> 0"
            raise ConfigError(f"{_SECTION}.heatmap.{key}: needs 4 strictly increasing numbers "
                              f"{bound}, got {v!r}")
    weights = {}
    for label, w in m["criticality_weights"].items():
        if w < 0:
            raise ConfigError(f"{_SECTION}.criticality_weights.{label}: must be >= 0, got {w:g}")
        weights[_fold(label)] = float(w)
    return SecurityParams(
        purposes=MappingProxyType(profiles),
        criticality_weights=MappingProxyType(weights),
        lag=lag_params,
        heatmap=HeatmapParams(tuple(map(float, hm["likelihood_thresholds"])),
                              tuple(map(float, hm["impact_thresholds"]))),
        currency=str(m.get("currency", "USD")),
    )


def defaults_table() -> pd.DataFrame:
    """Every shipped default with its provenance, one row per number or range (tidy).

    Returns
    -------
    DataFrame
        Columns ``key`` (path, e.g. ``CT.loss.reputation``), ``min``, ``mode``, ``max`` (ranges;
        NaN otherwise), ``value`` (single numbers as text; NaN for ranges), ``assumption``
        (bool), ``rationale``, ``sources`` (titles joined by "; "), ``urls``, ``confidence``.
    """
    raw = load_defaults()
    src = raw["sources"]
    rows = []
    for path, entry in _iter_entries(raw):
        cited = entry.get("sources", [])
        rows.append({
            "key": path,
            "min": entry.get("min", np.nan), "mode": entry.get("mode", np.nan),
            "max": entry.get("max", np.nan),
            "value": str(entry["value"]) if "value" in entry else np.nan,
            "assumption": bool(entry.get("assumption", False)),
            "rationale": entry.get("rationale", ""),
            "sources": "; ".join(src[s]["title"] for s in cited),
            "urls": "; ".join(src[s]["url"] for s in cited),
            "confidence": "; ".join(src[s]["confidence"] for s in cited),
        })
    return pd.DataFrame(rows)


# ============================================================================ exposure
def _fold(label: Any) -> str:
    """Fold a criticality label: lower case, runs of non-alphanumerics to ``_``; 3.0 -> '3'."""
    if isinstance(label, (int, float, np.integer, np.floating)) and not isinstance(label, bool):
        if float(label) == int(label):
            return str(int(label))
        return str(label)
    text = "".join(ch if ch.isalnum() else " " for ch in str(label).strip().lower())
    text = "_".join(text.split())
    try:
        number = float(text.replace("_", "."))
    except ValueError:
        return text
    return str(int(number)) if number == int(number) else text


def criticality_weights(values: pd.Series, params: SecurityParams) -> np.ndarray:
    """Exposure weight of each item from its criticality.

    Parameters
    ----------
    values : Series
        Criticality labels or numbers (``"High"``, ``"Tier 1"``, ``3``); missing = medium.
    params : SecurityParams
        Supplies ``criticality_weights`` (defaults: low 0.5, medium 1, high 2, critical 4;
        1-5 with 5 the most critical; tier 1-4 with tier 1 the most critical).

    Returns
    -------
    ndarray of float, shape (len(values),)

    Raises
    ------
    TechsegError
        Listing the labels not in the mapping and the known labels.
    """
    weights = params.criticality_weights
    uniques = pd.unique(values.dropna())
    folded = {u: _fold(u) for u in uniques}  # one fold per distinct label, not per row
    unknown = sorted({f for f in folded.values() if f not in weights})
    if unknown:
        raise TechsegError(
            f"criticality values not understood: {', '.join(unknown)}. Known: "
            f"{', '.join(weights)}. Fix: add them under security.criticality_weights in the "
            "client config (label: weight, medium = 1)")
    lookup = {u: weights[f] for u, f in folded.items()}
    out = values.map(lookup).astype(float).fillna(1.0).to_numpy(dtype=float, copy=True)
    return out


def exposure_from_items(items: pd.DataFrame, params: SecurityParams) -> dict[str, float]:
    """Each purpose's exposure from the segmented portfolio.

    ``exposure[p] = sum of criticality weights of p's items / params.purposes[p].reference_items``

    so a purpose whose estate matches the reference (default 80 IT, 40 OT, 30 CT items of
    medium criticality) has exposure 1, twice as many items (or half as many of twice the
    criticality) exposure 2, and a purpose with no items exposure 0. The purpose is
    ``purpose_override`` where that column holds a valid purpose, else ``purpose``.

    Parameters
    ----------
    items : DataFrame
        Columns ``purpose`` (IT/OT/CT), optional ``criticality`` and ``purpose_override``.
    params : SecurityParams

    Returns
    -------
    dict
        ``{"IT": float, "OT": float, "CT": float}``, each ``>= 0`` (dimensionless).
    """
    purpose = effective_purpose(items)
    if "criticality" in items.columns:
        w = criticality_weights(items["criticality"], params)
    else:
        w = np.ones(len(items))
    return {p: float(w[(purpose == p).to_numpy()].sum() / params.purposes[p].reference_items)
            for p in PURPOSES}


def _resolve_exposure(exposure, params: SecurityParams) -> dict[str, float]:
    if exposure is None:
        return {p: 1.0 for p in PURPOSES}
    if isinstance(exposure, pd.DataFrame):
        return exposure_from_items(exposure, params)
    out = {}
    for p in PURPOSES:
        v = exposure.get(p, 0.0)
        if not (isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v) and v >= 0):
            raise TechsegError(f"exposure[{p!r}] must be a number >= 0, got {v!r}")
        out[p] = float(v)
    extra = set(exposure) - set(PURPOSES)
    if extra:
        raise TechsegError(f"exposure has unknown purposes {sorted(extra)}; allowed: "
                           f"{', '.join(PURPOSES)}")
    return out


# ============================================================================ closed forms
def annual_loss_moments(params: SecurityParams, exposure=None) -> pd.DataFrame:
    """Exact mean and variance of the annual loss per purpose (see the module docstring).

    Parameters
    ----------
    params : SecurityParams
    exposure : dict, DataFrame or None
        Exposure per purpose (dict), items to compute it from (:func:`exposure_from_items`), or
        None for exposure 1 everywhere.

    Returns
    -------
    DataFrame
        One row per purpose plus ``total`` (sum; purposes are simulated independently, so
        variances add): ``purpose``, ``exposure``, ``loss_event_rate`` (E[N], events a year),
        ``per_event_loss`` (E[X]), ``mean`` (E[S], money a year), ``variance`` (Var[S]).
    """
    exp = _resolve_exposure(exposure, params)
    rows = []
    for p in PURPOSES:
        prof = params.purposes[p]
        e = exp[p]
        t, v = prof.threat_event_frequency, prof.vulnerability
        lam_mean = e * t.mean * v.mean
        lam_var = e**2 * (t.second_moment * v.second_moment - (t.mean * v.mean) ** 2)
        ex, ex2 = prof.per_event_mean, prof.per_event_second_moment
        rows.append({"purpose": p, "exposure": e, "loss_event_rate": lam_mean,
                     "per_event_loss": ex, "mean": lam_mean * ex,
                     "variance": lam_mean * ex2 + lam_var * ex**2})
    df = pd.DataFrame(rows)
    total = {"purpose": "total", "exposure": np.nan,
             "loss_event_rate": df["loss_event_rate"].sum(), "per_event_loss": np.nan,
             "mean": df["mean"].sum(), "variance": df["variance"].sum()}
    return pd.concat([df, pd.DataFrame([total])], ignore_index=True)


def expected_loss_by_form(params: SecurityParams, exposure=None) -> pd.DataFrame:
    """Exact expected annual loss per purpose and form, ``e E[T] E[V] E[X_form]`` (tidy).

    Returns
    -------
    DataFrame
        ``purpose``, ``form``, ``mean_loss`` (money a year), ``share`` (of the purpose's total).
    """
    exp = _resolve_exposure(exposure, params)
    rows = []
    for p in PURPOSES:
        prof = params.purposes[p]
        rate = exp[p] * prof.loss_event_rate
        total = rate * prof.per_event_mean
        for f in FORMS:
            m = rate * prof.loss[f].mean
            rows.append({"purpose": p, "form": f, "mean_loss": m,
                         "share": m / total if total > 0 else np.nan})
    return pd.DataFrame(rows)


# ============================================================================ simulation
@dataclass(frozen=True)
class SecurityResult:
    """Simulated annual losses.

    Attributes
    ----------
    annual_loss : ndarray, shape (3, n_trials)
        Annual loss per purpose (rows in :data:`PURPOSES` order) and trial, money a year.
    total_loss : ndarray, shape (n_trials,)
        Sum over purposes per trial.
    loss_events : ndarray of int64, shape (3, n_trials)
        Loss events per purpose and trial.
    form_loss : ndarray, shape (3, 6)
        Mean annual loss per purpose and form (:data:`FORMS` order), money a year.
    exposure : Mapping[str, float]
        Exposure used per purpose.
    currency : str
    """

    annual_loss: np.ndarray
    total_loss: np.ndarray
    loss_events: np.ndarray
    form_loss: np.ndarray
    exposure: Mapping[str, float]
    currency: str = "USD"
    purposes: tuple[str, ...] = field(default=PURPOSES)
    forms: tuple[str, ...] = field(default=FORMS)

    @property
    def n_trials(self) -> int:
        """Number of simulated years."""
        return int(self.total_loss.shape[0])


def _as_generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError("rng must be a numpy.random.Generator or an int seed")


def simulate(params: SecurityParams, exposure=None, *, n_trials: int = 100_000, rng,
             sampler: str = "table") -> SecurityResult:
    """Simulate annual losses per purpose: compound, mixed-Poisson frequency-severity.

    Per purpose and trial: ``T`` and ``V`` from their PERT ranges, ``N ~ Poisson(e T V)``; per
    loss event one PERT draw for each of the six forms; the trial's annual loss is the sum over
    its events (``np.bincount`` over the event -> trial index). Trials are processed in blocks
    of 2**18 to bound memory (a few hundred MB at most); each purpose and each stage (``T``,
    ``V``, counts, each form) has its own random stream spawned from ``rng``, so results do not
    depend on the block size, and changing one loss range leaves every other draw unchanged
    (common random numbers).

    Parameters
    ----------
    params : SecurityParams
    exposure : dict, DataFrame or None
        See :func:`annual_loss_moments`.
    n_trials : int, default 100_000
        Simulated years, ``>= 1``.
    rng : numpy.random.Generator or int
        Source of randomness (an int is a seed). Required: identical inputs and seed give
        identical results.
    sampler : {"table", "beta"}, default "table"
        PERT draws by inverse-CDF table (:class:`~techseg_lib.distributions.PertTable`, fast)
        or by numpy's exact Beta sampler (about 3x slower; for validation).

    Returns
    -------
    SecurityResult
    """
    if n_trials < 1:
        raise ValueError("n_trials must be >= 1")
    if sampler not in ("table", "beta"):
        raise ValueError("sampler must be 'table' or 'beta'")
    gen = _as_generator(rng)
    exp = _resolve_exposure(exposure, params)
    k = len(PURPOSES)
    annual = np.zeros((k, n_trials))
    events = np.zeros((k, n_trials), dtype=np.int64)
    form_sum = np.zeros((k, len(FORMS)))
    for i, (p, prng) in enumerate(zip(PURPOSES, gen.spawn(k))):
        prof = params.purposes[p]
        ranges = [prof.threat_event_frequency, prof.vulnerability,
                  *(prof.loss[f] for f in FORMS)]
        streams = prng.spawn(len(ranges) + 1)  # T, V, forms..., counts (last)
        lows = [r.min for r in ranges]
        modes = [r.mode for r in ranges]
        highs = [r.max for r in ranges]
        if sampler == "table":
            table = PertTable.from_params(lows, modes, highs)

            def draw(j: int, size: int) -> np.ndarray:
                return table.sample(streams[j], size, j)
        else:
            def draw(j: int, size: int) -> np.ndarray:
                return pert(streams[j], lows[j], modes[j], highs[j], size)

        e = exp[p]
        for start in range(0, n_trials, _BLOCK):
            stop = min(start + _BLOCK, n_trials)
            size = stop - start
            lam = draw(0, size)
            lam *= draw(1, size)
            lam *= e
            counts = streams[-1].poisson(lam)
            events[i, start:stop] = counts
            n_events = int(counts.sum())
            if n_events == 0:
                continue
            event_loss = np.zeros(n_events)
            for j in range(len(FORMS)):
                x = draw(2 + j, n_events)
                form_sum[i, j] += x.sum()
                event_loss += x
            trial = np.repeat(np.arange(size), counts)
            annual[i, start:stop] = np.bincount(trial, weights=event_loss, minlength=size)
    return SecurityResult(annual_loss=annual, total_loss=annual.sum(axis=0), loss_events=events,
                          form_loss=form_sum / n_trials, exposure=MappingProxyType(exp),
                          currency=params.currency)


# ============================================================================ outputs
def _dominant(form_means: np.ndarray) -> str | None:
    return FORMS[int(np.argmax(form_means))] if form_means.sum() > 0 else None


def summarise(result: SecurityResult, quantiles: tuple[float, float] = (0.9, 0.99)) -> pd.DataFrame:
    """Headline figures per purpose and in total.

    Returns
    -------
    DataFrame
        Rows IT, OT, CT, total with ``purpose``, ``mean`` (money a year), ``p90``, ``p99``
        (value at risk at 90 % and 99 %, money a year; column names follow ``quantiles``),
        ``dominant_form`` (form with the largest mean annual loss; None when no loss),
        ``mean_loss_events`` (events a year), ``p_any_loss`` (probability of a year with at
        least one loss event).
    """
    names = [f"p{round(q * 100):d}" for q in quantiles]
    rows = []
    series = [*result.annual_loss, result.total_loss]
    form_means = [*result.form_loss, result.form_loss.sum(axis=0)]
    counts = [*result.loss_events, result.loss_events.sum(axis=0)]
    for name, x, fm, n in zip((*PURPOSES, "total"), series, form_means, counts):
        qs = np.quantile(x, quantiles)
        rows.append({"purpose": name, "mean": float(x.mean()),
                     **{k: float(v) for k, v in zip(names, qs)},
                     "dominant_form": _dominant(fm), "mean_loss_events": float(n.mean()),
                     "p_any_loss": float((n > 0).mean())})
    return pd.DataFrame(rows)


def summary_dict(result: SecurityResult) -> dict:
    """The ``security`` object of ``summary.json``.

    Returns
    -------
    dict
        ``{"currency": str, "n_trials": int, "IT"|"OT"|"CT"|"total": {"mean_annual_loss",
        "p90", "p99", "dominant_form"}}`` with plain Python floats and strings.
    """
    table = summarise(result)
    out: dict[str, Any] = {"currency": result.currency, "n_trials": result.n_trials}
    for row in table.itertuples(index=False):
        out[row.purpose] = {"mean_annual_loss": row.mean, "p90": row.p90, "p99": row.p99,
                            "dominant_form": row.dominant_form}
    return out


def loss_exceedance(result: SecurityResult, n_points: int = 100,
                    include_total: bool = True) -> pd.DataFrame:
    """Loss exceedance curves on a shared log-spaced grid (tidy, not one row per trial).

    The grid runs geometrically from the smallest positive annual loss in any series to the
    largest; at each grid loss ``x`` the curve is ``P(annual loss > x)`` estimated from the
    trials. Computed with one ``searchsorted`` per series (no sort of the trials).

    Returns
    -------
    DataFrame
        ``purpose`` (IT, OT, CT and, if asked, total), ``loss`` (money a year),
        ``probability_of_exceedance`` in [0, 1]; ``n_points`` rows per purpose.
    """
    series = {p: result.annual_loss[i] for i, p in enumerate(PURPOSES)}
    if include_total:
        series["total"] = result.total_loss
    positive = [x[x > 0] for x in series.values()]
    positive = [x for x in positive if x.size]
    if not positive:
        grid = np.geomspace(1.0, 10.0, n_points)
    else:
        lo = min(float(x.min()) for x in positive)
        hi = max(float(x.max()) for x in positive)
        grid = np.geomspace(lo, max(hi, lo * 1.0001), n_points)
    frames = []
    for name, x in series.items():
        below = np.searchsorted(grid, x, side="left")  # number of grid points < x
        counts = np.bincount(below, minlength=n_points + 1)
        exceed = counts[::-1].cumsum()[::-1][1:] / x.size  # P(x > grid[j])
        frames.append(pd.DataFrame({"purpose": name, "loss": grid,
                                    "probability_of_exceedance": exceed}))
    return pd.concat(frames, ignore_index=True)


def loss_by_form(result: SecurityResult) -> pd.DataFrame:
    """Simulated mean annual loss by purpose and form (tidy).

    Returns
    -------
    DataFrame
        ``purpose``, ``form``, ``mean_loss`` (money a year), ``share`` of the purpose's mean.
    """
    rows = []
    for i, p in enumerate(PURPOSES):
        total = result.form_loss[i].sum()
        for j, f in enumerate(FORMS):
            m = float(result.form_loss[i, j])
            rows.append({"purpose": p, "form": f, "mean_loss": m,
                         "share": m / total if total > 0 else np.nan})
    return pd.DataFrame(rows)


# ============================================================================ heat map
def score_items(items: pd.DataFrame, params: SecurityParams) -> pd.DataFrame:
    """Likelihood and impact scores (1-5) of each item.

    Scoring (thresholds in ``params.heatmap``):

    * likelihood: the item's share of its purpose's loss-event rate,
      ``rate = E[T] E[V] * weight / reference_items`` (events a year; ``weight`` from the
      criticality, medium = 1), turned into the annual probability of at least one loss event
      ``1 - exp(-rate)`` and scored against ``likelihood_thresholds``;
    * impact: the purpose's mean loss per loss event ``E[X]`` (all six forms) scored against
      ``impact_thresholds``.

    Summed over items, ``rate * E[X]`` gives the purpose's expected annual loss at the items'
    exposure, so the map is consistent with :func:`annual_loss_moments`.

    Parameters
    ----------
    items : DataFrame
        ``name``, ``purpose`` (IT/OT/CT), optional ``criticality`` and ``purpose_override``.

    Returns
    -------
    DataFrame
        Input order: ``name``, ``purpose``, ``weight``, ``loss_event_rate``,
        ``annual_probability``, ``per_event_loss``, ``likelihood`` and ``impact`` (int 1-5).
    """
    if "name" not in items.columns:
        raise TechsegError("items need a 'name' column for the heat map")
    purpose = effective_purpose(items).to_numpy()
    if "criticality" in items.columns:
        w = criticality_weights(items["criticality"], params)
    else:
        w = np.ones(len(items))
    prof = params.purposes
    unit_rate = pd.Series(purpose).map({p: prof[p].loss_event_rate / prof[p].reference_items
                                        for p in PURPOSES}).to_numpy(dtype=float)
    impact_loss = pd.Series(purpose).map({p: prof[p].per_event_mean
                                          for p in PURPOSES}).to_numpy(dtype=float)
    rate = unit_rate * w
    prob = -np.expm1(-rate)
    like = 1 + np.searchsorted(np.asarray(params.heatmap.likelihood_thresholds), prob,
                               side="right")
    imp = 1 + np.searchsorted(np.asarray(params.heatmap.impact_thresholds), impact_loss,
                              side="right")
    return pd.DataFrame({"name": items["name"].to_numpy(), "purpose": purpose, "weight": w,
                         "loss_event_rate": rate, "annual_probability": prob,
                         "per_event_loss": impact_loss, "likelihood": like.astype(np.int64),
                         "impact": imp.astype(np.int64)})


def heat_map(items: pd.DataFrame, params: SecurityParams) -> pd.DataFrame:
    """The 5x5 likelihood x impact heat map of items (tidy, all 25 cells).

    Returns
    -------
    DataFrame
        25 rows: ``likelihood`` and ``impact`` (1-5), ``n_items`` (int), ``items`` (names in
        input order joined by "; ", empty string for an empty cell). See :func:`score_items`.
    """
    scored = score_items(items, params)
    grid = pd.MultiIndex.from_product([range(1, 6), range(1, 6)],
                                      names=["likelihood", "impact"])
    grouped = scored.groupby(["likelihood", "impact"], sort=True)["name"]
    n = grouped.size().reindex(grid, fill_value=0)
    names = grouped.agg(lambda s: "; ".join(map(str, s))).reindex(grid, fill_value="")
    return pd.DataFrame({"n_items": n.astype(np.int64), "items": names.astype(str)}).reset_index()


# ============================================================================ security lag
def sprint_pace_schedule(horizon_quarters: int, sprints_per_quarter: float = 1.0,
                    growth_per_quarter: float = 0.0, purposes=PURPOSES) -> pd.DataFrame:
    """A simple sprint roadmap: the plain input :func:`security_lag` takes.

    ``sprints(q) = sprints_per_quarter * (1 + growth_per_quarter) ** (q - 1)`` for quarters
    1..horizon in every purpose (sprints may be fractional: an average pace).

    Returns
    -------
    DataFrame
        ``quarter`` (int, 1-based), ``purpose``, ``sprints`` (float >= 0).
    """
    q = np.arange(1, int(horizon_quarters) + 1)
    sprints = sprints_per_quarter * (1.0 + growth_per_quarter) ** (q - 1)
    return pd.DataFrame({"quarter": np.tile(q, len(purposes)),
                         "purpose": np.repeat(list(purposes), len(q)),
                         "sprints": np.tile(sprints, len(purposes)).astype(float)})


def _added_exposure(schedule: pd.DataFrame | None, params: SecurityParams,
                    horizon: int) -> np.ndarray:
    """Exposure added per purpose and quarter, shape (3, horizon + 1); column 0 is 0."""
    added = np.zeros((len(PURPOSES), horizon + 1))
    if schedule is None or len(schedule) == 0:
        return added
    if "quarter" not in schedule.columns or "purpose" not in schedule.columns or not (
            {"sprints", "items"} & set(schedule.columns)):
        raise TechsegError("the sprint schedule needs columns quarter, purpose and sprints (or "
                           f"items); got {', '.join(map(str, schedule.columns))}")
    bad = sorted(set(schedule["purpose"][~schedule["purpose"].isin(PURPOSES)].astype(str)))
    if bad:
        raise TechsegError(f"sprint schedule: unknown purposes {', '.join(bad)}; allowed "
                           f"{', '.join(PURPOSES)}")
    quarter = pd.to_numeric(schedule["quarter"], errors="coerce").to_numpy(dtype=float)
    if np.isnan(quarter).any() or (quarter < 1).any() or (quarter != np.floor(quarter)).any():
        raise TechsegError("sprint schedule: quarter must be a whole number >= 1")
    if "items" in schedule.columns:
        n_items = pd.to_numeric(schedule["items"], errors="coerce").to_numpy(dtype=float)
    else:
        n_items = (pd.to_numeric(schedule["sprints"], errors="coerce").to_numpy(dtype=float)
                   * params.lag.items_per_sprint)
    if np.isnan(n_items).any() or (n_items < 0).any():
        raise TechsegError("sprint schedule: sprints / items must be numbers >= 0")
    keep = quarter <= horizon
    p_idx = pd.Index(PURPOSES).get_indexer(schedule["purpose"])
    ref = np.array([params.purposes[p].reference_items for p in PURPOSES])
    np.add.at(added, (p_idx[keep], quarter[keep].astype(np.intp)), n_items[keep] / ref[p_idx[keep]])
    return added


def security_lag(params: SecurityParams, schedule: pd.DataFrame | None = None, exposure=None,
                 *, horizon_quarters: int | None = None) -> pd.DataFrame:
    """Expected annual loss quarter by quarter when security keeps pace with sprints or lags.

    Model (all expectations exact; ``C_p = E[T] E[X]`` per unit exposure, ``v = E[V]``,
    ``r = maturity_rate``, ``h = uncovered_uplift``, ``L = lag_quarters``):

    * exposure at the end of quarter ``q``: ``E(q) = e0 + sum_{k<=q} a(k)`` with ``a(k)`` the
      items added in quarter ``k`` (``sprints * items_per_sprint`` or the schedule's ``items``,
      medium criticality) over ``reference_items``;
    * ``keeps_pace``: every item is covered, ``loss(q) = C_p E(q) v (1 - r)^q``;
    * ``lags``: items added in the last ``L`` quarters are uncovered,
      ``U(q) = sum_{q-L<k<=q} a(k)``, and
      ``loss(q) = C_p [(E(q) - U(q)) v (1 - r)^q + U(q) (v + h (1 - v))]``.

    Since ``v + h (1 - v) >= v >= v (1 - r)^q``, a lag never lowers the projected loss.
    Quarter 0 is today (both scenarios equal). The value at quarter ``q`` is the expected loss
    of a year spent in that quarter's state (money a year).

    Parameters
    ----------
    params : SecurityParams
        Supplies the ranges and ``params.lag``.
    schedule : DataFrame or None
        Columns ``quarter`` (1-based int), ``purpose`` and ``sprints`` (or ``items``: weighted
        items added directly); e.g. :func:`sprint_pace_schedule` or the strategy roadmap. Rows
        beyond the horizon are ignored; repeated (quarter, purpose) rows add up. None: no
        sprints (then the scenarios coincide).
    exposure : dict, DataFrame or None
        Exposure today (see :func:`annual_loss_moments`).
    horizon_quarters : int, optional
        Defaults to ``params.lag.horizon_quarters``.

    Returns
    -------
    DataFrame
        ``quarter`` (0..horizon), ``scenario`` ("keeps_pace", "lags"), ``purpose``,
        ``expected_loss`` (money a year), ``exposure`` (E(q)), ``uncovered_exposure`` (U(q);
        0 when keeping pace); rows ordered by scenario, purpose, quarter.
    """
    horizon = int(params.lag.horizon_quarters if horizon_quarters is None else horizon_quarters)
    if horizon < 1:
        raise ValueError("horizon_quarters must be >= 1")
    lag = params.lag
    e0 = np.array([_resolve_exposure(exposure, params)[p] for p in PURPOSES])
    added = _added_exposure(schedule, params, horizon)  # (3, H+1)
    cum = e0[:, None] + added.cumsum(axis=1)
    csum = np.concatenate([np.zeros((len(PURPOSES), 1)), added.cumsum(axis=1)], axis=1)
    q = np.arange(horizon + 1)
    lo = np.maximum(q - lag.lag_quarters, 0)
    uncovered = csum[:, q + 1] - csum[:, lo + 1]  # sum of a(k) for lo < k <= q
    v = np.array([params.purposes[p].vulnerability.mean for p in PURPOSES])[:, None]
    c = np.array([params.purposes[p].threat_event_frequency.mean
                  * params.purposes[p].per_event_mean for p in PURPOSES])[:, None]
    mature = v * (1.0 - lag.maturity_rate) ** q[None, :]
    keeps = c * cum * mature
    lags = c * ((cum - uncovered) * mature + uncovered * (v + lag.uncovered_uplift * (1.0 - v)))
    frames = []
    for scen, loss, unc in (("keeps_pace", keeps, np.zeros_like(uncovered)),
                            ("lags", lags, uncovered)):
        for i, p in enumerate(PURPOSES):
            frames.append(pd.DataFrame({"quarter": q, "scenario": scen, "purpose": p,
                                        "expected_loss": loss[i], "exposure": cum[i],
                                        "uncovered_exposure": unc[i]}))
    return pd.concat(frames, ignore_index=True)
