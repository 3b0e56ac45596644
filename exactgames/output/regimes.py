r"""The regimes of a parametric optimum as a LaTeX table (text helpers: :mod:`exactgames.optimize.parametric.display`).

Examples
--------
>>> from exactgames.paper_games import example_5_0_5
>>> from exactgames.certify.verdicts import analyze
>>> tex = regimes_latex(analyze(example_5_0_5()).to_json())
>>> "$(11, \\infty)$" in tex and "begin{longtable}" in tex
True
"""

from __future__ import annotations

import re

from exactgames.optimize.parametric.display import endpoint_text, power_form, regime_rows, regimes_text

__all__ = ["endpoint_text", "power_form", "regime_rows", "regimes_text", "regimes_latex"]


def regimes_latex(result: dict, orbit_names: list[str] | None = None) -> str:
    """The regimes as a LaTeX ``longtable`` (plain-text cells escaped; no math-mode material outside ``$``)."""

    from exactgames.output.document import escape

    def math(text: str) -> str:  # an interval or value printed by regime_rows, in math mode
        if "algebraic" in text or "character" in text:
            return escape(text)
        t = re.sub(r"\^(\d+)", r"^{\1}", text).replace("~ ", "\\approx ").replace("-oo", "-\\infty").replace("oo", "\\infty")
        t = t.replace("*", "\\,")
        return f"${t}$"

    p = escape(result.get("parameter") or "parameter")
    rows = regime_rows(result, orbit_names)
    body = [math(r[k]) if k in ("interval", "value") else escape(r[k])
            for r in rows for k in ("interval", "optimum", "value", "nash", "degenerate", "stable")]
    lines = []
    for i in range(0, len(body), 6):
        lines.append(" & ".join(body[i:i + 6]) + " \\\\")
    return ("\\begin{longtable}{p{0.26\\textwidth}p{0.22\\textwidth}p{0.18\\textwidth}lll}\n"
            f"${p}$ & optimum & value & Nash & degenerate & stable \\\\ \\hline\n" + "\n".join(lines) + "\n\\end{longtable}\n"
            "Verdicts are decided exactly at a rational sample point of each regime.\n")
