"""Regenerate the golden executed notebooks that nbval re-runs in the test suite.

Usage (from anywhere)::

    .venv/bin/python scripts/make_golden.py                # every golden in GOLDENS
    .venv/bin/python scripts/make_golden.py segmentation   # one (or several) by name
    .venv/bin/python scripts/make_golden.py --list

Each golden is ``tests/golden/<name>.ipynb``: the analysis notebook from ``notebooks/`` executed
by papermill (:func:`techseg_lib.reporting.execute_notebook`) with the kernel's working folder set
to ``tests/golden``, ``config_path`` relative to that folder and ``summary_path=""`` (nothing
written). nbval then re-runs it in the same folder and compares every output, so regenerate a
golden after changing its notebook, the library code it calls or its sample data, and review
the diff before committing it.

Papermill's run metadata (timestamps, durations, absolute paths) is removed so that a
regeneration with unchanged outputs gives an unchanged file. Outputs and execution counts are
kept: nbval skips cells whose execution count is null.

To add a golden, add an entry to :data:`GOLDENS` and one to ``GOLDENS`` in ``tests/test_nbval.py``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GOLDEN_DIR = ROOT / "tests" / "golden"

GOLDENS: dict[str, tuple[str, str]] = {
    "segmentation": ("segmentation.ipynb", "data/samples/advisory_firm/client.yaml"),
    "disruptor_vs_alternative": ("disruptor_vs_alternative.ipynb",
                                 "data/samples/advisory_firm/client.yaml"),
    "security_consequences": ("security_consequences.ipynb",
                              "data/samples/precision_manufacturer/client.yaml"),
}
"""Golden name -> (notebook under notebooks/, sample config relative to the repository root)."""


def _strip_run_metadata(path: Path) -> None:
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    papermill = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path", "exception"):
        papermill.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
    nbformat.write(nb, str(path))


def make_golden(name: str) -> Path:
    """Execute the notebook of golden ``name`` on its sample config and write the golden.

    Returns
    -------
    Path
        ``tests/golden/<name>.ipynb``.

    Raises
    ------
    KeyError
        ``name`` is not in :data:`GOLDENS`.
    techseg_lib.errors.ReportError
        The notebook failed (the golden is not replaced).
    """
    sys.path.insert(0, str(ROOT))
    from techseg_lib.reporting import execute_notebook

    notebook, config = GOLDENS[name]
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    target = GOLDEN_DIR / f"{name}.ipynb"
    config_rel = os.path.relpath(ROOT / config, GOLDEN_DIR)
    with tempfile.TemporaryDirectory(prefix="techseg-golden-") as tmp:
        out = Path(tmp) / f"{name}.ipynb"
        execute_notebook(NOTEBOOKS / notebook, out,
                         {"config_path": config_rel, "summary_path": ""}, cwd=GOLDEN_DIR)
        _strip_run_metadata(out)
        target.write_bytes(out.read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate golden notebooks for nbval.")
    parser.add_argument("names", nargs="*", help=f"goldens to make (default all: {', '.join(GOLDENS)})")
    parser.add_argument("--list", action="store_true", help="list the goldens and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, (notebook, config) in GOLDENS.items():
            print(f"{name}: notebooks/{notebook} on {config}")
        return 0
    unknown = [n for n in args.names if n not in GOLDENS]
    if unknown:
        parser.error(f"unknown golden {unknown[0]!r}; known: {', '.join(GOLDENS)}")
    for name in args.names or list(GOLDENS):
        print(f"{name}: {make_golden(name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
