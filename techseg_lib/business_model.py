"""Business-model position: closeness to the end customer and ecosystem, as 0–100 scores.

The two axes are MIT CISR's (Weill & Woerner): knowledge of the end customer (partial →
complete) and business design (value chain → ecosystem). Each axis score combines

* the organisation's answers to Likert items (``techseg_lib/data/assessment.yaml``), each answer
  rescaled to 0–100 (reverse-scored items flipped) and averaged over the answered items, and
* portfolio signals, each rescaled to 0–100 and capped: the CT share of items toward customer
  closeness; the OT share and the share of items with integration / API / platform cues toward
  ecosystem.

The items, the scale, the weights, the saturation points and the threshold of 50 are techseg's
own **assumptions** (the CISR book's self-assessment items are not public); they ship as data
and can be edited. The quadrant names and the benchmark figures are cited
(``techseg_lib/data/cisr_benchmarks.yaml``).

Missing answers: an unanswered item is left out of its axis mean. When an axis has no answered
item (or no portfolio is given), the remaining components' weights are renormalised to sum to 1
and :attr:`Position.notes` says so.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
import yaml

from techseg_lib.archetypes import effective_purpose, field_column
from techseg_lib.errors import ConfigError

AXES: tuple[str, ...] = ("customer", "ecosystem")

QUADRANTS: dict[tuple[bool, bool], str] = {
    (False, False): "Supplier",
    (True, False): "Omnichannel",
    (False, True): "Modular Producer",
    (True, True): "Ecosystem Driver",
}
"""Quadrant by (customer high?, ecosystem high?)."""

COMPONENT_COLUMNS: tuple[str, ...] = (
    "axis", "kind", "name", "label", "raw", "value", "weight", "contribution",
)

_CONFIDENCE = ("P", "P-m", "S", "S-weak", "NV")
_ANSWER_FILE_KEYS = {"version", "answers", "respondent", "date", "notes"}


def _data_path(name: str) -> Path:
    return Path(str(resources.files("techseg_lib") / "data" / name))


def _read_yaml(path: str | Path | None, default: str, what: str) -> tuple[Any, str]:
    p = Path(path) if path is not None else _data_path(default)
    shown = str(path) if path is not None else f"techseg_lib/data/{default}"
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: {what} file not found. Fix: check the path") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the {what} file ({exc}). Fix: check the path") from None
    try:
        return yaml.safe_load(text), shown
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: not valid YAML ({exc}). Fix: correct the YAML syntax") from None


def _err(path: str, key: str, message: str, fix: str) -> ConfigError:
    return ConfigError(f"{path}: {key}: {message}. Fix: {fix}")


# ------------------------------------------------------------------------------------------------
# Definition: items, scale, weights, cues
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LikertItem:
    """One self-assessment statement.

    Attributes
    ----------
    id : str
        Identifier used in answer files.
    axis : str
        "customer" or "ecosystem".
    text : str
        The statement the respondent rates.
    reverse : bool
        True when agreeing means *less* of the axis (the answer ``a`` is scored as
        ``scale_min + scale_max - a``).
    """

    id: str
    axis: str
    text: str
    reverse: bool = False


@dataclass(frozen=True)
class ScoringWeights:
    """Weights and saturation points that turn answers and portfolio signals into axis scores.

    All values are assumptions; the defaults come from ``techseg_lib/data/assessment.yaml``
    (see :func:`default_weights`). Weights are relative within an axis (they are normalised to
    sum to 1 over the available components).

    Attributes
    ----------
    customer_answers, customer_ct_share : float
        Weights (>= 0) of the customer-axis answer mean and of the CT-share signal.
    ct_full_at : float
        CT share of items (0–1] at which the CT signal reaches 100.
    ecosystem_answers, ecosystem_ot_share, ecosystem_integration_share : float
        Weights (>= 0) of the ecosystem-axis answer mean, the OT-share signal and the
        integration-cue signal.
    ot_full_at, integration_full_at : float
        Shares (0–1] at which those signals reach 100.
    threshold : float
        Score (0–100) from which an axis counts as high; a score equal to it is high.
    """

    customer_answers: float
    customer_ct_share: float
    ct_full_at: float
    ecosystem_answers: float
    ecosystem_ot_share: float
    ecosystem_integration_share: float
    ot_full_at: float
    integration_full_at: float
    threshold: float

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ConfigError(f"weights.{f.name}: {v!r} is not a number. Fix: give a finite number")
            if f.name.endswith("_full_at"):
                if not 0 < v <= 1:
                    raise ConfigError(f"weights.{f.name}: {v!r} is outside (0, 1]. "
                                      "Fix: give the share at which the signal is full, e.g. 0.5")
            elif f.name == "threshold":
                if not 0 <= v <= 100:
                    raise ConfigError(f"weights.threshold: {v!r} is outside [0, 100]. Fix: use e.g. 50")
            elif v < 0:
                raise ConfigError(f"weights.{f.name}: {v!r} is negative. Fix: use a weight >= 0")
        if self.customer_answers + self.customer_ct_share <= 0:
            raise ConfigError("weights.customer_answers: the customer weights sum to 0. "
                              "Fix: give at least one customer weight > 0")
        if self.ecosystem_answers + self.ecosystem_ot_share + self.ecosystem_integration_share <= 0:
            raise ConfigError("weights.ecosystem_answers: the ecosystem weights sum to 0. "
                              "Fix: give at least one ecosystem weight > 0")


@dataclass(frozen=True)
class AssessmentDefinition:
    """The shipped (or a user's) assessment: items, scale, weights and integration cues.

    Attributes
    ----------
    items : tuple of LikertItem
        In file order; ids unique; at least one per axis.
    scale_min, scale_max : int
        Answer range (1 and 5 in the shipped file).
    anchors : Mapping[int, str]
        Label per scale point.
    axis_labels : Mapping[str, Mapping[str, str]]
        Per axis: ``label``, ``low`` and ``high`` texts for charts.
    weights : ScoringWeights
        Default weights.
    integration_cues : tuple of str
        Phrases that mark an item as integration / API / platform technology.
    """

    items: tuple[LikertItem, ...]
    scale_min: int
    scale_max: int
    anchors: Mapping[int, str]
    axis_labels: Mapping[str, Mapping[str, str]]
    weights: ScoringWeights
    integration_cues: tuple[str, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    def items_on(self, axis: str) -> tuple[LikertItem, ...]:
        """The items that belong to ``axis``."""
        return tuple(i for i in self.items if i.axis == axis)

    def items_table(self) -> pd.DataFrame:
        """Items as a tidy DataFrame (``id``, ``axis``, ``reverse``, ``text``)."""
        return pd.DataFrame({
            "id": pd.Series([i.id for i in self.items], dtype="str"),
            "axis": pd.Series([i.axis for i in self.items], dtype="str"),
            "reverse": [i.reverse for i in self.items],
            "text": pd.Series([i.text for i in self.items], dtype="str"),
        })


def _weights_from(doc: Any, shown: str) -> ScoringWeights:
    sc = doc.get("scoring") if isinstance(doc, Mapping) else None
    if not isinstance(sc, Mapping):
        raise _err(shown, "scoring", "missing or not a mapping", "copy the scoring section of "
                   "techseg_lib/data/assessment.yaml")

    def get(path: str) -> Any:
        node: Any = sc
        for part in path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise _err(shown, f"scoring.{path}", "missing",
                           "copy the scoring section of techseg_lib/data/assessment.yaml")
            node = node[part]
        return node

    for path in ("threshold", "customer.answers", "customer.ct_share", "ecosystem.answers",
                 "ecosystem.ot_share", "ecosystem.integration_share"):
        node = get(path)
        if isinstance(node, Mapping) and node.get("assumption") is True and not node.get("rationale"):
            raise _err(shown, f"scoring.{path}.rationale", "an assumption needs a one-line rationale",
                       "add rationale: '<why>'")
    try:
        return ScoringWeights(
            customer_answers=get("customer.answers.weight"),
            customer_ct_share=get("customer.ct_share.weight"),
            ct_full_at=get("customer.ct_share.full_at"),
            ecosystem_answers=get("ecosystem.answers.weight"),
            ecosystem_ot_share=get("ecosystem.ot_share.weight"),
            ecosystem_integration_share=get("ecosystem.integration_share.weight"),
            ot_full_at=get("ecosystem.ot_share.full_at"),
            integration_full_at=get("ecosystem.integration_share.full_at"),
            threshold=get("threshold.value"),
        )
    except ConfigError as exc:
        raise ConfigError(f"{shown}: scoring: {exc}") from None


def load_definition(path: str | Path | None = None) -> AssessmentDefinition:
    """Load and validate an assessment definition (items, scale, weights, cues).

    Parameters
    ----------
    path : str or Path, optional
        A YAML file laid out like ``techseg_lib/data/assessment.yaml``. Default: the shipped file.

    Raises
    ------
    ConfigError
        Missing or malformed keys, duplicate item ids, an unknown axis, an axis without items,
        bad weights. The message names the file and the key.
    """
    doc, shown = _read_yaml(path, "assessment.yaml", "assessment definition")
    if not isinstance(doc, Mapping):
        raise _err(shown, "items", "the file is not a mapping", "see techseg_lib/data/assessment.yaml")
    scale = doc.get("scale")
    if not isinstance(scale, Mapping):
        raise _err(shown, "scale", "missing or not a mapping", "write scale: {min: 1, max: 5, ...}")
    lo, hi = scale.get("min"), scale.get("max")
    if not (isinstance(lo, int) and isinstance(hi, int) and not isinstance(lo, bool)
            and not isinstance(hi, bool) and lo < hi):
        raise _err(shown, "scale", f"min {lo!r} and max {hi!r} must be whole numbers with min < max",
                   "write e.g. min: 1 and max: 5")
    anchors_raw = scale.get("anchors") or {}
    if not isinstance(anchors_raw, Mapping):
        raise _err(shown, "scale.anchors", "not a mapping", "write anchors: {1: strongly disagree, ...}")
    anchors = {int(k): str(v) for k, v in anchors_raw.items()}
    raw_items = doc.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise _err(shown, "items", "missing, empty or not a list", "list the items under items:")
    items: list[LikertItem] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_items):
        key = f"items[{n}]"
        if not isinstance(raw, Mapping):
            raise _err(shown, key, "not a mapping", "write {id: ..., axis: ..., text: ...}")
        extra = sorted(set(raw) - {"id", "axis", "text", "reverse"})
        if extra:
            raise _err(shown, f"{key}.{extra[0]}", "unknown key", "use only id, axis, text, reverse")
        iid = raw.get("id")
        if not isinstance(iid, str) or not re.fullmatch(r"[A-Za-z0-9_]+", iid):
            raise _err(shown, f"{key}.id", f"{iid!r} is not a valid id",
                       "use letters, digits and underscores")
        if iid in seen:
            raise _err(shown, f"{key}.id", f"duplicate id {iid!r}", "give every item its own id")
        seen.add(iid)
        axis = raw.get("axis")
        if axis not in AXES:
            raise _err(shown, f"{key}.axis", f"{axis!r} is not an axis", f"use one of {', '.join(AXES)}")
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _err(shown, f"{key}.text", "must be non-empty text", "write the statement")
        reverse = raw.get("reverse", False)
        if not isinstance(reverse, bool):
            raise _err(shown, f"{key}.reverse", f"{reverse!r} is not true/false", "write reverse: true or omit it")
        items.append(LikertItem(iid, axis, text.strip(), reverse))
    for axis in AXES:
        if not any(i.axis == axis for i in items):
            raise _err(shown, "items", f"no item on the {axis} axis", f"add at least one item with axis: {axis}")
    labels_raw = doc.get("axes") or {}
    axis_labels = {a: {k: str(v) for k, v in (labels_raw.get(a) or {}).items()} for a in AXES}
    cues = doc.get("integration_cues") or []
    if not isinstance(cues, list) or not all(isinstance(c, str) and c.strip() for c in cues):
        raise _err(shown, "integration_cues", "must be a list of non-empty phrases", "write e.g. [api, middleware]")
    return AssessmentDefinition(tuple(items), lo, hi, anchors, axis_labels, _weights_from(doc, shown),
                                tuple(c.strip().lower() for c in cues))


@lru_cache(maxsize=1)
def _shipped_definition() -> AssessmentDefinition:
    return load_definition(None)


def default_weights() -> ScoringWeights:
    """The shipped weights (all assumptions; see ``techseg_lib/data/assessment.yaml``)."""
    return _shipped_definition().weights


# ------------------------------------------------------------------------------------------------
# Answers
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Answers:
    """Validated assessment answers.

    Attributes
    ----------
    values : Mapping[str, int]
        Answered items only: item id -> answer in ``[scale_min, scale_max]``.
    unanswered : tuple of str
        Ids of items in the definition with no answer (absent or null).
    source : str
        Where the answers came from (file path or "<answers>").
    respondent : str or None
        Optional respondent description from the file.
    """

    values: Mapping[str, int]
    unanswered: tuple[str, ...]
    source: str = "<answers>"
    respondent: str | None = None


def validate_answers(answers: Mapping[Any, Any], *, definition: AssessmentDefinition | None = None,
                     source: str = "<answers>", respondent: str | None = None) -> Answers:
    """Check a mapping of item id -> answer and return :class:`Answers`.

    A null answer means unanswered. Every problem is reported at once.

    Raises
    ------
    ConfigError
        One line per problem, each naming the source, ``answers.<item id>`` and the fix:
        unknown item id, answer outside the scale, answer that is not a whole number.
    """
    d = definition if definition is not None else _shipped_definition()
    if not isinstance(answers, Mapping):
        raise _err(source, "answers", "not a mapping of item id to answer",
                   "write answers: {cust_named: 4, ...}")
    ids = d.item_ids
    lo, hi = d.scale_min, d.scale_max
    scale_fix = f"answer with a whole number from {lo} ({d.anchors.get(lo, 'lowest')}) to {hi} " \
                f"({d.anchors.get(hi, 'highest')}), or leave it empty (null) if unknown"
    problems: list[str] = []
    values: dict[str, int] = {}
    for key, value in answers.items():
        k = str(key)
        where = f"{source}: answers.{k}"
        if k not in ids:
            close = difflib.get_close_matches(k, ids, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(f"{where}: unknown item id. Fix: {hint}use an id from the assessment "
                            f"definition ({', '.join(ids)})")
            continue
        if value is None:
            continue
        if isinstance(value, bool):
            problems.append(f"{where}: {value!r} is not a whole number. Fix: {scale_fix}")
            continue
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            problems.append(f"{where}: {value!r} is text, not a whole number. Fix: {scale_fix} "
                            "(no quotes)")
            continue
        if not isinstance(value, (int, np.integer)):
            problems.append(f"{where}: {value!r} is not a whole number. Fix: {scale_fix}")
            continue
        if not lo <= int(value) <= hi:
            problems.append(f"{where}: {int(value)} is outside {lo}..{hi}. Fix: {scale_fix}")
            continue
        values[k] = int(value)
    if problems:
        raise ConfigError("\n".join(problems))
    unanswered = tuple(i for i in ids if i not in values)
    return Answers(values, unanswered, source, respondent)


def load_assessment(path: str | Path, *, definition: AssessmentDefinition | None = None) -> Answers:
    """Load and validate an assessment answers file.

    The file is YAML: ``answers: {item_id: 1..5, ...}`` plus optional ``respondent``, ``date``,
    ``notes`` and ``version``. An item absent from ``answers`` or answered ``null`` is
    unanswered.

    Parameters
    ----------
    path : str or Path
        The answers file.
    definition : AssessmentDefinition, optional
        Items to validate against. Default: the shipped definition.

    Raises
    ------
    ConfigError
        Missing file, invalid YAML, unknown top-level key, or bad answers (one line per problem,
        each naming the file and the item id and saying how to fix it).
    """
    shown = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{shown}: assessment answers file not found. Fix: check the assessment "
                          "path (in a client config it is relative to the config file)") from None
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the answers file ({exc}). Fix: check the path") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: not valid YAML ({exc}). Fix: correct the YAML syntax") from None
    if not isinstance(doc, Mapping) or "answers" not in doc:
        raise _err(shown, "answers", "missing", "write answers: {cust_named: 4, ...}")
    extra = sorted(str(k) for k in set(doc) - _ANSWER_FILE_KEYS)
    if extra:
        raise _err(shown, extra[0], "unknown key", f"use only {', '.join(sorted(_ANSWER_FILE_KEYS))}")
    respondent = doc.get("respondent")
    return validate_answers(doc["answers"] or {}, definition=definition, source=shown,
                            respondent=None if respondent is None else str(respondent))


# ------------------------------------------------------------------------------------------------
# Portfolio signals
# ------------------------------------------------------------------------------------------------

def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    parts = sorted({re.escape(c).replace(r"\ ", " ").replace(" ", r"\s+") for c in cues},
                   key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def integration_items(portfolio: pd.DataFrame, *, cues: Sequence[str] | None = None,
                      text_columns: Sequence[str] = ("name", "category", "description")) -> pd.Series:
    """Which items carry integration / API / platform cues in their text columns.

    Parameters
    ----------
    portfolio : DataFrame
        Any portfolio; columns in ``text_columns`` that are absent are skipped.
    cues : sequence of str, optional
        Phrases matched case-insensitively as whole words. Default: the shipped cues.
    text_columns : sequence of str
        Canonical fields searched (a raw export's synonym headers are found too, see
        :func:`techseg_lib.archetypes.field_column`).

    Returns
    -------
    Series of bool
        Same index as ``portfolio``.
    """
    cue_list = tuple(cues) if cues is not None else _shipped_definition().integration_cues
    cols = [c for c in (field_column(portfolio, f) for f in text_columns) if c is not None]
    if not cols or not cue_list or len(portfolio) == 0:
        return pd.Series(False, index=portfolio.index, dtype="bool")
    text = portfolio[cols[0]].astype("str").fillna("")
    for c in cols[1:]:
        text = text + " | " + portfolio[c].astype("str").fillna("")
    return text.str.contains(_cue_pattern(cue_list), regex=True).fillna(False).astype("bool")


def portfolio_signals(portfolio: pd.DataFrame, *, definition: AssessmentDefinition | None = None,
                      purpose_column: str = "purpose",
                      override_column: str | None = "purpose_override",
                      text_columns: Sequence[str] = ("name", "category", "description")) -> dict[str, float]:
    """Shares of items that feed the axis scores.

    Returns
    -------
    dict
        ``n_items`` (int), ``ct_share``, ``ot_share`` (shares of items by effective purpose, 0–1),
        ``integration_share`` (share of items with integration cues, 0–1) and
        ``n_integration`` (int).
    """
    d = definition if definition is not None else _shipped_definition()
    n = len(portfolio)
    if n == 0:
        return {"n_items": 0, "ct_share": float("nan"), "ot_share": float("nan"),
                "integration_share": float("nan"), "n_integration": 0}
    purpose = effective_purpose(portfolio, purpose_column=purpose_column, override_column=override_column)
    integ = integration_items(portfolio, cues=d.integration_cues, text_columns=text_columns)
    return {
        "n_items": n,
        "ct_share": float(purpose.eq("CT").mean()),
        "ot_share": float(purpose.eq("OT").mean()),
        "integration_share": float(integ.mean()),
        "n_integration": int(integ.sum()),
    }


# ------------------------------------------------------------------------------------------------
# Scores and quadrant
# ------------------------------------------------------------------------------------------------

def quadrant(customer: float, ecosystem: float, threshold: float = 50.0) -> str:
    """The MIT CISR quadrant for two axis scores (0–100); a score equal to ``threshold`` is high.

    Supplier (low customer, value chain), Omnichannel (high customer, value chain), Modular
    Producer (low customer, ecosystem), Ecosystem Driver (high customer, ecosystem).
    """
    return QUADRANTS[(bool(customer >= threshold), bool(ecosystem >= threshold))]


@dataclass(frozen=True, eq=False)
class Position:
    """An organisation's position on the two axes.

    Attributes
    ----------
    customer, ecosystem : float
        Axis scores in [0, 100].
    quadrant : str
        One of Supplier, Omnichannel, Modular Producer, Ecosystem Driver.
    threshold : float
        Score from which an axis counts as high.
    components : DataFrame
        What moved the point: one row per item and per signal with columns ``axis``, ``kind``
        ("answer" or "signal"), ``name`` (item id or signal name), ``label`` (statement or signal
        description), ``raw`` (the answer 1–5 or the share 0–1; NaN when unanswered), ``value``
        (0–100 after reverse scoring / saturation; NaN when unanswered), ``weight`` (effective
        weight in the axis score; 0 when unanswered) and ``contribution`` (``weight * value``,
        points; summing to the axis score per axis).
    notes : tuple of str
        Remarks on missing inputs (e.g. unanswered items, renormalised weights).
    """

    customer: float
    ecosystem: float
    quadrant: str
    threshold: float
    components: pd.DataFrame
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Scores and quadrant as plain JSON-ready values (scores rounded to 0.1)."""
        return {"customer": round(float(self.customer), 1), "ecosystem": round(float(self.ecosystem), 1),
                "quadrant": self.quadrant, "threshold": float(self.threshold)}


def score_axes(answers: Answers | Mapping[str, Any], portfolio: pd.DataFrame | None = None, *,
               weights: ScoringWeights | None = None,
               definition: AssessmentDefinition | None = None,
               purpose_column: str = "purpose",
               override_column: str | None = "purpose_override",
               text_columns: Sequence[str] = ("name", "category", "description")) -> Position:
    """Score closeness to the end customer and ecosystem (0–100 each) and place the quadrant.

    Parameters
    ----------
    answers : Answers or mapping
        From :func:`load_assessment`, or a plain ``{item_id: answer}`` mapping (validated).
    portfolio : DataFrame, optional
        Classified portfolio (``purpose``; optional ``purpose_override``, ``category``,
        ``name``, ``description``). None or empty: only answers count (noted).
    weights : ScoringWeights, optional
        Default: :func:`default_weights` (assumptions).
    definition : AssessmentDefinition, optional
        Items and cues. Default: the shipped definition.
    purpose_column, override_column : str
        See :func:`techseg_lib.archetypes.effective_purpose`.
    text_columns : sequence of str
        Fields searched for integration cues (default name, category, description).

    Returns
    -------
    Position
        Scores, quadrant and the per-component breakdown.

    Raises
    ------
    ConfigError
        Invalid answers, or an axis with neither answers nor portfolio signals.
    """
    d = definition if definition is not None else _shipped_definition()
    w = weights if weights is not None else d.weights
    if not isinstance(answers, Answers):
        answers = validate_answers(answers, definition=d)
    else:
        validate_answers(answers.values, definition=d, source=answers.source)
    have_portfolio = portfolio is not None and len(portfolio) > 0
    sig = portfolio_signals(portfolio, definition=d, purpose_column=purpose_column,
                            override_column=override_column, text_columns=text_columns) \
        if have_portfolio else None

    lo, hi = d.scale_min, d.scale_max
    signal_specs = {
        "customer": [("ct_share", "CT share of items", w.customer_ct_share, w.ct_full_at)],
        "ecosystem": [("ot_share", "OT share of items", w.ecosystem_ot_share, w.ot_full_at),
                      ("integration_share", "items with integration, API or platform cues",
                       w.ecosystem_integration_share, w.integration_full_at)],
    }
    answer_weight = {"customer": w.customer_answers, "ecosystem": w.ecosystem_answers}

    rows: list[dict[str, Any]] = []
    scores: dict[str, float] = {}
    notes: list[str] = []
    for axis in AXES:
        items = d.items_on(axis)
        answered = [i for i in items if i.id in answers.values]
        raw = np.array([answers.values[i.id] for i in answered], dtype="float64")
        rev = np.array([i.reverse for i in answered], dtype=bool)
        scored = np.where(rev, lo + hi - raw, raw)
        item_values = (scored - lo) / (hi - lo) * 100.0

        parts: list[tuple[str, float]] = []  # (component, raw weight) available on this axis
        if answered:
            parts.append(("answers", answer_weight[axis]))
        if sig is not None:
            parts += [(name, wt) for name, _, wt, _ in signal_specs[axis]]
        total = sum(wt for _, wt in parts)
        if total <= 0:
            raise ConfigError(
                f"{answers.source}: answers: no answered item on the {axis} axis and no "
                f"portfolio signal with weight > 0. Fix: answer at least one of "
                f"{', '.join(i.id for i in items)}, or pass the portfolio")
        norm = {name: wt / total for name, wt in parts}
        missing = [i.id for i in items if i.id not in answers.values]
        if missing:
            notes.append(f"{axis}: {len(missing)} of {len(items)} items unanswered "
                         f"({', '.join(missing)}); left out of the answer mean.")
        if not answered:
            notes.append(f"{axis}: no answered item; the score rests on portfolio signals only.")
        if sig is None:
            notes.append(f"{axis}: no portfolio; the score rests on answers only.")

        per_item = norm.get("answers", 0.0) / len(answered) if answered else 0.0
        vals = dict(zip([i.id for i in answered], item_values))
        for it in items:
            v = vals.get(it.id)
            rows.append({"axis": axis, "kind": "answer", "name": it.id,
                         "label": it.text + (" (reverse-scored)" if it.reverse else ""),
                         "raw": float(answers.values[it.id]) if v is not None else np.nan,
                         "value": float(v) if v is not None else np.nan,
                         "weight": per_item if v is not None else 0.0,
                         "contribution": per_item * float(v) if v is not None else 0.0})
        for name, label, _, full_at in signal_specs[axis]:
            share = sig[name] if sig is not None else np.nan
            value = min(share / full_at, 1.0) * 100.0 if sig is not None else np.nan
            wt = norm.get(name, 0.0)
            rows.append({"axis": axis, "kind": "signal", "name": name, "label": label,
                         "raw": share, "value": value, "weight": wt,
                         "contribution": wt * value if sig is not None else 0.0})
        axis_rows = [r for r in rows if r["axis"] == axis]
        scores[axis] = float(np.clip(sum(r["contribution"] for r in axis_rows), 0.0, 100.0))

    components = pd.DataFrame(rows, columns=list(COMPONENT_COLUMNS))
    for c in ("axis", "kind", "name", "label"):
        components[c] = components[c].astype("str")
    return Position(scores["customer"], scores["ecosystem"],
                    quadrant(scores["customer"], scores["ecosystem"], w.threshold),
                    float(w.threshold), components, tuple(notes))


# ------------------------------------------------------------------------------------------------
# Benchmarks
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Benchmarks:
    """MIT CISR benchmark figures with their sources.

    Attributes
    ----------
    figures : DataFrame
        Columns ``id``, ``quadrant``, ``metric``, ``value`` (float, NaN for a qualitative
        statement), ``unit``, ``approximate``, ``statement``, ``population``, ``year``,
        ``source``, ``url``, ``confidence`` (P or P-m; S only with ``caveat``), ``caveat``.
    unavailable : DataFrame
        Figures deliberately not shipped: ``id``, ``what``, ``status``.
    framework_sources : tuple of dict
        Title, url and confidence of the sources for the axes and quadrant names.
    """

    figures: pd.DataFrame
    unavailable: pd.DataFrame
    framework_sources: tuple[dict[str, str], ...]


def load_benchmarks(path: str | Path | None = None) -> Benchmarks:
    """Load the MIT CISR benchmark figures (default: the shipped ``cisr_benchmarks.yaml``).

    Raises
    ------
    ConfigError
        A figure without source or url, an unknown confidence code, a numeric figure with
        confidence S-weak or NV, or an S figure without a caveat; the message names the key.
    """
    doc, shown = _read_yaml(path, "cisr_benchmarks.yaml", "benchmarks")
    if not isinstance(doc, Mapping) or not isinstance(doc.get("figures"), list):
        raise _err(shown, "figures", "missing or not a list", "see techseg_lib/data/cisr_benchmarks.yaml")
    rows = []
    for n, f in enumerate(doc["figures"]):
        key = f"figures[{n}]"
        if not isinstance(f, Mapping):
            raise _err(shown, key, "not a mapping", "write {id: ..., value: ..., source: ..., url: ...}")
        for req in ("id", "statement", "source", "url", "confidence"):
            if not isinstance(f.get(req), str) or not f[req].strip():
                raise _err(shown, f"{key}.{req}", "missing", "every figure needs id, statement, "
                           "source, url and confidence")
        conf = f["confidence"]
        if conf not in _CONFIDENCE:
            raise _err(shown, f"{key}.confidence", f"{conf!r} is not a confidence code",
                       f"use one of {', '.join(_CONFIDENCE)}")
        value = f.get("value")
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise _err(shown, f"{key}.value", f"{value!r} is not a number", "write a number or null")
        if conf in ("S-weak", "NV"):
            raise _err(shown, f"{key}.confidence", f"{conf} figures must not be shipped",
                       "move the figure to `unavailable` with a status, or cite a primary source")
        if conf == "S" and not f.get("caveat"):
            raise _err(shown, f"{key}.caveat", "a secondary (S) figure needs a caveat",
                       "add caveat: '<what is uncertain>'")
        rows.append({"id": f["id"], "quadrant": f.get("quadrant"), "metric": f.get("metric"),
                     "value": float(value) if value is not None else np.nan, "unit": f.get("unit"),
                     "approximate": bool(f.get("approximate", False)), "statement": f["statement"],
                     "population": f.get("population"), "year": f.get("year"),
                     "source": f["source"], "url": f["url"], "confidence": conf,
                     "caveat": f.get("caveat")})
    unavailable = pd.DataFrame([{"id": str(u.get("id")), "what": str(u.get("what")),
                                 "status": str(u.get("status"))}
                                for u in (doc.get("unavailable") or [])],
                               columns=["id", "what", "status"])
    fw = doc.get("framework") or {}
    sources = tuple({k: str(v) for k, v in s.items()} for s in (fw.get("sources") or []))
    return Benchmarks(pd.DataFrame(rows), unavailable, sources)


# ------------------------------------------------------------------------------------------------
# Advice
# ------------------------------------------------------------------------------------------------

_ADVICE = {
    "customer": {
        "purpose": "CT",
        "direction": "toward complete knowledge of the end customer",
        "lever": "customer technology (CT: channels, portals, apps and the customer data behind them)",
    },
    "ecosystem": {
        "purpose": "OT + integration",
        "direction": "from value chain toward ecosystem",
        "lever": "connected operational technology (OT) and integration (APIs, platforms, partner interfaces)",
    },
}


def investment_advice(position: Position) -> pd.DataFrame:
    """Which purpose to invest in to move along which axis.

    Heuristic (an assumption, not a CISR prescription): an axis below the threshold is a move
    to make, ordered by the points still missing (the nearer crossing first); an axis at or above
    it is a position to hold. CT moves the customer axis; OT and integration move the ecosystem
    axis. Each row names the weakest input on that axis (lowest 0–100 value among answered items
    and signals) as the first place to look.

    Parameters
    ----------
    position : Position
        From :func:`score_axes`.

    Returns
    -------
    DataFrame
        One row per axis, in priority order, with columns ``priority`` (1 = first), ``axis``,
        ``purpose`` ("CT" or "OT + integration"), ``direction``, ``score`` (0–100),
        ``points_to_threshold`` (>= 0), ``action`` ("move" or "hold"), ``from_quadrant``,
        ``to_quadrant`` (the quadrant reached by crossing the threshold on this axis alone; same
        as ``from_quadrant`` for "hold"), ``weakest_input`` and ``text`` (a sentence).
    """
    t = position.threshold
    rows = []
    for axis in AXES:
        score = position.customer if axis == "customer" else position.ecosystem
        gap = max(0.0, t - score)
        cust_high = position.customer >= t
        eco_high = position.ecosystem >= t
        to_q = QUADRANTS[(True, eco_high)] if axis == "customer" else QUADRANTS[(cust_high, True)]
        comp = position.components
        comp = comp[(comp["axis"] == axis) & comp["value"].notna() & (comp["weight"] > 0)]
        if len(comp):
            weakest = comp.loc[comp["value"].idxmin()]
            if weakest["kind"] == "answer":
                weakest_txt = (f"answer to '{weakest['label']}' (answered {weakest['raw']:.0f}, "
                               f"{weakest['value']:.0f}/100)")
            else:
                weakest_txt = f"{weakest['label']} ({100 * weakest['raw']:.0f}%, {weakest['value']:.0f}/100)"
        else:
            weakest_txt = ""
        a = _ADVICE[axis]
        if gap > 0:
            action = "move"
            text = (f"Invest in {a['lever']} to move {a['direction']}: the {axis} score is "
                    f"{score:.0f}, {gap:.0f} points below {t:.0f}; crossing it moves the "
                    f"organisation from {position.quadrant} to {to_q}.")
        else:
            action = "hold"
            to_q = position.quadrant
            text = (f"The {axis} score is {score:.0f}, at or above {t:.0f}: keep investing in "
                    f"{a['lever']} to hold the position.")
        if weakest_txt:
            text += f" Weakest input: {weakest_txt}."
        rows.append({"axis": axis, "purpose": a["purpose"], "direction": a["direction"],
                     "score": float(score), "points_to_threshold": float(gap), "action": action,
                     "from_quadrant": position.quadrant, "to_quadrant": to_q,
                     "weakest_input": weakest_txt, "text": text})
    out = pd.DataFrame(rows)
    out["_order"] = np.where(out["action"] == "move", out["points_to_threshold"], np.inf)
    out = out.sort_values(["_order", "axis"], kind="stable").drop(columns="_order").reset_index(drop=True)
    out.insert(0, "priority", np.arange(1, len(out) + 1))
    for c in ("axis", "purpose", "direction", "action", "from_quadrant", "to_quadrant",
              "weakest_input", "text"):
        out[c] = out[c].astype("str")
    return out


__all__ = [
    "AXES", "QUADRANTS", "LikertItem", "ScoringWeights", "AssessmentDefinition", "Answers",
    "Position", "Benchmarks", "load_definition", "default_weights", "validate_answers",
    "load_assessment", "integration_items", "portfolio_signals", "quadrant", "score_axes",
    "load_benchmarks", "investment_advice",
]
