"""The payoff landscape of the paper's Figure 1, for any game with two orbits of two actions.

Each orbit's strategy is one probability (of its second action), so the expected utility of the
profiles in which the orbits play independently is a surface over the unit square.  The plot marks
the *symmetric* optimum (both orbits playing the same strategy, on the diagonal, when the orbits have
the same actions) and the optima over the whole square (the "asymmetric" optima of the two-orbit
profiles, ties included).  The marked points and values are the certified optimiser's exact answers;
floats only draw the picture.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> land = payoff_landscape(taxi_symmetric())
>>> land.orbits, land.symmetric.point, land.symmetric.value
(((0,), (1,)), (1/2, 1/2), 3/2)
>>> sorted(p.point for p in land.optima), land.optima[0].value
([(0, 1), (1, 0)], 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy

from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame, Game

__all__ = ["Landscape", "LandscapePoint", "landscape_orbits", "payoff_landscape", "draw_landscape"]


@dataclass(frozen=True)
class LandscapePoint:
    """A marked point: the two orbits' probabilities of their second action, and the exact EU there."""

    point: tuple[sympy.Expr, sympy.Expr]
    value: sympy.Expr


@dataclass(frozen=True)
class Landscape:
    """What :func:`draw_landscape` draws.

    Attributes
    ----------
    orbits : the two orbits (0-based players)
    actions : each orbit's two action names; the axes are the probabilities of the second ones
    eu : the EU polynomial in the two axis probabilities ``p`` and ``q``
    symmetric : the optimum on the diagonal ``p = q`` (None when the orbits' actions differ)
    optima : the optima over the square (ties included)
    """

    orbits: tuple[tuple[int, ...], tuple[int, ...]]
    actions: tuple[tuple[str, str], tuple[str, str]]
    eu: sympy.Expr
    symmetric: LandscapePoint | None
    optima: tuple[LandscapePoint, ...]


P, Q = sympy.symbols("p q")


def _actions(game: Game | AnonymousGame) -> tuple[tuple[str, ...], ...]:
    return game.player_actions if isinstance(game, AnonymousGame) else game.actions


def landscape_orbits(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None) -> tuple:
    """The two orbits to plot: the given ones, else Γ(G)'s when it has two, else the two players of a 2-player game.

    Raises
    ------
    ExactError
        When there are not exactly two orbits of two actions each (the message says what the game has).
    """
    from exactgames.optimize.api import default_orbits

    if orbits is None:
        orbits = default_orbits(game)
        if len(orbits) == 1 and game.n_players == 2:
            orbits = ((0,), (1,))  # the paper's Figure 1: each taxi its own probability
    orbs = tuple(tuple(sorted(o)) for o in orbits)
    acts = _actions(game)
    sizes = [len(acts[o[0]]) for o in orbs]
    if len(orbs) != 2 or sizes != [2, 2]:
        raise ExactError(f"the payoff landscape needs two orbits of two actions; here P has {len(orbs)} orbit(s) with "
                         f"{', '.join(map(str, sizes))} action(s) (choose two orbits with --subgroup)")
    return orbs


def payoff_landscape(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None,
                     time_limit: float | None = 60.0) -> Landscape:
    """The EU over the square of two orbit strategies, with the exact symmetric and two-orbit optima."""
    from exactgames.model.utility import symmetric_eu_polynomial
    from exactgames.optimize.api import optimize
    from exactgames.optimize.result import TiedPoint

    if game.parameters:
        raise ExactError("the payoff landscape needs every parameter set (--set NAME=VALUE)")
    orbs = landscape_orbits(game, orbits)
    acts = _actions(game)
    eu = symmetric_eu_polynomial(game, orbs)
    (a0, a1), (b0, b1) = eu.variables
    expr = sympy.expand(eu.expr.subs({a0: 1 - P, a1: P, b0: 1 - Q, b1: Q}))
    best = optimize(game, orbs, time_limit=time_limit)
    if not best.complete:
        raise ExactError(f"no proved optimum to mark: {best.reason}")
    optima = [best.strategies] + [t.strategies for t in best.ties if isinstance(t, TiedPoint)]
    marks = tuple(LandscapePoint((s[0][1], s[1][1]), best.value) for s in optima)
    symmetric = None
    if acts[orbs[0][0]] == acts[orbs[1][0]]:
        sym = optimize(game, (orbs[0] + orbs[1],), time_limit=time_limit)
        if not sym.complete:
            raise ExactError(f"no proved symmetric optimum to mark: {sym.reason}")
        x = sym.strategies[0][1]
        symmetric = LandscapePoint((x, x), sym.value)
    return Landscape(orbs, (tuple(acts[orbs[0][0]]), tuple(acts[orbs[1][0]])), expr, symmetric, marks)


def draw_landscape(land: Landscape, path: str, title: str = "", grid: int = 201) -> str:
    """Draw the landscape (contours of the EU, lighter is higher, as in the paper) into a PNG; returns the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    from exactgames.io.files import atomic_output
    from exactgames.optimize.result import float_of, players_text

    f = sympy.lambdify((P, Q), land.eu, "numpy")  # display only
    xs = np.linspace(0.0, 1.0, grid)
    X, Y = np.meshgrid(xs, xs)
    Z = np.broadcast_to(np.asarray(f(X, Y), dtype=float), X.shape)
    fig, ax = plt.subplots(figsize=(6.4, 5.4))
    cs = ax.contourf(X, Y, Z, levels=30, cmap="viridis")
    fig.colorbar(cs, ax=ax, label="expected utility")
    ax.plot([0, 1], [0, 1], color="white", lw=0.8, ls="--", alpha=0.7, label="symmetric profiles (p = q)")
    for k, m in enumerate(land.optima):
        ax.plot(float_of(m.point[0]), float_of(m.point[1]), "r*", ms=16, mec="black", clip_on=False, zorder=5,
                label=f"optima over the square, EU = {m.value}" if k == 0 else None)
    if land.symmetric is not None:
        s = land.symmetric
        ax.plot(float_of(s.point[0]), float_of(s.point[1]), "o", color="orange", ms=11, mec="black", clip_on=False,
                zorder=5, label=f"symmetric optimum, EU = {s.value}")
    (o1, o2), ((_, a), (_, b)) = land.orbits, land.actions
    def who(o: tuple) -> str:
        return f"player {o[0] + 1} plays" if len(o) == 1 else f"players {players_text(o)} play"

    ax.set_xlabel(f"p = P({who(o1)} {a})")
    ax.set_ylabel(f"q = P({who(o2)} {b})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_title(title or "payoff landscape (lighter is higher)", fontsize=10)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=1)
    fig.tight_layout()
    with atomic_output(path, binary=True) as fh:
        fig.savefig(fh, format="png", dpi=110)
    plt.close(fig)
    return path


def landscape_summary(land: Landscape) -> dict[str, Any]:
    """JSON of the marked points (exact strings)."""
    def pt(m: LandscapePoint) -> dict[str, Any]:
        return {"p": str(m.point[0]), "q": str(m.point[1]), "value": str(m.value)}

    return {"orbits": [[i + 1 for i in o] for o in land.orbits], "axes": [a[1] for a in land.actions],
            "eu": str(land.eu), "symmetric_optimum": None if land.symmetric is None else pt(land.symmetric),
            "optima": [pt(m) for m in land.optima]}
