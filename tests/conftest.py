"""Fixtures shared by the test modules."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module", autouse=True)
def jupyter_sandbox(tmp_path_factory):
    """Keep Jupyter/IPython state out of the home folder (jupyter-stack.md section 7).

    Kernels, papermill, nbval, voila and batch worker processes inherit these variables.
    """
    root = tmp_path_factory.mktemp("jupyter-home")
    with pytest.MonkeyPatch.context() as mp:
        for var, sub in (("JUPYTER_DATA_DIR", "data"), ("JUPYTER_CONFIG_DIR", "config"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            (root / sub).mkdir()
            mp.setenv(var, str(root / sub))
        yield root
