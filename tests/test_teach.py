"""``techseg teach``: Voila serves the teaching notebooks; each page works in headless Chromium.

The browser test starts ``python -m techseg_lib.teach`` (what ``techseg teach`` runs) on a free
loopback port, opens each teaching page in headless Chromium, waits for the widgets (they need
the websocket to the page's kernel), moves a slider or clicks a toggle and checks that the chart
changes. Chromium must reach loopback, so it does not run in a network namespace here; instead
every request that does not go to the test's server is aborted and recorded, and the test
asserts that the only ones are the FontAwesome CSS that Voila's template links (icons only).

Without Chromium, playwright or voila the browser test is skipped, except in CI (``CI`` set),
where it fails.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest

from techseg_lib import teach
from techseg_lib.errors import ConfigError

try:  # rootdir on sys.path (python -m pytest) or tests/ (pytest's rootdir-less import mode)
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, in_ci, require_chromium
except ImportError:  # pragma: no cover - depends on how pytest was started
    from browser import CHROMIUM, CHROMIUM_ARGS, in_ci, require_chromium

ROOT = Path(__file__).resolve().parents[1]

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the browser tests then skip (or fail in CI) through require_chromium
    class PlaywrightTimeout(Exception):  # type: ignore[no-redef]
        """Stand-in so that this module imports without playwright."""

# Voila's "lab" template links these (icons); nothing else may leave the machine.
ALLOWED_EXTERNAL = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)

STARTUP_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 120_000  # voila runs the whole notebook before it sends the page
# Voila 0.5.13 now and then leaves a page on "Executing 1 of 3" although the kernel has gone
# idle (seen about once in ten runs of this module on a loaded 2-core machine; see
# voila-dashboards/voila#1395 and #1446). A page normally loads in 3-15 s, so a first load that
# takes longer than this is abandoned and the page is opened once more, with a warning.
FIRST_LOAD_TIMEOUT_MS = 45_000
CHANGE_TIMEOUT_MS = 60_000


# ------------------------------------------------------------------------------------------------
# Command line and environment (no server)
# ------------------------------------------------------------------------------------------------

def test_voila_command_serves_the_teaching_folder_without_code():
    command = teach.voila_command(8866, "127.0.0.1")
    assert command[:4] == [sys.executable, "-m", "voila", str(teach.TEACHING_DIR)]
    for option in ("--port=8866", "--Voila.ip=127.0.0.1", "--strip_sources=True",
                   "--show_tracebacks=False", "--Voila.port_retries=0",
                   "--Voila.open_browser=False"):
        assert option in command
    assert not any("token" in c for c in command)
    assert "--Voila.open_browser=True" in teach.voila_command(9000, "localhost", open_browser=True)
    assert "--Voila.auto_token=True" in teach.voila_command(9000, "0.0.0.0")
    for name in teach.NOTEBOOKS:
        assert (teach.TEACHING_DIR / name).is_file()


def test_kernels_use_unix_sockets_in_the_private_folder_when_the_path_fits(tmp_path):
    assert not any("transport" in c for c in teach.voila_command(8866, "127.0.0.1"))
    short = tmp_path / "rt"
    command = teach.voila_command(8866, "127.0.0.1", runtime_dir=short)
    assert f"--Voila.connection_dir_root={short}" in command
    assert ("--KernelManager.transport=ipc" in command) == teach.ipc_fits(short)
    long = tmp_path / ("x" * 80)
    assert not teach.ipc_fits(long)
    command = teach.voila_command(8866, "127.0.0.1", runtime_dir=long)
    assert f"--Voila.connection_dir_root={long}" in command
    assert "--KernelManager.transport=ipc" not in command


@pytest.mark.parametrize("port, host", [(0, "127.0.0.1"), (70000, "127.0.0.1"), ("80", "x"),
                                        (True, "127.0.0.1"), (8866, ""), (8866, "a b")])
def test_voila_command_rejects_bad_port_or_host(port, host):
    with pytest.raises(ConfigError, match="port|host"):
        teach.voila_command(port, host)


def test_loopback_detection():
    assert all(map(teach.is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(teach.is_loopback, ["0.0.0.0", "192.168.1.4", "example.org", "::"]))
    assert teach.notebook_url(8866, "::1", "a.ipynb") == "http://[::1]:8866/voila/render/a.ipynb"


def test_prepare_environment_isolates_jupyter_and_draws_charts_as_svg(tmp_path):
    env = teach.prepare_environment(tmp_path, {"PYTHONPATH": "/elsewhere", "HOME": "/home/x"})
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        assert Path(env[name]).is_dir() and Path(env[name]).is_relative_to(tmp_path)
    assert env["PYTHONPATH"].split(os.pathsep) == [str(teach.REPO_ROOT), "/elsewhere"]
    assert env["HOME"] == "/home/x"
    startup = Path(env["IPYTHONDIR"]) / "profile_default" / "startup"
    code = "".join(p.read_text() for p in startup.glob("*.py"))
    # run the startup code the way a kernel does and check Altair's renderer afterwards
    result = subprocess.run(
        [sys.executable, "-c",
         f"exec(compile({code!r}, 'startup', 'exec')); import altair; "
         "print(altair.renderers.active)"],
        capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "svg"


# ------------------------------------------------------------------------------------------------
# The app in a real browser
# ------------------------------------------------------------------------------------------------

def _require_voila() -> None:
    if importlib.util.find_spec("voila") is None:
        message = "voila is not installed (pip install -e '.[teach]')"
        if in_ci():
            pytest.fail(f"teaching app test cannot run in CI: {message}", pytrace=False)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The running app: its base URL and the file voila logs to."""

    def __init__(self, base: str, log_path: Path):
        self.base = base
        self.log_path = log_path

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _stop_server(process: subprocess.Popen) -> None:
    """SIGTERM (teach stops voila, voila its kernels); then kill whatever is left of the group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``python -m techseg_lib.teach`` on a free loopback port; yields its base URL."""
    require_chromium()
    _require_voila()
    log_path = tmp_path_factory.mktemp("teach") / "voila.log"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "techseg_lib.teach", "--port", str(port), "--host", "127.0.0.1"],
            stdout=log, stderr=subprocess.STDOUT, cwd=str(ROOT), start_new_session=True)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT_S
            while True:
                if process.poll() is not None:
                    pytest.fail(f"techseg teach exited with {process.returncode}:\n"
                                + log_path.read_text(errors="replace"))
                try:
                    with urllib.request.urlopen(base, timeout=2) as response:
                        if response.status == 200:
                            break
                except (urllib.error.URLError, OSError):
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"voila did not answer on {base} within {STARTUP_TIMEOUT_S} s:\n"
                                + log_path.read_text(errors="replace"))
                time.sleep(0.3)
            yield Server(base, log_path)
        finally:
            _stop_server(process)


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    # The shared harness maps every host name to "not found"; keep that but let the loopback
    # address of the test's server through.
    args = [a for a in CHROMIUM_ARGS if not a.startswith("--host-resolver-rules")]
    args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One page of the app with everything it asked for."""

    def __init__(self, browser, server: Server, notebook: str):
        self.server = server
        self.base = server.base
        self.browser = browser
        self.notebook = notebook
        self.stalled_loads = 0
        try:
            self._open(FIRST_LOAD_TIMEOUT_MS, fail=False)
        except PlaywrightTimeout:
            self.stalled_loads += 1
            warnings.warn(f"voila stalled loading {notebook} ({self.text()[:40]!r} after "
                          f"{FIRST_LOAD_TIMEOUT_MS / 1000:.0f} s); opening it once more",
                          stacklevel=2)
            self.context.close()
            self._open(PAGE_TIMEOUT_MS, fail=True)

    def _open(self, timeout_ms: int, *, fail: bool) -> None:
        self.external: list[str] = []
        self.websockets: list[str] = []
        self.page_errors: list[str] = []
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 1000},
                                                service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: self.websockets.append(ws.url))
        self.page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        url = f"{self.base}voila/render/{self.notebook}"
        try:
            if fail:
                with self.step(f"loading {self.notebook}"):
                    self.page.goto(url, wait_until="load", timeout=timeout_ms)
            else:
                self.page.goto(url, wait_until="load", timeout=timeout_ms)
        except PlaywrightTimeout:
            raise
        except BaseException:
            self.context.close()
            raise

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.base) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.external.append(url)
            route.abort("blockedbyclient")

    def wait_for(self, selector: str):
        self.page.wait_for_selector(selector, state="visible", timeout=PAGE_TIMEOUT_MS)

    def fingerprint(self, selector: str) -> str:
        """The chart's content: an SVG image's data URL or an inline SVG's markup."""
        return self.page.evaluate(
            """(sel) => { const e = document.querySelector(sel);
                          return e ? (e.getAttribute('src') || e.outerHTML) : ''; }""", selector)

    def wait_for_change(self, selector: str, before: str) -> str:
        self.page.wait_for_function(
            """([sel, before]) => { const e = document.querySelector(sel);
                                    if (!e) return false;
                                    const now = e.getAttribute('src') || e.outerHTML;
                                    return now.length > 0 && now !== before; }""",
            arg=[selector, before], timeout=CHANGE_TIMEOUT_MS)
        return self.fingerprint(selector)

    @contextlib.contextmanager
    def step(self, what: str):
        """Turn a failure (e.g. a playwright timeout) into one that says what the page showed."""
        try:
            yield
        except Exception as err:
            try:
                shown = self.text()[:800]
            except Exception:  # noqa: BLE001 - the page itself may be gone
                shown = "<page not readable>"
            pytest.fail(f"{what}: {type(err).__name__}: {str(err).splitlines()[0]}\n"
                        f"page text: {shown!r}\nblocked requests: {self.external}\n"
                        f"websockets: {self.websockets}\npage errors: {self.page_errors}\n"
                        f"voila log (tail):\n{self.server.log_tail()}", pytrace=False)

    def text(self) -> str:
        return self.page.evaluate("() => document.body.innerText")

    def close(self):
        self.context.close()


def _set_slider(visit: Visit, label: str, value: str):
    """Type a value into the slider's editable readout, as a learner can, and press Enter;
    return the readout's locator."""
    slider = visit.page.locator(".widget-slider", has=visit.page.locator(
        "label", has_text=label))
    readout = slider.locator(".widget-readout")
    readout.click()
    visit.page.keyboard.press("Control+A")
    visit.page.keyboard.type(value)
    visit.page.keyboard.press("Enter")
    return readout


SVG_IN_OUTPUT = ".widget-output img[src^='data:image/svg+xml']"

SLIDER_PAGES = {
    # notebook: (slider label, value typed, readout then shown, a label of the summary)
    "disruptor_game.ipynb": ("transformation success", "0.8", "0.80",
                             "P(alternative beats disruptor)"),
    "security_lag.ipynb": ("security maturity gain / quarter", "0.2", "20%",
                           "Extra expected loss"),
}


def _check_network(visit: Visit) -> None:
    assert visit.page_errors == []
    assert any(ws.startswith(visit.base.replace("http", "ws", 1) + "api/kernels/")
               for ws in visit.websockets), visit.websockets
    unexpected = [u for u in visit.external if not u.startswith(ALLOWED_EXTERNAL)]
    assert unexpected == [], unexpected


@pytest.mark.parametrize("notebook", sorted(SLIDER_PAGES))
def test_moving_a_slider_redraws_the_chart(server, browser, notebook):
    label, value, readout, summary_label = SLIDER_PAGES[notebook]
    visit = Visit(browser, server, notebook)
    try:
        with visit.step("waiting for the slider and the chart"):
            visit.wait_for(".widget-slider")
            visit.wait_for(SVG_IN_OUTPUT)
        assert "build_app(" not in visit.text()  # no code shown
        summary = visit.page.locator(".widget-html", has_text=summary_label)
        summary_before = summary.inner_text()
        chart_before = visit.fingerprint(SVG_IN_OUTPUT)
        start = visit.page.locator(".widget-slider", has=visit.page.locator(
            "label", has_text=label)).locator(".widget-readout").inner_text().strip()
        assert start != readout  # the slider does not start at the value the test sets
        with visit.step(f"moving {label!r} to {value} and waiting for the chart"):
            shown = _set_slider(visit, label, value)
            chart_after = visit.wait_for_change(SVG_IN_OUTPUT, chart_before)
        assert chart_after != chart_before
        assert shown.inner_text().strip() == readout
        assert summary.inner_text() != summary_before
        _check_network(visit)
    finally:
        visit.close()


def test_segmentation_game_toggle_and_reveal_redraw_the_chart(server, browser):
    chart = ".widget-html svg.marks"
    visit = Visit(browser, server, "segmentation_game.ipynb")
    try:
        with visit.step("waiting for the toggles and the chart"):
            visit.wait_for(".widget-toggle-buttons")
            visit.wait_for(chart)
        text = visit.text()
        assert "0 of 5 picked" in text and "build_app(" not in text
        before = visit.fingerprint(chart)
        toggles = visit.page.locator(".widget-toggle-buttons")
        assert toggles.count() == 5
        with visit.step("clicking two toggles"):
            toggles.nth(0).get_by_role("button", name="OT", exact=True).click()
            toggles.nth(1).get_by_role("button", name="CT", exact=True).click()
            visit.page.get_by_text("2 of 5 picked").wait_for(timeout=CHANGE_TIMEOUT_MS)
        with visit.step("revealing and waiting for the chart"):
            visit.page.get_by_role("button", name="Reveal the model's answers").click()
            after = visit.wait_for_change(chart, before)
            visit.page.get_by_text("You agree with the model on").wait_for(
                timeout=CHANGE_TIMEOUT_MS)
        assert after != before and "2 items revealed" in after
        assert visit.page.get_by_text("evidence (cues, learned words and their weights)").count() == 5
        _check_network(visit)
    finally:
        visit.close()
