"""certified_optimum_setup (a ProductSetup built by the caller) agrees with certified_optimum_product on games."""

from __future__ import annotations

from fractions import Fraction

from exactgames.model.game import Game
from exactgames.optimize.bnb import certified_optimum_product, certified_optimum_setup
from exactgames.optimize.bnb.form import product_setup
from exactgames.paper_games import robot_butlers


def test_same_answer_as_the_game_route():
    for game, orbits in [
        (robot_butlers(), [[0, 2], [1, 3]]),
        (Game.from_common([["a", "b"]] * 3, lambda p: 1 if p[0] == p[1] == "a" else 0), [[0, 1], [2]]),
        (Game.from_common([["a", "b", "c"]] * 2, {("a", "b"): 3, ("b", "a"): 1, ("c", "c"): 2}), [[0], [1]]),
    ]:
        a = certified_optimum_product(game, orbits)
        b = certified_optimum_setup(product_setup(game, orbits))
        assert a.complete and b.complete
        assert a.value == b.value and a.value_interval == b.value_interval
        assert a.strategies == b.strategies and a.support == b.support
        assert a.certificate["tree"] == b.certificate["tree"]


def test_mixed_optimum_of_a_hand_built_polynomial():
    # f = 4 x_a x_b on one simplex factor of degree 2 (homogeneous): maximum 1 at (1/2, 1/2)
    from exactgames.optimize.bnb.form import ProductSetup

    s = ProductSetup(((0,), (1,)), (2, 1), (2, 1), (("a", "b"), ("z",)), {(1, 1, 1): Fraction(4)})
    r = certified_optimum_setup(s)
    assert r.complete and r.support == ((0, 1), (0,))
    lo, hi = r.value_interval
    assert lo <= 1 <= hi and hi - lo < Fraction(1, 10**20)
