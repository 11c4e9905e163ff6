"""One full client report against the papermill floor, measured in the same run (issue 3 goal: <= 3x).

The report is ``techseg report data/samples/<org>/client.yaml`` (all analyses by default) in a
new process: config check, one papermill kernel per analysis notebook (side by side, up to the CPU
count), the offline HTML pages,
summary.json and index.html. The floor is the ``papermill`` CLI on an empty notebook: an
interpreter, the papermill import (jsonschema's slow import included, jupyter-stack.md section 2),
one kernel start and its shutdown. A report with k notebooks starts k kernels, so its lower
bound is about k - 1 kernel starts more than the floor. The script also times the import alone
(``python -c "import papermill, nbconvert"``), so that the kernel part of the floor, and the
bound for k notebooks, can be read beside the ratio.

Runs alternate floor / report, so drift in machine load affects both equally. Usage (from the
repository root)::

    .venv/bin/python benchmarks/bench_report.py                    # 3 runs, advisory_firm, all analyses
    .venv/bin/python benchmarks/bench_report.py --runs 5 --sample hotel_group --only segmentation
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


def scratch_env(scratch: Path) -> dict[str, str]:
    """Environment with Jupyter/IPython state in ``scratch`` and this checkout importable."""
    env = dict(os.environ)
    for var in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        path = scratch / var.lower()
        path.mkdir(exist_ok=True)
        env[var] = str(path)
    parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *parts])
    return env


def empty_notebook(path: Path) -> Path:
    """A notebook with one empty cell tagged ``parameters``."""
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]})],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}})
    nbformat.write(nb, path)
    return path


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall time of one run of ``argv``, in seconds; exit if it fails."""
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {shlex.join(argv)}\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--sample", default="advisory_firm", help="sample organisation folder")
    parser.add_argument("--only", nargs="+", help="analyses to render (default all)")
    args = parser.parse_args()

    config = ROOT / "data" / "samples" / args.sample / "client.yaml"
    with tempfile.TemporaryDirectory(prefix="techseg-bench-report-") as tmp:
        scratch = Path(tmp)
        env = scratch_env(scratch)
        empty = empty_notebook(scratch / "empty.ipynb")
        floor_cmd = [str(BIN / "papermill"), "--no-progress-bar", str(empty),
                     str(scratch / "empty.out.ipynb")]
        import_cmd = [sys.executable, "-c", "import papermill, nbconvert"]
        floor, report, imports = [], [], []
        for i in range(args.runs):
            imports.append(timed(import_cmd, env))
            report_cmd = [str(BIN / "techseg"), "report", str(config), "--out",
                          str(scratch / f"run{i}"), "--progress", "never"]
            if args.only:
                report_cmd += ["--only", *args.only]
            floor.append(timed(floor_cmd, env))
            report.append(timed(report_cmd, env))

    from techseg_lib.pipeline import ANALYSES

    notebooks = len(args.only) if args.only else len(ANALYSES)
    f, r = statistics.median(floor), statistics.median(report)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"floor  papermill CLI, empty notebook: median {f:.2f} s  runs "
          f"{[round(x, 2) for x in floor]}")
    print(f"report techseg report {args.sample} ({notebooks} notebook(s)): median {r:.2f} s  "
          f"runs {[round(x, 2) for x in report]}")
    imp = statistics.median(imports)
    kernel = max(f - imp, 0.0)
    print(f"import papermill + nbconvert alone: median {imp:.2f} s, so one kernel start, "
          f"run and shutdown in the floor ~ {kernel:.2f} s")
    print(f"bound for {notebooks} notebook(s) (import + {notebooks} x kernel): "
          f"{imp + notebooks * kernel:.2f} s = {(imp + notebooks * kernel) / f:.2f}x the floor")
    print(f"ratio report/floor: {r / f:.2f}  (issue 3 goal: <= 3)")


if __name__ == "__main__":
    main()
