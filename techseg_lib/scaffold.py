"""Scaffold a new engagement: ``techseg new-client NAME`` writes a client folder to fill in.

The folder ``<base>/<client-slug>/`` receives three files:

- ``client.yaml`` - the client config, with a comment on every key. It points at
  ``portfolio.csv`` and ``assessment.yaml`` and becomes valid once ``portfolio.csv`` exists.
- ``assessment.yaml`` - the business-model self-assessment. It lists every item of the shipped
  definition (``techseg_lib/data/assessment.yaml``), with the item's wording as a comment and
  ``null`` (unanswered) as its answer.
- ``portfolio_template.csv`` - the canonical column headers the loader reads. Fill it in and save
  it as ``portfolio.csv``, or export your tool's data to ``portfolio.csv``, since common CMDB and
  EA-tool headers are recognised.

An existing folder is never overwritten.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import ARCHETYPES
from .errors import ConfigError

__all__ = ["PORTFOLIO_COLUMNS", "Scaffold", "new_client", "client_yaml", "assessment_yaml",
           "portfolio_template"]

PORTFOLIO_COLUMNS: tuple[str, ...] = (
    "id", "name", "description", "vendor", "category", "users", "deployment", "lifecycle",
    "owner", "sanctioned", "cost", "criticality", "purpose_override")
"""The canonical portfolio columns (``techseg_lib.portfolio.SYNONYMS`` lists accepted spellings)."""


@dataclass(frozen=True)
class Scaffold:
    """The files written for a new client.

    Attributes
    ----------
    folder, config, assessment, portfolio_template : Path
    """

    folder: Path
    config: Path
    assessment: Path
    portfolio_template: Path


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def client_yaml(name: str, archetype: str, *, seed: int, currency: str = "EUR",
                created: date | None = None) -> str:
    """The text of a new, commented ``client.yaml``.

    Parameters
    ----------
    name : str
        The client's display name (any text; quoted safely).
    archetype : str
        One of :data:`techseg_lib.config.ARCHETYPES`.
    seed : int
        Seed of every simulation, >= 0.
    currency : str
        Label for money in reports.
    created : date, optional
        Shown in the header comment (default today).
    """
    created = created or date.today()
    return f"""\
# techseg client config, created by `techseg new-client` on {created.isoformat()}.
# Paths are relative to this file. Unknown keys are errors. Render with:
#   techseg report {{this file}}
client: {_quoted(name)}  # display name, shown on the report
archetype: {archetype}  # CHECK: information_business | manufacturer | service_provider
# The portfolio export: .csv, .xlsx or .parquet, one row per technology item. Columns techseg
# reads are in portfolio_template.csv (common CMDB / EA-tool headers are recognised too).
portfolio: portfolio.csv
# sheet: Applications  # xlsx only: the sheet that holds the items
# Business-model self-assessment answers (1-5 per item; null = unanswered).
assessment: assessment.yaml
# Seeds every simulation. Keep it: the same config and seed give identical figures.
seed: {int(seed)}
currency: {_quoted(currency)}  # label for money in reports
# taxonomy: my_cues.yaml  # optional: your own cue file (start from techseg_lib/data/taxonomy.yaml)
# strategy: {{}}  # optional: settings of the disruptor-vs-alternative analysis (see README)
# security: {{}}  # optional: settings of the security-consequence analysis (see README)
"""


def assessment_yaml(name: str, definition=None) -> str:
    """The text of an assessment template: every item, its wording as a comment, answer null.

    Parameters
    ----------
    name : str
        The client's display name (shown in a comment).
    definition : AssessmentDefinition, optional
        Default: the shipped ``techseg_lib/data/assessment.yaml``.
    """
    from . import business_model

    d = definition if definition is not None else business_model.load_definition()
    scale = ", ".join(f"{k} {v}" for k, v in sorted(d.anchors.items()))
    one_line_name = " ".join(name.split())
    lines = [
        f"# Business-model self-assessment answers for {one_line_name}.",
        "# Items: techseg_lib/data/assessment.yaml (techseg's own wording; the scale is an assumption).",
        f"# Answer each item {d.scale_min}-{d.scale_max}: {scale}.",
        "# Leave null when unknown: an unanswered item is left out of its axis score.",
        "version: 1",
        "respondent: null  # who answered, e.g. \"CIO and COO, joint workshop\"",
        "date: null  # when, e.g. \"2026-03-04\"",
        "notes: null",
        "answers:",
    ]
    axis = None
    for item in d.items:
        if item.axis != axis:
            axis = item.axis
            labels = d.axis_labels.get(axis, {})
            title = labels.get("label", axis)
            span = (f" ({labels['low']} -> {labels['high']})"
                    if labels.get("low") and labels.get("high") else "")
            lines.append(f"  # --- {axis} axis: {title}{span}")
        reverse = " [reverse-scored: agreeing means LESS of this axis]" if item.reverse else ""
        lines.append(f"  # {' '.join(item.text.split())}{reverse}")
        lines.append(f"  {item.id}: null")
    return "\n".join(lines) + "\n"


def portfolio_template() -> str:
    """The header line (and nothing else) of ``portfolio_template.csv``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(PORTFOLIO_COLUMNS)
    return buffer.getvalue()


def new_client(name: str, base: str | os.PathLike[str] = "data/clients", *,
               archetype: str = "information_business", seed: int | None = None,
               currency: str = "EUR") -> Scaffold:
    """Create ``<base>/<slug>/`` with a config, an assessment template and a portfolio template.

    Parameters
    ----------
    name : str
        The client's display name; the folder is its slug
        (:func:`techseg_lib.reporting.slugify`).
    base : path, default ``data/clients``
        Parent folder (created if missing; git-ignored in the project).
    archetype : str
        One of :data:`techseg_lib.config.ARCHETYPES`.
    seed : int, optional
        Default: today's date as YYYYMMDD, a readable number that is recorded in the config.
    currency : str, default "EUR"

    Raises
    ------
    ConfigError
        Empty name, unknown archetype, negative seed, or the folder exists already (it is left
        untouched).
    """
    from .reporting import slugify

    if not str(name).strip():
        raise ConfigError("new-client: the client name is empty. Fix: techseg new-client \"Acme Ltd\"")
    if archetype not in ARCHETYPES:
        raise ConfigError(f"new-client: key 'archetype': unknown archetype {archetype!r}. "
                          f"Fix: use one of {', '.join(ARCHETYPES)}")
    if seed is None:
        seed = int(date.today().strftime("%Y%m%d"))
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ConfigError(f"new-client: key 'seed': {seed!r} is not a whole number >= 0. "
                          "Fix: e.g. --seed 20261126")
    name = " ".join(str(name).split())
    folder = Path(base) / slugify(name)
    Path(base).mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir()
    except FileExistsError:
        raise ConfigError(f"{folder} already exists; techseg new-client never overwrites a "
                          "client folder. Fix: choose another name, or edit the files there") from None
    files = Scaffold(folder, folder / "client.yaml", folder / "assessment.yaml",
                     folder / "portfolio_template.csv")
    files.config.write_text(client_yaml(name, archetype, seed=seed, currency=currency),
                            encoding="utf-8")
    files.assessment.write_text(assessment_yaml(name), encoding="utf-8")
    files.portfolio_template.write_text(portfolio_template(), encoding="utf-8")
    return files
