"""The exact expected payoff of behaviour strategies in a game tree, as a polynomial, built from the tree.

Never through the normal form: one pass over the (shared) nodes, bottom up, with
python-flint ``fmpq_mpoly`` polynomials.  A behaviour strategy gives every
information set ``I`` a distribution ``x_(I, a)`` over its actions; the expected
payoff of player ``p`` is ``EU(node) = payoff_p(node) + sum_children w * EU(child)``
with ``w`` the chance probability or the variable ``x_(I, a)``.  Which variable an
information set's action uses is the caller's (``var_of``): one per
``(infoset, action)`` for asymmetric behaviour, one per ``(class, action)`` when
the agents of an orbit share their strategy over a class of information sets.

:func:`symmetric_eu` gives the shared-strategy polynomial *homogenised per
class* (each monomial multiplied by ``(sum of that class's variables)^k``, which is
1 on the simplex) so that it has one degree in each class: the multi-homogeneous
form of a product of simplices, as a dict (concatenated exponent vector ->
Fraction), exactly the ``coef`` of :class:`exactgames.optimize.bnb.form.ProductSetup`.

This module imports only :mod:`exactgames.model` and python-flint, so an
independent checker can rebuild the polynomial from the tree.

Examples
--------
>>> from fractions import Fraction as F
>>> from exactgames.model.tree import Decision, InfoSet, TeamTree, Terminal
>>> leaf = lambda v: Terminal((F(v), F(v)))
>>> t = TeamTree(("1", "2"), (InfoSet(0, "", ("a", "b")), InfoSet(1, "", ("a", "b"))),
...              Decision(0, (Decision(1, (leaf(1), leaf(0))), Decision(1, (leaf(0), leaf(2))))))
>>> sizes, ms, coef = symmetric_eu(t, [[0, 1]])
>>> sizes, ms, sorted(coef.items())
((2,), (2,), [((0, 2), Fraction(2, 1)), ((2, 0), Fraction(1, 1))])
>>> evaluate(t, {0: (F(1, 3), F(2, 3)), 1: (F(1, 3), F(2, 3))})
Fraction(1, 1)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Mapping, Sequence

import flint

from exactgames.model.tree import Chance, Decision, TeamTree, Terminal

__all__ = ["tree_polynomial", "symmetric_eu", "evaluate", "node_values", "class_of"]


def _q(v: Fraction) -> flint.fmpq:
    return flint.fmpq(v.numerator, v.denominator)


def tree_polynomial(
    tree: TeamTree, var_of: Callable[[int, int], int | Fraction], nvars: int, player: int = 0
) -> tuple[flint.fmpq_mpoly, flint.fmpq_mpoly_ctx]:
    """``EU_player`` as an ``fmpq_mpoly`` in ``nvars`` variables; action ``a`` of information set ``I`` is variable ``var_of(I, a)``.

    ``var_of`` may return a Fraction instead of a variable index: that action's fixed probability.

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> from exactgames.model.tree import Chance, Decision, InfoSet, TeamTree, Terminal
    >>> t = TeamTree(("1",), (InfoSet(0, "", ("a", "b")),),
    ...              Chance((F(1, 2), F(1, 2)), (Decision(0, (Terminal((F(1),)), Terminal())), Terminal((F(3),)))))
    >>> p, ctx = tree_polynomial(t, lambda i, a: a, 2)
    >>> p
    1/2*x0 + 3/2
    """
    ctx = flint.fmpq_mpoly_ctx.get(tuple(f"x{j}" for j in range(nvars)), "lex")
    gens = ctx.gens()
    zero = ctx.from_dict({})
    memo: dict[int, flint.fmpq_mpoly] = {}
    for node in tree.postorder():  # children before parents
        if isinstance(node, Terminal):
            val = zero
        elif isinstance(node, Chance):
            val = zero
            for p, c in zip(node.probs, node.children):
                if p:
                    val = val + memo[id(c)] * _q(p)
        else:
            val = zero
            for a, c in enumerate(node.children):
                sub = memo[id(c)]
                if not sub.is_zero():
                    v = var_of(node.infoset, a)
                    if isinstance(v, Fraction):  # a fixed probability
                        if v:
                            val = val + sub * _q(v)
                    else:
                        val = val + sub * gens[v]
        if node.payoff is not None and node.payoff[player]:
            val = val + _q(node.payoff[player])
        memo[id(node)] = val
    return memo[id(tree.root)], ctx


def class_of(tree: TeamTree, classes: Sequence[Sequence[int]]) -> dict[int, int]:
    """Information set -> index of its class; every information set must be in exactly one class."""
    out: dict[int, int] = {}
    for c, members in enumerate(classes):
        for i in members:
            if i in out:
                raise ValueError(f"information set {i} is in two classes")
            out[int(i)] = c
    missing = set(range(len(tree.infosets))) - set(out)
    if missing:
        raise ValueError(f"information sets {sorted(missing)} are in no class")
    for c, members in enumerate(classes):
        if len({len(tree.infosets[i].actions) for i in members}) != 1:
            raise ValueError(f"class {c}: its information sets have different numbers of actions")
    return out


def symmetric_eu(
    tree: TeamTree, classes: Sequence[Sequence[int]], player: int = 0, keep: Sequence[int] | None = None
) -> tuple[tuple[int, ...], tuple[int, ...], dict[tuple[int, ...], Fraction]]:
    """The EU of shared behaviour strategies, one distribution per class, homogenised per class.

    Parameters
    ----------
    tree : TeamTree
    classes : list of lists of information-set indices
        A partition of the information sets; the sets of one class share one
        distribution (they need the same number of actions, matched by position).
    player : int
        Whose payoff (all players' for a common-payoff tree).
    keep : list of class indices, optional
        Only these classes get variables (in this order); every other class plays its
        first action with probability 1 (classes the payoff does not depend on, or with
        one action).  Default: all classes.

    Returns
    -------
    sizes : tuple of int
        The degree of the polynomial in each class (at least 1).
    ms : tuple of int
        Number of actions of each class.
    coef : dict
        Concatenated exponent vector (class by class, action by action) -> Fraction;
        the polynomial is homogeneous of degree ``sizes[c]`` in class ``c``'s variables
        and equals the expected payoff on the product of simplices.
    """
    cls = class_of(tree, classes)
    kept = list(range(len(classes))) if keep is None else [int(c) for c in keep]
    pos = {c: j for j, c in enumerate(kept)}
    ms = tuple(len(tree.infosets[classes[c][0]].actions) for c in kept)
    offsets = [sum(ms[:c]) for c in range(len(ms))]
    nv = max(1, sum(ms))

    def var_of(i: int, a: int) -> int | Fraction:
        j = pos.get(cls[i])
        return Fraction(int(a == 0)) if j is None else offsets[j] + a

    poly, ctx = tree_polynomial(tree, var_of, nv, player)
    raw = {tuple(int(e) for e in mon): Fraction(int(c.p), int(c.q)) for mon, c in zip(poly.monoms(), poly.coeffs())}
    k = len(ms)

    def degs(mon: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sum(mon[offsets[c]:offsets[c] + ms[c]]) for c in range(k))

    sizes = tuple(max([1] + [degs(m)[c] for m in raw]) for c in range(k))
    gens = ctx.gens()
    sums = [sum((gens[offsets[c] + a] for a in range(ms[c])), ctx.from_dict({})) for c in range(k)]
    groups: dict[tuple[int, ...], dict] = {}
    for mon, v in raw.items():
        d = degs(mon)
        groups.setdefault(tuple(s - e for s, e in zip(sizes, d)), {})[mon] = _q(v)
    total = ctx.from_dict({})
    for deficit, terms in groups.items():
        part = ctx.from_dict(terms)
        for c, e in enumerate(deficit):
            if e:
                part = part * sums[c] ** e
        total = total + part
    coef = {tuple(int(e) for e in mon): Fraction(int(c.p), int(c.q)) for mon, c in zip(total.monoms(), total.coeffs())}
    return sizes, ms, coef


def node_values(tree: TeamTree, behaviour: Mapping[int, Sequence[Fraction]], player: int = 0) -> dict[int, Fraction]:
    """Exact expected payoff (from each node on, including its own payoff) under a behaviour profile; keyed by ``id(node)``."""
    memo: dict[int, Fraction] = {}
    for node in tree.postorder():
        val = Fraction(0)
        if isinstance(node, Chance):
            val = sum((p * memo[id(c)] for p, c in zip(node.probs, node.children) if p), Fraction(0))
        elif isinstance(node, Decision):
            x = behaviour[node.infoset]
            val = sum((Fraction(x[a]) * memo[id(c)] for a, c in enumerate(node.children) if x[a]), Fraction(0))
        if node.payoff is not None:
            val += node.payoff[player]
        memo[id(node)] = val
    return memo


def evaluate(tree: TeamTree, behaviour: Mapping[int, Sequence[Fraction]], player: int = 0) -> Fraction:
    """Exact expected payoff of ``player`` under a behaviour profile (information set -> distribution)."""
    return node_values(tree, behaviour, player)[id(tree.root)]

