"""Run report notebooks through papermill and render them as self-contained HTML.

This is the only module of techseg that knows about papermill and nbconvert. It offers:

- :func:`execute_notebook` - run a parameterised notebook with papermill; parameter names are
  checked first (papermill pastes names verbatim into code); a failing cell becomes a one-line
  :class:`~techseg_lib.errors.ReportError` and the partly executed notebook stays on disk.
- :func:`notebook_to_html` - client-facing HTML with no code cells that renders its charts with no
  network: an ``offline`` nbconvert template (``lab`` without its CDN scripts) plus, for
  interactive Altair charts, the vega bundle inlined once.
- :func:`enable_chart_renderer` - called at the top of a report notebook to choose how Altair
  charts are stored: ``"svg"`` (static, deterministic; the recommended default) or
  ``"interactive"`` (vega-embed with its data escaped for HTML).
- :class:`ReportDir` / :func:`report_dir` - atomic report folders
  ``<base>/<client-slug>/<timestamp>/`` that never overwrite an earlier report.
- :func:`write_index` - the report's ``index.html``.
- :func:`slugify`, :func:`utc_timestamp`, :func:`safe_text`, :func:`safe_markdown`,
  :func:`find_external_references`, :func:`check_parameters`.

Client-supplied text in notebooks
---------------------------------
nbconvert copies ``text/html`` outputs and the HTML produced from Markdown into the page as they
are. Therefore a report notebook must follow these rules:

- ``display(df)``, ``DataFrame.to_html()`` and ``_repr_html_`` escape cell values, the index and the
  column labels (pandas' default is ``escape=True``). Do not pass ``escape=False``.
- ``df.style`` (a pandas Styler) does **not** escape by default. Use
  ``df.style.format(escape="html").format_index(escape="html", axis=0)
  .format_index(escape="html", axis=1)``.
- Markdown or HTML built from client strings (``display(Markdown(f"..."))``, ``HTML(...)``,
  f-strings in narrative) must pass every client value through :func:`safe_markdown` (Markdown)
  or :func:`safe_text` (HTML).
- Altair charts: use :func:`enable_chart_renderer`. The svg renderer stores the chart as an SVG
  image, and nbconvert embeds it as an ``<img>``, which cannot run script. With Altair's own
  ``"default"``/``"html"`` renderer, the chart data goes unescaped into a ``<script>`` element.
  A value containing ``</script>`` then ends the script and injects markup.
  :func:`notebook_to_html` refuses such outputs.
"""
from __future__ import annotations

import errno
import hashlib
import html
import json
import keyword
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

from techseg_lib.errors import ConfigError, ReportError, TechsegError

__all__ = [
    "TEMPLATE_DIR",
    "IndexEntry",
    "ReportDir",
    "check_parameters",
    "enable_chart_renderer",
    "execute_notebook",
    "find_external_references",
    "notebook_to_html",
    "report_dir",
    "safe_markdown",
    "safe_text",
    "slugify",
    "utc_timestamp",
    "write_index",
]

#: Folder holding techseg's nbconvert templates (``offline/``).
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "nbconvert"

_TIMESTAMP_RE = re.compile(r"^\d{8}T\d{6}Z$")
_SAFE_COMPONENT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


# --------------------------------------------------------------------------------------------
# Text safety
# --------------------------------------------------------------------------------------------

def safe_text(value: object) -> str:
    """Escape a client-supplied value for use inside HTML text or a quoted attribute.

    Parameters
    ----------
    value : object
        Any value; ``None`` becomes the empty string, anything else ``str(value)``.

    Returns
    -------
    str
        The text with ``& < > " '`` replaced by character references, so that a browser shows
        it as text and never creates an element from it.
    """
    return "" if value is None else html.escape(str(value), quote=True)


# Characters that Markdown (CommonMark, GFM, nbconvert's mistune with its math, URL and table
# plugins) or HTML can read as structure. Each is written as a numeric character reference:
# references are decoded after parsing and never count as syntax (CommonMark, section 2.5).
# Backslash escapes are not enough: mistune's URL plugin still links "http\\://x".
_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()#+-.!|~$:<>&\"'=@/%^")


def safe_markdown(value: object) -> str:
    """Escape a client-supplied value for use inside Markdown text.

    Every character that Markdown or HTML could read as structure becomes a numeric character
    reference (``<`` becomes ``&#60;``). The value then cannot create a link, autolink, image,
    emphasis, heading, list, table, math or HTML element, and it renders as its literal text.
    Runs of whitespace, newlines included, become one space, so the value cannot start a new
    block or an indented code block.

    Parameters
    ----------
    value : object
        Any value; ``None`` becomes the empty string, anything else ``str(value)``.

    Returns
    -------
    str
        Markdown source that renders as the literal text of ``value``.
    """
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL else c for c in text)


class _HtmlSafeJSONEncoder(json.JSONEncoder):
    """JSON encoder whose output can sit inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` occur in JSON text only inside strings, so replacing them with
    ``\\u003c``, ``\\u003e`` and ``\\u0026`` gives the same JSON value. After that, the text
    holds no ``</script>`` and no ``<!--``. U+2028 and U+2029 are escaped as well, because
    older JavaScript parsers reject them inside string literals.
    """

    def encode(self, o: Any) -> str:  # noqa: D102 - see class docstring
        text = super().encode(o)
        return (
            text.replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026")
            .replace("\u2028", "\\u2028")
            .replace("\u2029", "\\u2029")
        )


_INTERACTIVE_RENDERER = "techseg_interactive"
#: vega-embed menu: keep the SVG/PNG export, drop "Open in Vega Editor" (it would send the
#: client's data to vega.github.io when clicked) and the source views.
_EMBED_OPTIONS = {"actions": {"export": True, "source": False, "compiled": False, "editor": False}}


def enable_chart_renderer(kind: str = "svg") -> str:
    """Choose how Altair stores charts in the executed notebook; call once at the top of a notebook.

    Parameters
    ----------
    kind : {"svg", "interactive"}
        ``"svg"``: static SVG made by vl-convert. The output is deterministic, so nbval can
        compare it, and nbconvert embeds it as an ``<img>``, which cannot run script. About
        1.5 s extra for the first chart in a kernel. This is the recommended default.
        ``"interactive"``: Altair's HTML output (vega-embed, with tooltips and an export menu).
        The chart data is JSON-encoded with ``<``, ``>`` and ``&`` escaped, so client text
        cannot leave its ``<script>``. :func:`notebook_to_html` inlines the vega bundle once
        (about 0.9 MB per HTML file). Each output carries a random div id, so nbval needs its
        sanitiser (see ``jupyter-stack.md`` section 4).

    Returns
    -------
    str
        The name of the Altair renderer now enabled.

    Raises
    ------
    ConfigError
        If ``kind`` is not one of the two values.
    """
    import altair as alt

    if kind == "svg":
        alt.renderers.enable("svg")
        return "svg"
    if kind == "interactive":
        if _INTERACTIVE_RENDERER not in alt.renderers.names():
            from altair.vegalite.v6.display import html_renderer

            alt.renderers.register(_INTERACTIVE_RENDERER, html_renderer)
        alt.renderers.enable(
            _INTERACTIVE_RENDERER,
            json_kwds={"cls": _HtmlSafeJSONEncoder},
            embed_options=_EMBED_OPTIONS,
        )
        return _INTERACTIVE_RENDERER
    raise ConfigError(
        f"chart renderer {kind!r} is not known; allowed: 'svg' (static, recommended) or 'interactive'"
    )


# --------------------------------------------------------------------------------------------
# Names, timestamps
# --------------------------------------------------------------------------------------------

def slugify(name: str, *, max_length: int = 60) -> str:
    """Turn a client's display name into a folder name.

    Parameters
    ----------
    name : str
        Display name, any Unicode.
    max_length : int, default 60
        Maximum length of the result, in characters (at least 12).

    Returns
    -------
    str
        Lower-case ASCII letters, digits and single hyphens, with no hyphen at either end, e.g.
        ``"Müller & Söhne GmbH" -> "muller-sohne-gmbh"``. A name with no ASCII letters or digits
        (e.g. ``"株式会社"``) gives ``"client-"`` plus the first 10 hex digits of the name's
        SHA-256, so that different names still get different folders.
    """
    max_length = max(12, int(max_length))
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        digest = hashlib.sha256(str(name).encode("utf-8")).hexdigest()[:10]
        slug = f"client-{digest}"
    return slug[:max_length].rstrip("-")


def utc_timestamp(now: datetime | None = None) -> str:
    """Return a timestamp for a report folder, in UTC, e.g. ``"20261126T235959Z"``.

    Parameters
    ----------
    now : datetime, optional
        The moment to format. A naive datetime is taken as UTC, and an aware one is converted
        to UTC. Default: the current time.
    """
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# --------------------------------------------------------------------------------------------
# Atomic report folders
# --------------------------------------------------------------------------------------------

class ReportDir:
    """An atomic report folder: write into a temporary sibling folder, then rename it on success.

    Use it as a context manager::

        with ReportDir("reports", "acme-ltd") as rd:
            execute_notebook(nb, rd.work / "segmentation.ipynb", params)
            ...
        print(rd.path)        # reports/acme-ltd/20261126T235959Z

    Inside the block, write only into ``work``, a hidden folder
    ``<base>/<client_slug>/.<timestamp>.<random>.tmp``. The final folders are siblings of
    ``work``, so the rename stays on one filesystem and is atomic. The outcomes are:

    - Success: ``work`` is renamed to ``<base>/<client_slug>/<timestamp>`` and ``path`` is set.
      If that folder already exists, even empty, ``-2``, ``-3``, ... is appended. A finished
      report is never overwritten: POSIX ``rename`` refuses a non-empty target, and an existing
      empty target is skipped before trying.
    - Failure (any exception, including KeyboardInterrupt): ``work`` is renamed to
      ``<timestamp>.failed`` (with a suffix as above) and ``failed_path`` is set. The exception
      propagates with a note naming that folder. For a :class:`TechsegError`, paths inside
      ``work`` in its message and in its ``partial_notebook`` attribute are rewritten to point
      into the ``.failed`` folder, so the message names a file that exists.

    Parameters
    ----------
    base : str or Path
        Root of all reports, e.g. ``reports``. Created if missing.
    client_slug : str
        Folder name for the client, as made by :func:`slugify`.
    timestamp : str, optional
        ``YYYYMMDDTHHMMSSZ`` (UTC). Default: :func:`utc_timestamp` at construction.

    Attributes
    ----------
    work : Path
        Temporary folder to write into. Exists only inside the ``with`` block.
    path : Path or None
        Final report folder after a successful block.
    failed_path : Path or None
        Folder holding the partial output after a failed block.
    """

    def __init__(self, base: str | os.PathLike[str], client_slug: str, timestamp: str | None = None):
        if not _SAFE_COMPONENT_RE.match(client_slug or "") or client_slug != slugify(client_slug):
            raise ReportError(
                f"client folder name {client_slug!r} is not a slug. "
                "Fix: pass slugify(<client name>)"
            )
        self.timestamp = utc_timestamp() if timestamp is None else timestamp
        if not _TIMESTAMP_RE.match(self.timestamp):
            raise ReportError(
                f"report timestamp {self.timestamp!r} is not of the form YYYYMMDDTHHMMSSZ (UTC). "
                "Fix: use techseg_lib.reporting.utc_timestamp()"
            )
        self.base = Path(base)
        self.client_dir = self.base / client_slug
        self.work: Path | None = None
        self.path: Path | None = None
        self.failed_path: Path | None = None

    def __enter__(self) -> ReportDir:
        self.client_dir.mkdir(parents=True, exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix=f".{self.timestamp}.", suffix=".tmp", dir=self.client_dir))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        assert self.work is not None, "ReportDir used outside a with block"
        if exc is None:
            self.path = self._rename_to(self.timestamp)
            return False
        try:
            self.failed_path = self._rename_to(f"{self.timestamp}.failed")
        except OSError as rename_error:  # keep the original error; say where the output stayed
            exc.add_note(f"partial report output left in {self.work} ({rename_error})")
            return False
        self._point_error_at(exc, self.work, self.failed_path)
        exc.add_note(f"partial report output kept in {self.failed_path}")
        return False

    def _rename_to(self, name: str) -> Path:
        assert self.work is not None
        for attempt in range(1, 1000):
            target = self.client_dir / (name if attempt == 1 else f"{name}-{attempt}")
            if target.exists() or target.is_symlink():
                continue
            try:
                os.rename(self.work, target)
            except OSError as e:
                if e.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR, errno.ENOTDIR):
                    continue  # created meanwhile by another process: try the next suffix
                raise
            return target
        raise ReportError(f"more than 998 reports named {name!r} in {self.client_dir}. Fix: clean up old reports")

    @staticmethod
    def _point_error_at(exc: BaseException, old: Path, new: Path) -> None:
        if not isinstance(exc, TechsegError):
            return
        old_s, new_s = str(old), str(new)
        exc.args = tuple(a.replace(old_s, new_s) if isinstance(a, str) else a for a in exc.args)
        partial = getattr(exc, "partial_notebook", None)
        if partial is not None and str(partial).startswith(old_s):
            exc.partial_notebook = Path(new_s + str(partial)[len(old_s):])


def report_dir(base: str | os.PathLike[str], client_slug: str, timestamp: str | None = None) -> ReportDir:
    """Return a :class:`ReportDir`; use as ``with report_dir(base, slug) as rd: ... rd.work ...``."""
    return ReportDir(base, client_slug, timestamp)


# --------------------------------------------------------------------------------------------
# Executing notebooks
# --------------------------------------------------------------------------------------------

_PARAM_SCALARS = (str, int, float, bool, type(None))


def _check_value(name: str, value: Any, where: str) -> None:
    if isinstance(value, _PARAM_SCALARS):
        return
    if isinstance(value, (list, tuple)):
        for v in value:
            _check_value(name, v, where)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ConfigError(f"report parameter {name!r} has a non-string key {k!r} ({where}); "
                                  "allowed: mappings with string keys")
            _check_value(name, v, where)
        return
    raise ConfigError(
        f"report parameter {name!r} has a value of type {type(value).__name__} ({where}); "
        "allowed: str, int, float, bool, None, and lists or string-keyed mappings of those"
    )


def check_parameters(notebook: str | os.PathLike[str], parameters: Mapping[str, Any]) -> None:
    """Check parameter names and values before papermill injects them into a notebook.

    papermill writes each parameter as ``<name> = <value>`` into a new code cell. It does not
    check the name, so a name such as ``"__import__('os').system('x'); y"`` would run. Each name
    must therefore be a Python identifier, not a keyword, and declared in the notebook's cell
    tagged ``parameters``. Values must be plain data (str, int, float, bool, None, and lists or
    string-keyed mappings of those), which papermill writes as literals.

    Parameters
    ----------
    notebook : str or Path
        The input notebook.
    parameters : Mapping[str, Any]
        Parameter name to value.

    Raises
    ------
    ConfigError
        Naming the offending parameter and the names the notebook declares.
    """
    if not parameters:
        return
    import papermill as pm

    declared = sorted(pm.inspect_notebook(str(notebook)))
    allowed = ", ".join(declared) if declared else "none (the notebook has no cell tagged 'parameters')"
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ConfigError(
                f"report parameter name {name!r} is not a Python identifier; allowed: {allowed}"
            )
        if name not in declared:
            raise ConfigError(
                f"report parameter {name!r} is not declared in the parameters cell of {notebook}; "
                f"allowed: {allowed}"
            )
        _check_value(name, value, f"notebook {notebook}")


def _first_code_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return "<empty cell>"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(_ANSI_RE.sub("", str(text)).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _library_root() -> Path | None:
    """Folder to put on the kernel's PYTHONPATH so that it imports this same techseg_lib."""
    root = Path(__file__).resolve().parent.parent
    if root.name in ("site-packages", "dist-packages"):
        return None  # an installed package: the kernel (same interpreter) finds it already
    return root


KERNEL_STARTUP = "import sys; sys.modules.setdefault('rfc3987_syntax', None)"
"""Run in every report kernel before the notebook's first cell.

jsonschema (imported by altair and nbformat) eagerly imports ``rfc3987_syntax``, which builds
dozens of Lark parsers at import: about 0.9 s of each notebook's 3.7 s here
(``benchmarks/bench_report.py``; ../shared/reference/jupyter-stack.md, section 2). Marking the
module absent makes jsonschema skip only its ``iri`` / ``iri-reference`` format checks, which the
Vega-Lite schema that altair validates against never uses (it has ``uri``, ``uri-reference`` and
``color-hex``, checked as before). The alternative, the GPL package ``rfc3987``, is a licence
decision the project has not taken."""


def _kernel_manager_class(extra_env: Mapping[str, str]) -> type:
    """An AsyncKernelManager that adds ``extra_env`` (and techseg_lib's folder) to the kernel's env."""
    import zmq
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    extra = dict(extra_env)
    root = _library_root()

    class TechsegKernelManager(AsyncKernelManager):
        @default("transport_encryption")
        def _encrypt_when_possible(self) -> str:
            # CurveZMQ keys for kernels whose spec supports them (ipykernel 7 does): the kernel
            # then no longer warns that it runs over TCP without encryption
            return "auto" if zmq.has("curve") else "disabled"

        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            env = dict(kw.pop("env", None) or os.environ)
            env.update(extra)
            if root is not None:
                parts = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
                if str(root) not in parts:
                    env["PYTHONPATH"] = os.pathsep.join([str(root), *parts])
            kw["env"] = env
            return await super()._async_pre_start_kernel(**kw)

    return TechsegKernelManager


def execute_notebook(
    notebook: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: str | os.PathLike[str] | None = None,
    progress: bool = False,
    kernel_name: str = "python3",
    timeout: float | None = None,
    env: Mapping[str, str] | None = None,
) -> Path:
    """Execute a notebook with papermill and write the executed copy.

    Parameters
    ----------
    notebook : str or Path
        Input ``.ipynb`` with a cell tagged ``parameters``.
    output_path : str or Path
        Where papermill writes the executed notebook. papermill saves it after every cell, so
        it stays on disk, partly executed, when a cell fails. Parent folders are created.
    parameters : Mapping[str, Any], optional
        Values to inject. Checked by :func:`check_parameters` before anything runs.
    cwd : str or Path, optional
        Working folder of the kernel. Default: the current working folder. The calling
        process's working folder is never changed, so notebooks may run in parallel threads.
    progress : bool, default False
        Show papermill's tqdm progress bar (on stderr).
    kernel_name : str, default "python3"
        Jupyter kernel to run.
    timeout : float, optional
        Per-cell time limit in seconds. Default: no limit.
    env : Mapping[str, str], optional
        Extra environment variables for the kernel. In every case, the folder that holds this
        ``techseg_lib`` (when it is not an installed package) is put first on the kernel's
        ``PYTHONPATH``. The kernel then imports the same library version as the caller.

    Returns
    -------
    Path
        ``output_path``.

    Raises
    ------
    ConfigError
        A parameter name is not an identifier or is not declared in the notebook, or a value is
        not plain data.
    ReportError
        The notebook is missing, the kernel cannot start or dies, a cell times out, or a cell
        raises. The message is one line. It names the notebook, the failing cell (its number in
        the input notebook, its execution count ``In [n]`` and its first line), the exception,
        and the path of the partly executed notebook. The same facts are in the attributes
        ``notebook``, ``partial_notebook``, ``cell_number`` (1-based, in the input notebook),
        ``exec_count``, ``ename`` and ``evalue``.
    """
    notebook = Path(notebook)
    output_path = Path(output_path)
    if not notebook.is_file():
        raise ReportError(f"notebook {notebook} not found. Fix: check the path (relative to {Path.cwd()})")
    params = dict(parameters or {})
    check_parameters(notebook, params)
    output_path.parent.mkdir(parents=True, exist_ok=True)

    import papermill as pm
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    # The kernel's folder goes to nbclient as the notebook's path, never as papermill's `cwd`:
    # papermill would os.chdir the whole process (papermill issue #473), so notebooks run in
    # parallel threads would move each other's relative paths, and the caller's.
    where = {} if cwd is None else {"resources": {"metadata": {"path": str(Path(cwd).resolve())}}}
    try:
        pm.execute_notebook(
            str(notebook),
            str(output_path),
            parameters=params,
            progress_bar=progress,
            kernel_name=kernel_name,
            execution_timeout=timeout,
            request_save_on_cell_execute=True,
            kernel_manager_class=_kernel_manager_class(env or {}),
            extra_arguments=[f"--IPKernelApp.exec_lines={KERNEL_STARTUP}"],
            **where,
        )
    except PapermillExecutionError as e:
        cell_number = _source_cell_number(output_path, e.cell_index)
        where = f"cell {cell_number}" if cell_number is not None else f"cell index {e.cell_index}"
        err = ReportError(
            f"notebook {notebook} failed in {where} (In [{e.exec_count}]: "
            f"{_first_code_line(e.source)}): {e.ename}: {_one_line(e.evalue)}. "
            f"Partly executed notebook kept at {output_path}"
        )
        _annotate(err, notebook, output_path, cell_number, e.exec_count, e.ename, _one_line(e.evalue))
        raise err from e
    except NoSuchKernel as e:
        raise ReportError(
            f"notebook {notebook}: Jupyter kernel {kernel_name!r} is not installed. "
            "Fix: `python -m ipykernel install --user` or pass kernel_name"
        ) from e
    except (DeadKernelError, CellTimeoutError, TimeoutError) as e:
        kept = f"Partly executed notebook kept at {output_path}" if output_path.exists() else "No output was written"
        err = ReportError(
            f"notebook {notebook} did not finish: {type(e).__name__}: {_one_line(str(e))}. {kept}"
        )
        _annotate(err, notebook, output_path if output_path.exists() else None, None, None,
                  type(e).__name__, _one_line(str(e)))
        raise err from e
    return output_path


def _annotate(err: ReportError, notebook: Path, partial: Path | None, cell_number: int | None,
              exec_count: int | None, ename: str, evalue: str) -> None:
    err.notebook = notebook
    err.partial_notebook = partial
    err.cell_number = cell_number
    err.exec_count = exec_count
    err.ename = ename
    err.evalue = evalue


def _source_cell_number(output_path: Path, executed_index: int) -> int | None:
    """1-based number of the failing cell in the input notebook.

    papermill reports the cell's index in the executed notebook. That notebook has one more
    cell, the injected parameters, and papermill then adds two error cells when it saves it. So
    the index is mapped back by counting the cells that papermill did not add.
    """
    import nbformat

    try:
        nb = nbformat.read(str(output_path), as_version=4)
    except Exception:  # noqa: BLE001 - the message still carries the raw index
        return None
    added_tags = {"injected-parameters", "papermill-error-cell-tag"}
    # The saved notebook has error cells in front, so find the failing cell again by its
    # papermill metadata (exception flag), then count the cells not added by papermill.
    for i, cell in enumerate(nb.cells):
        if cell.get("metadata", {}).get("papermill", {}).get("exception"):
            before = nb.cells[:i]
            return 1 + sum(1 for c in before if not added_tags & set(c.get("metadata", {}).get("tags", [])))
    # Fallback: executed_index counts the injected cell, not the error cells.
    injected_before = sum(
        1 for c in nb.cells[: executed_index + 1]
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    )
    return executed_index + 1 - injected_before


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

# Tags/attributes by which a page fetches something when it loads. <a href> links are not fetched.
_FETCHING_ATTR_RE = re.compile(
    r"<(script|link|img|iframe|embed|source|video|audio|object|input)\b[^>]*?\s"
    r"(src|href|data|srcset|poster)\s*=\s*[\"']?\s*((?:https?:)?//[^\"'\s>]*)",
    re.IGNORECASE,
)
_CSS_URL_RE = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*[\"']?\s*((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)


def find_external_references(page: str) -> list[str]:
    """List the network resources an HTML page would fetch when it loads.

    The function looks for ``src``/``href``/``data``/``srcset``/``poster`` attributes with an
    ``http(s)://`` or protocol-relative URL on the tags that fetch (script, link, img, iframe,
    embed, source, video, audio, object, input), and for CSS ``url(...)`` / ``@import``.
    Ordinary links (``<a href>``) are allowed. Text inside inlined JavaScript is scanned too,
    so a false alarm is possible but a miss is unlikely. A real browser test (``tests/browser.py``)
    is the final check.

    Returns
    -------
    list of str
        The offending URLs, in order of appearance (empty for a self-contained page).
    """
    found = [m.group(3) for m in _FETCHING_ATTR_RE.finditer(page)]
    found += [m.group(1) for m in _CSS_URL_RE.finditer(page)]
    return found


def _vega_outputs(nb: Any) -> list[str]:
    outs = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/html", "")
            if isinstance(text, list):
                text = "".join(text)
            if "vegaEmbed" in text:
                outs.append(text)
    return outs


def _check_vega_output(text: str, path: Path) -> None:
    lowered = text.lower()
    if lowered.count("<script") != 1 or lowered.count("</script") != 1 or "<!--" in lowered:
        raise ReportError(
            f"{path}: an Altair chart output holds '<script', '</script' or '<!--' in its data, which "
            "would inject markup into the report. Fix: call "
            "techseg_lib.reporting.enable_chart_renderer('svg' or 'interactive') at the top of the notebook"
        )


def notebook_to_html(
    executed_ipynb_path: str | os.PathLike[str],
    html_path: str | os.PathLike[str],
    *,
    title: str | None = None,
    inline_svg: bool = False,
) -> Path:
    """Render an executed notebook as a self-contained, client-facing HTML page.

    The page has no code cells and no ``In``/``Out`` prompts. It uses the ``offline`` template
    (``lab`` without require.js, MathJax, mermaid and the widgets manager, all of which come
    from CDNs). When the notebook holds interactive Altair charts, the vega / vega-lite /
    vega-embed bundle from vl-convert is inlined once (about 0.9 MB). Before writing, the page
    is checked with :func:`find_external_references`.

    Parameters
    ----------
    executed_ipynb_path : str or Path
        Notebook executed by :func:`execute_notebook`.
    html_path : str or Path
        Output file. Parent folders are created.
    title : str, optional
        ``<title>`` of the page, escaped. Default: the notebook's file name.
    inline_svg : bool, default False
        Put static SVG charts into the page as ``<svg>`` elements. By default, nbconvert's
        ``<img src="data:image/svg+xml;base64,...">`` is used, and an image cannot run script.

    Returns
    -------
    Path
        ``html_path``.

    Raises
    ------
    ReportError
        An Altair output would inject markup (see the module docstring), or the rendered page
        would still fetch something from the network.
    """
    import nbformat
    from nbconvert import HTMLExporter

    src = Path(executed_ipynb_path)
    html_path = Path(html_path)
    nb = nbformat.read(str(src), as_version=4)

    vega = _vega_outputs(nb)
    for text in vega:
        _check_vega_output(text, src)
    resources: dict[str, Any] = {
        "metadata": {"name": title if title is not None else src.stem},
        "techseg_inline_svg": bool(inline_svg),
    }
    if vega:
        import vl_convert as vlc
        from altair.vegalite.v6 import display as d

        vl_minor = ".".join(d.VEGALITE_VERSION.split(".")[:2])
        # The bundle is inlined in a <script>: make sure it cannot close the element early.
        bundle = vlc.javascript_bundle(vl_version=vl_minor).replace("</script", "<\\/script")
        resources["vega_bundle"] = bundle
        resources["vega_debug_json"] = json.dumps(
            {"vega_version": d.VEGA_VERSION, "vegalite_version": d.VEGALITE_VERSION,
             "vegaembed_version": d.VEGAEMBED_VERSION},
            cls=_HtmlSafeJSONEncoder,
        )
    exporter = HTMLExporter(
        template_name="offline",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # cells tagged remove-cell (e.g. the analyst's guide to the parameters) stay out of the
    # client's HTML; they remain in the executed notebook
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"remove-cell"}, enabled=True), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    external = find_external_references(body)
    if external:
        raise ReportError(
            f"{src}: the rendered HTML would fetch {len(external)} resource(s) from the network, "
            f"first {external[0]!r}. Fix: do not link external images/scripts in the notebook"
        )
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")
    return html_path


# --------------------------------------------------------------------------------------------
# index.html
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndexEntry:
    """One analysis linked from ``index.html``.

    Attributes
    ----------
    title : str
        Link text.
    href : str
        Relative link inside the report folder, e.g. ``"segmentation.html"``.
    description : str
        One sentence shown under the link (may be empty).
    """

    title: str
    href: str
    description: str = ""


def _relative_href(href: str) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("/", "\\")) or ".." in Path(parts.path).parts:
        raise ReportError(
            f"index link {href!r} is not a relative path inside the report folder. "
            "Fix: link files by their name, e.g. 'segmentation.html'"
        )
    return quote(parts.path, safe="/") + (f"#{quote(parts.fragment)}" if parts.fragment else "")


def _version_of_techseg() -> str:
    try:
        from importlib.metadata import version

        return version("techseg")
    except Exception:  # noqa: BLE001 - not installed (source checkout)
        return "unknown"


_INDEX_CSS = """
:root { --ink: #1d2733; --muted: #5b6675; --rule: #d6dbe1; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); max-width: 880px; margin: 2.5rem auto; padding: 0 1.25rem; }
header { border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
.client { font-size: 1.2rem; color: var(--muted); margin: 0 0 1rem; }
ul.analyses { list-style: none; padding: 0; }
ul.analyses li { padding: .75rem 0; border-bottom: 1px solid var(--rule); }
ul.analyses a { color: var(--accent); font-weight: 600; text-decoration: none; }
ul.analyses a:hover { text-decoration: underline; }
.desc { color: var(--muted); margin: .2rem 0 0; }
h2.section { font-size: 1.25rem; border-bottom: 1px solid var(--rule); margin-top: 2rem; }
section.highlight h2 { font-size: 1.1rem; margin: 1.25rem 0 .25rem; }
section.highlight p { margin: 0 0 .5rem; }
section.highlight figure { margin: 0; }
section.highlight svg { max-width: 100%; height: auto; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; font-size: .9rem;
          color: var(--muted); border-top: 1px solid var(--rule); padding-top: 1rem; margin-top: 2rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  ul.analyses a { color: var(--ink); }
  ul.analyses a::after { content: " (" attr(href) ")"; font-weight: normal; color: var(--muted); }
  li, section.highlight { break-inside: avoid; }
}
"""


def _date_from(report_path: Path, summary: Mapping[str, Any]) -> str:
    for key in ("date", "generated", "timestamp"):
        if summary.get(key):
            return str(summary[key])
    name = report_path.name.split(".")[0].split("-")[0]
    if _TIMESTAMP_RE.match(name):
        return datetime.strptime(name, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%d %H:%M UTC")
    return utc_timestamp()


def write_index(
    report_path: str | os.PathLike[str],
    title: str,
    entries: Iterable[IndexEntry | Mapping[str, str] | tuple[str, str]],
    summary: Mapping[str, Any],
    highlights: Iterable[tuple[str, str, str]] = (),
) -> Path:
    """Write ``index.html`` into a report folder, linking the rendered analyses.

    The page is self-contained (inline CSS, no script, nothing fetched) and prints cleanly.
    Every value is HTML-escaped and every link is a relative path, URL-quoted.

    Parameters
    ----------
    report_path : str or Path
        The report folder (for example ``ReportDir.work`` while the report is being written).
    title : str
        Page heading, e.g. ``"Technology segmentation report"``.
    entries : iterable of IndexEntry, mappings with ``title``/``href``[/``description``], or
        ``(title, href)`` pairs
        The analyses to link, in order.
    summary : Mapping[str, Any]
        The report's summary (the content of ``summary.json``). Shown: ``client``, ``archetype``
        (when present), the date (``date``/``generated``/``timestamp``, or else the report folder's
        timestamp), ``techseg_version`` (or ``version``, or else the installed package version),
        ``config`` and ``seed``, so that the report can be reproduced.
    highlights : iterable of (title, text, svg)
        The executive summary: per analysis a heading, the headline in words (escaped) and a
        chart as SVG markup produced by techseg from summary numbers (inserted as is; it must
        not contain client text). See :func:`techseg_lib.charts.executive.highlights`.

    Returns
    -------
    Path
        The path of ``index.html``.

    Raises
    ------
    ReportError
        A link is absolute, has a scheme or leaves the report folder.
    """
    report_path = Path(report_path)
    items = []
    for entry in entries:
        if isinstance(entry, IndexEntry):
            e = entry
        elif isinstance(entry, Mapping):
            e = IndexEntry(str(entry["title"]), str(entry["href"]), str(entry.get("description", "")))
        else:
            t, h = entry
            e = IndexEntry(str(t), str(h))
        desc = f'\n    <p class="desc">{safe_text(e.description)}</p>' if e.description else ""
        items.append(f'  <li><a href="{safe_text(_relative_href(e.href))}">{safe_text(e.title)}</a>{desc}</li>')

    client = summary.get("client", "")
    version = summary.get("techseg_version") or summary.get("version") or _version_of_techseg()
    meta = [("Client", client)]
    if summary.get("archetype"):
        meta.append(("Archetype", summary["archetype"]))
    meta += [("Date", _date_from(report_path, summary)), ("techseg version", version)]
    if summary.get("config"):
        meta.append(("Config", summary["config"]))
    meta.append(("Seed", summary.get("seed", "")))
    meta_html = "\n".join(f"  <dt>{safe_text(k)}</dt><dd>{safe_text(v)}</dd>" for k, v in meta)

    sections = []
    for heading, text, svg in highlights:
        figure = re.sub(r"^<\?xml[^>]*>", "", svg.strip())
        sections.append(f'<section class="highlight">\n<h2>{safe_text(heading)}</h2>\n'
                        f'<p>{safe_text(text)}</p>\n<figure>{figure}</figure>\n</section>')
    summary_html = "\n".join(sections)
    if summary_html:
        summary_html = f'<h2 class="section">Executive summary</h2>\n{summary_html}\n' \
                       f'<h2 class="section">The full analyses</h2>'

    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{safe_text(title)} - {safe_text(client)}</title>
<style>{_INDEX_CSS}</style>
</head>
<body>
<header>
<h1>{safe_text(title)}</h1>
<p class="client">{safe_text(client)}</p>
</header>
<main>
{summary_html}
<ul class="analyses">
{chr(10).join(items)}
</ul>
</main>
<footer>
<dl class="meta">
{meta_html}
</dl>
</footer>
</body>
</html>
"""
    out = report_path / "index.html"
    out.write_text(page, encoding="utf-8")
    return out
