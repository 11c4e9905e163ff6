"""``techseg report`` for one config (full report, --pdf, reproducibility), ``new-client``, ``lab``."""
from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from techseg_lib import commands
from techseg_lib.business_model import load_assessment, load_definition
from techseg_lib.cli import main
from techseg_lib.config import load_config
from techseg_lib.pipeline import ANALYSES, NOTEBOOKS
from techseg_lib.scaffold import PORTFOLIO_COLUMNS

try:  # tests/ as a package or as a plain folder on sys.path (pytest's default "prepend" mode)
    from tests import browser
except ImportError:  # pragma: no cover - depends on how pytest is invoked
    import browser

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
ADVISORY = SAMPLES / "advisory_firm" / "client.yaml"



def opened_folder(stdout: str) -> Path:
    """The report folder from the line ``Report for <client>: open <folder>/index.html``."""
    line = next(l for l in stdout.splitlines() if l.startswith("Report for "))
    index = Path(line.rsplit("open ", 1)[1])
    assert index.name == "index.html" and index.is_file()
    return index.parent


# --------------------------------------------------------------------------------------------
# One full report: all three analyses, PDF, reproduced from its recorded config
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_report(tmp_path_factory, jupyter_sandbox):
    missing = [a.notebook for a in ANALYSES if not (NOTEBOOKS / a.notebook).is_file()]
    if missing:
        pytest.fail(f"analysis notebooks missing: {missing}")
    browser.require_chromium()
    out = tmp_path_factory.mktemp("full")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["report", str(ADVISORY), "--out", str(out), "--pdf", "--progress", "never"])
    return code, stdout.getvalue(), out


def test_full_report_renders_every_analysis_and_says_where_to_open_it(full_report):
    code, stdout, out = full_report
    assert code == 0
    folder = opened_folder(stdout)
    assert folder.parent == out / "harbour-vale-advisory"
    for analysis in ANALYSES:
        assert (folder / f"{analysis.name}.html").is_file()
        assert (folder / f"{analysis.name}.ipynb").is_file()
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert {"client", "seed", "techseg_version", *(a.name for a in ANALYSES)} <= set(summary)
    assert summary["seed"] == 20261126


def test_pdf_option_prints_index_and_each_analysis(full_report):
    code, stdout, out = full_report
    folder = opened_folder(stdout)
    pdfs = [folder / "index.pdf"] + [folder / f"{a.name}.pdf" for a in ANALYSES]
    for pdf in pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-", pdf
        assert pdf.stat().st_size > 2000  # more than an empty page
        assert f"PDF: {pdf}" in stdout
    assert not list(folder.glob(".*.partial"))


def test_rerendering_from_the_recorded_config_reproduces_summary_exactly(full_report, tmp_path,
                                                                          capsys):
    _, stdout, _ = full_report
    first = opened_folder(stdout)
    recorded = first / "config.yaml"
    # the recorded config points at the inputs by absolute path and carries the seed
    data = yaml.safe_load(recorded.read_text(encoding="utf-8"))
    assert Path(data["portfolio"]).is_absolute() and data["seed"] == 20261126
    assert main(["report", str(recorded), "--out", str(tmp_path), "--progress", "never"]) == 0
    second = opened_folder(capsys.readouterr().out)
    assert second != first
    assert (second / "summary.json").read_bytes() == (first / "summary.json").read_bytes()


def test_pdf_without_chromium_is_a_clear_error_and_renders_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TECHSEG_CHROMIUM", str(tmp_path / "no-such-chromium"))
    code = main(["report", str(ADVISORY), "--out", str(tmp_path / "out"), "--pdf",
                 "--only", "segmentation"])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert "ensure_chromium.sh" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_pdf_refuses_a_missing_page(tmp_path):
    from techseg_lib.errors import ReportError
    from techseg_lib.pdf import html_to_pdf

    with pytest.raises(ReportError, match="no such HTML file"):
        html_to_pdf(tmp_path / "missing.html", tmp_path / "x.pdf", chromium="/bin/true")


# --------------------------------------------------------------------------------------------
# Errors of the report command (no kernels)
# --------------------------------------------------------------------------------------------

def test_report_errors_are_one_line(tmp_path, capsys):
    cases = [
        (["report", str(ADVISORY), "--only", "sales"], "unknown analysis 'sales'"),
        (["report", str(ADVISORY), "--only", "segmentation", "--notebooks", str(tmp_path)],
         "segmentation.ipynb not found"),
        (["report", str(tmp_path / "nope.yaml"), "--only", "segmentation"], "no such config file"),
    ]
    for argv, expected in cases:
        assert main([*argv, "--out", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err.strip()
        assert expected in err and len(err.splitlines()) == 1, err
    assert not (tmp_path / "out").exists()


def test_only_accepts_repeated_and_comma_separated_names():
    parser = _parser()
    args = parser.parse_args(["report", "a.yaml", "b.yaml", "--only", "segmentation,security",
                              "--only", "strategy"])
    assert [str(c) for c in args.configs] == ["a.yaml", "b.yaml"]
    assert commands._split(args.only) == ["segmentation", "security", "strategy"]
    from techseg_lib.batch import analyses_by_name

    assert [a.name for a in analyses_by_name(commands._split(args.only))] == [
        "segmentation", "strategy", "security"]  # report order, whatever the order given


def _parser():
    from techseg_lib.cli import _parser as cli_parser

    return cli_parser()


def test_report_help_documents_the_folder_rule_and_options(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = capsys.readouterr().out
    for needle in ("--jobs", "--scheduler", "--pdf", "--only", "--out", "D/*/client.yaml",
                   "config.yaml"):
        assert needle in text


# --------------------------------------------------------------------------------------------
# techseg new-client
# --------------------------------------------------------------------------------------------

def test_new_client_scaffolds_a_config_valid_once_the_portfolio_exists(tmp_path, capsys):
    name = 'Müller & "Söhne": #1 GmbH'
    assert main(["new-client", name, "--dir", str(tmp_path), "--archetype", "manufacturer",
                 "--seed", "42"]) == 0
    folder = tmp_path / "muller-sohne-1-gmbh"
    assert sorted(p.name for p in folder.iterdir()) == [
        "assessment.yaml", "client.yaml", "portfolio_template.csv"]
    assert "techseg report" in capsys.readouterr().out
    # the config names the portfolio it expects; it loads once that file exists
    with pytest.raises(Exception, match="portfolio"):
        load_config(folder / "client.yaml")
    (folder / "portfolio.csv").write_text(
        (folder / "portfolio_template.csv").read_text(encoding="utf-8")
        + "A1,Payroll,Pays staff,ACME,HR,staff,SaaS,live,HR,yes,1200,high,\n", encoding="utf-8")
    config = load_config(folder / "client.yaml")
    assert (config.client, config.archetype, config.seed) == (name, "manufacturer", 42)
    # the portfolio template has exactly the canonical headers
    header = (folder / "portfolio_template.csv").read_text(encoding="utf-8").strip()
    assert header.split(",") == list(PORTFOLIO_COLUMNS)
    # the assessment template lists every shipped item, wording as a comment, answer null
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    definition = load_definition()
    answers = yaml.safe_load(text)["answers"]
    assert list(answers) == [item.id for item in definition.items]
    assert all(value is None for value in answers.values())
    for item in definition.items:
        assert f"# {' '.join(item.text.split())}" in text
    assert load_assessment(folder / "assessment.yaml").unanswered == tuple(answers)


def test_new_client_refuses_to_overwrite(tmp_path, capsys):
    assert main(["new-client", "Acme Ltd", "--dir", str(tmp_path)]) == 0
    config = tmp_path / "acme-ltd" / "client.yaml"
    config.write_text("client: Acme Ltd (edited)\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["new-client", "ACME ltd", "--dir", str(tmp_path)]) == 1  # same slug
    err = capsys.readouterr().err
    assert "already exists" in err and "never overwrites" in err
    assert config.read_text(encoding="utf-8") == "client: Acme Ltd (edited)\n"


def test_new_client_rejects_an_empty_name(tmp_path, capsys):
    assert main(["new-client", "   ", "--dir", str(tmp_path)]) == 1
    assert "name is empty" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


# --------------------------------------------------------------------------------------------
# techseg lab
# --------------------------------------------------------------------------------------------

def test_lab_command_line_and_environment():
    argv = commands.lab_argv(8899, Path("/x/notebooks"), as_root=True)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert {"--no-browser", "--port=8899", "--notebook-dir=/x/notebooks", "--allow-root"} <= set(argv)
    assert "--allow-root" not in commands.lab_argv(8899, Path("/x"), as_root=False)
    env = commands.lab_env({"PYTHONPATH": "/elsewhere"})
    assert env["PYTHONPATH"].split(os.pathsep) == [str(ROOT), "/elsewhere"]


def test_lab_without_jupyterlab_says_how_to_install(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "jupyterlab" else real(name, *a))
    assert main(["lab"]) == 1
    assert "pip install -e '.[lab]'" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_lab_starts_jupyterlab_on_the_notebooks(tmp_path):
    port = _free_port()
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "techseg_lib.cli", "lab", "--port", str(port)],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        status = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as r:
                    status = r.status
                    version = json.loads(r.read())["version"]
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, proc.poll()
        assert version
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert str(NOTEBOOKS) in output  # served from the project's notebooks folder
