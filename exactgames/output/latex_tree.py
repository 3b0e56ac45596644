"""LaTeX derivations for sequential team games: ``.efg`` trees and Dec-POMDPs unrolled to a horizon.

The document walks through the exact analysis of :func:`exactgames.sequential.optimize.optimize_tree`:
the game (agents, chance moves, information sets), the agent symmetries found and the
information-set classes they induce, the expected payoff of symmetric behaviour strategies as
an exact polynomial built from the tree (in full when short, else its size and a bounded part),
the proved optimal shared policy as a table (history -> action probabilities), its exact value
with a decimal, the verdicts (Nash by an exact best response of one agent per orbit, whether the
policy is deterministic) and the method and certificate kind.  Every number in it comes from the
result objects; nothing is typed in.  As for normal-form games, a section that cannot be derived
raises instead of leaving a hole; an optimiser that ran out of time gives a document that says so
(``Derivation.complete`` is False).

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> d = tree_derivation(unroll(tiny(), 2))
>>> d.complete, d.document.startswith("\\\\documentclass"), "\\\\end{document}" in d.document
(True, True, True)
>>> "Optimal value" in d.document and "Nash" in d.document
True
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from exactgames.model.tree import Chance, Decision, TeamTree

__all__ = ["tree_derivation", "tree_eu_latex", "policy_table_latex", "decimal_text", "fraction_latex"]

#: polynomial terms printed in full; a longer EU gets its number of terms and the first ``MAX_TERMS``
MAX_TERMS = 40
#: rows of the information-set, class and policy tables (the rest is counted, not printed)
MAX_ROWS = 80
#: chance nodes listed with their probabilities
MAX_CHANCE = 6


def _esc(text: Any) -> str:
    from exactgames.output.document import escape

    return escape(str(text))


def fraction_latex(q: Fraction) -> str:
    """A rational in math mode: ``3``, ``-\\frac{1}{6}``.

    Examples
    --------
    >>> fraction_latex(Fraction(-121, 24)), fraction_latex(Fraction(4))
    ('-\\\\frac{121}{24}', '4')
    """
    q = Fraction(q)
    if q.denominator == 1:
        return str(q.numerator)
    sign = "-" if q < 0 else ""
    return f"{sign}\\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


def decimal_text(q: Fraction, digits: int = 12) -> str:
    """The decimal of a rational by exact integer arithmetic: ``= 5.1908125`` when it ends within ``digits``
    places, else ``\\approx`` and the value rounded (half away from zero) to ``digits`` places.

    Examples
    --------
    >>> decimal_text(Fraction(83053, 16000)), decimal_text(Fraction(121, 24), 6), decimal_text(Fraction(-4))
    ('= 5.1908125', '\\\\approx 5.041667', '= -4')
    """
    q = Fraction(q)
    sign = "-" if q < 0 else ""
    a = abs(q)
    scaled = a * 10 ** digits
    exact = scaled.denominator == 1
    n = scaled.numerator // scaled.denominator
    if not exact and 2 * (scaled - n) >= 1:
        n += 1
    whole, frac = divmod(n, 10 ** digits)
    frac_s = str(frac).rjust(digits, "0").rstrip("0") if digits else ""
    body = f"{sign}{whole}" + (f".{frac_s}" if frac_s else "")
    return ("= " if exact else "\\approx ") + body


def _var(c: int, j: int) -> str:
    return f"x_{{{c + 1},{j + 1}}}"


def _class_actions(tree: TeamTree, sym: Any) -> list[tuple[str, ...]]:
    return [tree.infosets[m[0]].actions for m in sym.classes]


def tree_eu_latex(tree: TeamTree, sym: Any, max_terms: int = MAX_TERMS) -> tuple[str, int]:
    """The symmetric behaviour-strategy EU, built from the tree, as LaTeX; and its number of terms.

    One variable ``x_{c,j}`` per information-set class ``c`` and action ``j`` (both numbered from 1,
    actions in the class's order): the probability that an agent plays its ``j``-th action at any
    information set of class ``c``.  The
    polynomial is the exact expected payoff (multilinear in the information sets under
    perfect recall, so of degree at most the number of a class's sets met on one play);
    when it has more than ``max_terms`` terms the first ``max_terms`` are printed and the
    rest counted.

    Examples
    --------
    >>> from exactgames.io.trees import read_tree
    >>> from exactgames.sequential.symmetry import tree_symmetries
    >>> t = read_tree("examples/games/veil_of_ignorance.efg")
    >>> text, n = tree_eu_latex(t, tree_symmetries(t))
    >>> n, "\\\\frac{5}{2} x_{1,1} x_{2,1}" in text
    (7, True)
    """
    from exactgames.sequential.optimize import _raw

    poly = _raw(tree, sym.classes)
    acts = _class_actions(tree, sym)
    names = [_var(c, j) for c, aa in enumerate(acts) for j in range(len(aa))]
    terms = []
    for mon, coef in zip(poly.monoms(), poly.coeffs()):
        q = Fraction(int(coef.p), int(coef.q))
        mono = " ".join(names[v] + (f"^{{{e}}}" if e > 1 else "") for v, e in enumerate(mon) if e)
        mag = fraction_latex(abs(q))
        body = mono if (abs(q) == 1 and mono) else (f"{mag} {mono}".strip())
        terms.append(("-" if q < 0 else "+", body))
        if len(terms) >= max_terms:
            break
    total = len(poly)
    if total == 0:
        return "\\[ EU(x) = 0 \\]\n", 0
    lines = []
    for k in range(0, len(terms), 3):
        chunk = terms[k:k + 3]
        parts = []
        for j, (s, b) in enumerate(chunk):
            if k == 0 and j == 0:
                parts.append(("-" if s == "-" else "") + b)
            else:
                parts.append(f"{s} {b}")
        lead = "EU(x) &= " if k == 0 else "&\\quad "
        lines.append(lead + " ".join(parts))
    if total > len(terms):
        lines[-1] += " + \\dots"
    text = "\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}\n"
    if total > len(terms):
        text += (f"The polynomial has {total} terms (total degree {poly.total_degree()}); the first {len(terms)} are shown "
                 "(\\texttt{exactgames verify} rebuilds all of them from the tree).\n")
    else:
        text += f"({total} terms, total degree {poly.total_degree()}.)\n"
    return text, total


def _game_section(tree: TeamTree, max_rows: int = MAX_ROWS) -> str:
    nodes = list(tree.nodes())
    n_dec = sum(isinstance(n, Decision) for n in nodes)
    chances = [n for n in nodes if isinstance(n, Chance)]
    out = [f"{tree.n_players} agents (" + _esc(", ".join(tree.players)) + f"); {len(nodes)} nodes ({n_dec} decision, "
           f"{len(chances)} chance; identical subtrees counted once); common payoff: "
           f"{'yes' if tree.is_common_payoff else 'no'}; perfect recall: {'yes' if tree.has_perfect_recall() else 'no'}.\n"]
    if chances:
        shown = chances[:MAX_CHANCE]
        rows = []
        for k, ch in enumerate(shown):
            labels = ch.labels if len(ch.labels) == len(ch.probs) else tuple(str(j + 1) for j in range(len(ch.probs)))
            cells = ",\\ ".join(f"\\text{{{_esc(lab) or '?'}}}: {fraction_latex(p)}" for lab, p in zip(labels, ch.probs))
            rows.append(f"\\item ${cells}$")
        out.append("Chance moves (outcome: exact probability)" + (f", the first {len(shown)} of {len(chances)}" if len(chances) > len(shown) else "")
                   + ":\n\\begin{itemize}\n" + "\n".join(rows) + "\n\\end{itemize}\n")
    rows = []
    for k, inf in enumerate(tree.infosets[:max_rows]):
        rows.append(f"{k + 1} & {_esc(tree.players[inf.player])} & {_esc(inf.label) or '(unnamed)'} & "
                    f"{_esc(', '.join(inf.actions))} \\\\")
    more = len(tree.infosets) - len(rows)
    out.append("Information sets (for a Dec-POMDP: an agent's own action-observation history):\n"
               "\\begin{longtable}{rlp{8cm}p{5cm}}\n\\# & agent & information set & actions \\\\ \\hline\n\\endhead\n"
               + "\n".join(rows) + "\n\\end{longtable}\n" + (f"({more} further information sets omitted.)\n" if more > 0 else ""))
    return "".join(out)


def _symmetry_section(tree: TeamTree, sym: Any, max_rows: int = MAX_ROWS) -> str:
    js = sym.to_json()
    gens = ", ".join(js["generators"]) or "() (the identity only)"
    orbits = "; ".join("\\{" + ", ".join(_esc(tree.players[i]) for i in o) + "\\}" for o in sym.agent_orbits)
    out = [f"The symmetries found form a group of order {sym.order} (agent permutations, in cycle notation with agents "
           f"from 1: {_esc(gens)}), each with the identification of information sets it induces; agent orbits: {orbits}. "
           f"Method: {_esc(sym.method)}.\n\n"
           f"The agents of an orbit share one distribution per \\emph{{class}} of identified information sets: "
           f"{len(sym.classes)} classes of {len(tree.infosets)} information sets.\n"]
    rows = []
    for c, members in enumerate(sym.classes[:max_rows]):
        who = "; ".join(f"{_esc(tree.players[tree.infosets[i].player])}: {i + 1}" for i in members)
        rows.append(f"{c + 1} & {_esc(sym.class_label(c)) or '(unnamed)'} & {who} & {_esc(', '.join(tree.infosets[members[0]].actions))} \\\\")
    more = len(sym.classes) - len(rows)
    out.append("\\begin{longtable}{rp{6cm}p{4cm}p{4cm}}\nclass & history (first member) & agent: information sets & actions \\\\ \\hline\n"
               "\\endhead\n" + "\n".join(rows) + "\n\\end{longtable}\n" + (f"({more} further classes omitted.)\n" if more > 0 else ""))
    return "".join(out)


def policy_table_latex(result: Any, max_rows: int = MAX_ROWS) -> str:
    """The shared policy of a :class:`~exactgames.sequential.optimize.SequentialResult` as a longtable.

    One row per information-set class that matters (history -> exact action probabilities); the
    ``free`` classes (any distribution keeps the value) are counted below the table.

    Examples
    --------
    >>> from exactgames.io.trees import read_tree
    >>> from exactgames.sequential.optimize import optimize_tree
    >>> text = policy_table_latex(optimize_tree(read_tree("examples/games/veil_of_ignorance.efg")))
    >>> "type H & $\\\\text{C}: \\\\frac{5}{6},\\\\ \\\\text{A}: \\\\frac{1}{6}$" in text
    True
    """
    sym = result.symmetries
    t = sym.tree
    rows = []
    shown = [c for c in range(len(sym.classes)) if c not in result.free]
    for c in shown[:max_rows]:
        members = sym.classes[c]
        agents = ", ".join(sorted({_esc(t.players[t.infosets[i].player]) for i in members}))
        if result.value_exact:
            cells = ",\\ ".join(f"\\text{{{_esc(a)}}}: {fraction_latex(p)}"
                                for a, p in zip(t.infosets[members[0]].actions, result.policy[c]) if p)
        else:  # a certified region's rational centre: shown as a decimal, the exact maximiser is irrational
            cells = ",\\ ".join(f"\\text{{{_esc(a)}}}: {decimal_text(Fraction(p), 12)}"
                                for a, p in zip(t.infosets[members[0]].actions, result.policy[c]) if p)
        rows.append(f"{c + 1} & {agents} & {_esc(sym.class_label(c)) or '(unnamed)'} & ${cells}$ \\\\")
    more = len(shown) - len(rows)
    text = ("\\begin{longtable}{rlp{6cm}p{6cm}}\nclass & agents & history & action probabilities \\\\ \\hline\n\\endhead\n"
            + "\n".join(rows) + "\n\\end{longtable}\n")
    if more > 0:
        text += f"({more} further rows omitted; \\texttt{{exactgames optimize --json}} lists every class.)\n"
    if result.free:
        text += (f"{len(result.free)} classes are \\emph{{free}}: not reached under this policy, or not affecting the payoff; "
                 "any distribution there keeps the value (\\texttt{optimize --json} gives them their first action).\n")
    return text


def _verdicts_section(tree: TeamTree, result: Any) -> str:
    from exactgames.sequential.nash import best_response

    sym = result.symmetries
    beh = result.behaviour()
    rows = []
    for o in sym.agent_orbits:
        br = best_response(tree, beh, o[0])
        rows.append(f"\\text{{agent {_esc(tree.players[o[0]])}}}: &\\ EU = {fraction_latex(br.current)},\\quad "
                    f"\\text{{best response}} = {fraction_latex(br.value)},\\quad \\text{{gain}} = {fraction_latex(br.gain)}")
    word = {True: "a Nash equilibrium", False: "not a Nash equilibrium", None: "not decided"}[result.nash]
    det = {True: "deterministic (one action with probability 1 at every class that matters)",
           False: "mixed (some class that matters randomises)", None: "not decided"}[result.deterministic]
    gain = "" if result.nash_gain is None else f" (largest gain ${fraction_latex(result.nash_gain)}$)"
    return ("\\textbf{Nash.} One agent of each orbit deviates alone, the others keeping the shared policy; its exact best "
            "response is computed by backward induction over its own information sets (exact with perfect recall, "
            "and a pure best response is best among all deviations):\n\\begin{align*}\n" + " \\\\\n".join(rows)
            + f"\n\\end{{align*}}\nSo the shared policy is {word}{gain}.\n\n"
            f"\\textbf{{Deterministic.}} The shared policy is {det}.\n")


def _method_section(result: Any) -> str:
    cert = result.certificate or {}
    kind = cert.get("kind", "none (the symmetric payoff is constant; no certificate verify checks)" if result.complete else "none")
    lines = [f"Method: {_esc(result.method)}.", "",
             f"Answer kind \\texttt{{sequential-symmetric-v1}}; certificate kind \\texttt{{{_esc(kind)}}}."]
    if kind == "sequential-team-bound-v1":
        lines.append(f"The exact team optimum over all pure profiles is ${fraction_latex(Fraction(cert['team_optimum']))}$ "
                     f"({cert['team_policies_enumerated']} team policies enumerated with backward-induction best responses); "
                     "with perfect recall the expected payoff is multilinear in the information sets' distributions, so this "
                     "bounds every symmetric behaviour strategy, and the best of the "
                     f"{cert['symmetric_policies_enumerated']} symmetric deterministic policies attains it "
                     f"(${fraction_latex(Fraction(cert['symmetric_value']))}$). The product Bernstein tensor would have "
                     f"{cert['tensor_size']} coefficients per cell.")
    elif kind == "bnb-product-v1":
        lines.append(f"Certified branch and bound on {len(cert.get('classes_in_product', []))} simplices (the classes whose "
                     f"distribution matters), {cert.get('leaves', '?')} leaf cells: {cert.get('pruned', '?')} pruned by exact "
                     f"rational Bernstein bounds, {cert.get('in_region', '?')} in a certified region around the maximiser.")
    lines.append("")
    lines.append("\\texttt{exactgames verify GAME RESULT.json} re-proves the answer of \\texttt{exactgames optimize --json} "
                 "from the tree alone, with the independent checker.")
    return "\n".join(lines) + "\n"


def tree_derivation(tree: TeamTree, title: str | None = None, time_limit: float | None = 60.0) -> Any:
    """A standalone LaTeX derivation of a team game tree's best symmetric behaviour strategy.

    Parameters
    ----------
    tree : TeamTree
        Common payoff, every agent with perfect recall (as for ``exactgames optimize``).
    title : str, optional
        Document title (default: the tree's title).
    time_limit : float or None
        Seconds for the optimiser.

    Returns
    -------
    Derivation
        :class:`exactgames.output.latex.Derivation`: the document and whether the optimum was proved.

    Raises
    ------
    TreeError
        Not a common-payoff tree, or an agent without perfect recall.

    Examples
    --------
    >>> from exactgames.io.trees import read_tree
    >>> d = tree_derivation(read_tree("examples/games/veil_of_ignorance.efg"))
    >>> d.complete, "\\\\frac{121}{24}" in d.document, "\\\\approx 5.041666666667" in d.document
    (True, True, True)
    """
    from exactgames.model.tree import TreeError
    from exactgames.output.document import PREAMBLE, Derivation
    from exactgames.sequential.optimize import optimize_tree
    from exactgames.sequential.symmetry import tree_symmetries

    if not tree.is_common_payoff:
        raise TreeError("the players' payoffs differ; the derivation needs a common-payoff (team) game")
    if not tree.has_perfect_recall():
        raise TreeError("an agent does not have perfect recall; symmetric behaviour strategies and the exact best "
                        "response need it")
    title = title or tree.title or "a team game tree"
    sym = tree_symmetries(tree)
    parts = [PREAMBLE, f"\\title{{Exact derivation: {_esc(title)}}}\n\\date{{}}\n\\begin{{document}}\n\\maketitle\n"]
    parts.append("\\section*{The game}\n" + _game_section(tree))
    parts.append("\\section*{Symmetries of the tree}\n" + _symmetry_section(tree, sym))
    eu, _ = tree_eu_latex(tree, sym)
    parts.append("\\section*{Symmetric behaviour-strategy expected utility}\n"
                 "With $x_{c,j}$ the probability that an agent plays the $j$-th action (in the order of the class table "
                 "above) at an information set of class $c$, the expected common payoff, built bottom-up from the tree (never through the normal form), is the polynomial below on "
                 "the product of one simplex per class ($\\sum_j x_{c,j} = 1$).\n" + eu)
    res = optimize_tree(tree, sym, time_limit=time_limit)
    parts.append("\\section*{Proved optimum}\n")
    if not res.complete:
        lo, hi = res.value_interval
        parts.append(f"\\emph{{The optimiser did not finish: {_esc(res.reason)}; nothing is claimed beyond the proved "
                     f"enclosure $[{fraction_latex(lo)}, {fraction_latex(hi)}]$.}}\n\n" + _method_section(res))
        parts.append("\\end{document}\n")
        return Derivation("\n".join(parts), False, res.reason or "incomplete")
    if res.value_exact:
        v = Fraction(res.value)
        dec = "" if v.denominator == 1 else " " + decimal_text(v)
        note = "exact" if v.denominator == 1 or dec.startswith(" =") else "exact rational; decimal rounded to 12 places"
        parts.append(f"Optimal value among symmetric behaviour strategies: $\\displaystyle {fraction_latex(v)}{dec}$ ({note}).\n")
    else:
        lo, hi = res.value_interval
        parts.append("Optimal value among symmetric behaviour strategies: irrational, proved inside "
                     f"$[{fraction_latex(lo)}, {fraction_latex(hi)}]$ (${decimal_text(lo, 15)}$); the policy below is the "
                     "certified region's rational centre.\n")
    parts.append("\nThe shared policy (history $\\to$ action probabilities; every agent of an orbit plays it):\n"
                 + policy_table_latex(res))
    if res.ties:
        parts.append("Other optimal symmetric policies: " + _esc("; ".join(str(t) for t in res.ties)[:600]) + "\n")
    parts.append("\\section*{Verdicts}\n" + _verdicts_section(tree, res))
    parts.append("\\section*{Method and certificate}\n" + _method_section(res))
    parts.append("\\end{document}\n")
    return Derivation("\n".join(parts), True, "")
