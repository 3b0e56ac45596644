"""Symmetry: Γ(G) by permutation search, generated groups ⟨P⟩, orbits, P-invariance, orbit graphs."""
