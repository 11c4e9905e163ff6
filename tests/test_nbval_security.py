"""Re-run the golden security-consequence notebook with nbval (strict output comparison).

The golden copy is ``tests/golden/security_consequences.ipynb``: the analysis notebook executed by
papermill on the precision_manufacturer sample (an OT-heavy portfolio) with ``config_path``
relative to ``tests/golden`` and ``summary_path = ""``. Its outputs are deterministic (seeded
simulation, exact lag curves, static SVG charts), so nbval compares every cell. Regenerate it
after changing the notebook, the model or the sample with
``.venv/bin/python scripts/make_golden.py security_consequences`` and review the diff.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "security_consequences.ipynb"
GOLDEN = ROOT / "tests" / "golden" / "security_consequences.ipynb"


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


def test_golden_notebook_replays_identically(tmp_path):
    assert GOLDEN.is_file(), (f"missing {GOLDEN}; run scripts/make_golden.py "
                              "security_consequences")
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
            if not changed and "**OT**: a breach means" in text:
                head, tail = text.split("Expected loss ", 1)
                out["data"]["text/markdown"] = head + "Expected loss 1" + tail
                changed = True
    assert changed, "the consequence output was not found in the golden notebook"
    folder = tmp_path / "a" / "b"          # keeps ../../data/... resolving via a symlink
    folder.mkdir(parents=True)
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    tampered = folder / GOLDEN.name
    nbformat.write(gold, tampered)
    done = run_nbval(tampered, tmp_path / "jupyter")
    assert done.returncode != 0
    assert "mismatch" in done.stdout.lower() or "failed" in done.stdout.lower()


def test_golden_matches_the_notebook_source():
    """The golden copy was made from the current notebook: same cells, every one compared."""
    import nbformat

    src = nbformat.read(NOTEBOOK, as_version=4)
    gold = nbformat.read(GOLDEN, as_version=4)
    gold_cells = [c for c in gold.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    assert [c.source for c in src.cells] == [c.source for c in gold_cells]
    assert all(c.get("execution_count") is None and not c.get("outputs")
               for c in src.cells if c.cell_type == "code"), "commit the notebook without outputs"
    assert all(c.execution_count is not None for c in gold.cells if c.cell_type == "code"), \
        "nbval skips cells without an execution count"
    injected = [c for c in gold.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "precision_manufacturer" in injected[0].source
    assert 'summary_path = ""' in injected[0].source


def test_notebook_follows_the_report_contract():
    """One parameters cell with exactly the two report parameters; save_summary last."""
    import nbformat
    import papermill

    src = nbformat.read(NOTEBOOK, as_version=4)
    tagged = [c for c in src.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert set(papermill.inspect_notebook(str(NOTEBOOK))) == {"config_path", "summary_path"}
    last = [c for c in src.cells if c.cell_type == "code"][-1]
    assert last.source.strip() == 'save_summary(summary_path, "security", analysis.summary())'
    assert src.cells[0].cell_type == "markdown" and "config_path" in src.cells[0].source
