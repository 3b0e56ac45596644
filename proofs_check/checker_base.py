"""Exact primitives shared by the independent certificate checkers.

:mod:`proofs_check.checker` (one simplex) and :mod:`proofs_check.checker_product`
(a product of simplices) both use these; like them, this module imports only
python-flint and the standard library, never the optimiser.

Examples
--------
>>> _F("3/4") + 1, _posdef([[Fraction(2), Fraction(1)], [Fraction(1), Fraction(2)]])
(Fraction(7, 4), True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb, fmpq

__all__ = ["CheckReport"]


@dataclass(frozen=True)
class CheckReport:
    """Outcome of :func:`check_certificate`.

    Attributes
    ----------
    ok : bool
        True when every check passed.
    errors : tuple of str
        What failed (empty when ok).
    checks : tuple of str
        What was verified.
    value_interval : (Fraction, Fraction) or None
        The winner's value enclosure as recomputed by the checker.
    """

    ok: bool
    errors: tuple[str, ...]
    checks: tuple[str, ...]
    value_interval: tuple[Fraction, Fraction] | None = None

    def to_json(self) -> dict[str, Any]:
        vi = None if self.value_interval is None else [str(v) for v in self.value_interval]
        return {"ok": self.ok, "errors": list(self.errors), "checks": list(self.checks), "value_interval": vi}


class _Reject(Exception):
    pass


def _F(text: Any) -> Fraction:
    try:
        return Fraction(str(text))
    except (ValueError, ZeroDivisionError):
        raise _Reject(f"not an exact rational: {text!r}") from None


def _q(v: Fraction) -> fmpq:
    return fmpq(v.numerator, v.denominator)


def _multi(c: tuple[int, ...]) -> int:
    out, tot = 1, 0
    for k in c:
        tot += k
        out *= math.comb(tot, k)
    return out


def _frac(v: fmpq) -> Fraction:
    return Fraction(int(v.p), int(v.q))


def _exact(b: arb) -> Fraction:
    m, e = b.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def _bounds(b: arb) -> tuple[Fraction, Fraction]:
    if not b.is_finite():
        raise _Reject("non-finite enclosure")
    c, r = _exact(b.mid()), _exact(b.rad())
    return c - r, c + r


def _ball(c: Fraction, r: Fraction) -> arb:
    x = arb(_q(c))
    return x + arb(0, arb(_q(r)).abs_upper()) if r else x


def _posdef(a: list[list[Fraction]]) -> bool:
    k = len(a)
    m = [list(r) for r in a]
    for i in range(k):
        if m[i][i] <= 0:
            return False
        for r in range(i + 1, k):
            f = m[r][i] / m[i][i]
            for c in range(i, k):
                m[r][c] -= f * m[i][c]
    return True
