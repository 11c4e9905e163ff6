"""End-to-end: the segmentation report rendered by papermill and checked in real Chromium.

Each render runs ``notebooks/segmentation.ipynb`` through ``pipeline.render_report`` (papermill,
nbconvert) into a temporary folder. Slow by nature (a kernel per render, ~7 s each).
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

import techseg_lib
from techseg_lib import pipeline
from techseg_lib.analyses import segmentation
from techseg_lib.business_model import QUADRANTS
from techseg_lib.config import load_config
from techseg_lib.errors import ConfigError, ReportError
from techseg_lib.reporting import find_external_references, slugify

try:  # tests/ as a package or as a plain folder on sys.path
    from tests import browser
except ImportError:  # pragma: no cover
    import browser

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = {p.parent.name: p for p in sorted((ROOT / "data" / "samples").glob("*/client.yaml"))}
HOSTILE_CONFIG = ROOT / "tests" / "fixtures" / "hostile_client" / "client.yaml"
HOSTILE_ITEM = "<img src=x onerror=alert(1)>"
FORMULA_ITEM = '=HYPERLINK("http://x","y")'
SEGMENTATION = tuple(a for a in pipeline.ANALYSES if a.name == "segmentation")
# Elements that would exist only if client text had become markup.
INJECTION_SELECTORS = ("img[onerror]", "img[src='x']", "script[src]", "a[href^='javascript']",
                       "h2 b", "b")
CODE_MARKERS = ("load_config(", "save_summary(", "enable_chart_renderer(", "import techseg_lib")



def render(config: Path, out: Path, **kw) -> Path:
    return pipeline.render_report(config, out, analyses=SEGMENTATION, **kw)


@pytest.fixture(scope="module", params=sorted(SAMPLES))
def sample_report(request, tmp_path_factory):
    """(config path, report folder) for one sample organisation."""
    config = SAMPLES[request.param]
    return config, render(config, tmp_path_factory.mktemp(f"report-{request.param}"))


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report-hostile")
    return out, render(HOSTILE_CONFIG, out)


def svg_outputs(executed: Path) -> int:
    nb = nbformat.read(executed, as_version=4)
    return sum("image/svg+xml" in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.outputs)


# ------------------------------------------------------------------------------ sample clients

def test_report_folder_layout(sample_report):
    config, folder = sample_report
    client = load_config(config).client
    assert folder.parent.name == slugify(client)
    assert re.fullmatch(r"\d{8}T\d{6}Z", folder.name)
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.yaml", "index.html", "segmentation.html", "segmentation.ipynb", "summary.json"]
    # nothing left behind: no temporary or failed folders beside the report
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_summary_json_records_the_run_and_the_segmentation(sample_report):
    config_path, folder = sample_report
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    config = load_config(config_path)
    assert summary["client"] == config.client
    assert summary["seed"] == config.seed
    assert summary["techseg_version"] == techseg_lib.__version__
    seg = summary["segmentation"]
    counts, shares = seg["purpose_counts"], seg["purpose_shares"]
    assert set(counts) == set(shares) == {"IT", "OT", "CT"}
    assert sum(counts.values()) == seg["items"] > 0
    for p in counts:
        assert shares[p] == pytest.approx(counts[p] / seg["items"], abs=5e-5)
    assert 0 <= seg["needs_review"] <= seg["items"] and 0 <= seg["shadow_it"] <= seg["items"]
    for axis in ("customer_score", "ecosystem_score"):
        assert 0 <= seg[axis] <= 100
    assert seg["quadrant"] == QUADRANTS[(seg["customer_score"] >= 50, seg["ecosystem_score"] >= 50)]
    # the notebook wrote exactly what the library computes (no logic in the notebook)
    assert seg == json.loads(json.dumps(segmentation.run(config).summary()))


def test_html_has_no_code_and_no_external_references(sample_report):
    _, folder = sample_report
    for name in ("segmentation.html", "index.html"):
        page = (folder / name).read_text(encoding="utf-8")
        assert find_external_references(page) == [], name
        assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I), name
    page = (folder / "segmentation.html").read_text(encoding="utf-8")
    # code input would be an editor block with highlighted Python (Markdown cells stay)
    assert not re.search(r'class="[^"]*\b(jp-InputArea-editor|jp-CodeMirrorEditor|hl-ipython3)\b',
                         page)
    for marker in CODE_MARKERS:
        assert marker not in page
    executed = folder / "segmentation.ipynb"
    charts = svg_outputs(executed)
    assert charts >= 5  # mix by count (and spend), grid, 2x2, components, shadow IT
    assert page.count('src="data:image/svg+xml') == charts
    assert "Business-model position" in page and "Items to review" in page


# ----------------------------------------------------------------------- hostile client in Chromium

def test_hostile_client_report_in_chromium(hostile_report):
    _, folder = hostile_report
    charts = svg_outputs(folder / "segmentation.ipynb")
    result = browser.open_html(folder / "segmentation.html", expect_charts=charts,
                               selectors=INJECTION_SELECTORS)
    assert charts >= 5 and result.svg_images == charts == result.charts_drawn
    assert result.contains_text(HOSTILE_ITEM)
    assert result.contains_text(FORMULA_ITEM)
    assert result.contains_text(load_config(HOSTILE_CONFIG).client)
    assert result.selector_counts == {s: 0 for s in INJECTION_SELECTORS}
    assert result.dialogs == []
    assert result.external_requests == [] and result.log.websockets == []
    assert result.console_errors == []


def test_hostile_client_index_in_chromium(hostile_report):
    _, folder = hostile_report
    result = browser.open_html(folder / "index.html", selectors=INJECTION_SELECTORS)
    assert result.contains_text(load_config(HOSTILE_CONFIG).client)
    assert result.selector_counts == {s: 0 for s in INJECTION_SELECTORS}
    assert result.dialogs == [] and result.external_requests == []


def test_hostile_text_is_kept_verbatim_in_summary(hostile_report):
    _, folder = hostile_report
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["client"] == load_config(HOSTILE_CONFIG).client
    assert summary["segmentation"]["shadow_it"] == 2


# ------------------------------------------------------------------------------ atomic folders

def test_an_earlier_report_is_never_overwritten(hostile_report):
    out, first = hostile_report
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    second = render(HOSTILE_CONFIG, out)
    assert second != first and second.parent == first.parent
    assert re.fullmatch(r"\d{8}T\d{6}Z(-\d+)?", second.name)  # "-2" when in the same second
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    assert (second / "summary.json").is_file()


def test_failing_notebook_keeps_partial_output_and_names_the_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(pipeline.NOTEBOOKS / "segmentation.ipynb", as_version=4)
    position = next(i for i, c in enumerate(nb.cells) if "segmentation.run(" in c.source) + 1
    nb.cells.insert(position, nbformat.v4.new_code_cell(
        'raise RuntimeError("deliberate failure after the analysis ran")'))
    nbformat.write(nb, notebooks / "segmentation.ipynb")
    out = tmp_path / "reports"
    with pytest.raises(ReportError) as info:
        render(SAMPLES["advisory_firm"], out, notebooks=notebooks)
    message = str(info.value)
    assert "\n" not in message
    assert f"cell {position + 1} " in message  # 1-based, counting every cell of the notebook
    assert 'raise RuntimeError("deliberate failure' in message
    assert "RuntimeError: deliberate failure after the analysis ran" in message
    client_dir = out / slugify(load_config(SAMPLES["advisory_firm"]).client)
    folders = [p.name for p in client_dir.iterdir()]
    assert len(folders) == 1 and folders[0].endswith(".failed")
    partial = client_dir / folders[0] / "segmentation.ipynb"
    assert info.value.partial_notebook == partial and str(partial) in message
    executed = nbformat.read(partial, as_version=4)
    ran = [c for c in executed.cells if c.cell_type == "code" and c.execution_count is not None]
    assert any("segmentation.run(" in c.source for c in ran)  # cells before the failure ran
    assert not any("save_summary(" in c.source for c in ran)  # cells after it did not
    assert not (client_dir / folders[0] / "summary.json").exists()


def test_bad_config_writes_nothing(tmp_path):
    config = tmp_path / "client.yaml"
    text = HOSTILE_CONFIG.read_text(encoding="utf-8").replace("service_provider", "bakery")
    config.write_text(text, encoding="utf-8")
    for name in ("portfolio.csv", "assessment.yaml"):
        shutil.copy(HOSTILE_CONFIG.parent / name, tmp_path / name)
    with pytest.raises(ConfigError, match="archetype"):
        render(config, tmp_path / "reports")
    assert not (tmp_path / "reports").exists()


def test_relative_output_folder(tmp_path, monkeypatch):
    """`techseg report CONFIG --out reports` from the shell: a relative --out must work."""
    from techseg_lib.pipeline import ANALYSES, render_report

    config = Path(__file__).resolve().parents[1] / "data/samples/advisory_firm/client.yaml"
    monkeypatch.chdir(tmp_path)
    folder = render_report(config, "reports", analyses=ANALYSES[:1])
    assert (tmp_path / folder / "summary.json").is_file()


def test_notebooks_side_by_side_give_the_same_report_as_one_after_another(tmp_path):
    config = SAMPLES["advisory_firm"]
    messages: dict[int, list[str]] = {1: [], 3: []}
    folders = {n: pipeline.render_report(config, tmp_path / f"w{n}", workers=n,
                                         progress=messages[n].append) for n in (1, 3)}
    assert ((folders[1] / "summary.json").read_bytes()
            == (folders[3] / "summary.json").read_bytes())
    names = {n: sorted(p.name for p in folder.iterdir()) for n, folder in folders.items()}
    assert names[1] == names[3]
    titles = [a.title for a in pipeline.ANALYSES]
    client = load_config(config).client
    assert messages[1] == [f"{client}: {t}" for t in titles]  # as each starts, in order
    assert sorted(messages[3]) == sorted(f"{client}: {t} {pipeline.DONE_MARK}" for t in titles)


def test_a_failing_notebook_beside_others_keeps_their_output(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for analysis in pipeline.ANALYSES:
        shutil.copy(pipeline.NOTEBOOKS / analysis.notebook, notebooks / analysis.notebook)
    nb = nbformat.read(notebooks / "segmentation.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("deliberate late failure")'))
    nbformat.write(nb, notebooks / "segmentation.ipynb")
    out = tmp_path / "reports"
    with pytest.raises(ReportError, match="deliberate late failure"):
        pipeline.render_report(SAMPLES["advisory_firm"], out, notebooks=notebooks, workers=3)
    (failed,) = (out / slugify(load_config(SAMPLES["advisory_firm"]).client)).iterdir()
    assert failed.name.endswith(".failed")
    others = [a.name for a in pipeline.ANALYSES if a.name != "segmentation"]
    assert all((failed / f"{name}.html").is_file() for name in others)  # the others finished
