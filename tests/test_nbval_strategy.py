"""Re-run the golden disruptor-vs-alternative notebook with nbval (strict output comparison).

The golden copy is ``tests/golden/disruptor_vs_alternative.ipynb``: the analysis notebook executed
by papermill on the advisory_firm sample with ``config_path`` relative to ``tests/golden`` and
``summary_path = ""``. Its outputs are deterministic (seeded simulation, static SVG charts), so
nbval compares every cell. Regenerate it after changing the notebook or the model with
``python scripts/make_golden.py disruptor_vs_alternative`` (once the entry is registered there)
or ``python tests/test_nbval_strategy.py`` (see :func:`make_golden`).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "disruptor_vs_alternative.ipynb"
GOLDEN = ROOT / "tests" / "golden" / "disruptor_vs_alternative.ipynb"


def _jupyter_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        (base / key.lower()).mkdir(parents=True, exist_ok=True)
        env[key] = str(base / key.lower())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_nbval(golden: Path, tmp: Path) -> subprocess.CompletedProcess:
    """Strict nbval run of one executed notebook (cwd: its folder); returns the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q", str(golden)],
        cwd=golden.parent, env=_jupyter_env(tmp), capture_output=True, text=True, timeout=600)


GOLDEN_ENTRY = ("disruptor_vs_alternative.ipynb", "data/samples/advisory_firm/client.yaml")
"""This golden's entry for ``scripts/make_golden.py``'s ``GOLDENS`` registry."""


def make_golden() -> Path:
    """Regenerate the golden copy with ``scripts/make_golden.py`` (papermill run metadata
    stripped), registering this golden's entry there if the registry does not hold it yet."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts" / "make_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.GOLDENS.setdefault(GOLDEN.stem, GOLDEN_ENTRY)
    return module.make_golden(GOLDEN.stem)


def test_golden_notebook_replays_identically(tmp_path):
    assert GOLDEN.is_file(), f"missing {GOLDEN}; run python {Path(__file__).name}"
    done = run_nbval(GOLDEN, tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_nbval_catches_a_tampered_output(tmp_path):
    """The comparison is strict: one changed figure in a stored output fails the run."""
    import nbformat

    gold = nbformat.read(GOLDEN, as_version=4)
    changed = False
    for cell in gold.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown", "")
            if not changed and "simulated futures.**" in text:
                out["data"]["text/markdown"] = text.replace("% of simulated futures",
                                                            "1% of simulated futures", 1)
                changed = True
    assert changed, "the headline output was not found in the golden notebook"
    folder = tmp_path / "a" / "b"          # keeps ../../data/... resolving via a symlink
    folder.mkdir(parents=True)
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    tampered = folder / GOLDEN.name
    nbformat.write(gold, tampered)
    done = run_nbval(tampered, tmp_path / "jupyter")
    assert done.returncode != 0
    assert "mismatch" in done.stdout.lower() or "failed" in done.stdout.lower()


def test_golden_matches_the_notebook_source():
    """The golden copy was made from the current notebook: same code cells, same order."""
    import nbformat

    src = nbformat.read(NOTEBOOK, as_version=4)
    gold = nbformat.read(GOLDEN, as_version=4)
    gold_cells = [c for c in gold.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert [c.source for c in src.cells] == [c.source for c in gold_cells]
    assert all(c.get("execution_count") is None and not c.get("outputs")
               for c in src.cells if c.cell_type == "code"), "commit the notebook without outputs"
    assert all(c.execution_count is not None for c in gold.cells if c.cell_type == "code"), \
        "nbval skips cells without an execution count"


if __name__ == "__main__":
    for key in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        os.environ.setdefault(key, str(Path("/tmp") / "techseg-jupyter" / key.lower()))
        Path(os.environ[key]).mkdir(parents=True, exist_ok=True)
    print(make_golden())
