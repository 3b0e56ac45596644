"""Theorem 4.0.2 in behaviour space, tested on random small symmetric team trees with perfect recall.

Each tree is a random two-agent Dec-POMDP, symmetric under swapping the agents by construction
(transitions, observations and rewards invariant), unrolled to horizon 2.  Local optima in
symmetric behaviour space (one distribution per action-observation-history class, shared by both
agents) are found in two ways, exactly: every symmetric deterministic policy at which every reduced
gradient of a class it reaches is strictly negative (a local maximum: a class it does not reach enters the
payoff only multiplied by a deviation at a reached class, so the first-order decrease dominates), and the proved
global optimum of the certified branch and bound.  Each one is checked to be a Nash equilibrium
by an exact best response of one agent (backward induction), which does not use the theorem.
A failure prints the tree's data and the policy as its witness.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactgames.model.decpomdp import DecPOMDP, unroll
from exactgames.model.tree_eu import evaluate, tree_polynomial
from exactgames.sequential.brute import best_symmetric_pure, symmetric_pure_policies, team_optimum
from exactgames.sequential.nash import best_response
from exactgames.sequential.optimize import optimize_tree
from exactgames.sequential.symmetry import tree_symmetries

JA = list(itertools.product(range(2), repeat=2))


def _dist(ws: list[int]) -> list[Fraction]:
    ws = [w for w in ws]
    if sum(ws) == 0:
        ws[0] = 1
    return [Fraction(w, sum(ws)) for w in ws]


@st.composite
def symmetric_decpomdps(draw: st.DrawFn) -> DecPOMDP:
    w = st.integers(0, 3)
    start = _dist([draw(w), draw(w)])
    T, O, R = {}, {}, {}  # noqa: E741 - the standard names
    for s in range(2):
        for a1, a2 in JA:
            if (a2, a1) in [j for (ss, j) in T if ss == s]:
                T[(s, (a1, a2))] = T[(s, (a2, a1))]
                R[(s, (a1, a2))] = R[(s, (a2, a1))]
            else:
                T[(s, (a1, a2))] = tuple(_dist([draw(w), draw(w)]))
                R[(s, (a1, a2))] = Fraction(draw(st.integers(-3, 3)))
    for s2 in range(2):
        for a1, a2 in JA:
            if a1 < a2 or (a1 == a2):
                if a1 == a2:  # the joint observation distribution must be symmetric itself
                    same0, diff, same1 = draw(w), draw(w), draw(w)
                    d = _dist([same0, diff, diff, same1])
                else:
                    d = _dist([draw(w) for _ in range(4)])
                jo = list(itertools.product(range(2), repeat=2))
                O[((a1, a2), s2)] = dict(zip(jo, d))
                if a1 != a2:
                    O[((a2, a1), s2)] = {(o2, o1): p for (o1, o2), p in zip(jo, d)}
    return DecPOMDP(("1", "2"), ("s0", "s1"), (("a", "b"),) * 2, (("x", "y"),) * 2, tuple(start), T, O, R)


def reached_classes(tree, sym, pol: dict) -> list[int]:
    """Classes with a member whose own action sequence agrees with the policy (reached with positive probability)."""
    cls = {i: c for c, mem in enumerate(sym.classes) for i in mem}
    seqs = tree.sequences()
    return sorted({cls[i] for i in cls if seqs[i] and all(pol[cls[j]] == a for j, a in next(iter(seqs[i])))})


def first_order_local_max(poly, k: int, pol: dict, reached: list[int]) -> bool:
    """Every reduced gradient of a reached class is strictly negative at the vertex ``pol`` (exact)."""
    point = []
    for c in range(k):
        point += [flint.fmpq(int(pol[c] == 0)), flint.fmpq(int(pol[c] == 1))]
    return all(poly.derivative(2 * c + 1 - pol[c])(*point) - poly.derivative(2 * c + pol[c])(*point) < 0 for c in reached)


def _witness(m: DecPOMDP, policy: dict) -> str:
    return f"start={m.start} T={m.T} O={m.O} R={m.R} policy={policy}"


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(symmetric_decpomdps())
def test_local_optima_in_symmetric_behaviour_space_are_nash(m: DecPOMDP) -> None:
    tree = unroll(m, 2)
    assert tree.has_perfect_recall()
    sym = tree_symmetries(tree)
    assert sym.order == 2 and sym.agent_orbits == ((0, 1),)  # symmetric by construction
    k = len(sym.classes)
    cls = {i: c for c, mem in enumerate(sym.classes) for i in mem}
    poly, _ = tree_polynomial(tree, lambda i, a: 2 * cls[i] + a, 2 * k)
    # 1. symmetric deterministic policies that are local maxima in symmetric behaviour space (exact first-order
    #    test on the classes they reach); the plain statement fails (see test_counterexample_...), so Nash is
    #    asserted under the robust condition: the test passes for every completion of the policy at the classes
    #    it does not reach (then the symmetric mixture towards any plan decreases the payoff, which is the
    #    normal-form local optimality of Theorem 4.0.2)
    for pol in symmetric_pure_policies(tree, sym):
        reached = reached_classes(tree, sym, pol)
        if not first_order_local_max(poly, k, pol, reached):
            continue
        beh = {i: tuple(Fraction(int(pol[cls[i]] == b)) for b in range(2)) for i in cls}
        gain = best_response(tree, beh, 0).gain
        unreached = [c for c in range(k) if c not in reached]
        robust = all(first_order_local_max(poly, k, {**pol, **dict(zip(unreached, comp))}, reached)
                     for comp in itertools.product(range(2), repeat=len(unreached)))
        if robust:
            assert gain == 0, "counterexample: a robust local optimum that is not Nash: " + _witness(m, pol) + f" gain={gain}"
    # 2. the proved global optimum (a local optimum too)
    res = optimize_tree(tree, sym, time_limit=30, route="bnb")
    if res.complete and res.value_exact:
        beh = res.behaviour()
        assert evaluate(tree, beh) == res.value
        assert res.nash is True, "counterexample: global symmetric optimum not Nash: " + _witness(m, res.policy)
        # independent bounds: brute force over symmetric pure policies below, the team optimum above
        assert best_symmetric_pure(tree, sym).value <= res.value <= team_optimum(tree).value
        r = best_response(tree, beh, 1)
        assert r.gain == 0


def counterexample() -> DecPOMDP:
    """Found by the hypothesis test above: a local optimum in symmetric behaviour space that is not Nash.

    One start state s0; joint action (a, a) moves to s0 or s1 with probability 1/2, anything else to s0;
    observations carry no information; reward 1 when both play b in s0, else 0; horizon 2.
    """
    T = {(s, j): (Fraction(1), Fraction(0)) for s in range(2) for j in JA}
    T[(0, (0, 0))] = (Fraction(1, 2), Fraction(1, 2))
    jo = list(itertools.product(range(2), repeat=2))
    O = {(j, s2): {o: Fraction(int(o == (0, 0))) for o in jo} for j in JA for s2 in range(2)}  # noqa: E741
    R = {(s, j): Fraction(int(s == 0 and j == (1, 1))) for s in range(2) for j in JA}
    return DecPOMDP(("1", "2"), ("s0", "s1"), (("a", "b"),) * 2, (("x", "y"),) * 2, (Fraction(1), Fraction(0)), T, O, R)


def test_counterexample_local_optimum_in_behaviour_space_not_nash() -> None:
    """Theorem 4.0.2 does not carry over verbatim to behaviour strategies: the witness.

    Symmetric policy: play a first; after a (observation x) play b; after b play a.  Value 1/2.
    In symmetric behaviour coordinates p = P(b first), q1 = P(b | a), q2 = P(b | b):
    f = p^2 + (1-p)^2 q1^2 / 2 + 2p(1-p) q1 q2 + p^2 q2^2, so near (0, 1, 0)
    f - 1/2 = -p(1 - 2 q2) - (1 - q1) + O(p^2 + (1-q1)^2 + p(1-q1)) < 0 unless p = 0 and q1 = 1, where f = 1/2
    for every q2: a local maximum.  Yet one agent gains 1/2 by playing b, then b after b (value 1): not Nash.
    In mixed (normal-form) space it is not a local optimum: the symmetric mixture with weight e on the plan
    (b, b after b) has value 1/2 + e + O(e^2); the behaviour neighbourhood misses it because that plan puts
    probability 1 on the history b, which is unreached at the policy (q2 jumps from 0 to 1).
    """
    tree = unroll(counterexample(), 2)
    sym = tree_symmetries(tree)
    assert sym.order == 2 and len(sym.classes) == 3
    lab = {sym.class_label(c): c for c in range(3)}
    start, after_a, after_b = lab["start"], lab["a/x"], lab["b/x"]
    pol = {start: 0, after_a: 1, after_b: 0}
    cls = {i: c for c, mem in enumerate(sym.classes) for i in mem}
    poly, _ = tree_polynomial(tree, lambda i, a: 2 * cls[i] + a, 6)
    assert reached_classes(tree, sym, pol) == sorted([start, after_a])
    assert first_order_local_max(poly, 3, pol, [start, after_a])
    beh = {i: tuple(Fraction(int(pol[cls[i]] == b)) for b in range(2)) for i in cls}
    assert evaluate(tree, beh) == Fraction(1, 2)
    # f does not depend on q2 while p = 0: the first-order decrease in (p, 1 - q1) makes it a local maximum;
    # checked exactly on a grid of small steps, with q2 anywhere below 1/2
    for p in (Fraction(1, 10**3), Fraction(1, 10**2), Fraction(0)):
        for e in (Fraction(1, 10**3), Fraction(0)):
            for q2 in (Fraction(0), Fraction(1, 4), Fraction(49, 100)):
                x = {start: (1 - p, p), after_a: (e, 1 - e), after_b: (1 - q2, q2)}
                b = {i: x[cls[i]] for i in cls}
                assert evaluate(tree, b) <= Fraction(1, 2)
    r = best_response(tree, beh, 0)
    assert r.gain == Fraction(1, 2) and r.value == 1  # not Nash
    # the robust condition (every completion at the unreached class) fails, as it must
    assert not first_order_local_max(poly, 3, {**pol, after_b: 1}, [start, after_a])
