"""Appendix C: robot butlers with P = Γ(G) and with P = {rotation by two}.

Run: ``python examples/robot_butlers.py [--out DIR]``.  Note: Γ(G) is all of S_4 (see the ledger, C.not-total).
"""

from _example_utils import out_dir, show_optimum, write_derivation

from exactgames.output.latex import optimum_with_verdicts
from exactgames.paper_games import robot_butlers
from exactgames.symmetry import generated_group, symmetry_group


def main(argv=None):
    folder = out_dir(__doc__, argv)
    game = robot_butlers()
    gamma = symmetry_group(game)
    print(f"Γ(G): {gamma}")
    show_optimum(optimum_with_verdicts(game, gamma.orbits))
    write_derivation(game, gamma.orbits, folder, "robot_butlers_gamma")
    half_turn = generated_group(game, "(1 3)(2 4)")
    print(f"P = {{(1 3)(2 4)}}: orbits {[[i + 1 for i in o] for o in half_turn.orbits]}")
    show_optimum(optimum_with_verdicts(game, half_turn.orbits))
    write_derivation(game, half_turn.orbits, folder, "robot_butlers_half_turn")


if __name__ == "__main__":
    main()
