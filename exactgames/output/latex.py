"""LaTeX derivations: a standalone document walking through one game's exact analysis.

Every section is filled from the library's result objects (symmetry group,
symmetric EU polynomial, optimum, Nash certificate, degeneracy and
stability verdicts, or the regimes of the optimum for a game with a free
parameter).  Nothing is swallowed: a section that cannot be derived raises,
and no document with a hole is written.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> doc = latex_derivation(taxi_symmetric(), orbits=[[0, 1]])
>>> doc.startswith("\\\\documentclass") and "\\\\end{document}" in doc
True
>>> "x_{H} x_{W}" in doc
True
"""

from __future__ import annotations

import importlib
import itertools
from fractions import Fraction
from typing import Any, Sequence

import sympy

from exactgames.model.game import AnonymousGame, Game
from exactgames.model.utility import symmetric_eu_polynomial
from exactgames.output.document import PREAMBLE, Derivation, escape

__all__ = ["latex_derivation", "build_derivation", "Derivation", "game_table_latex", "kkt_system_latex", "escape",
           "optimum_with_verdicts", "anonymous_eu_count_form", "eu_for_display", "regimes_section"]

def _tex(x: Any) -> str:
    return sympy.latex(sympy.sympify(x))


#: closed forms longer than this (characters of their sympy text) are printed as a certified decimal
_LONG = 160


def _num(x: Any) -> str:
    """A number in math mode: its closed form, or for a huge algebraic closed form a decimal from an ``arb`` ball."""
    from exactgames.optimize.result import decimal_of

    e = sympy.sympify(x)
    if len(str(e)) <= _LONG:
        return _tex(e)
    return f"\\approx {decimal_of(e)}\\ \\text{{(algebraic; closed form in \\texttt{{optimize --json}})}}"


def _actions(game: Game | AnonymousGame) -> tuple[tuple[str, ...], ...]:
    return game.player_actions if isinstance(game, AnonymousGame) else game.actions


def game_table_latex(game: Game | AnonymousGame, max_rows: int = 64) -> str:
    """The game's payoffs: a matrix for dense 2-player games, else a list of profiles or count vectors.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> "\\\\begin{array}" in game_table_latex(taxi_symmetric())
    True
    """
    if isinstance(game, AnonymousGame):
        rows = [f"({', '.join(map(str, c))}) & ${_num(v)}$ \\\\" for c, v in list(game.payoff.items())[:max_rows]]
        more = len(game.payoff) - len(rows)
        head = ("Common payoff by action counts (" + escape(", ".join(game.actions)) + "), every permutation of the "
                f"{game.n_players} players is a symmetry.\n\n")
        body = "\\begin{longtable}{ll}\ncounts & payoff \\\\ \\hline\n" + "\n".join(rows) + "\n\\end{longtable}\n"
        return head + body + (f"\n({more} further count vectors omitted.)\n" if more > 0 else "")
    acts = game.actions
    common = game.is_common_payoff
    if game.n_players == 2:
        cols = "c|" + "c" * len(acts[1])
        lines = [f"\\[\\begin{{array}}{{{cols}}}", " & " + " & ".join(f"\\text{{{escape(a)}}}" for a in acts[1]) + r" \\ \hline"]
        for a in acts[0]:
            cells = []
            for b in acts[1]:
                vals = [game.payoff(i, (a, b)) for i in range(2)]
                cells.append(_tex(vals[0]) if common else f"{_tex(vals[0])},\\,{_tex(vals[1])}")
            lines.append(f"\\text{{{escape(a)}}} & " + " & ".join(cells) + r" \\")
        lines.append("\\end{array}\\]")
        note = "Rows: player 1 (" + escape(game.players[0]) + "); columns: player 2 (" + escape(game.players[1]) + ")."
        return note + ("" if common else " Entries: payoff of player 1, payoff of player 2.") + "\n" + "\n".join(lines) + "\n"
    profs = list(itertools.islice(game.profiles(), max_rows))
    rows = []
    for prof in profs:
        vals = [game.payoff(i, prof) for i in range(game.n_players)]
        cell = _num(vals[0]) if common else ",\\ ".join(map(_num, vals))
        rows.append(f"({escape(', '.join(prof))}) & ${cell}$ \\\\")
    more = game.n_profiles - len(rows)
    out = "\\begin{longtable}{ll}\nprofile & payoff \\\\ \\hline\n" + "\n".join(rows) + "\n\\end{longtable}\n"
    return out + (f"({more} further profiles omitted.)\n" if more > 0 else "")


#: the count form is tried up to this many count vectors (the differences cost about n times as much)
_COUNT_FORM_VECTORS = 5000


def anonymous_eu_count_form(game: AnonymousGame, max_terms: int = 40) -> tuple[sympy.Expr, str] | None:
    """The EU of an anonymous game on the simplex in its shortest *count form*, or ``None`` if it has too many terms.

    Writing the payoff in the falling-factorial basis of the counts of all actions but one (``drop``),
    ``u(c) = sum_k alpha_k prod_a (c_a)_(k_a)`` (Newton's forward differences, exact), the multinomial
    moments ``E[prod_a (c_a)_(k_a)] = (n)_(|k|) prod_a x_a^(k_a)`` give the EU exactly as a polynomial
    of low degree in the kept probabilities, valid wherever the probabilities sum to 1.  The action
    dropped is the one giving the fewest terms.

    Returns
    -------
    (expr, drop) : the polynomial (variables ``x_a`` as in
        :func:`exactgames.model.utility.symmetric_eu_polynomial`) and the name of the action not appearing
        (``None`` for the plain sum over the count vectors with a non-zero payoff, when that is shorter).

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame

    Twenty players, payoff 1 when all play a, else n_b n_c / 90 (the EU is x_a^20 + (38/9) x_b x_c):

    >>> g = AnonymousGame.from_function(20, ["a", "b", "c"], lambda c: 1 if c[0] == 20 else sympy.Rational(c[1] * c[2], 90))
    >>> anonymous_eu_count_form(g)
    (x_a**20 - 38*x_a*x_c/9 - 38*x_c**2/9 + 38*x_c/9, 'b')

    When few count vectors pay anything, the plain multinomial sum is shorter (``drop`` is then ``None``):

    >>> from exactgames.paper_games import ten_robots
    >>> anonymous_eu_count_form(ten_robots())
    (x_a**10 + x_b*x_c**9*(10*eps + 10), None)
    """
    import math
    from math import comb, factorial, prod

    from exactgames.model.counts import count_vectors

    n, m = game.n_players, len(game.actions)
    if m == 1 or comb(n + m - 1, m - 1) > _COUNT_FORM_VECTORS:
        return None
    from exactgames.model.utility import _variables

    xs = _variables(game, (tuple(range(n)),))[0]
    values = {c: game.value(c) for c in count_vectors(n, m)}
    rational = all(v.is_Rational for v in values.values())
    conv = (lambda v: Fraction(int(v.p), int(v.q))) if rational else (lambda v: v)
    best = None
    for drop in range(m):
        keep = [a for a in range(m) if a != drop]
        f = {tuple(c[a] for a in keep): conv(v) for c, v in values.items()}
        for j in range(m - 1):  # Newton differences along axis j, line by line
            g = {}
            lines: dict = {}
            for key in f:
                lines.setdefault(key[:j] + key[j + 1:], []).append(key)
            for rest, keys in lines.items():
                keys.sort(key=lambda k: k[j])
                v = [f[k] for k in keys]
                for t, k in enumerate(keys):
                    g[k] = sum(((-1) ** (t - i)) * comb(t, i) * v[i] for i in range(t + 1))
            f = g
        terms = []
        for k, d in f.items():
            if d == 0:
                continue
            coef = d / prod(factorial(e) for e in k)
            size = sum(k)
            falling = prod(range(n - size + 1, n + 1)) if size else 1
            c = sympy.Rational(coef.numerator, coef.denominator) if rational else sympy.sympify(coef)
            terms.append(c * falling * prod((xs[a] ** e for a, e in zip(keep, k)), start=sympy.Integer(1)))
            if len(terms) > max_terms:
                break
        if len(terms) <= max_terms and (best is None or len(terms) < len(best[0])):
            best = (terms, game.actions[drop])
    direct = [v * sympy.Integer(math.factorial(n) // math.prod(math.factorial(e) for e in c))
              * math.prod((x ** e for x, e in zip(xs, c)), start=sympy.Integer(1)) for c, v in values.items() if v != 0]
    if len(direct) <= max_terms and (best is None or len(direct) <= len(best[0])):
        best = (direct, None)
    if best is None:
        return None
    return sympy.Add(*best[0]), best[1]


def _long_sum(expr: Any, lhs: str, per_line: int = 4) -> str:
    """``lhs = expr`` as an ``align*`` body broken after every ``per_line`` terms (long polynomials stay on the page)."""
    expr = sympy.sympify(expr)
    terms = expr.as_ordered_terms() if isinstance(expr, sympy.Add) else [expr]
    chunks = [terms[k:k + per_line] for k in range(0, len(terms), per_line)]
    lines = []
    for k, chunk in enumerate(chunks):
        body = " + ".join(_tex(t) for t in chunk).replace("+ -", "- ")
        lead = f"{lhs} &= " if k == 0 else ("&\\quad " if body.startswith("-") else "&\\quad + ")
        lines.append(lead + body)
    return "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n"


def _anonymous_one_orbit(game: Game | AnonymousGame, orbits: Any) -> bool:
    return isinstance(game, AnonymousGame) and (orbits is None or len(orbits) == 1)


def eu_for_display(game: Game | AnonymousGame, orbits: Any) -> tuple[sympy.Expr | None, tuple, str]:
    """The EU polynomial to print, its variables per orbit, and a sentence saying which form it is.

    Anonymous games get the count form (:func:`anonymous_eu_count_form`); when even that is too long the
    expression is ``None`` and the sentence gives the general formula.
    """
    from exactgames.model.utility import _variables

    if _anonymous_one_orbit(game, orbits):
        xs = _variables(game, (tuple(range(game.n_players)),))
        form = anonymous_eu_count_form(game)
        n = game.n_players
        if form is None:
            return None, xs, (
                "The payoff has too many distinct terms for a short formula; the EU is the multinomial sum over the "
                f"count vectors $c$ of the table, $EU(x) = \\sum_c u(c)\\,\\binom{{{n}}}{{c}} \\prod_a x_a^{{c_a}}$.\n")
        expr, drop = form
        if drop is None:
            note = ("the sum over the count vectors $c$ with a non-zero payoff of "
                    f"$u(c)\\,\\binom{{{n}}}{{c}}\\prod_a x_a^{{c_a}}$")
        else:
            keep = [a for a in game.actions if a != drop]
            note = ("the payoff written in falling factorials $(c_a)_k$ of the counts of "
                    + escape(", ".join(keep)) + f", whose expectations are $(n)_{{|k|}}\\prod_a x_a^{{k_a}}$; it holds on "
                    f"the simplex, where $x_{{{escape(drop)}}} = 1 - " + " - ".join(f"x_{{{escape(a)}}}" for a in keep) + "$")
        return expr, xs, f"In count form ({note}):\n"
    eu = symmetric_eu_polynomial(game, orbits)
    return eu.expr, eu.variables, ""


def kkt_system_latex(game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None) -> str:
    """The KKT conditions of maximising the symmetric EU over one simplex per orbit, from the EU polynomial."""
    expr, variables, _ = eu_for_display(game, orbits)
    if expr is None:
        n = game.n_players
        return ("\\begin{align*}\n0 &= \\frac{\\partial EU}{\\partial x_a} - \\lambda + \\mu_a = "
                f"{n} \\sum_{{c:\\,c_a \\ge 1}} u(c) \\binom{{{n - 1}}}{{c - e_a}} \\prod_b x_b^{{(c - e_a)_b}} "
                "- \\lambda + \\mu_a \\quad\\text{for every action } a, \\qquad 1 = \\textstyle\\sum_a x_a\n\\end{align*}\n"
                "with $\\mu_a \\ge 0$ and complementary slackness $\\mu_a\\,x_a = 0$.\n")
    lines = []
    for o, vars_ in enumerate(variables):
        lam = f"\\lambda_{{{o + 1}}}"
        for v in vars_:
            mu = f"\\mu_{{{_tex(v)}}}"
            grad = sympy.diff(expr, v)
            parts = grad.as_ordered_terms() if isinstance(grad, sympy.Add) else [grad]
            if len(parts) > 4:
                head = " + ".join(_tex(t) for t in parts[:4]).replace("+ -", "- ")
                rest = [" + ".join(_tex(t) for t in parts[k:k + 4]).replace("+ -", "- ") for k in range(4, len(parts), 4)]
                body = head + " \\\\\n&\\quad + " + " \\\\\n&\\quad + ".join(rest)
                lines.append(f"0 &= {body} - {lam} + {mu}")
            else:
                lines.append(f"0 &= {_tex(sympy.factor(grad))} - {lam} + {mu}")
        lines.append("1 &= " + " + ".join(_tex(v) for v in vars_))
    cond = ",\\ ".join(f"\\mu_{{{_tex(v)}}}" for vs in variables for v in vs)
    return ("\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n"
            f"with ${cond} \\ge 0$ and complementary slackness $\\mu_{{x}}\\,x = 0$ for every variable $x$.\n")


def _symmetry(game: Game | AnonymousGame, orbits: Any) -> tuple[str, Any]:
    sym = importlib.import_module("exactgames.symmetry")
    res = sym.symmetry_group(game)
    from exactgames.optimize.result import players_text

    n = game.n_players
    order = f"${n}!$" if res.totally_symmetric and n > 12 else str(res.order)
    text = (f"$\\Gamma(G)$ has order {order}" + (" (totally symmetric)" if res.totally_symmetric else "") +
            f"; generators {escape(', '.join(str(s) for s in res.generator_strings()))}; orbits "
            + escape("; ".join("{" + players_text(o) + "}" for o in res.orbits)) + f". Method: {escape(res.method)}.\n\n")
    tikz = importlib.import_module("exactgames.symmetry.graphs").orbit_graph_tikz(res)
    text += "\\begin{center}\n" + tikz + "\\end{center}\n"
    if orbits is None:
        orbits = res.orbits
    return text, orbits


def optimum_with_verdicts(game: Game | AnonymousGame, orbits: Any = None, time_limit: float | None = 60.0) -> Any:
    """The :class:`~exactgames.certify.verdicts.Analysis` of the game (:func:`exactgames.certify.verdicts.analyze`).

    Errors propagate (no section of a derivation is silently replaced by an excuse).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_symmetric
    >>> r = optimum_with_verdicts(taxi_symmetric(), [[0, 1]])
    >>> r.value, r.nash
    (3/2, True)
    """
    from exactgames.certify.verdicts import analyze

    return analyze(game, orbits, time_limit=time_limit)


def regimes_section(game: Game | AnonymousGame, orbits: Any, time_limit: float | None = 60.0) -> str:
    """The regimes of the optimum in the game's one free parameter, as a LaTeX table.

    Raises
    ------
    ExactError
        When the regimes cannot be derived (several parameters, or the analysis ran out): the
        document is not written rather than written with a hole.
    """
    from exactgames.model.exact import ExactError
    from exactgames.output.regimes import regimes_latex

    reg = optimum_with_verdicts(game, orbits, time_limit).to_json()
    if reg.get("complete") is False:
        raise ExactError(f"the regimes of the optimum could not be derived ({reg.get('reason') or 'incomplete'}); "
                         "give the parameter a value with --set NAME=VALUE")
    p = escape(str(reg.get("parameter")))
    return (f"The game has the free parameter ${p}$ (domain: {escape(dict(game.domains).get(str(reg.get('parameter')), 'real'))}); "
            f"the optimum among P-invariant profiles changes form at the endpoints below (closed form and decimal).\n\n"
            + regimes_latex(reg))


def _optimum_text(res: Any) -> str:
    from exactgames.optimize.result import players_text

    if not res.complete:
        return f"\\emph{{The optimiser did not finish: {escape(res.reason)}; nothing is claimed.}}\n"
    lines = [f"Optimal value: $\\displaystyle {_num(res.value)}$"
             + ("" if res.value_exact else " (proved enclosure midpoint)") + f" (method: {escape(res.method)}).", "",
             "\\begin{align*}"]
    rows = []
    for o, (acts, strat) in enumerate(zip(res.actions, res.strategies)):
        players = players_text(res.orbits[o])
        cells = ",\\ ".join(f"{_tex(sympy.Symbol('x_{' + a + '}'))} = {_num(p)}" for a, p in zip(acts, strat))
        rows.append(f"\\text{{orbit }}\\{{{players}\\}}:&\\quad {cells}")
    lines.append(" \\\\\n".join(rows))
    lines.append("\\end{align*}")
    if res.ties:
        lines.append("Other optimal P-invariant profiles: " + escape("; ".join(str(t) for t in res.ties)[:600]))
    return "\n".join(lines) + "\n"


def _nash_text(game: Game | AnonymousGame, res: Any) -> str:
    cert = res.nash_certificate  # decided once, by analyze
    acts = _actions(game)
    rows = []
    for i, (u, devs) in enumerate(zip(cert.payoffs, cert.deviation_payoffs)):
        cells = ",\\ ".join(f"\\text{{{escape(a)}}}\\mapsto {_num(v)}" for a, v in zip(acts[i], devs))
        rows.append(f"\\text{{player {i + 1}}}: &\\ EU = {_num(u)};\\quad {cells}")
        if game.n_players > 8 and i == 7:
            rows.append("\\dots & \\text{(remaining players by symmetry)}")
            break
    verdict = {True: "a Nash equilibrium", False: "not a Nash equilibrium", None: "undecided (parameters)"}[cert.is_nash]
    return (f"Largest gain of a unilateral pure deviation: ${_num(cert.max_gain)}$, so the optimum is {verdict} "
            f"(method: {escape(cert.method)}).\n\\begin{{align*}}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n")


def _verdicts_text(game: Game | AnonymousGame, res: Any) -> str:
    deg, loc = res.degeneracy, res.asymmetric  # decided once, by analyze
    word = {True: "degenerate", False: "non-degenerate", None: "undecided"}[deg.degenerate]
    stab = {True: "locally optimal", False: "not locally optimal", None: "undecided"}[loc.locally_optimal]
    text = (f"\\textbf{{Degeneracy}} (Definition 5.0.3, {escape(deg.case)} case): {word}. {escape(deg.reason)} "
            f"(method: {escape(deg.method)}).\n\n"
            f"\\textbf{{Stability}} (Definition 5.0.1): {stab} among possibly-asymmetric profiles "
            f"(test: {escape(loc.stage)}). {escape(loc.reason)}\n")
    if loc.witness is not None:
        w = loc.witness
        text += (f"\n Improving witness: expected utility ${_num(w.value_before)} \\to {_num(w.value_after)}$.\n")
    if loc.radius is not None:
        text += f"\n Certified radius: $\\epsilon = {_num(loc.radius)}$.\n"
    return text


def latex_derivation(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, title: str | None = None,
    time_limit: float | None = 60.0,
) -> str:
    """A standalone LaTeX document deriving the game's symmetric optimum and its verdicts.

    Parameters
    ----------
    game : Game or AnonymousGame (common payoff); with one free parameter the optimum sections
        give the regimes of the optimum in it; or a ``TeamTree`` (an ``.efg`` file, a Dec-POMDP unrolled
        to a horizon), derived by :func:`exactgames.output.latex_tree.tree_derivation` (``orbits`` unused)
    orbits : orbits of P (0-based); default: the orbits of Γ(G) (one orbit for an anonymous game)
    title : document title (default: the game's title)
    time_limit : seconds for the optimiser (or the parametric analysis)

    Returns
    -------
    str
        The document; compile with ``pdflatex`` (packages: amsmath, tikz, longtable, geometry).
        :func:`build_derivation` also says whether the optimum was proved.

    Raises
    ------
    ExactError
        When a section cannot be derived (e.g. several free parameters): no document with holes.

    Examples
    --------
    >>> from exactgames.paper_games import taxi_large_groups
    >>> doc = latex_derivation(taxi_large_groups(), orbits=[[0, 1]])
    >>> "KKT" in doc and "Nash" in doc
    True
    """
    return build_derivation(game, orbits, title, time_limit).document


def build_derivation(
    game: Game | AnonymousGame, orbits: Sequence[Sequence[int]] | None = None, title: str | None = None,
    time_limit: float | None = 60.0,
) -> Derivation:
    """:func:`latex_derivation` with its status (every error propagates; none is written into the document).

    Examples
    --------
    >>> from exactgames.paper_games import ten_robots
    >>> d = build_derivation(ten_robots())
    >>> d.complete, "Regimes of the optimum" in d.document, "(10/9)^{9} - 1 \\\\approx 1.58117" in d.document
    (True, True, True)
    """
    from exactgames.model.tree import TeamTree

    if isinstance(game, TeamTree):  # a game tree (.efg, .dpomdp --horizon H): symmetric behaviour strategies
        from exactgames.output.latex_tree import tree_derivation

        return tree_derivation(game, title, time_limit)
    from exactgames.optimize.result import players_text

    title = title or game.title or "a common-payoff game"
    parts = [PREAMBLE, f"\\title{{Exact derivation: {escape(title)}}}\n\\date{{}}\n\\begin{{document}}\n\\maketitle\n"]
    parts.append("\\section*{The game}\n" + game_table_latex(game))
    sym_text, orbs = _symmetry(game, orbits)
    parts.append("\\section*{Symmetries $\\Gamma(G)$ and the orbit graph}\n" + sym_text)
    if orbs is None and isinstance(game, AnonymousGame):
        orbs = (tuple(range(game.n_players)),)
    orbs_text = escape("; ".join("{" + players_text(o) + "}" for o in orbs))
    parts.append(f"The analysis below uses P-invariant profiles with orbits {orbs_text}.\n")
    expr, _, note = eu_for_display(game, orbs)
    parts.append("\\section*{Symmetric expected utility}\n"
                 "With $x_{a}$ the probability that a player of an orbit plays $a$, the expected utility of P-invariant "
                 "profiles is\n" + note + ("" if expr is None else _long_sum(expr, "EU(x)")))
    parts.append("\\section*{KKT system}\nMaximise $EU$ over one simplex per orbit; with multipliers "
                 "$\\lambda$ (simplex) and $\\mu \\ge 0$ (non-negativity):\n" + kkt_system_latex(game, orbs))
    if game.parameters:
        parts.append("\\section*{Regimes of the optimum}\n" + regimes_section(game, orbs, time_limit))
        parts.append("\\end{document}\n")
        return Derivation("\n".join(parts), True)
    res = optimum_with_verdicts(game, orbs, time_limit)
    parts.append("\\section*{Solution in closed form}\n" + _optimum_text(res))
    if res.complete and res.verdicts_timed_out:
        parts.append("\\section*{Nash certificate, degeneracy and stability}\n"
                     "\\emph{Not derived: the time limit passed while the verdicts were decided (the optimum above is proved).}\n")
        parts.append("\\end{document}\n")
        return Derivation("\n".join(parts), False, "time limit reached while deciding the verdicts")
    if res.complete:
        parts.append("\\section*{Nash certificate}\n" + _nash_text(game, res))
        parts.append("\\section*{Degeneracy and stability}\n" + _verdicts_text(game, res))
    else:
        parts.append("\\section*{Nash certificate, degeneracy and stability}\n"
                     "\\emph{Not derived: the optimiser did not finish (see above), so there is no proved optimum to certify.}\n")
    parts.append("\\end{document}\n")
    return Derivation("\n".join(parts), res.complete, "" if res.complete else res.reason)
