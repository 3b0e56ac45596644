"""The MADP toolbox's own .dpomdp files (tests/io/dpomdp_madp, GPL-3.0, see its README) read as a new user brings them."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from exactgames.io import GameFileError
from exactgames.io.dpomdp import parse_dpomdp, read_dpomdp

HERE = Path(__file__).resolve().parent / "dpomdp_madp"
GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


@pytest.mark.parametrize("name", ["2generals", "broadcastChannel", "dectiger", "dectiger_skewed", "prisoners", "recycling",
                                  "relay4"])
def test_madp_files_read(name):
    m = read_dpomdp(HERE / f"{name}.dpomdp")
    assert m.n_agents == 2 and all(sum(m.T[k]) == 1 for k in m.T)


def test_madp_dectiger_is_our_example():
    a, b = read_dpomdp(HERE / "dectiger.dpomdp"), read_dpomdp(GAMES / "dectiger.dpomdp")
    assert a.T == b.T and a.O == b.O and a.R == b.R and a.start == b.start


def test_madp_example_file_refused_with_its_line():
    with pytest.raises(GameFileError, match=r"example.dpomdp, line 199, column 6: expected an action of agent 2"):
        read_dpomdp(HERE / "example.dpomdp")


def test_reward_rules_last_one_wins_across_forms():
    """Rewards are kept as rules and looked up lazily (a wildcard line no longer expands to |S| x |O| entries)."""
    text = '''agents: 1
discount: 1
values: reward
states: s t
start:
1 0
actions:
a
observations:
o p
T: * : s :
1/2 1/2
T: * : t : t : 1
O: * : uniform
R: * : * : * : * : 5
R: a : s : t : p : 7
R: a : s : t :
1 3
R: a : s : s : o : 2
'''
    m = parse_dpomdp(text)
    # from s: next s (1/2): o -> 2, p -> 5; next t (1/2): o -> 1, p -> 3 (the row overwrote 7)
    assert m.R[(0, (0,))] == Fraction(1, 4) * (2 + 5 + 1 + 3)
