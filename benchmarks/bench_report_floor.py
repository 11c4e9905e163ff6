"""Time a report command against the papermill floor, measured in the same run.

The floor is the ``papermill`` CLI run on an empty notebook. It costs an interpreter start, the
papermill import (including jsonschema's slow import, see jupyter-stack.md section 2), a kernel
start and a kernel shutdown. A report cannot be faster than that. The goal in issue 3 is a full
report within 3x the floor.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_report_floor.py                      # fixture pipeline
    .venv/bin/python benchmarks/bench_report_floor.py --runs 5 \\
        --report-cmd ".venv/bin/techseg report data/samples/acme/client.yaml --out {tmp}"

``{tmp}`` in ``--report-cmd`` is replaced with a fresh temporary folder for each run. Without
``--report-cmd``, the script times ``techseg_lib.reporting`` on the test fixture notebook
(execute with papermill, then render the HTML) in a new process. Runs alternate between the
floor and the report, so that drift in machine load affects both equally. The script prints
medians and the ratio.
"""
from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import BIN, ROOT, empty_notebook, scratch_env, timed  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "report_fixture.ipynb"

_FIXTURE_PIPELINE = """
import sys
from techseg_lib.reporting import execute_notebook, notebook_to_html
out = execute_notebook(sys.argv[1], sys.argv[2] + "/fixture.ipynb", {"renderer": sys.argv[3]})
notebook_to_html(out, sys.argv[2] + "/fixture.html")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--report-cmd", help="shell-style command to time; {tmp} becomes a fresh folder")
    parser.add_argument("--renderer", default="svg", choices=["svg", "interactive"],
                        help="chart renderer of the fixture pipeline (without --report-cmd)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="techseg-bench-") as tmp:
        scratch = Path(tmp)
        env = scratch_env(scratch)
        empty = empty_notebook(scratch / "empty.ipynb")
        floor_cmd = [str(BIN / "papermill"), "--no-progress-bar", str(empty), str(scratch / "empty.out.ipynb")]
        floor, report = [], []
        for i in range(args.runs):
            out = scratch / f"run{i}"
            out.mkdir()
            if args.report_cmd:
                report_cmd = shlex.split(args.report_cmd.replace("{tmp}", str(out)))
            else:
                report_cmd = [sys.executable, "-c", _FIXTURE_PIPELINE, str(FIXTURE), str(out), args.renderer]
            floor.append(timed(floor_cmd, env))
            report.append(timed(report_cmd, env))

    f, r = statistics.median(floor), statistics.median(report)
    label = args.report_cmd or f"fixture pipeline (execute + HTML, renderer={args.renderer})"
    print(f"floor  (papermill CLI, empty notebook): median {f:.2f} s  runs {[round(x, 2) for x in floor]}")
    print(f"report ({label}): median {r:.2f} s  runs {[round(x, 2) for x in report]}")
    print(f"ratio report/floor: {r / f:.2f}  (goal <= 3)")


if __name__ == "__main__":
    main()
