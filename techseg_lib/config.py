"""Read and validate a client config (YAML): one engagement's inputs and analysis settings.

::

    client: Harbour & Vale Advisory          # display name
    archetype: information_business          # information_business | manufacturer | service_provider
    portfolio: portfolio.csv                 # path relative to this file
    assessment: assessment.yaml              # path relative to this file
    seed: 20261126                           # every simulation draws from this seed
    sheet: Export                            # optional: xlsx sheet of the portfolio
    taxonomy: my_cues.yaml                   # optional: your own cue file
    currency: EUR                            # optional: label for money in reports
    strategy: {...}                          # optional: see techseg_lib.strategy.StrategyParams
    security: {...}                          # optional: see techseg_lib.security.SecurityParams

Unknown keys are errors, not silently ignored. Every error is one line that names the file and
the key, says what was expected and how to fix it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, TechsegError

ARCHETYPES = ("information_business", "manufacturer", "service_provider")

# key -> (expected type(s), required, what it is); extend by adding an entry
KEYS: dict[str, tuple[tuple[type, ...], bool, str]] = {
    "client": ((str,), True, "the client's display name"),
    "archetype": ((str,), True, "one of " + ", ".join(ARCHETYPES)),
    "portfolio": ((str,), True, "path of the portfolio export, relative to the config"),
    "assessment": ((str,), True, "path of the assessment answers, relative to the config"),
    "seed": ((int,), True, "a whole number that seeds every simulation"),
    "sheet": ((str,), False, "the xlsx sheet that holds the portfolio"),
    "taxonomy": ((str,), False, "path of your own cue file, relative to the config"),
    "currency": ((str,), False, "currency label for money in reports, e.g. EUR"),
    "strategy": ((dict,), False, "settings of the disruptor-vs-alternative analysis"),
    "security": ((dict,), False, "settings of the security-consequence analysis"),
}


@dataclass(frozen=True)
class ClientConfig:
    """A validated client config; paths are absolute.

    Attributes
    ----------
    path : Path
        The config file.
    client, archetype : str
    portfolio, assessment : Path
    seed : int
        Seed of every simulation (0 or more).
    sheet : str or None
    taxonomy : Path or None
    currency : str
    strategy, security : dict
        The raw sections; the analyses validate them (see :meth:`strategy_params`).
    """

    path: Path
    client: str
    archetype: str
    portfolio: Path
    assessment: Path
    seed: int
    sheet: str | None = None
    taxonomy: Path | None = None
    currency: str = "EUR"
    strategy: dict = field(default_factory=dict)
    security: dict = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The config as plain data (paths as given relative to the config where possible)."""
        def rel(p: Path | None) -> str | None:
            if p is None:
                return None
            try:
                return str(p.relative_to(self.path.parent))
            except ValueError:
                return str(p)
        data = {"client": self.client, "archetype": self.archetype,
                "portfolio": rel(self.portfolio), "assessment": rel(self.assessment),
                "seed": self.seed, "currency": self.currency}
        if self.sheet is not None:
            data["sheet"] = self.sheet
        if self.taxonomy is not None:
            data["taxonomy"] = rel(self.taxonomy)
        if self.strategy:
            data["strategy"] = self.strategy
        if self.security:
            data["security"] = self.security
        return data

    def strategy_params(self):
        """The ``strategy:`` section as :class:`techseg_lib.strategy.StrategyParams`."""
        from .strategy import StrategyParams

        return _section(self.path, "strategy", StrategyParams.from_config, self.strategy)

    def security_params(self):
        """The ``security:`` section as :class:`techseg_lib.security.SecurityParams`."""
        from .security import SecurityParams

        return _section(self.path, "security", SecurityParams.from_config, self.security)


def _section(path: Path, key: str, parse, section: dict):
    try:
        return parse(section or None)
    except TechsegError as err:
        message = str(err)  # the section's parser names the key path, e.g. strategy.competitors
        raise ConfigError(f"{path}: key {message if message.startswith(key) else key + ': ' + message}") from None


def _fail(path: Path | str, key: str, message: str, fix: str) -> ConfigError:
    return ConfigError(f"{path}: key {key!r}: {message}. Fix: {fix}")


def load_config(path: str | Path) -> ClientConfig:
    """Read, validate and resolve a client config.

    Raises
    ------
    ConfigError
        One line naming the file and the key: missing file, not YAML, unknown key, missing
        key, wrong type, unknown archetype, a referenced file that does not exist, a bad key or
        value in the ``strategy:`` or ``security:`` section.
    """
    path = Path(path).resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file. Fix: check the path")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}: not valid YAML{where}. Fix: correct the syntax") from None
    if not isinstance(data, dict):
        raise _fail(path, "(top level)", "expected a mapping of keys to values",
                    "start from techseg new-client or a sample config")
    for key in data:
        if key not in KEYS:
            raise _fail(path, str(key), "unknown key",
                        f"use only {', '.join(KEYS)} (see the README)")
    for key, (types, required, what) in KEYS.items():
        if key not in data or data[key] is None:
            if required:
                raise _fail(path, key, "missing", f"add {key}: <{what}>")
            continue
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, types):
            raise _fail(path, key, f"expected {what}, got {type(value).__name__} {value!r}",
                        f"write {key} as {types[0].__name__}")
    if data["archetype"] not in ARCHETYPES:
        raise _fail(path, "archetype", f"unknown archetype {data['archetype']!r}",
                    f"use one of {', '.join(ARCHETYPES)}")
    if data["seed"] < 0:
        raise _fail(path, "seed", f"{data['seed']} is negative", "use a whole number >= 0")
    if not data["client"].strip():
        raise _fail(path, "client", "empty", "write the client's name")

    def existing(key: str) -> Path | None:
        if data.get(key) is None:
            return None
        resolved = (path.parent / data[key]).resolve()
        if not resolved.is_file():
            raise _fail(path, key, f"file not found: {resolved}",
                        "give a path relative to the config file")
        return resolved

    config = ClientConfig(
        path=path, client=data["client"].strip(), archetype=data["archetype"],
        portfolio=existing("portfolio"), assessment=existing("assessment"), seed=data["seed"],
        sheet=data.get("sheet"), taxonomy=existing("taxonomy"),
        currency=data.get("currency") or "EUR",
        strategy=dict(data.get("strategy") or {}), security=dict(data.get("security") or {}))
    # validate the analysis sections now, so that a bad key fails before any report is written
    if config.strategy:
        config.strategy_params()
    if config.security:
        config.security_params()
    return config
