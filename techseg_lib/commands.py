"""The report-side ``techseg`` subcommands: ``report``, ``new-client``, ``lab``, ``teach``.

:func:`add_parsers` is called by :mod:`techseg_lib.cli`. Each subcommand sets ``handler`` (a
function of the parsed arguments that returns the exit code). User errors are raised as
:class:`~techseg_lib.errors.TechsegError` subclasses, which the CLI prints as one line with exit
code 1.
"""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

from .errors import ConfigError, ReportError

REPORT_EPILOG = """\
CONFIG can be a config file or a folder. For a folder D, the configs are D/client.yaml if it
exists; otherwise every D/*/client.yaml (one client per sub-folder, like data/samples/) and every
D/*.yaml that has a top-level `client:` key. The search does not go deeper.

One config renders in this process and prints where to open the report. Several configs render as
a batch: --jobs N local worker processes, or --scheduler ADDRESS for a Dask cluster. A batch
continues past failures, ends with a table (client, status, report or failing cell) and exits 1
if any report failed.

Output: OUT/<client-slug>/<timestamp>/ with index.html, <analysis>.html, <analysis>.ipynb,
summary.json and config.yaml. To reproduce a report exactly, run `techseg report` on its
config.yaml.

examples:
  techseg report data/samples/advisory_firm/client.yaml
  techseg report data/samples/ --jobs 2
  techseg report data/clients/ --scheduler tcp://10.0.0.5:8786 --out /shared/reports
  techseg report data/samples/hotel_group/client.yaml --only segmentation --pdf
"""


def add_parsers(commands) -> None:
    """Add ``report``, ``new-client``, ``lab`` and ``teach`` to the CLI's subparsers."""
    from .config import ARCHETYPES
    from .pipeline import ANALYSES

    names = ", ".join(a.name for a in ANALYSES)
    report = commands.add_parser(
        "report", help="render client reports (one config, or a batch)",
        description="Render the client report (segmentation, strategy, security) for one or "
                    "more client configs.",
        epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("configs", nargs="+", type=Path, metavar="CONFIG",
                        help="client config (YAML) or a folder of configs")
    report.add_argument("--out", type=Path, default=Path("reports"), metavar="DIR",
                        help="base folder of the reports (default: reports/)")
    report.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="local worker processes for a batch (default 1)")
    report.add_argument("--scheduler", metavar="ADDRESS",
                        help="run the reports on this Dask scheduler, e.g. tcp://host:8786 "
                             "(needs pip install -e '.[dask]' and a shared filesystem)")
    report.add_argument("--pdf", action="store_true",
                        help="also print index.html and each analysis to PDF with headless "
                             "Chromium (bash scripts/ensure_chromium.sh)")
    report.add_argument("--only", nargs="+", action="extend", metavar="ANALYSIS",
                        help=f"render only these analyses ({names}; repeat or comma-separate); "
                             "put it after the configs")
    report.add_argument("--notebooks", type=Path, metavar="DIR",
                        help="folder of the analysis notebooks (default: the project's notebooks/)")
    report.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bars on stderr (auto: when stderr is a terminal)")
    report.set_defaults(handler=report_command)

    new = commands.add_parser(
        "new-client", help="scaffold a config and an assessment template for a new client",
        description="Create DIR/<client-slug>/ with client.yaml, assessment.yaml (every item, "
                    "answers null) and portfolio_template.csv. Never overwrites.")
    new.add_argument("name", metavar="NAME", help='client display name, e.g. "Acme Ltd"')
    new.add_argument("--dir", type=Path, default=Path("data/clients"), metavar="DIR",
                     help="parent folder (default: data/clients, git-ignored)")
    new.add_argument("--archetype", choices=ARCHETYPES, default="information_business",
                     help="the organisation's archetype (default information_business; check it)")
    new.add_argument("--seed", type=int, help="simulation seed (default: today as YYYYMMDD)")
    new.add_argument("--currency", default="EUR", help="money label in reports (default EUR)")
    new.set_defaults(handler=new_client_command)

    lab = commands.add_parser(
        "lab", help="open JupyterLab on the analysis notebooks",
        description="Start JupyterLab on notebooks/ with techseg_lib importable; stop with Ctrl-C.")
    lab.add_argument("--port", type=int, default=8888, help="port (default 8888)")
    lab.add_argument("--notebook-dir", type=Path, metavar="DIR",
                     help="folder to open (default: the project's notebooks/)")
    lab.set_defaults(handler=lab_command)

    teach = commands.add_parser(
        "teach", help="serve the teaching notebooks as an app (Voila, localhost)",
        description="Serve notebooks/teaching/ as an app through Voila on 127.0.0.1, no code "
                    "shown; stop with Ctrl-C.")
    teach.add_argument("--port", type=int, default=8866, help="port (default 8866)")
    teach.set_defaults(handler=teach_command)


# --------------------------------------------------------------------------------------------
# techseg report
# --------------------------------------------------------------------------------------------

def _show_progress(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stderr.isatty()


def report_command(args) -> int:
    """``techseg report``: one config in this process, or a batch."""
    from .batch import analyses_by_name, check_notebooks, discover_configs

    analyses = analyses_by_name(_split(args.only))
    check_notebooks(analyses, args.notebooks)
    configs = discover_configs(args.configs)
    if len(configs) == 1 and args.scheduler is None and not configs[0].is_dir():
        return _report_one(configs[0], args, analyses)
    return _report_batch(args, [a.name for a in analyses])


def _split(values) -> list[str] | None:
    if not values:
        return None
    return [v for value in values for v in value.split(",") if v]


def _report_one(config: Path, args, analyses) -> int:
    from .config import load_config
    from .pipeline import DONE_MARK, render_report

    if args.pdf:
        from .pdf import find_chromium

        find_chromium()  # fail before rendering, not after
    loaded = load_config(config)
    loaded.strategy_params()
    loaded.security_params()
    bar = None
    progress = None
    if _show_progress(args.progress):
        from tqdm import tqdm

        bar = tqdm(total=len(analyses) + (1 if args.pdf else 0), desc=loaded.client[:28],
                   unit="step", file=sys.stderr, dynamic_ncols=True)
        started = [0]

        def progress(message: str) -> None:
            if message.endswith(DONE_MARK):  # notebooks running side by side: one finished
                bar.update(1)
            else:  # one step after another: the previous step has finished
                if started[0]:
                    bar.update(1)
                started[0] += 1
            bar.set_postfix_str(message.rsplit(": ", 1)[-1][:30])
    try:
        folder = render_report(config, args.out, analyses=analyses, notebooks=args.notebooks,
                               progress=progress)
        pdfs = []
        if args.pdf:
            from .pdf import print_report

            if progress:
                progress("pdf")
            pdfs = print_report(folder)
        if bar is not None:
            bar.update(bar.total - bar.n)
    finally:
        if bar is not None:
            bar.close()
    print(f"Report for {loaded.client}: open {folder / 'index.html'}")
    for pdf in pdfs:
        print(f"PDF: {pdf}")
    return 0


def _report_batch(args, names: list[str]) -> int:
    from .batch import format_table, run_batch

    outcomes = run_batch(args.configs, args.out, jobs=args.jobs, scheduler=args.scheduler,
                         analyses=names, notebooks=args.notebooks, pdf=args.pdf,
                         show_progress=_show_progress(args.progress))
    print(format_table(outcomes))
    for outcome in outcomes:
        if outcome.traceback:
            print(f"\n{outcome.client} ({outcome.config}):\n{outcome.traceback}", file=sys.stderr)
    return 0 if all(o.ok for o in outcomes) else 1


# --------------------------------------------------------------------------------------------
# techseg new-client
# --------------------------------------------------------------------------------------------

def new_client_command(args) -> int:
    """``techseg new-client NAME``: scaffold a client folder."""
    from .scaffold import new_client

    made = new_client(args.name, args.dir, archetype=args.archetype, seed=args.seed,
                      currency=args.currency)
    print(f"Created {made.folder}/ for {' '.join(args.name.split())}:\n"
          f"  {made.config.name:<24} the config: check archetype and seed\n"
          f"  {made.assessment.name:<24} answer each item 1-5 (null = unanswered)\n"
          f"  {made.portfolio_template.name:<24} the columns techseg reads\n"
          f"Next: save the portfolio export as {made.folder / 'portfolio.csv'}, fill in "
          f"{made.assessment.name}, then\n"
          f"  techseg report {made.config}")
    return 0


# --------------------------------------------------------------------------------------------
# techseg lab / techseg teach
# --------------------------------------------------------------------------------------------

def lab_argv(port: int, notebook_dir: Path, *, as_root: bool | None = None) -> list[str]:
    """The JupyterLab command line ``techseg lab`` runs."""
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    argv = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={int(port)}",
            f"--notebook-dir={notebook_dir}"]
    if as_root:
        argv.append("--allow-root")
    return argv


def lab_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for JupyterLab: the folder holding this techseg_lib first on PYTHONPATH."""
    env = dict(os.environ if base is None else base)
    root = Path(__file__).resolve().parent.parent
    if root.name not in ("site-packages", "dist-packages"):
        parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        if str(root) not in parts:
            env["PYTHONPATH"] = os.pathsep.join([str(root), *parts])
    return env


def lab_command(args) -> int:
    """``techseg lab``: run JupyterLab on the notebooks until it exits or Ctrl-C."""
    import importlib.util

    from .pipeline import NOTEBOOKS

    if importlib.util.find_spec("jupyterlab") is None:
        raise ReportError("JupyterLab is not installed. Fix: pip install -e '.[lab]'")
    folder = Path(args.notebook_dir) if args.notebook_dir else NOTEBOOKS
    if not folder.is_dir():
        raise ConfigError(f"{folder}: notebooks folder not found. Fix: run techseg lab from a "
                          "checkout of the project, or pass --notebook-dir DIR")
    print(f"Starting JupyterLab on {folder} (port {args.port}); open the URL it prints. "
          "Ctrl-C stops it.", file=sys.stderr)
    return _run_until_interrupted(lab_argv(args.port, folder), lab_env())


class _Terminated(Exception):
    pass


def _raise_terminated(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated


def _run_until_interrupted(argv: list[str], env: dict[str, str]) -> int:
    """Run ``argv`` until it exits; Ctrl-C or SIGTERM stop it cleanly (never orphaned)."""
    import threading

    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    child = subprocess.Popen(argv, env=env)
    try:
        return child.wait()
    except (KeyboardInterrupt, _Terminated):
        # On Ctrl-C the terminal sent SIGINT to the child too; SIGTERM stops it without a prompt.
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def teach_command(args) -> int:
    """``techseg teach``: serve the teaching notebooks through Voila on localhost."""
    try:
        from .teach import serve
    except ImportError as err:
        raise ReportError(f"techseg teach is not available in this installation ({err}). "
                          "Fix: pip install -e '.[teach]'") from None
    result = serve(port=args.port, host="127.0.0.1", open_browser=False)
    return result if isinstance(result, int) else 0
