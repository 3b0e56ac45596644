"""The independent certificate checker behind ``exactgames verify``.

This package imports only :mod:`exactgames.model` (games, exact numbers, the
number field), python-flint and sympy, never ``exactgames.optimize``,
``exactgames.certify`` or ``exactgames.symmetry`` (a test checks
``sys.modules`` in a fresh process): a bug in the optimiser cannot hide itself
by being shared with its checker.  Everything is recomputed from the game.

The soundness contract
----------------------
For a result of ``exactgames optimize --json`` (any certificate kind issued so
far: ``bnb-simplex-v1``, ``bnb-product-v1``, the API wrapper with a ``bnb``
part, the exact KKT enumeration, ``exactgames-optimum-v2``, and parametric
regimes), ``verify`` accepts only when it has proved, from the game alone:

``orbits``
    the orbits of a group of symmetries of the game: every recorded generator
    is checked exactly on the payoff table (older certificates without
    generators: transpositions inside each orbit are tried), and the
    optimisation is over profiles constant on exactly those orbits (the
    checker builds the EU polynomial of those orbits itself).
``value_interval``
    contains the maximum M of the EU over those profiles.  The upper bound
    comes from a subdivision covering the product of simplices (replayed from
    the certificate, or built by the checker when the certificate has none):
    every cell is strictly below a threshold that is at most a proved lower
    bound of the winner, or has every Bernstein coefficient at most the exact
    attained value, or lies in a proved region.  No cell is pruned against a
    value the winner is not proved to reach.
``value``, ``optimal_value_polynomial``, ``optimal_value_root_index``, ``optimal_value_isolating_interval``
    when ``value_exact`` is true: the claimed number equals M exactly (equal
    in one number field, or the claimed root of the claimed polynomial, alone
    in its isolating interval).  When ``value_exact`` is false, ``value`` is
    only checked to lie in ``value_interval``.
``strategies``
    exactly probability vectors (non-negative, summing to 1, every action of
    the orbit listed) with EU exactly M; for a region winner, exactly its
    critical point (zero reduced gradient, inside the Krawczyk box, where the
    maximiser is unique).  When ``value_exact`` is false they need only lie
    in the Krawczyk box.
``support``, ``mixed``
    equal to the support of ``strategies`` (and of the winner region).
``ties`` (tied points and continua)
    every claimed tie is exactly a maximiser; every maximiser the proof finds
    (tied regions, points and faces of the weakly pruned cells where every
    coefficient equals M) is reported: points among the ties, positive-
    dimensional faces in a ``continuum`` entry whose face (``{a,b}``) carries
    EU identically M, or as recorded ``maximiser_faces``.
``complete``
    must be true: an incomplete answer claims nothing beyond its enclosure and
    is refused.
Optima over automorphism-invariant profiles (``automorphism-invariant-v1``, ``optimize --automorphisms``)
    every generator over players and actions is verified exactly on the payoff
    table, the invariant subspace (player orbits, blocks) is derived from them,
    the EU on it rebuilt from the payoffs and the reduced optimum proved as
    above (:mod:`proofs_check.checker.automorphism`); ``value`` and the lifted
    ``profile`` are checked exactly.  That the generators generate the whole
    automorphism group (``subgroup: all``) is not proved.
Sequential results (``sequential-symmetric-v1``, from ``.efg`` / ``.dpomdp``)
    the behaviour-strategy polynomial is rebuilt from the tree
    (:mod:`proofs_check.checker.tree`), classes marked free are proved not to
    matter, and the same proof applies; for results certified by a team bound
    (``sequential-team-bound-v1``) the team optimum over all pure profiles is
    recomputed and must equal the claimed symmetric policy's exact value.

Not proved by ``verify`` (and listed as such in its output): ``nash``,
``degenerate``, ``locally_optimal_asymmetric`` and the ``verdicts`` block (use
``exactgames check``), ``method``, ``reason``, ``value_float`` and timing
fields.  For parametric results each regime is proved at its rational sample
point and at rational closed endpoints; that the optimum keeps its form
between them is not proved by ``verify``.

Examples
--------
>>> from exactgames.model.game import Game
>>> taxi = Game.from_common([["H", "W"]] * 2, {("H", "W"): 1, ("W", "H"): 1})
>>> claim = {"value": "1/2", "value_interval": ["1/2", "1/2"], "orbits": [[1, 2]],
...          "strategies": [{"H": "1/2", "W": "1/2"}], "support": [["H", "W"]], "mixed": True,
...          "value_exact": True, "complete": True, "ties": [], "certificate": {}}
>>> check_certificate(taxi, claim).ok
True
>>> check_certificate(taxi, {**claim, "value": "1"}).errors
('value: the claimed 1 differs from the exact 1/2',)
"""

from __future__ import annotations

import sys
from typing import Any

from proofs_check.checker.certificate import KINDS, NOT_PROVED, RESULT_KINDS, _root
from proofs_check.checker.numbers import CheckReport, Reject
from proofs_check.checker.optimum import check_optimum
from proofs_check.checker.parametric import check_parametric

__all__ = ["CheckReport", "check_certificate", "NOT_PROVED", "KINDS"]


def check_certificate(game: Any, result: Any) -> CheckReport:
    """Re-verify an ``exactgames optimize`` result from scratch (see the soundness contract above).

    Parameters
    ----------
    game : Game or AnonymousGame
        The game the result claims to be about (parameters substituted, as with ``--set``).
    result : OptimumResult, or its ``to_json()`` dict, or a parametric result's JSON
        Any certificate kind issued so far.

    Returns
    -------
    CheckReport
        ``ok`` True only when every proved field re-verifies; ``not_proved``
        lists the fields verify does not prove.

    Examples
    --------
    >>> from exactgames.model.game import AnonymousGame
    >>> from exactgames.optimize.bnb import certified_optimum
    >>> g = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 2, (2, 1): 0, (1, 2): 1, (0, 3): 0})
    >>> data = certified_optimum(g).to_json()
    >>> check_certificate(g, data).ok
    True
    >>> data["certificate"]["tree"] = data["certificate"]["tree"][:-1]
    >>> check_certificate(g, data).errors
    ('subdivision tree ends early: some cells are missing',)
    """
    checks: list[str] = []
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)  # rationals are length-capped before conversion
    try:
        data = result.to_json() if hasattr(result, "to_json") else result
        if not isinstance(data, dict):
            raise Reject(f"the result must be a JSON object, got {type(data).__name__}")
        if data.get("kind") == "sequential-symmetric-v1":
            from proofs_check.checker.tree import check_tree

            vi, extra = check_tree(game, _root(data), checks, check_optimum)
            return CheckReport(True, (), tuple(checks), vi, extra)  # its own list (proofs_check.checker.tree)
        if data.get("kind") in RESULT_KINDS:  # optimize --automorphisms (issue 15)
            from proofs_check.checker.automorphism import check_automorphism

            vi, extra = check_automorphism(game, _root(data), checks, check_optimum)
            return CheckReport(True, (), tuple(checks), vi, NOT_PROVED + extra)
        if "regimes" in data:
            vi = check_parametric(game, _root(data), checks)
        else:
            vi = check_optimum(game, _root(data), checks)
        return CheckReport(True, (), tuple(checks), vi, NOT_PROVED)
    except Reject as exc:
        return CheckReport(False, (str(exc),), tuple(checks), None, NOT_PROVED)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, ZeroDivisionError, OverflowError,
            RecursionError, MemoryError) as exc:
        return CheckReport(False, (f"malformed certificate: {type(exc).__name__}: {str(exc)[:200]}",), tuple(checks), None,
                           NOT_PROVED)
    except Exception as exc:  # noqa: BLE001 - sympy / flint raise many kinds on forged input
        name = type(exc).__name__
        if name in ("ExactError", "PolynomialError", "CoercionFailed", "NotAlgebraic", "SympifyError", "GeneratorsNeeded",
                    "DomainError", "NotInvertible", "ComputationFailed"):
            return CheckReport(False, (f"malformed certificate: {name}: {str(exc)[:200]}",), tuple(checks), None, NOT_PROVED)
        raise
    finally:
        sys.set_int_max_str_digits(old)


