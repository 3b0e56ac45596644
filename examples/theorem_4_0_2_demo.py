"""Theorem 4.0.2 on random games: every locally optimal P-invariant profile is a Nash equilibrium.

Draws random common-payoff games with a random symmetry group, a random P inside it, computes the exact P-invariant
optimum with the library, and checks Nash by brute force.  Run: ``python examples/theorem_4_0_2_demo.py [--out DIR]``.
"""

import random

from _example_utils import out_dir, write_derivation

from exactgames.output.latex import optimum_with_verdicts
from proofs_check.helpers import group_closure, nash_gain, orbits_of, random_invariant_game, random_subgroup_gens


def main(argv=None, n_games: int = 5):
    folder = out_dir(__doc__, argv)
    rng = random.Random(2022)
    for t in range(n_games):
        n = rng.randint(2, 3)
        group = group_closure(random_subgroup_gens(rng, n), n)
        game = random_invariant_game(rng, n, 2, group)
        pset = sorted(group) if t % 2 == 0 else rng.sample(sorted(group), 1)
        orbits = orbits_of(group_closure(pset, n), n)
        res = optimum_with_verdicts(game, orbits)
        s = [None] * n
        for o, strat in zip(res.orbits, res.strategies):
            for i in o:
                s[i] = list(strat)
        gain, _ = nash_gain(game, s)
        print(f"game {t}: n={n}, |group|={len(group)}, orbits {[[i + 1 for i in o] for o in orbits]}, optimum {res.value}, "
              f"strategies {[[str(x) for x in st] for st in res.strategies]}, brute-force Nash gain {gain}")
        if t == 0:
            write_derivation(game, orbits, folder, "theorem_4_0_2_game0")


if __name__ == "__main__":
    main()
