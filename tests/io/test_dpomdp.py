"""Tests of the MADP .dpomdp reader (exactgames/io/dpomdp.py) and the horizon unrolling, with a fuzz test."""

from __future__ import annotations

import itertools
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.io import GameFileError
from exactgames.io.dpomdp import parse_dpomdp, read_dpomdp
from exactgames.io.trees import read_tree
from exactgames.model.decpomdp import unroll
from exactgames.model.tree_eu import evaluate

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"

FORMS = '''# every entry form
agents: alice bob
discount: 1/2
values: cost
states: 3
start include: 0 2
actions:
2
go stay
observations:
ping
o1 o2
T: * :
uniform
T: 1 : 0 :
1 0 0
T: 0 go : 1 : 2 : 1
T: 0 go : 1 : 1 : 0
T: 0 go : 1 : 0 : 0
O: * :
uniform
O: 0 stay : 2 : * : 0.5
O: 0 stay : 0 :
0.25 0.75
R: * : * : * : * : 2
R: 1 * : 2 :
1 0 1 0 1 0
R: 0 go : 0 : 1 :
5 7
'''


def test_every_entry_form_is_read_exactly():
    m = parse_dpomdp(FORMS)
    assert m.agents == ("alice", "bob") and m.states == ("0", "1", "2") and m.discount == Fraction(1, 2)
    assert m.actions == (("0", "1"), ("go", "stay")) and m.observations == (("ping",), ("o1", "o2"))
    assert m.start == (Fraction(1, 2), 0, Fraction(1, 2))
    # joint index 1 = (0, stay) (last agent fastest); rows, single entries, wildcards
    assert m.T[(0, (0, 1))] == (1, 0, 0) and m.T[(1, (0, 0))] == (0, 0, 1) and m.T[(2, (1, 1))] == (Fraction(1, 3),) * 3
    assert m.O[((0, 1), 2)] == {(0, 0): Fraction(1, 2), (0, 1): Fraction(1, 2)}
    assert m.O[((0, 1), 0)] == {(0, 0): Fraction(1, 4), (0, 1): Fraction(3, 4)}
    # values: cost negates; R(s, a) averages R(s, a, s', o) over T and O
    assert m.R[(0, (0, 1))] == -2
    # (0, go) in state 0: T uniform, O uniform; R = 2 except s' = 1: 5 (o1), 7 (o2)
    assert m.R[(0, (0, 0))] == -(Fraction(2, 3) * 2 + Fraction(1, 3) * (Fraction(5, 2) + Fraction(7, 2)))
    # (1, *) in state 2: the matrix row by next state, observations o1 -> 1, o2 -> 0
    assert m.R[(2, (1, 0))] == -Fraction(1, 2)


def test_dectiger_unrolled_value_of_always_listen():
    m = read_dpomdp(GAMES / "dectiger.dpomdp")
    for h in (1, 2, 3):
        t = unroll(m, h)
        listen = {i: (Fraction(1), Fraction(0), Fraction(0)) for i in range(len(t.infosets))}
        assert evaluate(t, listen) == -2 * h
        assert t.has_perfect_recall() and t.is_common_payoff
    # the information sets are the action-observation histories: 1 + 6 per agent at horizon 2
    t2 = unroll(m, 2)
    assert len(t2.infosets) == 2 * (1 + 6)
    assert {i.label for i in t2.infosets} >= {"start", "listen/hear-left", "open-right/hear-right"}


def test_read_tree_needs_a_horizon_for_dpomdp():
    with pytest.raises(GameFileError, match="needs a finite horizon"):
        read_tree(GAMES / "dectiger.dpomdp")
    with pytest.raises(GameFileError, match="applies to .dpomdp files only"):
        read_tree(GAMES / "veil_of_ignorance.efg", horizon=2)
    with pytest.raises(GameFileError, match="expected a smaller --horizon"):
        read_tree(GAMES / "dectiger.dpomdp", horizon=9)


@pytest.mark.parametrize("edit, where, what", [
    (("agents: alice bob", "agents: 2 x"), "line 2, column 9", "number of agents or their names"),
    (("T: 1 : 0 :\n1 0 0", "T: 1 : 0 :\n1 0"), "line 16, column 3", "expected 3 numbers"),
    (("T: 0 go : 1 : 2 : 1", "T: 0 went : 1 : 2 : 1"), "line 17, column 6", "(one of go, stay"),
    (("O: 0 stay : 0 :\n0.25 0.75", "O: 0 stay : 0 :\n0.25 0.7x"), "line 24, column 6", "exact number"),
    (("states: 3", "states: 3\nstates: 2"), "line 6, column 1", "a second 'states:' section"),
    (("O: 0 stay : 0 :\n0.25 0.75", "O: 0 stay : 0 :\n0.25 0.5"), None, "not a distribution (sum 3/4"),
])
def test_errors_name_file_line_column_and_expectation(edit, where, what):
    text = FORMS.replace(*edit)
    assert text != FORMS
    with pytest.raises(GameFileError) as exc:
        parse_dpomdp(text, source="bad.dpomdp")
    msg = str(exc.value)
    assert msg.startswith("bad.dpomdp" + (f", {where}:" if where else ":")), msg
    assert what in msg, msg


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.data())
def test_fuzz_malformed_files_raise_only_game_file_errors(data):
    text = FORMS
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["del", "ins", "rep"]))
        piece = data.draw(st.sampled_from([":", "*", " ", "\n", "0", "1/0", "-1", "T:", "O:", "R:", "uniform", "identity",
                                           "1e99999", "x", "9", "#", "start:"]))
        if op == "del":
            text = text[:i] + text[i + data.draw(st.integers(1, 6)):]
        elif op == "ins":
            text = text[:i] + piece + text[i:]
        else:
            text = text[:i] + piece + text[i + 1:]
    try:
        m = parse_dpomdp(text, source="fuzz.dpomdp")
    except GameFileError as exc:
        assert str(exc).startswith("fuzz.dpomdp")
    else:
        for s, ja in itertools.product(range(len(m.states)), m.joint_actions()):
            assert sum(m.T[(s, ja)]) == 1
        unroll(m, 2).validate()
