"""Open local HTML files in real headless Chromium with no network, for tests.

The browser is the one :func:`techseg_lib.pdf.find_chromium` finds: ``$TECHSEG_CHROMIUM``,
then ``/usr/bin/chromium`` (in CI the Debian package, installed by ``scripts/ensure_chromium.sh``),
then ``chromium``, ``chromium-browser`` or ``google-chrome`` on ``PATH``. It is started the way
``techseg report --pdf`` does it (:mod:`techseg_lib.pdf`: same flags, network namespace and
throw-away home).
The python ``playwright`` package drives it (its own browser download is not used). Two layers
keep the network out:

1. When possible, Chromium runs in a fresh network namespace (``unshare --net``, needs root or
   unprivileged user namespaces). That namespace has no interfaces except a down loopback, so
   nothing can leave the machine. Playwright talks to Chromium over a pipe, which works there.
2. In every case, every request whose URL is not ``file:``, ``data:``, ``blob:`` or
   ``about:`` is aborted and recorded. Tests can then assert that zero external requests were
   attempted.

Typical use::

    from tests.browser import open_html, require_chromium

    def test_report(tmp_path):
        require_chromium()
        result = open_html(tmp_path / "report.html", expect_charts=2)
        assert result.external_requests == []
        assert result.charts_drawn == 2

For custom queries, use the context manager :func:`browser_page`, which yields a Playwright
``Page`` and a :class:`NetworkLog`.

``require_chromium`` skips the test when Chromium is missing, unless the ``CI`` environment
variable is set; then the test fails, so that CI cannot pass without the browser check.
"""
from __future__ import annotations

import contextlib
import os
import shlex
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from techseg_lib.errors import ReportError
from techseg_lib.pdf import (CHROMIUM_BASE_ARGS, DEFAULT_CHROMIUM, chromium_command, chromium_env,
                             find_chromium, netns_prefix)


def _chromium() -> Path:
    """The browser :func:`techseg_lib.pdf.find_chromium` picks; when there is none, the path
    that ``require_chromium`` names as missing."""
    try:
        return find_chromium()
    except ReportError:
        return Path(os.environ.get("TECHSEG_CHROMIUM") or DEFAULT_CHROMIUM)


CHROMIUM = _chromium()

CHROMIUM_ARGS = CHROMIUM_BASE_ARGS
"""Flags Playwright passes to Chromium (the library's, without the printing ones)."""

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# Chart elements in a rendered report:
# - interactive Altair output: a .vega-embed container holding the <canvas> or <svg> that vega drew;
# - static SVG output (the svg renderer): nbconvert embeds it as <img src="data:image/svg+xml...">
#   inside .jp-RenderedSVG (default), or as an inline <svg> (notebook_to_html(inline_svg=True)).
_COUNT_CHARTS_JS = """
() => {
  const embeds = Array.from(document.querySelectorAll('.vega-embed'));
  const drawnEmbeds = embeds.filter(e => {
    const c = e.querySelector('canvas');
    if (c && c.width > 0 && c.height > 0) return true;
    const s = e.querySelector('svg.marks');
    return !!(s && s.querySelector('g'));
  });
  const svgImgs = Array.from(document.querySelectorAll('.jp-RenderedSVG img'))
    .filter(i => i.complete && i.naturalWidth > 0 && i.src.startsWith('data:image/svg+xml'));
  const inlineSvgs = Array.from(document.querySelectorAll('.jp-RenderedSVG svg.marks'))
    .filter(s => s.querySelector('g'));
  return {embeds: embeds.length, drawnEmbeds: drawnEmbeds.length,
          svgImages: svgImgs.length, inlineSvgs: inlineSvgs.length,
          canvases: embeds.reduce((n, e) => n + e.querySelectorAll('canvas').length, 0),
          embedSvgs: embeds.reduce((n, e) => n + e.querySelectorAll('svg').length, 0)};
}
"""


def in_ci() -> bool:
    """True when the ``CI`` environment variable is set to anything but ``""``, ``0`` or ``false``."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_chromium() -> None:
    """Skip the calling test when Chromium or playwright is missing; fail instead when in CI."""
    problems = []
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        problems.append(f"Chromium not found at {CHROMIUM}; run scripts/ensure_chromium.sh (as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("python package 'playwright' is not installed (pip install -e '.[test]')")
    if problems:
        message = "; ".join(problems)
        if in_ci():
            pytest.fail(f"browser test cannot run in CI: {message}", pytrace=False)
        pytest.skip(message)


def _wrapper_script(folder: Path, command: Sequence[str]) -> Path:
    """An executable that runs ``command`` (Chromium inside the network namespace) with the
    arguments it is given (Playwright needs one path)."""
    script = folder / "chromium-netns"
    script.write_text(f'#!/bin/sh\nexec {shlex.join(command)} "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


@dataclass
class NetworkLog:
    """What the page tried to do beyond local files.

    Attributes
    ----------
    external_requests : list of str
        URLs of requests that were aborted (not ``file:``/``data:``/``blob:``/``about:``).
    websockets : list of str
        URLs of WebSockets the page opened.
    console_errors : list of str
        Console messages of type ``error`` and uncaught page errors.
    dialogs : list of str
        ``alert``/``confirm``/``prompt`` dialogs, as ``"<type>: <message>"``. Each was dismissed.
    network_isolated : bool
        True when Chromium ran in its own network namespace.
    """

    external_requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    network_isolated: bool = False


@contextlib.contextmanager
def browser_page(*, isolate_network: bool = True, viewport: tuple[int, int] = (1280, 900)) -> Iterator[tuple[object, NetworkLog]]:
    """Start headless Chromium and yield ``(page, log)``; everything but local files is aborted.

    Parameters
    ----------
    isolate_network : bool, default True
        Run Chromium in a fresh network namespace when the machine allows it.
    viewport : (int, int)
        Width and height of the page, in CSS pixels.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    log = NetworkLog()
    with tempfile.TemporaryDirectory(prefix="techseg-chromium-") as tmp:
        executable = str(CHROMIUM)
        if isolate_network and netns_prefix():
            executable = str(_wrapper_script(Path(tmp), chromium_command(CHROMIUM)))
            log.network_isolated = True
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=executable, headless=True, args=list(CHROMIUM_ARGS),
                env=chromium_env(tmp),
            )
            try:
                context = browser.new_context(
                    viewport={"width": viewport[0], "height": viewport[1]},
                    service_workers="block",
                )

                def handle_route(route):
                    url = route.request.url
                    if url.startswith(LOCAL_SCHEMES):
                        route.continue_()
                    else:
                        log.external_requests.append(url)
                        route.abort("blockedbyclient")

                context.route("**/*", handle_route)
                page = context.new_page()

                def on_request(request):
                    # requests that bypass routing (should be none) are still recorded
                    url = request.url
                    if not url.startswith(LOCAL_SCHEMES) and url not in log.external_requests:
                        log.external_requests.append(url)

                def on_dialog(dialog):
                    log.dialogs.append(f"{dialog.type}: {dialog.message}")
                    dialog.dismiss()

                page.on("request", on_request)
                page.on("websocket", lambda ws: log.websockets.append(ws.url))
                page.on("dialog", on_dialog)
                page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: log.console_errors.append(f"pageerror: {e}"))
                yield page, log
            finally:
                browser.close()


@dataclass
class PageResult:
    """What a page showed once it settled.

    Attributes
    ----------
    url : str
        The ``file://`` URL opened.
    title : str
        ``document.title``.
    text : str
        ``document.body.textContent``, i.e. everything shown as text (use :meth:`contains_text`).
    vega_embeds : int
        ``.vega-embed`` containers (interactive Altair charts).
    drawn_embeds : int
        Containers where vega drew a non-empty ``<canvas>`` or an ``<svg class="marks">`` with content.
    embed_canvases, embed_svgs : int
        ``<canvas>`` and ``<svg>`` elements inside the vega-embed containers.
    svg_images : int
        Static SVG charts (``<img src="data:image/svg+xml...">`` in ``.jp-RenderedSVG``) that the
        browser decoded (``naturalWidth > 0``).
    inline_svgs : int
        Inline ``<svg class="marks">`` static charts.
    selector_counts : dict
        Number of elements matching each selector passed to :func:`open_html`.
    log : NetworkLog
        Requests, websockets, console errors and dialogs.
    """

    url: str
    title: str
    text: str
    vega_embeds: int
    drawn_embeds: int
    embed_canvases: int
    embed_svgs: int
    svg_images: int
    inline_svgs: int
    selector_counts: dict[str, int]
    log: NetworkLog

    @property
    def charts_drawn(self) -> int:
        """Charts that were drawn: vega-embed charts with marks plus decoded static SVG charts."""
        return self.drawn_embeds + self.svg_images + self.inline_svgs

    @property
    def external_requests(self) -> list[str]:
        return self.log.external_requests

    @property
    def dialogs(self) -> list[str]:
        return self.log.dialogs

    @property
    def console_errors(self) -> list[str]:
        return self.log.console_errors

    def contains_text(self, needle: str) -> bool:
        """True when ``needle`` is part of the page's text (not only of its markup)."""
        return needle in self.text


def open_html(
    path: str | os.PathLike[str],
    *,
    expect_charts: int = 0,
    selectors: Sequence[str] = (),
    timeout_ms: int = 20_000,
    settle_ms: int = 300,
    isolate_network: bool = True,
) -> PageResult:
    """Open a local HTML file in headless Chromium with no network and report what it shows.

    Parameters
    ----------
    path : str or Path
        The HTML file.
    expect_charts : int, default 0
        Wait (up to ``timeout_ms``) until at least this many charts are drawn. The result is
        returned when the wait times out too, so that the test's assertion shows the real count.
    selectors : sequence of str
        CSS selectors whose match counts go into ``selector_counts``,
        e.g. ``("img[onerror]", "script[src]")``.
    timeout_ms : int, default 20000
        Limit for loading and for the chart wait, in milliseconds.
    settle_ms : int, default 300
        Extra wait after load and charts, in milliseconds, for late dialogs or errors.
    isolate_network : bool, default True
        See :func:`browser_page`.
    """
    url = Path(path).resolve().as_uri()
    with browser_page(isolate_network=isolate_network) as (page, log):
        page.goto(url, wait_until="load", timeout=timeout_ms)
        if expect_charts:
            with contextlib.suppress(Exception):  # timeout: report the real counts instead
                page.wait_for_function(
                    f"() => (({_COUNT_CHARTS_JS})()).drawnEmbeds + (({_COUNT_CHARTS_JS})()).svgImages"
                    f" + (({_COUNT_CHARTS_JS})()).inlineSvgs >= {int(expect_charts)}",
                    timeout=timeout_ms,
                )
        page.wait_for_timeout(settle_ms)
        counts = page.evaluate(_COUNT_CHARTS_JS)
        selector_counts = {s: page.locator(s).count() for s in selectors}
        return PageResult(
            url=url,
            title=page.title(),
            text=page.evaluate("() => document.body ? document.body.textContent : ''"),
            vega_embeds=counts["embeds"],
            drawn_embeds=counts["drawnEmbeds"],
            embed_canvases=counts["canvases"],
            embed_svgs=counts["embedSvgs"],
            svg_images=counts["svgImages"],
            inline_svgs=counts["inlineSvgs"],
            selector_counts=selector_counts,
            log=log,
        )
