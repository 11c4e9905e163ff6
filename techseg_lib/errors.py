"""The exceptions a user of techseg can meet, one class per kind of failure.

Every error carries enough context to act on (file, row, column, key, cell) and a fix. The CLI
turns any :class:`TechsegError` into one line per problem and a non-zero exit code; anything
else is a bug and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class TechsegError(Exception):
    """Base class: an error caused by input the user can correct."""


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    Attributes
    ----------
    file : str
        Path of the input file as the user gave it.
    message : str
        What is wrong, in words.
    fix : str
        How to correct it.
    row : int or None
        1-based row number as a spreadsheet shows it (the header is row 1), or None when the
        problem concerns the whole file.
    column : str or None
        The column header as it appears in the file, or None.
    """

    file: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}. Fix: {self.fix}"


@dataclass
class PortfolioError(TechsegError):
    """A portfolio file that cannot be used as it is; lists every problem found."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class TaxonomyError(TechsegError):
    """A taxonomy (cue) file or a lexicon file that is malformed or cannot be read."""


class ConfigError(TechsegError):
    """A client config that is malformed; the message names the key."""


class ReportError(TechsegError):
    """A notebook that failed while rendering a report; the message names the failing cell."""
