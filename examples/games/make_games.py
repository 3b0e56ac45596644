"""Regenerate the example game files in this folder from ``exactgames.paper_games``.

Run from anywhere:  python examples/games/make_games.py
Each file is written with the library's own writers (atomically); the test
suite checks that the checked-in files equal what this script writes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import sympy

from exactgames import paper_games
from exactgames.experiments.generators import generate
from exactgames.io.nfg_write import write_nfg
from exactgames.io.toml_write import write_toml
from exactgames.model.game import AnonymousGame

HERE = Path(__file__).resolve().parent

FIFTY_TITLE = (
    "fifty players: 50 players, actions a, b, c; common payoff "
    "(n_a*n_b + n_b*n_c + n_c*n_a)/625, plus 1 if all 50 play a"
)


def fifty_players() -> AnonymousGame:
    """50 players x 3 actions, anonymous, rational payoffs (formula in the title)."""

    def u(c: tuple[int, int, int]) -> sympy.Expr:
        na, nb, nc = c
        return sympy.Rational(na * nb + nb * nc + nc * na, 625) + (1 if na == 50 else 0)

    return AnonymousGame.from_function(50, ["a", "b", "c"], u, title=FIFTY_TITLE)


def example_games() -> dict[str, object]:
    """File name -> game, for every example file in this folder."""
    ex = paper_games.example_5_0_5()
    half = ex.subs({"eps": "1/2"})
    return {
        "taxi_permits.nfg": paper_games.taxi_permits(),
        "taxi_symmetric.nfg": paper_games.taxi_symmetric(),
        "taxi_large_groups.nfg": paper_games.taxi_large_groups(),
        "robot_butlers.nfg": paper_games.robot_butlers(),
        "veil_of_ignorance.nfg": paper_games.veil_of_ignorance(),
        "example_5_0_5.toml": dataclasses.replace(ex, domains=(("eps", "positive"),)),
        "example_5_0_5_eps_half.nfg": dataclasses.replace(half, title="Example 5.0.5 with eps = 1/2"),
        "ten_robots.toml": dataclasses.replace(paper_games.ten_robots(), domains=(("eps", "positive"),)),
        "fifty_players.toml": fifty_players(),
        # a GAMUT RandomGame (5 players x 5 actions) whose optimum is a quartic CRootOf
        "r55.toml": generate("random", 5, 5, 1),
        # ties: every "all play the same action" profile is optimal
        "pure_coordination.toml": AnonymousGame.from_function(
            5, ["a", "b", "c"], lambda c: 1 if max(c) == 5 else 0, title="pure coordination: 1 if all 5 players agree"
        ),
        # a continuum: every strategy on the face {a, b} is optimal
        "face_continuum.toml": AnonymousGame.from_function(
            5, ["a", "b", "c", "d"], lambda c: 3 if c[2] + c[3] == 0 else (c[2] * c[3]) % 4,
            title="face continuum: 3 when nobody plays c or d, else (n_c n_d mod 4)",
        ),
    }


def main(folder: Path = HERE) -> list[Path]:
    written = []
    for name, game in example_games().items():
        path = folder / name
        if path.suffix == ".nfg":
            write_nfg(game, path)
        else:
            write_toml(game, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in main():
        print(f"wrote {p}")
