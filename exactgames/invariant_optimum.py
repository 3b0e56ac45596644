"""The optimum over profiles invariant under game automorphisms (issue 15), with verdicts on the game.

Above the symmetry, optimize and certify layers (it uses all three, as
:mod:`exactgames.paper_games` does): :func:`exactgames.symmetry.invariant.reduce_game`
builds the reduced game G', :func:`exactgames.optimize.optimize` proves its
optimum over the player orbits of H, the optimum is lifted to G and
:func:`exactgames.certify.verdicts.profile_verdicts` decides Nash, degeneracy and
asymmetric local optimality on G itself (never through Theorem 4.0.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.invariant import ReducedGame, lift_strategies, reduce_game

__all__ = ["InvariantOptimum", "invariant_optimum"]


@dataclass(frozen=True, eq=False)
class InvariantOptimum:
    """The optimum over ``H``-invariant profiles of ``G``, with verdicts decided on ``G``.

    Attributes
    ----------
    reduced : ReducedGame
    result : OptimumResult
        The certified optimum of ``G'`` (its certificate replays on ``reduced.game``).
    profile : tuple of tuple of sympy.Expr
        The optimal ``H``-invariant profile of ``G``.
    value : sympy.Expr
    verdicts : dict
        :func:`exactgames.certify.verdicts.profile_verdicts` on ``G`` (Nash, degeneracy, asymmetric local optimality).
    """

    reduced: ReducedGame
    result: Any
    profile: tuple[tuple[sympy.Expr, ...], ...]
    value: sympy.Expr
    verdicts: dict
    subgroup: str = "given generators"

    def to_json(self) -> dict[str, Any]:
        """JSON: the certificate ``automorphism-invariant-v1`` that ``verify`` checks.

        The generators (player images and action maps, 0-based), the player
        orbits and blocks of the invariant subspace, the lifted profile, the
        verdicts on ``G``, and ``reduced_result``: the certified optimum of the
        reduced game (one variable per block), itself an ``optimize --json``
        answer.  The checker re-verifies every generator on ``G``, derives the
        subspace from them and rebuilds the reduced EU from ``G``'s payoffs.
        """
        g = self.reduced
        return {
            "kind": "automorphism-invariant-v1",
            "subgroup": self.subgroup,
            "automorphisms": [a.to_string(_names_of(self)) for a in g.generators] or ["()"],
            "generators": [{"players": list(a.players), "actions": [list(m) for m in a.actions]} for a in g.generators],
            "orbits": [[i + 1 for i in o] for o in g.orbits],
            "value": str(self.value),
            "complete": bool(self.result.complete),
            "profile": [[str(p) for p in s] for s in self.profile],
            "nash": self.verdicts.get("nash"),
            "degenerate": self.verdicts.get("degenerate"),
            "locally_optimal_asymmetric": self.verdicts.get("locally_optimal_asymmetric"),
            "blocks": [[list(b) for b in bl] for bl in g.blocks],
            "reduced_game": g.toml(),
            "reduced_result": self.result.to_json(),
        }


def _names_of(opt: InvariantOptimum) -> Any:
    return opt.verdicts.get("_names")


def invariant_optimum(game: Game, subgroup: Any = None, time_limit: float | None = 10.0) -> InvariantOptimum:
    """Certified optimum over the profiles invariant under a group of automorphisms.

    Parameters
    ----------
    game : Game or AnonymousGame
        Common, rational payoffs.
    subgroup : None or "all" (the whole automorphism group), a generator string, or GameAutomorphism list

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> bos = Game.from_common([["H", "W"]] * 2, {("H", "W"): 2, ("W", "H"): 2, ("H", "H"): 1, ("W", "W"): 1})
    >>> opt = invariant_optimum(bos, "(1 2)(1:H 2:W)(1:W 2:H)")
    >>> opt.value, opt.profile, opt.verdicts["nash"]
    (2, ((1, 0), (0, 1)), True)
    """
    from exactgames.certify.verdicts import profile_verdicts
    from exactgames.optimize.api import optimize

    if isinstance(game, AnonymousGame):
        game = game.to_dense()
    red = reduce_game(game, subgroup)
    label = "all" if subgroup is None or subgroup == "all" else (subgroup if isinstance(subgroup, str) else "given generators")
    res = optimize(red.game, red.orbits, time_limit=time_limit, generators=[list(p) for p in red.player_generators] or None)
    if not res.complete:
        return InvariantOptimum(red, res, (), res.value, {"_names": game.actions}, label)
    profile = lift_strategies(red, res.orbits, res.strategies)
    v = profile_verdicts(game, profile, [tuple(range(game.n_players))], symmetric=False)
    v = dict(v)
    v["_names"] = game.actions
    return InvariantOptimum(red, res, profile, res.value, v, label)
