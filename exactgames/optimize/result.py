"""The result of a symmetric optimisation: one plain value shared by every route.

Both the exact KKT route and the certified branch and bound return an
:class:`OptimumResult`; the CLI, the LaTeX writer and the claims ledger read it.
It holds what the optimiser proves and nothing else: the verdicts on the
optimum (Nash, degenerate, locally optimal) are decided by the certify layer
and live in :class:`exactgames.certify.verdicts.Analysis`.

Other maximisers are :data:`Tie` values, one of two types: a
:class:`TiedPoint` (a P-invariant profile, one strategy per orbit) or a
:class:`TiedContinuum` (a set of maximisers on faces, described in words).

Examples
--------
>>> t = as_tie(((sympy.Rational(1, 2), sympy.Rational(1, 2)),))
>>> isinstance(t, TiedPoint), str(t)
(True, '((1/2, 1/2),)')
>>> c = as_tie("continuum: EU = 1 on the whole face {a,b} (every payoff there equals 1)")
>>> isinstance(c, TiedContinuum), c.possible, c.description
(True, False, 'EU = 1 on the whole face {a,b} (every payoff there equals 1)')
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Union

import flint
import sympy

from exactgames.optimize.certificate import Certificate

__all__ = ["OptimumResult", "Tie", "TiedPoint", "TiedContinuum", "as_tie", "decimal_of", "decimal_of_interval",
           "form_text", "interval_text"]


# --------------------------------------------------------------------------- ties: tied points and continua
class TiedPoint(tuple):
    """Another optimal P-invariant profile: one strategy (a tuple of exact probabilities) per orbit.

    A tuple, so it compares, sorts and prints as the profile itself (``((1, 0), (0, 1))``).
    """

    __slots__ = ()

    @property
    def strategies(self) -> tuple[tuple[Any, ...], ...]:
        """The strategy of each orbit."""
        return tuple(self)

    @property
    def support(self) -> tuple[tuple[int, ...], ...]:
        """Action indices with positive probability, per orbit."""
        return tuple(tuple(k for k, x in enumerate(s) if x != 0) for s in self)


class TiedContinuum(str):
    """A continuum of maximisers on faces (a whole face, or faces of subdivision cells), in words.

    A string, so it prints and compares as the description the routes have always given
    (``"continuum: EU = 1 on the whole face {a,b} ..."``); ``possible`` marks one the exact
    KKT route could not rule out (``"possible continuum: ..."``).
    """

    __slots__ = ()

    @property
    def possible(self) -> bool:
        """True when the continuum is only possible (not proved to attain the optimum)."""
        return self.startswith("possible continuum")

    @property
    def description(self) -> str:
        """The text after ``continuum:``."""
        return self.split(":", 1)[1].strip() if ":" in self else str(self)


#: one other maximiser: a tied point or a continuum on faces
Tie = Union[TiedPoint, TiedContinuum]


def as_tie(tie: Any) -> Tie:
    """A route's tie as a :data:`Tie`: a description becomes a :class:`TiedContinuum`, a profile a :class:`TiedPoint`.

    A single strategy (one orbit) is read as the profile of that orbit.

    Examples
    --------
    >>> as_tie((1, 0))
    ((1, 0),)
    >>> as_tie(3)
    Traceback (most recent call last):
    ...
    TypeError: a tie is a profile (one strategy per orbit) or a continuum's description, not 3
    """
    if isinstance(tie, (TiedPoint, TiedContinuum)):
        return tie
    if isinstance(tie, str):
        return TiedContinuum(tie)
    if isinstance(tie, (tuple, list)):
        profile = tuple(tie) if tie and isinstance(tie[0], (tuple, list)) else (tuple(tie),)
        return TiedPoint(tuple(s) if isinstance(s, list) else s for s in profile)
    raise TypeError(f"a tie is a profile (one strategy per orbit) or a continuum's description, not {tie!r}")


# --------------------------------------------------------------------------- display helpers (never sympy.N)
#: closed forms longer than this many characters are shown as decimal + degree + isolating interval in text
LONG_FORM = 120
#: the JSON fields an incomplete answer leaves null (nothing about them is proved)
UNPROVED_WHEN_INCOMPLETE = ("value", "value_float", "strategies", "strategies_float", "support", "mixed")


def decimal_of_interval(lo: Fraction, hi: Fraction, digits: int = 15) -> str:
    """The midpoint of a proved rational enclosure as a decimal with ``digits`` significant digits.

    Pure rational arithmetic (python-flint ``arb`` of the exact midpoint): no algebraic number is
    evaluated, so this is instant even for a degree-49 ``CRootOf`` whose enclosure is known.

    Examples
    --------
    >>> decimal_of_interval(Fraction(1, 3), Fraction(1, 3))
    '0.333333333333333'
    >>> decimal_of_interval(Fraction(0), Fraction(0))
    '0'
    """
    return flint.arb(flint.fmpq((lo + hi).numerator, (lo + hi).denominator * 2)).str(digits, radius=False)


def _exponent10(q: Fraction) -> int:
    """floor(log10 |q|) for q != 0, by integer arithmetic."""
    q = abs(q)
    e = len(str(q.numerator)) - len(str(q.denominator))
    while Fraction(10) ** e > q:
        e -= 1
    while Fraction(10) ** (e + 1) <= q:
        e += 1
    return e


def _fixed(q: Fraction, places: int, up: bool) -> str:
    """``q`` with ``places`` decimals, rounded down (``up`` False) or up: an outward-rounded endpoint."""
    n = q * 10**places
    i = math.ceil(n) if up else math.floor(n)
    sign, i = ("-" if i < 0 else ""), abs(i)
    if places == 0:
        return f"{sign}{i}"
    text = str(i).rjust(places + 1, "0")
    return f"{sign}{text[:-places]}.{text[-places:]}".rstrip("0").rstrip(".")


def interval_text(lo: Fraction, hi: Fraction, digits: int = 12) -> str:
    """A proved enclosure [lo, hi] in decimals rounded outward (still a proof), width added when it is not a point.

    Examples
    --------
    >>> interval_text(Fraction(1, 3), Fraction(1, 3))
    '1/3'
    >>> interval_text(Fraction(869, 1000) + Fraction(1, 7 * 10**6), Fraction(833, 625))
    '[0.86900014285, 1.3328] (width 0.464)'
    >>> interval_text(Fraction(2, 3) - Fraction(1, 10**31), Fraction(2, 3) + Fraction(1, 10**31))
    '[0.666666666666, 0.666666666667] (width 2.00e-31)'
    """
    if lo == hi:
        return str(lo)
    big = max(abs(lo), abs(hi))
    e = _exponent10(big) if big else 0
    places = min(max(digits - 1 - e, 0), 60)
    w = hi - lo
    width = flint.arb(flint.fmpq(w.numerator, w.denominator)).str(3, radius=False)
    return f"[{_fixed(lo, places, False)}, {_fixed(hi, places, True)}] (width {width})"


def decimal_of(x: Any, digits: int = 15) -> str | None:
    """A decimal of an exact real (rational, radical, ``CRootOf`` expression) from a rigorous ``arb`` ball.

    Uses the cached isolating intervals of ``CRootOf`` (python-flint balls), never ``sympy.N``; ``None``
    when the number cannot be enclosed (a free parameter, say).

    Examples
    --------
    >>> decimal_of(sympy.sqrt(2) - 1)
    '0.414213562373095'
    >>> decimal_of(sympy.Rational(1, 4)), decimal_of(sympy.Symbol("eps")) is None
    ('0.25', True)
    """
    from exactgames.model.exact import ExactError, to_arb

    e = sympy.sympify(x)
    if e.is_Rational:
        text = flint.arb(flint.fmpq(int(e.p), int(e.q))).str(digits, radius=False)
        return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text
    if e.free_symbols or e.has(sympy.nan):
        return None
    try:
        ball = to_arb(e, 4 * digits + 64)
    except ExactError:
        return None
    return ball.str(digits, radius=False)


def _float(q: Fraction) -> float | None:
    """``float(q)`` for display, ``None`` beyond the float range (never ``inf`` or ``nan`` in JSON)."""
    try:
        return float(q)
    except OverflowError:
        return None


def float_of(x: Any) -> float | None:
    """``float`` of an exact real via :func:`decimal_of` (display only); ``None`` when not enclosable."""
    text = decimal_of(x, 17)
    if text is None:
        return None
    f = float(text)
    return f if math.isfinite(f) else None


def players_text(orbit: Any) -> str:
    """1-based player numbers of an orbit, runs shortened: ``(0, 1, 2, 4)`` -> ``'1-3,5'``.

    Examples
    --------
    >>> players_text(range(50)), players_text((0, 2)), players_text((0, 1, 2, 4))
    ('1-50', '1,3', '1-3,5')
    """
    ps = sorted(int(i) + 1 for i in orbit)
    runs: list[list[int]] = []
    for p in ps:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ",".join(map(str, r)) for r in runs)


def _value_form(result: "OptimumResult", exact: bool) -> str:
    """The optimal value's closed form, or (long) decimal + degree + isolating interval of its minimal polynomial."""
    text = str(result.value)
    cert = result.certificate
    poly, iv = cert.get("optimal_value_polynomial"), cert.get("optimal_value_isolating_interval")
    if exact or len(text) <= LONG_FORM or not poly or not iv:
        return form_text(result.value, exact)
    degs = [int(d) for d in re.findall(r"v\^(\d+)", poly)] or [1]
    lo, hi = Fraction(iv[0]), Fraction(iv[1])
    return (f"{decimal_of_interval(*result.value_interval)} (algebraic of degree {max(degs)}: root of the minimal polynomial "
            f"optimal_value_polynomial in {interval_text(lo, hi, 15).split(' (')[0]}; full form with --exact or --json)")


def form_text(x: Any, exact: bool = False, limit: int = LONG_FORM) -> str:
    """An exact number for a reader: its closed form when short (or ``exact``), else decimal + field degree + interval.

    Examples
    --------
    >>> form_text(sympy.sqrt(2) - 1)
    '-1 + sqrt(2)'
    >>> r = sympy.CRootOf(sympy.Symbol("x") ** 5 - sympy.Symbol("x") - 1, 0)
    >>> form_text(r, limit=10)
    '1.16730397826142 (algebraic: degree-5 root of x**5 - x - 1 in [1.1673, 1.16731]; full form with --exact)'
    """
    text = str(x)
    if exact or len(text) <= limit:
        return text
    dec = decimal_of(x) or "?"
    roots = sorted(sympy.sympify(x).atoms(sympy.CRootOf), key=str)
    if len(roots) == 1:
        r = roots[0]
        iv = r._get_interval()
        poly = r.poly.as_expr()
        ptext = str(poly) if len(str(poly)) <= 60 else f"a {len(str(poly))}-character polynomial"
        where = f"root of {ptext} in {interval_text(Fraction(str(iv.a)), Fraction(str(iv.b)), 6).split(' (')[0]}"
        kind = "" if r == sympy.sympify(x) else "a polynomial in the "
        return f"{dec} (algebraic: {kind}degree-{r.poly.degree()} {where}; full form with --exact)"
    if sympy.sympify(x).is_Rational:
        return f"{dec} (rational, a {len(text)}-character fraction; full form with --exact)"
    return f"{dec} (algebraic, a {len(text)}-character closed form; full form with --exact)"


@dataclass(frozen=True)
class OptimumResult:
    """Global optimum among P-invariant profiles.

    Attributes
    ----------
    value : sympy.Expr
        Exact optimal expected utility (rational, radical or ``CRootOf``); when
        only an enclosure is proved, the midpoint of ``value_interval`` and
        ``value_exact`` is False.
    value_interval : (Fraction, Fraction)
        Proved enclosure of the optimal value, width at most 1e-30.
    orbits : tuple of tuple of int
        0-based players of each orbit (the CLI prints them from 1).
    actions : tuple of tuple of str
        Action names of each orbit.
    strategies : tuple of tuple of sympy.Expr
        The optimal strategy of each orbit, exact probabilities.
    support : tuple of tuple of int
        Action indices with positive probability, per orbit.
    mixed : bool
    value_exact : bool
    ties : tuple of Tie
        Other maximisers: :class:`TiedPoint` profiles (one strategy per orbit)
        and :class:`TiedContinuum` continua on faces (a route's plain tuples
        and descriptions are converted on construction).
    complete : bool
        True when the route finished and the answer is proved; False means
        the route ran out (``reason`` says why) and nothing is claimed.
    method : str
    certificate : Certificate
        The versioned data that re-proves the answer (a route's JSON object is
        converted on construction); ``exactgames verify`` checks it.

    The verdicts (Nash, degenerate, locally optimal) are not fields: the
    certify layer decides them, in :class:`exactgames.certify.verdicts.Analysis`.
    """

    value: sympy.Expr
    value_interval: tuple[Fraction, Fraction]
    orbits: tuple[tuple[int, ...], ...]
    actions: tuple[tuple[str, ...], ...]
    strategies: tuple[tuple[sympy.Expr, ...], ...]
    support: tuple[tuple[int, ...], ...]
    mixed: bool
    value_exact: bool = True
    ties: tuple[Tie, ...] = ()
    complete: bool = True
    method: str = ""
    reason: str = ""
    certificate: Certificate = field(default_factory=lambda: Certificate.of(None))

    def __post_init__(self) -> None:
        object.__setattr__(self, "ties", tuple(as_tie(t) for t in self.ties))
        object.__setattr__(self, "certificate", Certificate.of(self.certificate))

    def _verdict_flags(self) -> tuple[tuple[str, bool | None], ...]:
        """The verdicts shown beside the optimum (none here: :class:`~exactgames.certify.verdicts.Analysis` has them)."""
        return ()

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``exactgames optimize --json`` (keys fixed by the CLI contract)."""
        # exact algebraic values may have minimal polynomials with coefficients beyond
        # Python's default 4300-digit int-to-str limit; print them whole
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return self._to_json()
        finally:
            sys.set_int_max_str_digits(old)

    def _repr_latex_(self) -> str:
        """Jupyter display: the optimal strategy of each orbit and the exact value."""
        if not self.complete:
            lo, hi = self.value_interval
            return f"$\\text{{no proved optimum ({self.reason}); proved enclosure }} {interval_text(lo, hi).split(' (')[0]}$"

        def tex(x: Any) -> str:  # long closed forms as a decimal from a rigorous ball (never sympy.N)
            return sympy.latex(x) if len(str(x)) <= LONG_FORM else f"\\approx {decimal_of(x)}"

        parts = []
        for orb, acts, strat in zip(self.orbits, self.actions, self.strategies):
            who = "\\{" + players_text(orb) + "\\}"
            mix = ", ".join(f"\\text{{{a}}}: {tex(p)}" for a, p in zip(acts, strat) if p != 0)
            parts.append(f"s_{{{who}}} = ({mix})")
        flags = ", ".join(f"\\text{{{k}}}" for k, v in (("Nash", dict(self._verdict_flags()).get("nash")), ("mixed", self.mixed)) if v)
        value = sympy.latex(self.value) if len(str(self.value)) <= LONG_FORM else f"\\approx {self.value_decimal()}"
        return "$" + ";\\; ".join(parts) + f";\\quad EU^* = {value}" + (f"\\quad ({flags})" if flags else "") + "$"

    def _repr_html_(self) -> str:
        """Jupyter display: a short table (closed forms shortened, decimals from the proved enclosures)."""
        import html

        rows = [(k, v) for k, v in self.text_fields().items()]
        body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows)
        return f"<table>{body}</table>"

    def __repr__(self) -> str:
        """A short repr (the certificate is left out: ``to_json()["certificate"]`` holds it)."""
        if not self.complete:
            return f"{type(self).__name__}(complete=False, value_interval={interval_text(*self.value_interval)}, reason={self.reason!r})"
        strat = "; ".join(", ".join(f"{a}={form_text(p)}" for a, p in zip(acts, s) if p != 0)
                          for acts, s in zip(self.actions, self.strategies))
        flags = "".join(f"{k}={v}, " for k, v in self._verdict_flags())
        return (f"{type(self).__name__}(value={_value_form(self, False)}, strategies=({strat}), mixed={self.mixed}, "
                f"{flags}method={self.method!r})")

    def value_decimal(self) -> str | None:
        """The optimum as a decimal, from the proved enclosure (``None`` when nothing is proved)."""
        lo, hi = self.value_interval
        if not self.complete or lo > hi:
            return None
        return decimal_of_interval(lo, hi)

    def text_fields(self, exact: bool = False) -> dict[str, str]:
        """The answer as short readable lines (what ``exactgames optimize`` prints without ``--json``).

        Closed forms longer than :data:`LONG_FORM` characters are shown as a decimal, the degree and an
        isolating interval unless ``exact``; an incomplete answer says which fields are not proved.

        Examples
        --------
        >>> from exactgames.paper_games import robot_butlers
        >>> from exactgames.optimize import optimize
        >>> f = optimize(robot_butlers()).text_fields()
        >>> f["value"], f["orbit 1 (players 1-4)"]
        ('-16 + 16*sqrt(2) ~ 6.62741699796952', 'F=-1 + sqrt(2) ~ 0.414213562373095, D=2 - sqrt(2) ~ 0.585786437626905')
        """
        out: dict[str, str] = {}
        lo, hi = self.value_interval
        proved_interval = lo < hi or self.complete
        if not self.complete:
            out["status"] = "INCOMPLETE: only the enclosure below is proved"
            out["reason"] = self.reason
            out["value"] = "not proved (the optimum lies in the enclosure)"
            out["enclosure"] = interval_text(lo, hi) if proved_interval else "none proved"
            for k in ("strategies", "support", "mixed"):
                out[k] = "not proved"
            return out
        val = _value_form(self, exact)
        dec = decimal_of(self.value) if self.value.is_Rational else self.value_decimal()
        if self.value.is_Rational or dec is None:
            out["value"] = val if dec is None or dec == val else f"{val} ~ {dec}"
        else:
            out["value"] = f"{val} ~ {dec}" if not val.startswith(dec) else val
        if not self.value_exact:
            out["value"] += "   (midpoint of the proved enclosure; not exact)"
        out["enclosure"] = interval_text(lo, hi)
        for k, (orb, acts, strat) in enumerate(zip(self.orbits, self.actions, self.strategies)):
            parts = []
            for a, p in zip(acts, strat):
                if p == 0:
                    continue
                form = form_text(p, exact)
                d = decimal_of(p)
                parts.append(f"{a}={form}" if p.is_Rational or d is None or form.startswith(d) else f"{a}={form} ~ {d}")
            out[f"orbit {k + 1} (players {players_text(orb)})"] = ", ".join(parts) + (
                "" if self.value_exact else "   (a point of the proved maximiser's region; not the exact maximiser)")
        out["support"] = "; ".join("{" + ", ".join(acts[i] for i in sup) + "}" for acts, sup in zip(self.actions, self.support))
        return out

    def _verdicts_json(self) -> dict[str, bool | None]:
        """The verdict fields of the JSON: null here (the optimiser decides no verdict; ``analyze`` does)."""
        return {"nash": None, "degenerate": None, "locally_optimal_asymmetric": None}

    def _to_json(self) -> dict[str, Any]:
        lo, hi = self.value_interval
        if not self.complete:  # nothing is proved beyond value_interval: the other fields are null, and say so
            return {
                "value": None,
                "value_interval": [str(lo), str(hi)],
                "value_float": None,
                "orbits": [[i + 1 for i in o] for o in self.orbits],
                "strategies": None,
                "strategies_float": None,
                "support": None,
                "mixed": None,
                "nash": None,
                "degenerate": None,
                "locally_optimal_asymmetric": None,
                "value_exact": False,
                "complete": False,
                "unproved": list(UNPROVED_WHEN_INCOMPLETE) + ["nash", "degenerate", "locally_optimal_asymmetric"],
                "ties": [],
                "method": self.method,
                "reason": self.reason,
                "certificate": self.certificate.to_json(),
            }
        mid = (lo + hi) / 2
        return {
            "value": str(self.value),
            "value_interval": [str(lo), str(hi)],
            # display only, from the proved enclosure (never by evaluating the closed form)
            "value_float": _float(mid) if not self.value.free_symbols else None,
            "orbits": [[i + 1 for i in o] for o in self.orbits],
            "strategies": [
                {a: str(p) for a, p in zip(acts, strat)} for acts, strat in zip(self.actions, self.strategies)
            ],
            "strategies_float": [
                {a: float_of(p) for a, p in zip(acts, strat)} for acts, strat in zip(self.actions, self.strategies)
            ],
            "support": [[acts[k] for k in sup] for acts, sup in zip(self.actions, self.support)],
            "mixed": self.mixed,
            **self._verdicts_json(),
            "value_exact": self.value_exact,
            "complete": self.complete,
            "ties": [str(t) for t in self.ties],
            "method": self.method,
            "reason": self.reason,
            "certificate": self.certificate.to_json(),
        }
