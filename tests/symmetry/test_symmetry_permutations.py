"""Parsing and printing cycle notation (players from 1)."""

import pytest
from sympy.combinatorics import Permutation

from exactgames.model.exact import ExactError
from exactgames.symmetry.permutations import PermutationSyntaxError, as_permutation, cycle_string, parse_permutations


def test_single_product_of_cycles():
    (p,) = parse_permutations("(1 3)(2 4)", 4)
    assert p.array_form == [2, 3, 0, 1]


def test_commas_inside_cycle_and_between_generators():
    ps = parse_permutations("(1,2,3,4), (1 3)", 4)
    assert [q.array_form for q in ps] == [[1, 2, 3, 0], [2, 1, 0, 3]]
    assert [q.array_form for q in parse_permutations("(1 2) ; (3 4)", 4)] == [[1, 0, 2, 3], [0, 1, 3, 2]]


def test_one_line_notation_and_identity():
    assert parse_permutations("[3 4 1 2]", 4)[0].array_form == [2, 3, 0, 1]
    assert parse_permutations("()", 3)[0].array_form == [0, 1, 2]
    assert parse_permutations("id", 3)[0].array_form == [0, 1, 2]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "empty"),
        ("(1 5)", "player 5 out of range"),
        ("(1 x)", "'x' is not a player number"),
        ("(1 2)(2 3)", "player 2 appears in two cycles"),
        ("(1 2 1)", "twice in one cycle"),
        ("(1 2);", "empty generator"),
        ("[1 1 2]", "exactly once"),
        ("1 2", "cannot read"),
    ],
)
def test_errors_are_clear(text, fragment):
    with pytest.raises(PermutationSyntaxError, match=fragment.replace("(", r"\(")) as info:
        parse_permutations(text, 3 if text.startswith("[") else 4)
    assert isinstance(info.value, ExactError)


def test_cycle_string_round_trip():
    for arr in ([0, 1, 2], [1, 0, 2], [1, 2, 0], [2, 0, 1, 4, 3]):
        p = Permutation(arr)
        text = cycle_string(p)
        assert parse_permutations(text, len(arr))[0] == as_permutation(p, len(arr))
    assert cycle_string(Permutation([1, 0, 3, 2])) == "(1 2)(3 4)"
    assert cycle_string([0, 1]) == "()"
