"""The optimum over profiles invariant under game automorphisms (issue 15), with verdicts on the game.

Above the symmetry, optimize and certify layers (it uses all three, as
:mod:`exactgames.paper_games` does): :func:`exactgames.symmetry.invariant.reduce_game`
builds the reduced game G', :func:`exactgames.optimize.optimize` proves its
optimum over the player orbits of H, the optimum is lifted to G and
:func:`exactgames.certify.verdicts.profile_verdicts` decides Nash, degeneracy and
asymmetric local optimality on G itself (never through Theorem 4.0.2).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry.invariant import ReducedGame, lift_strategies, reduce_game

__all__ = ["InvariantOptimum", "invariant_optimum", "merged_optimum", "name_following", "invariant_latex"]


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
    duplicates: tuple = ()

    @property
    def continuum_text(self) -> str:
        """The continuum of maximisers implied by merged duplicate actions ('' when none were merged)."""
        from exactgames.optimize.result import players_text

        names = self.verdicts.get("_names")
        who: dict[str, list[int]] = {}
        for i, classes in enumerate(self.duplicates):
            for c in classes:
                who.setdefault("{" + ", ".join(names[i][k] for k in c) + "}", []).append(i)
        if not who:
            return ""
        parts = [f"player{'s' if len(ps) > 1 else ''} {players_text(ps)}: {c}" for c, ps in who.items()]
        return ("continuum of maximisers: the probability of each merged class of payoff-equivalent actions is split "
                "freely between its copies (" + "; ".join(parts) + "); the profile shown splits it equally")

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
            **({"optimum_over": "P-invariant profiles", "duplicates": [
                {"player": i + 1, "actions": [_names_of(self)[i][k] for k in c]} for i, cl in enumerate(self.duplicates) for c in cl],
                "continuum": self.continuum_text} if self.duplicates else {}),
            "reduced_result": self.result.to_json(),
        }


def _player_actions(game: Any) -> Any:
    return game.player_actions if isinstance(game, AnonymousGame) else game.actions


def _names_of(opt: InvariantOptimum) -> Any:
    return opt.verdicts.get("_names")


def name_following(game: Game, perm: Any) -> Any:
    """A player permutation (one-line, 0-based) as a game automorphism whose action maps follow the names."""
    from exactgames.symmetry.automorphisms import GameAutomorphism

    maps = []
    for i, j in enumerate(perm):
        if sorted(game.actions[i]) != sorted(game.actions[j]):
            raise ValueError(f"player {i + 1} goes to player {j + 1}, whose actions differ")
        maps.append(tuple(list(game.actions[j]).index(a) for a in game.actions[i]))
    return GameAutomorphism(tuple(int(p) for p in perm), tuple(maps))


def merged_optimum(game: Game, generators: Any = None, time_limit: float | None = 10.0) -> InvariantOptimum | None:
    """The optimum among P-invariant profiles with payoff-equivalent actions merged (issue 14 item 15), or None.

    ``generators``: P's generators (0-based one-line player permutations), Γ(G)'s by default.  None is
    returned when the game has no duplicate actions.  The optimum is that of the group generated by P
    and the single-player swaps of duplicates: the EU depends on each player's strategy only through
    the total of each duplicate class, so its optimum over P-invariant profiles is the same, and every
    split of a merged class's probability between its copies is optimal too (``continuum_text``).

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["A", "B", "B2"]] * 2, lambda p: int(p[0] == p[1] == "A") + 2 * int({p[0], p[1]} <= {"B", "B2"}))
    >>> opt = merged_optimum(g)
    >>> opt.value, opt.profile
    (2, ((0, 1/2, 1/2), (0, 1/2, 1/2)))
    """
    from exactgames.symmetry.duplicates import duplicate_actions, duplicate_generators

    if isinstance(game, AnonymousGame) or not game.is_common_payoff or game.parameters or not game.is_rational:
        return None
    dups = duplicate_actions(game)
    if not any(dups):
        return None
    if generators is None:
        from exactgames.optimize.api import default_generators

        generators = default_generators(game)
    gens = [name_following(game, p) for p in generators if list(p) != list(range(game.n_players))]
    opt = invariant_optimum(game, gens + duplicate_generators(game), time_limit=time_limit)
    return dataclasses.replace(opt, subgroup="P and the swaps of payoff-equivalent actions", duplicates=dups)


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

    red = reduce_game(game, subgroup)
    label = "all" if subgroup is None or subgroup == "all" else (subgroup if isinstance(subgroup, str) else "given generators")
    res = optimize(red.game, red.orbits, time_limit=time_limit, generators=[list(p) for p in red.player_generators] or None)
    if not res.complete:
        return InvariantOptimum(red, res, (), res.value, {"_names": _player_actions(game)}, label)
    profile = lift_strategies(red, res.orbits, res.strategies)
    v = profile_verdicts(game, profile, [tuple(range(game.n_players))], symmetric=False)
    v = dict(v)
    v["_names"] = _player_actions(game)
    return InvariantOptimum(red, res, profile, res.value, v, label)


def invariant_latex(game: Game, opt: InvariantOptimum) -> str:
    r"""A standalone LaTeX derivation of an invariant optimum, every formula computed from the game.

    The generators, the invariant profiles in one variable per (player orbit, block), the EU on them
    (sympy, by substituting the symbolic invariant profile into the exact expected utility of ``G``),
    with a single free variable its derivative and critical points, the certified optimum, and each
    player's deviation payoffs at it (Nash by exact comparison, not by the conjecture).

    Examples
    --------
    >>> from exactgames.model.game import Game
    >>> bos = Game.from_common([["O", "F"]] * 2, {("O", "O"): 3, ("F", "F"): 3, ("F", "O"): 1})
    >>> tex = invariant_latex(bos, invariant_optimum(bos, "all"))
    >>> r"\frac{9}{5}" in tex and r"y_{1} = \frac{2}{5}" in tex
    True
    """
    from exactgames.model.utility import deviation_payoffs, expected_utility
    from exactgames.output.latex import escape

    red = opt.reduced
    names = game.actions
    n = game.n_players
    ys = []
    for k, orb in enumerate(red.orbits):
        nb = len(red.blocks[orb[0]])
        ys.append([sympy.Symbol(f"y_{{{k + 1}}}" if nb == 2 else f"y_{{{k + 1},{t + 1}}}") for t in range(nb - 1)])
    free = [v for vs in ys for v in vs]
    prof: list[Any] = [None] * n
    for k, orb in enumerate(red.orbits):
        tot = ys[k] + [1 - sum(ys[k])]
        for j in orb:
            s = [sympy.Integer(0)] * len(names[j])
            for t, b in enumerate(red.blocks[j]):
                for a in b:
                    s[a] = tot[t] / len(b)
            prof[j] = s
    eu = sympy.expand(expected_utility(game, prof))
    L = [r"\documentclass{article}", r"\usepackage{amsmath,amssymb}", r"\begin{document}",
         r"\section*{" + escape(game.title or "Game") + r": optimum over automorphism-invariant profiles}",
         r"\subsection*{Automorphisms}",
         "Generators (players numbered from 1; an action point $i{:}a$ not listed goes to the action of the same name):",
         r"\begin{itemize}"]
    L += [r"\item \texttt{" + escape(t) + "}" for t in opt.to_json()["automorphisms"]]
    L += [r"\end{itemize}", "Each was verified exactly on every pure profile.", r"\subsection*{Invariant profiles}",
          "A profile $s$ is invariant when $s_{\\pi(i)}(\\sigma_i(a)) = s_i(a)$ for every generator. "
          "Player orbits share one strategy up to the action maps; the actions of a block get equal probabilities:",
          r"\begin{align*}"]
    rows = []
    for j in range(n):
        rows.append(f"s_{{{j + 1}}} &= (" + ", ".join(f"{sympy.latex(x)}" for x in prof[j]) + r")\quad"
                    + r"\text{ over } (" + ", ".join(escape(a) for a in names[j]) + ")")
    L.append(r" \\ ".join(rows))
    L += [r"\end{align*}", r"\subsection*{Expected utility on the invariant profiles}", r"\[ EU = " + sympy.latex(eu) + r" \]"]
    if opt.result.complete and len(free) == 1:
        v = free[0]
        d = sympy.expand(sympy.diff(eu, v))
        crit = [c for c in sympy.solve(d, v) if c.is_real and 0 <= c <= 1]
        vals = [(c, sympy.nsimplify(eu.subs(v, c))) for c in crit] + [(sympy.Integer(e), eu.subs(v, e)) for e in (0, 1)]
        L += [r"\[ \frac{dEU}{d" + sympy.latex(v) + "} = " + sympy.latex(d) + r" \]",
              "Critical points in $[0, 1]$ and the ends: " + ", ".join(
                  f"${sympy.latex(v)} = {sympy.latex(c)}$: $EU = {sympy.latex(sympy.simplify(x))}$" for c, x in vals) + "."]
    if opt.result.complete:
        y_star = []
        for k, orb in enumerate(red.orbits):
            s = opt.profile[orb[0]]
            tot = [sum((s[a] for a in b), sympy.Integer(0)) for b in red.blocks[orb[0]]]
            y_star += [f"{sympy.latex(y)} = {sympy.latex(sympy.nsimplify(t))}" for y, t in zip(ys[k], tot)]
        L += [r"\subsection*{Certified optimum}",
              "The certified branch and bound over the invariant profiles proves the maximum "
              f"$EU^* = {sympy.latex(opt.value)}$ at $" + ", ".join(y_star) + "$ (checkable with \\texttt{exactgames verify}).",
              r"\subsection*{Nash equilibrium, checked on the game}", r"\begin{align*}"]
        rows = []
        for j in range(n):
            dev = deviation_payoffs(game, opt.profile, j)
            rows.append(f"\\text{{player {j + 1}: }} & " + ", ".join(
                f"EU({escape(a)}) = {sympy.latex(sympy.nsimplify(x))}" for a, x in zip(names[j], dev)))
        L.append(r" \\ ".join(rows))
        L += [r"\end{align*}", "No pure deviation gains: "
              + ("the profile is a Nash equilibrium." if opt.verdicts.get("nash") else "the profile is not a Nash equilibrium.")]
    L.append(r"\end{document}")
    return "\n".join(L) + "\n"
