"""nbval re-runs each golden analysis notebook and compares every output (strict comparison).

A golden, ``tests/golden/<name>.ipynb``, is ``notebooks/<name>.ipynb`` executed by papermill on a
sample client by ``scripts/make_golden.py``, with the kernel's working folder set to
``tests/golden``, ``config_path`` relative to that folder and ``summary_path = ""``. Its outputs
are deterministic (seeded simulations, exact lag curves, static SVG charts), so nbval compares
every cell. Regenerate a golden after changing its notebook, the library or the sample, and
review the diff:

    .venv/bin/python scripts/make_golden.py <name>

To add a golden, register it in ``scripts/make_golden.py`` and in :data:`GOLDENS` below.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Golden:
    """One golden notebook and what its outputs must show."""

    name: str
    """``notebooks/<name>.ipynb`` executed into ``tests/golden/<name>.ipynb``."""
    sample: str
    """The sample client it runs on: ``data/samples/<sample>/client.yaml``."""
    save_summary: str
    """The notebook's last code cell (the report contract)."""
    min_svg_charts: int = 1
    """Static SVG charts the golden shows at least."""
    tamper: tuple[str, str, str] | None = None
    """``(marker, old, new)``: the first Markdown output containing ``marker`` has ``old``
    replaced by ``new`` to check that nbval notices a changed figure."""

    @property
    def notebook(self) -> Path:
        return ROOT / "notebooks" / f"{self.name}.ipynb"

    @property
    def golden(self) -> Path:
        return ROOT / "tests" / "golden" / f"{self.name}.ipynb"

    @property
    def regenerate(self) -> str:
        return f"regenerate it: .venv/bin/python scripts/make_golden.py {self.name}"


GOLDENS = (
    Golden("segmentation", "advisory_firm",
           'save_summary(summary_path, "segmentation", result.summary())', min_svg_charts=5),
    Golden("disruptor_vs_alternative", "advisory_firm",
           'save_summary(summary_path, "strategy", analysis.summary())',
           tamper=("simulated futures.**", "% of simulated futures", "1% of simulated futures")),
    Golden("security_consequences", "precision_manufacturer",
           'save_summary(summary_path, "security", analysis.summary())',
           tamper=("**OT**: a breach means", "Expected loss ", "Expected loss 1")),
)
BY_NAME = {g.name: g for g in GOLDENS}

every_golden = pytest.mark.parametrize("gold", GOLDENS, ids=lambda g: g.name)


@pytest.fixture(scope="module")
def nbval_env(jupyter_sandbox) -> dict[str, str]:
    """Environment of the nbval subprocess: the conftest's Jupyter sandbox, this checkout first
    on ``PYTHONPATH``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def run_nbval(notebook: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Strict nbval run of one executed notebook (cwd: its folder); returns the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider", "-q",
         "--color=no", str(notebook)],
        cwd=notebook.parent, env=env, capture_output=True, text=True, timeout=600)


def injected_cells(nb) -> list:
    return [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]


def own_cells(nb) -> list:
    """The cells of the notebook itself (without papermill's injected parameters)."""
    return [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]


@every_golden
def test_golden_matches_the_notebook_source(gold):
    """The golden was made from the current notebook on its sample: same cells, every one
    compared (nbval re-runs the golden's own code, so it must be the notebook's code)."""
    assert gold.golden.is_file(), f"missing {gold.golden}; {gold.regenerate}"
    src = nbformat.read(gold.notebook, as_version=4)
    golden = nbformat.read(gold.golden, as_version=4)
    assert [c.source for c in src.cells] == [c.source for c in own_cells(golden)], \
        f"golden is stale; {gold.regenerate}"
    assert all(c.get("execution_count") is None and not c.get("outputs")
               for c in src.cells if c.cell_type == "code"), "commit the notebook without outputs"
    # nbval silently skips cells whose execution count is null (jupyter-stack.md section 4)
    assert all(c.execution_count is not None for c in golden.cells if c.cell_type == "code"), \
        f"golden was stripped (nbval skips cells without an execution count); {gold.regenerate}"
    injected = injected_cells(golden)
    assert len(injected) == 1
    assert f'config_path = "../../data/samples/{gold.sample}/client.yaml"' in injected[0].source
    assert 'summary_path = ""' in injected[0].source


@every_golden
def test_golden_outputs_are_charts_and_text_without_errors(gold):
    code = [c for c in nbformat.read(gold.golden, as_version=4).cells if c.cell_type == "code"]
    kinds = [k for c in code for o in c.outputs for k in o.get("data", {})]
    assert kinds.count("image/svg+xml") >= gold.min_svg_charts
    assert "text/markdown" in kinds and "text/html" in kinds
    assert not [o for c in code for o in c.outputs if o.output_type in ("error", "stream")]


@every_golden
def test_notebook_follows_the_report_contract(gold):
    """One parameters cell with exactly the two report parameters; save_summary last."""
    import papermill

    src = nbformat.read(gold.notebook, as_version=4)
    tagged = [c for c in src.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert set(papermill.inspect_notebook(str(gold.notebook))) == {"config_path", "summary_path"}
    last = [c for c in src.cells if c.cell_type == "code"][-1]
    assert last.source.strip() == gold.save_summary
    assert src.cells[0].cell_type == "markdown" and "config_path" in src.cells[0].source


@every_golden
def test_nbval_replays_the_golden_identically(gold, nbval_env):
    assert gold.golden.is_file(), f"missing {gold.golden}; {gold.regenerate}"
    result = run_nbval(gold.golden, nbval_env)
    assert result.returncode == 0, (
        f"nbval found differences (or a failing cell); if the change is intended, "
        f"{gold.regenerate}\n" + result.stdout[-6000:] + result.stderr[-2000:])
    assert " passed" in result.stdout and "skipped" not in result.stdout


def tampered_copy(gold: Golden) -> nbformat.NotebookNode:
    """The golden with one figure changed in its first Markdown output holding the marker."""
    marker, old, new = gold.tamper
    nb = nbformat.read(gold.golden, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/markdown", "")
            if marker in text and old in text:
                out["data"]["text/markdown"] = text.replace(old, new, 1)
                return nb
    raise AssertionError(f"the output with {marker!r} was not found in {gold.golden.name}")


@pytest.mark.parametrize("gold", [g for g in GOLDENS if g.tamper], ids=lambda g: g.name)
def test_nbval_catches_a_tampered_output(gold, nbval_env, tmp_path):
    """The comparison is strict: one changed figure in a stored output fails the run."""
    folder = tmp_path / "a" / "b"          # keeps ../../data/... resolving via a symlink
    folder.mkdir(parents=True)
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    tampered = folder / gold.golden.name
    nbformat.write(tampered_copy(gold), tampered)
    result = run_nbval(tampered, nbval_env)
    assert result.returncode != 0
    assert "mismatch" in result.stdout.lower() or "failed" in result.stdout.lower()


def test_nbval_catches_a_changed_output_of_a_fresh_run(nbval_env, tmp_path):
    """The comparison is real, and the segmentation notebook is deterministic.

    A fresh executed copy (independent of the committed golden, so this holds even when the
    golden is stale) passes nbval except for the one Markdown output tampered with.
    """
    from techseg_lib.reporting import execute_notebook

    gold = BY_NAME["segmentation"]
    config = ROOT / "data" / "samples" / gold.sample / "client.yaml"
    fresh = execute_notebook(gold.notebook, tmp_path / "fresh.ipynb",
                             {"config_path": str(config), "summary_path": ""}, cwd=tmp_path)
    nb = nbformat.read(fresh, as_version=4)
    tampered = next(o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if "text/markdown" in o.get("data", {}))
    tampered["data"]["text/markdown"] += " TAMPERED"
    nbformat.write(nb, fresh)
    result = run_nbval(fresh, nbval_env)
    assert result.returncode != 0
    assert "mismatch 'text/markdown'" in result.stdout and " TAMPERED" in result.stdout
    assert re.search(r"\b1 failed, \d+ passed", result.stdout), result.stdout[-3000:]
