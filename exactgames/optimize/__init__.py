"""Optimisation over P-invariant profiles: exact KKT route, certified branch-and-bound, parametric regimes."""
