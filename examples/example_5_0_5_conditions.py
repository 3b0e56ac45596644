"""Example 5.0.5: exact conditions on eps for two symmetric profiles, and the regimes of the optimum.

Run: ``python examples/example_5_0_5_conditions.py``.
"""

from __future__ import annotations

from exactgames.certify.conditions import parametric_regimes_with_verdicts, profile_conditions
from exactgames.paper_games import example_5_0_5


def main() -> None:
    g = example_5_0_5()
    for name, strat in (("(a, a)", ["1", "0", "0"]), ("(b/2 + c/2, b/2 + c/2)", ["0", "1/2", "1/2"])):
        c = profile_conditions(g, [strat, strat], orbits=[[0, 1]])
        print(f"profile {name}")
        for key in ("nash", "local_first_order", "local_sufficient", "local_necessary", "nondegenerate"):
            print(f"  {key:<18s} {str(getattr(c, key)):<24s} {c.as_intervals()[key]}")
        print(f"  second order undecided where: {c.local_undecided}")
    res = parametric_regimes_with_verdicts(g, [[0, 1]])
    print("optimal symmetric profile by regime:")
    for r in res.regimes:
        strat = ", ".join(f"{a}={p}" for a, p in zip(r.actions[0], r.strategies[0]))
        print(f"  {r.interval_str():<10s} {strat:<20s} value {r.value}  nash={r.nash} degenerate={r.degenerate} "
              f"locally_optimal_asymmetric={r.locally_optimal_asymmetric}")
        if r.ties:
            print(f"  {'':<10s} also optimal: {'; '.join(r.ties)}")


if __name__ == "__main__":
    main()
