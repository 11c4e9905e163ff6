"""Batches of client reports: local workers, a Dask cluster, failures that stay contained.

The batch tests render only the segmentation analysis (``--only segmentation``), with the real
``notebooks/segmentation.ipynb``, to keep the suite's time reasonable on two cores. The full
three-analysis path is in ``tests/test_cli_report.py``.
"""
from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from techseg_lib import batch
from techseg_lib.batch import Job, Outcome, discover_configs, format_table, prepare, run_batch
from techseg_lib.cli import main
from techseg_lib.errors import ConfigError, ReportError

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
SAMPLE_CONFIGS = sorted(SAMPLES.glob("*/client.yaml"))
REPORT_FILES = {"index.html", "segmentation.html", "segmentation.ipynb", "summary.json",
                "config.yaml"}



def broken_client(folder: Path) -> Path:
    """A config that loads fine but whose portfolio has no column naming the items.

    The config passes validation, so the failure happens inside the segmentation notebook: this
    is the "failing cell" case of a batch.
    """
    folder.mkdir(parents=True)
    (folder / "portfolio.csv").write_text("Vendor,Cost\nACME,100\nInitech,250\n", encoding="utf-8")
    shutil.copy(SAMPLES / "advisory_firm" / "assessment.yaml", folder / "assessment.yaml")
    config = folder / "client.yaml"
    config.write_text("client: Broken Portfolio Ltd\narchetype: manufacturer\n"
                      "portfolio: portfolio.csv\nassessment: assessment.yaml\nseed: 7\n",
                      encoding="utf-8")
    return config


def summaries(outcomes) -> dict[str, dict]:
    return {o.client: json.loads((Path(o.report) / "summary.json").read_text(encoding="utf-8"))
            for o in outcomes if o.ok}


# --------------------------------------------------------------------------------------------
# Finding and checking configs (no kernels)
# --------------------------------------------------------------------------------------------

def test_three_samples_exist():
    assert [p.parent.name for p in SAMPLE_CONFIGS] == [
        "advisory_firm", "hotel_group", "precision_manufacturer"]


def test_discover_configs_follows_the_documented_rule(tmp_path):
    # a client folder: its own client.yaml only (its assessment.yaml is not a config)
    assert discover_configs([SAMPLES / "hotel_group"]) == [SAMPLES / "hotel_group" / "client.yaml"]
    # a folder of client folders: every */client.yaml, sorted
    assert discover_configs([SAMPLES]) == SAMPLE_CONFIGS
    # a flat folder: *.yaml with a top-level client key; other YAML is skipped; no recursion
    flat = tmp_path / "configs"
    (flat / "deeper" / "nested").mkdir(parents=True)
    (flat / "b.yaml").write_text("client: B\n", encoding="utf-8")
    (flat / "a.yml").write_text("client: A\n", encoding="utf-8")
    (flat / "answers.yaml").write_text("answers: {cust_named: 3}\n", encoding="utf-8")
    (flat / "broken.yaml").write_text("client: [unclosed\n", encoding="utf-8")
    (flat / "notes.txt").write_text("client: X\n", encoding="utf-8")
    (flat / "deeper" / "nested" / "client.yaml").write_text("client: Deep\n", encoding="utf-8")
    assert discover_configs([flat]) == [flat / "a.yml", flat / "b.yaml"]
    # files are taken as given (even a missing one: it fails validation later), in order, twice
    missing = tmp_path / "nope.yaml"
    given = [missing, SAMPLE_CONFIGS[0], SAMPLE_CONFIGS[0]]
    assert discover_configs(given) == given
    # a folder with nothing in it is kept, and becomes a failed row
    empty = tmp_path / "empty"
    empty.mkdir()
    assert discover_configs([empty]) == [empty]


def test_prepare_refuses_bad_configs_before_dispatch(tmp_path):
    bad_archetype = tmp_path / "bad.yaml"
    bad_archetype.write_text(
        (SAMPLES / "advisory_firm" / "client.yaml").read_text(encoding="utf-8")
        .replace("information_business", "bakery")
        .replace("portfolio.csv", str(SAMPLES / "advisory_firm" / "portfolio.csv"))
        .replace("assessment.yaml", str(SAMPLES / "advisory_firm" / "assessment.yaml")),
        encoding="utf-8")
    bad_section = tmp_path / "section.yaml"
    bad_section.write_text(
        bad_archetype.read_text(encoding="utf-8").replace("bakery", "manufacturer")
        + "strategy:\n  no_such_setting: 3\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    paths = [SAMPLE_CONFIGS[0], bad_archetype, tmp_path / "missing.yaml", bad_section, empty]
    jobs, refused = prepare(paths)
    assert [(j.index, j.client) for j in jobs] == [(0, "Harbour & Vale Advisory")]
    assert Path(jobs[0].config).is_absolute()
    messages = [o.message for o in refused]
    assert not any(o.ok for o in refused)
    assert "'archetype'" in messages[0] and "bakery" in messages[0]
    assert "no such config file" in messages[1]
    assert "strategy" in messages[2] and "no_such_setting" in messages[2]
    assert "no client config found" in messages[3]
    assert all("\n" not in m for m in messages)


def test_unknown_analysis_and_missing_notebook_stop_the_batch_before_it_starts(tmp_path):
    with pytest.raises(ConfigError, match="allowed: segmentation, strategy, security"):
        run_batch(SAMPLE_CONFIGS, tmp_path / "out", analyses=["segmentation", "sales"])
    with pytest.raises(ReportError, match="segmentation.ipynb not found"):
        run_batch(SAMPLE_CONFIGS, tmp_path / "out", analyses=["segmentation"],
                  notebooks=tmp_path)
    with pytest.raises(ConfigError, match="--jobs 0"):
        run_batch(SAMPLE_CONFIGS, tmp_path / "out", jobs=0)
    assert not (tmp_path / "out").exists()


def test_format_table_lists_successes_and_failures():
    outcomes = [Outcome("a.yaml", "Alpha", True, report="/r/alpha/20260101T000000Z"),
                Outcome("b.yaml", "B" * 40, False, message="notebook x failed in cell 4: KeyError")]
    text = format_table(outcomes)
    lines = text.splitlines()
    assert lines[0].split() == ["client", "status", "report", "/", "error"]
    assert "Alpha" in lines[2] and " ok " in lines[2]
    assert lines[2].endswith("/r/alpha/20260101T000000Z/index.html")
    assert "FAILED" in lines[3] and lines[3].endswith("failed in cell 4: KeyError")
    assert "B" * 40 not in text  # long names are cut to the column width
    assert lines[-1] == "1 rendered, 1 failed."


def test_render_one_turns_every_error_into_a_failed_outcome(tmp_path, monkeypatch):
    missing = batch.render_one(str(tmp_path / "missing.yaml"), str(tmp_path))
    assert not missing.ok and "no such config file" in missing.message

    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("techseg_lib.pipeline.render_report", explode)
    bug = batch.render_one(str(SAMPLE_CONFIGS[0]), str(tmp_path))
    assert not bug.ok and bug.client == "Harbour & Vale Advisory"
    assert "ZeroDivisionError: boom" in bug.message and "ZeroDivisionError" in bug.traceback


def test_a_kernel_that_did_not_start_is_retried_once_and_nothing_else_is(tmp_path, monkeypatch):
    calls = []

    def flaky(config, out, **kwargs):
        calls.append(config)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return tmp_path / "report"

    monkeypatch.setattr("techseg_lib.pipeline.render_report", flaky)
    outcome = batch.render_one(str(SAMPLE_CONFIGS[0]), str(tmp_path))
    assert outcome.ok and len(calls) == 2
    assert outcome.report == str(tmp_path / "report") and "retried once" in outcome.message

    def always_dead(config, out, **kwargs):
        calls.append(config)
        raise RuntimeError("Kernel didn't respond in 60 seconds")

    calls.clear()
    monkeypatch.setattr("techseg_lib.pipeline.render_report", always_dead)
    outcome = batch.render_one(str(SAMPLE_CONFIGS[0]), str(tmp_path))
    assert not outcome.ok and len(calls) == 2 and "retried once" in outcome.message

    def cell_error(config, out, **kwargs):
        calls.append(config)
        raise ReportError("notebook x failed in cell 3 (In [2]: y): KeyError: 'z'")

    calls.clear()
    monkeypatch.setattr("techseg_lib.pipeline.render_report", cell_error)
    outcome = batch.render_one(str(SAMPLE_CONFIGS[0]), str(tmp_path))
    assert not outcome.ok and len(calls) == 1 and "failed in cell 3" in outcome.message


def test_progress_bars_per_client_and_overall():
    sink = io.StringIO()
    jobs = [Job(0, "a.yaml", "Alpha Ltd"), Job(2, "c.yaml", "Gamma Ltd")]
    progress = batch.BatchProgress(jobs, steps=2, total=3, enabled=True, file=sink, done=1,
                                   failed=1)
    progress.event(0, "Alpha Ltd: Segmentation")
    progress.event(2, "Gamma Ltd: Segmentation")
    progress.event(0, "Alpha Ltd: Security consequences")
    progress.finished(Outcome("a.yaml", "Alpha Ltd", True, report="x"), 0)
    progress.finished(Outcome("c.yaml", "Gamma Ltd", False, message="m"), 2)
    progress.close()
    text = sink.getvalue()
    assert "Alpha Ltd" in text and "Gamma Ltd" in text and "Security consequences" in text
    assert "reports: 100%" in text and "3/3" in text and "failed=2" in text


def test_unreachable_scheduler_is_a_one_line_error():
    pytest.importorskip("distributed")
    jobs = [Job(0, str(SAMPLE_CONFIGS[0]), "Harbour & Vale Advisory")]
    with pytest.raises(ReportError, match="cannot reach the Dask scheduler"):
        batch.run_dask(jobs, "reports", "tcp://127.0.0.1:9", connect_timeout="2s")


# --------------------------------------------------------------------------------------------
# Real batches (kernels)
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def local_batch(tmp_path_factory, jupyter_sandbox):
    """The three samples plus a broken config, --jobs 2, through the CLI."""
    base = tmp_path_factory.mktemp("local-batch")
    broken = broken_client(base / "broken")
    out = base / "reports"
    argv = ["report", str(SAMPLES), str(broken), "--out", str(out), "--jobs", "2",
            "--progress", "never", "--only", "segmentation"]
    capture = io.StringIO()
    with contextlib.redirect_stdout(capture):
        code = main(argv)
    return code, capture.getvalue(), out, broken


def test_batch_renders_the_good_configs_and_reports_the_broken_one(local_batch):
    code, table, out, broken = local_batch
    assert code == 1  # one report failed
    rows = {line.split("  ")[0]: line for line in table.splitlines()[2:-1]}
    assert set(rows) == {"Harbour & Vale Advisory", "Meridian Coast Hotels",
                         "Kessler Precision Components", "Broken Portfolio Ltd"}
    for client in ("Harbour & Vale Advisory", "Meridian Coast Hotels",
                   "Kessler Precision Components"):
        assert " ok " in rows[client]
        index = Path(rows[client].rsplit(" ", 1)[-1])
        folder = index.parent
        assert index.name == "index.html" and folder.parent.parent == out
        assert {p.name for p in folder.iterdir()} == REPORT_FILES  # complete, nothing stray
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["client"] == client and "segmentation" in summary
    failed = rows["Broken Portfolio Ltd"]
    assert "FAILED" in failed
    # the failing cell, its exception and where the partial notebook is
    assert "failed in cell" in failed and "PortfolioError" in failed
    assert "segmentation.ipynb" in failed and ".failed" in failed
    assert table.splitlines()[-1] == "3 rendered, 1 failed."
    # the broken client left only a .failed folder with its partly executed notebook
    broken_dirs = list((out / "broken-portfolio-ltd").iterdir())
    assert len(broken_dirs) == 1 and broken_dirs[0].name.endswith(".failed")
    assert (broken_dirs[0] / "segmentation.ipynb").is_file()
    assert not (broken_dirs[0] / "summary.json").exists()
    # no temporary folders left behind anywhere
    assert not [p for p in out.rglob(".*.tmp")]


def test_a_config_given_twice_renders_twice_without_overwriting(tmp_path, jupyter_sandbox):
    sink = io.StringIO()
    config = SAMPLES / "advisory_firm" / "client.yaml"
    outcomes = run_batch([config, config], tmp_path, jobs=2, analyses=["segmentation"],
                         show_progress=True, progress_file=sink)
    assert [o.ok for o in outcomes] == [True, True]
    folders = {Path(o.report) for o in outcomes}
    assert len(folders) == 2 and all(f.parent == tmp_path / "harbour-vale-advisory" for f in folders)
    first, second = (json.loads((f / "summary.json").read_text(encoding="utf-8")) for f in folders)
    assert first == second  # same config and seed, same figures
    text = sink.getvalue()
    assert "Harbour & Vale Advisory" in text and "reports: 100%" in text


def test_dask_cluster_renders_the_same_reports_as_local_workers(local_batch, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, table, out, broken = local_batch
    local = {}
    for line in table.splitlines()[2:-1]:
        if " ok " in line:
            folder = Path(line.rsplit(" ", 1)[-1]).parent
            local[line.split("  ")[0]] = json.loads((folder / "summary.json").read_text())
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        outcomes = run_batch([SAMPLES, broken], tmp_path / "dask-reports",
                             scheduler=cluster.scheduler_address, analyses=["segmentation"])
    assert [o.ok for o in outcomes] == [True, True, True, False]
    assert "failed in cell" in outcomes[3].message and "PortfolioError" in outcomes[3].message
    for o in outcomes[:3]:
        assert Path(o.report).parent.parent == tmp_path / "dask-reports"
        assert {p.name for p in Path(o.report).iterdir()} == REPORT_FILES
    assert summaries(outcomes) == local  # identical figures, key for key
