"""GAMUT game generators (Appendix F.1): RandomGame, CoordinationGame, CollaborationGame.

Every generated game is a totally symmetric common-payoff game in the compact
:class:`~exactgames.model.game.AnonymousGame` form: one payoff per unordered
action profile, i.e. per count vector.

Reproducibility and the random stream
-------------------------------------
The paper's code (``sim.py`` of github.com/scottemmons/coordination) calls
``np.random.seed(t)`` for game ``t`` and then draws, from numpy's legacy
Mersenne-Twister stream:

1. ``np.random.uniform(0, 1, K)`` with ``K`` the number of count vectors,
   listed in the key order of ``sympy.ntheory.multinomial.multinomial_coefficients(m, n)``;
2. for CoordinationGame and CollaborationGame, one further uniform per
   count vector that is not "all players choose the same action" (and, for
   CoordinationGame, also for those that are), in the same order, replacing
   the first batch.

We replay exactly this stream with ``np.random.RandomState(seed)`` (the
generator behind ``np.random.seed``), without touching numpy's global state,
so game ``seed`` here is the paper's game ``t = seed``.  :func:`paper_stream`
returns the stream positioned just after the game's draws, which is where the
paper's code drew its optimisation starting points.

Exact payoffs on a decimal grid
-------------------------------
Each uniform draw ``u`` in [0, 1) is rounded to 6 decimals,
``k = round(u * 10**6)``, and the payoff is the exact rational
``lo + (hi - lo) * k / 10**6`` for the class's interval ``[lo, hi]``.  Payoffs
are therefore exact rationals (denominators dividing ``2 * 10**8``); the
floats only choose the grid point.

Scales
------
``scale="code"`` (default) uses the paper code's scales: RandomGame U(0, 1);
CoordinationGame all-same U(1/2, 1), others U(0, 1/2); CollaborationGame
all-same 1, others U(0, 199/200).  ``scale="appendix"`` uses Appendix F.1's:
RandomGame U(-100, 100); CoordinationGame all-same U(0, 100), others
U(-100, 0); CollaborationGame all-same 100, others U(-100, 99).  With the
same seed the two scales are (up to the grid rounding, which is the same
``k``) positive affine images of each other, so optima and supports agree.

Examples
--------
>>> from exactgames.experiments.generators import generate
>>> g = generate("random", 2, 2, seed=0)
>>> g.title
'RandomGame 2 players x 2 actions, seed 0, scale code'
>>> sorted((c, str(v)) for c, v in g.payoff.items())
[((0, 2), '274407/500000'), ((1, 1), '602763/1000000'), ((2, 0), '715189/1000000')]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy
from sympy.ntheory.multinomial import multinomial_coefficients

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame

__all__ = [
    "CLASSES",
    "SCALES",
    "GRID",
    "GeneratorError",
    "paper_order",
    "random_game",
    "coordination_game",
    "collaboration_game",
    "generate",
    "paper_stream",
    "action_names",
    "draws_of",
]

GRID = 10**6
"""Payoffs are ``lo + (hi - lo) * k / GRID`` for an integer ``k``."""

CLASSES = ("random", "coordination", "collaboration")
SCALES = ("code", "appendix")

_F = Fraction
# per class and scale: (interval for all-same outcomes, interval for the others); None = fixed value
_RANGES: dict[tuple[str, str], tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]] = {
    ("random", "code"): ((_F(0), _F(1)), (_F(0), _F(1))),
    ("random", "appendix"): ((_F(-100), _F(100)), (_F(-100), _F(100))),
    ("coordination", "code"): ((_F(1, 2), _F(1)), (_F(0), _F(1, 2))),
    ("coordination", "appendix"): ((_F(0), _F(100)), (_F(-100), _F(0))),
    ("collaboration", "code"): ((_F(1), _F(1)), (_F(0), _F(199, 200))),
    ("collaboration", "appendix"): ((_F(100), _F(100)), (_F(-100), _F(99))),
}
_TITLES = {"random": "RandomGame", "coordination": "CoordinationGame", "collaboration": "CollaborationGame"}


class GeneratorError(ExactError):
    """Bad arguments to a game generator."""


def action_names(n_actions: int) -> tuple[str, ...]:
    """Action names ``a1 .. am``.

    Examples
    --------
    >>> action_names(3)
    ('a1', 'a2', 'a3')
    """
    return tuple(f"a{k + 1}" for k in range(n_actions))


def paper_order(n_players: int, n_actions: int) -> list[tuple[int, ...]]:
    """Count vectors in the order in which the paper's code draws their payoffs.

    Examples
    --------
    >>> paper_order(3, 2)
    [(0, 3), (3, 0), (1, 2), (2, 1)]
    """
    return [tuple(c) for c in multinomial_coefficients(n_actions, n_players)]


def _check(cls: str, n_players: int, n_actions: int, scale: str) -> None:
    if cls not in CLASSES:
        raise GeneratorError(f"game class {cls!r}: expected one of {', '.join(CLASSES)}")
    if scale not in SCALES:
        raise GeneratorError(f"scale {scale!r}: expected one of {', '.join(SCALES)}")
    for name, v, lo in (("n_players", n_players, 1), ("n_actions", n_actions, 1)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < lo:
            raise GeneratorError(f"{name}={v!r}: expected an integer >= {lo}")


def _grid(u: float, lo: Fraction, hi: Fraction) -> Fraction:
    k = int(round(float(u) * GRID))
    return lo + (hi - lo) * Fraction(k, GRID)


def _draw(cls: str, n_players: int, n_actions: int, rng: np.random.RandomState, scale: str) -> dict[tuple[int, ...], Fraction]:
    """Replay the paper code's draws (see the module docstring) on ``rng``."""
    order = paper_order(n_players, n_actions)
    same_rng, other_rng = _RANGES[(cls, scale)]
    first = rng.uniform(0.0, 1.0, len(order))
    out: dict[tuple[int, ...], Fraction] = {}
    if cls == "random":
        for c, u in zip(order, first):
            out[c] = _grid(u, *same_rng)
        return out
    for c in order:
        all_same = max(c) == n_players
        if all_same and cls == "collaboration":
            out[c] = same_rng[0]
            continue
        # the paper's code draws uniform(0.5, 1) / uniform(0, 0.5) / uniform(0, 199/200);
        # uniform(a, b) = a + (b - a) * random_sample(), so the underlying sample is recovered exactly enough
        u = rng.random_sample()
        out[c] = _grid(u, *(same_rng if all_same else other_rng))
    return out


def _make(cls: str, n_players: int, n_actions: int, seed: int, scale: str) -> AnonymousGame:
    _check(cls, n_players, n_actions, scale)
    rng = np.random.RandomState(seed)
    pay = _draw(cls, n_players, n_actions, rng, scale)
    title = f"{_TITLES[cls]} {n_players} players x {n_actions} actions, seed {seed}, scale {scale}"
    payoff = {c: sympy.Rational(v.numerator, v.denominator) for c, v in pay.items()}
    return AnonymousGame(n_players, action_names(n_actions), payoff, (), title)


def random_game(n_players: int, n_actions: int, seed: int, scale: str = "code") -> AnonymousGame:
    """A GAMUT RandomGame (Definition F.1.1): one i.i.d. uniform payoff per count vector.

    Parameters
    ----------
    n_players, n_actions : int
    seed : int
        The paper's game index ``t`` (``np.random.seed(t)`` stream).
    scale : {"code", "appendix"}
        U(0, 1) as in the paper's code, or U(-100, 100) as in Appendix F.1.

    Returns
    -------
    AnonymousGame
        Exact rational payoffs on the grid described in the module docstring.

    Examples
    --------
    >>> g = random_game(3, 2, seed=1)
    >>> len(g.payoff), all(0 <= v <= 1 for v in g.payoff.values())
    (4, True)
    >>> random_game(3, 2, seed=1).payoff == g.payoff
    True
    """
    return _make("random", n_players, n_actions, seed, scale)


def coordination_game(n_players: int, n_actions: int, seed: int, scale: str = "code") -> AnonymousGame:
    """A GAMUT CoordinationGame (Definition F.1.2).

    All-same-action outcomes draw from the high interval (U(1/2, 1) or
    U(0, 100)), every other outcome from the low one (U(0, 1/2) or U(-100, 0)).

    Examples
    --------
    >>> g = coordination_game(2, 2, seed=0)
    >>> g.value((2, 0)) >= g.value((1, 1)), g.value((0, 2)) >= g.value((1, 1))
    (True, True)
    """
    return _make("coordination", n_players, n_actions, seed, scale)


def collaboration_game(n_players: int, n_actions: int, seed: int, scale: str = "code") -> AnonymousGame:
    """A GAMUT CollaborationGame (Definition F.1.3).

    All-same-action outcomes pay 1 (or 100); every other outcome draws from
    U(0, 199/200) (or U(-100, 99)).

    Examples
    --------
    >>> g = collaboration_game(3, 3, seed=2, scale="appendix")
    >>> g.value((3, 0, 0)), g.value((0, 0, 3))
    (100, 100)
    """
    return _make("collaboration", n_players, n_actions, seed, scale)


def generate(cls: str, n_players: int, n_actions: int, seed: int, scale: str = "code") -> AnonymousGame:
    """Generate a game of class ``cls`` in {"random", "coordination", "collaboration"}.

    Examples
    --------
    >>> generate("coordination", 2, 3, 7).title
    'CoordinationGame 2 players x 3 actions, seed 7, scale code'
    >>> generate("chess", 2, 2, 0)
    Traceback (most recent call last):
    ...
    exactgames.experiments.generators.GeneratorError: game class 'chess': expected one of random, coordination, collaboration
    """
    return _make(cls, n_players, n_actions, seed, scale)


def paper_stream(cls: str, n_players: int, n_actions: int, seed: int) -> np.random.RandomState:
    """The paper's random stream for game ``seed``, positioned after the game's payoff draws.

    The paper's code drew its SLSQP and replicator starting points from this
    continuation of ``np.random.seed(seed)``.

    Examples
    --------
    >>> a = paper_stream("random", 2, 2, 0).random_sample()
    >>> b = paper_stream("random", 2, 2, 0).random_sample()
    >>> a == b
    True
    """
    _check(cls, n_players, n_actions, "code")
    rng = np.random.RandomState(seed)
    _draw(cls, n_players, n_actions, rng, "code")
    return rng


def draws_of(game: AnonymousGame, order: Sequence[tuple[int, ...]] | None = None) -> list[Fraction]:
    """Payoffs of ``game`` as Fractions in the paper's draw order (for reproducibility checks).

    Examples
    --------
    >>> draws_of(generate("random", 2, 2, 0))[0]
    Fraction(274407, 500000)
    """
    order = paper_order(game.n_players, len(game.actions)) if order is None else order
    return [Fraction(int(sympy.numer(game.payoff[c])), int(sympy.denom(game.payoff[c]))) for c in order]
