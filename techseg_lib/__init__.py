"""techseg: what is our technology for, and how should we manage each part?

The top level holds what a notebook needs first::

    import techseg_lib as ts
    portfolio = ts.load_portfolio("portfolio.xlsx")
    classified = ts.classify(portfolio)
"""
from importlib.metadata import PackageNotFoundError, version as _version

from .errors import ConfigError, PortfolioError, ReportError, TaxonomyError, TechsegError
from .lexicon import fit_lexicon, load_lexicon
from .portfolio import PURPOSES, canonical, load_portfolio
from .segment import classify, summarize
from .taxonomy import load_taxonomy

try:
    __version__ = _version("techseg")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "PURPOSES", "ConfigError", "PortfolioError", "ReportError", "TaxonomyError", "TechsegError",
    "canonical", "classify", "fit_lexicon", "load_lexicon", "load_portfolio", "load_taxonomy",
    "summarize", "__version__",
]
