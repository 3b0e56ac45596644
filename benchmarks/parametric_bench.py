"""Benchmark: the ten-robot game (Section 2.1) -- parametric regimes at n=10 and fixed-eps optimisation at n=50.

Target (issue 6): ``optimize`` on the 50-player, 3-action anonymous game with a
fixed parameter value in under 5 s.  Run: ``python benchmarks/parametric_bench.py``.
"""

from __future__ import annotations

import sys
import time


def _time(label: str, fn):
    t0 = time.perf_counter()
    try:
        out = fn()
        status = "ok"
    except Exception as exc:  # noqa: BLE001 - a benchmark reports every failure
        out, status = None, f"failed: {type(exc).__name__}: {str(exc)[:120]}"
    dt = time.perf_counter() - t0
    print(f"{label:<60s} {dt:8.2f} s  {status}")
    return out, dt


def main(argv: list[str]) -> None:
    from exactgames.optimize.parametric import parametric_regimes
    from exactgames.optimize.parametric.solve import enumerate_optimum
    from exactgames.paper_games import ten_robots

    for n in (3, 4, 10):
        res, _ = _time(f"parametric_regimes(ten_robots(n={n}))", lambda n=n: parametric_regimes(ten_robots(n=n)))
        if res is not None:
            print("  regimes:", [r.interval_str() for r in res.regimes], "candidate endpoints:", len(res.endpoints))
    g50 = ten_robots(n=50).subs({"eps": "1"})
    try:
        from exactgames.optimize.api import optimize
    except ImportError:
        optimize = None
    if optimize is not None:
        for e in ("1", "2", "1/2"):
            g = ten_robots(n=50).subs({"eps": e})
            r, dt = _time(f"api.optimize(ten_robots(n=50), eps={e})  [target < 5 s]", lambda g=g: optimize(g, time_limit=60.0))
            if r is not None:
                print(f"  value={r.value} complete={r.complete} method={r.method!r} target met: {dt < 5 and r.complete}")
    if "--own" in argv:
        r, _ = _time("parametric.solve.enumerate_optimum(n=50, eps=1)", lambda: enumerate_optimum(g50))
        if r is not None:
            print(f"  value={r.value}")


if __name__ == "__main__":
    main(sys.argv[1:])
