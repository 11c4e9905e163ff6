"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge splits dask[distributed] into two packages
EXPANSIONS = {"dask[distributed]": {"dask", "distributed"}}


def _name(requirement: str) -> set[str]:
    base = re.split(r"[<>=!~ ;]", requirement, maxsplit=1)[0].strip().lower()
    return EXPANSIONS.get(base, {base})


def _pip_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = {}
    for requirement in project["dependencies"]:
        for name in _name(requirement):
            found[name] = requirement
    for extra, requirements in project["optional-dependencies"].items():
        for requirement in requirements:
            if requirement.startswith("techseg["):
                continue
            for name in _name(requirement):
                found[name] = requirement
    return found


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in env["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            for name in _name(requirement):
                found[name] = requirement
    return {k: v for k, v in found.items() if k not in {"python", "pip"}}


def test_same_packages_in_both_files():
    pip, conda = _pip_requirements(), _conda_requirements()
    assert sorted(set(pip) - set(conda)) == [], "in pyproject.toml, missing from environment.yml"
    assert sorted(set(conda) - set(pip)) == [], "in environment.yml, missing from pyproject.toml"


def test_same_lower_bounds():
    pip, conda = _pip_requirements(), _conda_requirements()
    bound = re.compile(r">=\s*([0-9][0-9a-z.]*)")
    for name in pip:
        assert bound.findall(pip[name]) == bound.findall(conda[name]), name


def test_package_data_ships_taxonomy_and_templates():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = data["package-data"]["techseg_lib"]
    assert "data/*" in patterns and any(p.startswith("templates") for p in patterns)
    assert (ROOT / "techseg_lib" / "data" / "taxonomy.yaml").is_file()
