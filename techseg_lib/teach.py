"""``techseg teach``: the teaching notebooks served as an app through Voila, on localhost.

Voila runs every notebook in ``notebooks/teaching/`` (the segmentation game, the disruptor game,
security that lags) in its own kernel when a page is opened, and shows the outputs and widgets
only: no code (``--strip_sources=True``), no tracebacks. The index page lists the notebooks;
a notebook is at ``http://HOST:PORT/voila/render/<name>.ipynb``.

What :func:`serve` sets up around Voila:

* Jupyter's and IPython's per-user folders (``JUPYTER_CONFIG_DIR``, ``JUPYTER_DATA_DIR``,
  ``JUPYTER_RUNTIME_DIR``, ``IPYTHONDIR``) point to a temporary folder removed at exit, so a
  class machine's own Jupyter configuration, kernels and profiles neither change the app nor
  get written to. Kernel connection files go there too.
* The kernels use the interpreter that runs techseg, with the checkout on ``PYTHONPATH``.
* Altair draws charts as static SVG in those kernels (an IPython startup file in the temporary
  profile calls :func:`techseg_lib.reporting.enable_chart_renderer`). Altair's default renderer
  loads vega from a CDN (cdn.jsdelivr.net), so without it a chart shown in an ``Output`` widget
  stays blank offline and every page view tells the CDN that a class is running.
* The kernels talk to Voila over Unix sockets in that temporary folder, not TCP ports (see
  :func:`voila_command`).
* ``--Voila.port_retries=0``: Voila serves on the port asked for or fails, instead of moving to
  a random port nearby.

What remains external: Voila's ``lab`` template links the FontAwesome CSS from cdn.jsdelivr.net
(icons only; the pages work without it).

Run ``python -m techseg_lib.teach [--port N] [--host H] [--open]`` or ``techseg teach``.
"""
from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .errors import ConfigError, TechsegError

__all__ = ["NOTEBOOKS", "REPO_ROOT", "TEACHING_DIR", "ipc_fits", "is_loopback", "main",
           "notebook_url",
           "prepare_environment", "serve", "voila_command"]

REPO_ROOT = Path(__file__).resolve().parents[1]
"""The checkout that holds ``techseg_lib`` (its parent folder)."""

TEACHING_DIR = REPO_ROOT / "notebooks" / "teaching"
"""The folder Voila serves."""

NOTEBOOKS = ("segmentation_game.ipynb", "disruptor_game.ipynb", "security_lag.ipynb")
"""The teaching notebooks, in the order a class meets them."""

_STARTUP_FILE = "00-techseg-teach.py"
_STARTUP_CODE = '''\
# Written by techseg_lib.teach for the kernels of `techseg teach` (removed when it stops).
# Charts become static SVG: Altair's default renderer would load vega from a CDN.
from techseg_lib.reporting import enable_chart_renderer as _techseg_enable_chart_renderer

_techseg_enable_chart_renderer("svg")
del _techseg_enable_chart_renderer
'''


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check(port: int, host: str) -> None:
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise ConfigError(f"port {port!r} is not valid; allowed: an integer 1-65535 "
                          "(default 8866)")
    if not host or any(c.isspace() for c in host):
        raise ConfigError(f"host {host!r} is not valid; allowed: an address or name such as "
                          "127.0.0.1 (default) or localhost")


def voila_command(port: int, host: str, *, open_browser: bool = False,
                  notebook_dir: str | os.PathLike[str] | None = None,
                  runtime_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """The Voila command line that serves the teaching notebooks.

    Parameters
    ----------
    port : int
        TCP port, 1-65535. Voila does not move to another port when it is taken.
    host : str
        Address to listen on. A non-loopback address also turns on Voila's token
        (``--Voila.auto_token=True``): the URL it prints then carries the token.
    open_browser : bool, default False
        Let Voila open the index page in the default browser.
    notebook_dir : path, optional
        Folder to serve (default :data:`TEACHING_DIR`).
    runtime_dir : path, optional
        Private folder for the kernels' connection files. When given, the kernels talk to
        Voila over Unix sockets in it (``--KernelManager.transport=ipc``) instead of TCP ports
        on the loopback interface, if the socket paths fit the OS limit (see
        :func:`ipc_fits`). TCP ports are picked by binding and releasing them, so while other
        Jupyter processes start kernels at the same time two kernels can end up with the same
        port and a page then waits for ever; TCP ports can also be reached by any local user.

    Returns
    -------
    list of str
        ``[python, "-m", "voila", folder, options...]`` for :class:`subprocess.Popen`.

    Raises
    ------
    ConfigError
        If ``port`` or ``host`` is not valid.
    """
    _check(port, host)
    folder = Path(notebook_dir) if notebook_dir is not None else TEACHING_DIR
    command = [
        sys.executable, "-m", "voila", str(folder),
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        f"--Voila.open_browser={bool(open_browser)}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
    ]
    if not is_loopback(host):
        command.append("--Voila.auto_token=True")
    if runtime_dir is not None:
        command.append(f"--Voila.connection_dir_root={runtime_dir}")
        if ipc_fits(runtime_dir):
            command.append("--KernelManager.transport=ipc")
    return command


_SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes on Linux, 104 on macOS; keep a margin
_IPC_SUFFIX = "/voila_XXXXXXXX/kernel-00000000-0000-0000-0000-000000000000-ipc-5"


def ipc_fits(runtime_dir: str | os.PathLike[str]) -> bool:
    """Whether Voila's kernel socket paths under ``runtime_dir`` stay within the OS limit.

    Voila puts connection files in ``<runtime_dir>/voila_<8 chars>/`` and an IPC kernel's
    sockets next to them as ``kernel-<uuid>-ipc-<1..5>``.
    """
    if os.name != "posix":
        return False
    return len(os.fsencode(os.path.abspath(runtime_dir)) + _IPC_SUFFIX.encode()) <= _SOCKET_PATH_MAX


def prepare_environment(base: str | os.PathLike[str],
                        environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Create the private Jupyter/IPython folders under ``base`` and return Voila's environment.

    Parameters
    ----------
    base : path
        An empty, writable folder that lives as long as the server (e.g. a temporary folder).
    environ : mapping, optional
        The environment to start from (default ``os.environ``).

    Returns
    -------
    dict of str
        ``environ`` with ``JUPYTER_CONFIG_DIR``, ``JUPYTER_DATA_DIR``, ``JUPYTER_RUNTIME_DIR``
        and ``IPYTHONDIR`` under ``base``, the checkout first on ``PYTHONPATH``, and
        ``PYDEVD_DISABLE_FILE_VALIDATION=1`` (silences a debugger warning in every kernel).
        ``IPYTHONDIR`` holds the startup file that makes Altair draw static SVG.
    """
    base = Path(base)
    env = dict(os.environ if environ is None else environ)
    folders = {"JUPYTER_CONFIG_DIR": base / "jupyter-config",
               "JUPYTER_DATA_DIR": base / "jupyter-data",
               "JUPYTER_RUNTIME_DIR": base / "rt",  # short: kernel socket paths live here
               "IPYTHONDIR": base / "ipython"}
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    startup = folders["IPYTHONDIR"] / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / _STARTUP_FILE).write_text(_STARTUP_CODE, encoding="utf-8")
    paths = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep)
                                if p and p != str(REPO_ROOT)]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    return env


def notebook_url(port: int, host: str, notebook: str) -> str:
    """URL of one teaching notebook's page, e.g. ``http://127.0.0.1:8866/voila/render/x.ipynb``."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/voila/render/{notebook}"


def _stop(process: subprocess.Popen, grace: float = 10.0) -> int:
    """Ask Voila to stop (SIGTERM: it shuts its kernels down), kill it if it does not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


def serve(port=8866, host="127.0.0.1", open_browser=False):
    """Serve the teaching notebooks through Voila until interrupted; return the exit code.

    Blocks until Voila exits, Ctrl-C is pressed or SIGTERM arrives; in the last two cases Voila
    is stopped (its kernels shut down) and the temporary Jupyter folders are removed.

    Parameters
    ----------
    port : int, default 8866
        TCP port; if it is taken Voila fails (exit code 1) instead of choosing another.
    host : str, default "127.0.0.1"
        Address to listen on. Keep the default (this machine only) unless the class shares a
        trusted network; any other address turns on Voila's token.
    open_browser : bool, default False
        Open the index page in the default browser.

    Returns
    -------
    int
        0 when stopped by Ctrl-C or SIGTERM; otherwise Voila's exit code.

    Raises
    ------
    ConfigError
        Invalid port or host.
    TechsegError
        The teaching notebooks or Voila are missing (the message says how to install them).
    """
    voila_command(port, host)  # validate port and host before anything else
    missing = [n for n in NOTEBOOKS if not (TEACHING_DIR / n).is_file()]
    if missing:
        raise TechsegError(f"teaching notebooks not found in {TEACHING_DIR}: {', '.join(missing)}; "
                           "run techseg teach from a techseg checkout")
    import importlib.util

    if importlib.util.find_spec("voila") is None:
        raise TechsegError("voila is not installed; install it with: pip install -e '.[teach]'")

    previous = None
    with tempfile.TemporaryDirectory(prefix="techseg-teach-") as tmp:
        env = prepare_environment(tmp)
        command = voila_command(port, host, open_browser=open_browser,
                                runtime_dir=env["JUPYTER_RUNTIME_DIR"])
        process = subprocess.Popen(command, env=env, cwd=str(TEACHING_DIR))

        def on_sigterm(signum, frame):  # turn SIGTERM into the Ctrl-C path below
            raise KeyboardInterrupt

        try:
            previous = signal.signal(signal.SIGTERM, on_sigterm)
        except ValueError:  # not the main thread: leave signals alone
            previous = None
        try:
            return process.wait()
        except KeyboardInterrupt:
            _stop(process)
            return 0
        finally:
            _stop(process)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """``python -m techseg_lib.teach``: the same as ``techseg teach``."""
    parser = argparse.ArgumentParser(prog="python -m techseg_lib.teach",
                                     description="Serve the teaching notebooks through Voila.")
    parser.add_argument("--port", type=int, default=8866, help="TCP port (default 8866)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--open", action="store_true", help="open the page in a browser")
    args = parser.parse_args(argv)
    try:
        return serve(port=args.port, host=args.host, open_browser=args.open)
    except TechsegError as err:
        print(f"techseg teach: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
