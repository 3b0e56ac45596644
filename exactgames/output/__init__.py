"""Output: LaTeX derivations (the orbit graph's TikZ comes from :mod:`exactgames.symmetry.graphs`)."""

from exactgames.output.latex import escape, game_table_latex, kkt_system_latex, latex_derivation, optimum_with_verdicts

__all__ = ["latex_derivation", "game_table_latex", "kkt_system_latex", "escape", "optimum_with_verdicts"]
