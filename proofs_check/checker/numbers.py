"""Bounded reading of certificates and the checker's exact primitives.

A certificate is untrusted input: every field is read through :class:`Field`,
which names the field in every refusal (``certificate.regions[2].radius:
expected an exact rational``) and caps what is parsed before any big-number
arithmetic (number length, precision, list lengths), so a forged certificate
gets a clean refusal within seconds instead of a traceback or a hang.

Examples
--------
>>> Field({"radius": "1/8", "prec": 320}, "certificate")["radius"].rational()
Fraction(1, 8)
>>> Field({"radius": "1e3000000000"}, "certificate")["radius"].rational()
Traceback (most recent call last):
...
proofs_check.checker.numbers.Reject: certificate.radius: expected an exact rational such as '3/4', got '1e3000000000'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from flint import arb, fmpq

__all__ = ["Reject", "Field", "CheckReport", "show", "MAX_NUMBER_CHARS", "MAX_PREC", "MAX_TOKENS"]

MAX_NUMBER_CHARS = 20_000     # digits of one rational (numerator and denominator together)
MAX_EXPR_CHARS = 2_000_000    # one exact expression (a closed form with a CRootOf)
MAX_PREC = 4096               # bits of the Krawczyk / value enclosures
MAX_TOKENS = 1_000_000        # subdivision tree tokens
MAX_LIST = 1_000_000          # any other list
MAX_DEPTH = 400               # subdivision depth

_RATIONAL = re.compile(r"\s*[+-]?\d+(\s*/\s*\d+)?\s*")
_DECIMAL = re.compile(r"\s*[+-]?\d+\.\d+\s*")


class Reject(Exception):
    """The certificate is refused; the message says which field and why."""


@dataclass(frozen=True)
class CheckReport:
    """Outcome of :func:`proofs_check.checker.check_certificate`.

    Attributes
    ----------
    ok : bool
        True when every check passed.
    errors : tuple of str
        What failed (empty when ok).
    checks : tuple of str
        What was verified.
    value_interval : (Fraction, Fraction) or None
        The optimum's value enclosure as recomputed by the checker.
    not_proved : tuple of str
        Fields of the result that ``verify`` does not prove (see the contract).
    """

    ok: bool
    errors: tuple[str, ...]
    checks: tuple[str, ...]
    value_interval: tuple[Fraction, Fraction] | None = None
    not_proved: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        vi = None if self.value_interval is None else [str(v) for v in self.value_interval]
        return {"ok": self.ok, "errors": list(self.errors), "checks": list(self.checks), "value_interval": vi,
                "not_proved": list(self.not_proved)}


def show(v: Fraction) -> str:
    """A rational for messages: exact when short, else a 15-digit decimal marked as such.

    Examples
    --------
    >>> show(Fraction(3, 4)), show(Fraction(10**40 + 1, 3 * 10**40))
    ('3/4', '~0.333333333333333')
    """
    t = str(v)
    return t if len(t) <= 24 else f"~{float(v):.15g}"


def _short(v: Any) -> str:
    t = repr(v)
    return t if len(t) <= 80 else t[:77] + "..."


class Field:
    """One JSON value of a certificate with its path, read with checks.

    Examples
    --------
    >>> f = Field({"tree": [[0, 1], ["p", "1/2"]]}, "cert")
    >>> [t.value for t in f["tree"].items()]
    [[0, 1], ['p', '1/2']]
    >>> f["tree"][1][1].rational(), f.get("missing") is None
    (Fraction(1, 2), True)
    >>> f["tree"][0][0].integer(0, 1), f["n"]
    Traceback (most recent call last):
    ...
    proofs_check.checker.numbers.Reject: cert.n: missing
    """

    __slots__ = ("value", "path")

    def __init__(self, value: Any, path: str) -> None:
        self.value = value
        self.path = path

    def __getitem__(self, key: str | int) -> "Field":
        if isinstance(key, str):
            if not isinstance(self.value, dict):
                raise Reject(f"{self.path}: expected an object, got {type(self.value).__name__}")
            if key not in self.value:
                raise Reject(f"{self.path}.{key}: missing")
            return Field(self.value[key], f"{self.path}.{key}")
        if not isinstance(self.value, list):
            raise Reject(f"{self.path}: expected a list, got {type(self.value).__name__}")
        if not 0 <= key < len(self.value):
            raise Reject(f"{self.path}: expected at least {key + 1} entries, got {len(self.value)}")
        return Field(self.value[key], f"{self.path}[{key}]")

    def has(self, key: str) -> bool:
        return isinstance(self.value, dict) and key in self.value and self.value[key] is not None

    def get(self, key: str) -> "Field | None":
        """The field ``key`` of an object, or None when absent or null."""
        if not isinstance(self.value, dict):
            raise Reject(f"{self.path}: expected an object, got {type(self.value).__name__}")
        return self[key] if self.value.get(key) is not None else None

    def obj(self) -> dict:
        if not isinstance(self.value, dict):
            raise Reject(f"{self.path}: expected an object, got {type(self.value).__name__}")
        return self.value

    def items(self, length: int | None = None, limit: int = MAX_LIST) -> list["Field"]:
        if not isinstance(self.value, list):
            raise Reject(f"{self.path}: expected a list, got {type(self.value).__name__}")
        if length is not None and len(self.value) != length:
            raise Reject(f"{self.path}: expected {length} entries, got {len(self.value)}")
        if len(self.value) > limit:
            raise Reject(f"{self.path}: {len(self.value)} entries, more than the limit {limit}")
        return [Field(v, f"{self.path}[{k}]") for k, v in enumerate(self.value)]

    def integer(self, lo: int, hi: int) -> int:
        v = self.value
        if isinstance(v, bool) or not isinstance(v, int):
            raise Reject(f"{self.path}: expected an integer, got {_short(v)}")
        if not lo <= v <= hi:
            raise Reject(f"{self.path}: {v} is outside [{lo}, {hi}]")
        return v

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            raise Reject(f"{self.path}: expected true or false, got {_short(self.value)}")
        return self.value

    def text(self, limit: int = MAX_EXPR_CHARS) -> str:
        if not isinstance(self.value, str):
            raise Reject(f"{self.path}: expected a string, got {_short(self.value)}")
        if len(self.value) > limit:
            raise Reject(f"{self.path}: a string of {len(self.value)} characters, more than the limit {limit}")
        return self.value

    def rational(self) -> Fraction:
        """An exact rational written as an integer, ``p/q`` or a plain decimal (no exponents)."""
        v = self.value
        if isinstance(v, int) and not isinstance(v, bool):
            return Fraction(v)
        if not isinstance(v, str):
            raise Reject(f"{self.path}: expected an exact rational such as '3/4', got {_short(v)}")
        if len(v) > MAX_NUMBER_CHARS:
            raise Reject(f"{self.path}: a number of {len(v)} characters, more than the limit {MAX_NUMBER_CHARS}")
        if _RATIONAL.fullmatch(v):
            num, _, den = v.partition("/")
            if den and int(den) == 0:
                raise Reject(f"{self.path}: division by zero in {_short(v)}")
            return Fraction(int(num), int(den)) if den else Fraction(int(num))
        if _DECIMAL.fullmatch(v):
            return Fraction(v.strip())
        raise Reject(f"{self.path}: expected an exact rational such as '3/4', got {_short(v)}")


# --------------------------------------------------------------------------- exact primitives
def q(v: Fraction) -> fmpq:
    """A Fraction as a python-flint rational."""
    return fmpq(v.numerator, v.denominator)


def frac(v: fmpq) -> Fraction:
    """A python-flint rational as a Fraction."""
    return Fraction(int(v.p), int(v.q))


def multinomial(c: tuple[int, ...]) -> int:
    """The multinomial coefficient of a count vector."""
    import math

    out, tot = 1, 0
    for k in c:
        tot += k
        out *= math.comb(tot, k)
    return out


def exact_of_arb(b: arb) -> Fraction:
    m, e = b.man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2**e) if e >= 0 else Fraction(m, 2 ** (-e))


def bounds(b: arb) -> tuple[Fraction, Fraction]:
    """Exact rational ends of an ``arb`` ball."""
    if not b.is_finite():
        raise Reject("non-finite enclosure")
    c, r = exact_of_arb(b.mid()), exact_of_arb(b.rad())
    return c - r, c + r


def ball(c: Fraction, r: Fraction) -> arb:
    """The ball ``[c - r, c + r]`` (outward rounded)."""
    x = arb(q(c))
    return x + arb(0, arb(q(r)).abs_upper()) if r else x


def positive_definite(a: list[list[Fraction]]) -> bool:
    """Exact LDL^T test of a symmetric rational matrix (Fraction or python-flint ``fmpq`` entries)."""
    k = len(a)
    if k == 2:  # Sylvester's criterion (leading principal minors positive), without a division
        return a[0][0] > 0 and a[0][0] * a[1][1] > a[0][1] * a[1][0]
    if k == 3:
        (p, q, r), (_, u, v), (_, _, w) = a
        m2 = p * u - q * q
        return p > 0 and m2 > 0 and m2 * w - p * v * v + 2 * q * r * v - r * r * u > 0
    m = [list(r) for r in a]
    for i in range(k):
        if m[i][i] <= 0:
            return False
        for r in range(i + 1, k):
            f = m[r][i] / m[i][i]
            for c in range(i, k):
                m[r][c] -= f * m[i][c]
    return True
