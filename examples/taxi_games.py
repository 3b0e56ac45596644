"""Section 2 / Table 1: the three self-driving taxi games, solved exactly.

Run: ``python examples/taxi_games.py [--out DIR]``.
"""

from _example_utils import out_dir, show_optimum, write_derivation

from exactgames.output.latex import optimum_with_verdicts
from exactgames.paper_games import taxi_large_groups, taxi_permits, taxi_symmetric


def main(argv=None):
    folder = out_dir(__doc__, argv)
    for name, make, orbits in (("taxi_permits", taxi_permits, [[0], [1]]), ("taxi_symmetric", taxi_symmetric, [[0, 1]]),
                               ("taxi_large_groups", taxi_large_groups, [[0, 1]])):
        game = make()
        print(f"{game.title}: orbits {[[i + 1 for i in o] for o in orbits]}")
        show_optimum(optimum_with_verdicts(game, orbits))
        write_derivation(game, orbits, folder, name)
    print("Table 1c: p = q = 1/2 is a Nash equilibrium but a local MINIMUM of the symmetric EU 2p^2 - 2p + 1 (see the ledger, S2.T1c).")


if __name__ == "__main__":
    main()
