"""``exactgames latex`` on game trees (issue 16): ``.efg`` and ``.dpomdp --horizon H``.

The values in the documents are checked by independent routes: the veil tree's 121/24 against the
optimiser on the normal-form veil game (``veil_of_ignorance.nfg``, the contingency-plan game), Dec-Tiger
horizon 2's -4 against the team optimum over all pure profiles recomputed by ``exactgames.model.tree_pure``
(the checker's module) and the literature; the policy printed in the document is read back from the
LaTeX and evaluated on the tree exactly; decimals against Python's ``decimal`` module.
"""

from __future__ import annotations

import re
import shutil
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import pytest

from exactgames.cli import main
from exactgames.io.trees import read_tree
from exactgames.model.tree_eu import evaluate
from exactgames.output.latex_tree import decimal_text, fraction_latex, tree_derivation, tree_eu_latex
from exactgames.sequential.symmetry import tree_symmetries

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"
HAS_PDFLATEX = shutil.which("pdflatex") is not None
VEIL = GAMES / "veil_of_ignorance.efg"
TIGER = GAMES / "dectiger.dpomdp"

_FRAC = re.compile(r"^(-?)\\frac\{(\d+)\}\{(\d+)\}$")


def _parse_q(text: str) -> Fraction:
    text = text.strip()
    m = _FRAC.match(text)
    if m:
        return Fraction(int(m.group(2)), int(m.group(3))) * (-1 if m.group(1) else 1)
    return Fraction(int(text))


def _policy_rows(doc: str) -> dict[str, dict[str, Fraction]]:
    """history -> {action: probability} read back from the document's policy longtable."""
    table = doc.split("class & agents & history & action probabilities")[1].split("\\end{longtable}")[0]
    out = {}
    for line in table.splitlines():
        m = re.match(r"^\d+ & [^&]+ & (.+?) & \$(.+)\$ \\\\$", line)
        if not m:
            continue
        hist = m.group(1).replace("\\_", "_")
        probs = {}
        for cell in m.group(2).split(",\\ "):
            a, q = cell.split(": ", 1)
            probs[re.match(r"\\text\{(.*)\}", a).group(1)] = _parse_q(q)
        out[hist] = probs
    return out


def _behaviour_from_doc(tree, doc: str) -> dict[int, tuple[Fraction, ...]]:
    """Every information set gets the row of its label (histories are labels); unlisted ones their first action."""
    rows = _policy_rows(doc)
    beh = {}
    for i, inf in enumerate(tree.infosets):
        row = rows.get(inf.label)
        beh[i] = (tuple(row.get(a, Fraction(0)) for a in inf.actions) if row is not None
                  else (Fraction(1),) + (Fraction(0),) * (len(inf.actions) - 1))
    return beh


def test_veil_efg_document_has_the_value_of_the_normal_form_route(tmp_path, capsys):
    import exactgames as eg

    out = tmp_path / "veil.tex"
    assert main(["latex", str(VEIL), "-o", str(out)]) == 0
    doc = out.read_text()
    nf = eg.optimize(eg.read_game(str(GAMES / "veil_of_ignorance.nfg")))  # the contingency-plan normal form
    assert str(nf.value) == "121/24"
    assert f"\\displaystyle {fraction_latex(Fraction(str(nf.value)))} \\approx 5.041666666667$" in doc
    tree = read_tree(VEIL)
    beh = _behaviour_from_doc(tree, doc)
    assert beh[2] == (Fraction(5, 6), Fraction(1, 6)) and beh[0] == (Fraction(1), Fraction(0))
    assert evaluate(tree, beh) == Fraction(121, 24)  # the printed policy is worth the printed value
    for needed in ("a Nash equilibrium", "mixed (some class", "bnb-product-v1", "order 2", "(1 2)", "type H",
                   "LL: \\frac{1}{4}", "(7 terms, total degree 2.)"):
        assert needed.replace("LL: ", "\\text{LL}: ") in doc, needed


def test_dectiger_h2_document_has_the_team_optimum(tmp_path):
    from exactgames.model.tree_pure import team_optimum_value

    out = tmp_path / "tiger2.tex"
    assert main(["latex", str(TIGER), "--horizon", "2", "-o", str(out)]) == 0
    doc = out.read_text()
    tree = read_tree(TIGER, 2)
    team, _ = team_optimum_value(tree)
    assert team == -4  # the literature's horizon-2 value, -4.000000
    assert f"\\displaystyle {fraction_latex(team)}$ (exact)" in doc
    assert evaluate(tree, _behaviour_from_doc(tree, doc)) == team
    assert "sequential-team-bound-v1" in doc and "deterministic (one action" in doc and "a Nash equilibrium" in doc
    # 177 terms: printed in part, counted; the count is the number of distinct monomials of the class polynomial
    assert "The polynomial has 177 terms (total degree 4); the first 40 are shown" in doc and "\\dots" in doc
    assert "4 classes are \\emph{free}" in doc


def test_eu_polynomial_of_a_hand_computed_tree():
    """Agent 1 then agent 2, one shared class: payoff 1 on (a, a), 2 on (b, b): EU = x_a^2 + 2 x_b^2 by hand."""
    from exactgames.model.tree import Decision, InfoSet, TeamTree, Terminal

    leaf = lambda v: Terminal((Fraction(v), Fraction(v)))  # noqa: E731
    t = TeamTree(("1", "2"), (InfoSet(0, "", ("a", "b")), InfoSet(1, "", ("a", "b"))),
                 Decision(0, (Decision(1, (leaf(1), leaf(0))), Decision(1, (leaf(0), leaf(2))))))
    text, n = tree_eu_latex(t, tree_symmetries(t))
    assert n == 2 and "EU(x) &= x_{1,1}^{2} + 2 x_{1,2}^{2}" in text
    text, n = tree_eu_latex(t, tree_symmetries(t), max_terms=1)
    assert n == 2 and "+ \\dots" in text and "has 2 terms" in text


@pytest.mark.parametrize("q", [Fraction(83053, 16000), Fraction(121, 24), Fraction(-2, 3), Fraction(-4), Fraction(1, 7),
                               Fraction(999999999999999, 10**15), Fraction(-1, 2 * 10**12)])
def test_decimal_text_against_decimal_module(q):
    with localcontext() as ctx:
        ctx.prec = 60
        exact = Decimal(q.numerator) / Decimal(q.denominator)
        rounded = exact.quantize(Decimal(1).scaleb(-12), rounding=ROUND_HALF_UP)
    got = decimal_text(q)
    if (q * 10**12).denominator == 1:
        assert got.startswith("= ") and Decimal(got[2:]) == exact
    else:
        assert got.startswith("\\approx ") and Decimal(got.split()[-1]) == rounded


def test_dpomdp_without_horizon_exit_2(tmp_path, capsys):
    out = tmp_path / "t.tex"
    assert main(["latex", str(TIGER), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "dectiger.dpomdp: a Dec-POMDP needs a finite horizon (expected --horizon H" in err and not out.exists()


@pytest.mark.parametrize("args, message", [
    ((str(VEIL), "--horizon", "2"), "--horizon applies to .dpomdp files only"),
    ((str(VEIL), "--subgroup", "(1 2)"), "--subgroup does not apply to a game tree"),
    ((str(GAMES / "taxi_symmetric.nfg"), "--horizon", "2"), "--horizon applies to .dpomdp files only"),
    ((str(TIGER), "--horizon", "0"), "expected --horizon H, a positive integer"),
])
def test_tree_usage_errors_exit_2(args, message, tmp_path, capsys):
    out = tmp_path / "t.tex"
    assert main(["latex", *args, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err and not out.exists()


def test_not_common_payoff_tree_refused(tmp_path, capsys):
    bad = tmp_path / "zero_sum.efg"
    bad.write_text('EFG 2 R "zero sum" { "1" "2" }\n""\n\n'
                   'p "" 1 1 "x" { "a" "b" } 0\n'
                   't "" 1 "" { 1, -1 }\n'
                   't "" 2 "" { -1, 1 }\n')
    out = tmp_path / "t.tex"
    assert main(["latex", str(bad), "-o", str(out)]) == 2
    assert "zero_sum.efg: the players' payoffs differ" in capsys.readouterr().err and not out.exists()


def test_incomplete_derivation_says_so():
    """With the branch and bound forced out of reach the document claims nothing and says why."""
    from unittest import mock

    import exactgames.sequential.optimize as so

    tree = read_tree(VEIL)
    with mock.patch.object(so, "MAX_TENSOR", 0):  # the auto route then takes the team bound
        d = tree_derivation(tree)
    # the veil optimum is mixed, so the best symmetric deterministic policy (5) is below the team optimum: incomplete
    assert not d.complete and "did not finish" in d.document and "Nash" not in d.document.split("Proved optimum")[1]
    assert "\\frac{121}{24}" not in d.document


@pytest.mark.skipif(not HAS_PDFLATEX, reason="pdflatex not installed")
@pytest.mark.parametrize("args", [(str(VEIL),), (str(TIGER), "--horizon", "2")])
def test_tree_pdf_compiles(args, tmp_path, capsys):
    out = tmp_path / "tree.tex"
    assert main(["latex", *args, "-o", str(out), "--pdf"]) == 0
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    assert f"wrote {pdf}" in capsys.readouterr().out
