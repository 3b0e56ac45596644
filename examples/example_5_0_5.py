"""Example 5.0.5: a degenerate game whose symmetric optimum (a, a) is Nash but not locally optimal in asymmetric space.

Run: ``python examples/example_5_0_5.py [--out DIR]``.
"""

from _example_utils import out_dir, show_optimum, write_derivation

from exactgames.output.latex import optimum_with_verdicts
from exactgames.paper_games import example_5_0_5
from proofs_check.section5 import check_example_505


def main(argv=None):
    folder = out_dir(__doc__, argv)
    print(check_example_505(1).detail)
    game = example_5_0_5("1/2")
    print("eps = 1/2:")
    show_optimum(optimum_with_verdicts(game, [[0, 1]]))
    write_derivation(game, [[0, 1]], folder, "example_5_0_5_eps_half")


if __name__ == "__main__":
    main()
