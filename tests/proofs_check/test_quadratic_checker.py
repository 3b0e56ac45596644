"""``verify`` on concave-face proofs (two-player symmetric optima): every true answer verifies, every forgery is refused.

The checker lists the concave action sets itself and takes from the certificate only the support of each
maximal face's maximiser, so each forged field below must be caught by its own exact computation.
"""

from __future__ import annotations

import copy
import json

import pytest

import exactgames as eg
from exactgames.experiments.generators import generate
from exactgames.model.game import AnonymousGame
from proofs_check.checker import check_certificate


def _json(r) -> dict:
    return json.loads(json.dumps(r.to_json(), default=str))


@pytest.fixture(scope="module")
def case():
    g = generate("random", 2, 12, 1, scale="appendix")
    d = _json(eg.optimize(g))
    assert d["method"].startswith("exact concave-face") and d["certificate"]["faces"]["kind"] == "stqp-faces-v1"
    return g, d


@pytest.mark.parametrize("m,seed", [(10, 0), (10, 2), (20, 1), (30, 1), (30, 6)])
def test_true_answers_verify(m: int, seed: int) -> None:
    g = generate("random", 2, m, seed, scale="appendix")
    d = _json(eg.optimize(g, time_limit=60))
    assert d["complete"] and d["certificate"].get("faces") is not None
    rep = check_certificate(g, d)
    assert rep.ok, rep.errors
    assert any("concave-face proof" in c for c in rep.checks)


def _refused(g, d, edit) -> str:
    bad = copy.deepcopy(d)
    edit(bad)
    rep = check_certificate(g, bad)
    assert not rep.ok
    return " ".join(map(str, rep.errors))


def test_forged_fields_are_refused(case) -> None:
    g, d = case
    faces = d["certificate"]["faces"]["maximal"]
    # the value: one more, or a lower local maximum's value
    _refused(g, d, lambda b: b.update(value=str(eg.optimize(g).value + 1)))
    # a lower local maximum passed off as the optimum: another face's own maximiser and value
    others = []
    from exactgames.optimize.quadratic import payoff_matrix, stationary_point
    A = payoff_matrix(g)
    for T, U in faces:
        x, mu = stationary_point(A, U)
        if str(mu) != d["value"] and min(x) > 0:
            others.append((U, x, mu))
    U, x, mu = max(others, key=lambda t: t[2])
    acts = list(d["strategies"][0])
    lower = {a: "0" for a in acts}
    for a, v in zip(U, x):
        lower[acts[a]] = str(v)

    def lower_max(b):
        b["strategies"] = [lower]
        b["support"] = [[acts[a] for a in U]]
        b["mixed"] = len(U) > 1
        b["value"] = str(mu)
        b["value_interval"] = [str(mu), str(mu)]
    assert "not the" in _refused(g, d, lower_max) or "maximum" in _refused(g, d, lower_max)
    # a missing maximal face, a non-maximal one added, a listed twice
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"].pop(0))
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"].append([[0], [0]]))
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"].append(copy.deepcopy(faces[0])))
    # a wrong hint: the winning face's support replaced by a single action of it; a support outside its face
    k = next(k for k, (T, U) in enumerate(faces) if len(U) > 1)
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"][k].__setitem__(1, faces[k][1][:1]))
    out = next(a for a in range(12) if a not in faces[k][0])
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"][k].__setitem__(1, [out]))
    # garbage: wrong kind, strings for indices, an index out of range, no faces list
    _refused(g, d, lambda b: b["certificate"]["faces"].update(kind="stqp-faces-v9"))
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"][0].__setitem__(0, ["a", "b"]))
    _refused(g, d, lambda b: b["certificate"]["faces"]["maximal"][0].__setitem__(1, [99]))
    _refused(g, d, lambda b: b["certificate"]["faces"].pop("maximal"))
    # an inexact claim, a forged tie, an off-simplex strategy
    _refused(g, d, lambda b: b.update(value_exact=False))
    _refused(g, d, lambda b: b.update(ties=[str(tuple(lower[a] for a in acts)).replace("'", "")]))
    _refused(g, d, lambda b: b.update(ties=["continuum: EU = 1 on the whole face {a0} (orbit by orbit)"]))
    s = dict(d["strategies"][0])
    a0 = next(a for a, v in s.items() if v != "0")
    s[a0] = str(eg.optimize(g).strategies[0][acts.index(a0)] + 1)
    _refused(g, d, lambda b: b.update(strategies=[s]))


def test_ties_verify_and_a_dropped_tie_is_refused() -> None:
    g = AnonymousGame.from_function(2, ["a", "b", "c"], {(2, 0, 0): 3, (0, 2, 0): 3, (0, 0, 2): 1}, default=0)
    d = _json(eg.optimize(g))
    assert d["certificate"].get("faces") is not None and len(d["ties"]) == 1
    assert check_certificate(g, d).ok
    _refused(g, d, lambda b: b.update(ties=[]))
    _refused(g, d, lambda b: b.update(ties=d["ties"] * 2))


def test_faces_on_a_three_player_game_are_refused() -> None:
    g = generate("random", 3, 3, 0)
    d = _json(eg.optimize(g))
    d["certificate"]["faces"] = {"kind": "stqp-faces-v1", "maximal": [[[0], [0]]]}
    assert not check_certificate(g, d).ok
