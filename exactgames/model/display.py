"""Rich display of games in Jupyter: ``_repr_latex_`` and ``_repr_html_``.

Examples
--------
>>> from exactgames.paper_games import taxi_symmetric
>>> print(game_latex(taxi_symmetric()))
$\\begin{array}{c|cc} & H & W \\\\ \\hline H & 1 & 2 \\\\ W & 2 & 1 \\end{array}$
"""

from __future__ import annotations

import html
import itertools
from typing import Any

import sympy

__all__ = ["game_latex", "game_html"]

_MAX_ROWS = 64


def _cell(game: Any, profile: tuple) -> list:
    return [game.payoffs[i][game.index(profile)] for i in range(game.n_players)]


def _fmt(values: list, common: bool) -> list[sympy.Expr]:
    return values[:1] if common else values


def game_latex(game: Any) -> str:
    """LaTeX of a game: a bimatrix for two players, otherwise a list of (at most 64) profiles or count vectors."""
    if hasattr(game, "payoff") and not hasattr(game, "payoffs"):  # AnonymousGame
        rows = [f"{c} & {sympy.latex(v)}" for c, v in itertools.islice(game.payoff.items(), _MAX_ROWS)]
        more = len(game.payoff) - len(rows)
        tail = f" \\\\ \\multicolumn{{2}}{{c}}{{\\dots\\ {more}\\text{{ more}}}}" if more > 0 else ""
        head = "\\text{counts } (" + ", ".join(game.actions) + ") & u"
        return f"$\\begin{{array}}{{c|c}} {head} \\\\ \\hline " + " \\\\ ".join(rows) + tail + " \\end{array}$"
    common = game.is_common_payoff
    if game.n_players == 2:
        r, c = game.actions
        body = []
        for a in r:
            vals = [", ".join(sympy.latex(v) for v in _fmt(_cell(game, (a, b)), common)) for b in c]
            body.append(f"{a} & " + " & ".join(vals))
        return (f"$\\begin{{array}}{{c|{'c' * len(c)}}} & " + " & ".join(c) + " \\\\ \\hline "
                + " \\\\ ".join(body) + " \\end{array}$")
    rows = []
    for prof in itertools.islice(game.profiles(), _MAX_ROWS):
        rows.append("(" + ", ".join(prof) + ") & " + ", ".join(sympy.latex(v) for v in _fmt(_cell(game, prof), common)))
    more = game.n_profiles - len(rows)
    tail = f" \\\\ \\dots & {more}\\text{{ more}}" if more > 0 else ""
    return "$\\begin{array}{c|c} \\text{profile} & u \\\\ \\hline " + " \\\\ ".join(rows) + tail + " \\end{array}$"


def game_html(game: Any) -> str:
    """An HTML table of a game (the first 64 profiles or count vectors)."""
    title = f"<p><b>{html.escape(game.title)}</b></p>" if game.title else ""
    if hasattr(game, "payoff") and not hasattr(game, "payoffs"):
        head = "<tr><th>counts (" + ", ".join(map(html.escape, game.actions)) + ")</th><th>u</th></tr>"
        rows = "".join(f"<tr><td>{c}</td><td>{html.escape(str(v))}</td></tr>"
                       for c, v in itertools.islice(game.payoff.items(), _MAX_ROWS))
        return f"{title}<table>{head}{rows}</table>"
    common = game.is_common_payoff
    head = "<tr><th>profile</th><th>" + ("u" if common else "u<sub>1</sub>, …, u<sub>n</sub>") + "</th></tr>"
    rows = "".join(
        "<tr><td>(" + ", ".join(map(html.escape, p)) + ")</td><td>"
        + html.escape(", ".join(str(v) for v in _fmt(_cell(game, p), common))) + "</td></tr>"
        for p in itertools.islice(game.profiles(), _MAX_ROWS)
    )
    return f"{title}<table>{head}{rows}</table>"
