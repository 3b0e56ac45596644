"""``exactgames check``: Nash certificate plus the verdicts, JSON and text."""

import json

import pytest
import sympy

from exactgames.cli import main
from exactgames.io import write_game
from exactgames.paper_games import example_5_0_5, robot_butlers, taxi_large_groups, taxi_symmetric


def run_json(capsys, argv):
    code = main(argv + ["--json"])
    return code, json.loads(capsys.readouterr().out)


def test_taxi_1b_half(tmp_path, capsys):
    path = tmp_path / "taxi.nfg"
    write_game(taxi_symmetric(), path)
    code, rep = run_json(capsys, ["check", str(path), "--profile", "sym: H=1/2, W=1/2"])
    assert code == 0
    # keys of the Nash certificate are kept
    for key in ("profile", "nash", "max_gain", "best_deviation", "payoffs", "gains", "deviation_payoffs", "method"):
        assert key in rep
    assert rep["nash"] is True and rep["degenerate"] is False
    assert rep["locally_optimal_symmetric"] is True and rep["locally_optimal_asymmetric"] is False
    w = rep["verdicts"]["asymmetric"]["witness"]
    # recompute the witness's EU from the table by hand: EU = sum p1(a) p2(b) u(a, b)
    u = {("H", "H"): 1, ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): 1}
    p1, p2 = ({k: sympy.Rational(v) for k, v in s.items()} for s in w["profile"])
    eu = sum(p1[a] * p2[b] * val for (a, b), val in u.items())
    assert eu == sympy.Rational(w["value_after"]) and eu > sympy.Rational(3, 2)


def test_taxi_1c_local_minimum_and_text(tmp_path, capsys):
    path = tmp_path / "taxi_c.nfg"
    write_game(taxi_large_groups(), path)
    code, rep = run_json(capsys, ["check", str(path), "--profile", "H=1/2,W=1/2; H=1/2,W=1/2"])
    assert code == 0 and rep["nash"] is True and rep["locally_optimal_symmetric"] is False
    assert main(["check", str(path), "--profile", "sym: H=1/2, W=1/2"]) == 0
    out = capsys.readouterr().out
    assert "NASH EQUILIBRIUM" in out and "locally optimal among P-invariant profiles: no" in out


def test_example_5_0_5_with_set(tmp_path, capsys):
    path = tmp_path / "ex.toml"
    write_game(example_5_0_5(), path)
    code, rep = run_json(capsys, ["check", str(path), "--set", "eps=1/2", "--profile", "a; a"])
    assert code == 0 and rep["nash"] is True and rep["degenerate"] is True
    assert rep["locally_optimal_asymmetric"] is False
    # symbolic parameters: Nash certificate only, verdicts null with a reason
    code, rep = run_json(capsys, ["check", str(path), "--profile", "a; a"])
    assert code == 0 and rep["degenerate"] is None and "parameters" in rep["verdicts"]["degeneracy"]["reason"]


def test_subgroup_and_require_nash(tmp_path, capsys):
    path = tmp_path / "butlers.nfg"
    write_game(robot_butlers(), path)
    code, rep = run_json(capsys, ["check", str(path), "--profile", "F; D; F; D", "--subgroup", "(1 3)(2 4)"])
    assert code == 0 and rep["verdicts"]["orbits"] == [[1, 3], [2, 4]]
    assert rep["locally_optimal_symmetric"] is True and rep["locally_optimal_asymmetric"] is True
    # the profile F;D;F;D is not invariant under the full rotation group
    code, rep = run_json(capsys, ["check", str(path), "--profile", "F; D; F; D"])
    assert rep["locally_optimal_symmetric"] is None
    assert main(["check", str(path), "--profile", "F; F; F; F", "--require-nash", "--nash-only"]) == 1
    capsys.readouterr()


def test_bad_input_exit_2(tmp_path, capsys):
    path = tmp_path / "taxi.nfg"
    write_game(taxi_symmetric(), path)
    assert main(["check", str(path), "--profile", "H; X"]) == 2
    assert "player 2" in capsys.readouterr().err
    assert main(["check", str(path), "--profile", "H; H", "--subgroup", "(1 3)"]) == 2


@pytest.mark.parametrize("profile", ["sym: F=sqrt(2)-1, D=2-sqrt(2)"])
def test_robot_butlers_symmetric_optimum(tmp_path, capsys, profile):
    path = tmp_path / "butlers.nfg"
    write_game(robot_butlers(), path)
    code, rep = run_json(capsys, ["check", str(path), "--profile", profile])
    assert rep["nash"] is True and rep["locally_optimal_symmetric"] is True
    assert rep["locally_optimal_asymmetric"] is False and rep["degenerate"] is False


# --------------------------------------------------------------------------- issue 14, item 4: algebraic payoffs
ALGEBRAIC = """players = 2
actions = ["a", "b"]
form = "dense"
default = "0"
[[payoff]]
profile = ["a", "a"]
value = "sqrt(2)"
[[payoff]]
profile = ["b", "b"]
value = "1"
"""


@pytest.fixture
def algebraic_game(tmp_path):
    path = tmp_path / "alg.toml"
    path.write_text(ALGEBRAIC)
    return str(path)


def test_check_decides_every_verdict_with_algebraic_payoffs(algebraic_game, capsys):
    # EU(x) = sqrt(2) x^2 + (1 - x)^2 with x = P(a): pure (a, a) is the strict global maximum
    code, rep = run_json(capsys, ["check", algebraic_game, "--profile", "a; a"])
    assert code == 0 and rep["nash"] is True and rep["degenerate"] is False
    assert rep["locally_optimal_symmetric"] is True and rep["locally_optimal_asymmetric"] is True
    # the interior critical point x = sqrt(2) - 1 is a Nash equilibrium and a local *minimum* (EU'' = 2 + 2 sqrt(2) > 0)
    code, rep = run_json(capsys, ["check", algebraic_game, "--profile", "sym: a=sqrt(2)-1, b=2-sqrt(2)"])
    assert code == 0 and rep["nash"] is True and rep["max_gain"] == "0"
    assert rep["locally_optimal_symmetric"] is False and rep["locally_optimal_asymmetric"] is False
    w = rep["verdicts"]["asymmetric"]["witness"]
    p1, p2 = ({k: sympy.sympify(v) for k, v in s.items()} for s in w["profile"])
    eu = sympy.sqrt(2) * p1["a"] * p2["a"] + p1["b"] * p2["b"]
    assert sympy.simplify(eu - sympy.sympify(w["value_after"])) == 0 and eu - (2 - sympy.sqrt(2)) > 0
    # (1/2, 1/2) is not Nash: switching to a gains sqrt(2)/2 - (sqrt(2) + 1)/4 = (sqrt(2) - 1)/4
    code, rep = run_json(capsys, ["check", algebraic_game, "--profile", "sym: a=1/2, b=1/2"])
    assert code == 0 and rep["nash"] is False
    assert sympy.simplify(sympy.sympify(rep["max_gain"]) - (sympy.sqrt(2) - 1) / 4) == 0


@pytest.mark.parametrize("argv, code", [
    (["info"], 0), (["symmetries"], 0), (["check", "--profile", "b; b", "--nash-only"], 0),
    (["optimize"], 2), (["latex", "-o", "{tmp}/alg.tex"], 2), (["convert", "{tmp}/alg.nfg"], 2),
])
def test_every_command_supports_algebraic_payoffs_or_refuses_with_exit_2(algebraic_game, tmp_path, capsys, argv, code):
    """What the README's payoff table says, command by command (never a traceback or exit 1/70)."""
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main([argv[0], algebraic_game, *argv[1:]]) == code
    err = capsys.readouterr().err
    if code == 2:
        assert "rational" in err and "Traceback" not in err
