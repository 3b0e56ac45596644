"""GAMUT sweeps: generate, certify, run the baselines, store game by game.

A sweep runs every game of a grid ``classes x players x actions x games``
(Section 6.1: 2-5 players x 2-5 actions x 100 games per class).  For each
game it records, in the SQLite store of :mod:`exactgames.experiments.store`:
the certified symmetric optimum (exact value, proved interval, support,
mixed or pure), every baseline run and whether it found that optimum, and
the Table 8 quantity of :mod:`exactgames.experiments.perturbation`.

Seeds
-----
With ``seed_mode="derived"`` (default), game ``t`` of cell
``(cls, n, m)`` is drawn with the 32-bit seed
``sha256("exactgames-sweep|S|cls|n|m|t")[:4]`` (big-endian), where ``S`` is
the sweep seed; the baselines' starting points use the same recipe with the
tag ``"exactgames-baselines"``.  The same ``S`` gives the same games and the
same starts, on any machine and any number of workers; different cells get
independent games.  With ``seed_mode="paper"`` game ``t`` uses
``np.random.seed(t)`` exactly as the paper's code did (so every cell reuses
the same underlying uniforms) and the starting points continue that stream
(:func:`exactgames.experiments.generators.paper_stream`); ``S`` is ignored.

Execution
---------
``workers=1`` runs in this process; ``workers=K > 1`` uses a
``concurrent.futures.ProcessPoolExecutor``; ``scheduler=ADDRESS`` (or a
``distributed.Client``) sends the same tasks to an existing Dask
distributed cluster (both back-ends, their signal handling and the progress
lines are in :mod:`exactgames.experiments.executors`).  In every case only this process writes the store, one
transaction per finished game, so killing the sweep loses at most the games
in flight; ``resume=True`` skips every key already written (except games
whose evaluation raised, which are retried).  Ctrl-C stops cleanly: pending
work is cancelled and :class:`SweepSummary` reports ``interrupted=True``.

Examples
--------
>>> derive_seed(0, "random", 2, 2, 0) == derive_seed(0, "random", 2, 2, 0)
True
>>> derive_seed(0, "random", 2, 2, 0) != derive_seed(1, "random", 2, 2, 0)
True
>>> cfg = SweepConfig(classes=("random",), players=(2,), actions=(2, 3), games=2)
>>> [(t.n_players, t.n_actions, t.index) for t in cfg.tasks()]
[(2, 2, 0), (2, 2, 1), (2, 3, 0), (2, 3, 1)]
"""

from __future__ import annotations

import hashlib
import math
import sys
import time
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable, TextIO

from exactgames.experiments.executors import (
    Progress,
    SweepError,
    check_address,
    restore_sigterm,
    run_dask,
    run_pool,
    trap_sigterm,
)
from exactgames.experiments.store import (
    FOUND_TOL,
    PAPER_EPS,
    SUPPORT_TOL,
    GameRecord,
    ResultStore,
    RunRecord,
    StoreError,
)
from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame

__all__ = [
    "SEED_MODES",
    "SweepError",
    "SweepConfig",
    "GameTask",
    "SweepSummary",
    "derive_seed",
    "default_solver",
    "default_baselines",
    "evaluate_game",
    "run_sweep",
]

SEED_MODES = ("derived", "paper")
_CLASSES = ("random", "coordination", "collaboration")


def derive_seed(seed: int, cls: str, n_players: int, n_actions: int, index: int, tag: str = "exactgames-sweep") -> int:
    """The 32-bit seed of game ``index`` of cell ``(cls, n_players, n_actions)`` in a sweep with seed ``seed``.

    Examples
    --------
    >>> derive_seed(0, "random", 2, 2, 0)
    543343743
    """
    text = f"{tag}|{seed}|{cls}|{n_players}|{n_actions}|{index}"
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


@dataclass(frozen=True)
class GameTask:
    """One game of a sweep: everything a worker needs to evaluate it (picklable)."""

    cls: str
    n_players: int
    n_actions: int
    index: int
    seed: int
    baseline_seed: int
    seed_mode: str = "derived"
    scale: str = "code"
    n_slsqp: int = 10
    n_replicator: int = 10

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.cls, self.n_players, self.n_actions, self.index)


@dataclass(frozen=True)
class SweepConfig:
    """Parameters of a sweep (stored in the results store's metadata).

    Examples
    --------
    >>> SweepConfig(players=(1,))
    Traceback (most recent call last):
    ...
    exactgames.experiments.executors.SweepError: players=(1,): expected integers >= 2
    """

    classes: tuple[str, ...] = ("random",)
    players: tuple[int, ...] = (2, 3, 4, 5)
    actions: tuple[int, ...] = (2, 3, 4, 5)
    games: int = 100
    seed: int = 0
    seed_mode: str = "derived"
    scale: str = "code"
    n_slsqp: int = 10
    n_replicator: int = 10

    def __post_init__(self) -> None:
        for c in self.classes:
            if c not in _CLASSES:
                raise SweepError(f"class {c!r}: expected one of {', '.join(_CLASSES)}")
        if not self.classes:
            raise SweepError("classes: expected at least one game class")
        for name in ("players", "actions"):
            vals = getattr(self, name)
            if not vals or any(not isinstance(v, int) or isinstance(v, bool) or v < 2 for v in vals):
                raise SweepError(f"{name}={vals!r}: expected integers >= 2")
        if not isinstance(self.games, int) or self.games < 1:
            raise SweepError(f"games={self.games!r}: expected an integer >= 1")
        if self.seed_mode not in SEED_MODES:
            raise SweepError(f"seed_mode={self.seed_mode!r}: expected one of {', '.join(SEED_MODES)}")
        if self.scale not in ("code", "appendix"):
            raise SweepError(f"scale={self.scale!r}: expected 'code' or 'appendix'")
        if self.n_slsqp < 0 or self.n_replicator < 0 or self.n_slsqp + self.n_replicator == 0:
            raise SweepError(f"n_slsqp={self.n_slsqp}, n_replicator={self.n_replicator}: expected non-negative, not both 0")

    def tasks(self) -> list[GameTask]:
        """Every game of the sweep, in a fixed order (class, players, actions, index)."""
        out = []
        for cls in self.classes:
            for n in self.players:
                for m in self.actions:
                    for t in range(self.games):
                        if self.seed_mode == "paper":
                            s, bs = t, t
                        else:
                            s = derive_seed(self.seed, cls, n, m, t)
                            bs = derive_seed(self.seed, cls, n, m, t, tag="exactgames-baselines")
                        out.append(GameTask(cls, n, m, t, s, bs, self.seed_mode, self.scale, self.n_slsqp, self.n_replicator))
        return out

    def identity(self) -> dict[str, Any]:
        """The parameters that must agree between a store and a sweep resuming it."""
        return {"seed": self.seed, "seed_mode": self.seed_mode, "scale": self.scale,
                "n_slsqp": self.n_slsqp, "n_replicator": self.n_replicator}

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


@dataclass(frozen=True)
class SweepSummary:
    """What one call of :func:`run_sweep` did."""

    store_path: str
    total: int
    skipped: int
    written: int
    errors: int
    interrupted: bool
    wall_seconds: float
    workers: int
    scheduler: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- default solver and baselines
def default_solver(game: AnonymousGame) -> Any:
    """The certified symmetric optimum of the branch and bound (:func:`exactgames.optimize.bnb.certified_optimum`)."""
    from exactgames.optimize.bnb import certified_optimum

    return certified_optimum(game)


def default_baselines(game: AnonymousGame, task: GameTask) -> Any:
    """The paper's SLSQP + replicator pipeline (:func:`exactgames.experiments.baselines.run_baselines`)."""
    from exactgames.experiments.baselines import run_baselines

    rng = None
    if task.seed_mode == "paper":
        from exactgames.experiments.generators import paper_stream

        rng = paper_stream(task.cls, task.n_players, task.n_actions, task.seed)
    return run_baselines(game, task.baseline_seed, n_slsqp=task.n_slsqp, n_replicator=task.n_replicator, rng=rng)


# --------------------------------------------------------------------------- one game
def _numeric_support(strategy: Iterable[float]) -> tuple[int, ...]:
    return tuple(k for k, p in enumerate(strategy) if p > SUPPORT_TOL)


def _runs(result: Any, opt_float: float | None, opt_supports: set[tuple[int, ...]]) -> tuple[RunRecord, ...]:
    best = getattr(result, "best_value", None)
    out = []
    for k, r in enumerate(result.runs):
        value = None if getattr(r, "discarded", False) or not math.isfinite(r.value) else float(r.value)
        strategy = tuple(float(p) for p in r.strategy)
        sup = _numeric_support(strategy)
        found = value is not None and opt_float is not None and abs(value - opt_float) <= FOUND_TOL and sup in opt_supports
        paper_found = value is not None and best is not None and value > best - PAPER_EPS
        out.append(RunRecord(str(r.method), k, value, strategy, sup, bool(found), bool(paper_found)))
    return tuple(out)


def evaluate_game(
    task: GameTask,
    solver: Callable[[AnonymousGame], Any] | None = None,
    baselines: Callable[[AnonymousGame, GameTask], Any] | None = None,
) -> GameRecord:
    """Generate, certify and run the baselines on one game; never raises for a failing solver.

    Parameters
    ----------
    task : GameTask
    solver : callable, optional
        ``solver(game) -> OptimumResult`` (default :func:`default_solver`).
    baselines : callable, optional
        ``baselines(game, task)`` returning an object with ``runs`` (each with
        ``method``, ``strategy``, ``value``, optional ``discarded``),
        ``best_value``, ``best_strategy`` and ``mixed`` (default :func:`default_baselines`).

    Returns
    -------
    GameRecord
        ``status="ok"`` with the certified optimum, or ``"incomplete"`` /
        ``"error"`` with a message (the game is then left out of the tables).
    """
    from exactgames.experiments.generators import generate
    from exactgames.experiments.perturbation import PerturbationError, perturbation_decrease

    solver = default_solver if solver is None else solver
    baselines = default_baselines if baselines is None else baselines
    t0 = time.perf_counter()
    c0 = time.process_time()
    game = generate(task.cls, task.n_players, task.n_actions, task.seed, scale=task.scale)
    payoffs = tuple((c, str(game.payoff[c])) for c in count_vectors(task.n_players, task.n_actions))
    base = dict(cls=task.cls, n_players=task.n_players, n_actions=task.n_actions, index=task.index, seed=task.seed,
                payoffs=payoffs)
    t1 = time.perf_counter()
    try:
        opt = solver(game)
    except Exception as exc:  # a failing solver must not stop the sweep; the row says what happened
        return GameRecord(**base, status="error", message=f"solver: {type(exc).__name__}: {exc}",
                          t_generate=t1 - t0, t_certify=time.perf_counter() - t1)
    t2 = time.perf_counter()
    if not getattr(opt, "complete", True):
        return GameRecord(**base, status="incomplete", message=str(getattr(opt, "reason", "")),
                          t_generate=t1 - t0, t_certify=t2 - t1)
    lo, hi = (Fraction(opt.value_interval[0]), Fraction(opt.value_interval[1]))
    opt_float = float((lo + hi) / 2)
    support = tuple(int(k) for k in opt.support[0])
    dec: dict[str, Any] = {}
    t3 = time.perf_counter()
    if opt.mixed:
        try:
            p = perturbation_decrease(game, opt.value, support, (lo, hi))
            dec = dict(min_support_payoff=str(p.min_payoff), decrease=str(p.decrease), decrease_lo=str(p.interval[0]),
                       decrease_hi=str(p.interval[1]), decrease_float=float((p.interval[0] + p.interval[1]) / 2))
        except PerturbationError:
            pass  # undefined on a non-positive scale; left empty
    t4 = time.perf_counter()
    res = baselines(game, task)
    t5 = time.perf_counter()
    tied = GameRecord(**base, value=str(opt.value), support=support).optimal_supports()
    best_strategy = tuple(float(p) for p in getattr(res, "best_strategy", ()) or ())
    best_value = getattr(res, "best_value", None)
    return GameRecord(
        **base,
        value=str(opt.value), value_lo=str(lo), value_hi=str(hi), value_float=opt_float,
        value_exact=bool(getattr(opt, "value_exact", True)),
        strategy=tuple(str(p) for p in opt.strategies[0]), support=support, mixed=bool(opt.mixed),
        method=str(getattr(opt, "method", "")),
        **dec,
        paper_best_value=None if best_value is None or not math.isfinite(best_value) else float(best_value),
        paper_mixed=None if getattr(res, "mixed", None) is None else bool(res.mixed),
        paper_best_support=_numeric_support(best_strategy) if best_strategy else None,
        runs=_runs(res, opt_float, tied),
        t_generate=t1 - t0, t_certify=t2 - t1, t_perturbation=t4 - t3, t_baselines=t5 - t4,
        cpu_seconds=time.process_time() - c0,
    )


# --------------------------------------------------------------------------- the sweep
def _open(config: SweepConfig, store_path: str, resume: bool) -> ResultStore:
    import os

    if os.path.exists(store_path):
        if not resume:
            raise StoreError(f"{store_path}: results store already exists; pass resume=True (--resume) to continue it")
        store = ResultStore.open(store_path)
        meta = store.meta()
        have = meta.get("identity")
        if have != config.identity():
            store.close()
            raise StoreError(f"{store_path}: store was made with {have}, this sweep has {config.identity()}; "
                             "resume needs the same seed, seed mode, scale and run counts")
        grid = meta.get("grid")
        if grid is None:  # a store of an earlier version: record the grid it continues with
            store.set_meta({"grid": _grid(config)})
        elif grid != _grid(config):
            store.close()
            raise StoreError(f"{store_path}: store was made for {_grid_text(grid)}, this sweep asks for "
                             f"{_grid_text(_grid(config))}; resume needs the same --class, --players, --actions and "
                             "--games (start a new store for another grid)")
        return store
    return ResultStore.create(store_path, {"identity": config.identity(), "grid": _grid(config), "sweeps": []})


def _grid(config: SweepConfig) -> dict[str, Any]:
    return {"classes": list(config.classes), "players": list(config.players), "actions": list(config.actions),
            "games": config.games}


def _grid_text(grid: dict[str, Any]) -> str:
    return (f"class {','.join(grid['classes'])}, players {','.join(map(str, grid['players']))}, "
            f"actions {','.join(map(str, grid['actions']))}, {grid['games']} games per cell")


def _claimed(tasks: Iterable[GameTask], store: ResultStore, owner: str, skipped: list[int]) -> Iterable[GameTask]:
    """The tasks this run may compute: each is claimed in the store just before it is submitted, so concurrent
    runs on one store (two ``--resume``) do not compute the same game; tasks done or claimed elsewhere are skipped."""
    for task in tasks:
        if store.claim(task.key, owner):
            yield task
        else:
            skipped[0] += 1

def run_sweep(
    config: SweepConfig,
    store_path: str,
    workers: int = 1,
    scheduler: Any = None,
    progress: bool | TextIO = True,
    solver: Callable[[AnonymousGame], Any] | None = None,
    baselines: Callable[[AnonymousGame, GameTask], Any] | None = None,
    resume: bool = False,
) -> SweepSummary:
    """Run (or resume) a sweep into the SQLite store at ``store_path``.

    Parameters
    ----------
    config : SweepConfig
    store_path : str
        A new file, or an existing store with ``resume=True``.
    workers : int
        Local processes (1: in this process).  Ignored with ``scheduler``.
    scheduler : str or distributed.Client, optional
        Address of an existing Dask distributed scheduler (or a client).
    progress : bool or text stream
        Progress lines on stderr (or the given stream); False for silence.
    solver, baselines : callable, optional
        See :func:`evaluate_game`; must be picklable (module-level) for
        ``workers > 1`` or a scheduler.
    resume : bool
        Continue an existing store, skipping finished keys.

    Returns
    -------
    SweepSummary

    Examples
    --------
    >>> import os, tempfile
    >>> def solver(game):  # a stand-in for the doctest: any OptimumResult-like object
    ...     raise RuntimeError("no solver here")
    >>> path = os.path.join(tempfile.mkdtemp(), "s.sqlite")
    >>> s = run_sweep(SweepConfig(players=(2,), actions=(2,), games=2), path, progress=False, solver=solver)
    >>> s.written, s.errors
    (2, 2)
    """
    if not isinstance(workers, int) or workers < 1:
        raise SweepError(f"workers={workers!r}: expected an integer >= 1")
    import os
    import secrets

    if isinstance(scheduler, str):
        check_address(scheduler)
    store = _open(config, store_path, resume)
    t_start = time.perf_counter()
    owner = f"{os.getpid()}:{secrets.token_hex(8)}"
    try:
        done = {r.key for r in store.read() if r.status != "error"}
        all_tasks = [t for t in config.tasks() if t.key not in done]
        skipped_by_others = [0]
        tasks = _claimed(all_tasks, store, owner, skipped_by_others)
        skipped = len(config.tasks()) - len(all_tasks)
        stream = progress if hasattr(progress, "write") else sys.stderr
        bar = Progress(total=skipped + len(all_tasks), done=skipped, stream=stream, enabled=bool(progress))
        counts = {"written": 0, "errors": 0}

        def record(rec: GameRecord) -> None:
            store.write(rec)
            counts["written"] += 1
            counts["errors"] += rec.status == "error"
            bar.update(1)

        interrupted = False
        old_term = trap_sigterm()
        try:
            if scheduler is not None:
                run_dask(tasks, scheduler, evaluate_game, solver, baselines, record)
            elif workers == 1:
                for task in tasks:
                    record(evaluate_game(task, solver, baselines))
            else:
                run_pool(tasks, workers, evaluate_game, solver, baselines, record)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            restore_sigterm(old_term)
            store.release(owner)
        bar.close()
        skipped += skipped_by_others[0]
        wall = time.perf_counter() - t_start
        summary = SweepSummary(store_path, len(config.tasks()), skipped, counts["written"], counts["errors"], interrupted,
                               wall, workers, None if scheduler is None else str(getattr(scheduler, "scheduler", scheduler)))
        meta = store.meta()
        sweeps = list(meta.get("sweeps", []))
        sweeps.append({"config": config.to_json(), **summary.to_json(), "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
        store.set_meta({"sweeps": sweeps})
        return summary
    finally:
        store.close()
