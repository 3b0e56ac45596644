"""Float local search on the simplex: it only *proposes* candidates, numpy only.

The certified optimisers (:mod:`exactgames.optimize.bnb`) need good starting
points fast; nothing they claim rests on this module.  The search is a
projected-gradient ascent with Armijo backtracking (projection onto the
simplex by sorting, Duchi et al. 2008), run on a whole batch of starts at
once, followed by a few Newton steps on the support face that the ascent has
identified.  It avoids scipy, whose import alone costs about half a second of
a command's start-up.

Examples
--------
>>> import numpy as np
>>> f = lambda x: -((x - np.array([0.2, 0.3, 0.5])) ** 2).sum(axis=-1)
>>> g = lambda x: -2 * (x - np.array([0.2, 0.3, 0.5]))
>>> x = projected_ascent(f, g, np.array([[1 / 3] * 3, [1.0, 0.0, 0.0]]))
>>> np.round(x, 6).tolist()
[[0.2, 0.3, 0.5], [0.2, 0.3, 0.5]]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["project_simplex", "projected_ascent", "newton_polish", "scaled_floats"]


def scaled_floats(values: Sequence[Any]) -> np.ndarray:
    """Floats of exact numbers divided by their largest magnitude (no overflow, no underflow to all zeros).

    A positive scaling of the payoffs changes neither the maximisers nor the signs of gradients, so
    the float search may work on these.

    Examples
    --------
    >>> from fractions import Fraction
    >>> scaled_floats([Fraction(10) ** 400, -Fraction(10) ** 399, Fraction(0)]).tolist()
    [1.0, -0.1, 0.0]
    """
    vals = [Fraction(v) for v in values]
    scale = max((abs(v) for v in vals), default=Fraction(0)) or Fraction(1)
    return np.array([float(v / scale) for v in vals])


def project_simplex(v: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row of ``v`` onto the probability simplex.

    Examples
    --------
    >>> project_simplex(np.array([[2.0, 0.0], [0.3, 0.3]])).tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    return _project(np.atleast_2d(np.asarray(v, dtype=float)))


_KS: dict = {}


def _project(v: np.ndarray) -> np.ndarray:
    """:func:`project_simplex` of a 2-d float array (no conversions; the same arithmetic)."""
    m = v.shape[1]
    k = _KS.get(m)
    if k is None:
        k = _KS[m] = np.arange(1, m + 1)
    u = np.sort(v, axis=1)[:, ::-1]  # descending
    css = np.cumsum(u, axis=1)
    css -= 1.0
    cond = u - css / k > 0
    r = m - 1 - np.argmax(cond[:, ::-1], axis=1)  # last index where cond holds
    theta = css[np.arange(len(v)), r] / (r + 1)
    return np.maximum(v - theta[:, None], 0.0)


def projected_ascent(
    value: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray], np.ndarray],
    x0: np.ndarray,
    iters: int = 100,
    tol: float = 1e-13,
) -> np.ndarray:
    """Maximise ``value`` on the simplex from every row of ``x0`` (batched projected gradient).

    Parameters
    ----------
    value, grad : callables
        ``value(X)`` of shape ``(B,)`` and ``grad(X)`` of shape ``(B, m)`` for a batch ``X`` of shape ``(B, m)``.
    x0 : array of shape (B, m)
    iters : int
        Iteration cap; the step of each row adapts (doubles after a success, halves until Armijo's condition holds).

    Returns
    -------
    numpy.ndarray
        Approximate local maximisers, one row per start.

    Examples
    --------
    >>> f = lambda x: x[:, 0] * x[:, 1]
    >>> g = lambda x: np.stack([x[:, 1], x[:, 0]], axis=1)
    >>> np.round(projected_ascent(f, g, np.array([[0.9, 0.1]])), 8).tolist()
    [[0.5, 0.5]]
    """
    x = project_simplex(x0)
    b = len(x)
    fx = value(x)
    gx = grad(x)
    scale = np.maximum(np.abs(gx).max(axis=1), 1e-300)
    step = 1.0 / scale
    active = np.ones(b, dtype=bool)
    for _ in range(iters):
        idx = np.flatnonzero(active)
        if not len(idx):
            break
        xi, gi = x[idx], gx[idx]
        y = _project(xi + step[idx, None] * gi)
        fy = value(y)
        d = y - xi
        ok = fy >= fx[idx] + 1e-4 * (gi * d).sum(axis=1)
        done = np.abs(d).max(axis=1) < tol
        good = ok & ~done
        acc = idx[good]
        if len(acc):
            ya = y[good]
            x[acc] = ya
            fx[acc] = fy[good]
            gx[acc] = grad(ya)
            step[acc] *= 2.0
        rej = idx[~(ok | done)]
        if len(rej):
            step[rej] *= 0.5
            active[rej[step[rej] * scale[rej] < 1e-16]] = False
        active[idx[done]] = False
    return x


def newton_polish(
    value: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray], np.ndarray],
    hess: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    threshold: float = 1e-9,
    steps: int = 8,
) -> np.ndarray:
    """A few Newton steps on the face ``{x_a = 0 for x_a <= threshold}`` of one point; kept only if it stays feasible and no worse.

    ``value`` and ``grad`` take a batch (shape ``(B, m)``), ``hess`` one point (shape ``(m,)``).

    Examples
    --------
    >>> f = lambda x: x[:, 0] * x[:, 1] - x[:, 0] ** 2  # on the edge: t - 2 t^2, maximal at t = 1/4
    >>> g = lambda x: np.stack([x[:, 1] - 2 * x[:, 0], x[:, 0]], axis=1)
    >>> h = lambda x: np.array([[-2.0, 1.0], [1.0, 0.0]])
    >>> np.round(newton_polish(f, g, h, np.array([0.3, 0.7])), 12).tolist()
    [0.25, 0.75]
    """
    sup = np.flatnonzero(x > threshold)
    if len(sup) < 2:
        return x
    ref, idx = sup[0], sup[1:]
    y = x.copy()
    y[x <= threshold] = 0.0
    y /= y.sum()
    for _ in range(steps):
        g = grad(y[None, :])[0]
        h = hess(y)
        rg = g[idx] - g[ref]
        rh = h[np.ix_(idx, idx)] - h[idx, ref][:, None] - h[ref, idx][None, :] + h[ref, ref]
        try:
            dz = np.linalg.solve(rh, -rg)
        except np.linalg.LinAlgError:
            return x
        z = y.copy()
        z[idx] += dz
        z[ref] -= dz.sum()
        if (z[sup] <= 0).any():
            return x
        y = z
        if np.abs(dz).max() < 1e-15:
            break
    return y if value(y[None, :])[0] >= value(x[None, :])[0] - 1e-12 * (1 + abs(value(x[None, :])[0])) else x
