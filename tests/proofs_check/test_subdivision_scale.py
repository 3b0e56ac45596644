"""The checker's subdivision at scale (issue 18): level faces without the 2^m enumeration, the own search's splits."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest

from exactgames.model.game import Game
from proofs_check.checker.numbers import Reject
from proofs_check.checker.polynomial import Setup, count_keys
from proofs_check.checker.subdivision import _Cells, replay


def _brute_level_faces(cells: _Cells, coef: list, target: int, verts: list) -> list:
    """Every product of non-empty vertex subsets, largest first, kept when maximal and level (the definition)."""
    st = cells.st
    nf = len(st.ms)
    subsets = [[sub for size in range(m, 0, -1) for sub in itertools.combinations(range(m), size)] for m in st.ms]
    found: list = []
    for fc in sorted(itertools.product(*subsets), key=lambda fc: -sum(len(f) for f in fc)):
        if any(all(set(a) <= set(b) for a, b in zip(fc, f)) for f in found):
            continue
        on = [j for j, key in enumerate(cells.keys) if all(key[i][a] == 0 for i in range(nf) for a in range(st.ms[i]) if a not in fc[i])]
        if all(coef[j] == target for j in on):
            found.append(fc)
    return [tuple(tuple(sorted(verts[i][p] for p in f[i])) for i in range(nf)) for f in found]


@pytest.mark.parametrize("seed", range(40))
def test_level_faces_agree_with_the_definition(seed: int) -> None:
    rng = random.Random(seed)
    nf = rng.choice([1, 2, 2, 3])
    ms = [rng.randint(2, 5 - nf) for _ in range(nf)]  # the brute force is 2^(sum m) faces times the keys
    sizes = [rng.randint(1, 4 - nf) for _ in range(nf)]
    terms = {tuple(x for c in key for x in c): Fraction(1)
             for key in itertools.product(*(count_keys(n, m) for n, m in zip(sizes, ms)))}
    cells = _Cells(Setup.from_terms(sizes, ms, [tuple("abcd"[:m]) for m in ms], terms))
    verts = cells.root_verts()
    for _ in range(5):
        coef = [rng.choice([7, 7, 7, 7, 6, 3]) for _ in cells.keys]
        got = cells.level_faces(coef, 7, verts)
        want = _brute_level_faces(cells, coef, 7, verts)
        assert len(got) == len(set(got)) and set(got) == set(want), (ms, sizes, coef)


def _parity_game(m: int) -> Game:
    acts = [f"a{i}" for i in range(m)]
    return Game.from_common([acts] * 2, {(x, y): int(i % 2 == j % 2) for i, x in enumerate(acts) for j, y in enumerate(acts)})


@pytest.mark.parametrize("m", [20, 30])
def test_level_faces_of_a_2x20_and_2x30_simplex(m: int) -> None:
    # EU = (sum of even x)^2 + (sum of odd x)^2 <= 1, with equality exactly on the even face and on the odd face.
    # The root cell is weakly pruned at 1; enumerating its 2^m - 1 faces took 606 s at m = 20 and never ended at 30.
    st = Setup(_parity_game(m), [[0, 1]])
    rep = replay([["w"]], st, Fraction(1), Fraction(1), [])
    assert rep.weak == 1
    faces = {tuple(sorted(a for a in range(m) if any(v[a] for v in f[0]))) for f in rep.level}
    assert faces == {tuple(range(0, m, 2)), tuple(range(1, m, 2))}
    # one coefficient below: the pair {a0, a2} now breaks the even face into two maximal faces
    cells = _Cells(st)
    coef = list(cells.root)
    j = cells.keys.index((tuple(int(a in (0, 2)) for a in range(m)),))
    coef[j] -= 1
    got = {tuple(a for a in range(m) if any(v[a] for v in f[0])) for f in cells.level_faces(coef, cells.den, cells.root_verts())}
    evens = [a for a in range(0, m, 2)]
    assert got == {tuple(range(1, m, 2)), tuple(a for a in evens if a != 0), tuple(a for a in evens if a != 2)}


def test_weak_prune_above_the_attained_value_still_refused_at_scale() -> None:
    st = Setup(_parity_game(20), [[0, 1]])
    with pytest.raises(Reject, match="not at most the attained value"):
        replay([["w"]], st, Fraction(1, 2), Fraction(1, 2), [])
