"""A wall-clock time limit for exact computations that may not return in time (sympy Groebner bases).

:class:`Deadline` carries the limit; :meth:`Deadline.check` raises
:class:`SolverTimeout` once it has passed, and :meth:`Deadline.guard`
interrupts an enclosed computation when it passes (``SIGALRM`` when called
from the main thread; otherwise the deadline is checked before and after).
The exact solver (:mod:`exactgames.optimize.polysolve`,
:mod:`exactgames.optimize.elimination`), the KKT route and the verdicts all
take one, so a ``time_limit`` is honoured inside sympy calls instead of
hanging.

Examples
--------
>>> Deadline().remaining() is None
True
>>> d = Deadline(0.0)
>>> d.check()
Traceback (most recent call last):
...
exactgames.optimize.deadline.SolverTimeout: time limit reached
>>> with Deadline(60.0).guard():
...     pass
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from dataclasses import dataclass, field
from typing import Iterator

__all__ = ["SolverTimeout", "Deadline"]


class SolverTimeout(Exception):
    """The time limit ran out inside the exact solver."""


@dataclass
class Deadline:
    """A wall-clock deadline (``None`` = no limit)."""

    limit: float | None = None
    start: float = field(default_factory=time.monotonic)

    def remaining(self) -> float | None:
        if self.limit is None:
            return None
        return self.limit - (time.monotonic() - self.start)

    def check(self) -> None:
        r = self.remaining()
        if r is not None and r <= 0:
            raise SolverTimeout("time limit reached")

    def affords(self, seconds: float, what: str = "the next step") -> None:
        """Raise :class:`SolverTimeout` at once when ``seconds`` (a predicted cost) exceed the time left.

        For single FLINT calls that no signal interrupts (a large exact ``charpoly`` or ``solve``): a step
        that cannot finish in time is not started.

        Examples
        --------
        >>> Deadline(10.0).affords(1.0)
        >>> Deadline(1.0).affords(5.0, "a charpoly")
        Traceback (most recent call last):
        ...
        exactgames.optimize.deadline.SolverTimeout: time limit: a charpoly would take about 5 s, 1 s left
        """
        r = self.remaining()
        if r is not None and seconds > r:
            raise SolverTimeout(f"time limit: {what} would take about {seconds:.2g} s, {max(r, 0):.2g} s left")

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        """Interrupt the enclosed computation when the deadline passes.

        Uses ``SIGALRM`` (an interval timer) in the main thread; elsewhere the
        deadline is only checked before and after the computation.  Any timer
        of the caller is cancelled while the guard is active.
        """
        self.check()
        r = self.remaining()
        if r is None or threading.current_thread() is not threading.main_thread():
            yield
            self.check()
            return

        def _alarm(signum: int, frame: object) -> None:
            raise SolverTimeout("time limit reached inside a sympy computation")

        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, max(r, 1e-3))
        try:
            yield
        finally:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:
                signal.signal(signal.SIGALRM, old)
