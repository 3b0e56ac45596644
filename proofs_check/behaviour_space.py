"""Theorem 4.0.2 in behaviour space (issue 16): symmetric *behaviour* strategies of sequential team games.

The theorem is stated for mixed strategies of the normal form.  Two entries:

* ``B4.0.2-behaviour``: "every local maximum over symmetric behaviour strategies is a Nash
  equilibrium" is **refuted** by an exact witness, a two-agent Dec-POMDP of horizon 2
  (:func:`witness`): the shared policy "a first; b after a; a after b" is a local maximum
  (proved here: ``1/2 - f >= 0`` on a box around it, every Bernstein coefficient of the
  difference nonnegative, exactly) with value 1/2, yet one agent gains 1/2 by deviating
  (an exact best reply over its sequences).  The behaviour neighbourhood misses the
  improving mixture because the deviation plays at a history the policy never reaches.
* ``B4.0.2-robust``: the version that survives, a symmetric deterministic policy whose
  first-order test holds for *every* completion at the classes it does not reach is Nash,
  checked on random symmetric Dec-POMDPs (not proved).

Only the model layer is used (the tree, its polynomial, the sequence form's best reply);
never the optimiser nor the theorem.

Examples
--------
>>> r = check_witness()
>>> r["value"], r["gain"], r["local_max_box"]
(Fraction(1, 2), Fraction(1, 2), Fraction(1, 10))
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from typing import Any

import flint

from exactgames.model.decpomdp import DecPOMDP, unroll
from exactgames.model.tree import TeamTree
from exactgames.model.tree_eu import evaluate, tree_polynomial
from exactgames.model.tree_pure import best_reply_value, sequence_form
from proofs_check.ledger import Verdict, claim

__all__ = ["witness", "check_witness", "random_symmetric_decpomdp", "robust_local_maxima_are_nash"]

JA = list(itertools.product(range(2), repeat=2))


def witness() -> DecPOMDP:
    """One start state s0; joint action (a, a) moves to s0 or s1 with probability 1/2, anything else to s0;
    observations carry no information; reward 1 when both play b in s0, else 0 (horizon 2)."""
    T = {(s, j): (Fraction(1), Fraction(0)) for s in range(2) for j in JA}
    T[(0, (0, 0))] = (Fraction(1, 2), Fraction(1, 2))
    jo = list(itertools.product(range(2), repeat=2))
    O = {(j, s2): {o: Fraction(int(o == (0, 0))) for o in jo} for j in JA for s2 in range(2)}  # noqa: E741
    R = {(s, j): Fraction(int(s == 0 and j == (1, 1))) for s in range(2) for j in JA}
    return DecPOMDP(("1", "2"), ("s0", "s1"), (("a", "b"),) * 2, (("x", "y"),) * 2, (Fraction(1), Fraction(0)), T, O, R,
                    title="behaviour-space counterexample")


def _classes(tree: TeamTree) -> dict[str, list[int]]:
    """The agents' information sets grouped by history label (the agent swap maps equal labels onto each other)."""
    out: dict[str, list[int]] = {}
    for i, inf in enumerate(tree.infosets):
        out.setdefault(inf.label, []).append(i)
    return out


def _bernstein_nonnegative(poly: flint.fmpq_mpoly, nvars: int, h: Fraction) -> bool:
    """All Bernstein coefficients of ``poly`` on ``[0, h]^nvars`` are >= 0 (so ``poly >= 0`` there), exactly."""
    import math

    terms = {tuple(int(e) for e in m): Fraction(int(c.p), int(c.q)) for m, c in zip(poly.monoms(), poly.coeffs())}
    deg = [max([0] + [m[k] for m in terms]) for k in range(nvars)]
    # scale to [0, 1]^n: coefficient * h^|e|; Bernstein b_J = sum_{I <= J} prod C(J_k, I_k)/C(d_k, I_k) a_I
    a = {m: c * h ** sum(m) for m, c in terms.items()}
    for J in itertools.product(*(range(d + 1) for d in deg)):
        b = Fraction(0)
        for m, c in a.items():
            if all(i <= j for i, j in zip(m, J)):
                w = Fraction(1)
                for i, j, d in zip(m, J, deg):
                    w *= Fraction(math.comb(j, i), math.comb(d, i))
                b += w * c
        if b < 0:
            return False
    return True


def check_witness() -> dict[str, Any]:
    """The witness's value, a proof that it is a local maximum over shared behaviour strategies, and the gain of a deviation."""
    tree = unroll(witness(), 2)
    cl = _classes(tree)
    assert sorted(cl) == ["a/x", "b/x", "start"] and all(len(v) == 2 for v in cl.values())
    order = ["start", "a/x", "b/x"]  # variables: p = P(b at start), q1 = P(b | a/x), q2 = P(b | b/x)
    cls = {i: order.index(lab) for lab, mem in cl.items() for i in mem}
    # f in variables (u, v, w) around the policy: p = u, q1 = 1 - v, q2 = w
    ctx = flint.fmpq_mpoly_ctx.get(("u", "v", "w"), "lex")
    u, v, w = ctx.gens()
    one = ctx.from_dict({(0, 0, 0): 1})
    probs = [(one - u, u), (v, one - v), (one - w, w)]
    raw, rctx = tree_polynomial(tree, lambda i, a: 2 * cls[i] + a, 6)
    f = raw.compose(*[probs[c][a] for c in range(3) for a in range(2)], ctx=ctx)
    h = Fraction(1, 10)
    gap = one * flint.fmpq(1, 2) - f
    local = _bernstein_nonnegative(gap, 3, h)
    beh = {i: tuple(Fraction(int(b == (1 if cls[i] == 1 else 0))) for b in range(2)) for i in cls}
    value = evaluate(tree, beh)
    sf = sequence_form(tree)
    gain = max(best_reply_value(tree, sf, beh, p) - value for p in range(2))
    return {"value": value, "gain": gain, "local_max_box": h if local else None, "f": str(f)}


def random_symmetric_decpomdp(rng: random.Random) -> DecPOMDP:
    """Two agents, two states, two actions and observations; transitions, observations and rewards invariant under the swap."""
    def dist(k: int) -> tuple[Fraction, ...]:
        ws = [rng.randint(0, 3) for _ in range(k)]
        if not sum(ws):
            ws[0] = 1
        return tuple(Fraction(x, sum(ws)) for x in ws)

    T, O, R = {}, {}, {}  # noqa: E741
    jo = list(itertools.product(range(2), repeat=2))
    for s in range(2):
        for a1, a2 in JA:
            if a1 <= a2:
                T[(s, (a1, a2))] = T[(s, (a2, a1))] = dist(2)
                R[(s, (a1, a2))] = R[(s, (a2, a1))] = Fraction(rng.randint(-3, 3))
    for s2 in range(2):
        for a1, a2 in JA:
            if a1 == a2:
                x, y, z = dist(3)
                O[((a1, a2), s2)] = dict(zip(jo, (x, y / 2, y / 2, z)))
            elif a1 < a2:
                d = dist(4)
                O[((a1, a2), s2)] = dict(zip(jo, d))
                O[((a2, a1), s2)] = {(o2, o1): p for (o1, o2), p in zip(jo, d)}
    return DecPOMDP(("1", "2"), ("s0", "s1"), (("a", "b"),) * 2, (("x", "y"),) * 2, dist(2), T, O, R)


def robust_local_maxima_are_nash(m: DecPOMDP) -> tuple[int, dict | None]:
    """Symmetric deterministic policies passing the first-order test at every completion: count, and a non-Nash one if any."""
    tree = unroll(m, 2)
    cl = _classes(tree)
    labels = sorted(cl)
    cls = {i: labels.index(lab) for lab, mem in cl.items() for i in mem}
    k = len(labels)
    poly, _ = tree_polynomial(tree, lambda i, a: 2 * cls[i] + a, 2 * k)
    sf = sequence_form(tree)
    d = [(poly.derivative(2 * c), poly.derivative(2 * c + 1)) for c in range(k)]

    def reached(pol: tuple[int, ...]) -> list[int]:
        out = set()
        for i, s in sf.parent.items():
            ok = True
            while s is not None:
                ok = ok and pol[cls[s[0]]] == s[1]
                s = sf.parent[s[0]]
            if ok:
                out.add(cls[i])
        return sorted(out)

    def first_order(pol: tuple[int, ...], at: list[int]) -> bool:
        pt = [flint.fmpq(int(pol[c] == a)) for c in range(k) for a in range(2)]
        return all(d[c][1 - pol[c]](*pt) < d[c][pol[c]](*pt) for c in at)

    count = 0
    for pol in itertools.product(range(2), repeat=k):
        r = reached(pol)
        if not first_order(pol, r):
            continue
        un = [c for c in range(k) if c not in r]
        comps = itertools.product(range(2), repeat=len(un))
        if not all(first_order(tuple(dict(zip(un, cmp)).get(c, pol[c]) for c in range(k)), r) for cmp in comps):
            continue
        count += 1
        beh = {i: tuple(Fraction(int(pol[cls[i]] == b)) for b in range(2)) for i in cls}
        value = evaluate(tree, beh)
        gain = max(best_reply_value(tree, sf, beh, p) - value for p in range(2))
        if gain:
            return count, {"policy": {labels[c]: "ab"[pol[c]] for c in range(k)}, "gain": str(gain),
                           "start": [str(x) for x in m.start], "R": {str(key): str(val) for key, val in m.R.items()}}
    return count, None


@claim("B4.0.2-behaviour", "Thm. 4.0.2 / Sec. 3.1, 7 (issue 16)", "In a symmetric sequential team game with perfect recall, "
       "every local maximum over symmetric behaviour strategies (one distribution per action-observation history, "
       "shared by the agents) is a Nash equilibrium.", "behaviour space")
def check_behaviour_local_optima(budget: int) -> Verdict:
    r = check_witness()
    if r["local_max_box"] is None or r["gain"] <= 0:
        return Verdict("error", "exact", f"the pinned witness no longer is one: {r}")
    return Verdict(
        "refuted", "exact witness: local maximality by nonnegative Bernstein coefficients of 1/2 - f on a box, Nash gain by "
        "an exact best reply over sequences",
        "Dec-POMDP, 2 agents, horizon 2: one start state s0; (a, a) leads to s0 or s1 with probability 1/2, else s0; "
        "uninformative observations; reward 1 when both play b in s0. Shared policy: a at start, b after a, a after b: "
        f"value {r['value']}; 1/2 - f >= 0 on the box p, 1 - q1, q2 in [0, {r['local_max_box']}] (f = {r['f']}, "
        f"p = u, q1 = 1 - v, q2 = w); one agent gains {r['gain']} by playing b, then b after b (a history the policy never "
        "reaches, so the behaviour neighbourhood misses the improving mixture; in normal-form mixed strategies it is not "
        "a local optimum and Theorem 4.0.2 is untouched)", "Nash", f"not Nash (gain {r['gain']})", cases=1)


@claim("B4.0.2-robust", "Thm. 4.0.2 / Sec. 3.1, 7 (issue 16)", "A symmetric deterministic behaviour policy of a symmetric "
       "team Dec-POMDP whose first-order test (every reduced gradient of a reached history strictly negative) holds "
       "for every completion at the histories it does not reach is a Nash equilibrium (checked, not proved).",
       "behaviour space")
def check_robust_local_optima(budget: int) -> Verdict:
    rng = random.Random(16)
    games, policies = 0, 0
    for _ in range(max(2, 3 * budget)):
        m = random_symmetric_decpomdp(rng)
        count, bad = robust_local_maxima_are_nash(m)
        games += 1
        policies += count
        if bad is not None:
            return Verdict("refuted", "exact best reply over sequences", f"counterexample: {bad}", "Nash", "not Nash",
                           cases=games)
    return Verdict("not checkable", "checked, not proved: random symmetric two-agent Dec-POMDPs of horizon 2, exact first-order "
                   "tests and exact best replies over sequences",
                   f"no counterexample in {games} games; {policies} robust symmetric deterministic local maxima, all Nash",
                   "conjecture", "no counterexample", cases=games)
