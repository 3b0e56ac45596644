"""Section 3 claims: orbits partition the players (Prop. 3.2.6); P-invariance iff constant on orbits (Prop. 3.3.2).

Both are checked as property tests on random permutation sets P of S_n
(n <= 6): our breadth-first closure and orbits, compared with
``sympy.combinatorics`` and, when present, with :mod:`exactgames.symmetry`.

Examples
--------
>>> check_orbits_partition(3).verdict
'verified'
"""

from __future__ import annotations

import random

from sympy.combinatorics import Permutation, PermutationGroup

from proofs_check.helpers import group_closure, orbits_of, random_subgroup_gens, try_library
from proofs_check.ledger import Verdict, claim

__all__ = ["check_orbits_partition", "check_invariance_iff_orbits"]


@claim("P3.2.6", "Sec. 3.2, Prop. 3.2.6", "The orbits of any P ⊆ Γ(G) partition the players.", "symmetry")
def check_orbits_partition(budget: int) -> Verdict:
    rng = random.Random(326)
    lib = try_library("exactgames.symmetry", "generated_group")
    bad, agree = [], None
    for _ in range(budget * 4):
        n = rng.randint(1, 6)
        gens = random_subgroup_gens(rng, n)
        group = group_closure(gens, n)
        orbs = orbits_of(group, n)
        flat = sorted(i for o in orbs for i in o)
        disjoint = len(flat) == len(set(flat))
        sym = PermutationGroup([Permutation(list(g)) for g in gens])
        ref = sorted(tuple(sorted(o)) for o in sym.orbits())
        if flat != list(range(n)) or not disjoint or sorted(orbs) != ref or len(group) != sym.order():
            bad.append((n, gens))
    detail = f"{budget * 4} random P ⊆ S_n (n ≤ 6): orbits disjoint and covering; group order and orbits equal sympy's"
    if lib is not None:
        detail += "; exactgames.symmetry.generated_group present (compared in tests/theorems)"
    if bad:
        return Verdict("refuted", "property test (exact)", f"counterexample {bad[0]}", cases=budget * 4)
    return Verdict("verified", "property test (exact, brute-force closure vs sympy.combinatorics)", detail,
                   cases=budget * 4, routes_agree=agree)


@claim("P3.3.2", "Sec. 3.3, Prop. 3.3.2", "A profile is P-invariant iff s_i = s_j whenever i and j share an orbit of P.", "symmetry")
def check_invariance_iff_orbits(budget: int) -> Verdict:
    rng = random.Random(332)
    cases, bad = 0, []
    for _ in range(budget * 4):
        n = rng.randint(1, 6)
        gens = random_subgroup_gens(rng, n)
        group = group_closure(gens, n)
        orbs = orbits_of(group, n)
        # (a) constant on orbits -> invariant under every element of <P>
        strat = {}
        for o in orbs:
            s = rng.randint(0, 3)
            for i in o:
                strat[i] = s
        prof = tuple(strat[i] for i in range(n))
        inv = all(tuple(prof[g[k]] for k in range(n)) == prof for g in group)
        # (b) break one orbit of size >= 2 -> not invariant
        big = [o for o in orbs if len(o) >= 2]
        broken_ok = True
        if big:
            o = rng.choice(big)
            prof2 = list(prof)
            prof2[o[rng.randrange(len(o))]] = 99
            prof2 = tuple(prof2)
            broken_ok = not all(tuple(prof2[g[k]] for k in range(n)) == prof2 for g in group)
        cases += 1
        if not inv or not broken_ok:
            bad.append((n, gens, prof))
    if bad:
        return Verdict("refuted", "property test (exact)", f"counterexample {bad[0]}", cases=cases)
    return Verdict("verified", "property test (exact enumeration of <P>)",
                   "orbit-constant profiles are invariant under every element of <P>; changing one player of an orbit of "
                   "size ≥ 2 breaks invariance", cases=cases)
