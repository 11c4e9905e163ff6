"""Classify technology items into IT / OT / CT, with confidence, evidence and review flags.

The deciding question is what the technology acts on: information for the organisation's own
people (IT), physical processes and things (OT), or customers (CT). Two kinds of evidence are
added up as log-odds for six classes, the purposes crossed with "clear" and "ambiguous":

* hand cues of the taxonomy: each purpose scores its prior plus, for every cue found in a
  field, the cue's weight times the field's weight (structured columns such as ``users`` and
  ``category`` weigh more than free text); the score times the taxonomy's ``hand_weight`` is
  added to both classes of the purpose;
* the learned lexicon (:mod:`techseg_lib.lexicon`): intercepts plus the weights of the words
  and word pairs found, per field and in any field.

A softmax turns the sum into probabilities. The purpose is the one with the highest
probability (its two classes summed); ``confidence`` is that probability. An item is flagged
``needs_review`` when its confidence is below ``review_below``, when the probability that it
is ambiguous reaches ``ambiguous_above``, or (with ``contested_review``) when it names
contested technology such as a CRM or a smart meter.

Everything is vectorised: each text column is factorised, only its distinct values are
tokenised (with pyarrow compute kernels), and phrases of up to three words are found by joining
n-gram keys against the cue and lexicon tables. No Python loop runs per row.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .errors import PortfolioError, Problem
from .lexicon import CLASSES, DIFFICULTIES, EMPTY, Lexicon, load_lexicon
from .portfolio import PURPOSES, SYNONYMS, fold, resolve_columns
from .taxonomy import FIELDS, MAX_WORDS, SHIPPED, STEM_RULES, Taxonomy, load_taxonomy

OUTPUT_COLUMNS = ("purpose", "confidence", "runner_up", "evidence", "needs_review",
                  "shadow_it", "mode", "purdue_level")
"""Columns :func:`classify` adds, in this order."""

PURDUE_FIELDS = ("category", "name", "description")
"""Fields read for an OT item's Purdue level, in order: the first that names a level decides
(the highest level it names)."""

EVIDENCE_MIN_PULL = 0.1
"""Learned phrases pulling less than this (log-odds) towards a purpose are not named in the
evidence (they still count in the scores)."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage of :func:`classify` completes."""


# ------------------------------------------------------------------------- phrase matching

def fold_plurals(words: pa.Array) -> pa.Array:
    """:func:`techseg_lib.taxonomy.stem` on every word of an Arrow string array (no nulls).

    The same :data:`~techseg_lib.taxonomy.STEM_RULES`, run by Arrow: each rule needs a word
    ending in ``s`` or ``e``, so only those words go through the regular expressions.
    """
    candidates = pc.match_substring_regex(words, r"[se]$")
    if not pc.any(candidates).as_py():
        return words
    folded = pc.filter(words, candidates)
    for pattern, replacement in STEM_RULES:
        folded = pc.replace_substring_regex(folded, pattern, replacement)
    return pc.replace_with_mask(words, candidates, folded)


def _tokenise(values: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokenise distinct text values (an Arrow string array without nulls).

    Returns ``(owner, token_ids, vocabulary)``: for every token in reading order the index of
    the value it came from, its id in ``vocabulary`` (an array of distinct stemmed tokens).
    """
    # one space between words, none at the ends, then split on the space. (Not
    # utf8_split_whitespace: in pyarrow 26 it sometimes keeps the trailing space of a value
    # at the end of the buffer, so one input could tokenise two ways.)
    spaced = pc.utf8_trim(
        pc.replace_substring_regex(pc.utf8_lower(values), r"[^\p{L}\p{N}]+", " "), " ")
    words = pc.split_pattern(spaced, " ")
    lengths = pc.list_value_length(words).fill_null(0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(words)
    owner = np.repeat(np.arange(len(values), dtype=np.int64), lengths.astype(np.int64))
    real = pc.not_equal(flat, "")  # an empty value splits into one empty string: no token
    if not pc.all(real).as_py():
        flat = pc.filter(flat, real)
        owner = owner[real.to_numpy(zero_copy_only=False)]
    raw = pc.dictionary_encode(flat)
    # stem each distinct token once, then merge tokens with one stem
    stems = pc.dictionary_encode(fold_plurals(raw.dictionary))
    stem_of = stems.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    token_ids = stem_of[raw.indices.to_numpy(zero_copy_only=False)]
    vocabulary = stems.dictionary.to_numpy(zero_copy_only=False)
    return owner, token_ids, vocabulary


@functools.lru_cache(maxsize=64)
def _phrase_words(phrases: tuple[tuple[str, ...], ...]):
    """Phrases grouped by length: ``(words, groups)`` where ``words`` is an object array of the
    distinct words of all phrases and ``groups`` lists, for n = 1 .. MAX_WORDS with phrases,
    ``(n, wanted, positions)``: the indices of the n-word phrases (int64, shape (k,)) and the
    position of each of their words in ``words`` (int64, shape (k, n))."""
    words = pd.Index(sorted({w for p in phrases for w in p}), dtype=object)
    groups = []
    for n in range(1, MAX_WORDS + 1):
        wanted = np.array([i for i, p in enumerate(phrases) if len(p) == n], dtype=np.int64)
        if len(wanted):
            positions = words.get_indexer([w for i in wanted for w in phrases[i]])
            groups.append((n, wanted, positions.astype(np.int64).reshape(len(wanted), n)))
    return words.to_numpy(), tuple(groups)


def _dictionary(column: pd.Series) -> tuple[np.ndarray, pa.Array]:
    """Codes (int64, -1 where missing) and distinct values (Arrow strings) of a text column.

    Arrow-backed string columns (pandas 3's default) are encoded by Arrow without creating a
    Python object per value; other columns go through :func:`pandas.factorize`.
    """
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        array = column.array.__arrow_array__()  # the Arrow data, no copy
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_large_string(array.type):
            array = array.cast(pa.string())
        encoded = array.dictionary_encode()
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, encoded.dictionary
    codes, uniques = pd.factorize(column.astype("str"), use_na_sentinel=True)
    return codes.astype(np.int64), pa.array(np.asarray(uniques, dtype=object),
                                            type=pa.string(), from_pandas=True)


class TokenisedColumn:
    """A text column factorised and tokenised once, ready to be searched for many phrase sets.

    Parameters
    ----------
    column : Series of str, shape (n_rows,)
        Missing values never match.

    Attributes
    ----------
    codes : ndarray of int64, shape (n_rows,)
        Index of each row's value among the distinct values, -1 where missing. A per-value
        table of shape (n_values + 1, ...) whose last entry stands for "missing" is spread to
        rows by ``table[codes]`` (code -1 picks the last entry).
    values : pyarrow.Array of str, shape (n_values,)
        The distinct values.
    n_values : int
        Number of distinct values.
    """

    def __init__(self, column: pd.Series):
        self.codes, self.values = _dictionary(column)
        self.n_values = len(self.values)
        if self.n_values:
            self._owner, self._tokens, vocabulary = _tokenise(self.values)
        else:
            self._owner = self._tokens = np.empty(0, dtype=np.int64)
            vocabulary = np.empty(0, dtype=object)
        self._lookup = pd.Index(vocabulary)

    def value_in(self, accepted) -> np.ndarray:
        """Boolean mask, shape (n_rows,): the row's whole value, trimmed and lower-cased, is one
        of ``accepted`` (lower-case strings)."""
        folded = pc.utf8_lower(pc.utf8_trim_whitespace(self.values))
        hit = pc.is_in(folded, value_set=pa.array(sorted(accepted), type=pa.string()))
        return np.append(hit.to_numpy(zero_copy_only=False), False)[self.codes]

    def match(self, phrases: Sequence[tuple[str, ...]]) -> tuple[np.ndarray, np.ndarray]:
        """All (value index, phrase index) pairs where a phrase occurs in a distinct value.

        Parameters
        ----------
        phrases : sequence of tuple of str
            Normalised phrases of 1 to :data:`MAX_WORDS` words (see
            :func:`techseg_lib.taxonomy.normalise_phrase`).

        Returns
        -------
        value_index, phrase_index : ndarray of int64, shape (n_matches,)
            Each pair once, sorted by value then phrase.
        """
        empty = np.empty(0, dtype=np.int64)
        owner, tokens = self._owner, self._tokens
        words, groups = _phrase_words(tuple(map(tuple, phrases)))
        word_ids = self._lookup.get_indexer(words) if len(words) else empty
        found_value, found_phrase = [], []
        for n, wanted, positions in groups:
            if len(tokens) < n:
                continue
            # word ids of each phrase; a phrase with a word absent from the column never matches
            ids = word_ids[positions]
            present = (ids >= 0).all(axis=1)
            if not present.any():
                continue
            ids, wanted = ids[present], wanted[present]
            # only token positions whose first word starts some phrase can match
            starts = np.flatnonzero(np.isin(tokens[: len(tokens) - n + 1], ids[:, 0]))
            starts = starts[owner[starts] == owner[starts + n - 1]]
            size = np.int64(len(self._lookup) + 1)
            text_key = np.zeros(len(starts), dtype=np.int64)
            phrase_key = np.zeros(len(ids), dtype=np.int64)
            for k in range(n):  # mixed-radix key of the n word ids (at most 3 passes)
                text_key = text_key * size + tokens[starts + k]
                phrase_key = phrase_key * size + ids[:, k]
            order = np.argsort(phrase_key, kind="stable")
            left = np.searchsorted(phrase_key[order], text_key, side="left")
            right = np.searchsorted(phrase_key[order], text_key, side="right")
            hits = right > left
            counts = (right - left)[hits]
            # expand each hit to every phrase with that key (several purposes may share one)
            first = np.repeat(left[hits], counts)
            offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            found_value.append(np.repeat(owner[starts[hits]], counts))
            found_phrase.append(wanted[order[first + offset]])
        if not found_value:
            return empty, empty
        value = np.concatenate(found_value)
        phrase = np.concatenate(found_phrase)
        key = np.sort(value * np.int64(len(phrases)) + phrase)
        repeated = np.zeros(len(key), dtype=bool)
        repeated[1:] = key[1:] == key[:-1]
        key = key[~repeated]  # each pair once
        return key // len(phrases), key % len(phrases)

    def contains(self, phrases: Sequence[tuple[str, ...]]) -> np.ndarray:
        """Boolean mask, shape (n_rows,): the row's value contains one of ``phrases``."""
        hit = np.zeros(self.n_values + 1, dtype=bool)  # last entry: missing value
        if phrases:
            value_index, _ = self.match(phrases)
            hit[value_index] = True
        return hit[self.codes]


# -------------------------------------------------------------------------------- classify

def _columns_for(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Canonical field -> every input header that maps to it (best first)."""
    best = resolve_columns(frame.columns)
    spelled = {fold(s): field for field, spellings in SYNONYMS.items() for s in spellings}
    found: dict[str, list[str]] = {}
    for header in frame.columns:
        field = spelled.get(fold(header))
        if field is not None:
            found.setdefault(field, []).append(header)
    for field, header in best.items():
        found[field].remove(header)
        found[field].insert(0, header)
    return found


class _Columns:
    """Each input column tokenised at most once, on first use."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._cache: dict[str, TokenisedColumn] = {}
        self._pending: dict[str, Future] = {}

    def text(self, header: str) -> pd.Series:
        column = self.frame[header]
        return column if isinstance(column.dtype, pd.StringDtype) else column.astype("str")

    def tokens(self, header: str) -> TokenisedColumn:
        if header not in self._cache:
            pending = self._pending.pop(header, None)
            self._cache[header] = (pending.result() if pending is not None
                                   else TokenisedColumn(self.text(header)))
        return self._cache[header]

    def prefetch(self, headers) -> None:
        """Start tokenising several columns in background threads (one per core), in the order
        given, and return at once: Arrow's kernels release the GIL, so the columns are encoded in
        parallel with each other and with the caller's work on the columns already done
        (:meth:`tokens` waits for a column that is not). Results do not depend on the order."""
        todo = [h for h in dict.fromkeys(headers)
                if h not in self._cache and h not in self._pending]
        if len(todo) < 2 or len(self.frame) < 50_000:
            return
        pool = ThreadPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1))
        for header in todo:
            self._pending[header] = pool.submit(TokenisedColumn, self.text(header))
        pool.shutdown(wait=False)  # the submitted work still runs; no new work is accepted

    def contains(self, headers, phrases) -> np.ndarray:
        mask = np.zeros(len(self.frame), dtype=bool)
        for header in headers:
            mask |= self.tokens(header).contains(phrases)
        return mask


def _lexicon(taxonomy: Taxonomy, lexicon) -> Lexicon:
    if isinstance(lexicon, Lexicon):
        return lexicon
    if lexicon is not None:
        return _load_lexicon(str(lexicon))
    if taxonomy.lexicon is None:
        return EMPTY
    return _load_lexicon(None if taxonomy.lexicon == SHIPPED else taxonomy.lexicon)


def _load_lexicon(path: str | None) -> Lexicon:
    """:func:`load_lexicon`, read once per file version (keyed by path and modification time)."""
    stamp = os.stat(path).st_mtime_ns if path is not None and os.path.exists(path) else 0
    return _cached_lexicon(path, stamp)


@functools.lru_cache(maxsize=8)
def _cached_lexicon(path: str | None, stamp: int) -> Lexicon:
    return load_lexicon(path)


def classify(frame: pd.DataFrame, taxonomy: Taxonomy | str | None = None, *,
             lexicon: Lexicon | str | None = None,
             progress: Progress | None = None) -> pd.DataFrame:
    """Classify every item of a portfolio by purpose.

    Parameters
    ----------
    frame : DataFrame, shape (n_items, n_columns)
        A portfolio as :func:`~techseg_lib.portfolio.load_portfolio` returns it (any header
        spelling in :data:`~techseg_lib.portfolio.SYNONYMS`; a name column is required).
    taxonomy : Taxonomy or path, optional
        The cue file; default the one shipped with techseg.
    lexicon : Lexicon or path, optional
        The learned lexicon; default the one the taxonomy names (its ``lexicon`` key: the
        shipped lexicon unless the file says otherwise). Pass
        :data:`techseg_lib.lexicon.EMPTY` for the hand cues alone.
    progress : callable, optional
        ``progress(stage, done, total)`` after each stage, for a progress bar.

    Returns
    -------
    DataFrame, shape (n_items, n_columns + 8)
        Every input column unchanged and in order, then :data:`OUTPUT_COLUMNS`:

        ``purpose`` (str) IT, OT or CT · ``confidence`` (float, 0-1) the probability of that
        purpose · ``runner_up`` (str) the second most likely purpose · ``evidence`` (str) what
        decided, e.g. ``OT 97% <- category:plc (x6), name:hmi (x3); learned name:scada (+1.2)
        | IT 2% <- none | ambiguous 8%`` (each hand cue with its weight times its field's
        weight, the strongest learned words with their pull towards the purpose, in log-odds)
        · ``needs_review`` (bool) weak, conflicting or use-dependent evidence ·
        ``shadow_it`` (bool) SaaS or a personal device in use without IT's sanction ·
        ``mode`` (int, 1 or 2) bimodal mode, 2 for pilots, proofs of concept, experiments,
        new builds · ``purdue_level`` (Int64, 0-3) for OT items whose level can be told,
        else missing.

        An input column that already bears one of these names (re-classifying an output) is
        kept under the name ``<name>_input``. Identical inputs give identical outputs; the
        result does not depend on row order or on the case of the headers.
    """
    if not isinstance(taxonomy, Taxonomy):
        taxonomy = load_taxonomy(taxonomy)
    lexicon = _lexicon(taxonomy, lexicon)
    columns = _columns_for(frame)
    if "name" not in columns:
        raise ValueError("the portfolio has no name column; load it with load_portfolio() "
                         "to get a message that says how to fix it")
    n = len(frame)
    cache = _Columns(frame)
    cache.prefetch([columns["name"][0]]  # first: usually the most distinct values, the longest
                   + [columns[f][0] for f in FIELDS if f in columns]
                   + [h for f in ("lifecycle", "tags", "sanctioned", "source", "owner")
                      for h in columns.get(f, [])])
    purpose_index = {p: i for i, p in enumerate(PURPOSES)}
    cue_purpose = np.array([purpose_index[c.purpose] for c in taxonomy.cues], dtype=np.int64)
    cue_weight = np.array([c.weight for c in taxonomy.cues], dtype=np.float64)
    cue_phrases = tuple(c.phrase for c in taxonomy.cues)
    # hand cues count in the fields the taxonomy weighs; the lexicon in every field it knows;
    # Purdue levels are read from category, name and description
    scored = [f for f in FIELDS if f in columns and (f in taxonomy.field_weights or len(lexicon)
                                                     or f in PURDUE_FIELDS)]
    purdue_phrases = tuple(p for _, group in sorted(taxonomy.purdue.items()) for p in group)
    purdue_level = np.array([lv for lv, group in sorted(taxonomy.purdue.items())
                             for _ in group], dtype=np.int64)
    stages = len(scored) + 2
    step = 0

    def advance(stage: str) -> None:
        nonlocal step
        step += 1
        if progress:
            progress(stage, step, stages)

    # Per field: score each distinct value, then reduce values to "signatures" (values with the
    # same scores and strongest cues behave alike), so the rest runs once per distinct
    # combination of signatures across fields instead of once per row.
    signature_rows = []
    tables: dict[str, list[np.ndarray]] = {k: [] for k in (
        "scores", "cues", "contested", "logits", "learned", "purdue")}
    for field in scored:
        column = cache.tokens(columns[field][0])
        size = (column.n_values + 1, len(PURPOSES))  # last entry: a missing value
        # one search for hand cues, contested phrases, Purdue phrases and lexicon phrases:
        # pairs come sorted by value then phrase, and each kind keeps that order
        features, phrases = lexicon.for_field(field)
        levels = purdue_phrases if field in PURDUE_FIELDS else ()
        found_value, found = column.match((*cue_phrases, *taxonomy.contested, *levels, *phrases))
        starts = np.cumsum([0, len(cue_phrases), len(taxonomy.contested), len(levels)])
        kind = np.searchsorted(starts[1:], found, side="right")  # cue, contested, Purdue, lexicon
        found = found - starts[kind]  # index within its kind
        hand = (kind == 0) & (field in taxonomy.field_weights)
        value_index, cue_index = found_value[hand], found[hand]
        value_scores = np.bincount(  # a faster np.add.at, adding in the same order
            value_index * len(PURPOSES) + cue_purpose[cue_index],
            weights=cue_weight[cue_index] * taxonomy.field_weights.get(field, 0.0),
            minlength=size[0] * size[1]).reshape(size)
        strongest = _strongest(value_index, cue_purpose[cue_index], cue_weight[cue_index],
                               cue_index, size)
        # contested technology (a CRM, a smart meter, an industrial switch): the first
        # contested phrase in the value, +1 (0: none)
        named = (kind == 1) & (field in taxonomy.field_weights)
        value_index, phrase_index = found_value[named], found[named]
        contested = np.zeros(column.n_values + 1, dtype=np.int64)
        contested[value_index[::-1]] = phrase_index[::-1] + 1
        # Purdue level: the highest level the value names (-1: none)
        level = np.full(column.n_values + 1, -1, dtype=np.int64)
        np.maximum.at(level, found_value[kind == 2], purdue_level[found[kind == 2]])
        # learned lexicon: summed class weights, and the feature pulling hardest to each purpose
        value_index = found_value[kind == 3]
        feature = features[found[kind == 3]]
        value_logits = np.column_stack([  # bincount: a faster np.add.at
            np.bincount(value_index, weights=lexicon.weights[feature, k],
                        minlength=column.n_values + 1) for k in range(len(CLASSES))])
        pull = lexicon.pull[feature]
        hit = pull >= EVIDENCE_MIN_PULL
        feature = feature[hit]
        learned = _strongest(value_index[hit], lexicon.favours[feature], pull[hit], feature,
                             size)
        value_signature, first_value = _dense_combination(
            [*value_scores.view(np.int64).T, *strongest.T, contested, level,
             *value_logits.view(np.int64).T, *learned.T])
        signature_rows.append(value_signature[column.codes])
        for key, table in (("scores", value_scores), ("cues", strongest),
                           ("contested", contested), ("logits", value_logits),
                           ("learned", learned), ("purdue", level)):
            tables[key].append(table[first_value])
        advance(f"cues in {field}")

    if scored:
        inverse, first_row = _dense_combination(signature_rows)
    else:
        inverse, first_row = np.zeros(n, dtype=np.int64), np.zeros(min(n, 1), dtype=np.int64)
    m = len(first_row)
    scores = np.tile(np.array([taxonomy.prior[p] for p in PURPOSES]), (m, 1))
    logits = np.tile(lexicon.bias, (m, 1))
    best_cue = np.full((len(scored), len(PURPOSES), m), -1, dtype=np.int64)
    best_learned = np.full((len(scored), len(PURPOSES), m), -1, dtype=np.int64)
    contested = np.zeros(m, dtype=np.int64)
    for f in range(len(scored)):
        signature = signature_rows[f][first_row]
        scores += tables["scores"][f][signature]
        logits += tables["logits"][f][signature]
        best_cue[f] = tables["cues"][f][signature].T
        best_learned[f] = tables["learned"][f][signature].T
        contested = np.where(contested == 0, tables["contested"][f][signature], contested)
    # Purdue level: the highest level named in the first field that names one
    level = np.full(m, -1, dtype=np.int64)
    for field in PURDUE_FIELDS:
        if field in scored:
            f = scored.index(field)
            level = np.where(level >= 0, level, tables["purdue"][f][signature_rows[f][first_row]])

    # six classes -> purposes; ties go to the earlier purpose (IT, OT, CT)
    logits += taxonomy.hand_weight * np.repeat(scores, len(DIFFICULTIES), axis=1)
    logits -= logits.max(axis=1, keepdims=True)
    probability = np.exp(logits)
    probability /= probability.sum(axis=1, keepdims=True)
    per_class = probability.reshape(m, len(PURPOSES), len(DIFFICULTIES))
    by_purpose = per_class.sum(axis=2)
    ambiguous = per_class[:, :, DIFFICULTIES.index("ambiguous")].sum(axis=1)
    ranking = np.argsort(-by_purpose, axis=1, kind="stable")
    winner, second = ranking[:, 0], ranking[:, 1]
    confidence = np.clip(by_purpose[np.arange(m), winner], 0.0, 1.0)
    if not len(lexicon):  # hand cues alone say nothing about ambiguity
        ambiguous = np.full(m, np.nan)
    review = (confidence < taxonomy.review_below) | (ambiguous >= taxonomy.ambiguous_above)
    if taxonomy.contested_review:
        review |= contested > 0
    # the text depends only on the named cues, the two purposes, whole percentages and the
    # contested phrase: write each distinct text once
    percent = np.rint(100 * np.column_stack([by_purpose[np.arange(m), winner],
                                             by_purpose[np.arange(m), second], ambiguous]))
    percent = np.nan_to_num(percent, nan=-1).astype(np.int64)  # -1: not estimated
    keys = len(scored) * len(PURPOSES)
    text_of, first = _dense_combination([*best_cue.reshape(keys, m), *best_learned.reshape(keys, m),
                                         winner, second, *percent.T, contested])
    notes = [""] + [f" | contested: {label}" for label in taxonomy.contested_labels]
    texts = [text + notes[c] for text, c in zip(
        _evidence(best_cue[:, :, first], best_learned[:, :, first], winner[first],
                  second[first], percent[first], scored, taxonomy, lexicon),
        contested[first])]
    text_code, text_values = pd.factorize(np.asarray(texts, dtype=object)[text_of],
                                           sort=True)  # categories in text order, not row order
    # spread per-combination results to rows (small integer codes: cheaper gathers)
    evidence = pd.Categorical.from_codes(text_code.astype(np.int32)[inverse],
                                         categories=text_values)
    level = np.where(winner == purpose_index["OT"], level, -1)[inverse]  # OT items only
    purdue = pd.arrays.IntegerArray(np.maximum(level, 0), level < 0)
    winner, second = winner.astype(np.int8)[inverse], second.astype(np.int8)[inverse]
    confidence, review = np.round(confidence, 4)[inverse], review[inverse]
    advance("evidence")

    mode = _mode(cache, columns, taxonomy)
    shadow = _shadow_it(cache, columns, taxonomy)
    advance("mode and shadow IT")

    out = frame.rename(columns={c: f"{c}_input" for c in OUTPUT_COLUMNS if c in frame.columns})
    added = pd.DataFrame({  # copy=False: the arrays are new, do not copy them again
        "purpose": pd.Categorical.from_codes(winner, PURPOSES),
        "confidence": confidence,
        "runner_up": pd.Categorical.from_codes(second, PURPOSES),
        "evidence": evidence,
        "needs_review": review,
        "shadow_it": shadow,
        "mode": mode,  # int64
        "purdue_level": purdue,  # Int64
    }, index=frame.index, copy=False)
    result = pd.concat([out, added], axis=1)
    result.attrs = dict(frame.attrs)
    return result


def _dense_combination(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Label each row by its combination of values in ``columns`` (int64 arrays, shape (n,);
    any values: wide-ranging ones, e.g. float bit patterns, are numbered densely first).

    Returns ``(inverse, first)``: a dense combination id per row, numbered in order of first
    appearance, and, per combination, the first row that has it. The columns are combined into
    one mixed-radix key, compressed (factorised) only when it could overflow int64, and
    factorised once at the end.
    """
    n = len(columns[0])
    key, radix = np.zeros(n, dtype=np.int64), 1  # 0 <= key < radix
    for column in columns:
        low, high = int(column.min(initial=0)), int(column.max(initial=0))
        if low < -1 or high >= n:  # sparse values (e.g. float bit patterns): number them first
            column = pd.factorize(column, sort=False)[0]
            high = int(column.max(initial=0))
        span = high + 2  # values -1 .. high
        if radix * span >= 2**63:
            key, uniques = pd.factorize(key, sort=False)
            radix = len(uniques)
        key *= span
        key += column
        key += 1
        radix *= span
    key = pd.factorize(key, sort=False)[0].astype(np.int64, copy=False)
    first = np.full(int(key.max(initial=-1)) + 1, -1, dtype=np.int64)
    first[key[::-1]] = np.arange(len(key) - 1, -1, -1)
    return key, first


def _strongest(value_index, purpose, strength, item, size) -> np.ndarray:
    """Per (value, purpose), the ``item`` (cue or feature index) of greatest ``strength``
    (ties: the last in input order, which is by item within a value), -1 where none; int64,
    shape ``size``."""
    strongest = np.full(size, -1, dtype=np.int64)
    order = np.argsort(strength, kind="stable")  # by strength: the last write wins
    strongest[value_index[order], purpose[order]] = item[order]
    return strongest


def _evidence(best_cue, best_learned, winner, second, percent, scored, taxonomy,
              lexicon) -> list[str]:
    """The readable evidence of each combination of deciding cues.

    Parameters
    ----------
    best_cue, best_learned : ndarray of int, shape (n_fields, 3, k)
        Strongest hand cue and strongest learned feature per field and purpose for each
        combination (-1: none).
    winner, second : ndarray of int, shape (k,)
        Index in :data:`PURPOSES` of the most and second most likely purpose.
    percent : ndarray of int, shape (k, 3)
        Probability of the winner, of the runner-up and of "ambiguous", in whole percent
        (-1 for "ambiguous" when there is no lexicon to estimate it: not shown).

    Returns
    -------
    list of str, length k
        ``WINNER p% <- field:cue (xW), ...; learned field:phrase (+V), ... | RUNNER_UP p% <-
        ... | ambiguous p%`` where ``xW`` is the cue weight times the field weight (only the
        strongest cue of each field is named) and ``+V`` a learned phrase's pull towards the
        purpose in log-odds (the three strongest); ``none`` where a purpose has neither;
        ``no single strong cue; IT p% from the prior and weak learned words | ambiguous p%``
        (``from the prior`` without a lexicon) where nothing is named (learned words pulling
        less than :data:`EVIDENCE_MIN_PULL` still count, and many of them can add up to a
        confident purpose).
    """
    votes = lexicon.votes
    texts = []
    for j in range(len(winner)):  # once per distinct text, not per row
        ambiguous = [f"ambiguous {percent[j, 2]}%"] if percent[j, 2] >= 0 else []
        if not ((best_cue[:, :, j] >= 0).any() or (best_learned[:, :, j] >= 0).any()):
            basis = "the prior and weak learned words" if len(lexicon) else "the prior"
            texts.append(" | ".join([f"no single strong cue; {PURPOSES[winner[j]]} "
                                     f"{percent[j, 0]}% from {basis}", *ambiguous]))
            continue
        parts = []
        for purpose, share in ((winner[j], percent[j, 0]), (second[j], percent[j, 1])):
            found = [f"{field}:{taxonomy.cues[c].text} "
                     f"(x{taxonomy.cues[c].weight * taxonomy.field_weights[field]:g})"
                     for field, c in zip(scored, best_cue[:, purpose, j]) if c >= 0]
            features = sorted({f for f in best_learned[:, purpose, j] if f >= 0},
                              key=lambda f: (-votes[f, purpose], f))[:3]
            learned = ", ".join(f"{lexicon.label(f)} (+{votes[f, purpose]:.2g})"
                                for f in features)
            said = ", ".join(found)
            if learned:
                said = f"{said}; learned {learned}" if said else f"learned {learned}"
            parts.append(f"{PURPOSES[purpose]} {share}% <- {said or 'none'}")
        texts.append(" | ".join([*parts, *ambiguous]))
    return texts


def _mode(cache: _Columns, columns, taxonomy) -> np.ndarray:
    status_headers = columns.get("lifecycle", []) + columns.get("tags", [])
    text_headers = columns.get("name", [])[:1] + columns.get("description", [])[:1]
    exploratory = (cache.contains(status_headers, taxonomy.mode2_status)
                   | cache.contains(text_headers, taxonomy.mode2_text))
    return exploratory.astype(np.int64) + 1


_YES = frozenset({"yes", "y", "true", "1", "approved", "sanctioned", "it approved", "managed"})


def _shadow_it(cache: _Columns, columns, taxonomy) -> np.ndarray:
    """Shadow IT: not sanctioned by IT, and explicitly unsanctioned or a personal device.

    ``explicit no``: a sanction column holds one of ``unsanctioned_values``, or tags /
    discovery source / owner carry an ``unsanctioned_cues`` phrase ("Unsanctioned",
    "SaaS discovery"). ``explicit yes``: a sanction column says yes / approved. A personal
    device (BYOD) is shadow IT unless a sanction column says yes.
    """
    n = len(cache.frame)
    explicit_no = np.zeros(n, dtype=bool)
    explicit_yes = np.zeros(n, dtype=bool)
    for header in columns.get("sanctioned", []):
        column = cache.tokens(header)
        explicit_no |= column.value_in(taxonomy.unsanctioned_values)
        explicit_yes |= column.value_in(_YES)
    cue_headers = columns.get("tags", []) + columns.get("source", []) + columns.get("owner", [])
    explicit_no |= cache.contains(cue_headers, taxonomy.unsanctioned_cues)
    text_headers = [h for f in ("name", "description", "deployment", "category", "tags", "users")
                    for h in columns.get(f, [])[:1]]
    personal = cache.contains(text_headers, taxonomy.personal_device_cues)
    return (explicit_no | personal) & ~explicit_yes


# --------------------------------------------------------------------------------- summary

def effective_purpose(portfolio: pd.DataFrame, *, purpose_column: str = "purpose",
                      override_column: str | None = "purpose_override") -> pd.Series:
    """The purpose each item counts as: the analyst's override where given, else the model's.

    The one definition used by every analysis (the override is kept next to the model's label,
    never in place of it).

    Parameters
    ----------
    portfolio : DataFrame
        Classified portfolio with ``purpose_column``; ``override_column`` is optional.
    purpose_column : str
        Column with the model's label ("IT", "OT" or "CT").
    override_column : str or None
        Column with an analyst's label; used where non-null and non-blank. None ignores
        overrides. The default also finds an override under a synonym header (e.g.
        ``Purpose override``).

    Returns
    -------
    Series of str
        "IT", "OT" or "CT" per row, same index as ``portfolio``.

    Raises
    ------
    PortfolioError
        Column missing, or a label that is not IT / OT / CT (every bad row is listed).
    """
    source = portfolio.attrs.get("source", "<portfolio>")
    if purpose_column not in portfolio.columns:
        raise PortfolioError([Problem(source, f"column {purpose_column!r} not found",
                                      "classify the portfolio first, or pass "
                                      "purpose_column=<the label column>")])
    purpose = portfolio[purpose_column].astype("str").str.strip().str.upper()
    purpose = purpose.where(portfolio[purpose_column].notna())
    if override_column == "purpose_override" and override_column not in portfolio.columns:
        override_column = resolve_columns(portfolio.columns).get("purpose_override")
    overridden = np.zeros(len(portfolio), dtype=bool)
    if override_column is not None and override_column in portfolio.columns:
        override = portfolio[override_column]
        text = override.astype("str").str.strip().str.upper()
        given = (override.notna() & text.ne("")).to_numpy(dtype=bool)
        purpose = purpose.where(~given, text)
        overridden = given
    bad = np.flatnonzero(~purpose.isin(PURPOSES).to_numpy(dtype=bool))
    if len(bad):
        column = np.where(overridden[bad], override_column, purpose_column)
        raise PortfolioError([
            Problem(source, f"{'purpose override' if overridden[i] else 'purpose'} "
                    f"{portfolio[c].iloc[i]!r} is not IT, OT or CT", "use exactly IT, OT or CT",
                    row=int(i) + 2, column=c)
            for i, c in zip(bad[:50], column[:50])])
    return purpose.astype("str")


def review_rule(taxonomy: Taxonomy | str | None = None) -> str:
    """When :func:`classify` sets ``needs_review``, in words, with the taxonomy's thresholds.

    For example ``"flagged when the likeliest purpose is under 50% likely or the chance that it
    depends on use is 9.3% or more"``. The chance of depending on use is part of the rule only
    when the taxonomy has a lexicon (without one it is not estimated).
    """
    taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy)
    parts = [f"the likeliest purpose is under {_percent(taxonomy.review_below)} likely"]
    if taxonomy.lexicon is not None and taxonomy.ambiguous_above < 1.0:
        parts.append(f"the chance that it depends on use is {_percent(taxonomy.ambiguous_above)} "
                     "or more")
    if taxonomy.contested_review:
        parts.append("its evidence names contested technology")
    if len(parts) == 1:
        return f"flagged when {parts[0]}"
    return f"flagged when {', '.join(parts[:-1])}{',' if len(parts) > 2 else ''} or {parts[-1]}"


def _percent(share: float) -> str:
    """A share (0-1) as a percentage with up to three significant digits: 0.093 -> '9.3%'."""
    return f"{100 * share:.3g}%"


def summarize(classified: pd.DataFrame) -> dict:
    """Counts and shares by purpose and by purpose x mode, review and shadow-IT counts.

    Parameters
    ----------
    classified : DataFrame
        Output of :func:`classify`.

    Returns
    -------
    dict
        ``items`` (int); ``purpose_counts`` {IT, OT, CT: int}; ``purpose_shares`` {IT, OT,
        CT: float 0-1, rounded to 4 places}; ``mode_counts`` {"IT": {"1": int, "2": int}, …};
        ``needs_review`` (int); ``shadow_it`` (int); ``overrides`` (int, items whose analyst
        override differs from the model). Shares use the effective purpose (override first).
    """
    purpose = effective_purpose(classified)
    counts = purpose.value_counts().reindex(list(PURPOSES), fill_value=0)
    total = int(len(classified))
    grid = pd.crosstab(purpose, classified["mode"]).reindex(
        index=list(PURPOSES), columns=[1, 2], fill_value=0)
    return {
        "items": total,
        "purpose_counts": {p: int(counts[p]) for p in PURPOSES},
        "purpose_shares": {p: round(float(counts[p]) / total, 4) if total else 0.0
                           for p in PURPOSES},
        "mode_counts": {p: {str(m): int(grid.loc[p, m]) for m in (1, 2)} for p in PURPOSES},
        "needs_review": int(classified["needs_review"].sum()),
        "shadow_it": int(classified["shadow_it"].sum()),
        "overrides": int((purpose != classified["purpose"]).sum()),
    }
