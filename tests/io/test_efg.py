"""Tests of the Gambit .efg reader (exactgames/io/efg.py), with a fuzz test and pygambit cross-checks."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.io import GameFileError
from exactgames.io.efg import parse_efg, read_efg
from exactgames.model.tree import Chance, Decision, Terminal
from exactgames.model.tree_eu import evaluate

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"

SMALL = '''EFG 2 R "small" { "Alice" "Bob" }
"a comment"

c "root" 1 "nature" { "L" 0.25 "R" 3/4 } 0
p "" 1 1 "left" { "x" "y" } 1 "o1" { 1/2, 1/2 }
t "" 2 "o2" { 1 1 }
t "" 0
p "" 2 1 "bob" { "u" "v" } 0
t "" 3 "" { -2, -2 }
t "" 2
'''


def test_small_tree_structure_and_exact_numbers():
    t = parse_efg(SMALL)
    assert t.title == "small" and t.players == ("Alice", "Bob")
    assert [(i.player, i.label, i.actions) for i in t.infosets] == [(0, "left", ("x", "y")), (1, "bob", ("u", "v"))]
    root = t.root
    assert isinstance(root, Chance) and root.probs == (Fraction(1, 4), Fraction(3, 4)) and root.labels == ("L", "R")
    left = root.children[0]
    assert isinstance(left, Decision) and left.payoff == (Fraction(1, 2), Fraction(1, 2))
    assert isinstance(left.children[1], Terminal) and left.children[1].payoff is None
    assert root.children[1].children[1].payoff == (1, 1)  # outcome 2 reused without payoffs
    # exact expected payoff by hand: 1/4 (1/2 + x*1) + 3/4 (u*(-2) + v*1)
    v = evaluate(t, {0: (Fraction(1), Fraction(0)), 1: (Fraction(1, 3), Fraction(2, 3))})
    assert v == Fraction(1, 4) * Fraction(3, 2) + Fraction(3, 4) * (Fraction(-2, 3) + Fraction(2, 3))


def test_veil_example_file():
    t = read_efg(GAMES / "veil_of_ignorance.efg")
    assert t.n_players == 2 and len(t.infosets) == 4 and t.is_common_payoff and t.has_perfect_recall()
    # everyone cautious: the resource goes to one of them at random: E[(v1 + v2) / 2] = 5
    cc = {i: (Fraction(1), Fraction(0)) for i in range(4)}
    assert evaluate(t, cc) == 5


@pytest.mark.parametrize("text, where, what", [
    ('NFG 1 R "" { "1" }', "line 1, column 1", "expected the header 'EFG 2 R'"),
    ('EFG 3 R "" { "1" }', "line 1, column 5", "expected format version 2"),
    ('EFG 2 R "" { "1" }\n"" p "" 2 1 "" { "a" } 0\nt "" 0', "line 2, column 9", "expected a player number from 1 to 1"),
    ('EFG 2 R "" { "1" }\n"" c "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0', "line 2, column 9", "sum to 5/6"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 1 "" { "a" } 0\nt "" 1 "" { 1 2 }', "line 3, column 6", "has 2 payoffs, expected 1"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 1 "" { "a" } 0\nt "" 1', "line 3, column 6", "used before its payoffs"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 1 "" { "a" } 0\nt "" 1 "" { 0.1.2 }', "line 3, column 13", "bad number"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 1 "" { "a" } 0\nt "" 0\nt "" 0', "line 4, column 1", "expected the end of the file"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 1 { "a" } 0\nx', "line 3, column 1", "expected a node"),
    ('EFG 2 R "" { "1" }\n"" p "" 1 2 0', "line 2, column 11", "used before its actions"),
])
def test_errors_name_file_line_column_and_expectation(text, where, what):
    with pytest.raises(GameFileError) as exc:
        parse_efg(text, source="bad.efg")
    msg = str(exc.value)
    assert msg.startswith(f"bad.efg, {where}:"), msg
    assert what in msg


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.data())
def test_fuzz_malformed_files_raise_only_game_file_errors(data):
    """Random edits of a valid file (deletions, insertions, replacements) never crash the reader."""
    text = SMALL
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["del", "ins", "rep"]))
        piece = data.draw(st.sampled_from(['"', "{", "}", ",", " ", "\n", "0", "1/0", "-1", "p", "c", "t", "1e99999", "x", "9"]))
        if op == "del":
            text = text[:i] + text[i + data.draw(st.integers(1, 5)):]
        elif op == "ins":
            text = text[:i] + piece + text[i:]
        else:
            text = text[:i] + piece + text[i + 1:]
    try:
        t = parse_efg(text, source="fuzz.efg")
    except GameFileError as exc:
        assert str(exc).startswith("fuzz.efg")
    else:
        t.validate()


# ---------------------------------------------------------------------- pygambit cross-checks
def _gambit():
    return pytest.importorskip("pygambit")


@pytest.mark.parametrize("path", [GAMES / "veil_of_ignorance.efg"])
def test_pygambit_reads_our_example_identically(path):
    gbt = _gambit()
    g = gbt.read_efg(str(path))
    ours = read_efg(path)
    players = list(g.players)  # pygambit 17: player labels
    assert players == list(ours.players)
    n_infosets = sum(len(g.get_infosets(p)) for p in players)
    assert n_infosets == len(ours.infosets)
    # payoffs of every terminal node, in depth-first order, as exact rationals
    theirs = []
    for history in g.get_histories(gbt.H.plays):  # the terminal nodes, depth first
        label = g.get_outcome(gbt.H.path(*(t.action for t in history)))
        pay = g.get_outcome_payoffs(label) if label is not None else None
        theirs.append(tuple(Fraction(str(pay[p])) if pay is not None else Fraction(0) for p in players))
    mine = []

    def walk2(node):
        if isinstance(node, Terminal):
            mine.append(node.payoff or (Fraction(0),) * ours.n_players)
        else:
            for c in node.children:
                walk2(c)

    walk2(ours.root)
    assert theirs == mine


def test_features_of_files_written_by_gambit():
    """No comment line, decimals without a leading digit, payoffs without commas, outcomes at decision nodes."""
    t = parse_efg('''EFG 2 R "features" { "P1" "P2" }

c "" 1 "(0,1)" { "r" 99/100 "a" .01 } 0
p "" 1 1 "(1,1)" { "t" "p" } 1 "at a decision node" { .80 .20 }
t "" 2 "o2" { 1.60 -1 }
t "" 0
p "" 1 2 "(1,2)" { "p" } 0
t "" 3 "o3" { 3 4 }
''')
    assert t.root.probs == (Fraction(99, 100), Fraction(1, 100))
    d = t.root.children[0]
    assert d.payoff == (Fraction(4, 5), Fraction(1, 5)) and d.children[0].payoff == (Fraction(8, 5), -1)
    assert [i.actions for i in t.infosets] == [("t", "p"), ("p",)]
    assert not t.is_common_payoff and t.has_perfect_recall()
