"""Sequential team games: the shared behaviour-strategy optimum of a game tree, re-proved from the tree.

A ``sequential-symmetric-v1`` result (``exactgames optimize GAME.efg`` or
``GAME.dpomdp --horizon H``) claims one distribution per class of information
sets.  The checker

* checks that the classes partition the tree's information sets, with equal
  numbers of actions inside a class;
* rebuilds the expected payoff as a polynomial in one distribution per class
  directly from the tree (:func:`exactgames.model.tree_eu.tree_polynomial`, the
  model layer), proves that every class marked ``free`` leaves it unchanged on
  the simplex (after ``x_0 = 1 - sum of the others``, none of the class's
  variables remains), fixes the free and one-action classes, and homogenises
  the rest itself (each term times ``(sum of a class's variables)^deficit``);
* hands that polynomial and the result's claims (value, value interval, the
  kept classes' distributions, ties) to the same proof as a normal-form
  optimum: replay of the branch-and-bound certificate, region proofs, exact
  claims.

A ``sequential-team-bound-v1`` result is checked by recomputing the team
optimum over all pure profiles (:func:`exactgames.model.tree_pure.team_optimum_value`)
and the claimed symmetric policy's exact value; they must be equal.

Not proved here: that the classes come from symmetries of the tree
(``agent_orbits``), ``nash``, ``nash_gain`` and ``deterministic``.

Examples
--------
>>> from fractions import Fraction as F
>>> from exactgames.model.tree import Decision, InfoSet, TeamTree, Terminal
>>> t = TeamTree(("1",), (InfoSet(0, "", ("a", "b")),), Decision(0, (Terminal((F(1),)), Terminal((F(2),)))))
>>> st, kept = tree_setup(t, [[0]], [False])
>>> kept, str(st.f)
([0], 'z0 + 2*z1')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable

import flint

from exactgames.model.tree import TeamTree
from exactgames.model.tree_eu import tree_polynomial
from proofs_check.checker.claims import exact_profile, supports_of
from proofs_check.checker.numbers import Field, Reject
from proofs_check.checker.polynomial import Setup

__all__ = ["check_tree", "tree_setup"]

NOT_PROVED_TREE = ("agent_orbits", "nash_gain", "deterministic")


def tree_setup(tree: TeamTree, classes: list[list[int]], free: list[bool]) -> tuple[Setup, list[int]]:
    """The polynomial of the non-free classes with at least two actions (factor order = class order), and those classes."""
    n_sets = len(tree.infosets)
    flat = sorted(i for c in classes for i in c)
    if flat != list(range(n_sets)):
        raise Reject(f"policy: the classes do not partition the tree's {n_sets} information sets")
    ms = []
    for k, c in enumerate(classes):
        sizes = {len(tree.infosets[i].actions) for i in c}
        if len(sizes) != 1:
            raise Reject(f"policy[{k}]: its information sets have different numbers of actions")
        ms.append(sizes.pop())
    off = [sum(ms[:k]) for k in range(len(ms))]
    cls = {i: k for k, c in enumerate(classes) for i in c}
    raw, ctx = tree_polynomial(tree, lambda i, a: off[cls[i]] + a, sum(ms))
    gens = ctx.gens()
    one = ctx.from_dict({tuple([0] * sum(ms)): 1})
    zero = ctx.from_dict({})
    # a free class: with x_0 = 1 - (x_1 + ... ), none of its variables may remain
    for k, m in enumerate(ms):
        if not free[k]:
            continue
        subs = list(gens)
        subs[off[k]] = one - sum((gens[off[k] + a] for a in range(1, m)), zero)
        p = raw.compose(*subs)
        if any(any(e[off[k] + a] for a in range(m)) for e, _ in p.terms()):
            raise Reject(f"policy[{k}]: marked free, but the expected payoff depends on its distribution")
    kept = [k for k, m in enumerate(ms) if m >= 2 and not free[k]]
    # fix the other classes at their first action; renumber the kept variables
    new_off, pos = {}, 0
    for k in kept:
        new_off[k] = pos
        pos += ms[k]
    kctx = flint.fmpq_mpoly_ctx.get(("y", max(pos, 1)), "lex")
    kgens = kctx.gens()
    kone, kzero = kctx.from_dict({tuple([0] * max(pos, 1)): 1}), kctx.from_dict({})
    subs = []
    for k, m in enumerate(ms):
        for a in range(m):
            subs.append(kgens[new_off[k] + a] if k in new_off else (kone if a == 0 else kzero))
    p = raw.compose(*subs, ctx=kctx)
    if not kept:
        raise Reject("policy: no class affects the expected payoff; nothing to optimise")
    kms = [ms[k] for k in kept]
    koff = [new_off[k] for k in kept]

    def degs(e: tuple) -> list[int]:
        return [sum(e[o:o + m]) for o, m in zip(koff, kms)]

    terms = list(p.terms())
    sizes = [max([1] + [degs(e)[j] for e, _ in terms]) for j in range(len(kept))]
    sums = [sum((kgens[o + a] for a in range(m)), kzero) for o, m in zip(koff, kms)]
    total = kzero
    for e, c in terms:
        t = kctx.from_dict({tuple(int(x) for x in e): c})
        for j, dj in enumerate(degs(e)):
            if sizes[j] > dj:
                t = t * sums[j] ** (sizes[j] - dj)
        total = total + t
    coef = {tuple(int(x) for x in e[:pos]): c for e, c in total.terms()}
    actions = [tuple(tree.infosets[classes[k][0]].actions) for k in kept]
    return Setup.from_terms(sizes, kms, actions, coef), kept


def _check_team_bound(tree: TeamTree, data: Field, checks: list) -> tuple[Any, tuple[str, ...]]:
    """A symmetric pure policy whose exact value equals the team optimum, recomputed here over all pure profiles.

    With perfect recall the expected payoff is multilinear in the information
    sets' distributions, so no behaviour profile (symmetric or not) exceeds the
    best pure profile: a symmetric policy reaching it is optimal among
    symmetric behaviour strategies.  The team optimum is recomputed by
    :func:`exactgames.model.tree_pure.team_optimum_value` (the model layer;
    agent 0 enumerated, agent 1 best-responding exactly), the policy's value by
    exact evaluation of the tree.
    """
    from exactgames.model.tree_eu import evaluate
    from exactgames.model.tree_pure import team_optimum_value

    if data.obj().get("complete") is not True:
        raise Reject("complete: the result is marked incomplete; nothing to check")
    policy = data["policy"].items(limit=10**5)
    classes = [[i.integer(0, 10**7) for i in e["infosets"].items(limit=10**6)] for e in policy]
    if sorted(i for c in classes for i in c) != list(range(len(tree.infosets))):
        raise Reject(f"policy: the classes do not partition the tree's {len(tree.infosets)} information sets")
    behaviour, free = {}, []
    for k, e in enumerate(policy):
        names = tuple(tree.infosets[classes[k][0]].actions)
        if any(tuple(tree.infosets[i].actions) != names for i in classes[k]):
            raise Reject(f"policy[{k}]: its information sets have different actions")
        pr = e["probabilities"]
        if sorted(pr.obj()) != sorted(names):
            raise Reject(f"policy[{k}].probabilities: expected the actions {list(names)}")
        x = tuple(pr[a].rational() for a in names)
        if any(v < 0 for v in x) or sum(x) != 1:
            raise Reject(f"policy[{k}].probabilities: not a probability distribution")
        for i in classes[k]:
            behaviour[i] = x
        free.append(e["free"].boolean())
    value = evaluate(tree, behaviour)
    claimed = data["value"].rational()
    if value != claimed:
        raise Reject(f"value: the claimed {claimed} differs from the policy's exact value {value}")
    vi = data["value_interval"].items(length=2)
    if not vi[0].rational() <= value <= vi[1].rational():
        raise Reject(f"value_interval: does not contain the policy's exact value {value}")
    team, count = team_optimum_value(tree)
    if value != team:
        raise Reject(f"the policy's value {value} is below the team optimum {team} recomputed over {count} pure policies of "
                     "agent 0: optimality among symmetric strategies is not proved by a team bound")
    for k, e in enumerate(policy):
        if not free[k]:
            continue
        m = len(tree.infosets[classes[k][0]].actions)
        for a in range(m):
            alt = dict(behaviour)
            for i in classes[k]:
                alt[i] = tuple(Fraction(int(b == a)) for b in range(m))
            if evaluate(tree, alt) != value:
                raise Reject(f"policy[{k}]: marked free, but playing {tree.infosets[classes[k][0]].actions[a]} there changes "
                             "the value")
    checks.append(f"the policy's exact value {value} equals the team optimum recomputed over all {count} pure policies of "
                  f"agent 0 (each against an exact best response): optimal among all behaviour profiles; {sum(free)} free "
                  "classes proved irrelevant to it")
    return (value, value), NOT_PROVED_TREE


def check_tree(tree: Any, data: Field, checks: list, check_optimum: Callable) -> tuple[Any, tuple[str, ...]]:
    """Check a ``sequential-symmetric-v1`` result against the tree; returns the value enclosure and what is not proved."""
    if not isinstance(tree, TeamTree):
        raise Reject(f"a sequential result needs a game tree (.efg, or .dpomdp with --horizon), not a {type(tree).__name__}")
    cert = data.get("certificate")
    kind = None if cert is None else cert.obj().get("kind")
    if kind == "sequential-team-bound-v1":
        return _check_team_bound(tree, data, checks)
    if kind != "bnb-product-v1":
        raise Reject(f"certificate.kind {str(kind)[:40]!r}: expected 'bnb-product-v1' or 'sequential-team-bound-v1'")
    policy = data["policy"].items(limit=10**5)
    classes, free, probs = [], [], []
    for k, entry in enumerate(policy):
        classes.append([i.integer(0, 10**7) for i in entry["infosets"].items(limit=10**6)])
        free.append(entry["free"].boolean())
        probs.append(entry["probabilities"].obj())
    st, kept = tree_setup(tree, classes, free)
    for k, entry in enumerate(policy):
        names = tuple(tree.infosets[classes[k][0]].actions)
        if sorted(probs[k]) != sorted(names):
            raise Reject(f"policy[{k}].probabilities: expected the actions {list(names)}, got {sorted(probs[k])[:10]}")
    checks.append(f"the expected payoff rebuilt from the tree: {len(classes)} classes of information sets, {len(kept)} in the "
                  f"optimisation, {sum(free)} proved free")
    strategies = [{a: probs[k][a] for a in tree.infosets[classes[k][0]].actions} for k in kept]
    _, pt = exact_profile(st, Field(strategies, "policy"))
    support = [[st.actions[j][a] for a in S] for j, S in enumerate(supports_of(pt))]
    d = data.obj()
    synthetic = {
        "value": d.get("value"), "value_interval": d.get("value_interval"), "value_exact": d.get("value_exact", True),
        "complete": d.get("complete"), "orbits": [[j + 1] for j in range(len(kept))], "strategies": strategies,
        "support": support, "mixed": any(len(s) > 1 for s in support), "ties": d.get("ties", []),
        "certificate": d.get("certificate"),
    }
    if synthetic["value"] is None:
        raise Reject("value: missing (an incomplete result claims nothing)")
    vi = check_optimum(None, Field(synthetic, "result"), checks, setup=st)
    return vi, NOT_PROVED_TREE
