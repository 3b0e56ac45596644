"""Subdivision of the product of simplices: replay of a recorded tree, and the checker's own search.

Tokens (one per node, depth first): ``[factor, p, q]`` bisects the edge
``p``-``q`` of one factor's simplex (left child keeps vertex p, moves q to the
midpoint); ``["p", bound]`` prunes a cell whose largest tensor Bernstein
coefficient is strictly below the threshold (and equals ``bound``);
``["w"]`` prunes it weakly (every coefficient at most the attained value);
``["r", k]`` says the cell lies inside region k.  Bernstein coefficients are
recomputed here from the polynomial with a blossom formula for edge bisection
(``N'_c = 2^(n_i - k) sum_l C(k, l) N_d``, integer numerators), not with the
optimiser's de Casteljau rounds.  The tree must be consumed exactly, so its
leaves cover the product of simplices.

:func:`search` builds such a tree itself (for results that carry none, such
as an exact KKT enumeration or a parametric regime's sample point); the tree
it builds is then replayed by :func:`replay` like any other.

Examples
--------
>>> from exactgames.model.game import Game
>>> from proofs_check.checker.polynomial import Setup
>>> st = Setup(Game.from_common([["a", "b"]] * 2, {("a", "a"): 2, ("b", "b"): 1}), [[0, 1]])
>>> tree = search(st, Fraction(2), Fraction(2), [], max_tokens=1000)
>>> rep = replay(tree, st, Fraction(2), Fraction(2), [])
>>> rep.pruned + rep.weak + sum(rep.in_region.values()) == rep.leaves, rep.level
(True, [(((Fraction(1, 1), Fraction(0, 1)),),)])
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from flint import fmpq

from proofs_check.checker.numbers import MAX_DEPTH, MAX_TOKENS, Field, Reject, multinomial, show
from proofs_check.checker.polynomial import Setup, count_keys
from proofs_check.checker.regions import Region

__all__ = ["Replay", "replay", "search"]


@dataclass
class Replay:
    """What a replay proved: how each leaf was closed, and the maximiser faces of the weakly pruned cells."""

    leaves: int = 0
    pruned: int = 0
    weak: int = 0
    in_region: dict = field(default_factory=dict)
    level: list = field(default_factory=list)


class _Cells:
    """Integer-numerator tensor Bernstein coefficients and the bisection plans."""

    def __init__(self, st: Setup) -> None:
        self.st = st
        self.keys = list(itertools.product(*(count_keys(n, m) for n, m in zip(st.sizes, st.ms))))
        self.pos = {k: j for j, k in enumerate(self.keys)}
        bern = {}
        for e, c in st.f.terms():
            key = st.split_key(e, [list(range(m)) for m in st.ms])
            bern[key] = c / math.prod(multinomial(k) for k in key)
        den = 1
        for v in bern.values():
            den = den * int(v.q) // math.gcd(den, int(v.q))
        self.den = den
        self.root = [int((bern.get(k, fmpq(0)) * den).p) for k in self.keys]
        self.plans: dict = {}

    def plan(self, i: int, p: int, q: int) -> list:
        if (i, p, q) not in self.plans:
            n = self.st.sizes[i]
            out = []
            for key in self.keys:
                c = key[i]
                k = c[q]
                src = []
                for l_ in range(k + 1):
                    d = list(c)
                    d[q] = l_
                    d[p] = c[p] + k - l_
                    src.append((self.pos[key[:i] + (tuple(d),) + key[i + 1:]], math.comb(k, l_)))
                out.append((2 ** (n - k), src))
            self.plans[(i, p, q)] = out
        return self.plans[(i, p, q)]

    def _codes(self) -> tuple | None:
        """Integer codes of the keys (base ``N + 1`` digits, all factors' counts concatenated), sorted, with the count
        matrix; None when they would not fit in 62 bits (then the dictionary plans are used)."""
        if "codes" not in self.plans:
            flat = [sum(k, ()) for k in self.keys]
            width = len(flat[0]) if flat else 0
            base = max(self.st.sizes) + 1
            if base**width >= 2**62:
                self.plans["codes"] = None
            else:
                C = np.array(flat, dtype=np.int64).reshape(len(flat), width)
                weights = base ** np.arange(width, dtype=np.int64)
                codes = C @ weights
                order = np.argsort(codes)
                self.plans["codes"] = (C, weights, codes, order, codes[order])
        return self.plans["codes"]

    def arrays(self, i: int, p: int, q: int) -> list:
        """:meth:`plan` as index arrays, one triple ``(targets, sources, weights)`` per term ``l`` of the sum.

        Built with integer codes of the keys when they fit (the same blossom terms as :meth:`plan`, which is
        the definition: ``tests/proofs_check`` compares the two), else from :meth:`plan`.
        """
        key = ("arrays", i, p, q)
        if key not in self.plans and self._codes() is not None:
            C, weights, codes, order, sorted_codes = self._codes()
            off = sum(self.st.ms[:i])
            cp, cq = off + p, off + q
            n = self.st.sizes[i]
            k = C[:, cq]
            table = [[math.comb(kk, l_) * 2 ** (n - kk) for l_ in range(kk + 1)] for kk in range(n + 1)]
            out = []
            for l_ in range(n + 1):
                sel = np.nonzero(k >= l_)[0]
                ks = k[sel]
                # source key: count l_ on q, c_p + c_q - l_ on p
                src_codes = codes[sel] + (l_ - ks) * weights[cq] + (ks - l_) * weights[cp]
                src = order[np.searchsorted(sorted_codes, src_codes)]
                wa = np.empty(len(sel), dtype=object)
                wa[:] = [table[kk][l_] for kk in ks.tolist()]
                out.append((sel.astype(np.int64), src.astype(np.int64), wa))
            self.plans[key] = out
        if key not in self.plans:
            terms: dict = {}
            for t, (sc, src) in enumerate(self.plan(i, p, q)):
                for l_, (j, b) in enumerate(src):
                    terms.setdefault(l_, ([], [], []))
                    terms[l_][0].append(t)
                    terms[l_][1].append(j)
                    terms[l_][2].append(sc * b)
            out = []
            for tg, sr, w in terms.values():
                wa = np.empty(len(w), dtype=object)
                wa[:] = w
                out.append((np.array(tg, dtype=np.int64), np.array(sr, dtype=np.int64), wa))
            self.plans[key] = out
        return self.plans[key]

    def bisect(self, coef: Any, i: int, keep: int, move: int) -> np.ndarray:
        """The blossom sums of :meth:`plan`, one vectorised term at a time (each key once per term)."""
        c = coef if isinstance(coef, np.ndarray) else np.array(coef, dtype=object)
        out = np.zeros(len(self.keys), dtype=object)
        for tg, sr, w in self.arrays(i, keep, move):
            out[tg] += c[sr] * w
        return out

    def root_verts(self) -> list:
        return [[tuple(Fraction(int(a == b)) for b in range(m)) for a in range(m)] for m in self.st.ms]

    def children(self, coef: list, e: int, verts: list, i: int, p: int, q: int) -> tuple:
        vs = verts[i]
        mid = tuple((a + b) / 2 for a, b in zip(vs[p], vs[q]))
        va, vb = list(vs), list(vs)
        va[q] = mid
        vb[p] = mid
        left = [list(x) for x in verts]
        right = [list(x) for x in verts]
        left[i], right[i] = va, vb
        e2 = e * 2 ** self.st.sizes[i]
        return (self.bisect(coef, i, p, q), e2, left), (self.bisect(coef, i, q, p), e2, right)

    def cone(self, coef: list, e: int, verts: list, i: int, lam: list[Fraction]) -> list:
        """Stellar split of factor i's simplex at ``y = sum_k lam_k v_k``: one child per ``lam_j > 0``, v_j replaced by y.

        The children cover the cell (each point's segment from y, extended, leaves the simplex through a facet
        not containing y) and overlap only on boundaries.  A child's coefficient of key c is the blossom with
        the ``c_j`` copies of ``v_j`` replaced by y, expanded by multi-affinity:
        ``N'_c = L^(n_i - c_j) sum_d multinomial(c_j; d) prod_k mu_k^(d_k) N_(c - c_j e_j + d)`` with
        ``lam = mu / L`` (integers), the scale multiplied by ``L^(n_i)``.  Midpoint bisection is the case
        ``lam = (1/2, 1/2)`` on an edge.
        """
        n = self.st.sizes[i]
        L = math.lcm(*(x.denominator for x in lam))
        mu = [int(x * L) for x in lam]
        sup = [k for k, x in enumerate(mu) if x]
        y = tuple(sum((lam[k] * verts[i][k][a] for k in sup), Fraction(0)) for a in range(len(verts[i][0])))
        codes = self._codes()
        if codes is not None:  # the same sums, vectorised over the keys sharing c_j = k, one term d at a time
            C, weights, kcodes, order, sorted_codes = codes
            off = sum(self.st.ms[:i])
            c_arr = coef if isinstance(coef, np.ndarray) else np.array(coef, dtype=object)
            out = []
            for j in sup:
                col = C[:, off + j]
                new = np.zeros(len(self.keys), dtype=object)
                for k in range(n + 1):
                    tg = np.nonzero(col == k)[0]
                    if not len(tg):
                        continue
                    base = kcodes[tg] - k * weights[off + j]
                    for d in count_keys(k, len(sup)):
                        w = L ** (n - k) * multinomial(d) * math.prod(mu[s_] ** x for s_, x in zip(sup, d))
                        src = base + sum(int(x) * weights[off + s_] for s_, x in zip(sup, d))
                        new[tg] += c_arr[order[np.searchsorted(sorted_codes, src)]] * w
                vs = [list(x) for x in verts]
                vs[i][j] = y
                out.append((new, e * L ** n, vs))
            return out
        comps: dict = {}
        out = []
        for j in sup:
            new = []
            for key in self.keys:
                c = key[i]
                k = c[j]
                if k not in comps:
                    comps[k] = [(d, multinomial(d) * math.prod(mu[s_] ** x for s_, x in zip(sup, d)))
                                for d in count_keys(k, len(sup))]
                tot = 0
                base = list(c)
                base[j] = 0
                for d, w in comps[k]:
                    src = list(base)
                    for s_, x in zip(sup, d):
                        src[s_] += x
                    tot += w * coef[self.pos[key[:i] + (tuple(src),) + key[i + 1:]]]
                new.append(L ** (n - k) * tot)
            vs = [list(x) for x in verts]
            vs[i][j] = y
            out.append((new, e * L ** n, vs))
        return out

    def supports(self) -> list:
        """Per key, one bitmask per factor: the cell vertices its count vectors put mass on."""
        if not hasattr(self, "_supp"):
            self._supp = [tuple(sum(1 << a for a, k in enumerate(c) if k) for c in key) for key in self.keys]
        return self._supp

    def level_faces(self, coef: list, target: int, verts: list) -> list:
        """Maximal faces of a cell on which every tensor Bernstein coefficient supported there equals ``target``.

        A face is a product of one non-empty vertex set per factor; a key is supported on it when each factor's
        count vector is zero off the face.  Being such a level face is inherited by sub-faces, so the maximal
        ones are found by branching on the keys that differ from ``target``: while one (``s``) is supported on
        the current face F, every level face inside F misses a vertex of ``s``, and the branches remove each
        vertex of ``s`` in turn (the vertices of ``s`` before it kept, so no face is reached twice).  The cost
        follows the number of faces visited, not the ``2^m`` sub-faces of an m-vertex simplex.

        Examples
        --------
        >>> from exactgames.model.game import Game
        >>> from proofs_check.checker.polynomial import Setup
        >>> st = Setup(Game.from_common([["a", "b", "c"]] * 2, {(x, y): int("c" not in (x, y)) for x in "abc" for y in "abc"}),
        ...            [[0, 1]])
        >>> cells = _Cells(st)
        >>> [[[str(x) for x in v] for v in f[0]] for f in cells.level_faces(cells.root, cells.den, cells.root_verts())]
        [[['0', '1', '0'], ['1', '0', '0']]]
        """
        nf = len(self.st.ms)
        supp = self.supports()
        if target not in coef:
            return []
        bad = list({supp[j] for j, c in enumerate(coef) if c != target})
        full = tuple((1 << m) - 1 for m in self.st.ms)
        found: list = []

        def within(a: tuple, b: tuple) -> bool:
            return all(x & ~y == 0 for x, y in zip(a, b))

        stack = [(full, tuple(0 for _ in full))]
        while stack:
            face, forced = stack.pop()
            if any(within(face, f) for f in found):
                continue  # every level face inside it lies in a face already found
            best = None
            for s in bad:
                if within(s, face):
                    free = sum(bin(x & ~y).count("1") for x, y in zip(s, forced))
                    if best is None or free < best[0]:
                        best = (free, s)
                        if free <= 1:
                            break
            if best is None:
                found = [f for f in found if not within(f, face)] + [face]
                continue
            s = best[1]
            kept = list(forced)
            for i in range(nf):
                rest = s[i] & ~forced[i]
                while rest:
                    bit = rest & -rest
                    rest ^= bit
                    if face[i] & ~bit:
                        child = face[:i] + (face[i] & ~bit,) + face[i + 1:]
                        stack.append((child, tuple(kept)))
                    kept[i] |= bit
        out = sorted(found, key=lambda fc: (-sum(bin(x).count("1") for x in fc), [-x for x in fc]))
        return [tuple(tuple(sorted(verts[i][p] for p in range(self.st.ms[i]) if fc[i] >> p & 1)) for i in range(nf))
                for fc in out]


MAX_CONES = 1_000   # stellar split tokens in one tree
MAX_CONE_DENOMINATOR = 10**12


def _cone_token(tok: list, st: Setup, where: str) -> tuple[int, list[Fraction]]:
    """``["c", factor, [lam_0, ..., lam_(m-1)]]``: barycentric coordinates (rationals >= 0 summing to 1, two or more
    positive, common denominator at most ``MAX_CONE_DENOMINATOR``) of the split point in the cell's factor simplex."""
    if len(tok) != 3 or isinstance(tok[1], bool) or not isinstance(tok[1], int) or not 0 <= tok[1] < len(st.ms):
        raise Reject(f"{where}: bad stellar split token {str(tok)[:60]}")
    i = tok[1]
    lam = [x.rational() for x in Field(tok[2], where + "[2]").items(length=st.ms[i])]
    if any(x < 0 for x in lam) or sum(lam) != 1 or sum(1 for x in lam if x) < 2:
        raise Reject(f"{where}: stellar split weights must be >= 0, sum to 1, two or more positive")
    if math.lcm(*(x.denominator for x in lam)) > MAX_CONE_DENOMINATOR:
        raise Reject(f"{where}: stellar split weights with a denominator above {MAX_CONE_DENOMINATOR}")
    return i, lam


class _Lazy:
    """A bisection child's vertices, computed only when the replay needs them (a region check, a weakly pruned
    cell's faces, a stellar split): most cells are pruned by their coefficients alone."""

    __slots__ = ("parent", "i", "p", "q", "keep_p", "_v")

    def __init__(self, parent: Any, i: int, p: int, q: int, keep_p: bool) -> None:
        self.parent, self.i, self.p, self.q, self.keep_p, self._v = parent, i, p, q, keep_p, None

    def get(self) -> list:
        if self._v is None:
            verts = _verts(self.parent)
            vs = verts[self.i]
            mid = tuple((a + b) / 2 for a, b in zip(vs[self.p], vs[self.q]))
            new = list(vs)
            new[self.q if self.keep_p else self.p] = mid
            out = [list(x) for x in verts]
            out[self.i] = new
            self._v, self.parent = out, None
        return self._v


def _verts(verts: Any) -> list:
    return verts.get() if isinstance(verts, _Lazy) else verts


def _inside(verts: list, reg: Region) -> bool:
    return all(all(v[a] >= reg.lower[i][a] for a in range(len(v))) for i, vs in enumerate(verts) for v in vs)


def replay(tree: list, st: Setup, threshold: Fraction, attained: Fraction | None, regions: list[Region],
           path: str = "certificate.tree") -> Replay:
    """Replay a recorded subdivision (see the module docstring); raise :class:`Reject` on any mismatch."""
    if not isinstance(tree, list):
        raise Reject(f"{path}: expected a list of tokens")
    if len(tree) > MAX_TOKENS:
        raise Reject(f"{path}: {len(tree)} tokens, more than the limit {MAX_TOKENS}")
    cells = _Cells(st)
    den = cells.den
    out = Replay()
    stack = [(cells.root, 1, cells.root_verts(), 0)]
    at = 0
    cones = 0
    tn, td = threshold.numerator, threshold.denominator
    while stack:
        coef, e, verts, depth = stack.pop()
        if at >= len(tree):
            raise Reject("subdivision tree ends early: some cells are missing")
        tok = tree[at]
        where = f"{path}[{at}]"
        at += 1
        if not isinstance(tok, list) or not tok:
            raise Reject(f"{where}: bad tree token {str(tok)[:60]!r}")
        scale = den * e
        if tok[0] == "p":
            out.leaves += 1
            top = max(coef)
            if not top * td < tn * scale:
                raise Reject(f"pruned cell {at - 1}: largest Bernstein coefficient {show(Fraction(int(top), int(scale)))} is not below the "
                             f"threshold {show(threshold)}")
            if len(tok) > 1 and Field(tok[1], where + "[1]").rational() != Fraction(int(top), int(scale)):
                raise Reject(f"pruned cell {at - 1}: recorded bound {str(tok[1])[:60]} differs from the recomputed "
                             f"{show(Fraction(int(top), int(scale)))}")
            out.pruned += 1
        elif tok[0] == "w":
            out.leaves += 1
            top = max(coef)
            if attained is None or not top * attained.denominator <= attained.numerator * scale:
                raise Reject(f"weakly pruned cell {at - 1}: largest Bernstein coefficient {show(Fraction(int(top), int(scale)))} is not at "
                             f"most the attained value {show(attained)}")
            out.weak += 1
            if top * attained.denominator == attained.numerator * scale:
                out.level.extend(cells.level_faces(coef, attained.numerator * scale // attained.denominator, _verts(verts)))
        elif tok[0] == "r":
            out.leaves += 1
            k = tok[1] if len(tok) == 2 else None
            if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < len(regions):
                raise Reject(f"cell {at - 1} names region {str(k)[:20]}, which does not exist")
            if not _inside(_verts(verts), regions[k]):
                raise Reject(f"cell {at - 1} is not inside region {k}")
            out.in_region[k] = out.in_region.get(k, 0) + 1
        elif tok[0] == "c":
            i, lam = _cone_token(tok, st, where)
            cones += 1
            if depth >= MAX_DEPTH or cones > MAX_CONES:
                raise Reject(f"{where}: subdivision deeper than the limit {MAX_DEPTH} or more than {MAX_CONES} stellar splits")
            for child in reversed(cells.cone(coef, e, _verts(verts), i, lam)):
                stack.append(child + (depth + 1,))
        else:
            if len(tok) != 3 or not all(isinstance(t, int) and not isinstance(t, bool) for t in tok):
                raise Reject(f"{where}: bad split token {str(tok)[:60]}")
            i, p, q_ = tok
            if not 0 <= i < len(st.ms) or p == q_ or not (0 <= p < st.ms[i] and 0 <= q_ < st.ms[i]):
                raise Reject(f"{where}: bad split token {tok}")
            if depth >= MAX_DEPTH:
                raise Reject(f"{where}: subdivision deeper than the limit {MAX_DEPTH}")
            e2 = e * 2 ** st.sizes[i]
            stack.append((cells.bisect(coef, i, q_, p), e2, _Lazy(verts, i, p, q_, False), depth + 1))
            stack.append((cells.bisect(coef, i, p, q_), e2, _Lazy(verts, i, p, q_, True), depth + 1))
    if at != len(tree):
        raise Reject(f"subdivision tree has {len(tree) - at} unused tokens")
    return out


def _split_edge(cells: _Cells, coef: list, verts: list, goal: list) -> tuple[int, int, int]:
    """The edge the checker's own search bisects: where a target lands, else where the largest coefficient lives.

    In order: an edge whose midpoint is a target (it becomes a vertex, where weak pruning can close a cell);
    else the longest edge between two vertices the largest coefficient's key puts mass on (that coefficient is
    what keeps the cell open, and bisecting any other edge leaves it in one child unchanged), unless that edge
    is less than half the cell's longest edge (then the longest edge, so every cell keeps shrinking); else the
    longest edge.  Lengths in the max norm.
    """
    top = max(range(len(coef)), key=coef.__getitem__)
    key = cells.keys[top]
    hit = best = mine = None
    for i, vs in enumerate(verts):
        c = key[i]
        for p, q_ in itertools.combinations(range(len(vs)), 2):
            d = max(abs(a - b) for a, b in zip(vs[p], vs[q_]))
            if goal[i] and (hit is None or d > hit[0]) and tuple((a + b) / 2 for a, b in zip(vs[p], vs[q_])) in goal[i]:
                hit = (d, i, p, q_)
            if best is None or d > best[0]:
                best = (d, i, p, q_)
            if c[p] and c[q_] and (mine is None or d > mine[0]):
                mine = (d, i, p, q_)
    if best is None:
        raise Reject("the checker's own subdivision found a cell with no edge to split")
    if hit is not None:
        return hit[1:]
    if mine is not None and 2 * mine[0] >= best[0]:
        return mine[1:]
    return best[1:]


def _bisected(pend: list, i: int, keep: int, move: int) -> list:
    """Barycentric coordinates of the pending targets in the child that keeps ``keep`` (``move`` -> midpoint)."""
    out = []
    for t, lams in pend:
        lam = lams[i]
        if lam[keep] >= lam[move]:
            new = list(lam)
            new[keep], new[move] = lam[keep] - lam[move], 2 * lam[move]
            out.append((t, lams[:i] + [new] + lams[i + 1:]))
    return out


def _coned(pend: list, i: int, j: int, lam: list) -> list:
    """Barycentric coordinates of the pending targets in the stellar child where vertex j became ``sum lam_k v_k``."""
    out = []
    for t, lams in pend:
        mu = lams[i]
        r = mu[j] / lam[j]
        new = [mu[k] - r * lam[k] for k in range(len(mu))]
        new[j] = r
        if all(x >= 0 for x in new):
            out.append((t, lams[:i] + [new] + lams[i + 1:]))
    return out


def search(st: Setup, threshold: Fraction, attained: Fraction | None, regions: list[Region],
           max_tokens: int = 200_000, max_depth: int = 120, time_limit: float = 20.0,
           targets: list | None = None) -> list:
    """Build a subdivision tree closing every cell (pruned, weakly pruned, or inside a region).

    The ``targets`` (claimed rational maximisers, one strategy per orbit) are made cell vertices first: a cell
    that contains one elsewhere than at a vertex gets a stellar split there (token ``"c"``).  Around a vertex
    maximiser the cells are cones from it, whose coefficients next to it are at most the maximum (first-order
    conditions), so weak pruning closes them once the far faces are fine enough -- a number of cells that does
    not grow as the cells shrink.  A maximiser inside a cell can only be closed by a proved region, whose
    boundary the subdivision then has to resolve (the 2 x 10 small-integer game, seed 1, of
    ``benchmarks/scale_bench.py`` did not close in a million cells that way).  Other cells are bisected on the
    edge chosen by :func:`_split_edge`.  Raises :class:`Reject` when the limits are reached (the claim could
    not be re-proved this way).
    """
    goal = [{tuple(t[i]) for t in (targets or [])} for i in range(len(st.ms))]
    cells = _Cells(st)
    den = cells.den
    tokens: list[Any] = []
    pend0 = [(k, [list(x) for x in t]) for k, t in enumerate(targets or [])]
    stack = [(cells.root, 1, cells.root_verts(), 0, pend0)]
    tn, td = threshold.numerator, threshold.denominator
    t0 = time.monotonic()
    while stack:
        coef, e, verts, depth, pend = stack.pop()
        if len(tokens) >= max_tokens or time.monotonic() - t0 > time_limit:
            raise Reject(f"the checker's own subdivision did not close within {max_tokens} cells / {time_limit:.0f} s")
        scale = den * e
        top = max(coef)
        if top * td < tn * scale:
            tokens.append(["p"])
            continue
        if attained is not None and top * attained.denominator <= attained.numerator * scale:
            tokens.append(["w"])
            continue
        k = next((k for k, r in enumerate(regions) if _inside(verts, r)), None)
        if k is not None:
            tokens.append(["r", k])
            continue
        if depth >= max_depth:
            raise Reject(f"the checker's own subdivision reached depth {max_depth} without closing a cell")
        pend = [(t, lams) for t, lams in pend if any(sum(1 for x in lam if x) > 1 for lam in lams)]  # vertices already
        if pend:
            t, lams = pend[0]
            i = next(i for i, lam in enumerate(lams) if sum(1 for x in lam if x) > 1)
            lam = lams[i]
            tokens.append(["c", i, [str(x) for x in lam]])
            kids = cells.cone(coef, e, verts, i, lam)
            sup = [j for j, x in enumerate(lam) if x]
            for j, kid in reversed(list(zip(sup, kids))):
                stack.append(kid + (depth + 1, _coned(pend, i, j, lam)))
            continue
        i, p, q_ = _split_edge(cells, coef, verts, goal)
        tokens.append([i, p, q_])
        left, right = cells.children(coef, e, verts, i, p, q_)
        stack.append(right + (depth + 1, _bisected(pend, i, q_, p)))
        stack.append(left + (depth + 1, _bisected(pend, i, p, q_)))
    return tokens
