"""Tests of profile construction and the CLI profile syntax."""

import pytest
import sympy

from exactgames.model import ExactError, parse_profile, support
from exactgames.paper_games import robot_butlers, taxi_symmetric


def test_parse_profile_forms():
    g = taxi_symmetric()
    assert parse_profile(g, "H; W") == ((1, 0), (0, 1))
    assert parse_profile(g, "1/3, 2/3; H=1") == ((sympy.Rational(1, 3), sympy.Rational(2, 3)), (1, 0))
    s = parse_profile(robot_butlers(), "sym: F=sqrt(2)-1, D=2-sqrt(2)")
    assert len(s) == 4 and all(x == s[0] for x in s)
    assert support(s[0]) == (0, 1)


@pytest.mark.parametrize(
    "text, message",
    [("H", "separate strategies"), ("H=1/2,W=1/3; H", "sum to 5/6"), ("H=2,W=-1; H", "< 0"), ("Q=1; H", "no action 'Q'"),
     ("H=0.5,W=0.5; H; W", "3 strategies for 2 players"), ("H=x,W=1; H", "unknown name")],
)
def test_parse_profile_errors(text, message):
    with pytest.raises(ExactError, match=message):
        parse_profile(taxi_symmetric(), text)
