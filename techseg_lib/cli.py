"""The ``techseg`` command.

``techseg validate PORTFOLIO`` · ``techseg classify PORTFOLIO -o OUT`` · ``techseg report CONFIG``

Every :class:`~techseg_lib.errors.TechsegError` becomes one line per problem on stderr and exit
code 1; a usage error exits 2. Anything else is a bug and keeps its traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import TechsegError

LARGE = 50_000
"""Portfolios with at least this many rows show a progress bar while classifying."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="techseg",
        description="Segment technology by purpose (IT / OT / CT) and render client reports.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check that a portfolio export is usable")
    validate.add_argument("portfolio", type=Path, help=".csv, .xlsx or .parquet export")
    validate.add_argument("--sheet", help="xlsx: the sheet that holds the items")

    classify = commands.add_parser("classify", help="classify every item as IT, OT or CT")
    classify.add_argument("portfolio", type=Path, help=".csv, .xlsx or .parquet export")
    classify.add_argument("-o", "--output", type=Path, required=True,
                          help="where to write the result: .csv, .xlsx or .parquet")
    classify.add_argument("--taxonomy", type=Path, help="your own cue file (YAML)")
    classify.add_argument("--sheet", help="xlsx: the sheet that holds the items")
    classify.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                          help=f"progress bar (auto: from {LARGE:,} rows)")
    _add_report_commands(commands)
    return parser


def _add_report_commands(commands) -> None:
    try:
        from . import commands as report_commands
    except ImportError:  # the report pipeline is optional while it is being built
        return
    report_commands.add_parsers(commands)


def _validate(args) -> int:
    from .portfolio import read_table, validate

    frame = read_table(args.portfolio, sheet=args.sheet)
    problems = validate(frame)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{args.portfolio}: {len(problems)} problem(s); not usable yet.", file=sys.stderr)
        return 1
    where = f" (sheet {frame.attrs['sheet']!r})" if "sheet" in frame.attrs else ""
    print(f"{args.portfolio}{where}: {len(frame):,} items, {len(frame.columns)} columns: usable.")
    return 0


def _classify(args) -> int:
    from .export import write_table
    from .portfolio import load_portfolio
    from .segment import classify, summarize
    from .taxonomy import load_taxonomy

    taxonomy = load_taxonomy(args.taxonomy)
    frame = load_portfolio(args.portfolio, sheet=args.sheet)
    show = args.progress == "always" or (args.progress == "auto" and len(frame) >= LARGE)
    if show:
        from tqdm import tqdm

        bar = tqdm(total=1, desc="classify", unit="stage", file=sys.stderr)

        def progress(stage, done, total):
            bar.total = total
            bar.set_postfix_str(stage)
            bar.update(done - bar.n)

        result = classify(frame, taxonomy, progress=progress)
        bar.close()
    else:
        result = classify(frame, taxonomy)
    write_table(result, args.output)
    print(format_summary(summarize(result), title=f"{args.portfolio} -> {args.output}"))
    return 0


def format_summary(summary: dict, *, title: str = "") -> str:
    """The summary of :func:`techseg_lib.segment.summarize` as a small text table."""
    lines = [title] if title else []
    lines.append(f"{'purpose':<8}{'items':>8}{'share':>8}{'mode 1':>8}{'mode 2':>8}")
    for purpose, count in summary["purpose_counts"].items():
        modes = summary["mode_counts"][purpose]
        lines.append(f"{purpose:<8}{count:>8,}{summary['purpose_shares'][purpose]:>8.1%}"
                     f"{modes['1']:>8,}{modes['2']:>8,}")
    lines.append(f"{'total':<8}{summary['items']:>8,}")
    lines.append(f"needs review: {summary['needs_review']:,}   shadow IT: "
                 f"{summary['shadow_it']:,}   analyst overrides: {summary['overrides']:,}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    # the same start-up saving as in report kernels (techseg_lib.reporting.KERNEL_STARTUP): the
    # CLI never checks IRI formats, so jsonschema need not build rfc3987_syntax's parsers (~0.8 s)
    sys.modules.setdefault("rfc3987_syntax", None)
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from . import __version__

        print(f"techseg {__version__}")
        return 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    handlers = {"validate": _validate, "classify": _classify}
    handler = handlers.get(args.command) or getattr(args, "handler", None)
    try:
        return handler(args)
    except TechsegError as err:
        print(str(err), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
