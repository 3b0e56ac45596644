"""Battle of the Sexes as a team game: symmetric only by swapping the players AND renaming the actions (issue 15).

Player-only symmetries (the paper's Γ(G)) are trivial here, so the paper's symmetric optimum is just the team
optimum; the automorphism (1 2)(1:O 2:F)(1:F 2:O) reveals a symmetry over players and actions.  Its invariant
profiles are s_1 = (p, 1 - p), s_2 = (1 - p, p); the script computes the automorphism group, the certified
optimum over those profiles (9/5 at p = 2/5), checks Nash on the game, verifies the certificate with the
independent checker and writes the LaTeX derivation.

Run: python examples/battle_of_the_sexes_team.py [--out DIR]
"""

from __future__ import annotations

from pathlib import Path

from _example_utils import out_dir

GAME = Path(__file__).resolve().parent / "games" / "battle_of_the_sexes_team.toml"


def main(argv: list[str] | None = None) -> None:
    folder = out_dir(__doc__.splitlines()[0], argv)
    from exactgames.invariant_optimum import invariant_latex, invariant_optimum
    from exactgames.io import read_game
    from exactgames.symmetry.automorphism_search import automorphism_group
    from proofs_check.checker import check_certificate

    game = read_game(str(GAME))
    print(automorphism_group(game))
    opt = invariant_optimum(game, "all")
    print(f"optimum over invariant profiles: {opt.value} at {[[str(x) for x in s] for s in opt.profile]}")
    print(f"Nash: {opt.verdicts['nash']}")
    print(f"certificate verified independently: {check_certificate(game, opt.to_json()).ok}")
    path = folder / "battle_of_the_sexes_team.tex"
    path.write_text(invariant_latex(game, opt), encoding="utf-8")
    print(f"LaTeX derivation written to {path}")


if __name__ == "__main__":
    main()
