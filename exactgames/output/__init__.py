"""Output: LaTeX derivations, TikZ, JSON encoding."""
