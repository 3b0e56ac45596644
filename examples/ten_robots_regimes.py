"""The ten-robot game of Section 2.1: for which eps is all-a the optimal symmetric strategy?

The threshold is not typed in: it comes out of the resultants of the faces'
critical-value polynomials, and each regime is certified at a rational sample
point.  Run: ``python examples/ten_robots_regimes.py`` (about 10 s).
"""

from __future__ import annotations

import sympy

from exactgames.certify.conditions import parametric_regimes_with_verdicts
from exactgames.paper_games import ten_robots


def main() -> None:
    res = parametric_regimes_with_verdicts(ten_robots())
    print(f"parameter {res.parameter} in {res.domain}; complete: {res.complete} {res.reason}")
    for r in res.regimes:
        strat = ", ".join(f"{a}={p}" for a, p in zip(r.actions[0], r.strategies[0]))
        print(f"{r.interval_str():>48s}  {strat:<22s} value {r.value}")
        print(f"{'':>48s}  nash={r.nash} degenerate={r.degenerate} locally_optimal_asymmetric={r.locally_optimal_asymmetric}")
        if r.ties:
            print(f"{'':>48s}  also optimal: {'; '.join(r.ties)}")
    thr = res.regimes[0].upper
    print(f"threshold: eps = {thr} = (10/9)**9 - 1 ~ {sympy.N(thr, 12)}")


if __name__ == "__main__":
    main()
