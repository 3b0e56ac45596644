"""Tests of exactgames.experiments.sweep: end to end, determinism, interruption and resume, pools, Dask.

The solver is the real exact KKT route (``exactgames.optimize.kkt.kkt_optimum``)
and the baselines the real float pipeline with fewer runs and steps, so the
tiny sweeps stay fast.  Claimed optima are checked by a different route: a
dense float grid over the simplex built from the payoffs stored in the row.

Run as a script (``python test_sweep.py child STORE``) this file is the
child process that the kill-and-resume test kills with SIGKILL.
"""

from __future__ import annotations

import itertools
import math
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction

import pytest
import sympy

from exactgames.experiments.baselines import run_baselines
from exactgames.experiments.store import ResultStore, StoreError, records_equal
from exactgames.experiments.sweep import SweepConfig, SweepError, derive_seed, evaluate_game, run_sweep
from exactgames.optimize.kkt import kkt_optimum

TINY = SweepConfig(classes=("random",), players=(2, 3), actions=(2, 3), games=3, seed=11, n_slsqp=3, n_replicator=3)


def fast_baselines(game, task):
    """The real float pipeline with short replicator runs (picklable: module level)."""
    return run_baselines(game, task.baseline_seed, n_slsqp=task.n_slsqp, n_replicator=task.n_replicator, iterations=300)


def slow_solver(game):
    """The exact solver, slowed down so that a child process can be killed mid-sweep."""
    time.sleep(0.15)
    return kkt_optimum(game)


class InterruptAfter:
    """A solver that raises KeyboardInterrupt on its (n+1)-th call (an injected Ctrl-C)."""

    def __init__(self, n: int):
        self.n = n
        self.calls = 0

    def __call__(self, game):
        self.calls += 1
        if self.calls > self.n:
            raise KeyboardInterrupt
        return kkt_optimum(game)


def _records(path):
    with ResultStore.open(path) as s:
        return s.read()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ref") / "ref.sqlite")
    summary = run_sweep(TINY, path, progress=False, solver=kkt_optimum, baselines=fast_baselines)
    assert summary.written == 12 and not summary.interrupted
    return path, _records(path)


# ----------------------------------------------------------------------------- independent checks
def _eu_float(payoffs, n, x):
    """EU of the symmetric strategy x from the stored count-vector payoffs (own multinomial code)."""
    total = 0.0
    for counts, v in payoffs:
        coef = math.factorial(n)
        for c in counts:
            coef //= math.factorial(c)
        total += coef * float(Fraction(v)) * math.prod(p**c for p, c in zip(x, counts))
    return total


def _grid_max(payoffs, n, m, steps=60):
    best = -math.inf
    for ks in itertools.product(range(steps + 1), repeat=m - 1):
        if sum(ks) <= steps:
            x = [k / steps for k in ks] + [(steps - sum(ks)) / steps]
            best = max(best, _eu_float(payoffs, n, x))
    return best


def test_tiny_sweep_end_to_end(reference):
    path, recs = reference
    assert [r.key for r in recs] == [("random", n, m, t) for n in (2, 3) for m in (2, 3) for t in range(3)]
    for r in recs:
        assert r.status == "ok", r.message
        lo, hi = Fraction(r.value_lo), Fraction(r.value_hi)
        assert lo <= hi and hi - lo < Fraction(1, 10**20)
        # the certified value is at least every grid point (independent float search) ...
        assert r.value_float >= _grid_max(r.payoffs, r.n_players, r.n_actions) - 1e-12
        # ... and is the EU of the stored strategy
        x = [float(sympy.sympify(p)) for p in r.strategy]
        assert abs(_eu_float(r.payoffs, r.n_players, x) - r.value_float) < 1e-9
        assert r.mixed == (len(r.support) > 1)
        assert len(r.runs) == 6 and {u.method for u in r.runs} == {"slsqp", "replicator"}
        for u in r.runs:
            if u.found:
                assert abs(u.value - r.value_float) <= 1e-9 and u.support == r.support
        # Table 8 quantity present exactly for mixed optima, in [0, 1] on the code scale
        assert (r.decrease is not None) == bool(r.mixed)
        if r.mixed:
            assert 0 <= Fraction(r.decrease_lo) <= Fraction(r.decrease_hi) <= 1
    with ResultStore.open(path) as s:
        meta = s.meta()
    assert meta["identity"]["seed"] == 11 and meta["sweeps"][0]["written"] == 12


def test_same_seed_same_games_different_seed_different(reference, tmp_path):
    _, recs = reference
    again = evaluate_game(TINY.tasks()[5], solver=kkt_optimum, baselines=fast_baselines)
    assert again.without_timings() == recs[5].without_timings()
    other = SweepConfig(classes=("random",), players=(2, 3), actions=(2, 3), games=3, seed=12).tasks()
    assert [t.seed for t in other] != [t.seed for t in TINY.tasks()]
    assert len({t.seed for t in TINY.tasks()}) == 12  # cells and indices get distinct seeds
    assert derive_seed(11, "random", 2, 2, 0) == TINY.tasks()[0].seed
    paper = SweepConfig(players=(2,), actions=(2, 3), games=2, seed_mode="paper").tasks()
    assert [t.seed for t in paper] == [0, 1, 0, 1]  # np.random.seed(t) as in the paper's code


def test_injected_interrupt_then_resume_matches(reference, tmp_path):
    ref_path, ref = reference
    path = str(tmp_path / "r.sqlite")
    s1 = run_sweep(TINY, path, progress=False, solver=InterruptAfter(5), baselines=fast_baselines)
    assert s1.interrupted and s1.written == 5
    assert len(_records(path)) == 5
    with pytest.raises(StoreError, match="resume"):
        run_sweep(TINY, path, progress=False, solver=kkt_optimum, baselines=fast_baselines)
    s2 = run_sweep(TINY, path, progress=False, solver=kkt_optimum, baselines=fast_baselines, resume=True)
    assert s2.skipped == 5 and s2.written == 7 and not s2.interrupted
    assert records_equal(_records(path), ref)


def test_killed_subprocess_then_resume_matches(reference, tmp_path):
    ref_path, ref = reference
    path = str(tmp_path / "k.sqlite")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.Popen([sys.executable, __file__, "child", path], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        n = 0
        while time.time() < deadline:
            if os.path.exists(path):
                try:
                    n = len(_records(path))
                except Exception:  # the child may be creating the file
                    n = 0
            if n >= 2 or proc.poll() is not None:
                break
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)  # our own child, by pid
    finally:
        proc.wait()
    got = _records(path)
    assert 2 <= len(got) < 12, len(got)
    s = run_sweep(TINY, path, progress=False, solver=kkt_optimum, baselines=fast_baselines, resume=True)
    assert s.skipped == len(got)
    assert records_equal(_records(path), ref)


def test_process_pool_matches(reference, tmp_path):
    _, ref = reference
    path = str(tmp_path / "p.sqlite")
    s = run_sweep(TINY, path, workers=2, progress=False, solver=kkt_optimum, baselines=fast_baselines)
    assert s.written == 12
    assert records_equal(_records(path), ref)


def test_dask_local_cluster_matches(reference, tmp_path):
    distributed = pytest.importorskip("distributed")
    _, ref = reference
    path = str(tmp_path / "d.sqlite")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        s = run_sweep(TINY, path, scheduler=cluster.scheduler_address, progress=False, solver=kkt_optimum,
                      baselines=fast_baselines)
    assert s.written == 12 and s.scheduler
    assert records_equal(_records(path), ref)


def test_resume_refuses_other_identity_and_bad_config(reference, tmp_path):
    path = str(tmp_path / "x.sqlite")
    run_sweep(SweepConfig(players=(2,), actions=(2,), games=1, n_slsqp=1, n_replicator=1), path, progress=False,
              solver=kkt_optimum, baselines=fast_baselines)
    with pytest.raises(StoreError, match="same seed"):
        run_sweep(SweepConfig(players=(2,), actions=(2,), games=1, seed=5, n_slsqp=1, n_replicator=1), path,
                  progress=False, solver=kkt_optimum, baselines=fast_baselines, resume=True)
    with pytest.raises(SweepError, match="workers"):
        run_sweep(TINY, str(tmp_path / "y.sqlite"), workers=0)
    with pytest.raises(SweepError, match="class 'chess'"):
        SweepConfig(classes=("chess",))


def test_progress_lines_on_stream(tmp_path):
    import io

    out = io.StringIO()
    run_sweep(SweepConfig(players=(2,), actions=(2,), games=2, n_slsqp=1, n_replicator=1), str(tmp_path / "q.sqlite"),
              progress=out, solver=kkt_optimum, baselines=fast_baselines)
    text = out.getvalue()
    assert "2/2 games" in text and "games/s" in text and "left" in text


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "child":
    run_sweep(TINY, sys.argv[2], progress=False, solver=slow_solver, baselines=fast_baselines)
