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

Both kinds: every policy entry's ``class``, ``history`` and ``agents`` are
checked against the tree, ``deterministic`` against the policy, and ``nash`` and
``nash_gain`` (two agents, exact policy) by each agent's exact best reply over
its sequences (:func:`exactgames.model.tree_pure.best_reply_value`).

Not proved here: that the classes come from symmetries of the tree
(``agent_orbits`` is only checked to partition the players, each class inside one orbit), ``method``, ``reason``, ``seconds``; ``nash`` for more than
two agents or an algebraic policy.

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

NOT_PROVED_TREE = ("agent_orbits", "method", "reason", "seconds")


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
    for k, m in enumerate(ms):  # and a class not marked free must matter (free = any distribution is optimal)
        if m >= 2 and not free[k]:
            d0 = raw.derivative(off[k])
            if all((raw.derivative(off[k] + a) - d0).is_zero() for a in range(1, m)):
                raise Reject(f"policy[{k}]: not marked free, but the expected payoff does not depend on its distribution")
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


def _own_reach(tree: TeamTree, sf: Any, behaviour: dict, i: int) -> Fraction:
    """The probability that information set ``i``'s player's own moves lead to it (product along its sequence)."""
    if i not in sf.parent:
        return Fraction(0)  # no node of the tree is in it
    r, s = Fraction(1), sf.parent[i]
    while s is not None:
        r *= behaviour[s[0]][s[1]]
        s = sf.parent[s[0]]
    return r


def _policy(tree: TeamTree, data: Field) -> tuple[list[list[int]], list[bool], list[dict], list[Field]]:
    """The policy's classes, free marks and raw probabilities, with its display fields checked against the tree."""
    policy = data["policy"].items(limit=10**5)
    classes, free, probs = [], [], []
    n_sets = len(tree.infosets)
    for k, e in enumerate(policy):
        members = [i.integer(0, 10**7) for i in e["infosets"].items(limit=10**6)]
        if not members or any(i >= n_sets for i in members):
            raise Reject(f"policy[{k}].infosets: expected information sets among the tree's {n_sets}")
        classes.append(members)
        free.append(e["free"].boolean())
        names = tuple(tree.infosets[members[0]].actions)
        if any(tuple(tree.infosets[i].actions) != names for i in members):
            raise Reject(f"policy[{k}]: its information sets have different actions")
        pr = e["probabilities"].obj()
        if sorted(pr) != sorted(names):
            raise Reject(f"policy[{k}].probabilities: expected the actions {list(names)}, got {sorted(pr)[:10]}")
        probs.append(pr)
        if e["class"].integer(0, 10**7) != k:
            raise Reject(f"policy[{k}].class: expected {k}")
        if e["history"].value != tree.infosets[members[0]].label:
            raise Reject(f"policy[{k}].history: expected {tree.infosets[members[0]].label!r} (its first information set's label)")
        agents = sorted({tree.players[tree.infosets[i].player] for i in members})
        if e["agents"].value != agents:
            raise Reject(f"policy[{k}].agents: expected {agents} (the players of its information sets)")
    if sorted(i for c in classes for i in c) != list(range(n_sets)):
        raise Reject(f"policy: the classes do not partition the tree's {n_sets} information sets")
    orbits = [[tree.players.index(x.value) if x.value in tree.players else -1 for x in o.items(limit=10**4)]
              for o in data["agent_orbits"].items(limit=10**4)]
    if sorted(i for o in orbits for i in o) != list(range(tree.n_players)):
        raise Reject(f"agent_orbits: expected a partition of the players {list(tree.players)}")
    where = {i: j for j, o in enumerate(orbits) for i in o}
    for k, c in enumerate(classes):
        if len({where[tree.infosets[i].player] for i in c}) != 1:
            raise Reject(f"policy[{k}]: its agents lie in different agent orbits")
    return classes, free, probs, policy


def _verdicts(tree: TeamTree, data: Field, classes: list, free: list, behaviour: dict | None, value: Fraction | None,
              sf: Any, checks: list) -> tuple[str, ...]:
    """``deterministic`` from the policy; ``nash`` and ``nash_gain`` by exact best replies (two agents). Returns what is not proved."""
    from exactgames.model.tree_pure import best_reply_value, sequence_form

    d = data.obj()
    not_proved: list[str] = []
    if behaviour is not None:
        det = all(sum(1 for p in behaviour[c[0]] if p) == 1 for k, c in enumerate(classes) if not free[k])
        if d.get("deterministic") is not None and data["deterministic"].boolean() != det:
            raise Reject(f"deterministic: claimed {d.get('deterministic')}, but the policy's non-free classes say {det}")
    else:
        not_proved.append("deterministic")
    nash = d.get("nash")
    if nash is None:
        if d.get("nash_gain") is not None:
            raise Reject("nash_gain: given while nash is not decided")
        return tuple(not_proved)
    if behaviour is None or value is None or tree.n_players != 2:
        return tuple(not_proved) + ("nash", "nash_gain")
    sf = sf or sequence_form(tree)
    gain = max(best_reply_value(tree, sf, behaviour, p) - value for p in range(2))
    if data["nash"].boolean() != (gain == 0):
        raise Reject(f"nash: claimed {nash}, but the largest gain of an agent's exact best reply is {gain}")
    if d.get("nash_gain") is not None and data["nash_gain"].rational() != gain:
        raise Reject(f"nash_gain: claimed {d.get('nash_gain')}, recomputed {gain} (each agent's exact best reply)")
    checks.append(f"nash: each agent's exact best reply to the other's behaviour gains at most {gain}")
    return tuple(not_proved)


def _check_team_bound(tree: TeamTree, data: Field, checks: list) -> tuple[Any, tuple[str, ...]]:
    """A symmetric pure policy whose exact value equals the team optimum, recomputed here over all pure profiles.

    With perfect recall the expected payoff is multilinear in the information
    sets' distributions, so no behaviour profile (symmetric or not) exceeds the
    best pure profile: a symmetric policy reaching it is optimal among
    symmetric behaviour strategies.  The team optimum is recomputed by
    :func:`exactgames.model.tree_pure.team_optimum_value` (the model layer, the
    sequence form: agent 0 enumerated, agent 1 best-responding exactly), the
    policy's value by exact evaluation of the tree.  Free classes must be
    unreached under the policy (their own player's moves lead there with
    probability 0), which leaves the value unchanged whatever they play.
    """
    from exactgames.model.tree_eu import evaluate
    from exactgames.model.tree_pure import plan_value, sequence_form, team_optimum_value

    if data.obj().get("complete") is not True:
        raise Reject("complete: the result is marked incomplete; nothing to check")
    if data["value_exact"].boolean() is not True:
        raise Reject("value_exact: a team bound claims an exact value")
    classes, free, probs, _ = _policy(tree, data)
    behaviour = {}
    for k, pr in enumerate(probs):
        names = tree.infosets[classes[k][0]].actions
        x = tuple(Field(pr[a], f"policy[{k}].probabilities.{a}").rational() for a in names)
        if any(v < 0 for v in x) or sum(x) != 1:
            raise Reject(f"policy[{k}].probabilities: not a probability distribution")
        for i in classes[k]:
            behaviour[i] = x
    value = evaluate(tree, behaviour)
    claimed = data["value"].rational()
    if value != claimed:
        raise Reject(f"value: the claimed {claimed} differs from the policy's exact value {value}")
    vi = data["value_interval"].items(length=2)
    if not (vi[0].rational() == value == vi[1].rational()):
        raise Reject(f"value_interval: expected [{value}, {value}] (the policy's exact value)")
    if data["ties"].items(limit=10**4):
        raise Reject("ties: a team bound claims none")
    sf = sequence_form(tree)
    team, count = team_optimum_value(tree, sf)
    if value != team:
        raise Reject(f"the policy's value {value} is below the team optimum {team} recomputed over {count} pure policies of "
                     "agent 0: optimality among symmetric strategies is not proved by a team bound")
    for k in range(len(classes)):
        reached = [i for i in classes[k] if _own_reach(tree, sf, behaviour, i) != 0]
        if free[k] and reached:
            i = reached[0]
            raise Reject(f"policy[{k}]: marked free, but its information set {i} ({tree.infosets[i].label!r}) is reached "
                         "under the policy by its own player's moves (only unreached classes may be free here)")
        if not free[k] and not reached and len(probs[k]) >= 2:
            raise Reject(f"policy[{k}]: not marked free, but no agent's own moves reach it under the policy")
    cert = data["certificate"]
    if cert["team_optimum"].rational() != team:
        raise Reject(f"certificate.team_optimum: claimed {cert['team_optimum'].value}, recomputed {team}")
    if cert["symmetric_value"].rational() != value:
        raise Reject(f"certificate.symmetric_value: claimed {cert['symmetric_value'].value}, the policy's value is {value}")
    if cert["team_policies_enumerated"].integer(0, 10**18) != count:
        raise Reject(f"certificate.team_policies_enumerated: claimed {cert['team_policies_enumerated'].value}, "
                     f"agent 0 has {count} pure policies on the sets its own moves reach")
    sym_pol = cert["symmetric_policy"].obj()
    for k in range(len(classes)):
        a = Field(sym_pol.get(str(k)), f"certificate.symmetric_policy.{k}").integer(0, len(probs[k]) - 1)
        if not free[k] and behaviour[classes[k][0]][a] != 1:
            raise Reject(f"certificate.symmetric_policy.{k}: action {a} is not the policy's")
    prof = cert["team_profile"].obj()
    pure = {}
    for i in range(len(tree.infosets)):
        f = Field(prof.get(str(i), 0), f"certificate.team_profile.{i}")
        a = f.integer(0, len(tree.infosets[i].actions) - 1)
        pure[i] = tuple(Fraction(int(a == b)) for b in range(len(tree.infosets[i].actions)))
    if plan_value(tree, sf, pure) != team:
        raise Reject(f"certificate.team_profile: its value {plan_value(tree, sf, pure)} is not the team optimum {team}")
    checks.append(f"the policy's exact value {value} equals the team optimum recomputed over all {count} pure policies of "
                  f"agent 0 (sequence form, each against an exact best reply): optimal among all behaviour profiles; "
                  f"{sum(free)} free classes proved unreached (their own player's moves lead there with probability 0); "
                  "the certificate's team profile attains it")
    extra = _verdicts(tree, data, classes, free, behaviour, value, sf, checks)
    return (value, value), NOT_PROVED_TREE + extra + ("certificate.claim", "certificate.symmetric_policies_enumerated",
                                                      "certificate.tensor_size")


def check_tree(tree: Any, data: Field, checks: list, check_optimum: Callable) -> tuple[Any, tuple[str, ...]]:
    """Check a ``sequential-symmetric-v1`` result against the tree; returns the value enclosure and what is not proved."""
    if not isinstance(tree, TeamTree):
        raise Reject(f"a sequential result needs a game tree (.efg, or .dpomdp with --horizon), not a {type(tree).__name__}")
    if data["title"].value != tree.title:
        raise Reject(f"title: {str(data['title'].value)[:80]!r} is not the game's ({tree.title!r}): another game or horizon")
    cert = data.get("certificate")
    kind = None if cert is None else cert.obj().get("kind")
    if kind == "sequential-team-bound-v1":
        return _check_team_bound(tree, data, checks)
    if kind != "bnb-product-v1":
        raise Reject(f"certificate.kind {str(kind)[:40]!r}: expected 'bnb-product-v1' or 'sequential-team-bound-v1'")
    classes, free, probs, _ = _policy(tree, data)
    st, kept = tree_setup(tree, classes, free)
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
    behaviour = value = None
    if d.get("value_exact") is True:
        try:
            behaviour = {}
            for k, pr in enumerate(probs):
                x = tuple(Field(pr[a], f"policy[{k}].probabilities.{a}").rational() for a in tree.infosets[classes[k][0]].actions)
                for i in classes[k]:
                    behaviour[i] = x
            value = data["value"].rational()
        except Reject:  # an algebraic optimum: verdicts not re-derived here
            behaviour = value = None
    extra = _verdicts(tree, data, classes, free, behaviour, value, None, checks)
    return vi, NOT_PROVED_TREE + extra
