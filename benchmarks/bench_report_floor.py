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
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURE = ROOT / "tests" / "fixtures" / "notebooks" / "report_fixture.ipynb"

_FIXTURE_PIPELINE = """
import sys
from techseg_lib.reporting import execute_notebook, notebook_to_html
out = execute_notebook(sys.argv[1], sys.argv[2] + "/fixture.ipynb", {"renderer": sys.argv[3]})
notebook_to_html(out, sys.argv[2] + "/fixture.html")
"""


def _env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        path = scratch / var.lower()
        path.mkdir(exist_ok=True)
        env[var] = str(path)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *[p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]])
    return env


def empty_notebook(path: Path) -> Path:
    """Write a notebook with one empty cell tagged ``parameters`` to ``path``."""
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]})],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


def time_command(argv: list[str], env: dict[str, str]) -> float:
    """Run ``argv`` once and return its wall-clock time in seconds; raise if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {shlex.join(argv)}\n{proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--report-cmd", help="shell-style command to time; {tmp} becomes a fresh folder")
    parser.add_argument("--renderer", default="svg", choices=["svg", "interactive"],
                        help="chart renderer of the fixture pipeline (without --report-cmd)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="techseg-bench-") as tmp:
        scratch = Path(tmp)
        env = _env(scratch)
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
            floor.append(time_command(floor_cmd, env))
            report.append(time_command(report_cmd, env))

    f, r = statistics.median(floor), statistics.median(report)
    label = args.report_cmd or f"fixture pipeline (execute + HTML, renderer={args.renderer})"
    print(f"floor  (papermill CLI, empty notebook): median {f:.2f} s  runs {[round(x, 2) for x in floor]}")
    print(f"report ({label}): median {r:.2f} s  runs {[round(x, 2) for x in report]}")
    print(f"ratio report/floor: {r / f:.2f}  (goal <= 3)")


if __name__ == "__main__":
    main()
