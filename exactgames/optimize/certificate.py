"""The certificate of an optimum: a typed, versioned value that reads and writes the JSON ``verify`` checks.

Every route of the optimiser records the data that re-proves its answer in one
:class:`Certificate`.  Its ``kind`` names the format and ends in the version
(``bnb-simplex-v1``, ``bnb-product-v1``, ``exactgames-optimum-v2``); the exact
KKT enumeration's own certificate carries no kind (it is only ever issued
inside an ``exactgames-optimum-v2`` one).  :meth:`Certificate.to_json` gives
the object ``exactgames optimize --json`` prints under ``"certificate"``,
key for key and in the same order, so every certificate already issued stays
checkable; :meth:`Certificate.from_json` reads one back.

A certificate is also a read-only mapping of its JSON fields
(``cert["bnb"]``, ``cert.get("winner")``, ``dict(cert)``), so code that reads
certificate fields reads them the same way whatever the route.

Examples
--------
>>> c = Certificate.from_json({"kind": "bnb-simplex-v1", "n": 2, "m": 2, "threshold": "1"})
>>> c.kind, c.family, c.version, c["n"]
('bnb-simplex-v1', 'bnb-simplex', 1, 2)
>>> c.to_json()
{'kind': 'bnb-simplex-v1', 'n': 2, 'm': 2, 'threshold': '1'}
>>> Certificate.from_json(c.to_json()) == c
True
>>> w = c.wrapped("exactgames-optimum-v2", generators=[[1, 0]])
>>> w.kind, w.bnb == c, list(w)
('exactgames-optimum-v2', True, ['kind', 'bnb', 'generators'])
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Certificate", "CertificateError", "KINDS", "RESULT_KIND"]

#: the kind of the certificate :func:`exactgames.optimize.optimize` issues (the route's own certificate inside it)
RESULT_KIND = "exactgames-optimum-v2"
#: every kind issued so far, each still readable (and checkable by ``exactgames verify``)
KINDS = ("bnb-simplex-v1", "bnb-product-v1", RESULT_KIND)
_BNB_KINDS = ("bnb-simplex-v1", "bnb-product-v1")
_VERSIONED = re.compile(r"^(?P<family>[a-z][a-z0-9-]*?)-v(?P<version>[1-9][0-9]*)$")


class CertificateError(ValueError):
    """A certificate's JSON is not one of the kinds issued so far (the message names the field)."""


@dataclass(frozen=True, eq=False)
class Certificate(Mapping):
    """The data that re-proves an optimum, with its versioned ``kind``.

    Attributes
    ----------
    kind : str or None
        ``family-vN``; None only for a route's inner certificate that never had one
        (the exact KKT enumeration's).
    fields : Mapping
        Every JSON field, ``kind`` included, in the order they are printed.
    """

    kind: str | None
    fields: Mapping[str, Any] = field(repr=False)

    def __post_init__(self) -> None:
        if self.kind is not None and not _VERSIONED.match(self.kind):
            raise CertificateError(f"certificate.kind: {self.kind!r} is not a versioned kind (family-vN)")
        if self.fields.get("kind") != self.kind:
            raise CertificateError(f"certificate.kind: {self.fields.get('kind')!r} differs from {self.kind!r}")

    # ------------------------------------------------------------------ construction and JSON
    @classmethod
    def of(cls, data: Certificate | Mapping[str, Any] | None) -> Certificate:
        """A certificate from what a route produced (a certificate, its JSON object, or nothing).

        Examples
        --------
        >>> Certificate.of(None).kind is None, len(Certificate.of({}))
        (True, 0)
        """
        if isinstance(data, Certificate):
            return data
        return cls.from_json({} if data is None else data)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Certificate:
        """Read a certificate object (as ``optimize --json`` prints it under ``"certificate"``).

        Raises
        ------
        CertificateError
            When ``data`` is not an object or its ``kind`` is not a string of the form ``family-vN``.

        Examples
        --------
        >>> Certificate.from_json({"kind": 3})
        Traceback (most recent call last):
        ...
        exactgames.optimize.certificate.CertificateError: certificate.kind: expected a string such as 'exactgames-optimum-v2', got 3
        """
        if not isinstance(data, Mapping):
            raise CertificateError(f"certificate: expected a JSON object, got {type(data).__name__}")
        kind = data.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise CertificateError(f"certificate.kind: expected a string such as {RESULT_KIND!r}, got {kind!r}")
        return cls(kind, {k: _plain(v) for k, v in data.items()})

    def to_json(self) -> dict[str, Any]:
        """The JSON object, field for field as it was issued (a new top-level object; nested values are shared)."""
        return dict(self.fields)

    # ------------------------------------------------------------------ the versioned kind
    @property
    def family(self) -> str | None:
        """The kind without its version (``bnb-product`` for ``bnb-product-v1``)."""
        m = _VERSIONED.match(self.kind or "")
        return m.group("family") if m else None

    @property
    def version(self) -> int | None:
        """The format version (1 for ``bnb-product-v1``)."""
        m = _VERSIONED.match(self.kind or "")
        return int(m.group("version")) if m else None

    @property
    def known(self) -> bool:
        """True for the kinds issued so far (:data:`KINDS`)."""
        return self.kind in KINDS

    # ------------------------------------------------------------------ parts
    @property
    def bnb(self) -> Certificate | None:
        """The branch-and-bound certificate: this one, or the part inside a result certificate (None: none)."""
        if self.kind in _BNB_KINDS:
            return self
        inner = self.fields.get("bnb")
        return Certificate.of(inner) if isinstance(inner, Mapping) else None

    @property
    def generators(self) -> list[list[int]] | None:
        """The recorded generators of P (0-based one-line images), or None."""
        g = self.fields.get("generators")
        return None if g is None else [list(p) for p in g]

    def wrapped(self, kind: str, **extra: Any) -> Certificate:
        """This certificate inside one of ``kind``: a branch-and-bound certificate goes under ``bnb``, others merge.

        ``extra`` fields are appended (``generators``, say); this is how
        :func:`~exactgames.optimize.optimize` stamps a route's certificate.
        """
        inner = dict(self.fields)
        if self.kind in _BNB_KINDS:
            inner = {"bnb": inner}
        inner.pop("kind", None)
        return Certificate(kind, {"kind": kind, **inner, **extra})

    def with_fields(self, **extra: Any) -> Certificate:
        """A copy with ``extra`` fields set (appended when new, kept in place when present).

        Examples
        --------
        >>> list(Certificate.of({"kind": "bnb-product-v1", "a": 1}).with_fields(verdicts={}, a=2).items())
        [('kind', 'bnb-product-v1'), ('a', 2), ('verdicts', {})]
        """
        return Certificate(self.kind, {**self.fields, **extra})

    # ------------------------------------------------------------------ read-only mapping of the JSON fields
    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self.fields) == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a mapping of JSON data is not hashable

    def __repr__(self) -> str:
        return f"Certificate(kind={self.kind!r}, fields={sorted(self.fields)})"


def _plain(x: Any) -> Any:
    """JSON data with every :class:`Certificate` kept in an object's field (a route's, inside another) as its JSON object."""
    if isinstance(x, Certificate):
        return {k: _plain(v) for k, v in x.fields.items()}
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    return x  # lists (subdivision trees, regions) hold no certificate: not walked
