"""The segmentation game: classify a portfolio yourself, then compare with the model's evidence.

``build_app()`` returns a :class:`SegmentationGame`; show it as the last expression of a notebook
cell. The game shows a small batch of items from a sample portfolio (default: the advisory
firm's). For each item the learner picks IT, OT or CT (toggle buttons). *Reveal* shows, for every
item, the model's purpose, its confidence, its runner-up and the cues that decided (the
classifier's ``evidence``), and adds the batch to the score: the agreement rate overall and per
purpose, and a 3 x 3 chart of the learner's picks against the model's. *Next batch* moves on.

The deciding question is what the technology acts on: information for the organisation's own
people (IT), physical processes and things (OT), or customers (CT).

All state lives on plain attributes (``items``, ``picks``, ``results``, ``score``,
``confusion``, ``chart``, ``chart_spec``, ``chart_svg``) and in HTML widgets; the chart is drawn
to static SVG (vl-convert) and shown in an HTML widget, so it needs no CDN, draws the same in
JupyterLab and Voila, and tests can read it without a kernel (an ``Output`` widget captures
nothing outside one).

Client text (item names, descriptions) is escaped before it is put into HTML.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import altair as alt
import ipywidgets as widgets
import numpy as np
import pandas as pd

from techseg_lib.charts import (HIGHLIGHT, NEUTRAL, PURPOSE_COLORS, PURPOSE_LABELS, PURPOSES,
                               use_theme)
from techseg_lib.errors import PortfolioError, Problem
from techseg_lib.portfolio import canonical, load_portfolio, validate
from techseg_lib.reporting import safe_text
from techseg_lib.segment import classify

__all__ = ["ACTS_ON", "DEFAULT_PORTFOLIO", "SegmentationGame", "build_app", "chart_confusion",
           "confusion_frame", "item_html", "play_order", "reveal_html", "score_html",
           "score_results"]

DEFAULT_PORTFOLIO = (Path(__file__).resolve().parents[2]
                     / "data" / "samples" / "advisory_firm" / "portfolio.csv")
"""The sample portfolio the game uses when none is given (a checkout's ``data/samples``)."""

_MODEL_COLUMNS = ("purpose", "confidence", "evidence")
_SHOWN_FIELDS = (("vendor", "vendor"), ("category", "category"), ("users", "used by"),
                 ("deployment", "deployment"), ("description", "description"))
ACTS_ON = {"IT": "acts on information for the organisation's own people",
           "OT": "acts on physical processes and things", "CT": "acts with customers"}
"""What each purpose's technology acts on (the deciding question), for the legend."""
_RESULT_COLUMNS = ("position", "id", "name", "learner", "model", "agree", "confidence",
                   "runner_up", "needs_review")


# ------------------------------------------------------------------------------------------------
# Pure helpers: portfolio in, tidy frames out
# ------------------------------------------------------------------------------------------------

def _classified_view(portfolio: pd.DataFrame | str | os.PathLike[str] | None,
                     taxonomy) -> pd.DataFrame:
    """Canonical columns plus the model's output, one row per item (input order)."""
    if portfolio is None:
        if not DEFAULT_PORTFOLIO.is_file():
            raise PortfolioError([Problem(
                str(DEFAULT_PORTFOLIO), "the sample portfolio is not there",
                "run from a techseg checkout, or pass build_app(portfolio=<a CSV/XLSX path or "
                "a DataFrame>)")])
        portfolio = DEFAULT_PORTFOLIO
    if isinstance(portfolio, pd.DataFrame):
        frame = portfolio
        if not all(c in frame.columns for c in _MODEL_COLUMNS):
            problems = validate(frame)
            if problems:
                raise PortfolioError(problems)
            frame = classify(frame, taxonomy)
    else:
        frame = classify(load_portfolio(portfolio), taxonomy)
    view = canonical(frame)
    if len(view) == 0:
        raise PortfolioError([Problem(str(frame.attrs.get("source", "<portfolio>")),
                                      "the portfolio has no items",
                                      "pass a portfolio with at least one row")])
    model = view["purpose"].astype("str").str.strip().str.upper()
    bad = ~model.isin(PURPOSES)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise PortfolioError([Problem(str(frame.attrs.get("source", "<portfolio>")),
                                      f"model purpose {view['purpose'].iloc[first]!r} is not "
                                      "IT, OT or CT", "pass the classifier's output unchanged, "
                                      "or an unclassified portfolio", row=first + 2,
                                      column="purpose")])
    view["purpose"] = model
    if "runner_up" not in view:
        view["runner_up"] = pd.Series(pd.NA, index=view.index, dtype="str")
    if "needs_review" not in view:
        view["needs_review"] = False
    view["confidence"] = pd.to_numeric(view["confidence"], errors="coerce")
    return view.reset_index(drop=True)


def play_order(purpose: pd.Series, *, seed: int = 0, balanced: bool = True) -> np.ndarray:
    """The order in which the game shows items.

    Parameters
    ----------
    purpose : Series of str, shape (n_items,)
        The model's purpose per item ("IT", "OT", "CT").
    seed : int
        Seed of the shuffle; the same seed gives the same order.
    balanced : bool, default True
        Interleave the purposes (the first item of each purpose, then the second of each, ...
        each round in random order), so a batch shows every purpose the portfolio has even when
        one dominates. False: a plain shuffle (batches then mirror the portfolio's mix).

    Returns
    -------
    ndarray of int64, shape (n_items,)
        A permutation of ``0 .. n_items - 1`` (positions in ``purpose``).
    """
    rng = np.random.default_rng(seed)
    n = len(purpose)
    key = rng.permutation(n)
    if not balanced:
        return key.astype(np.int64)
    rank = (pd.Series(key, dtype="int64")
            .groupby(np.asarray(purpose, dtype=object)).rank(method="first")
            .to_numpy(dtype=np.int64))
    order = np.lexsort((key, rank))  # round by round, random order within a round
    return order.astype(np.int64)


def score_results(results: pd.DataFrame) -> dict[str, Any]:
    """Agreement between the learner and the model.

    Parameters
    ----------
    results : DataFrame
        One row per answered item: ``learner`` and ``model`` ("IT"/"OT"/"CT"), ``agree`` (bool),
        ``needs_review`` (bool, the model flags its own answer as weak).

    Returns
    -------
    dict
        ``answered`` (int); ``agreed`` (int); ``agreement_rate`` (float 0-1, NaN when nothing
        is answered); ``by_purpose``: for each model purpose ``{"answered", "agreed",
        "agreement_rate"}``; ``disagreed_on_review``: disagreements on items the model itself
        flags for review (int).
    """
    answered = int(len(results))
    agreed = int(results["agree"].sum()) if answered else 0
    counts = results.groupby("model", observed=True)["agree"].agg(["size", "sum"])
    counts = counts.reindex(list(PURPOSES), fill_value=0)
    by_purpose = {}
    for p in PURPOSES:
        n, k = int(counts.at[p, "size"]), int(counts.at[p, "sum"])
        by_purpose[p] = {"answered": n, "agreed": k, "agreement_rate": k / n if n else float("nan")}
    disagreed_review = (int((~results["agree"].astype(bool)
                             & results["needs_review"].astype(bool)).sum()) if answered else 0)
    return {"answered": answered, "agreed": agreed,
            "agreement_rate": agreed / answered if answered else float("nan"),
            "by_purpose": by_purpose, "disagreed_on_review": disagreed_review}


def confusion_frame(results: pd.DataFrame) -> pd.DataFrame:
    """Learner's pick against the model's purpose, as a tidy 3 x 3 table.

    Parameters
    ----------
    results : DataFrame
        One row per answered item with ``learner`` and ``model``.

    Returns
    -------
    DataFrame, 9 rows
        ``learner``, ``model`` (every pair of IT/OT/CT, also those never seen), ``count``
        (int) and ``agree`` (bool, ``learner == model``).
    """
    grid = pd.MultiIndex.from_product([list(PURPOSES), list(PURPOSES)], names=["learner", "model"])
    counts = (results.groupby(["learner", "model"]).size() if len(results)
              else pd.Series(dtype="int64"))
    counts = counts.reindex(grid, fill_value=0).astype("int64")
    frame = counts.rename("count").reset_index()
    frame["learner"] = frame["learner"].astype("str")
    frame["model"] = frame["model"].astype("str")
    frame["agree"] = frame["learner"] == frame["model"]
    return frame


# ------------------------------------------------------------------------------------------------
# Chart (pure: frame in, chart out)
# ------------------------------------------------------------------------------------------------

def chart_confusion(frame: pd.DataFrame, *, subtitle: str = "") -> alt.LayerChart:
    """3 x 3 grid of counts: the learner's pick (rows) against the model's purpose (columns).

    Parameters
    ----------
    frame : DataFrame
        :func:`confusion_frame` output (``learner``, ``model``, ``count``, ``agree``).
    subtitle : str
        Shown under the title (e.g. the agreement so far).

    Returns
    -------
    alt.LayerChart
        Shaded cells with their counts; the diagonal (agreement) is outlined.
    """
    use_theme()
    order = list(PURPOSES)
    base = alt.Chart(frame).encode(
        x=alt.X("model:N", sort=order, title="the model says",
                axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("learner:N", sort=order, title="you said"),
    )
    cells = base.mark_rect(stroke="#FFFFFF", strokeWidth=2).encode(
        color=alt.Color("count:Q", title="items", legend=None,
                        scale=alt.Scale(domainMin=0, range=["#F4F4F4", PURPOSE_COLORS["IT"]])),
        tooltip=[alt.Tooltip("learner:N", title="you said"),
                 alt.Tooltip("model:N", title="the model says"),
                 alt.Tooltip("count:Q", title="items")],
    )
    diagonal = base.transform_filter(alt.datum.agree).mark_rect(
        fill=None, stroke=HIGHLIGHT, strokeWidth=2)
    labels = base.mark_text(fontSize=16, fontWeight="bold", color=NEUTRAL).encode(
        text=alt.Text("count:Q"))
    title = alt.TitleParams("Your picks against the model's",
                            subtitle=[subtitle] if subtitle else alt.Undefined)
    return (cells + diagonal + labels).properties(width=210, height=210, title=title)


def _svg(spec: dict[str, Any]) -> str:
    """Static SVG of a Vega-Lite spec (vl-convert, offline)."""
    from altair.utils.mimebundle import spec_to_mimebundle
    from altair.vegalite.v6 import display

    bundle = spec_to_mimebundle(spec, format="svg", mode="vega-lite",
                                vega_version=display.VEGA_VERSION,
                                vegaembed_version=display.VEGAEMBED_VERSION,
                                vegalite_version=display.VEGALITE_VERSION)
    return bundle["image/svg+xml"]


# ------------------------------------------------------------------------------------------------
# HTML fragments (every client value escaped)
# ------------------------------------------------------------------------------------------------

def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and np.isnan(value)) \
        and value is not pd.NA and str(value).strip() not in ("", "nan", "None", "<NA>")


def item_html(item: pd.Series, number: int) -> str:
    """The card of one item: its name and what the portfolio says about it (escaped)."""
    facts = " &middot; ".join(
        f"<span style='color:#666'>{label}</span> {safe_text(item[field])}"
        for field, label in _SHOWN_FIELDS[:-1] if field in item.index and _present(item[field]))
    description = (f"<br>{safe_text(item['description'])}"
                   if "description" in item.index and _present(item["description"]) else "")
    return (f"<div style='margin-top:0.8em;line-height:1.4'><b>{number}. "
            f"{safe_text(item['name'])}</b><br><span style='font-size:90%'>{facts}"
            f"{description}</span></div>")


def reveal_html(item: pd.Series, learner: str | None) -> str:
    """The model's answer for one item: purpose, confidence, runner-up and evidence (escaped)."""
    model = str(item["purpose"])
    colour = PURPOSE_COLORS.get(model, NEUTRAL)
    if learner is None:
        verdict = "<span style='color:#666'>not answered</span>"
    elif learner == model:
        verdict = "<span style='color:#1a7f37'>&#10003; you agree</span>"
    else:
        verdict = f"<span style='color:#b42318'>&#10007; you said {safe_text(learner)}</span>"
    conf = item["confidence"]
    conf_text = f"{float(conf):.0%}" if _present(conf) else "unknown"
    runner = (f" &middot; runner-up {safe_text(item['runner_up'])}"
              if _present(item.get("runner_up")) else "")
    review = (" &middot; <b>the model flags this item for review</b>"
              if bool(item.get("needs_review", False)) else "")
    evidence = "".join(f"<li><code>{safe_text(part.strip())}</code></li>"
                       for part in str(item["evidence"]).split(" | ") if part.strip())
    return (f"<div style='margin:0.2em 0 0.6em 1.5em'>{verdict} &middot; the model says "
            f"<b style='color:{colour}'>{safe_text(model)}</b> "
            f"({safe_text(ACTS_ON.get(model, model))}), confidence {conf_text}"
            f"{runner}{review}<br><span style='color:#666'>"
            "evidence (cues, learned words and their weights):</span>"
            f"<ul style='margin:0'>{evidence}</ul></div>")


def score_html(score: dict[str, Any]) -> str:
    """Agreement so far, overall and per model purpose."""
    if score["answered"] == 0:
        return "<p>No answers revealed yet: pick IT, OT or CT for each item, then reveal.</p>"
    parts = []
    for p in PURPOSES:
        s = score["by_purpose"][p]
        if s["answered"]:
            parts.append(f"{p}: {s['agreed']} of {s['answered']}")
    hint = ""
    if score["disagreed_on_review"]:
        hint = (f"<br>{score['disagreed_on_review']} of your disagreements are on items the "
                "model itself flags for review: it is unsure there, or finds that the purpose "
                "may depend on use.")
    return (f"<p>You agree with the model on <b>{score['agreed']} of {score['answered']}</b> "
            f"items (<b>{score['agreement_rate']:.0%}</b>). Where the model says "
            f"{'; '.join(parts)}.{hint}</p>")


# ------------------------------------------------------------------------------------------------
# The app
# ------------------------------------------------------------------------------------------------

class SegmentationGame:
    """Batches of items, a pick per item, the model's answer on reveal, and a running score.

    Attributes
    ----------
    items : DataFrame
        Every item in play order (canonical columns and the model's ``purpose``,
        ``confidence``, ``runner_up``, ``evidence``, ``needs_review``); index 0 .. n - 1.
    batch_size : int
    batch : list of int
        Positions (index of ``items``) of the batch on screen.
    picks : dict[int, str]
        The learner's current pick per position of the batch on screen (unanswered: absent).
    revealed : bool
        Whether the batch on screen has been revealed.
    results : DataFrame
        One row per answered and revealed item: ``position``, ``id``, ``name``, ``learner``,
        ``model``, ``agree``, ``confidence``, ``runner_up``, ``needs_review``.
    score : dict
        :func:`score_results` of ``results``.
    confusion : DataFrame
        :func:`confusion_frame` of ``results``.
    chart : altair.LayerChart
    chart_spec : dict
        Vega-Lite spec of ``chart``.
    chart_svg : str
        The chart as SVG (also the value of ``chart_widget``).
    finished : bool
        True once the last batch has been revealed.
    toggles : list of ipywidgets.ToggleButtons
        One per item of the batch on screen.
    reveal_widgets : list of ipywidgets.HTML
        The model's answer per item (empty until reveal).
    progress_widget, score_widget, chart_widget : ipywidgets.HTML
    reveal_button, next_button : ipywidgets.Button
    widget : ipywidgets.VBox
        What the notebook displays.
    """

    def __init__(self, portfolio: pd.DataFrame | str | os.PathLike[str] | None = None, *,
                 batch_size: int = 5, seed: int = 0, balanced: bool = True,
                 taxonomy=None) -> None:
        if int(batch_size) < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = int(batch_size)
        self.seed = int(seed)
        view = _classified_view(portfolio, taxonomy)
        order = play_order(view["purpose"], seed=self.seed, balanced=balanced)
        self.items = view.iloc[order].reset_index(drop=True)
        self.results = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            _RESULT_COLUMNS, ("int64", "str", "str", "str", "str", "bool", "float64", "str",
                              "bool"))})
        self.batch: list[int] = []
        self.picks: dict[int, str] = {}
        self.revealed = False
        self.finished = False
        self.n_updates = 0
        self.toggles: list[widgets.ToggleButtons] = []
        self.reveal_widgets: list[widgets.HTML] = []

        self.rows_box = widgets.VBox()
        self.progress_widget = widgets.HTML()
        self.score_widget = widgets.HTML()
        self.chart_widget = widgets.HTML()
        self.reveal_button = widgets.Button(description="Reveal the model's answers",
                                            button_style="primary",
                                            layout=widgets.Layout(width="16em"))
        self.next_button = widgets.Button(description="Next batch",
                                          layout=widgets.Layout(width="10em"))
        self.reveal_button.on_click(self.on_reveal)
        self.next_button.on_click(self.on_next)
        buttons = widgets.HBox([self.reveal_button, self.next_button])
        legend = widgets.HTML(
            "<p>" + " &middot; ".join(
                f"<b style='color:{PURPOSE_COLORS[p]}'>{p}</b> {safe_text(ACTS_ON[p])}"
                for p in PURPOSES) + "</p>")
        self.widget = widgets.VBox([legend, self.rows_box, self.progress_widget, buttons,
                                    self.score_widget, self.chart_widget])
        self._show_batch(0)
        self._refresh_score()

    # -- batches -----------------------------------------------------------------------------
    def _show_batch(self, start: int) -> None:
        self.batch = list(range(start, min(start + self.batch_size, len(self.items))))
        self.picks = {}
        self.revealed = False
        self.toggles, self.reveal_widgets, rows = [], [], []
        for k, position in enumerate(self.batch):
            item = self.items.iloc[position]
            toggle = widgets.ToggleButtons(
                options=list(PURPOSES), value=None,
                tooltips=[PURPOSE_LABELS[p] for p in PURPOSES],
                style={"button_width": "5em"})
            toggle.observe(lambda change, pos=position: self.on_pick(pos, change), names="value")
            answer = widgets.HTML()
            self.toggles.append(toggle)
            self.reveal_widgets.append(answer)
            rows.append(widgets.VBox([widgets.HTML(item_html(item, start + k + 1)), toggle,
                                      answer]))
        self.rows_box.children = tuple(rows)
        self.reveal_button.disabled = not self.batch
        self.next_button.disabled = True
        self._refresh_progress()

    def _refresh_progress(self) -> None:
        total = len(self.items)
        first, last = (self.batch[0] + 1, self.batch[-1] + 1) if self.batch else (total, total)
        state = ("revealed" if self.revealed else
                 f"{len(self.picks)} of {len(self.batch)} picked")
        done = " &middot; <b>that was the last batch</b>" if self.finished else ""
        self.progress_widget.value = (f"<p>Items {first}&ndash;{last} of {total} "
                                      f"&middot; {state}{done}</p>")

    def _refresh_score(self) -> None:
        self.score = score_results(self.results)
        self.confusion = confusion_frame(self.results)
        rate = self.score["agreement_rate"]
        subtitle = (f"{self.score['answered']} items revealed, agreement {rate:.0%}"
                    if self.score["answered"] else "nothing revealed yet")
        self.chart = chart_confusion(self.confusion, subtitle=subtitle)
        self.chart_spec = self.chart.to_dict()
        self.chart_svg = _svg(self.chart_spec)
        self.chart_widget.value = self.chart_svg
        self.score_widget.value = score_html(self.score)
        self.n_updates += 1

    # -- callbacks ---------------------------------------------------------------------------
    def on_pick(self, position: int, change: dict[str, Any]) -> None:
        """``observe`` handler of a toggle: record (or clear) the learner's pick."""
        if self.revealed:
            return
        value = change["new"]
        if value is None:
            self.picks.pop(position, None)
        else:
            self.picks[position] = str(value)
        self._refresh_progress()

    def pick(self, number: int, purpose: str | None) -> None:
        """Pick ``purpose`` for the ``number``-th item of the batch on screen (0-based), as a
        click on its toggle would."""
        if purpose is not None and purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {PURPOSES} or None, got {purpose!r}")
        self.toggles[number].value = purpose

    def reveal(self) -> None:
        """Show the model's answers for the batch on screen and add its answers to the score.

        Unanswered items show the model's answer but do not count. A second call does nothing.
        """
        if self.revealed or not self.batch:
            return
        rows = []
        for position, answer, toggle in zip(self.batch, self.reveal_widgets, self.toggles):
            item = self.items.iloc[position]
            learner = self.picks.get(position)
            answer.value = reveal_html(item, learner)
            toggle.disabled = True
            if learner is not None:
                rows.append({"position": position, "id": str(item["id"]),
                             "name": str(item["name"]), "learner": learner,
                             "model": str(item["purpose"]),
                             "agree": learner == str(item["purpose"]),
                             "confidence": float(item["confidence"]),
                             "runner_up": (str(item["runner_up"])
                                           if _present(item["runner_up"]) else ""),
                             "needs_review": bool(item["needs_review"])})
        if rows:
            new = pd.DataFrame(rows).astype(self.results.dtypes.to_dict())
            self.results = (pd.concat([self.results, new], ignore_index=True)
                            if len(self.results) else new)
        self.revealed = True
        self.finished = self.batch[-1] + 1 >= len(self.items)
        self.reveal_button.disabled = True
        self.next_button.disabled = self.finished
        self._refresh_progress()
        self._refresh_score()

    def next_batch(self) -> None:
        """Show the next batch (only after the one on screen has been revealed)."""
        if not self.revealed or self.finished:
            return
        self._show_batch(self.batch[-1] + 1)

    def on_reveal(self, button: widgets.Button | None = None) -> None:
        """``on_click`` handler of the reveal button."""
        self.reveal()

    def on_next(self, button: widgets.Button | None = None) -> None:
        """``on_click`` handler of the next-batch button."""
        self.next_batch()

    # -- display -----------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def build_app(portfolio: pd.DataFrame | str | os.PathLike[str] | None = None, *,
              batch_size: int = 5, seed: int = 0, balanced: bool = True,
              taxonomy=None) -> SegmentationGame:
    """The segmentation game, showing its first batch.

    Parameters
    ----------
    portfolio : DataFrame, path or None
        A portfolio export (path: loaded with :func:`~techseg_lib.portfolio.load_portfolio`),
        a DataFrame (classified already, i.e. with ``purpose``, ``confidence`` and
        ``evidence``, or raw, then validated and classified), or None for
        :data:`DEFAULT_PORTFOLIO` (the advisory firm sample).
    batch_size : int, default 5
        Items per batch (at least 1).
    seed : int, default 0
        Seed of the play order.
    balanced : bool, default True
        Interleave purposes so that every batch mixes them (see :func:`play_order`).
    taxonomy : Taxonomy or path, optional
        Cue file for classifying a raw portfolio (default: the shipped one).

    Raises
    ------
    PortfolioError
        The portfolio is not usable (every problem listed), empty, or carries a model purpose
        that is not IT, OT or CT.
    """
    return SegmentationGame(portfolio, batch_size=batch_size, seed=seed, balanced=balanced,
                            taxonomy=taxonomy)
