"""Appendix A: the veil of ignorance; the symmetric optimum is worth 121/24 (the paper prints 77/18).

Run: ``python examples/veil_of_ignorance.py [--out DIR]``.
"""

import sympy
from _example_utils import out_dir, show_optimum, write_derivation

from exactgames.output.latex import optimum_with_verdicts
from exactgames.paper_games import veil_of_ignorance
from proofs_check.appendix_a import story_eu, symmetric_optimum


def main(argv=None):
    folder = out_dir(__doc__, argv)
    q, p, value, text = symmetric_optimum()
    print(f"from the story: {text}")
    print(f"optimal symmetric plan: Low -> A w.p. {q}, High -> A w.p. {p}; team utility {value} (paper: 77/18)")
    print(f"asymmetric plan (robot 1 aggressive when High): {story_eu(0, 1, 0, 0)}; public types: 11/2")
    game = veil_of_ignorance()
    show_optimum(optimum_with_verdicts(game, [[0, 1]]))
    assert value == sympy.Rational(121, 24)
    write_derivation(game, [[0, 1]], folder, "veil_of_ignorance")


if __name__ == "__main__":
    main()
