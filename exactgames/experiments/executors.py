"""Execution back-ends of a sweep: a local process pool, a Dask cluster, their signals, and progress lines.

:func:`exactgames.experiments.sweep.run_sweep` evaluates games in its own
process, or hands them to one of the back-ends here.  Each back-end calls
``evaluate(task, solver, baselines)`` (:func:`~exactgames.experiments.sweep.evaluate_game`)
elsewhere and ``record`` on each finished game *in this process*, so only the
caller writes the results store.

* :func:`run_pool`: a ``concurrent.futures.ProcessPoolExecutor`` (``fork``
  where available) with a bounded window of games in flight; its workers
  ignore Ctrl-C, end on SIGTERM and die with their parent (Linux
  ``PR_SET_PDEATHSIG``), so no worker outlives its sweep.
* :func:`run_dask`: the same tasks on an existing Dask distributed cluster
  (:func:`check_address` refuses a malformed address before anything is
  created).
* :func:`trap_sigterm` / :func:`restore_sigterm`: while a sweep runs, SIGTERM
  stops it like Ctrl-C (a ``KeyboardInterrupt``), so pending work is
  cancelled cleanly.
* :class:`Progress`: games done / total, rate and time left on a stream.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> bar = Progress(total=2, stream=out, min_interval=0.0)
>>> bar.update(2); bar.close()
>>> out.getvalue().startswith("sweep: 2/2 games (100.0%)")
True
"""

from __future__ import annotations

import math
import multiprocessing
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, TextIO

from exactgames.model.exact import ExactError

if TYPE_CHECKING:
    from exactgames.experiments.store import GameRecord

__all__ = ["SweepError", "Progress", "run_pool", "run_dask", "check_address", "trap_sigterm", "restore_sigterm"]

class SweepError(ExactError):
    """A sweep configuration that cannot run (names the field and what was expected)."""


#: a :class:`~exactgames.experiments.sweep.GameTask` (the back-ends only pass it on to ``evaluate``)
Task = Any

#: ``evaluate(task, solver, baselines) -> GameRecord``, picklable (module-level): what a back-end runs per game
Evaluate = Callable[[Task, Any, Any], "GameRecord"]


@dataclass
class Progress:
    """Plain-text progress on a stream: games done / total, rate and time left.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress(total=4, done=1, stream=out, min_interval=0.0)
    >>> p.update(1); p.close()
    >>> "2/4 games" in out.getvalue()
    True
    """

    total: int
    done: int = 0
    stream: TextIO | None = None
    min_interval: float = 1.0
    enabled: bool = True
    _start: float = field(default_factory=time.perf_counter)
    _first: int = -1
    _last: float = 0.0

    def __post_init__(self) -> None:
        self._first = self.done
        if self.stream is None:
            self.stream = sys.stderr

    def line(self) -> str:
        el = time.perf_counter() - self._start
        new = self.done - self._first
        rate = new / el if el > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else float("nan")
        eta = time.strftime("%H:%M:%S", time.gmtime(left)) if math.isfinite(left) else "--:--:--"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        return f"sweep: {self.done}/{self.total} games ({pct:.1f}%)  {rate:.2f} games/s  elapsed {el:.0f}s  left {eta}"

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.perf_counter()
        if self.enabled and (now - self._last >= self.min_interval or self.done >= self.total):
            self._last = now
            tty = hasattr(self.stream, "isatty") and self.stream.isatty()
            self.stream.write(("\r" + self.line()) if tty else self.line() + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and hasattr(self.stream, "isatty") and self.stream.isatty():
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- signals
def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def trap_sigterm() -> Any:
    """Treat SIGTERM like Ctrl-C while a sweep runs (main thread only): stop cleanly, stop our workers."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, _raise_interrupt)


def restore_sigterm(old: Any) -> None:
    """Put back the SIGTERM handler that :func:`trap_sigterm` replaced (``old`` is what it returned)."""
    import signal

    if old is not None:
        signal.signal(signal.SIGTERM, old)


def _worker_signals(parent: int | None = None) -> None:
    """In a worker: Ctrl-C is the parent's business; SIGTERM (sent by the parent on interrupt) ends the worker,
    and so does the parent's death, even by SIGKILL (Linux ``PR_SET_PDEATHSIG``): no worker outlives its sweep."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):  # pragma: no cover
            pass
    if parent is not None and os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def _quiet_shutdown_threads() -> Any:
    """While a pool is torn down after Ctrl-C, its management thread may report cancelled futures
    (``InvalidStateError``); that is expected and must not print a thread traceback."""
    import threading
    from concurrent.futures import InvalidStateError

    old = threading.excepthook

    def hook(args: Any) -> None:
        if issubclass(args.exc_type, (InvalidStateError, KeyboardInterrupt, BrokenPipeError, EOFError, OSError)):
            return
        old(args)

    threading.excepthook = hook
    return old


def _worker_context() -> Any:
    """The start method of the pool's workers: ``fork`` where there is one."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else methods[0])


# --------------------------------------------------------------------------- back-ends
def run_pool(tasks: Iterable[Task], workers: int, evaluate: Evaluate, solver: Any, baselines: Any,
             record: Callable[[GameRecord], None]) -> None:
    """``record(evaluate(task, solver, baselines))`` for every task, on a pool of ``workers`` local processes.

    At most ``4 * workers`` games are in flight; ``record`` runs in this process as each finishes.  On any
    exception (Ctrl-C included) pending games are cancelled and the workers terminated, then it is re-raised.
    """
    import os

    ex = ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context(), initializer=_worker_signals,
                             initargs=(os.getpid(),))
    pending: set = set()
    try:
        it = iter(tasks)
        # keep a bounded window in flight so an interrupt cancels little and memory stays flat
        for task in it:
            pending.add(ex.submit(evaluate, task, solver, baselines))
            if len(pending) >= 4 * workers:
                break
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                record(fut.result())
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(ex.submit(evaluate, nxt, solver, baselines))
    except BaseException:
        _quiet_shutdown_threads()
        procs = list((getattr(ex, "_processes", None) or {}).values())
        for fut in pending:
            fut.cancel()
        for p in procs:
            p.terminate()  # our own worker processes, by handle: in-flight games are abandoned, nothing was written for them
        ex.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.join(5)
        raise
    ex.shutdown(wait=True)


def check_address(scheduler: str) -> None:
    """Refuse what cannot be a Dask scheduler address before anything is created."""
    import re


    if not re.fullmatch(r"((tcp|tls|inproc|ucx|ws|wss)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}", scheduler.strip()):
        raise SweepError(f"--scheduler {scheduler[:80]!r}: expected a Dask scheduler address such as tcp://127.0.0.1:8786")


def run_dask(tasks: Iterable[Task], scheduler: Any, evaluate: Evaluate, solver: Any, baselines: Any,
             record: Callable[[GameRecord], None]) -> None:
    """``record(evaluate(task, solver, baselines))`` for every task, on a Dask distributed cluster.

    ``scheduler`` is an address (a client is opened and closed here) or a ``distributed.Client``; on any
    exception the submitted futures are cancelled, then it is re-raised.
    """

    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover
        raise SweepError("--scheduler needs the 'distributed' package (pip install distributed)") from exc
    own = isinstance(scheduler, str)
    if own:
        check_address(scheduler)
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, ValueError, TypeError) as exc:  # TimeoutError is an OSError
            raise SweepError(f"--scheduler {scheduler[:80]!r}: cannot connect ({type(exc).__name__}: {str(exc)[:160]})") from None
    else:
        client = scheduler
    futures = []
    try:
        futures = client.map(evaluate, list(tasks), solver=solver, baselines=baselines, pure=False)
        for fut in as_completed(futures):
            record(fut.result())
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        if own:
            client.close()

