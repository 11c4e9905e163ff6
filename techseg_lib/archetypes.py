"""Compare an organisation's technology-purpose mix with the mix expected for its archetype.

An archetype (information business, manufacturer, service provider) is an expected range of
shares per purpose (IT / OT / CT). The ranges ship as editable data in
``techseg_lib/data/archetypes.yaml``; every shipped range is an assumption (``assumption: true``
with a one-line rationale), because no public source gives such mixes.

The comparison works on a classified portfolio: one row per technology item with a ``purpose``
column ("IT", "OT" or "CT"). Where a ``purpose_override`` column holds an analyst's label, that
label is used instead of the model's (the model's label stays in its own column).

Spend shares
------------
With ``by="spend"`` the shares are shares of *known* spend: items whose ``cost`` is missing are
left out of both numerator and denominator, and each row reports ``coverage``, the fraction of
that purpose's items whose cost is known. A purpose that has items but no known cost at all gets
status ``"unknown"`` (its spend share would otherwise read as a false 0 %). When no item has a
known cost, the spend comparison is an empty table with the same columns: spend is reported only
where costs exist (see :func:`has_spend`).
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal, Mapping

import numpy as np
import pandas as pd
import yaml

from techseg_lib.errors import ConfigError, PortfolioError, Problem
from techseg_lib.portfolio import parse_amounts, resolve_columns
from techseg_lib.segment import effective_purpose

PURPOSES: tuple[str, ...] = ("IT", "OT", "CT")
"""The three purposes, in the order every table in this module uses."""

STATUSES: tuple[str, ...] = ("below", "within", "above", "unknown")
"""Possible values of the ``status`` column; ``unknown`` occurs only with ``by="spend"``."""

COMPARISON_COLUMNS: tuple[str, ...] = (
    "purpose", "basis", "n_items", "n_known", "value", "share", "expected_min", "expected_max",
    "status", "coverage", "gap",
)

_DIRECTIONS = ("below", "above")
_RANGE_KEYS = {"min", "max", "assumption", "rationale", "source", "url"}
_ARCHETYPE_KEYS = {"label", "description", "mix", "gaps"}


@dataclass(frozen=True)
class PurposeRange:
    """Expected share of one purpose for one archetype.

    Attributes
    ----------
    min, max : float
        Bounds of the expected share, fractions in [0, 1], ``min <= max``.
    assumption : bool
        True when the range is an assumption rather than a cited figure.
    rationale : str
        One line saying why the range is what it is (or the source title for a cited range).
    url : str or None
        Source URL for a cited range; None for assumptions.
    """

    min: float
    max: float
    assumption: bool
    rationale: str
    url: str | None = None


@dataclass(frozen=True)
class Archetype:
    """An archetype: expected purpose mix and gap phrases.

    Attributes
    ----------
    key : str
        Identifier used in client configs, e.g. ``"information_business"``.
    label : str
        Name in running text, e.g. ``"information business"``.
    description : str
        One paragraph describing the archetype.
    mix : Mapping[str, PurposeRange]
        Expected range per purpose; keys exactly "IT", "OT", "CT".
    gap_phrases : Mapping[str, Mapping[str, str]]
        ``gap_phrases[purpose][direction]`` with direction "below" or "above": the words shown
        when the share falls outside the range.
    """

    key: str
    label: str
    description: str
    mix: Mapping[str, PurposeRange]
    gap_phrases: Mapping[str, Mapping[str, str]]

    @property
    def article_label(self) -> str:
        """The label with its indefinite article ("an information business")."""
        article = "an" if self.label[:1].lower() in "aeiou" else "a"
        return f"{article} {self.label}"


# ------------------------------------------------------------------------------------------------
# Loading and validation
# ------------------------------------------------------------------------------------------------

def _default_path() -> Path:
    return Path(str(resources.files("techseg_lib") / "data" / "archetypes.yaml"))


def _err(path: str, key: str, message: str, fix: str) -> ConfigError:
    return ConfigError(f"{path}: {key}: {message}. Fix: {fix}")


def _number(value: object, path: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise _err(path, key, f"{value!r} is not a number",
                   "write the share as a fraction between 0 and 1, e.g. 0.25 for 25 %")
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise _err(path, key, f"{value!r} is outside [0, 1]",
                   "write the share as a fraction between 0 and 1, e.g. 0.25 for 25 %")
    return value


def _parse_range(raw: object, path: str, key: str) -> PurposeRange:
    if not isinstance(raw, Mapping):
        raise _err(path, key, "expected a mapping with min, max, assumption and rationale",
                   "write e.g. {min: 0.1, max: 0.3, assumption: true, rationale: '...'}")
    unknown = sorted(set(raw) - _RANGE_KEYS)
    if unknown:
        raise _err(path, f"{key}.{unknown[0]}", "unknown key",
                   f"use only {', '.join(sorted(_RANGE_KEYS))}")
    for bound in ("min", "max"):
        if bound not in raw:
            raise _err(path, f"{key}.{bound}", "missing", "give both min and max as fractions in [0, 1]")
    lo = _number(raw["min"], path, f"{key}.min")
    hi = _number(raw["max"], path, f"{key}.max")
    if lo > hi:
        raise _err(path, key, f"min {lo} is greater than max {hi}", "swap them or correct one bound")
    assumption = raw.get("assumption", False)
    if not isinstance(assumption, bool):
        raise _err(path, f"{key}.assumption", f"{assumption!r} is not true/false",
                   "write assumption: true or assumption: false")
    rationale = raw.get("rationale")
    url = raw.get("url")
    if assumption:
        if not isinstance(rationale, str) or not rationale.strip():
            raise _err(path, f"{key}.rationale", "an assumed range needs a one-line rationale",
                       "add rationale: '<why this range>'")
    else:
        source = raw.get("source")
        if not (isinstance(source, str) and source.strip() and isinstance(url, str) and url.strip()):
            raise _err(path, key, "a range that is not an assumption needs a source and url",
                       "add source: '<title>' and url: '<address>', or mark it assumption: true")
        rationale = source if not rationale else rationale
    return PurposeRange(lo, hi, assumption, str(rationale).strip(), url)


def _parse_archetype(key: str, raw: object, path: str) -> Archetype:
    where = f"archetypes.{key}"
    if not isinstance(raw, Mapping):
        raise _err(path, where, "expected a mapping with label, description, mix and gaps",
                   "see techseg_lib/data/archetypes.yaml for the layout")
    unknown = sorted(set(raw) - _ARCHETYPE_KEYS)
    if unknown:
        raise _err(path, f"{where}.{unknown[0]}", "unknown key",
                   f"use only {', '.join(sorted(_ARCHETYPE_KEYS))}")
    mix_raw = raw.get("mix")
    if not isinstance(mix_raw, Mapping):
        raise _err(path, f"{where}.mix", "missing or not a mapping",
                   "give a range for each of IT, OT and CT")
    extra = sorted(set(mix_raw) - set(PURPOSES))
    if extra:
        raise _err(path, f"{where}.mix.{extra[0]}", "unknown purpose",
                   "use only IT, OT and CT")
    missing = [p for p in PURPOSES if p not in mix_raw]
    if missing:
        raise _err(path, f"{where}.mix.{missing[0]}", "missing",
                   "give a range for each of IT, OT and CT")
    mix = {p: _parse_range(mix_raw[p], path, f"{where}.mix.{p}") for p in PURPOSES}
    if sum(r.min for r in mix.values()) > 1.0 + 1e-9:
        raise _err(path, f"{where}.mix", "the minima of IT, OT and CT sum to more than 1",
                   "lower some minima: no portfolio could reach them all")
    if sum(r.max for r in mix.values()) < 1.0 - 1e-9:
        raise _err(path, f"{where}.mix", "the maxima of IT, OT and CT sum to less than 1",
                   "raise some maxima: no portfolio could stay within them all")

    label = raw.get("label", key.replace("_", " "))
    if not isinstance(label, str) or not label.strip():
        raise _err(path, f"{where}.label", "must be non-empty text", "write e.g. label: manufacturer")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise _err(path, f"{where}.description", "must be text", "write one paragraph of text")

    gaps_raw = raw.get("gaps", {}) or {}
    if not isinstance(gaps_raw, Mapping):
        raise _err(path, f"{where}.gaps", "not a mapping", "write gaps: {OT: {below: '...', above: '...'}}")
    extra = sorted(set(gaps_raw) - set(PURPOSES))
    if extra:
        raise _err(path, f"{where}.gaps.{extra[0]}", "unknown purpose", "use only IT, OT and CT")
    phrases: dict[str, dict[str, str]] = {}
    for p in PURPOSES:
        per = gaps_raw.get(p, {}) or {}
        if not isinstance(per, Mapping):
            raise _err(path, f"{where}.gaps.{p}", "not a mapping", "write {below: '...', above: '...'}")
        bad = sorted(set(per) - set(_DIRECTIONS))
        if bad:
            raise _err(path, f"{where}.gaps.{p}.{bad[0]}", "unknown direction", "use below or above")
        phrases[p] = {}
        for d in _DIRECTIONS:
            text = per.get(d)
            if text is None:  # optional in user files: a generic phrase stands in
                text = f"{p} share {d} the range expected"
            if not isinstance(text, str) or not text.strip():
                raise _err(path, f"{where}.gaps.{p}.{d}", "must be non-empty text", "write a short phrase")
            phrases[p][d] = text.strip().rstrip(".")
    return Archetype(key, label.strip(), " ".join(description.split()), mix, phrases)


def load_archetypes(path: str | Path | None = None) -> dict[str, Archetype]:
    """Load and validate an archetypes file.

    Parameters
    ----------
    path : str or Path, optional
        A YAML file laid out like ``techseg_lib/data/archetypes.yaml``. Default: the shipped file.

    Returns
    -------
    dict[str, Archetype]
        Archetypes by key, in file order.

    Raises
    ------
    ConfigError
        File missing or unreadable, or a key malformed: shares outside [0, 1], ``min > max``, a
        purpose missing or unknown, minima summing above 1 or maxima below 1, an unknown key, an
        assumed range without rationale. The message names the file and the key.
    """
    p = Path(path) if path is not None else _default_path()
    shown = str(path) if path is not None else "techseg_lib/data/archetypes.yaml"
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: archetypes file not found. Fix: check the path") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the archetypes file ({exc}). Fix: check the path") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: not valid YAML ({exc}). Fix: correct the YAML syntax") from None
    if not isinstance(doc, Mapping) or not isinstance(doc.get("archetypes"), Mapping) or not doc["archetypes"]:
        raise _err(shown, "archetypes", "missing, empty or not a mapping",
                   "write archetypes: {<key>: {label: ..., mix: {IT: ..., OT: ..., CT: ...}}}")
    unknown = sorted(set(doc) - {"version", "archetypes"})
    if unknown:
        raise _err(shown, unknown[0], "unknown key", "use only version and archetypes")
    return {str(k): _parse_archetype(str(k), v, shown) for k, v in doc["archetypes"].items()}


def get_archetype(archetype: str | Archetype,
                  archetypes: Mapping[str, Archetype] | None = None) -> Archetype:
    """Resolve an archetype key (or pass an :class:`Archetype` through).

    Raises
    ------
    ConfigError
        Unknown key; the message lists the allowed keys.
    """
    if isinstance(archetype, Archetype):
        return archetype
    table = archetypes if archetypes is not None else load_archetypes()
    if archetype not in table:
        raise ConfigError(
            f"archetype: {archetype!r} is not a known archetype. "
            f"Fix: use one of {', '.join(table)}")
    return table[archetype]


# ------------------------------------------------------------------------------------------------
# Portfolio side
# ------------------------------------------------------------------------------------------------

def _source(portfolio: pd.DataFrame) -> str:
    return str(portfolio.attrs.get("source", "<portfolio>"))


def field_column(portfolio: pd.DataFrame, field: str) -> str | None:
    """The column that supplies a canonical field: the field itself if present, else the input
    header that :func:`techseg_lib.portfolio.resolve_columns` maps to it (so raw exports with
    headers such as ``Annual cost (EUR)`` or ``short_description`` work too); None if absent."""
    if field in portfolio.columns:
        return field
    return resolve_columns(portfolio.columns).get(field)


def _known_costs(portfolio: pd.DataFrame) -> pd.Series:
    """Annual cost as float, NaN where unknown. Raises on text or negative values."""
    src = _source(portfolio)
    col = field_column(portfolio, "cost")
    if col is None:
        return pd.Series(np.nan, index=portfolio.index, dtype="float64")
    raw = portfolio[col]
    cost = parse_amounts(raw).astype("float64")
    blank = raw.isna() | raw.astype("str").str.strip().eq("")
    bad_text = cost.isna() & ~blank
    negative = cost < 0
    if bad_text.any() or negative.any():
        problems = [Problem(src, f"cost {raw.iloc[i]!r} is not a number", "write the annual spend as a "
                            "number, or leave it empty if unknown", row=int(i) + 2, column=str(col))
                    for i in np.flatnonzero(bad_text.to_numpy())[:50]]
        problems += [Problem(src, f"cost {raw.iloc[i]!r} is negative", "write the annual spend as a "
                             "number >= 0, or leave it empty if unknown", row=int(i) + 2, column=str(col))
                     for i in np.flatnonzero(negative.to_numpy())[:50]]
        raise PortfolioError(problems)
    return cost


def has_spend(portfolio: pd.DataFrame) -> bool:
    """True when at least one item has a known annual cost (so a spend comparison exists)."""
    return bool(_known_costs(portfolio).notna().any())


def purpose_mix(portfolio: pd.DataFrame, *, by: Literal["count", "spend"] = "count",
                purpose_column: str = "purpose",
                override_column: str | None = "purpose_override") -> pd.DataFrame:
    """Share of each purpose in the portfolio, by item count or by known spend.

    Parameters
    ----------
    portfolio : DataFrame
        Classified portfolio (see :func:`effective_purpose`); ``cost`` (annual spend, currency
        units, NaN where unknown; or a raw cost header such as ``Annual cost (EUR)``, parsed with
        :func:`techseg_lib.portfolio.parse_amounts`) is needed for ``by="spend"``.
    by : {"count", "spend"}
        Basis of the shares.
    purpose_column, override_column : str
        See :func:`effective_purpose`.

    Returns
    -------
    DataFrame
        One row per purpose in the order IT, OT, CT with columns ``purpose``, ``n_items`` (items
        with that purpose), ``n_known`` (items counted: all for count, those with known cost for
        spend), ``value`` (item count, or known spend in currency units), ``share`` (in [0, 1];
        for spend, share of known spend) and ``coverage`` (``n_known / n_items``, NaN when the
        purpose has no items). Empty when ``by="spend"`` and no cost is known.

    Raises
    ------
    ConfigError
        ``by`` not "count" or "spend".
    PortfolioError
        Empty portfolio, bad labels or bad costs.
    """
    if by not in ("count", "spend"):
        raise ConfigError(f"by: {by!r} is not allowed. Fix: use 'count' or 'spend'")
    if len(portfolio) == 0:
        raise PortfolioError([Problem(_source(portfolio), "the portfolio has no items",
                                      "load a portfolio with at least one row")])
    purpose = effective_purpose(portfolio, purpose_column=purpose_column,
                                override_column=override_column)
    cat = pd.Categorical(purpose, categories=list(PURPOSES))
    n_items = pd.Series(cat).value_counts(sort=False).reindex(list(PURPOSES)).to_numpy(dtype="int64")
    if by == "count":
        value = n_items.astype("float64")
        n_known = n_items
    else:
        cost = _known_costs(portfolio)
        known = cost.notna().to_numpy()
        if not known.any():
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in (
                ("purpose", "str"), ("n_items", "int64"), ("n_known", "int64"), ("value", "float64"),
                ("share", "float64"), ("coverage", "float64"))})
        codes = np.asarray(cat.codes)
        value = np.bincount(codes[known], weights=cost.to_numpy()[known], minlength=3).astype("float64")
        n_known = np.bincount(codes[known], minlength=3).astype("int64")
    total = value.sum()
    share = value / total if total > 0 else np.zeros(3)
    with np.errstate(invalid="ignore", divide="ignore"):
        coverage = np.where(n_items > 0, n_known / np.maximum(n_items, 1), np.nan)
    return pd.DataFrame({
        "purpose": pd.Series(PURPOSES, dtype="str"),
        "n_items": n_items,
        "n_known": n_known,
        "value": value,
        "share": share,
        "coverage": coverage,
    })


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def compare_to_archetype(portfolio: pd.DataFrame, archetype: str | Archetype, *,
                         by: Literal["count", "spend"] = "count",
                         purpose_column: str = "purpose",
                         override_column: str | None = "purpose_override",
                         archetypes: Mapping[str, Archetype] | None = None) -> pd.DataFrame:
    """Compare the portfolio's purpose mix with an archetype's expected ranges.

    Parameters
    ----------
    portfolio : DataFrame
        Classified portfolio (see :func:`purpose_mix`).
    archetype : str or Archetype
        Archetype key (e.g. "manufacturer") or a loaded :class:`Archetype`.
    by : {"count", "spend"}
        Share of items, or share of known spend (see the module docstring for missing costs).
    purpose_column, override_column : str
        See :func:`effective_purpose`.
    archetypes : mapping, optional
        Archetypes to resolve a key against (e.g. from :func:`load_archetypes` on a user file).
        Default: the shipped file.

    Returns
    -------
    DataFrame
        Tidy, one row per purpose (IT, OT, CT) with columns ``purpose``, ``basis`` ("items" or
        "known spend"), ``n_items``, ``n_known``, ``value``, ``share`` (0–1), ``expected_min``,
        ``expected_max`` (0–1; ``share`` is NaN where status is "unknown"), ``status`` ("below", "within", "above"; "unknown" for a purpose
        with items but no known cost), ``coverage`` (0–1, NaN for a purpose without items) and
        ``gap`` (a sentence, empty when within). Shares on the bounds count as within. Empty with
        the same columns when ``by="spend"`` and no cost is known. ``attrs["archetype"]`` holds
        the key and ``attrs["coverage"]`` the fraction of all items with a known cost (1.0 for
        count).
    """
    arch = get_archetype(archetype, archetypes)
    mix = purpose_mix(portfolio, by=by, purpose_column=purpose_column, override_column=override_column)
    basis = "items" if by == "count" else "known spend"
    if mix.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in COMPARISON_COLUMNS})
        for c in ("purpose", "basis", "status", "gap"):
            out[c] = out[c].astype("str")
        out.attrs.update(archetype=arch.key, basis=basis, coverage=0.0)
        return out
    lo = np.array([arch.mix[p].min for p in PURPOSES])
    hi = np.array([arch.mix[p].max for p in PURPOSES])
    share = mix["share"].to_numpy()
    eps = 1e-12
    status = np.where(share < lo - eps, "below", np.where(share > hi + eps, "above", "within"))
    unknown = (mix["n_items"].to_numpy() > 0) & (mix["n_known"].to_numpy() == 0)
    status = np.where(unknown, "unknown", status).astype(object)

    gaps_text = []
    for i, p in enumerate(PURPOSES):
        s = status[i]
        if s in ("below", "above"):
            text = (f"{arch.gap_phrases[p][s]}: {p} is {_pct(share[i])} of {basis}, expected "
                    f"{_pct(lo[i])}–{_pct(hi[i])} for {arch.article_label}.")
            cov = mix["coverage"].iloc[i]
            if by == "spend" and np.isfinite(cov) and cov < 1:
                text = text[:-1] + (f" (cost known for {mix['n_known'].iloc[i]} of "
                                    f"{mix['n_items'].iloc[i]} {p} items).")
            gaps_text.append(text)
        elif s == "unknown":
            n = int(mix["n_items"].iloc[i])
            gaps_text.append(f"{p} spend unknown: no cost is known for the {n} {p} "
                             f"item{'s' if n != 1 else ''}, so its share of spend cannot be compared "
                             f"with the {_pct(lo[i])}–{_pct(hi[i])} expected for {arch.article_label}.")
        else:
            gaps_text.append("")
    out = pd.DataFrame({
        "purpose": mix["purpose"],
        "basis": pd.Series([basis] * 3, dtype="str"),
        "n_items": mix["n_items"],
        "n_known": mix["n_known"],
        "value": mix["value"],
        "share": np.where(unknown, np.nan, share),
        "expected_min": lo,
        "expected_max": hi,
        "status": pd.Series(status, dtype="str"),
        "coverage": mix["coverage"],
        "gap": pd.Series(gaps_text, dtype="str"),
    })
    total_items = int(mix["n_items"].sum())
    out.attrs.update(archetype=arch.key, basis=basis,
                     coverage=float(mix["n_known"].sum() / total_items) if total_items else 0.0)
    return out


def gaps(portfolio: pd.DataFrame, archetype: str | Archetype, *,
         by: Literal["count", "spend"] = "count", purpose_column: str = "purpose",
         override_column: str | None = "purpose_override",
         archetypes: Mapping[str, Archetype] | None = None) -> list[str]:
    """The gaps between the portfolio and its archetype, as sentences a client can read.

    Same parameters as :func:`compare_to_archetype`. Returns the non-empty ``gap`` sentences in
    the order IT, OT, CT; an empty list when every share is within its range (or, for spend,
    when no cost is known).
    """
    table = compare_to_archetype(portfolio, archetype, by=by, purpose_column=purpose_column,
                                 override_column=override_column, archetypes=archetypes)
    return [g for g in table["gap"].tolist() if g]
