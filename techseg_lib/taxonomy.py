"""Load and validate the editable cue file that the classifier interprets.

The taxonomy is data (``techseg_lib/data/taxonomy.yaml`` ships with the package; a user can
pass their own). This module turns it into a :class:`Taxonomy`: cue phrases normalised exactly
as item text is normalised (:func:`normalise_phrase`), with weights, field weights, the
confidence settings, and the mode-2, shadow-IT and Purdue cue lists.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from .errors import TaxonomyError
from .portfolio import PURPOSES

MAX_WORDS = 3
"""Longest cue phrase, in words."""

FIELDS = ("users", "category", "deployment", "name", "description", "tags", "vendor")
"""Canonical fields that carry purpose cues."""

_SPLIT = re.compile(r"[^\w]+", re.UNICODE)


STEM_RULES: tuple[tuple[str, str], ...] = (
    (r"^(.{2,})ies$", r"\1y"),                  # families -> family, batteries -> battery
    (r"^(.{3,})ie$", r"\1y"),                   # movie -> movy, as movies -> movy
    (r"^(.{2,}(?:ss|sh|ch|x))es$", r"\1"),      # switches -> switch, processes -> process
    (r"^(.{2,}ch)e$", r"\1"),                   # cache -> cach, as caches -> cach
    (r"^(.{2,}[^s])s$", r"\1"),                 # robots -> robot (not "ss": access)
)
"""Plural endings folded by :func:`stem`, as ``(pattern, replacement)`` regular expressions
applied in order to one lower-case word. The same rules run in Arrow on the classifier's
vocabulary (:func:`techseg_lib.segment.fold_plurals`), so a cue and a portfolio word always
reduce alike. Singular and plural meet on one form, which need not be a real word.

What is folded: a final ``s`` (words of four or more letters, not ``ss``); ``-ies`` to ``-y``;
``-es`` after ``ss``, ``sh``, ``ch`` or ``x``; and, so that both forms meet, singular ``-ie``
and ``-che`` (five or more letters). Not folded: ``-us``/``-is`` plurals (``buses`` and ``bus``
stay apart), ``-ves`` (``shelves``) and irregular plurals. The rules are English; they also
fold some words of other languages (German ``Energie`` meets the cue ``energy``)."""

_STEM_COMPILED = tuple((re.compile(pattern), replacement) for pattern, replacement in STEM_RULES)


def stem(token: str) -> str:
    """Fold a plural onto its singular by :data:`STEM_RULES`.

    >>> [stem(w) for w in ("families", "switches", "robots", "access", "bus")]
    ['family', 'switch', 'robot', 'access', 'bus']
    """
    for pattern, replacement in _STEM_COMPILED:
        token = pattern.sub(replacement, token)
    return token


def normalise_phrase(text: str) -> tuple[str, ...]:
    """Split a phrase into the word tokens the matcher compares: lower case, ``_`` and
    punctuation as spaces, plurals folded by :func:`stem`.

    >>> normalise_phrase("Robots, PLC_s")
    ('robot', 'plc', 's')
    """
    words = _SPLIT.sub(" ", str(text).lower().replace("_", " ")).split()
    return tuple(stem(w) for w in words)


@dataclass(frozen=True)
class Cue:
    """One cue: a phrase that, found in a field, adds ``weight`` to ``purpose``."""

    purpose: str
    phrase: tuple[str, ...]
    weight: float
    text: str
    """The cue as written in the taxonomy file (shown in evidence)."""


@dataclass(frozen=True)
class Taxonomy:
    """A validated cue file.

    Attributes
    ----------
    cues : tuple of Cue
        Purpose cues, each phrase 1 to :data:`MAX_WORDS` words.
    field_weights : dict
        Canonical field -> multiplier (> 0) applied to cues found in that field.
    prior : dict
        Purpose -> starting score (>= 0).
    hand_weight : float
        Log-odds that one unit of hand-cue score adds to its purpose (>= 0), when the hand
        cues are combined with the learned lexicon. A file that leaves out a setting gets
        hand_weight 1.0, ambiguous_above 1.0 (off) and contested_review true; the shipped file
        sets its own values (see its comments).
    review_below : float
        Items whose confidence (the probability of their purpose, 0-1) is below this are
        flagged ``needs_review``.
    ambiguous_above : float
        Items whose probability of being ambiguous (0-1) is at least this are flagged.
    contested_review : bool
        Flag every item whose evidence names contested technology.
    lexicon : str or None
        :data:`SHIPPED` (the learned lexicon that ships with techseg, the default), the path
        of a lexicon CSV (a relative path is resolved against the taxonomy file's folder), or
        None for none: the hand cues alone.
    contested : tuple of tuple of str
        Phrases naming technology whose purpose depends on use (CRM, smart meter, ...).
    contested_labels : tuple of str
        The same phrases as written in the file (shown in evidence).
    mode2_status, mode2_text : tuple of tuple of str
        Phrases that mark exploratory (bimodal mode 2) work: in status-like columns and tags,
        and (a narrower list) in names and descriptions.
    unsanctioned_values : frozenset of str
        Whole values of a sanction column that mean "not sanctioned" (lower case).
    unsanctioned_cues, personal_device_cues : tuple of tuple of str
        Phrases for the shadow-IT rule.
    purdue : dict
        Purdue level (0-3) -> phrases.
    source : str
        Where the taxonomy was read from.
    """

    cues: tuple[Cue, ...]
    field_weights: dict
    prior: dict
    hand_weight: float
    review_below: float
    ambiguous_above: float
    contested_review: bool
    lexicon: str | None
    contested: tuple
    contested_labels: tuple
    mode2_status: tuple
    mode2_text: tuple
    unsanctioned_values: frozenset
    unsanctioned_cues: tuple
    personal_device_cues: tuple
    purdue: dict
    source: str


DEFAULT_TAXONOMY = "taxonomy.yaml"
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it: it reads the shipped taxonomy in 0.05 s
instead of 0.33 s, which every ``classify`` call without a taxonomy pays."""

SHIPPED = "shipped"
"""Value of a taxonomy's ``lexicon`` key that names the lexicon shipped with techseg."""


def _fail(source: str, key: str, message: str, fix: str) -> TaxonomyError:
    return TaxonomyError(f"{source}: key {key!r}: {message}. Fix: {fix}")


def _phrases(values, source: str, key: str) -> tuple:
    if not isinstance(values, list) or not all(isinstance(v, (str, int)) for v in values):
        raise _fail(source, key, "expected a list of phrases", "write a YAML list of strings")
    phrases = tuple(normalise_phrase(str(v)) for v in values)
    for value, phrase in zip(values, phrases):
        if not 1 <= len(phrase) <= MAX_WORDS:
            raise _fail(source, key, f"phrase {value!r} has {len(phrase)} words",
                        f"use 1 to {MAX_WORDS} words per phrase")
    return phrases


def _number(value, source: str, key: str, *, low: float = 0.0, high: float | None = None,
            strict_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _fail(source, key, f"expected a finite number, got {value!r}",
                    "write a plain number")
    if value < low or (strict_low and value == low) or (high is not None and value > high):
        bound = f"({'>' if strict_low else '>='} {low}{'' if high is None else f', <= {high}'})"
        raise _fail(source, key, f"{value!r} is out of range {bound}", "change the number")
    return float(value)


def read_data_file(path: str | Path | None, shipped: str, what: str) -> tuple[str, str]:
    """``(source, text)`` of a user's data file at ``path`` (UTF-8, with or without BOM), or,
    when ``path`` is None, of the one shipped as ``techseg_lib/data/<shipped>``.

    Raises
    ------
    TaxonomyError
        Naming the file and why it cannot be read (``what``: "taxonomy", "lexicon").
    """
    if path is None:
        data = resources.files("techseg_lib").joinpath("data", shipped)
        return f"techseg_lib/data/{shipped}", data.read_text("utf-8")
    try:
        return str(path), Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        reason = err.strerror
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 text: {err.reason} at byte {err.start}"
    raise TaxonomyError(f"{path}: cannot read the {what} ({reason}). "
                        "Fix: check the path; save the file as UTF-8")


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Read and validate a taxonomy YAML file (default: the one shipped with techseg).

    Raises
    ------
    TaxonomyError
        Naming the file and the key, with what is expected.
    """
    source, text = read_data_file(path, DEFAULT_TAXONOMY, "taxonomy")
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as err:
        raise TaxonomyError(f"{source}: not valid YAML ({err}). Fix: correct the syntax") from None
    if not isinstance(data, dict):
        raise _fail(source, "(top level)", "expected a mapping", "start from the shipped file")
    known = {"version", "field_weights", "prior", "confidence", "contested", "purposes", "mode2",
             "shadow", "purdue", "lexicon"}
    for key in data:
        if key not in known:
            raise _fail(source, key, "unknown key", f"use only {', '.join(sorted(known))}")
    for key in ("field_weights", "purposes", "confidence"):
        if not isinstance(data.get(key), dict):
            raise _fail(source, key, "missing or not a mapping", "copy it from the shipped file")

    field_weights = {}
    for field, weight in data["field_weights"].items():
        if field not in FIELDS:
            raise _fail(source, f"field_weights.{field}", "unknown field",
                        f"use one of {', '.join(FIELDS)}")
        field_weights[field] = _number(weight, source, f"field_weights.{field}", strict_low=True)

    prior = {p: 0.0 for p in PURPOSES}
    for purpose, value in (data.get("prior") or {}).items():
        if purpose not in PURPOSES:
            raise _fail(source, f"prior.{purpose}", "unknown purpose", "use IT, OT or CT")
        prior[purpose] = _number(value, source, f"prior.{purpose}")

    cues: list[Cue] = []
    for purpose, entries in data["purposes"].items():
        if purpose not in PURPOSES:
            raise _fail(source, f"purposes.{purpose}", "unknown purpose", "use IT, OT or CT")
        seen: set[tuple[str, ...]] = set()
        for position, entry in enumerate(entries or []):
            key = f"purposes.{purpose}[{position}]"
            if isinstance(entry, dict):
                if set(entry) - {"cue", "weight"} or "cue" not in entry:
                    raise _fail(source, key, f"unexpected entry {entry!r}",
                                "write {cue: phrase, weight: number}")
                phrase_text, weight = entry["cue"], entry.get("weight", 1.0)
            else:
                phrase_text, weight = entry, 1.0
            phrase = _phrases([phrase_text], source, key)[0]
            if phrase in seen:
                raise _fail(source, key, f"cue {phrase_text!r} appears twice for {purpose}",
                            "keep one entry per phrase")
            seen.add(phrase)
            cues.append(Cue(purpose, phrase, _number(weight, source, key, strict_low=True),
                            str(phrase_text)))
    if not cues:
        raise _fail(source, "purposes", "no cues", "list cues under IT, OT and CT")

    confidence = data["confidence"]
    settings = {"hand_weight", "review_below", "ambiguous_above", "contested_review"}
    for key in confidence:
        if key not in settings:
            raise _fail(source, f"confidence.{key}", "unknown setting",
                        f"use only {', '.join(sorted(settings))} (strength_scale and "
                        "contested_discount were replaced by the learned lexicon)")
    contested_review = confidence.get("contested_review", True)
    if not isinstance(contested_review, bool):
        raise _fail(source, "confidence.contested_review", f"{contested_review!r} is not "
                    "true or false", "write true or false")
    lexicon = data.get("lexicon", SHIPPED)
    if lexicon is not None and not isinstance(lexicon, str):
        raise _fail(source, "lexicon", f"{lexicon!r} is not a path",
                    f"write {SHIPPED!r}, the path of a lexicon CSV, or null for none")
    if lexicon not in (None, SHIPPED):
        if not lexicon.strip():
            raise _fail(source, "lexicon", "empty", f"write {SHIPPED!r}, a path or null")
        if path is not None and not Path(lexicon).is_absolute():
            lexicon = str(Path(path).parent / lexicon)
        if not Path(lexicon).is_file():
            raise _fail(source, "lexicon", f"no lexicon file at {lexicon}",
                        f"give the path of a lexicon CSV (relative to this file), {SHIPPED!r} "
                        "or null")
    shadow = data.get("shadow") or {}
    mode2 = data.get("mode2") or {}
    if not isinstance(mode2, dict) or set(mode2) - {"status", "text"}:
        raise _fail(source, "mode2", "expected a mapping with 'status' and 'text' lists",
                    "copy the mode2 block from the shipped file")
    purdue = {}
    for level, phrases in (data.get("purdue") or {}).items():
        if level not in (0, 1, 2, 3):
            raise _fail(source, f"purdue.{level}", "unknown level",
                        "use levels 0 to 3 (4-5 are enterprise IT)")
        purdue[int(level)] = _phrases(phrases, source, f"purdue.{level}")
    return Taxonomy(
        cues=tuple(cues),
        field_weights=field_weights,
        prior=prior,
        hand_weight=_number(confidence.get("hand_weight", 1.0), source,
                            "confidence.hand_weight"),
        review_below=_number(confidence.get("review_below"), source, "confidence.review_below",
                             high=1.0),
        ambiguous_above=_number(confidence.get("ambiguous_above", 1.0), source,
                                "confidence.ambiguous_above", high=1.0),
        contested_review=contested_review,
        lexicon=lexicon,
        contested=_phrases(data.get("contested") or [], source, "contested"),
        contested_labels=tuple(str(v) for v in data.get("contested") or []),
        mode2_status=_phrases(mode2.get("status", []), source, "mode2.status"),
        mode2_text=_phrases(mode2.get("text", []), source, "mode2.text"),
        unsanctioned_values=frozenset(str(v).strip().lower()
                                      for v in shadow.get("unsanctioned_values", [])),
        unsanctioned_cues=_phrases(shadow.get("unsanctioned_cues", []), source,
                                   "shadow.unsanctioned_cues"),
        personal_device_cues=_phrases(shadow.get("personal_device_cues", []), source,
                                      "shadow.personal_device_cues"),
        purdue=purdue,
        source=source,
    )
