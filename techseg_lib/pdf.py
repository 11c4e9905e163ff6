"""Print a rendered report to PDF through headless Chromium, with no network.

``techseg report --pdf`` calls :func:`print_report` after a report is rendered. It writes
``index.pdf`` (the client's first read: cover, executive summary, links) and one
``<analysis>.pdf`` per analysis page, next to the HTML files in the report folder.

The browser is the one the test suite uses: Debian's ``chromium`` at ``/usr/bin/chromium``
(installed by ``bash scripts/ensure_chromium.sh``), or the program named by the environment
variable ``TECHSEG_CHROMIUM``. It runs headless, with ``--print-to-pdf``, and cannot reach the
network in two ways:

1. When the machine allows it, Chromium runs in a fresh network namespace (``unshare --net``),
   which has no interface except a loopback that is down.
2. In every case, host names resolve to nothing (``--host-resolver-rules``) and all HTTP(S)
   traffic goes to a proxy that does not exist (``--proxy-server=127.0.0.1:9``).

The report pages are self-contained anyway (see :func:`techseg_lib.reporting.notebook_to_html`).
This only makes sure that printing them cannot leak anything.

The test harness (``tests/browser.py``) starts the same browser through Playwright with the
same pieces: :func:`find_chromium`, :data:`CHROMIUM_BASE_ARGS`, :func:`chromium_command` and
:func:`chromium_env`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from .errors import ReportError

__all__ = ["find_chromium", "html_to_pdf", "print_report", "chromium_command", "chromium_env",
           "netns_prefix", "CHROMIUM_ARGS", "CHROMIUM_BASE_ARGS", "DEFAULT_CHROMIUM"]

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")

CHROMIUM_BASE_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    # belt and braces: any name lookup fails even outside a network namespace
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
"""Chromium flags for every headless run here, printing or testing (no headless flag: Playwright
adds its own)."""

CHROMIUM_ARGS = (
    "--headless",
    *CHROMIUM_BASE_ARGS,
    "--proxy-server=127.0.0.1:9",
    "--no-pdf-header-footer",
    # let scripted charts (the "interactive" renderer) finish drawing before printing
    "--virtual-time-budget=10000",
)
"""Chromium flags used for printing (plus ``--user-data-dir`` and ``--print-to-pdf``)."""

_INSTALL_HINT = ("Fix: install it with `bash scripts/ensure_chromium.sh` (as root; Debian's "
                 "chromium package), or set TECHSEG_CHROMIUM to a Chromium/Chrome executable")


def find_chromium() -> Path:
    """The Chromium executable to print with.

    Looks at ``$TECHSEG_CHROMIUM``, then ``/usr/bin/chromium``, then ``chromium``,
    ``chromium-browser`` and ``google-chrome`` on the ``PATH``.

    Raises
    ------
    ReportError
        No executable Chromium found; the message says how to install it.
    """
    named = os.environ.get("TECHSEG_CHROMIUM")
    if named:
        path = Path(named)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ReportError(f"TECHSEG_CHROMIUM={named!r} is not an executable file. {_INSTALL_HINT}")
    if DEFAULT_CHROMIUM.is_file() and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ReportError(f"--pdf needs headless Chromium, which was not found. {_INSTALL_HINT}")


@lru_cache(maxsize=1)
def netns_prefix() -> tuple[str, ...]:
    """``("unshare", "--net", ...)`` when a fresh network namespace can be made here, else ``()``.

    The namespace needs root or unprivileged user namespaces; it has no interface but a loopback
    that is down. The answer is worked out once per process (one ``unshare ... true`` try each).
    """
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    candidates = [(unshare, "--net")]
    if os.geteuid() != 0:
        candidates.append((unshare, "--net", "--map-root-user"))
    for prefix in candidates:
        try:
            if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
                return prefix
        except (OSError, subprocess.SubprocessError):
            continue
    return ()


def chromium_command(browser: str | os.PathLike[str], args: Sequence[str] = (), *,
                     isolate_network: bool = True) -> list[str]:
    """The argv that starts ``browser`` with ``args``.

    With ``isolate_network`` (and where the machine allows it) the browser runs inside a fresh
    network namespace: the argv is ``[*netns_prefix(), "--", browser, *args]``.
    """
    prefix = netns_prefix() if isolate_network else ()
    return [*prefix, *(("--",) if prefix else ()), str(browser), *args]


def chromium_env(profile: str | os.PathLike[str]) -> dict[str, str]:
    """This process's environment with ``HOME`` and the XDG config and cache folders set to
    ``profile`` (a throw-away folder), so Chromium writes nothing to the real home folder."""
    profile = str(profile)
    return {**os.environ, "HOME": profile, "XDG_CONFIG_HOME": profile, "XDG_CACHE_HOME": profile}


def _stderr_tail(text: str, limit: int = 300) -> str:
    # Chromium logs a lot of harmless D-Bus noise in containers; keep the lines that matter
    lines = [line for line in text.splitlines()
             if line.strip() and "dbus" not in line and "unexpected operator" not in line]
    tail = " | ".join(lines[-3:])
    return tail if len(tail) <= limit else "..." + tail[-limit:]


def html_to_pdf(html_path: str | os.PathLike[str], pdf_path: str | os.PathLike[str], *,
                chromium: str | os.PathLike[str] | None = None, timeout: float = 120.0,
                isolate_network: bool = True) -> Path:
    """Print one local HTML file to PDF with headless Chromium.

    Parameters
    ----------
    html_path : path
        A local HTML file (opened as ``file://``).
    pdf_path : path
        The PDF to write. It is written to a temporary name first and renamed, so a failed
        print leaves no partial PDF.
    chromium : path, optional
        The browser (default :func:`find_chromium`).
    timeout : float, default 120
        Limit for the print, in seconds.
    isolate_network : bool, default True
        Run Chromium in its own network namespace where the machine allows it.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    ReportError
        Chromium is missing, fails, times out or writes something that is not a PDF.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path).resolve()
    if not html_path.is_file():
        raise ReportError(f"{html_path}: no such HTML file to print. Fix: render the report first")
    browser = Path(chromium) if chromium is not None else find_chromium()
    partial = pdf_path.with_name(f".{pdf_path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="techseg-pdf-") as profile:
        argv = chromium_command(browser, [*CHROMIUM_ARGS, f"--user-data-dir={profile}",
                                          f"--print-to-pdf={partial}", html_path.as_uri()],
                                isolate_network=isolate_network)
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                                  env=chromium_env(profile), stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            partial.unlink(missing_ok=True)
            raise ReportError(f"{html_path}: Chromium did not finish printing within {timeout:g} s. "
                              "Fix: retry; check that the page opens in a browser") from None
        except OSError as err:
            raise ReportError(f"cannot start Chromium {browser} ({err}). {_INSTALL_HINT}") from None
    ok = proc.returncode == 0 and partial.is_file()
    if ok:
        with partial.open("rb") as handle:
            ok = handle.read(5) == b"%PDF-"
    if not ok:
        partial.unlink(missing_ok=True)
        raise ReportError(f"{html_path}: Chromium could not print it to PDF (exit code "
                          f"{proc.returncode}: {_stderr_tail(proc.stderr)}). Fix: check that the "
                          "page opens in a browser; reinstall with scripts/ensure_chromium.sh")
    os.replace(partial, pdf_path)
    return pdf_path


def print_report(folder: str | os.PathLike[str], *, chromium: str | os.PathLike[str] | None = None,
                 timeout: float = 120.0) -> list[Path]:
    """Print a report folder's ``index.html`` and every analysis page to PDF, beside them.

    Parameters
    ----------
    folder : path
        A report folder written by :func:`techseg_lib.pipeline.render_report`.

    Returns
    -------
    list of Path
        ``index.pdf`` first, then ``<analysis>.pdf`` in report order (analyses not rendered in
        this report are skipped).
    """
    from .pipeline import ANALYSES

    folder = Path(folder)
    browser = Path(chromium) if chromium is not None else find_chromium()
    pages = [folder / "index.html"] + [folder / f"{a.name}.html" for a in ANALYSES
                                       if (folder / f"{a.name}.html").is_file()]
    return [html_to_pdf(page, page.with_suffix(".pdf"), chromium=browser, timeout=timeout)
            for page in pages]
