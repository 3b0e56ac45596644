"""The checker's subdivision at scale (issue 18): level faces without the 2^m enumeration, the own search's splits."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
from flint import fmpq

from exactgames.model.game import AnonymousGame, Game
from proofs_check.checker import check_certificate
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


# ---------------------------------------------------------------- stellar splits and the checker's own search


def _bernstein_on(st: Setup, verts: list) -> dict:
    """Tensor Bernstein coefficients of f on the product of simplices ``verts`` by substitution (flint compose)."""
    gens = st.ctx.gens()
    subs = []
    for i, vs in enumerate(verts):
        for a in range(st.ms[i]):
            tot = st.ctx.from_dict({})
            for k, v in enumerate(vs):
                if v[a]:
                    tot = tot + gens[st.var(i, k)] * fmpq(v[a].numerator, v[a].denominator)
            subs.append(tot)
    comp = st.f.compose(*subs)
    full = [list(range(m)) for m in st.ms]
    return {k: Fraction(int(v.p), int(v.q)) for k, v in st.bernstein(comp, full).items()}


@pytest.mark.parametrize("orbits,m,seed", [([[0, 1]], 3, 0), ([[0, 1, 2]], 4, 1), ([[0, 1], [2]], 3, 2)])
def test_stellar_children_coefficients_by_substitution(orbits: list, m: int, seed: int) -> None:
    rng = random.Random(seed)
    acts = "abcd"[:m]
    n = sum(len(o) for o in orbits)
    g = Game.from_common([list(acts)] * n, {p: Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for p in itertools.product(acts, repeat=n)})
    st = Setup(g, orbits)
    cells = _Cells(st)
    verts = cells.root_verts()
    lam = [Fraction(rng.randint(0, 3)) for _ in range(m - 1)] + [Fraction(1)]
    lam = [x / sum(lam) for x in lam]
    kids = cells.cone(cells.root, 1, verts, 0, lam)
    assert len(kids) == sum(1 for x in lam if x)
    for coef, mul, vs in kids:
        want = _bernstein_on(st, vs)
        got = {k: Fraction(c, cells.den * mul) for k, c in zip(cells.keys, coef)}
        assert all(got[k] == want.get(k, 0) for k in cells.keys)
    # the midpoint of an edge: the same children as a bisection
    half = [Fraction(1, 2), Fraction(1, 2)] + [Fraction(0)] * (m - 2)
    (c1, e1, _), (c2, e2, _) = cells.cone(cells.root, 1, verts, 0, half)
    (b1, f1, _), (b2, f2, _) = cells.children(cells.root, 1, verts, 0, 0, 1)
    assert (list(c1), e1, list(c2), e2) == (list(b2), f2, list(b1), f1)  # cone child 0 replaces vertex 0: the bisection's right child


def _smallint_2x10_seed1() -> AnonymousGame:
    """``benchmarks/scale_bench.py``'s small-integer game 2 x 10, seed 1 (payoffs in {0, 1, 2})."""
    import numpy as np

    from exactgames.experiments.generators import action_names
    from exactgames.model.counts import count_vectors

    rng = np.random.RandomState(1)
    table = {c: int(rng.randint(0, 3)) for c in count_vectors(2, 10)}
    return AnonymousGame.from_function(2, action_names(10), table)


def _max_by_faces(st: Setup) -> tuple[Fraction, list]:
    """Max of the quadratic x^T U x over the simplex by a different route: every face's interior critical point
    (U_S x_S = t 1, sum x_S = 1, exact; singular faces skipped, their critical sets reach a smaller face)."""
    import sympy

    m = st.ms[0]
    U = [[Fraction(0)] * m for _ in range(m)]
    for e, c in st.f.terms():
        a, b = [v for v, k in enumerate(e) for _ in range(k)]
        U[a][b] = U[b][a] = Fraction(int(c.p), int(c.q)) / (1 if a == b else 2)
    best = None
    for size in range(1, m + 1):
        for S in itertools.combinations(range(m), size):
            A = sympy.Matrix([[U[a][b] for b in S] + [-1] for a in S] + [[1] * size + [0]])
            if A.det() == 0:
                continue
            sol = A.solve(sympy.Matrix([0] * size + [1]))
            if any(v <= 0 for v in sol[:size]):
                continue
            if best is None or sol[size] > best[0]:
                x = [Fraction(0)] * m
                for a, v in zip(S, sol[:size]):
                    x[a] = Fraction(int(v.p), int(v.q))
                best = (Fraction(int(sol[size].p), int(sol[size].q)), x)
    return best


def _claim(g: AnonymousGame, x: list, value: Fraction) -> dict:
    acts = list(g.actions)
    return {"value": str(value), "value_interval": [str(value), str(value)], "orbits": [[1, 2]],
            "strategies": [{a: str(v) for a, v in zip(acts, x)}], "support": [[a for a, v in zip(acts, x) if v]],
            "mixed": True, "complete": True, "value_exact": True, "ties": [], "certificate": {}}


def test_own_search_closes_the_small_integer_2x10_game() -> None:
    # Before: bisections only, the maximiser (1/5, 2/5, 2/5) on a3, a4, a7 never a cell vertex, so the cells around
    # it had to fit a tiny degenerate region (half-width 1/64): "did not close within 200000 cells / 20 s".
    g = _smallint_2x10_seed1()
    st = Setup(g, [[0, 1]])
    value, x = _max_by_faces(st)
    assert value == Fraction(8, 5) and x[2:7:2] == [Fraction(1, 5), Fraction(0), Fraction(2, 5)]
    rep = check_certificate(g, _claim(g, x, value))
    assert rep.ok, rep.errors
    assert any("own subdivision closed" in c for c in rep.checks)
    # a lower KKT point (the best pure profile) is refused
    pure = max(range(10), key=lambda a: st.pure_value([a]))
    low = [Fraction(int(a == pure)) for a in range(10)]
    bad = check_certificate(g, _claim(g, low, st.pure_value([pure])))
    assert not bad.ok


@pytest.mark.parametrize("tok,msg", [
    (["c", 0, ["1/2", "1/2", "0"]], "entries"),
    (["c", 0, ["-1/2", "1", "1/2", "0"]], ">= 0"),
    (["c", 0, ["1/2", "1/4", "0", "0"]], "sum to 1"),
    (["c", 0, ["1", "0", "0", "0"]], "two or more"),
    (["c", 1, ["1/2", "1/2", "0", "0"]], "bad stellar"),
    (["c", 0, ["1/3", "1/10000000000000", "0", str(Fraction(2, 3) - Fraction(1, 10**13))]], "denominator"),
])
def test_forged_stellar_split_tokens_refused(tok: list, msg: str) -> None:
    g = Game.from_common([list("abcd")] * 2, {p: int(p[0] == p[1]) for p in itertools.product("abcd", repeat=2)})
    st = Setup(g, [[0, 1]])
    with pytest.raises(Reject, match=msg):
        replay([tok, ["w"], ["w"]], st, Fraction(1), Fraction(1), [])


def test_stellar_split_must_close_every_child() -> None:
    g = Game.from_common([list("abc")] * 2, {p: int(p[0] == p[1]) for p in itertools.product("abc", repeat=2)})
    st = Setup(g, [[0, 1]])
    with pytest.raises(Reject, match="ends early"):
        replay([["c", 0, ["1/3", "1/3", "1/3"]], ["w"], ["w"]], st, Fraction(1), Fraction(1), [])
    rep = replay([["c", 0, ["1/3", "1/3", "1/3"]], ["w"], ["w"], ["w"]], st, Fraction(1), Fraction(1), [])
    assert rep.weak == 3
    # (1/3, 1/3, 1/3) has EU 1/3 < 1: a cone child with it as a vertex is not below 1/3 everywhere
    with pytest.raises(Reject, match="not at most"):
        replay([["c", 0, ["1/3", "1/3", "1/3"]], ["w"], ["w"], ["w"]], st, Fraction(1, 3), Fraction(1, 3), [])


@pytest.mark.parametrize("orbits,m,n_players", [([[0, 1, 2]], 4, 3), ([[0, 1], [2]], 3, 3), ([[0, 1, 2, 3]], 3, 4)])
def test_vectorised_bisection_plans_equal_the_blossom_definition(orbits, m, n_players):
    """_Cells.arrays (integer key codes, numpy) against _Cells.plan (the blossom sums written out, dictionaries)."""
    rng = random.Random(11)
    acts = "abcd"[:m]
    g = Game.from_common([list(acts)] * n_players,
                         {p: Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for p in itertools.product(acts, repeat=n_players)})
    cells = _Cells(Setup(g, orbits))
    assert cells._codes() is not None
    for i in range(len(orbits)):
        for p, q in itertools.permutations(range(m), 2):
            want = [sc * sum(cells.root[j] * b for j, b in src) for sc, src in cells.plan(i, p, q)]
            assert list(cells.bisect(cells.root, i, p, q)) == want


def test_scaled_root_value_is_read_without_sympy_isolation() -> None:
    """RandomGame 50x3 seed 2: sympy prints the degree-49 value as ``7*CRootOf(q, 9)``.

    Reading it through sympy asked for the real roots of ``q`` (``Mul.is_extended_real``), which did not end in
    120 s; the checker now keeps ``a*CRootOf(p, k) + b`` as a polynomial, an index and two rationals.  Every
    part of that claim is forged below and refused.
    """
    import copy
    import json

    import exactgames as eg
    from exactgames.experiments.generators import generate
    from proofs_check.checker.claims import parse_value
    from proofs_check.checker.numbers import Field

    g = generate("random", 50, 3, 2, scale="appendix")
    d = json.loads(json.dumps(eg.optimize(g, time_limit=60).to_json(), default=str))
    assert d["complete"] and d["value_exact"] is True
    assert d["value"].startswith("7*CRootOf(") and d["value"].endswith(", 9)")
    poly, index, a, b = parse_value(Field(d["value"], "value"))
    assert (poly.degree(), index, a, b) == (49, 9, Fraction(7), Fraction(0))
    rep = check_certificate(g, d)
    assert rep.ok, rep.errors
    for forged in (d["value"].replace(", 9)", ", 8)"), d["value"].replace("7*", "8*", 1),
                   d["value"] + " + 1/10**40", "1/7*" + d["value"]):
        bad = copy.deepcopy(d)
        bad["value"] = forged
        assert not check_certificate(g, bad).ok, forged[-30:]
