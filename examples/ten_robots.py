"""Section 2.1: ten robots; the exact threshold of eps below which 'all play a' is the best symmetric strategy.

Run: ``python examples/ten_robots.py [--out DIR]``.
"""

from _example_utils import out_dir, write_derivation

from exactgames.certify.verdicts import profile_verdicts
from exactgames.model.profile import symmetric_profile
from exactgames.paper_games import ten_robots
from proofs_check.section2 import check_robots_optimum, check_robots_stable, robots_threshold


def main(argv=None):
    folder = out_dir(__doc__, argv)
    thr = robots_threshold(10)
    print(f"threshold eps* = (10/9)^9 - 1 = {thr} ~ {float(thr):.6f}")
    print("derivation:", check_robots_optimum(1).detail)
    print("stability: ", check_robots_stable(1).detail)
    game = ten_robots(10).subs({"eps": "1"})
    v = profile_verdicts(game, symmetric_profile(game, "a"))
    print(f"library verdicts at eps = 1 for all-a: Nash {v['nash']}, degenerate {v['degenerate']}, "
          f"locally optimal (asymmetric) {v['locally_optimal_asymmetric']}")
    write_derivation(game, None, folder, "ten_robots_eps1", time_limit=3.0)


if __name__ == "__main__":
    main()
