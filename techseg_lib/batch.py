"""Render many client reports at once: local worker processes or a Dask distributed cluster.

The unit of work is one whole client report (:func:`render_one`, which calls
:func:`techseg_lib.pipeline.render_report`). A batch is run in three steps:

1. **Find and check the configs, in the calling process** (:func:`discover_configs`,
   :func:`prepare`). Each config is read and validated, including its ``strategy:`` and
   ``security:`` sections, before anything is dispatched. A broken config therefore costs no
   worker time and no Jupyter kernel, and it becomes a failed row of the batch. It does not stop
   the batch.
2. **Render** with :func:`run_local`, which uses ``N`` worker processes
   (:class:`concurrent.futures.ProcessPoolExecutor`), or :func:`run_dask`, which submits one task
   per report to a Dask cluster. Every worker renders whole reports. :func:`render_one` turns
   every error into a failed :class:`Outcome`, so one client's failure never stops or corrupts the
   others: each report is written atomically into its own folder (see
   :class:`techseg_lib.reporting.ReportDir`).
3. **Summarise** with :func:`format_table`: one row per config (client, status, report folder or
   the failing cell's message).

Where the start-up costs go
---------------------------
- The imports of papermill and nbconvert (about 2 s, jupyter-stack.md section 2) are paid once
  per worker process. The local pool starts its workers once and reuses them for every report;
  a Dask worker is a long-lived process too.
- A Jupyter kernel is started for every notebook (three per full report). papermill always
  starts a fresh kernel, and that is inherent to papermill: the executed notebook records exactly
  what its own kernel did, from its parameters only. The kernel start and the first imports in it
  (pandas, altair, techseg_lib) are the larger part of a report's time.
  ``benchmarks/bench_report.py`` measures the report against that floor.

How folders are searched
------------------------
A path given to :func:`discover_configs` can be a file or a folder.

- A file is taken as a config, whatever its name.
- For a folder ``D``: if ``D/client.yaml`` exists, ``D`` is one client's folder and that file is
  its config. Otherwise the configs are ``D/*/client.yaml`` (one client per sub-folder, the layout
  of ``data/samples/`` and ``data/clients/``) plus every ``D/*.yaml`` / ``D/*.yml`` file whose top
  level is a mapping with a ``client:`` key (e.g. ``configs/acme.yaml``). Files such as
  ``assessment.yaml`` have no ``client:`` key and are therefore skipped. The search does not go
  deeper than one level. Configs are listed in sorted order.

The Dask path
-------------
``run_dask("tcp://scheduler:8786", ...)`` needs the workers to see the same files at the same
absolute paths: the configs and their inputs, the notebooks folder and the output folder. That
means a shared filesystem, or workers on the same machine. The workers also need techseg and its
dependencies installed. Use one thread per worker (``dask worker ADDRESS --nthreads 1``), since
each report already keeps one core busy with its kernel.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .errors import ConfigError, ReportError, TechsegError

__all__ = ["Job", "Outcome", "BatchProgress", "discover_configs", "prepare", "render_one",
           "run_local", "run_dask", "run_batch", "format_table", "analyses_by_name", "check_notebooks"]

Event = tuple[int, str]
"""A progress event: (job index, message). The message is ``"<client>: <analysis title>"`` as an
analysis starts, or ``"pdf"`` when the PDFs are printed."""


@dataclass(frozen=True)
class Job:
    """One validated config, ready to dispatch.

    Attributes
    ----------
    index : int
        Position in the batch (0-based), used to route progress events.
    config : str
        Absolute path of the client config.
    client : str
        The client's display name.
    """

    index: int
    config: str
    client: str


@dataclass(frozen=True)
class Outcome:
    """What became of one config in a batch.

    Attributes
    ----------
    config : str
        The config path as found.
    client : str
        Client display name, or the config path when the config could not be read.
    ok : bool
        True when the report (and, if asked, its PDFs) was written.
    report : str or None
        The report folder, when it was written.
    message : str
        Empty on success. Otherwise one line: the config error, or the failing notebook cell and
        its exception, or the PDF error.
    failed_folder : str or None
        The ``<timestamp>.failed`` folder that holds the partly executed notebook, if any.
    seconds : float
        Wall time of the render, in seconds (0 for configs refused before dispatch).
    pdfs : tuple of str
        PDF files written (``--pdf``).
    traceback : str or None
        Traceback of an unexpected error (a bug, not a user error); None otherwise.
    """

    config: str
    client: str
    ok: bool
    report: str | None = None
    message: str = ""
    failed_folder: str | None = None
    seconds: float = 0.0
    pdfs: tuple[str, ...] = ()
    traceback: str | None = None

    @property
    def status(self) -> str:
        """``"ok"`` or ``"FAILED"``."""
        return "ok" if self.ok else "FAILED"


# --------------------------------------------------------------------------------------------
# Finding and checking configs (in the calling process)
# --------------------------------------------------------------------------------------------

def _looks_like_config(path: Path) -> bool:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and "client" in data


def discover_configs(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Expand files and folders into the list of config files to render.

    Parameters
    ----------
    paths : iterable of path
        Config files and/or folders. The rule for folders is in the module docstring.

    Returns
    -------
    list of Path
        In the order given; configs inside a folder are sorted. A path that does not exist is
        kept as it is (it fails validation with a clear message). A folder with no config is
        kept as well (it becomes a failed row). Nothing is de-duplicated: a config given twice
        renders twice.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            found.append(path)
            continue
        own = path / "client.yaml"
        if own.is_file():
            found.append(own)
            continue
        inside = sorted(p / "client.yaml" for p in path.iterdir()
                        if p.is_dir() and (p / "client.yaml").is_file())
        inside += sorted(p for p in path.iterdir()
                         if p.is_file() and p.suffix.lower() in (".yaml", ".yml")
                         and _looks_like_config(p))
        found.extend(inside or [path])
    return found


def prepare(paths: Sequence[Path]) -> tuple[list[Job], list[Outcome]]:
    """Validate every config before dispatch.

    Returns
    -------
    jobs : list of Job
        The valid configs, each with its index in ``paths``.
    refused : list of Outcome
        One failed outcome per config that cannot be rendered. The message is the one-line
        :class:`~techseg_lib.errors.ConfigError`.
    """
    from .config import load_config

    jobs: list[Job] = []
    refused: list[Outcome] = []
    for index, path in enumerate(paths):
        if path.is_dir():
            refused.append(Outcome(str(path), str(path), False, message=(
                f"{path}: no client config found in this folder. Fix: put a client.yaml in it "
                "or in its sub-folders (techseg new-client NAME scaffolds one)")))
            continue
        try:
            config = load_config(path)
            config.strategy_params()
            config.security_params()
        except TechsegError as err:
            refused.append(Outcome(str(path), str(path), False, message=_one_line(str(err))))
            continue
        jobs.append(Job(index, str(config.path), config.client))
    return jobs, refused


def analyses_by_name(names: Sequence[str] | None):
    """The :class:`~techseg_lib.pipeline.Analysis` entries named, in report order.

    Raises
    ------
    ConfigError
        An unknown name; the message lists the known ones.
    """
    from .pipeline import ANALYSES

    if not names:
        return ANALYSES
    known = {a.name: a for a in ANALYSES}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ConfigError(f"--only: unknown analysis {unknown[0]!r}; allowed: "
                          f"{', '.join(known)}. Fix: name analyses after the configs, "
                          "e.g. techseg report a.yaml --only segmentation")
    return tuple(a for a in ANALYSES if a.name in set(names))


def check_notebooks(analyses, notebooks: str | os.PathLike[str] | None) -> None:
    """Raise :class:`ReportError` when a notebook of ``analyses`` is missing (checked once)."""
    from .pipeline import NOTEBOOKS

    folder = Path(notebooks) if notebooks is not None else NOTEBOOKS
    for analysis in analyses:
        if not (folder / analysis.notebook).is_file():
            raise ReportError(f"notebook {folder / analysis.notebook} not found. Fix: run techseg "
                              "from a checkout of the project, pass --notebooks DIR, or leave "
                              "that analysis out with --only")


# --------------------------------------------------------------------------------------------
# Rendering one report (runs in a worker)
# --------------------------------------------------------------------------------------------

def _one_line(text: str, limit: int = 600) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_one(config: str, out: str, analyses: Sequence[str] | None = None,
               notebooks: str | None = None, pdf: bool = False,
               progress: Callable[[str], None] | None = None) -> Outcome:
    """Render one client's report and never raise: every error becomes a failed :class:`Outcome`.

    This is the task a worker runs, in a local process or on a Dask worker. Its arguments are
    plain strings so that they pickle.

    Parameters
    ----------
    config : str
        Absolute path of the client config.
    out : str
        Base output folder (absolute for Dask workers).
    analyses : sequence of str, optional
        Analysis names (default: all, see :data:`techseg_lib.pipeline.ANALYSES`).
    notebooks : str, optional
        Folder of the analysis notebooks (default :data:`techseg_lib.pipeline.NOTEBOOKS`).
    pdf : bool, default False
        Also print ``index.html`` and each analysis page to PDF (:mod:`techseg_lib.pdf`).
    progress : callable, optional
        Called with a short message as each step starts.

    Notes
    -----
    A kernel that fails to start (it dies before answering, or does not answer in time) is
    retried once. That can happen when several processes start kernels at the same moment. The
    outcome's ``message`` then says so, even on success.
    """
    start = time.perf_counter()
    outcome, err = _render_attempt(config, out, analyses, notebooks, pdf, progress, start)
    if err is not None and _kernel_did_not_start(err):
        # Concurrent kernel starts can collide (e.g. two processes picking the same free TCP
        # port). The kernel never ran a cell, so trying once more is safe; the first attempt's
        # folder stays as <timestamp>.failed.
        retry, err2 = _render_attempt(config, out, analyses, notebooks, pdf, progress, start)
        note = f"first attempt: kernel did not start ({_one_line(str(err), 160)}); retried once"
        if retry.ok:
            return replace(retry, message=note)
        return replace(retry, message=f"{retry.message} ({note})")
    return outcome


_KERNEL_START_FAILURES = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")


def _kernel_did_not_start(err: BaseException) -> bool:
    text = str(err)
    return any(marker in text for marker in _KERNEL_START_FAILURES)


def _render_attempt(config, out, analyses, notebooks, pdf, progress, start):
    """One try of :func:`render_one`: ``(outcome, exception or None)``."""
    from .pipeline import render_report

    client = config
    folder = None
    try:
        from .config import load_config

        client = load_config(config).client
        folder = render_report(config, out, analyses=analyses_by_name(analyses),
                               notebooks=None if notebooks is None else Path(notebooks),
                               progress=progress, workers=1)  # reports run side by side
        pdfs: list[Path] = []
        if pdf:
            from .pdf import print_report

            if progress:
                progress("pdf")
            pdfs = print_report(folder)
        return Outcome(config, client, True, report=str(folder),
                       seconds=time.perf_counter() - start,
                       pdfs=tuple(str(p) for p in pdfs)), None
    except TechsegError as err:
        message = _one_line(str(err))
        if folder is not None:
            message = f"report written to {folder}, but: {message}"
        partial = getattr(err, "partial_notebook", None)
        return Outcome(config, client, False, report=None if folder is None else str(folder),
                       message=message,
                       failed_folder=None if partial is None else str(Path(partial).parent),
                       seconds=time.perf_counter() - start), err
    except Exception as err:  # noqa: BLE001 - a bug in one report must not stop the batch
        return Outcome(config, client, False, message=_one_line(
            f"unexpected error: {type(err).__name__}: {err}"),
            seconds=time.perf_counter() - start, traceback=traceback.format_exc()), err


# --------------------------------------------------------------------------------------------
# Progress bars (in the calling process)
# --------------------------------------------------------------------------------------------

class BatchProgress:
    """tqdm bars on stderr: one for the batch, one per client while its report renders.

    Thread-safe: events arrive from a listener thread (local pool) or from Dask's event loop.

    Parameters
    ----------
    jobs : sequence of Job
        The dispatched jobs.
    steps : int
        Steps per report (analyses, plus one for the PDFs).
    total : int
        Number of configs in the batch, including those refused before dispatch.
    enabled : bool
        Draw bars at all.
    """

    def __init__(self, jobs: Sequence[Job], steps: int, total: int, *, enabled: bool,
                 file=None, done: int = 0, failed: int = 0):
        from tqdm import tqdm

        self._tqdm = tqdm
        self._file = file if file is not None else sys.stderr
        self._enabled = enabled
        self._steps = max(1, steps)
        self._clients = {job.index: job.client for job in jobs}
        self._bars: dict[int, object] = {}
        self._seen: dict[int, int] = {}
        self._failed = failed
        self._lock = threading.Lock()
        self.overall = tqdm(total=total, initial=done, desc="reports", unit="report",
                            file=self._file, disable=not enabled, position=0, leave=True,
                            dynamic_ncols=True)
        if failed:
            self.overall.set_postfix(failed=failed)

    def event(self, index: int, message: str) -> None:
        """A report started a step (``message`` as passed to render_report's progress)."""
        with self._lock:
            bar = self._bars.get(index)
            if bar is None:
                client = self._clients.get(index, f"#{index}")
                bar = self._tqdm(total=self._steps, desc=client[:28], unit="step",
                                 file=self._file, disable=not self._enabled, leave=False,
                                 dynamic_ncols=True)
                self._bars[index] = bar
            seen = self._seen.get(index, 0)
            if seen:
                bar.update(1)  # the previous step finished
            self._seen[index] = seen + 1
            bar.set_postfix_str(message.rsplit(": ", 1)[-1][:30])

    def finished(self, outcome: Outcome, index: int) -> None:
        """A report finished (either way)."""
        with self._lock:
            bar = self._bars.pop(index, None)
            if bar is not None:
                bar.close()
            if not outcome.ok:
                self._failed += 1
                self.overall.set_postfix(failed=self._failed)
            self.overall.update(1)

    def close(self) -> None:
        with self._lock:
            for bar in self._bars.values():
                bar.close()
            self._bars.clear()
            self.overall.close()


# --------------------------------------------------------------------------------------------
# Local worker processes
# --------------------------------------------------------------------------------------------

_QUEUE = None  # the progress queue of a local worker process (set by _init_worker)


def _init_worker(queue) -> None:
    """Worker start-up: keep the progress queue and pay the heavy imports once per process."""
    global _QUEUE
    _QUEUE = queue
    import nbconvert  # noqa: F401 - warm-up: imported once per worker, not once per report
    import papermill  # noqa: F401

    from . import pipeline, reporting  # noqa: F401


def _local_task(job: Job, out: str, analyses, notebooks, pdf) -> Outcome:
    queue = _QUEUE

    def progress(message: str) -> None:
        if queue is not None:
            queue.put((job.index, message))

    return render_one(job.config, out, analyses, notebooks, pdf, progress)


def run_local(jobs: Sequence[Job], out: str | os.PathLike[str], *, workers: int = 1,
              analyses: Sequence[str] | None = None, notebooks: str | None = None,
              pdf: bool = False, progress: BatchProgress | None = None) -> list[Outcome]:
    """Render ``jobs`` with ``workers`` local processes; return one outcome per job, in job order.

    Workers are started with the ``spawn`` method and reused for every report. If a worker
    process dies (for example killed by the out-of-memory killer), the reports it had not
    finished are tried once more in a fresh pool. After that they count as failed.
    """
    if not jobs:
        return []
    out = str(Path(out).resolve())
    notebooks = None if notebooks is None else str(Path(notebooks).resolve())
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    listener = threading.Thread(target=_listen, args=(queue, progress), daemon=True)
    listener.start()
    results: dict[int, Outcome] = {}
    pending = list(jobs)
    try:
        for attempt in (1, 2):
            broken: list[Job] = []
            with ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending))),
                                     mp_context=ctx, initializer=_init_worker,
                                     initargs=(queue,)) as pool:
                futures = {pool.submit(_local_task, job, out, analyses, notebooks, pdf): job
                           for job in pending}
                for future in as_completed(futures):
                    job = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        if attempt == 1:
                            broken.append(job)
                            continue
                        outcome = Outcome(job.config, job.client, False, message=(
                            "the worker process died twice while rendering this report. Fix: "
                            "check memory, or render this config alone to see the error"))
                    except Exception as err:  # noqa: BLE001 - e.g. an unpicklable result
                        outcome = Outcome(job.config, job.client, False, message=_one_line(
                            f"worker error: {type(err).__name__}: {err}"))
                    results[job.index] = outcome
                    if progress is not None:
                        progress.finished(outcome, job.index)
            if not broken:
                break
            pending = broken
    finally:
        queue.put(None)
        listener.join(timeout=5)
        queue.close()
    return [results[job.index] for job in jobs]


def _listen(queue, progress: BatchProgress | None) -> None:
    while True:
        try:
            event = queue.get()
        except (EOFError, OSError):
            return
        if event is None:
            return
        if progress is not None:
            progress.event(*event)


# --------------------------------------------------------------------------------------------
# Dask distributed
# --------------------------------------------------------------------------------------------

def _dask_task(job: Job, out: str, analyses, notebooks, pdf, topic: str) -> Outcome:
    """Runs on a Dask worker: render one report; progress goes to the scheduler's event log."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        worker = None

    def progress(message: str) -> None:
        if worker is not None:
            try:
                worker.log_event(topic, {"index": job.index, "message": message})
            except Exception:  # noqa: BLE001 - progress is best effort, never fails a report
                pass

    return render_one(job.config, out, analyses, notebooks, pdf, progress)


def run_dask(jobs: Sequence[Job], out: str | os.PathLike[str], scheduler, *,
             analyses: Sequence[str] | None = None, notebooks: str | None = None,
             pdf: bool = False, progress: BatchProgress | None = None,
             connect_timeout: str = "20s") -> list[Outcome]:
    """Render ``jobs`` as tasks on a Dask distributed cluster; one outcome per job, in job order.

    Parameters
    ----------
    scheduler : str or distributed.Client
        The scheduler address (e.g. ``"tcp://10.0.0.5:8786"``), or a connected client (it is
        left open).
    Other parameters
        As :func:`run_local`. ``out`` and ``notebooks`` are made absolute; the workers must see
        them at those paths (see the module docstring).

    Raises
    ------
    ReportError
        dask.distributed is not installed or the scheduler cannot be reached.
    """
    if not jobs:
        return []
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError as err:
        raise ReportError("--scheduler needs dask.distributed, which is not installed. "
                          "Fix: pip install -e '.[dask]'") from err
    out = str(Path(out).resolve())
    notebooks = None if notebooks is None else str(Path(notebooks).resolve())
    own = not isinstance(scheduler, Client)
    if own:
        try:
            client = Client(scheduler, timeout=connect_timeout)
        except (OSError, TimeoutError) as err:
            raise ReportError(
                f"cannot reach the Dask scheduler at {scheduler!r} ({type(err).__name__}: "
                f"{_one_line(str(err), 200)}). Fix: check the address, or start a cluster with "
                "`dask scheduler` and `dask worker ADDRESS --nthreads 1`") from None
    else:
        client = scheduler
    topic = f"techseg-progress-{uuid.uuid4().hex}"

    def on_event(event) -> None:
        _, msg = event
        if progress is not None and isinstance(msg, dict):
            progress.event(int(msg["index"]), str(msg["message"]))

    client.subscribe_topic(topic, on_event)
    results: dict[int, Outcome] = {}
    try:
        futures = {client.submit(_dask_task, job, out, analyses, notebooks, pdf, topic,
                                 key=f"techseg-report-{job.index}-{uuid.uuid4().hex[:8]}",
                                 pure=False): job for job in jobs}
        for future in dask_completed(futures):
            job = futures[future]
            try:
                outcome = future.result()
            except Exception as err:  # noqa: BLE001 - e.g. KilledWorker: this job only
                outcome = Outcome(job.config, job.client, False, message=_one_line(
                    f"Dask task failed: {type(err).__name__}: {err}"))
            results[job.index] = outcome
            if progress is not None:
                progress.finished(outcome, job.index)
    finally:
        try:
            client.unsubscribe_topic(topic)
        except Exception:  # noqa: BLE001
            pass
        if own:
            client.close()
    return [results[job.index] for job in jobs]


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------

def format_table(outcomes: Sequence[Outcome], *, width: int = 30) -> str:
    """The batch's table: client, status, and the report's index.html or the error, one row each.

    The last line counts successes and failures.
    """
    rows = [("client", "status", "report / error")]
    for o in outcomes:
        client = o.client if len(o.client) <= width else o.client[: width - 1] + "…"
        where = str(Path(o.report) / "index.html") if o.ok and o.report else o.message
        rows.append((client, o.status, where))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    lines = [f"{a:<{w0}}  {b:<{w1}}  {c}" for a, b, c in rows]
    lines.insert(1, f"{'-' * w0}  {'-' * w1}  {'-' * 14}")
    good = sum(o.ok for o in outcomes)
    bad = len(outcomes) - good
    lines.append(f"{good} rendered, {bad} failed.")
    return "\n".join(lines)


def run_batch(paths: Iterable[str | os.PathLike[str]], out: str | os.PathLike[str] = "reports", *,
              jobs: int = 1, scheduler=None, analyses: Sequence[str] | None = None,
              notebooks: str | os.PathLike[str] | None = None, pdf: bool = False,
              show_progress: bool = False, progress_file=None) -> list[Outcome]:
    """Find, check and render many configs; return one outcome per config, in the given order.

    Parameters
    ----------
    paths : iterable of path
        Config files and folders (see :func:`discover_configs`).
    out : path
        Base output folder (default ``reports``).
    jobs : int, default 1
        Local worker processes (ignored with ``scheduler``).
    scheduler : str or distributed.Client, optional
        Run on this Dask cluster instead of local processes.
    analyses : sequence of str, optional
        Only these analyses (default all).
    notebooks : path, optional
        Folder of the analysis notebooks.
    pdf : bool
        Also write PDFs (Chromium is looked for once, before anything is dispatched).
    show_progress : bool
        Draw tqdm bars on ``progress_file`` (default stderr).

    Raises
    ------
    ConfigError, ReportError
        Problems of the whole batch, found before anything runs: an unknown analysis, a missing
        notebook, no Chromium for ``pdf``, an unreachable scheduler.
    """
    if jobs < 1:
        raise ConfigError(f"--jobs {jobs}: expected a whole number >= 1. Fix: e.g. --jobs 2")
    chosen = analyses_by_name(analyses)
    check_notebooks(chosen, notebooks)
    if pdf:
        from .pdf import find_chromium

        find_chromium()
    names = [a.name for a in chosen]
    configs = discover_configs(paths)
    todo, refused = prepare(configs)
    progress = BatchProgress(todo, len(names) + (1 if pdf else 0), len(configs),
                             enabled=show_progress, file=progress_file, done=len(refused),
                             failed=len(refused))
    try:
        if scheduler is not None:
            done = run_dask(todo, out, scheduler, analyses=names,
                            notebooks=None if notebooks is None else str(notebooks), pdf=pdf,
                            progress=progress)
        else:
            done = run_local(todo, out, workers=jobs, analyses=names,
                             notebooks=None if notebooks is None else str(notebooks), pdf=pdf,
                             progress=progress)
    finally:
        progress.close()
    by_index = {job.index: outcome for job, outcome in zip(todo, done)}
    refused_iter = iter(refused)
    ordered = []
    for index in range(len(configs)):
        ordered.append(by_index[index] if index in by_index else next(refused_iter))
    return ordered
