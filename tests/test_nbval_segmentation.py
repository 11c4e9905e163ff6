"""nbval re-runs the golden segmentation notebook and compares every output.

The golden (``tests/golden/segmentation.ipynb``) is ``notebooks/segmentation.ipynb`` executed on
the advisory_firm sample by ``scripts/make_golden.py``. Regenerate it after changing the notebook,
the library or the sample, and review the diff:

    .venv/bin/python scripts/make_golden.py segmentation
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "segmentation.ipynb"
NOTEBOOK = ROOT / "notebooks" / "segmentation.ipynb"
REGENERATE = "regenerate it: .venv/bin/python scripts/make_golden.py segmentation"


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory) -> dict[str, str]:
    """Environment for the nbval subprocess: Jupyter/IPython state in a temporary folder."""
    root = tmp_path_factory.mktemp("nbval-home")
    env = dict(os.environ)
    for var, sub in (("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        (root / sub).mkdir()
        env[var] = str(root / sub)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_nbval(notebook: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         "--color=no", str(notebook)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def code_sources(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "code"
            and "injected-parameters" not in c.metadata.get("tags", [])]


def test_golden_is_current_and_really_executed():
    golden = nbformat.read(GOLDEN, as_version=4)
    source = nbformat.read(NOTEBOOK, as_version=4)
    # nbval re-runs the golden's own code, so it must be the notebook's code
    assert code_sources(golden) == code_sources(source), f"golden is stale; {REGENERATE}"
    injected = [c for c in golden.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert 'config_path = "../../data/samples/advisory_firm/client.yaml"' in injected[0].source
    assert 'summary_path = ""' in injected[0].source
    code = [c for c in golden.cells if c.cell_type == "code"]
    # nbval silently skips cells whose execution count is null (jupyter-stack.md section 4)
    assert all(c.execution_count is not None for c in code), f"golden was stripped; {REGENERATE}"
    kinds = [k for c in code for o in c.outputs for k in o.get("data", {})]
    assert kinds.count("image/svg+xml") >= 5 and "text/markdown" in kinds and "text/html" in kinds
    assert not [o for c in code for o in c.outputs if o.output_type in ("error", "stream")]


def test_nbval_reruns_the_golden_notebook(jupyter_env):
    result = run_nbval(GOLDEN, jupyter_env)
    assert result.returncode == 0, (
        f"nbval found differences (or a failing cell); if the change is intended, {REGENERATE}\n"
        + result.stdout[-6000:] + result.stderr[-2000:])
    assert " passed" in result.stdout and "skipped" not in result.stdout


def test_nbval_catches_a_changed_output(jupyter_env, tmp_path, monkeypatch):
    """The comparison is real, and the notebook is deterministic.

    A fresh executed copy (independent of the committed golden, so this holds even when the
    golden is stale) passes nbval except for the one Markdown output tampered with.
    """
    from techseg_lib.reporting import execute_notebook

    for var in ("JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        monkeypatch.setenv(var, jupyter_env[var])
    config = ROOT / "data" / "samples" / "advisory_firm" / "client.yaml"
    fresh = execute_notebook(NOTEBOOK, tmp_path / "fresh.ipynb",
                             {"config_path": str(config), "summary_path": ""}, cwd=tmp_path)
    nb = nbformat.read(fresh, as_version=4)
    tampered = next(o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if "text/markdown" in o.get("data", {}))
    tampered["data"]["text/markdown"] += " TAMPERED"
    nbformat.write(nb, fresh)
    result = run_nbval(fresh, jupyter_env)
    assert result.returncode != 0
    assert "mismatch 'text/markdown'" in result.stdout and " TAMPERED" in result.stdout
    assert re.search(r"\b1 failed, \d+ passed", result.stdout), result.stdout[-3000:]
