"""Exact conditions on a game's parameters under which a given profile has a property.

For a game whose payoffs are polynomials in parameters (any number of them)
and a profile (probabilities exact, possibly expressions in the parameters),
:func:`profile_conditions` returns, as sympy relations in the parameters:

* ``valid``: the profile is a profile (support probabilities > 0, all >= 0, sums 1);
* ``nash``: Nash equilibrium -- for every player, every action's deviation
  payoff is at most the payoff of a support action, support actions equal;
* first- and second-order conditions for a local optimum among P-invariant
  profiles (one strategy per orbit; Definition 4.0.1), on the symmetric EU
  polynomial ``F``:

  - ``local_first_order``: KKT -- ``dF/dx[o][a]`` equal on each orbit's
    support, at most that off the support;
  - ``local_sufficient``: first order with *strict* inequalities off the
    support, and the Hessian of ``F`` restricted to the support face
    negative definite (leading principal minors alternate in sign): then the
    profile is a strict local maximum;
  - ``local_necessary``: first order and that Hessian negative semidefinite
    (every principal minor of ``-H`` is >= 0) -- necessary because the
    profile lies in the relative interior of its face;

  at a pure profile whose off-support gradients are *identically* tied
  with the played action (at most two such directions), the second-order
  conditions are stated on the critical cone instead (strict / non-strict
  copositivity of the Hessian's quadratic form there); otherwise, where an
  off-support inequality is tight or the Hessian is singular, neither
  decides (higher-order terms do): ``local_undecided`` says where;
* ``nondegenerate`` (Definition 5.0.3; meaningful when ``nash`` holds): a
  pure profile is non-degenerate when at most one player is indifferent
  between its action and another; a mixed one when some player's payoff
  varies across its support against some pure profile of the others'
  supports.

Conjunctions are built with ``sympy.And`` and each relation is written as
``polynomial (op) 0`` with the polynomial factored, so sympy drops what it can
decide from the parameters' assumptions (e.g. ``eps`` positive).  Nothing is
decided numerically: :meth:`ProfileConditions.holds_at` decides every atom at
given parameter values by exact sign computation.

Examples
--------
Example 5.0.5: mixing b and c equally is a strict local optimum among
symmetric profiles exactly when ``eps > 11``.

>>> from exactgames.paper_games import example_5_0_5
>>> c = profile_conditions(example_5_0_5(), [["0", "1/2", "1/2"]] * 2, orbits=[[0, 1]])
>>> c.local_sufficient
eps - 11 > 0
>>> c.holds_at({"eps": 12})["local_sufficient"], c.holds_at({"eps": 10})["local_necessary"]
(True, False)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import sympy

from exactgames.model.exact import ExactError, sign
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact
from exactgames.model.utility import deviation_payoffs, symmetric_eu_polynomial

__all__ = ["ConditionsError", "ProfileConditions", "profile_conditions", "evaluate_condition", "parametric_regimes_with_verdicts"]


class ConditionsError(ExactError):
    """The profile or the request is malformed."""


@dataclass(frozen=True)
class ProfileConditions:
    """Exact conditions on the parameters; each a sympy Boolean (``True``/``False`` when decided outright).

    Attributes
    ----------
    parameters : the game's parameters
    assumptions : what the parameters' declared domains say (used only for simplification)
    valid, nash, local_first_order, local_sufficient, local_necessary, nondegenerate :
        see the module docstring
    orbits : 0-based orbits used for the P-invariant conditions
    method : how the conditions were obtained
    """

    parameters: tuple[sympy.Symbol, ...]
    assumptions: Any
    valid: Any
    nash: Any
    local_first_order: Any
    local_sufficient: Any
    local_necessary: Any
    nondegenerate: Any
    orbits: tuple[tuple[int, ...], ...]
    method: str = (
        "exact: expected utilities, gradient and Hessian of the symmetric EU polynomial as polynomials in the parameters (sympy)"
    )

    _KEYS = ("valid", "nash", "local_first_order", "local_sufficient", "local_necessary", "nondegenerate")

    @property
    def local_undecided(self) -> Any:
        """Where the necessary conditions hold but the sufficient ones fail: second order does not decide there."""
        return sympy.And(self.local_necessary, sympy.Not(self.local_sufficient))

    def holds_at(self, values: Mapping[Any, Any]) -> dict[str, bool]:
        """Decide every condition at exact parameter values (each atom by exact sign).

        Examples
        --------
        >>> from exactgames.paper_games import example_5_0_5
        >>> c = profile_conditions(example_5_0_5(), [["1", "0", "0"]] * 2, orbits=[[0, 1]])
        >>> c.holds_at({"eps": "1/2"})
        {'valid': True, 'nash': True, 'local_first_order': True, 'local_sufficient': True, 'local_necessary': True, 'nondegenerate': False}
        """
        by_name = {str(p): p for p in self.parameters}
        rep = {}
        for k, v in values.items():
            if str(k) not in by_name:
                raise ConditionsError(f"no parameter {str(k)!r} (parameters: {sorted(by_name) or 'none'})")
            rep[by_name[str(k)]] = parse_exact(v)
        missing = set(by_name) - {str(k) for k in rep}
        if missing:
            raise ConditionsError(f"values missing for parameters {sorted(missing)}")
        return {k: evaluate_condition(getattr(self, k), rep) for k in self._KEYS}

    def as_intervals(self) -> dict[str, str] | None:
        """For one parameter: each condition as a set of parameter values (sympy sets), where sympy can."""
        if len(self.parameters) != 1:
            return None
        p = self.parameters[0]
        out = {}
        for k in self._KEYS:
            cond = getattr(self, k)
            try:
                s = cond.as_set() if cond not in (sympy.true, sympy.false) else (sympy.S.Reals if cond else sympy.S.EmptySet)
                dom = self.assumptions.as_set() if self.assumptions not in (sympy.true,) else sympy.S.Reals
                out[k] = str(sympy.Intersection(s, dom))
            except Exception:  # noqa: BLE001 - sympy cannot always turn a condition into a set
                out[k] = str(cond)
        _ = p
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready: every condition as a sympy-parseable string."""
        out: dict[str, Any] = {"parameters": [str(p) for p in self.parameters], "assumptions": str(self.assumptions)}
        for k in self._KEYS:
            out[k] = str(getattr(self, k))
        out["local_undecided"] = str(self.local_undecided)
        out["orbits"] = [[i + 1 for i in o] for o in self.orbits]
        out["intervals"] = self.as_intervals()
        out["method"] = self.method
        return out


def evaluate_condition(cond: Any, rep: Mapping[sympy.Symbol, sympy.Expr]) -> bool:
    """Decide a Boolean combination of polynomial relations at exact values (exact signs, no floats).

    Examples
    --------
    >>> x = sympy.Symbol("x")
    >>> evaluate_condition(sympy.And(x**2 - 2 < 0, x > 0), {x: parse_exact("sqrt(2) - 1/1000")})
    True
    """
    if cond is sympy.true or cond is True:
        return True
    if cond is sympy.false or cond is False:
        return False
    if isinstance(cond, sympy.And):
        return all(evaluate_condition(a, rep) for a in cond.args)
    if isinstance(cond, sympy.Or):
        return any(evaluate_condition(a, rep) for a in cond.args)
    if isinstance(cond, sympy.Not):
        return not evaluate_condition(cond.args[0], rep)
    if isinstance(cond, sympy.core.relational.Relational):
        s = sign(sympy.expand(sympy.sympify(cond.lhs - cond.rhs).xreplace(rep)))
        op = cond.rel_op
        return {"<": s < 0, "<=": s <= 0, ">": s > 0, ">=": s >= 0, "==": s == 0, "!=": s != 0}[op]
    raise ConditionsError(f"cannot evaluate condition {cond}")


def _rel(expr: sympy.Expr, op: str) -> Any:
    """``expr op 0`` with expr simplified (factored); sympy decides it outright when it can."""
    e = sympy.factor(sympy.cancel(sympy.expand(expr)))
    if e.could_extract_minus_sign():
        e = -e
        op = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}[op]
    coeff, rest = e.as_coeff_Mul()
    if coeff.is_Rational and coeff > 0 and rest.free_symbols:
        e = rest
    return {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge, "==": sympy.Eq, "!=": sympy.Ne}[op](e, 0)


def _assumptions(game: Game | AnonymousGame) -> Any:
    conds = []
    declared = {k: v for k, v in game.domains}
    for p in game.parameters:
        d = declared.get(str(p))
        if d is None:
            if p.is_positive:
                conds.append(sympy.Gt(p, 0, evaluate=False))
            elif p.is_nonnegative:
                conds.append(sympy.Ge(p, 0, evaluate=False))
            continue
        dl = d.strip().lower()
        if dl == "positive":
            conds.append(sympy.Gt(p, 0, evaluate=False))
        elif dl == "nonnegative":
            conds.append(sympy.Ge(p, 0, evaluate=False))
        elif dl == "real":
            continue
        elif dl[:1] in "[(" and dl[-1:] in "])" and "," in dl:
            a, b = dl[1:-1].split(",", 1)
            if a.strip() not in ("-oo", "-inf"):
                lo = parse_exact(a)
                conds.append(sympy.Ge(p, lo, evaluate=False) if dl[0] == "[" else sympy.Gt(p, lo, evaluate=False))
            if b.strip() not in ("oo", "inf", "+oo"):
                hi = parse_exact(b)
                conds.append(sympy.Le(p, hi, evaluate=False) if dl[-1] == "]" else sympy.Lt(p, hi, evaluate=False))
        else:
            raise ConditionsError(f"domain of parameter {str(p)!r}: {d!r} not understood")
    return sympy.And(*conds)


def _as_profile(game: Game | AnonymousGame, profile: Sequence[Sequence[Any]]) -> tuple[tuple[sympy.Expr, ...], ...]:
    acts = game.actions if isinstance(game, Game) else game.player_actions
    if len(profile) != game.n_players:
        raise ConditionsError(f"profile has {len(profile)} strategies, expected one per player ({game.n_players})")
    syms = {str(p): p for p in game.parameters}
    out = []
    for i, s in enumerate(profile):
        if len(s) != len(acts[i]):
            raise ConditionsError(f"player {i + 1}: {len(s)} probabilities, expected {len(acts[i])} (actions {list(acts[i])})")
        try:
            out.append(tuple(parse_exact(p, syms) if not isinstance(p, sympy.Basic) else parse_exact(p) for p in s))
        except ExactError as exc:
            raise ConditionsError(f"player {i + 1}: {exc}") from None
    return tuple(out)


def _support(s: Sequence[sympy.Expr]) -> list[int]:
    return [k for k, p in enumerate(s) if sympy.expand(p) != 0]


def _valid(profile: tuple[tuple[sympy.Expr, ...], ...]) -> list:
    conds = []
    for i, s in enumerate(profile):
        conds.append(_rel(sympy.Add(*s) - 1, "=="))
        for p in s:
            if sympy.expand(p) != 0:
                conds.append(_rel(p, ">"))
    return conds


def _nash(game: Game | AnonymousGame, profile: tuple) -> tuple[list, list[tuple[sympy.Expr, ...]]]:
    conds = []
    devs = []
    for i, s in enumerate(profile):
        dev = deviation_payoffs(game, profile, i)
        devs.append(dev)
        sup = _support(s)
        ref = dev[sup[0]]
        for a in range(len(s)):
            if a == sup[0]:
                continue
            conds.append(_rel(dev[a] - ref, "==" if a in sup else "<="))
    return conds, devs


def _minor(h: sympy.Matrix, idx: Sequence[int]) -> sympy.Expr:
    return h.extract(list(idx), list(idx)).det(method="berkowitz")


def _local(game: Game | AnonymousGame, profile: tuple, orbits: Sequence[Sequence[int]]) -> tuple[list, list, list, list, list]:
    eu = symmetric_eu_polynomial(game, orbits)
    strat = []
    for o in eu.orbits:
        s0 = profile[o[0]]
        for i in o[1:]:
            if any(sympy.expand(a - b) != 0 for a, b in zip(profile[i], s0)):
                raise ConditionsError(f"the profile is not P-invariant: players {o[0] + 1} and {i + 1} share an orbit but play differently")
        strat.append(s0)
    point = {v: p for vs, s in zip(eu.variables, strat) for v, p in zip(vs, s)}
    eqs, first, strict = [], [], []
    free = []
    rep = {}
    tight = []  # (support variable, off-support variable) whose gradients are identically equal
    for vs, s in zip(eu.variables, strat):
        sup = _support(s)
        grads = [sympy.diff(eu.expr, v).xreplace(point) for v in vs]
        ref = grads[sup[0]]
        for a in range(len(vs)):
            if a == sup[0]:
                continue
            if a in sup:
                eqs.append(_rel(grads[a] - ref, "=="))
            else:
                first.append(_rel(grads[a] - ref, "<="))
                if sympy.expand(grads[a] - ref) == 0:
                    tight.append((vs[sup[0]], vs[a]))
                else:
                    strict.append(_rel(grads[a] - ref, "<"))
        last = vs[sup[-1]]
        rep[last] = 1 - sympy.Add(*[vs[k] for k in sup[:-1]])
        for k in range(len(vs)):
            if k not in sup:
                rep[vs[k]] = sympy.Integer(0)
        free.extend(vs[k] for k in sup[:-1])
    fs = sympy.expand(eu.expr.xreplace(rep))
    h = sympy.Matrix(len(free), len(free), lambda i, j: sympy.diff(fs, free[i], free[j]).xreplace(point))
    nd, nsd = [], []
    k = len(free)
    for m in range(1, k + 1):
        nd.append(_rel((-1) ** m * _minor(h, range(m)), ">"))
        for idx in itertools.combinations(range(k), m):
            nsd.append(_rel((-1) ** m * _minor(h, idx), ">="))
    if tight:
        cone = _tight_cone(eu, point, tight, k)
        if cone is None:
            nd.append(sympy.false)  # sufficient conditions cannot be stated here: leave it undecided
        else:
            nd.append(cone[0])
            nsd.append(cone[1])
    return eqs, first, strict, nd, nsd


def _tight_cone(eu: Any, point: dict, tight: list, k: int) -> tuple[Any, Any] | None:
    """Second order on the critical cone of a pure P-invariant profile with identically tight off-support gradients.

    With every orbit pure (``k == 0``) the critical cone is spanned, with
    non-negative weights, by the directions ``e_b - e_a`` (``a`` the played
    action, ``b`` an action whose gradient is identically tied with it).  A
    strict local maximum needs the quadratic form ``Q`` of the Hessian on
    these directions to be strictly copositive-negative, a local maximum needs
    it copositive-nonpositive; for one or two directions these are the
    polynomial conditions below.  Otherwise None (not expressed).
    """
    if k != 0 or len(tight) > 2:
        return None
    allv = [v for vs in eu.variables for v in vs]
    hess = {(a, b): sympy.diff(eu.expr, a, b).xreplace(point) for a in allv for b in allv}

    def q(d1: tuple, d2: tuple) -> sympy.Expr:
        (a1, b1), (a2, b2) = d1, d2
        return sympy.expand(hess[(b1, b2)] - hess[(b1, a2)] - hess[(a1, b2)] + hess[(a1, a2)])

    q11 = q(tight[0], tight[0])
    if len(tight) == 1:
        return _rel(q11, "<"), _rel(q11, "<=")
    q22 = q(tight[1], tight[1])
    q12 = q(tight[0], tight[1])
    suff = sympy.And(_rel(q11, "<"), _rel(q22, "<"), sympy.Or(_rel(q12, "<"), _rel(q12**2 - q11 * q22, "<")))
    nec = sympy.And(_rel(q11, "<="), _rel(q22, "<="), sympy.Or(_rel(q12, "<="), _rel(q12**2 - q11 * q22, "<=")))
    return suff, nec


def _dense(game: Game | AnonymousGame) -> Game:
    if isinstance(game, AnonymousGame):
        return game.to_dense(max_profiles=10**5)
    return game


def _nondegenerate(game: Game | AnonymousGame, profile: tuple, devs: list) -> Any:
    supports = [_support(s) for s in profile]
    if all(len(s) == 1 for s in supports):
        strict_players = []
        for i, s in enumerate(supports):
            a = s[0]
            strict_players.append(sympy.And(*[_rel(devs[i][b] - devs[i][a], "!=") for b in range(len(profile[i])) if b != a]))
        n = len(profile)
        return sympy.Or(*[sympy.And(*[strict_players[i] for i in range(n) if i != j]) for j in range(n)])
    g = _dense(game)
    varies = []
    for i, sup in enumerate(supports):
        if len(sup) < 2:
            continue
        others = [supports[j] for j in range(len(profile)) if j != i]
        for rest in itertools.product(*others):
            vals = []
            for a in sup:
                prof = list(rest[:i]) + [a] + list(rest[i:])
                vals.append(g.payoffs[i][g.index(prof)])
            for v in vals[1:]:
                varies.append(_rel(v - vals[0], "!="))
    return sympy.Or(*varies)


def profile_conditions(
    game: Game | AnonymousGame, profile: Sequence[Sequence[Any]], orbits: Sequence[Sequence[int]] | None = None
) -> ProfileConditions:
    """Exact conditions on the parameters for the profile to be Nash, a P-invariant local optimum, non-degenerate.

    Parameters
    ----------
    game : Game or AnonymousGame whose payoffs are polynomials in its parameters
    profile : one strategy per player; probabilities exact (strings such as
        ``"1/2"`` or ``"1 - p"`` are read with the game's parameters)
    orbits : 0-based orbits of P for the local-optimality conditions
        (default: one orbit for an anonymous game; required for a dense game
        unless every player is its own orbit -- pass ``[[0], [1], ...]`` then)

    Returns
    -------
    ProfileConditions

    Examples
    --------
    A two-parameter coordination game: (a, a) is a Nash equilibrium iff ``p >= 0``
    (b against a pays 0, a against a pays p), strict iff ``p > 0``.

    >>> from exactgames.model.game import Game
    >>> g = Game.from_common([["a", "b"]] * 2, {("a", "a"): "p", ("b", "b"): "q"}, symbols=["p", "q"])
    >>> c = profile_conditions(g, [["1", "0"]] * 2, orbits=[[0], [1]])
    >>> c.nash, c.nondegenerate
    (p >= 0, Ne(p, 0))
    """
    prof = _as_profile(game, profile)
    if orbits is None:  # P = Γ(G) by default (one orbit for an anonymous game)
        from exactgames.optimize.api import default_orbits

        orbits = [list(o) for o in default_orbits(game)]
    assume = _assumptions(game)
    valid = _valid(prof)
    nash, devs = _nash(game, prof)
    if game.is_common_payoff:
        eqs, first, strict, nd, nsd = _local(game, prof, orbits)
        first_c = sympy.And(*eqs, *first)
        suff = sympy.And(*eqs, *strict, *nd)
        nec = sympy.And(first_c, *nsd)
    else:
        first_c = suff = nec = sympy.false
    nondeg = _nondegenerate(game, prof, devs)
    simp = lambda c: _simplify(c, assume)  # noqa: E731
    return ProfileConditions(
        tuple(game.parameters),
        assume,
        simp(sympy.And(*valid)),
        simp(sympy.And(*nash)),
        simp(first_c),
        simp(suff),
        simp(nec),
        simp(nondeg),
        tuple(tuple(sorted(o)) for o in orbits),
    )


def _simplify(cond: Any, assume: Any) -> Any:
    """Let sympy simplify the logic (atoms decided by the symbols' own assumptions are already gone).

    ``sympy.refine`` against the declared domains is not used: it is slow and
    rarely helps here; the domains are reported in ``assumptions`` instead.
    """
    if cond in (sympy.true, sympy.false) or isinstance(cond, sympy.core.relational.Relational):
        return cond
    if len(cond.free_symbols) <= 3 and len(cond.atoms(sympy.core.relational.Relational)) <= 8:
        try:
            return sympy.simplify_logic(cond)
        except Exception:  # noqa: BLE001 - best effort
            return cond
    return cond


def parametric_regimes_with_verdicts(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, time_limit: float | None = None
) -> Any:
    """The regimes of the optimum in the game's free parameter, with the verdicts at each sample point.

    The parametric case of :func:`exactgames.certify.verdicts.analyze` (the one place that joins the
    optimum and its verdicts); refused for a game without parameters.

    Examples
    --------
    >>> from exactgames.paper_games import example_5_0_5
    >>> [r.interval_str() for r in parametric_regimes_with_verdicts(example_5_0_5()).regimes]
    ['(0, 11)', '[11, 11]', '(11, oo)']
    """
    from exactgames.certify.verdicts import analyze

    if not game.parameters:
        raise ConditionsError("the game has no free parameter: use exactgames.certify.verdicts.analyze for its optimum")
    return analyze(game, orbits, time_limit=time_limit)
