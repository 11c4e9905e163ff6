"""Seeded, vectorised samplers shared by the simulations (PERT, Beta, lognormal, Poisson).

Every sampler takes an explicit :class:`numpy.random.Generator`; nothing here touches global
random state. Parameters may be scalars or arrays: they broadcast against each other and
against ``size`` the way numpy's own samplers do.

Two ways to draw PERT variates
------------------------------
:func:`pert` is exact: it draws ``Beta(alpha, beta)`` with numpy (two gamma variates per draw)
and rescales, with any parameter broadcasting.

:class:`PertTable` is the fast path for the hot loops of a simulation, where millions of
variates come from a *handful* of fixed parameter sets (one per purpose and form of loss). It
tabulates each set's quantile function once (16,384 equal-probability cells, the two end cells
refined 1,024 times, because the quantile function has a ``u**(1/alpha)`` corner at each end)
and draws by inverse transform with linear interpolation: one uniform, one table lookup and one
multiply-add per variate, processed in cache-sized chunks (about 10-15 ns a variate against
35-50 ns for numpy's Beta on a 2-core Xeon). PERT with ``gamma >= 0`` is a Beta with both shape
parameters >= 1, so its density is bounded and the table is accurate: the tabulated mean is
within 1e-6 and the variance within 1e-5 (relative) of the closed forms for every shape
(tested), far below Monte Carlo error at 10**6 draws (about 1e-3).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

__all__ = [
    "PertTable", "beta", "lognormal", "lognormal_from_interval", "lognormal_params_from_interval",
    "pert", "pert_mean", "pert_shape", "pert_var", "poisson",
]

_CHUNK = 1 << 15  # variates per chunk in PertTable.sample: keeps the work arrays in cache
_Z95 = 1.6448536269514722  # standard normal 95th percentile


# --------------------------------------------------------------------------------- closed forms
def pert_shape(low, mode, high, gamma: float = 4.0) -> tuple[np.ndarray, np.ndarray]:
    """Beta shape parameters of a PERT distribution.

    Parameters
    ----------
    low, mode, high : float or array_like
        Minimum, most likely and maximum value, ``low <= mode <= high`` (broadcast together).
    gamma : float, default 4
        Weight of the mode (4 is the classic PERT / FAIR choice; 0 gives a uniform).

    Returns
    -------
    alpha, beta : ndarray
        ``alpha = 1 + gamma (mode - low) / (high - low)``, ``beta = 1 + gamma (high - mode) /
        (high - low)``; both in ``[1, 1 + gamma]``. Where ``high == low`` (a constant) both are
        returned as 1 and the range is zero, so any Beta draw rescales to ``low``.
    """
    low, mode, high = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (low, mode, high)))
    span = high - low
    safe = np.where(span > 0, span, 1.0)
    alpha = np.where(span > 0, 1.0 + gamma * (mode - low) / safe, 1.0)
    beta_ = np.where(span > 0, 1.0 + gamma * (high - mode) / safe, 1.0)
    return alpha, beta_


def pert_mean(low, mode, high, gamma: float = 4.0):
    """Mean of a PERT distribution: ``(low + gamma * mode + high) / (gamma + 2)``.

    With ``gamma = 4`` this is the familiar ``(a + 4m + b) / 6``. Same units as the inputs.
    """
    low, mode, high = (np.asarray(x, dtype=float) for x in (low, mode, high))
    return (low + gamma * mode + high) / (gamma + 2.0)


def pert_var(low, mode, high, gamma: float = 4.0):
    """Variance of a PERT distribution, from its Beta form.

    ``(high - low)**2 * alpha * beta / ((alpha + beta)**2 (alpha + beta + 1))`` with the shapes
    of :func:`pert_shape`; squared units of the inputs. Zero for a constant (``low == high``).
    """
    alpha, beta_ = pert_shape(low, mode, high, gamma)
    span = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    s = alpha + beta_
    return span**2 * alpha * beta_ / (s**2 * (s + 1.0))


def _check_pert(low, mode, high) -> None:
    low, mode, high = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (low, mode, high)))
    if not (np.all(np.isfinite(low)) and np.all(np.isfinite(high)) and np.all(np.isfinite(mode))):
        raise ValueError("PERT parameters must be finite numbers")
    if np.any(low > mode) or np.any(mode > high):
        raise ValueError("PERT parameters must satisfy low <= mode <= high")


# --------------------------------------------------------------------------------- samplers
def pert(rng: np.random.Generator, low, mode, high, size=None, gamma: float = 4.0) -> np.ndarray:
    """Exact PERT variates, ``low + (high - low) * Beta(alpha, beta)``.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness.
    low, mode, high : float or array_like
        Minimum, most likely and maximum (broadcast together and with ``size``);
        ``low <= mode <= high``. ``low == high`` gives that constant.
    size : int or tuple of int, optional
        Output shape; default is the broadcast shape of the parameters.
    gamma : float, default 4
        PERT mode weight, ``>= 0``.

    Returns
    -------
    ndarray of float
        Variates in ``[low, high]``, units of the inputs.

    Raises
    ------
    ValueError
        When ``low <= mode <= high`` fails or ``gamma < 0``.
    """
    if gamma < 0:
        raise ValueError("gamma must be >= 0")
    _check_pert(low, mode, high)
    alpha, beta_ = pert_shape(low, mode, high, gamma)
    low = np.asarray(low, dtype=float)
    span = np.asarray(high, dtype=float) - low
    return low + span * rng.beta(alpha, beta_, size)


def beta(rng: np.random.Generator, a, b, size=None) -> np.ndarray:
    """Beta(a, b) variates in [0, 1]; ``a, b > 0`` broadcast with ``size``."""
    return rng.beta(a, b, size)


def lognormal(rng: np.random.Generator, mu, sigma, size=None) -> np.ndarray:
    """Lognormal variates ``exp(N(mu, sigma))``; ``mu`` and ``sigma`` are on the log scale."""
    return rng.lognormal(mu, sigma, size)


def lognormal_params_from_interval(low, high, level: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Log-scale ``(mu, sigma)`` of the lognormal whose central ``level`` interval is [low, high].

    Parameters
    ----------
    low, high : float or array_like
        Lower and upper bound of the interval, ``0 < low < high`` (e.g. the 5th and 95th
        percentiles for ``level = 0.9``).
    level : float, default 0.9
        Probability mass between ``low`` and ``high``, in (0, 1).

    Returns
    -------
    mu, sigma : ndarray
        ``mu = (ln low + ln high) / 2``, ``sigma = (ln high - ln low) / (2 z)`` with ``z`` the
        standard normal quantile at ``(1 + level) / 2``.
    """
    low = np.asarray(low, dtype=float)
    high = np.asarray(high, dtype=float)
    if np.any(low <= 0) or np.any(high <= low):
        raise ValueError("a lognormal interval needs 0 < low < high")
    if not 0 < level < 1:
        raise ValueError("level must lie in (0, 1)")
    z = _Z95 if level == 0.9 else _norm_ppf((1.0 + level) / 2.0)
    return (np.log(low) + np.log(high)) / 2.0, (np.log(high) - np.log(low)) / (2.0 * z)


def lognormal_from_interval(rng: np.random.Generator, low, high, size=None,
                            level: float = 0.9) -> np.ndarray:
    """Lognormal variates whose central ``level`` interval (default 90 %) is ``[low, high]``."""
    mu, sigma = lognormal_params_from_interval(low, high, level)
    return rng.lognormal(mu, sigma, size)


def poisson(rng: np.random.Generator, lam, size=None) -> np.ndarray:
    """Poisson counts with rate ``lam >= 0`` (events per period), broadcast with ``size``."""
    return rng.poisson(lam, size)


def _norm_ppf(p: float) -> float:
    """Standard normal quantile by bisection on erf (only used for non-default levels)."""
    from math import erf, sqrt
    lo, hi = -10.0, 10.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if 0.5 * (1.0 + erf(mid / sqrt(2.0))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# --------------------------------------------------------------------------------- fast PERT
@lru_cache(maxsize=256)
def _beta_quantile_tables(alpha: float, beta_: float, grid_size: int,
                          tail_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quantile tables of Beta(alpha, beta) (alpha, beta >= 1).

    Returns ``(main, low_tail, high_tail)``: quantiles at ``u = i / G`` (``G + 1`` values), at
    ``u = i / (G T)`` for ``i = 0..T`` (the first main cell refined ``T`` times) and at
    ``u = 1 - 1/G + i / (G T)`` (the last main cell refined). The refinement matters because the
    quantile function has a ``u**(1/alpha)`` corner at each end, where one coarse cell would carry
    most of the interpolation error. The CDF is integrated numerically (trapezoid rule on a
    Chebyshev-spaced grid of 2**17 + 1 points, dense near both ends) and inverted by linear
    interpolation. Read-only results, cached per shape.
    """
    t = np.linspace(0.0, 1.0, (1 << 17) + 1)
    x = 0.5 * (1.0 - np.cos(np.pi * t))
    dxdt = 0.5 * np.pi * np.sin(np.pi * t)
    with np.errstate(divide="ignore", invalid="ignore"):
        logpdf = (alpha - 1.0) * np.log(x) + (beta_ - 1.0) * np.log1p(-x)
    # 0 * log(0) at an end with shape 1 is nan; the Jacobian dx/dt is 0 there anyway
    f = np.exp(np.nan_to_num(logpdf, nan=0.0, neginf=-np.inf)) * dxdt
    cdf = np.concatenate(([0.0], np.cumsum((f[1:] + f[:-1]) * 0.5 * np.diff(t))))
    cdf /= cdf[-1]
    # the upper tail is inverted from the survival function so that 1 - u keeps its precision
    sf = np.concatenate((np.cumsum(((f[1:] + f[:-1]) * 0.5 * np.diff(t))[::-1])[::-1], [0.0]))
    sf /= sf[0]
    g, tl = grid_size, tail_size
    main = np.interp(np.linspace(0.0, 1.0, g + 1), cdf, x)
    low = np.interp(np.linspace(0.0, 1.0 / g, tl + 1), cdf, x)
    # survival s = 1 - u runs from 1/G down to 0; sf is decreasing, so interpolate on reversed arrays
    s_grid = np.linspace(1.0 / g, 0.0, tl + 1)
    high = np.interp(s_grid, sf[::-1], x[::-1])
    main[0], main[-1], low[0], high[-1] = 0.0, 1.0, 0.0, 1.0
    low[-1], high[0] = main[1], main[-2]
    for arr in (main, low, high):
        arr.setflags(write=False)
    return main, low, high


@dataclass(frozen=True)
class PertTable:
    """Inverse-CDF lookup tables for a few fixed PERT parameter sets.

    Build once with :meth:`from_params`, then draw millions of variates per set with
    :meth:`sample`. Use :func:`pert` instead when every draw has its own parameters.

    The quantile function is tabulated on ``grid_size`` equal-probability cells; the first and
    last cell are refined into ``tail_size`` sub-cells each. A uniform ``u`` picks its cell and
    the quantile is interpolated linearly inside it, so the tabulated distribution is
    piecewise uniform and its moments are known exactly (:meth:`mean`, :meth:`var`).

    Attributes
    ----------
    low, mode, high : ndarray, shape (k,)
        The ``k`` parameter sets.
    gamma : float
        PERT mode weight.
    quantiles : ndarray, shape (k, grid_size + 1)
        ``quantiles[j, i]`` is set ``j``'s quantile at probability ``i / grid_size``, in the
        units of the inputs.
    low_tail, high_tail : ndarray, shape (k, tail_size + 1)
        Quantiles inside the first and the last cell.
    """

    low: np.ndarray
    mode: np.ndarray
    high: np.ndarray
    gamma: float
    quantiles: np.ndarray
    low_tail: np.ndarray
    high_tail: np.ndarray

    @classmethod
    def from_params(cls, low, mode, high, gamma: float = 4.0, grid_size: int = 16384,
                    tail_size: int = 1024) -> "PertTable":
        """Tabulate the quantile functions of ``k`` PERT parameter sets.

        Parameters
        ----------
        low, mode, high : float or array_like, shape (k,)
            Parameter sets, ``low <= mode <= high`` elementwise; ``low == high`` is a constant.
        gamma : float, default 4
            PERT mode weight, ``>= 0``.
        grid_size : int, default 16384
            Number of equal-probability cells per table.
        tail_size : int, default 1024
            Sub-cells in each of the two end cells.
        """
        if gamma < 0:
            raise ValueError("gamma must be >= 0")
        if grid_size < 16 or tail_size < 1:
            raise ValueError("grid_size must be at least 16 and tail_size at least 1")
        _check_pert(low, mode, high)
        low, mode, high = (np.atleast_1d(a).astype(float)
                           for a in np.broadcast_arrays(low, mode, high))
        alpha, beta_ = pert_shape(low, mode, high, gamma)
        # round the shapes so near-identical sets share one cached table (error << 1e-9)
        parts = [_beta_quantile_tables(round(float(a), 12), round(float(b), 12), grid_size,
                                       tail_size) for a, b in zip(alpha, beta_)]
        span = (high - low)[:, None]
        tables = [low[:, None] + span * np.stack([p[i] for p in parts]) for i in range(3)]
        for arr in (*tables, low, mode, high):
            arr.setflags(write=False)
        return cls(low=low, mode=mode, high=high, gamma=float(gamma), quantiles=tables[0],
                   low_tail=tables[1], high_tail=tables[2])

    @property
    def grid_size(self) -> int:
        """Number of equal-probability cells per table."""
        return self.quantiles.shape[1] - 1

    def _cells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cell ends and probabilities: ``(left, right, weight)``, shapes (k, c), (k, c), (c,)."""
        g, tl = self.grid_size, self.low_tail.shape[1] - 1
        q, lo, hi = self.quantiles, self.low_tail, self.high_tail
        left = np.concatenate([lo[:, :-1], q[:, 1:-2], hi[:, :-1]], axis=1)
        right = np.concatenate([lo[:, 1:], q[:, 2:-1], hi[:, 1:]], axis=1)
        w = np.concatenate([np.full(tl, 1.0 / (g * tl)), np.full(g - 2, 1.0 / g),
                            np.full(tl, 1.0 / (g * tl))])
        return left, right, w

    def mean(self) -> np.ndarray:
        """Exact mean of the tabulated (piecewise-uniform) distributions, shape (k,)."""
        a, b, w = self._cells()
        return (0.5 * (a + b)) @ w

    def var(self) -> np.ndarray:
        """Exact variance of the tabulated distributions, shape (k,)."""
        a, b, w = self._cells()
        return ((a * a + a * b + b * b) / 3.0) @ w - self.mean() ** 2

    def sample(self, rng: np.random.Generator, size: int, which: int = 0,
               out: np.ndarray | None = None) -> np.ndarray:
        """Draw ``size`` variates from parameter set ``which``.

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of randomness; consumes exactly ``size`` uniforms, in order, so draws stay
            aligned (common random numbers) when only the parameters change.
        size : int
            Number of variates.
        which : int, default 0
            Index of the parameter set.
        out : ndarray of float, shape (size,), optional
            Array to write into (avoids an allocation).

        Returns
        -------
        ndarray, shape (size,)
            PERT variates of set ``which``.
        """
        q = self.quantiles[which]
        dq = np.diff(q)
        tails = np.stack([self.low_tail[which], self.high_tail[which]])
        dtails = np.diff(tails, axis=1)
        g = self.grid_size
        t = tails.shape[1] - 1
        if out is None:
            out = np.empty(size, dtype=float)
        for start in range(0, size, _CHUNK):
            stop = min(start + _CHUNK, size)
            u = rng.random(stop - start)
            u *= g
            idx = u.astype(np.intp)
            np.minimum(idx, g - 1, out=idx)
            u -= idx  # position inside the cell, uniform on [0, 1)
            idx -= 1  # as unsigned, idx - 1 >= g - 2 exactly when idx == 0 or idx == g - 1
            edge = np.flatnonzero(idx.view(np.uintp) >= g - 2)
            idx += 1
            sub = u[edge] * t
            side = (idx[edge] > 0).astype(np.intp)
            j = np.minimum(sub.astype(np.intp), t - 1)
            sub -= j
            u *= np.take(dq, idx)
            u += np.take(q, idx)
            u[edge] = tails[side, j] + sub * dtails[side, j]
            out[start:stop] = u
        return out
