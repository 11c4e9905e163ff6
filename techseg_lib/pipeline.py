"""Render one client's report: run each analysis notebook, write HTML, summary.json, index.html.

The analyses are a registry (:data:`ANALYSES`): adding one is adding an entry and a notebook.
Every analysis notebook takes two parameters, ``config_path`` (the client YAML) and
``summary_path`` (where it writes its object of ``summary.json``; empty when an analyst explores
the notebook by hand), and calls :func:`save_summary` last.

Output: ``<out>/<client-slug>/<timestamp>/`` holding ``<analysis>.ipynb`` (executed),
``<analysis>.html`` (no code, charts drawn offline), ``summary.json``, ``config.yaml`` (the config
as used, with absolute input paths) and ``index.html``. The folder appears only when everything
succeeded; a failed run leaves ``<timestamp>.failed/`` with the partly executed notebook.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .config import ClientConfig, load_config
from .errors import ReportError


@dataclass(frozen=True)
class Analysis:
    """One analysis of a client report."""

    name: str
    """Key in summary.json and file stem of the outputs."""
    notebook: str
    """Notebook file name under the notebooks folder."""
    title: str
    description: str


ANALYSES: tuple[Analysis, ...] = (
    Analysis("segmentation", "segmentation.ipynb", "Segmentation",
             "What the technology is for (IT, OT, CT), against the archetype, and the "
             "business-model position."),
    Analysis("strategy", "disruptor_vs_alternative.ipynb", "Disruptor or alternative",
             "Should we try to be the disruptor? Both paths simulated over cited base rates."),
    Analysis("security", "security_consequences.ipynb", "Security consequences",
             "What a breach costs in each purpose, and the cost of security that lags."),
)
"""The analyses of a client report, in report order."""

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
"""Where the analysis notebooks live (the repository's notebooks/ folder)."""


def save_summary(summary_path: str | Path, section: str, value: dict) -> None:
    """Write one analysis's ``summary.json`` object (called by the notebook's last cell).

    Does nothing when ``summary_path`` is empty, so an analyst can run the notebook by hand.
    """
    if not summary_path:
        return
    Path(summary_path).write_text(json.dumps({section: value}, indent=2, sort_keys=True),
                                  encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def summary_header(config: ClientConfig) -> dict[str, Any]:
    """The keys of ``summary.json`` that describe the run: what produced the figures."""
    from . import __version__

    inputs = {"portfolio": {"file": config.portfolio.name, "sha256": _sha256(config.portfolio)},
              "assessment": {"file": config.assessment.name,
                             "sha256": _sha256(config.assessment)}}
    if config.taxonomy is not None:
        inputs["taxonomy"] = {"file": config.taxonomy.name, "sha256": _sha256(config.taxonomy)}
    return {"client": config.client, "archetype": config.archetype, "seed": config.seed,
            "currency": config.currency, "techseg_version": __version__, "inputs": inputs}


Progress = Callable[[str], None]


DONE_MARK = "(done)"
"""Ends a progress message that reports a finished step rather than a started one."""


def render_report(config_path: str | Path, out: str | Path = "reports", *,
                  analyses: Sequence[Analysis] = ANALYSES, notebooks: Path | None = None,
                  progress: Progress | None = None, workers: int | None = None) -> Path:
    """Render every analysis for one client config; return the report folder.

    Parameters
    ----------
    config_path : path
        The client YAML.
    out : path
        Base folder; the report goes to ``out/<client-slug>/<timestamp>/``.
    analyses : sequence of Analysis
        Which analyses, in order (default all of :data:`ANALYSES`).
    notebooks : Path, optional
        Folder of the analysis notebooks (default :data:`NOTEBOOKS`).
    progress : callable, optional
        Called with a short message as each step starts. When notebooks run side by side
        (``workers`` > 1) it is called instead as each one finishes, from its worker thread,
        with the message ending in :data:`DONE_MARK`.
    workers : int, optional
        Notebooks run at the same time, each in its own kernel. Default: one per analysis, at
        most the number of CPUs. Batches pass 1: their reports already run side by side.

    Raises
    ------
    ConfigError
        The config is not valid (nothing is written).
    ReportError
        A notebook failed; the message names the cell, the partial output is kept.
    """
    from .reporting import (IndexEntry, execute_notebook, notebook_to_html, report_dir,
                            slugify, write_index)

    config = load_config(config_path)
    notebooks = Path(notebooks or NOTEBOOKS)
    for analysis in analyses:
        if not (notebooks / analysis.notebook).is_file():
            raise ReportError(f"notebook {notebooks / analysis.notebook} not found. Fix: run "
                              "techseg from a checkout of the project, or pass its notebooks "
                              "folder")
    summary = summary_header(config)
    with report_dir(out, slugify(config.client)) as folder:
        work = Path(folder.work).resolve()  # the kernel runs in work: paths must be absolute
        (work / "config.yaml").write_text(yaml.safe_dump(
            {**config.as_dict(), "portfolio": str(config.portfolio),
             "assessment": str(config.assessment),
             **({"taxonomy": str(config.taxonomy)} if config.taxonomy else {})},
            sort_keys=False, allow_unicode=True), encoding="utf-8")

        n_workers = min(len(analyses), workers or os.cpu_count() or 1)

        def render(analysis: Analysis) -> dict:
            if progress and n_workers <= 1:
                progress(f"{config.client}: {analysis.title}")
            part = work / f".{analysis.name}.summary.json"
            executed = work / f"{analysis.name}.ipynb"
            execute_notebook(notebooks / analysis.notebook, executed,
                             {"config_path": str(config.path), "summary_path": str(part)},
                             cwd=work)
            notebook_to_html(executed, work / f"{analysis.name}.html",
                             title=f"{config.client}: {analysis.title}")
            part_summary = json.loads(part.read_text(encoding="utf-8"))
            part.unlink()
            if progress and n_workers > 1:
                progress(f"{config.client}: {analysis.title} {DONE_MARK}")
            return part_summary

        if n_workers <= 1:
            parts = [render(analysis) for analysis in analyses]
        else:
            # leaving the pool waits for every notebook, so a failure keeps the others' output;
            # the first failure in analysis order is raised
            with ThreadPoolExecutor(n_workers, thread_name_prefix="techseg-notebook") as pool:
                futures = [pool.submit(render, analysis) for analysis in analyses]
                parts = [future.result() for future in futures]
        for part in parts:
            summary.update(part)
        entries = [IndexEntry(a.title, f"{a.name}.html", a.description) for a in analyses]
        (work / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True),
                                           encoding="utf-8")
        from .charts.executive import highlights

        write_index(work, "Technology by purpose", entries,
                    {**summary, "config": config.path.name},
                    highlights=[(h.title, h.text, h.svg()) for h in highlights(summary)])
    return Path(folder.path)
