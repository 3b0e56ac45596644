"""The KKT route's values: critical points, continua of critical points, one face's answer, the prepared EU polynomial."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint
import sympy

from exactgames.model.numberfield import NFElement, compare_elements
from exactgames.numbers.algebraic import RealAlgebraic, rational
from exactgames.optimize.point_signs import sign_at
from exactgames.optimize.polysolve import AlgebraicPoint, evaluate_at

METHOD = "exact KKT enumeration"


_SLICES = (Fraction(1, 3), Fraction(2, 7), Fraction(3, 5), Fraction(1, 11), Fraction(5, 7))


def _fmt(x: NFElement) -> str:
    """Short exact text for small numbers; a certified decimal ball for huge algebraic ones (certificate only)."""
    if x.is_rational or x.theta.degree <= 2:
        try:
            return str(x.expr())
        except ValueError:  # more digits than Python converts to text
            pass
    t = x.theta
    b = x.ball(256, t)
    for _ in range(16):
        if b.rad() < (abs(b.mid()) + 1) * flint.arb(10) ** -15:
            break
        t = t.refine((t.hi - t.lo) / 2**48)
        b = x.ball(256, t)
    return f"{b.str(15)} (algebraic, degree <= {x.theta.degree})"


@dataclass(frozen=True)
class KKTPoint:
    """A critical point of the EU on the relative interior of a face.

    Attributes
    ----------
    strategies : tuple of tuple of NFElement
        Exact probabilities, one strategy per orbit (zeros off the support),
        as elements of one number field ``Q(theta)``.
    value : NFElement
        Exact EU at the point.
    support : tuple of tuple of int
    kkt : bool
        True when the off-support conditions ``dF/dx[o][b] <= lambda_o`` hold
        (decided exactly); False for a critical point of the face that is not
        a KKT point of the whole product of simplices.
    """

    strategies: tuple[tuple[NFElement, ...], ...]
    value: NFElement
    support: tuple[tuple[int, ...], ...]
    kkt: bool = True

    def sympy_strategies(self) -> tuple[tuple[sympy.Expr, ...], ...]:
        """Exact probabilities: rationals, radicals, or polynomials in ONE ``CRootOf`` (the point's primitive element).

        Keeping every coordinate in the same number field ``Q(theta)`` lets
        later exact arithmetic (Nash gains, verdicts) test zero by reducing
        modulo theta's minimal polynomial instead of computing new minimal
        polynomials of sums of unrelated roots.
        """
        return tuple(tuple(p.expr() for p in s) for s in self.strategies)

    def describe(self, actions: Sequence[Sequence[str]]) -> str:
        parts = []
        for acts, s in zip(actions, self.strategies):
            parts.append(", ".join(f"{a}={_fmt(p)}" for a, p in zip(acts, s) if p.sign() != 0))
        return "; ".join(parts) + f" (EU {_fmt(self.value)})"


@dataclass(frozen=True)
class Continuum:
    """A positive-dimensional set of critical points on the relative interior of a face.

    Attributes
    ----------
    support : tuple of tuple of int
    whole_face : bool
        True when the EU is constant on the whole face (every point is critical).
    witnesses : tuple of KKTPoint
        Exact critical points of the open face on the continuum; the EU is
        constant on each connected component of critical points, so each
        witness's value is the value of its component.
    candidate_values : tuple of RealAlgebraic
        Real roots of critical-value polynomials: every value the EU takes at
        a real critical point of the open face on the continuum is among them
        (values of components proved to miss the open face are dropped).
    value_polynomial : str
        The product of those polynomials (in ``s``), for re-checking.
    excluded : tuple of str
        Critical components (and their values) proved to miss the open face,
        with the reason.
    """

    support: tuple[tuple[int, ...], ...]
    whole_face: bool
    witnesses: tuple[KKTPoint, ...]
    candidate_values: tuple[RealAlgebraic, ...] = ()
    value_polynomial: str = ""
    excluded: tuple[str, ...] = ()

    def unwitnessed(self) -> tuple[RealAlgebraic, ...]:
        seen = [w.value for w in self.witnesses]
        return tuple(v for v in self.candidate_values if all(compare_elements(NFElement.of(v), w) != 0 for w in seen))

    def describe(self, actions: Sequence[Sequence[str]]) -> str:
        sup = "; ".join("{" + ",".join(acts[k] for k in s) + "}" for acts, s in zip(actions, self.support))
        kind = "the whole face is critical (EU constant on it)" if self.whole_face else "a continuum of critical points"
        vals = ", ".join(_fmt(w.value) for w in self.witnesses) or "none witnessed"
        return f"support {sup}: {kind}; values attained: {vals}"


@dataclass(frozen=True)
class SupportResult:
    """What the KKT route found on one support combination.

    ``status`` is ``"solved"`` (``points`` and ``continua`` are complete),
    ``"timeout"`` or ``"unresolved"`` (a solver limit; ``reason`` says which), or
    ``"deferred"`` (more complex solutions than the caller's cap: no closed form derived).
    ``critical`` lists every critical point of the open face (KKT or not);
    ``points`` the KKT points among them.
    """

    support: tuple[tuple[int, ...], ...]
    status: str
    points: tuple[KKTPoint, ...] = ()
    critical: tuple[KKTPoint, ...] = ()
    continua: tuple[Continuum, ...] = ()
    route: str = ""
    reason: str = ""
    real_solutions: int = 0

    def to_json(self, actions: Sequence[Sequence[str]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "support": [[acts[k] for k in s] for acts, s in zip(actions, self.support)],
            "status": self.status,
            "route": self.route,
            "real_solutions": self.real_solutions,
            "critical_points_in_open_face": len(self.critical),
            "kkt_points": [p.describe(actions) for p in self.points],
            "rejected_off_support": len(self.critical) - len(self.points),
            "continua": [c.describe(actions) for c in self.continua],
        }
        if self.continua:
            out["continua_value_polynomials"] = [c.value_polynomial for c in self.continua]
            if any(c.excluded for c in self.continua):
                out["continua_excluded"] = [list(c.excluded) for c in self.continua]
        if self.reason:
            out["reason"] = self.reason
        if not self.critical and not self.continua and self.status == "solved":
            out["infeasible"] = True
        return out


@dataclass(frozen=True)
class _Prepared:
    F: flint.fmpq_mpoly
    dF: tuple[tuple[flint.fmpq_mpoly, ...], ...]
    offsets: tuple[int, ...]
    sizes: tuple[int, ...]
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    names: tuple[tuple[str, ...], ...] = field(default=())


def _classify(
    prep: _Prepared,
    support: tuple[tuple[int, ...], ...],
    images: list[flint.fmpq_mpoly],
    f: flint.fmpq_mpoly,
    pos: list[flint.fmpq_mpoly],
    off: list[flint.fmpq_mpoly],
    pt: AlgebraicPoint,
) -> KKTPoint | None:
    """The KKTPoint at ``pt`` if it lies in the open face (None otherwise); signs decided exactly."""
    for p in pos:
        if sign_at(p, pt) <= 0:
            return None
    kkt = all(sign_at(q, pt) <= 0 for q in off)
    strategies = []
    for o in range(len(support)):
        strat = []
        for a in range(prep.sizes[o]):
            img = images[prep.offsets[o] + a]
            strat.append(NFElement.of(rational(0)) if img.is_zero() else NFElement.make(pt.theta, evaluate_at(img, pt)))
        strategies.append(tuple(strat))
    value = NFElement.make(pt.theta, evaluate_at(f, pt))
    return KKTPoint(tuple(strategies), value, support, kkt)


def _same_point(a: KKTPoint, b: KKTPoint) -> bool:
    return all(compare_elements(p, q) == 0 for sa, sb in zip(a.strategies, b.strategies) for p, q in zip(sa, sb))


def _add_witness(witnesses: list[KKTPoint], kp: KKTPoint) -> None:
    """Keep one witness per value, preferring a KKT point."""
    same = [w for w in witnesses if compare_elements(w.value, kp.value) == 0]
    if not same:
        witnesses.append(kp)
    elif kp.kkt and not same[0].kkt:
        witnesses[witnesses.index(same[0])] = kp
