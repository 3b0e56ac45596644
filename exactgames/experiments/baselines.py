"""The paper's numeric pipeline for symmetric optima: 10 SLSQP runs + 10 replicator-dynamics runs.

This is the *baseline* that exact certification is compared against, so it
uses floats on purpose; nothing in exactgames decides a verdict with it.

What is reproduced from the paper's code (``sim.py``, see
``/work/shared/REFERENCE_IMPLEMENTATION.md``):

* starts are uniform on the simplex, ``-log(U) / sum(-log(U))`` with ``U =
  rng.random_sample(m)``; the SLSQP starts are drawn first, then the
  replicator starts, from one stream.  By default the stream is
  ``np.random.RandomState(seed)``; pass ``rng=paper_stream(...)`` (from
  :mod:`exactgames.experiments.generators`) to continue the paper's own stream
  after the game's payoff draws, as ``sim.py`` did;
* SLSQP: ``scipy.optimize.minimize(-EU, x0, bounds=[(0, 1)] * m,
  constraints={"type": "eq", "fun": sum - 1})`` (scipy then picks SLSQP), no
  gradient; a result whose coordinates sum more than 0.01 away from 1 is
  discarded (recorded, but never the best);
* replicator dynamics: 10,000 Euler steps of size 1,
  ``s <- s + s * (EU(a, s_-i) - EU(s))``.  The paper's payoffs were in (0, 1);
  with other payoffs a step of 1 can leave the simplex (and diverge), so the
  dynamics run on the payoffs rescaled affinely onto [0, 1] (same
  trajectory as the paper's for games already on that scale up to the
  affine map of the time step; recorded as ``rescale`` in the result);
* "mixed" in floating point: no coordinate ``np.isclose`` to 1 and EU
  strictly greater than the best pure strategy's EU.

As in the paper, an SLSQP run's value is ``EU(x)`` at the returned ``x``,
whose coordinates sum to 1 only within SLSQP's tolerance; such a value can lie
slightly *above* the true symmetric maximum (e.g. RandomGame 3 players x 4
actions, seed 1: 0.5599061231 reported, proved maximum 0.5599061038).

The expected utility is evaluated vectorised with numpy from the count
coefficients (``exactgames.model.utility.count_coefficients``), one orbit.

Examples
--------
>>> from exactgames.experiments.generators import generate
>>> from exactgames.experiments.baselines import run_baselines
>>> r = run_baselines(generate("random", 2, 2, seed=3), seed=3, n_slsqp=2, n_replicator=2)
>>> len(r.runs), [run.method for run in r.runs]
(4, ['slsqp', 'slsqp', 'replicator', 'replicator'])
>>> r.best_value == max(run.value for run in r.runs if not run.discarded)
True
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from exactgames.model.counts import count_vectors
from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import count_coefficients

__all__ = [
    "NumericEU",
    "BaselineRun",
    "BaselineResult",
    "numeric_eu",
    "simplex_start",
    "slsqp_run",
    "replicator_run",
    "run_baselines",
    "float_mixed",
]


@dataclass(frozen=True, eq=False)
class NumericEU:
    """Float evaluation of the symmetric EU ``sum_c w_c prod_a p_a^{c_a}`` of a totally symmetric game.

    Attributes
    ----------
    n : int
        Number of players (the polynomial's degree).
    exponents : numpy.ndarray
        ``(K, m)`` integer count vectors.
    weights : numpy.ndarray
        ``(K,)`` float coefficients ``multinomial(c) * u(c)``.
    payoffs : numpy.ndarray
        ``(K,)`` float payoffs ``u(c)``.
    multinomials : numpy.ndarray
        ``(K,)`` multinomial coefficients.
    """

    n: int
    exponents: np.ndarray
    weights: np.ndarray
    payoffs: np.ndarray
    multinomials: np.ndarray
    _dev_idx: np.ndarray = field(repr=False)
    _dev_w: np.ndarray = field(repr=False)

    @property
    def m(self) -> int:
        return self.exponents.shape[1]

    def _powers(self, p: np.ndarray) -> np.ndarray:
        return np.power.outer(np.asarray(p, dtype=float), np.arange(self.n + 1))

    def value(self, p: np.ndarray) -> float:
        """EU of the symmetric profile ``(p, ..., p)``."""
        pw = self._powers(p)
        mono = pw[np.arange(self.m), self.exponents].prod(axis=1)
        return float(self.weights @ mono)

    def deviations(self, p: np.ndarray) -> np.ndarray:
        """``EU(a, p_-i)`` for every action ``a`` (the gradient divided by n)."""
        pw = self._powers(p)
        mono = pw[np.arange(self.m), self._dev_idx].prod(axis=2)  # (m, K)
        return (self._dev_w * mono).sum(axis=1)

    def deviations_batch(self, P: np.ndarray) -> np.ndarray:
        """:meth:`deviations` for many strategies at once: ``P`` has shape (runs, m), the result too."""
        pw = np.power.outer(np.asarray(P, dtype=float), np.arange(self.n + 1))  # (R, m, n+1)
        mono = pw[:, np.arange(self.m), self._dev_idx].prod(axis=3)  # (R, m, K)
        return (self._dev_w * mono).sum(axis=2)

    def with_weights(self, scale: float, shift: float) -> "NumericEU":
        """The EU of the payoffs ``scale * u + shift`` (EU is affine in the payoffs)."""
        return _build(self.n, self.exponents, scale * self.payoffs + shift, self.multinomials)


def _multinomials(exps: np.ndarray) -> np.ndarray:
    from math import factorial

    out = []
    for c in exps:
        v = factorial(int(c.sum()))
        for x in c:
            v //= factorial(int(x))
        out.append(float(v))
    return np.array(out)


def _build(n: int, exps: np.ndarray, pay: np.ndarray, mult: np.ndarray) -> NumericEU:
    m = exps.shape[1]
    k = exps.shape[0]
    dev_idx = np.zeros((m, k, m), dtype=int)
    dev_w = np.zeros((m, k))
    for a in range(m):
        e = exps.copy()
        ok = e[:, a] >= 1
        e[ok, a] -= 1
        dev_idx[a] = e
        dev_w[a] = np.where(ok, mult * exps[:, a] / n * pay, 0.0)
    return NumericEU(n, exps, mult * pay, pay, mult, dev_idx, dev_w)


def numeric_eu(game: AnonymousGame | Game) -> NumericEU:
    """Float EU evaluator of a rational totally symmetric game (anonymous, or dense with one orbit).

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1, (1, 1): 0, (0, 2): 2})
    >>> f = numeric_eu(g)
    >>> f.value(np.array([0.5, 0.5])), f.deviations(np.array([1.0, 0.0])).tolist()
    (0.75, [1.0, 0.0])
    """
    if not game.is_rational:
        raise ExactError("the numeric baselines need a game with rational payoffs (substitute parameters first)")
    n = game.n_players
    orbit = (tuple(range(n)),)
    if isinstance(game, Game):
        if len(set(game.actions)) != 1:
            raise ExactError("the numeric baselines need every player to have the same actions")
    coefs = dict(count_coefficients(game, orbit))
    m = len(game.actions) if isinstance(game, AnonymousGame) else len(game.actions[0])
    vecs = list(count_vectors(n, m))  # every count vector, including zero payoffs (they matter when rescaling)
    exps = np.array(vecs, dtype=int).reshape(-1, m)
    mult = _multinomials(exps)
    w = np.array([_float(coefs.get((c,), 0)) for c in vecs])
    return _build(n, exps, w / mult, mult)


def _float(v: Any) -> float:
    return float(int(v.p)) / float(int(v.q)) if hasattr(v, "p") else float(v)


def simplex_start(rng: np.random.RandomState, m: int) -> np.ndarray:
    """A uniform point of the simplex: normalised exponentials, as in the paper's code.

    Examples
    --------
    >>> x = simplex_start(np.random.RandomState(0), 3)
    >>> bool(abs(x.sum() - 1) < 1e-12 and (x > 0).all())
    True
    """
    d = -np.log(rng.random_sample(m))
    return d / d.sum()


@dataclass(frozen=True)
class BaselineRun:
    """One local-search run of the numeric pipeline.

    Attributes
    ----------
    method : {"slsqp", "replicator"}
    index : int
        Run number within its method.
    start, strategy : tuple of float
        Starting point and final symmetric strategy.
    value : float
        EU of ``strategy`` (original payoff scale).
    seconds : float
        Wall time of the run.
    success : bool
        scipy's success flag (always True for the replicator).
    discarded : bool
        SLSQP result whose coordinates sum more than 0.01 away from 1.
    mixed : bool
        The paper's float "mixed" classification of this run.
    """

    method: str
    index: int
    start: tuple[float, ...]
    strategy: tuple[float, ...]
    value: float
    seconds: float
    success: bool = True
    discarded: bool = False
    mixed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "index": self.index,
            "start": list(self.start),
            "strategy": list(self.strategy),
            "value": self.value,
            "seconds": self.seconds,
            "success": self.success,
            "discarded": self.discarded,
            "mixed": self.mixed,
        }


@dataclass(frozen=True)
class BaselineResult:
    """Every run of the pipeline on one game, and the best of them.

    Attributes
    ----------
    runs : tuple of BaselineRun
    best_index : int
        Index into ``runs`` of the best non-discarded run (-1 if none).
    best_strategy : tuple of float
    best_value : float
    mixed : bool
        The paper's float "mixed" classification of the best run.
    best_pure_value : float
        Largest EU of a pure symmetric strategy (float).
    seconds : float
        Total wall time.
    rescale : tuple of float
        ``(scale, shift)`` applied to the payoffs for the replicator runs.
    """

    runs: tuple[BaselineRun, ...]
    best_index: int
    best_strategy: tuple[float, ...]
    best_value: float
    mixed: bool
    best_pure_value: float
    seconds: float
    rescale: tuple[float, float] = (1.0, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": [r.to_json() for r in self.runs],
            "best_index": self.best_index,
            "best_strategy": list(self.best_strategy),
            "best_value": self.best_value,
            "mixed": self.mixed,
            "best_pure_value": self.best_pure_value,
            "seconds": self.seconds,
            "rescale": list(self.rescale),
        }


def _best_pure(f: NumericEU) -> float:
    return max(f.value(np.eye(f.m)[a]) for a in range(f.m))


def float_mixed(f: NumericEU, strategy: np.ndarray, value: float, best_pure: float | None = None) -> bool:
    """The paper's float test: no coordinate ``np.isclose`` to 1 and EU > best pure EU.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> f = numeric_eu(AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0}))
    >>> float_mixed(f, np.array([0.5, 0.5]), 0.5), float_mixed(f, np.array([1.0, 0.0]), 0.0)
    (True, False)
    """
    bp = _best_pure(f) if best_pure is None else best_pure
    return bool(not np.any(np.isclose(strategy, np.ones(f.m))) and value > bp)


def slsqp_run(f: NumericEU, start: np.ndarray) -> tuple[np.ndarray, float, bool, bool]:
    """One SLSQP run as in the paper: returns ``(x, EU(x), success, discarded)``.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> f = numeric_eu(AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0}))
    >>> x, v, ok, dropped = slsqp_run(f, np.array([0.3, 0.7]))
    >>> round(v, 6), dropped
    (0.5, False)
    """
    m = f.m
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = minimize(
            lambda p: -f.value(p), np.array(start, dtype=float), bounds=[(0, 1)] * m,
            constraints=({"type": "eq", "fun": lambda x: np.sum(x) - 1},),
        )
    x = np.asarray(res.x, dtype=float)
    discarded = not bool(np.isclose(np.sum(x), 1.0, atol=1e-02))
    return x, float(-res.fun), bool(res.success), discarded


def replicator_run(f: NumericEU, start: np.ndarray, iterations: int = 10_000, step: float = 1.0) -> np.ndarray:
    """Euler replicator dynamics ``s <- s + step * s * (EU(a, s_-i) - EU(s))`` (payoffs should lie in [0, 1]).

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> f = numeric_eu(AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 1, (1, 1): 0, (0, 2): 0}))
    >>> replicator_run(f, np.array([0.6, 0.4]), iterations=200).round(6).tolist()
    [1.0, 0.0]
    """
    s = np.array(start, dtype=float)
    for _ in range(iterations):
        fit = f.deviations(s)
        avg = float(s @ fit)  # = EU(s) for a symmetric profile
        s = s + step * s * (fit - avg)
    return s


def replicator_runs(f: NumericEU, starts: np.ndarray, iterations: int = 10_000, step: float = 1.0) -> np.ndarray:
    """:func:`replicator_run` for several starts at once (one numpy batch per Euler step); rows are runs.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> f = numeric_eu(AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 1, (2, 1): 0, (1, 2): 2, (0, 3): 0}))
    >>> starts = np.array([[0.6, 0.4], [0.2, 0.8]])
    >>> bool(np.allclose(replicator_runs(f, starts, 300), [replicator_run(f, x, 300) for x in starts]))
    True
    """
    S = np.array(starts, dtype=float)
    for _ in range(iterations):
        fit = f.deviations_batch(S)
        avg = (S * fit).sum(axis=1, keepdims=True)
        S = S + step * S * (fit - avg)
    return S


def run_baselines(
    game: AnonymousGame | Game, seed: int, n_slsqp: int = 10, n_replicator: int = 10, rng: np.random.RandomState | None = None,
    iterations: int = 10_000,
) -> BaselineResult:
    """Run the paper's pipeline (``n_slsqp`` SLSQP + ``n_replicator`` replicator runs) on one game.

    Parameters
    ----------
    game : AnonymousGame or Game
        A rational totally symmetric common-payoff game.
    seed : int
        Seed of ``np.random.RandomState`` for the starts (ignored when ``rng`` is given).
    n_slsqp, n_replicator : int
    rng : numpy.random.RandomState, optional
        Stream to draw starts from (e.g. ``paper_stream(...)``).
    iterations : int
        Replicator Euler steps (the paper: 10,000).

    Returns
    -------
    BaselineResult
        Every run and the best; floats throughout (a baseline, never a verdict).

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
    >>> r = run_baselines(g, seed=0, n_slsqp=1, n_replicator=1, iterations=500)
    >>> round(r.best_value, 6), r.mixed
    (0.5, True)
    """
    if n_slsqp < 0 or n_replicator < 0 or n_slsqp + n_replicator == 0:
        raise ExactError(f"n_slsqp={n_slsqp}, n_replicator={n_replicator}: expected non-negative counts, not both zero")
    t_all = time.perf_counter()
    f = numeric_eu(game)
    rng = np.random.RandomState(seed) if rng is None else rng
    m = f.m
    best_pure = _best_pure(f)
    starts_s = [simplex_start(rng, m) for _ in range(n_slsqp)]
    starts_r = [simplex_start(rng, m) for _ in range(n_replicator)]
    runs: list[BaselineRun] = []
    for k, x0 in enumerate(starts_s):
        t0 = time.perf_counter()
        x, v, ok, dropped = slsqp_run(f, x0)
        dt = time.perf_counter() - t0
        runs.append(
            BaselineRun("slsqp", k, tuple(map(float, x0)), tuple(map(float, x)), v, dt, ok, dropped, float_mixed(f, x, v, best_pure))
        )
    lo, hi = float(f.payoffs.min()), float(f.payoffs.max())
    scale = 1.0 / (hi - lo) if hi > lo else 1.0
    shift = -lo * scale
    fr = f.with_weights(scale, shift) if (lo < 0 or hi > 1) else f
    rescale = (scale, shift) if fr is not f else (1.0, 0.0)
    if starts_r:
        t0 = time.perf_counter()
        finals = replicator_runs(fr, np.array(starts_r), iterations)  # all runs in one batch
        dt = (time.perf_counter() - t0) / len(starts_r)  # per run: the batch's time shared equally
        for k, (x0, x) in enumerate(zip(starts_r, finals)):
            v = f.value(x)
            runs.append(BaselineRun("replicator", k, tuple(map(float, x0)), tuple(map(float, x)), v, dt, True, False,
                                    float_mixed(f, x, v, best_pure)))
    valid = [i for i, r in enumerate(runs) if not r.discarded and np.isfinite(r.value)]
    if valid:
        bi = max(valid, key=lambda i: runs[i].value)
        best = runs[bi]
        out = BaselineResult(tuple(runs), bi, best.strategy, best.value, best.mixed, best_pure, time.perf_counter() - t_all, rescale)
    else:
        out = BaselineResult(tuple(runs), -1, (), float("-inf"), False, best_pure, time.perf_counter() - t_all, rescale)
    return out
