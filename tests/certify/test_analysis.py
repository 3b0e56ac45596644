"""Issue 13 (typed values, one join place): Certificate, typed ties, OptimumResult without verdicts, analyze."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
import sympy

import exactgames as eg
from exactgames.certify.verdicts import Analysis, analyze
from exactgames.model.game import Game
from exactgames.optimize.certificate import Certificate, CertificateError
from exactgames.optimize.result import OptimumResult, TiedContinuum, TiedPoint
from exactgames.paper_games import example_5_0_5, robot_butlers, taxi_symmetric, veil_of_ignorance

ROOT = Path(__file__).resolve().parents[2]
ARCHIVE = ROOT / "tests" / "proofs_check" / "archive"


# --------------------------------------------------------------------------- the certificate type
@pytest.mark.parametrize("path", sorted(ARCHIVE.glob("*.json")), ids=lambda p: p.name)
def test_archived_certificates_read_and_write_back_byte_for_byte(path):
    """Every certificate already issued (the archive ``verify`` keeps checking) round-trips exactly."""
    data = json.loads(path.read_text())
    cert = data.get("certificate")
    if not isinstance(cert, dict):
        pytest.skip("a parametric result: its certificates live in the regimes")
    c = Certificate.from_json(cert)
    assert json.dumps(c.to_json()) == json.dumps(cert)  # same keys, same order, same values
    assert c.kind == cert.get("kind")
    if c.kind is not None:
        assert c.version >= 1 and c.kind == f"{c.family}-v{c.version}"


def test_certificate_kinds_and_errors():
    c = Certificate.from_json({"kind": "bnb-product-v1", "orbits": [[0, 1]]})
    assert (c.family, c.version, c.known, c.bnb is c) == ("bnb-product", 1, True, True)
    w = c.wrapped("exactgames-optimum-v2", generators=[[1, 0]])
    assert w.to_json() == {"kind": "exactgames-optimum-v2", "bnb": {"kind": "bnb-product-v1", "orbits": [[0, 1]]},
                           "generators": [[1, 0]]}
    assert w.generators == [[1, 0]] and w.bnb == c
    for bad in ({"kind": 3}, {"kind": "no-version"}, [1, 2]):
        with pytest.raises(CertificateError):
            Certificate.from_json(bad)


def test_optimize_issues_a_typed_versioned_certificate_whose_json_verify_reads():
    from proofs_check.checker import check_certificate

    g = robot_butlers()
    r = eg.optimize(g)
    assert isinstance(r.certificate, Certificate) and r.certificate.kind == "exactgames-optimum-v2"
    assert r.certificate.bnb is not None and r.certificate.bnb.kind == "bnb-simplex-v1"
    js = r.to_json()
    assert type(js["certificate"]) is dict and json.loads(json.dumps(js)) == js  # plain JSON all the way down
    assert check_certificate(g, r).ok and check_certificate(g, js).ok
    a = analyze(g)
    assert check_certificate(g, a).ok  # the analysis' JSON is the same claim, with the unproved verdicts added


# --------------------------------------------------------------------------- ties: a sum of two types
def test_ties_are_tied_points_or_continua():
    swap = Game.from_common([["a", "b"]] * 2, {("a", "b"): 1, ("b", "a"): 1})  # two pure optima, one each side
    r = eg.optimize(swap, [[0], [1]])
    assert r.ties and all(isinstance(t, TiedPoint) for t in r.ties)
    assert {r.strategies} | {t.strategies for t in r.ties} == {((1, 0), (0, 1)), ((0, 1), (1, 0))}
    flat = Game.from_common([["a", "b"]] * 3, lambda p: 1 if p[0] == p[1] == "a" else 0)  # orbit 2 does not matter
    c = eg.optimize(flat, [[0, 1], [2]])
    (tie,) = c.ties
    assert isinstance(tie, TiedContinuum) and not tie.possible and tie.description.startswith("EU = 1 on the whole face")
    assert c.to_json()["ties"] == [str(tie)] and str(tie).startswith("continuum: ")


def test_a_route_s_plain_ties_are_converted_on_construction():
    h = sympy.Rational(1, 2)
    r = OptimumResult(sympy.Integer(1), (1, 1), ((0, 1),), (("a", "b"),), ((h, h),), ((0, 1),), True,
                      ties=(((1, 0),), "possible continuum: somewhere"), certificate={"kind": "bnb-simplex-v1"})
    assert isinstance(r.ties[0], TiedPoint) and r.ties[0].support == ((0,),)
    assert isinstance(r.ties[1], TiedContinuum) and r.ties[1].possible
    assert isinstance(r.certificate, Certificate) and dataclasses.replace(r, ties=r.ties) == r


# --------------------------------------------------------------------------- verdicts live in the analysis
def test_optimum_result_has_no_verdict_fields_the_analysis_has_them():
    names = {f.name for f in dataclasses.fields(OptimumResult)}
    assert not names & {"nash", "degenerate", "locally_optimal_asymmetric"}
    r = eg.optimize(taxi_symmetric())
    assert not hasattr(r, "nash") and r.to_json()["nash"] is None  # the optimiser decides no verdict
    a = analyze(taxi_symmetric())
    assert isinstance(a, Analysis) and (a.nash, a.degenerate, a.locally_optimal_asymmetric) == (True, False, False)
    assert a.nash_certificate.is_nash and a.degeneracy.degenerate is False and a.asymmetric.locally_optimal is False
    assert a.optimum == dataclasses.replace(r, certificate=a.optimum.certificate) and "verdicts" not in a.optimum.certificate
    assert a.to_json()["nash"] is True and a.to_json()["certificate"]["verdicts"]["nash"]["nash"] is True


def test_analyze_takes_a_subgroup_and_records_its_generators():
    a = analyze(robot_butlers(), subgroup="(1 3)(2 4)")
    assert a.orbits == ((0, 2), (1, 3)) and a.value == 8
    assert a.certificate.generators == [[2, 3, 0, 1]]


def test_analyze_of_a_game_with_a_parameter_gives_the_regimes_with_verdicts():
    res = analyze(example_5_0_5())
    assert [r.interval_str() for r in res.regimes] == ["(0, 11)", "[11, 11]", "(11, oo)"]
    assert all(r.nash is True for r in res.regimes)


def test_the_cli_latex_and_conditions_go_through_analyze(monkeypatch, tmp_path, capsys):
    """One join place: replacing ``analyze`` changes what every caller prints."""
    from exactgames.certify import conditions, verdicts
    from exactgames.cli import main
    from exactgames.output.latex import build_derivation

    real = verdicts.analyze
    calls = []

    def spy(*a, **k):
        calls.append(a[0])
        return real(*a, **k)

    monkeypatch.setattr(verdicts, "analyze", spy)
    assert main(["optimize", str(ROOT / "examples" / "games" / "taxi_symmetric.nfg"), "--json", "--no-progress"]) == 0
    assert json.loads(capsys.readouterr().out)["nash"] is True
    assert build_derivation(veil_of_ignorance(), [[0, 1]]).complete
    conditions.parametric_regimes_with_verdicts(example_5_0_5())
    assert len(calls) == 3


def test_the_latex_writer_decides_each_verdict_once(monkeypatch):
    """The derivation reads the analysis' certificates instead of deciding Nash and degeneracy again."""
    from exactgames.certify import degeneracy, nash, verdicts
    from exactgames.output.latex import build_derivation

    counts = {"nash": 0, "degeneracy": 0}
    real_nash, real_deg = nash.nash_certificate, degeneracy.profile_degeneracy

    def counted_nash(*a, **k):
        counts["nash"] += 1
        return real_nash(*a, **k)

    def counted_deg(*a, **k):
        counts["degeneracy"] += 1
        return real_deg(*a, **k)

    for mod in (nash, verdicts):
        monkeypatch.setattr(mod, "nash_certificate", counted_nash)
    for mod in (degeneracy, verdicts):
        monkeypatch.setattr(mod, "profile_degeneracy", counted_deg)
    doc = build_derivation(taxi_symmetric(), [[0, 1]]).document
    assert "Nash certificate" in doc and "Degeneracy and stability" in doc
    assert counts == {"nash": 1, "degeneracy": 1}


def test_verdicts_out_of_time_make_an_incomplete_derivation(monkeypatch):
    import time

    from exactgames.certify import verdicts
    from exactgames.output.latex import build_derivation

    def slow(*a, **k):
        end = time.monotonic() + 20
        while time.monotonic() < end:
            time.sleep(0.01)
        raise AssertionError("not interrupted")

    monkeypatch.setattr(verdicts, "profile_verdicts", slow)
    d = build_derivation(taxi_symmetric(), [[0, 1]], time_limit=1.5)
    assert not d.complete and "verdicts" in d.reason and "Not derived" in d.document


# --------------------------------------------------------------------------- no guarded imports of the package itself
def test_no_except_import_error_around_the_package_s_own_modules():
    offenders = []
    for path in sorted((ROOT / "exactgames").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Try):
                continue
            guards = [h for h in node.handlers if isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")]
            own = [n for b in node.body for n in ast.walk(b)
                   if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("exactgames")
                   or isinstance(n, ast.Import) and any(a.name.startswith("exactgames") for a in n.names)]
            if guards and own:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
