"""Tests of techseg_lib.reporting: papermill execution, offline HTML, hostile text, atomic folders.

The browser checks open the rendered HTML in real headless Chromium (tests/browser.py) with no
network: Chromium runs in its own network namespace where possible, and every non-local request
is aborted and recorded.
"""
from __future__ import annotations

import concurrent.futures
import html
import json
import os
import re
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from techseg_lib import reporting
from techseg_lib.errors import ConfigError, ReportError
from techseg_lib.reporting import (
    IndexEntry,
    ReportDir,
    check_parameters,
    execute_notebook,
    find_external_references,
    notebook_to_html,
    report_dir,
    safe_markdown,
    safe_text,
    slugify,
    utc_timestamp,
    write_index,
)

try:  # tests/ as a package or as a plain folder on sys.path (pytest's default "prepend" mode)
    from tests import browser
except ImportError:  # pragma: no cover - depends on how pytest is invoked
    import browser
open_html = browser.open_html

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notebooks"
REPORT_NB = FIXTURES / "report_fixture.ipynb"
RAISING_NB = FIXTURES / "raises_in_third_cell.ipynb"

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_BREAKOUT = "</script><script>alert(2)</script>"
HOSTILE_CLIENT = "<b>Evil</b> [click](javascript:alert(3)) *Co* http://evil.example"

EXTERNAL_SCRIPT_RE = re.compile(r"<script[^>]*\ssrc\s*=\s*[\"']?(https?:)?//", re.I)
EXTERNAL_LINK_RE = re.compile(r"<link[^>]*\shref\s*=\s*[\"']?(https?:)?//", re.I)
# Selectors whose matches would mean client text became markup.
INJECTION_SELECTORS = ("img[onerror]", "img[src='x']", "script[src]", "a[href^='javascript']", "h2 b")



@pytest.fixture(scope="module", params=["svg", "interactive"])
def rendered(request, tmp_path_factory):
    """The fixture notebook executed with one chart renderer and rendered to HTML."""
    renderer = request.param
    out = tmp_path_factory.mktemp(f"render-{renderer}")
    executed = execute_notebook(REPORT_NB, out / "fixture.ipynb",
                                {"client_name": HOSTILE_CLIENT, "renderer": renderer}, cwd=out)
    page = notebook_to_html(executed, out / "fixture.html", title=f"Report for {HOSTILE}")
    return renderer, executed, page


# --------------------------------------------------------------------------------------------
# Execution and rendering
# --------------------------------------------------------------------------------------------

def test_rendered_html_is_self_contained_and_has_no_code(rendered):
    renderer, executed, page = rendered
    text = page.read_text(encoding="utf-8")
    assert not EXTERNAL_SCRIPT_RE.search(text)
    assert not EXTERNAL_LINK_RE.search(text)
    assert find_external_references(text) == []
    # no code cells: the source of a code cell must not appear
    # no code cells and no prompts (nbconvert's lab template would show all of these)
    for marker in ("enable_chart_renderer", "hl-ipython3", 'jp-InputArea-editor"',
                   'class="jp-InputPrompt', 'class="jp-OutputPrompt'):
        assert marker not in text, marker
    nb = nbformat.read(executed, as_version=4)
    assert nb.metadata.papermill.parameters["renderer"] == renderer
    if renderer == "interactive":
        # the vega bundle is inlined exactly once, and each chart keeps its vega-embed div
        import vl_convert as vlc
        from altair.vegalite.v6 import display as d
        probe = vlc.javascript_bundle(vl_version=".".join(d.VEGALITE_VERSION.split(".")[:2]))[:300]
        assert text.count(probe) == 1
        assert len(re.findall(r'<div id="altair-viz-[0-9a-f]{32}"></div>', text)) == 2
    else:
        assert text.count('src="data:image/svg+xml;base64,') == 2


def test_rendered_html_draws_charts_offline_in_chromium(rendered):
    renderer, _, page = rendered
    result = open_html(page, expect_charts=2, selectors=INJECTION_SELECTORS)
    assert result.external_requests == []
    assert result.log.websockets == []
    assert result.console_errors == []
    assert result.charts_drawn == 2
    if renderer == "interactive":
        assert result.vega_embeds == 2 and result.drawn_embeds == 2
        assert result.embed_canvases + result.embed_svgs >= 2
    else:
        assert result.svg_images == 2


def test_hostile_client_text_is_shown_as_text(rendered):
    _, _, page = rendered
    result = open_html(page, expect_charts=2, selectors=INJECTION_SELECTORS)
    assert result.contains_text(HOSTILE)            # DataFrame cell shown literally
    assert result.contains_text(SCRIPT_BREAKOUT)    # script break-out shown literally
    assert result.contains_text(f"Portfolio of {HOSTILE_CLIENT}")  # Markdown via safe_markdown
    assert result.title == f"Report for {HOSTILE}"
    assert result.dialogs == []
    assert result.selector_counts == {s: 0 for s in INJECTION_SELECTORS}


@pytest.mark.parametrize("rendered", ["svg"], indirect=True)  # static SVG comes from the svg renderer
def test_inline_svg_option_puts_svg_elements_in_the_page(rendered, tmp_path):
    _, executed, _ = rendered
    page = notebook_to_html(executed, tmp_path / "inline.html", inline_svg=True)
    result = open_html(page, expect_charts=2, selectors=INJECTION_SELECTORS + ("svg.marks text",))
    assert result.inline_svgs == 2 and result.svg_images == 0
    assert result.selector_counts.pop("svg.marks text") > 0  # axis labels drawn as SVG text
    assert result.selector_counts == {s: 0 for s in INJECTION_SELECTORS}
    assert result.external_requests == [] and result.dialogs == []
    assert result.contains_text(HOSTILE)


def test_failing_cell_is_named_and_partial_notebook_kept(tmp_path):
    # Run inside a ReportDir, as `techseg report` does: the error must point at the kept file
    # in the .failed folder, not at the temporary folder that no longer exists.
    with pytest.raises(ReportError) as info:
        with ReportDir(tmp_path, "acme", "20261126T235959Z") as rd:
            execute_notebook(RAISING_NB, rd.work / "raising.ipynb", {"x": 5})
    err = info.value
    message = str(err)
    assert "\n" not in message
    assert str(RAISING_NB) in message
    assert "cell 3 " in message and "In [4]" in message
    assert 'raise ValueError(f"boom: y is {y}")' in message
    assert "ValueError: boom: y is 6" in message
    failed = tmp_path / "acme" / "20261126T235959Z.failed" / "raising.ipynb"
    assert str(failed) in message
    assert err.partial_notebook == failed and err.cell_number == 3
    assert rd.failed_path == failed.parent and rd.path is None
    assert not (tmp_path / "acme" / "20261126T235959Z").exists()
    assert [p.name for p in (tmp_path / "acme").iterdir()] == ["20261126T235959Z.failed"]
    nb = nbformat.read(failed, as_version=4)
    never_run = [c for c in nb.cells if c.cell_type == "code" and "never reached" in c.source]
    assert len(never_run) == 1 and never_run[0].execution_count is None
    assert any(o.get("ename") == "ValueError" for c in nb.cells for o in c.get("outputs", []))


def tagged_notebook(path: Path, code: str) -> Path:
    """Write a notebook at ``path``: a ``parameters`` cell setting ``tag = ""``, then ``code``."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell('tag = ""', metadata={"tags": ["parameters"]}),
               nbformat.v4.new_code_cell(code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)
    return path


def test_kernel_imports_this_techseg_lib_and_gets_extra_env(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTHONPATH", raising=False)
    src = tagged_notebook(tmp_path / "env.ipynb",
                          "import os, techseg_lib.reporting as r\n"
                          "print(os.environ.get('TECHSEG_TEST_ENV'), tag, r.__file__)")
    out = execute_notebook(src, tmp_path / "out" / "env.ipynb", {"tag": "t1"}, cwd=tmp_path,
                           env={"TECHSEG_TEST_ENV": "yes"})
    printed = nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"].split()
    assert printed == ["yes", "t1", reporting.__file__]


def test_kernel_runs_in_cwd_without_moving_the_callers_folder(tmp_path):
    # papermill's own `cwd` os.chdir-s the whole process while the notebook runs (papermill
    # issue #473): the report pipeline runs notebooks in threads, so one notebook moved the
    # others' relative paths, and `techseg report` failed renaming its relative work folder
    src = tagged_notebook(tmp_path / "cwd.ipynb",
                          "import os, time\ntime.sleep(1)\nprint(os.getcwd())")
    kernel_dir = tmp_path / "kernel here"
    kernel_dir.mkdir()
    caller = os.getcwd()
    seen = set()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        running = pool.submit(execute_notebook, src, tmp_path / "out" / "cwd.ipynb", {"tag": "t"},
                              cwd=kernel_dir)
        while not running.done():
            seen.add(os.getcwd())
            time.sleep(0.005)
        out = running.result()
    assert seen == {caller}
    printed = nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"].strip()
    assert printed == str(kernel_dir.resolve())


def test_kernel_traffic_is_encrypted_where_zmq_can(tmp_path, capfd):
    # ipykernel 7 warns on stderr, in every report run, that a kernel without CurveZMQ keys
    # sends code and outputs in plain text; the kernel manager now provisions the keys
    zmq = pytest.importorskip("zmq")
    if not zmq.has("curve"):
        pytest.skip("this libzmq has no CurveZMQ")
    src = tagged_notebook(tmp_path / "quiet.ipynb", "print(tag)")
    capfd.readouterr()
    out = execute_notebook(src, tmp_path / "out" / "quiet.ipynb", {"tag": "t"})
    assert "without encryption" not in capfd.readouterr().err
    assert nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"] == "t\n"


def test_kernel_skips_the_slow_iri_parser_and_still_validates_charts(tmp_path):
    code = ("import sys, altair as alt\n"
            "chart = alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x='a:Q')\n"
            "chart.to_dict(validate=True)\n"
            "try:\n"
            "    alt.Chart(alt.Data(values=[])).mark_bar().encode(x='a:Q', y='b:nonsense')"
            ".to_dict()\n"
            "    refused = False\n"
            "except Exception:\n"
            "    refused = True\n"
            "print(sys.modules.get('rfc3987_syntax', 'missing'), refused)")
    src = tagged_notebook(tmp_path / "iri.ipynb", code)
    out = execute_notebook(src, tmp_path / "out" / "iri.ipynb", {"tag": "t"}, cwd=tmp_path)
    printed = nbformat.read(out, as_version=4).cells[-1].outputs[0]["text"].split()
    assert printed == ["None", "True"]  # the module is marked absent; bad specs are still refused


# --------------------------------------------------------------------------------------------
# Parameters: papermill injects names verbatim
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "__import__('os').system('touch PWNED'); z",
    "x=1;import os;os.system('touch PWNED');y",
    "class",
    "1x",
    "x.y",
    "not_declared",
])
def test_parameter_names_are_checked_before_anything_runs(tmp_path, name):
    out = tmp_path / "out.ipynb"
    with pytest.raises(ConfigError) as info:
        execute_notebook(RAISING_NB, out, {name: 1}, cwd=tmp_path)
    assert repr(name) in str(info.value)
    assert "allowed: x" in str(info.value)
    assert not out.exists() and not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize("value", [object(), {1: "a"}, [1, {"k": b"bytes"}]])
def test_parameter_values_must_be_plain_data(value):
    with pytest.raises(ConfigError, match="report parameter 'x'"):
        check_parameters(RAISING_NB, {"x": value})


def test_plain_parameters_pass_the_check():
    check_parameters(RAISING_NB, {"x": [1, 2.5, "a", None, True, {"k": [1]}]})
    check_parameters(RAISING_NB, {})


def test_missing_notebook_is_a_report_error(tmp_path):
    with pytest.raises(ReportError, match="not found"):
        execute_notebook(tmp_path / "nope.ipynb", tmp_path / "out.ipynb")


# --------------------------------------------------------------------------------------------
# HTML safety checks that need no kernel
# --------------------------------------------------------------------------------------------

def _notebook_with_output(tmp_path, bundle):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("display_data", data=bundle)]
    nb.cells = [cell]
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def test_altair_default_renderer_with_script_breakout_is_refused(tmp_path):
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"name": [SCRIPT_BREAKOUT], "v": [1]})).mark_bar().encode(x="v", y="name")
    with alt.renderers.enable("default"):
        bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert SCRIPT_BREAKOUT in bundle["text/html"]  # the hole this check exists for
    path = _notebook_with_output(tmp_path, {k: v for k, v in bundle.items() if k in ("text/html", "text/plain")})
    with pytest.raises(ReportError, match="enable_chart_renderer"):
        notebook_to_html(path, tmp_path / "out.html")
    assert not (tmp_path / "out.html").exists()


def test_interactive_renderer_escapes_chart_data():
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"name": [SCRIPT_BREAKOUT, "<!--x"], "v": [1, 2]})).mark_bar().encode(x="v", y="name")
    previous = alt.renderers.active
    try:
        reporting.enable_chart_renderer("interactive")
        bundle = chart._repr_mimebundle_()
    finally:
        alt.renderers.enable(previous)
    page = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
    assert page.lower().count("</script") == 1 and "<!--" not in page
    spec_json = page[page.index("})(") + 3: page.rindex(", {")]
    assert json.loads(spec_json)["datasets"]  # still valid JSON
    assert SCRIPT_BREAKOUT in json.dumps(json.loads(spec_json), ensure_ascii=False)


def test_unknown_renderer_is_a_config_error():
    with pytest.raises(ConfigError, match="allowed: 'svg'"):
        reporting.enable_chart_renderer("png")


def test_external_references_are_found():
    page = """
    <script src="https://cdn.jsdelivr.net/npm/vega@6"></script>
    <link rel="stylesheet" href="//cdnjs.cloudflare.com/x.css">
    <img alt="" src='http://example.com/a.png'>
    <style>@import url("https://fonts.googleapis.com/css");</style>
    <a href="https://example.com/ok">a link is not fetched</a>
    <script>var ok = 1;</script><img src="data:image/png;base64,AAAA">
    """
    assert find_external_references(page) == [
        "https://cdn.jsdelivr.net/npm/vega@6", "//cdnjs.cloudflare.com/x.css",
        "http://example.com/a.png", "https://fonts.googleapis.com/css",
    ]


def test_markdown_with_external_image_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("![logo](https://example.com/logo.png)")])
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(ReportError, match="https://example.com/logo.png"):
        notebook_to_html(path, tmp_path / "out.html")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60)
       | st.sampled_from([HOSTILE, SCRIPT_BREAKOUT, HOSTILE_CLIENT, "1. x", "# h", "    code", "&amp;",
                          "a | b\n---|---", "$x$", "<http://x>", "www.example.com", "a@b.co", "~~s~~"]))
def test_safe_markdown_renders_as_literal_text(value):
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    rendered = markdown2html_mistune(safe_markdown(value)).strip()
    expected = " ".join(value.split())
    if not expected:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>")
    inner = rendered[3:-4]
    assert "<" not in inner  # no element of any kind
    assert html.unescape(inner) == expected


def test_safe_text():
    assert safe_text(HOSTILE) == "&lt;img src=x onerror=alert(1)&gt;"
    assert safe_text('"\'&') == "&quot;&#x27;&amp;"
    assert safe_text(None) == ""


# --------------------------------------------------------------------------------------------
# Atomic report folders
# --------------------------------------------------------------------------------------------

TS = "20261126T235959Z"


def test_report_dir_renames_on_success(tmp_path):
    with report_dir(tmp_path, "acme-ltd", TS) as rd:
        assert rd.work.parent == tmp_path / "acme-ltd" and rd.work.name.startswith(".")
        (rd.work / "summary.json").write_text("{}")
        assert not (tmp_path / "acme-ltd" / TS).exists()  # nothing visible until the end
    assert rd.path == tmp_path / "acme-ltd" / TS
    assert (rd.path / "summary.json").read_text() == "{}"
    assert [p.name for p in (tmp_path / "acme-ltd").iterdir()] == [TS]


def test_report_dir_never_overwrites(tmp_path):
    earlier = tmp_path / "acme" / TS
    earlier.mkdir(parents=True)
    (earlier / "summary.json").write_text("earlier")
    (tmp_path / "acme" / f"{TS}-2").mkdir()  # even an empty folder is not reused
    paths = []
    for i in range(2):
        with ReportDir(tmp_path, "acme", TS) as rd:
            (rd.work / "summary.json").write_text(f"new {i}")
        paths.append(rd.path)
    assert [p.name for p in paths] == [f"{TS}-3", f"{TS}-4"]
    assert (earlier / "summary.json").read_text() == "earlier"
    assert (paths[0] / "summary.json").read_text() == "new 0"


def test_report_dir_loses_a_race_without_overwriting(tmp_path, monkeypatch):
    real_rename = os.rename
    target = tmp_path / "acme" / TS

    def racing_rename(src, dst):
        if Path(dst) == target and not target.exists():  # another process finishes first
            target.mkdir()
            (target / "summary.json").write_text("other process")
        return real_rename(src, dst)

    monkeypatch.setattr(reporting.os, "rename", racing_rename)
    with ReportDir(tmp_path, "acme", TS) as rd:
        (rd.work / "summary.json").write_text("mine")
    assert rd.path == tmp_path / "acme" / f"{TS}-2"
    assert (target / "summary.json").read_text() == "other process"
    assert (rd.path / "summary.json").read_text() == "mine"


def test_report_dir_keeps_failed_output(tmp_path):
    for attempt in range(2):
        with pytest.raises(RuntimeError) as info:
            with ReportDir(tmp_path, "acme", TS) as rd:
                (rd.work / "partial.ipynb").write_text(str(attempt))
                raise RuntimeError("boom")
        assert any("partial report output kept in" in n for n in info.value.__notes__)
    failed = sorted(p.name for p in (tmp_path / "acme").iterdir())
    assert failed == [f"{TS}.failed", f"{TS}.failed-2"]
    assert (tmp_path / "acme" / f"{TS}.failed-2" / "partial.ipynb").read_text() == "1"
    assert rd.path is None


@pytest.mark.parametrize("slug, ts", [("Acme Ltd", TS), ("../x", TS), ("", TS), ("acme", "2026-11-26"),
                                      ("acme", "../20261126T235959Z")])
def test_report_dir_rejects_unsafe_names(tmp_path, slug, ts):
    with pytest.raises(ReportError):
        ReportDir(tmp_path, slug, ts)


def test_utc_timestamp():
    assert re.fullmatch(r"\d{8}T\d{6}Z", utc_timestamp())
    tz = timezone(timedelta(hours=-5))
    assert utc_timestamp(datetime(2026, 11, 26, 20, 30, 1, tzinfo=tz)) == "20261127T013001Z"
    assert utc_timestamp(datetime(2026, 1, 2, 3, 4, 5)) == "20260102T030405Z"


@pytest.mark.parametrize("name, slug", [
    ("Acme Ltd", "acme-ltd"),
    ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
    ("  --Weird__Name!!  ", "weird-name"),
    (HOSTILE, "img-src-x-onerror-alert-1"),
    ("../../etc/passwd", "etc-passwd"),
])
def test_slugify_examples(name, slug):
    assert slugify(name) == slug


@given(st.text(max_size=200))
def test_slugify_is_a_safe_folder_name(name):
    slug = slugify(name)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
    assert len(slug) <= 60
    assert slugify(slug) == slug


def test_slugify_keeps_non_latin_names_apart():
    assert slugify("株式会社A") != slugify("株式会社")
    assert slugify("株式会社").startswith("client-") and slugify("東京") != slugify("大阪")


# --------------------------------------------------------------------------------------------
# index.html
# --------------------------------------------------------------------------------------------

def test_index_escapes_text_and_links_relatively(tmp_path):
    (tmp_path / "segmentation.html").write_text("<p>ok</p>")
    summary = {"client": HOSTILE, "seed": 42, "techseg_version": "0.1.0", "archetype": "manufacturer",
               "config": "data/samples/acme/client.yaml"}
    index = write_index(tmp_path, f"Report {SCRIPT_BREAKOUT}", [
        IndexEntry("Segmentation", "segmentation.html", f"Purpose mix of {HOSTILE}"),
        {"title": "Strategy & risk", "href": "strategy report.html"},
        ("Security", "security.html#top"),
    ], summary)
    text = index.read_text(encoding="utf-8")
    assert "<img" not in text and "<script" not in text
    assert find_external_references(text) == []
    assert 'href="segmentation.html"' in text and 'href="strategy%20report.html"' in text
    assert 'href="security.html#top"' in text

    result = open_html(index, selectors=("a", "img", "script", "b"))
    assert result.external_requests == [] and result.dialogs == []
    assert result.selector_counts == {"a": 3, "img": 0, "script": 0, "b": 0}
    for expected in (HOSTILE, "Purpose mix of " + HOSTILE, "Strategy & risk", "42", "0.1.0",
                     "manufacturer", "data/samples/acme/client.yaml", SCRIPT_BREAKOUT):
        assert result.contains_text(expected), expected


def test_index_date_from_report_folder_name(tmp_path):
    folder = tmp_path / "20261126T235959Z"
    folder.mkdir()
    text = write_index(folder, "Report", [], {"client": "Acme", "seed": 1}).read_text()
    assert "2026-11-26 23:59 UTC" in text


@pytest.mark.parametrize("href", ["https://evil.example/x.html", "//evil.example/x", "/etc/passwd",
                                  "../other/report.html", "javascript:alert(1)"])
def test_index_rejects_non_relative_links(tmp_path, href):
    with pytest.raises(ReportError, match="relative"):
        write_index(tmp_path, "Report", [("x", href)], {"client": "Acme", "seed": 1})


# --------------------------------------------------------------------------------------------
# The harness itself must be able to see failures
# --------------------------------------------------------------------------------------------

def test_browser_harness_sees_external_requests_and_dialogs(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<script src="https://cdn.jsdelivr.net/npm/vega@6"></script>'
        '<link rel="stylesheet" href="http://example.com/x.css">'
        f"</head><body><p>hello</p>{HOSTILE}<script>fetch('https://example.org/beacon').catch(() => 0)</script>"
        "</body></html>"
    )
    result = open_html(page, selectors=("img[onerror]",))
    assert {"https://cdn.jsdelivr.net/npm/vega@6", "http://example.com/x.css",
            "https://example.org/beacon"} <= set(result.external_requests)
    assert result.dialogs == ["alert: 1"]
    assert result.selector_counts["img[onerror]"] == 1
    assert result.contains_text("hello") and not result.contains_text(HOSTILE)


def test_altair_default_html_is_blank_offline(tmp_path):
    """Without the offline template's inlined bundle, Altair's default output draws nothing."""
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})).mark_bar().encode(x="a", y="b")
    page = tmp_path / "chart.html"
    chart.save(page, inline=False)
    result = open_html(page, expect_charts=1, timeout_ms=2500)
    assert result.charts_drawn == 0
    assert any("cdn.jsdelivr.net" in u for u in result.external_requests)


@pytest.mark.parametrize("ci, outcome", [("", pytest.skip.Exception), ("true", pytest.fail.Exception)])
def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="scripts/ensure_chromium.sh"):
        browser.require_chromium()


def test_chart_labels_stay_inside_the_chart_in_a_wider_fallback_font(tmp_path):
    # A viewer without Liberation Sans, Arial or Helvetica draws the SVG's text in a wider font
    # (DejaVu Sans is 12-16% wider at 12 px). Simulated here on any machine: the page draws all
    # chart text 16% larger. The y-axis labels are right-aligned, so they grow to the left; the
    # theme's left padding (techseg_lib.charts.PADDING) must keep them inside the SVG.
    from techseg_lib.charts.executive import highlights

    summary = {"strategy": {
        "disruptor": {"mean": 0.3, "p5": -1.5, "p95": 7.0, "p_loss": 0.7},
        "alternative": {"mean": 0.3, "p5": 0.1, "p95": 0.6, "p_loss": 0.01},
        "p_alternative_wins": 0.7}}
    svg = re.sub(r"^<\?xml[^>]*>", "", highlights(summary)[0].svg().strip())
    page = tmp_path / "chart.html"
    page.write_text("<!DOCTYPE html><html><head><style>body { margin: 40px; } "
                    "svg text { font-size: 13.92px !important; }</style></head>"
                    f"<body>{svg}</body></html>", encoding="utf-8")
    with browser.browser_page() as (tab, _log):
        tab.goto(page.as_uri())
        spill = tab.evaluate("""() => {
            const box = document.querySelector('svg').getBoundingClientRect();
            return [...document.querySelectorAll('svg text')]
                .map(t => [t.textContent, box.left - t.getBoundingClientRect().left])
                .filter(([, over]) => over > 0.5);
        }""")
    assert spill == [], f"text spills left of the chart (label, px): {spill}"
