"""Optima over profiles invariant under game automorphisms (``optimize --automorphisms``, issue 15), checked.

A certificate of kind ``automorphism-invariant-v1`` records generators
``g = (pi, sigma)``: ``players[i] = pi(i)`` and ``actions[i][k]`` the index in
``A_pi(i)`` of the image of player ``i``'s ``k``-th action (0-based), the
lifted optimal profile of ``G`` and ``reduced_result``, an ``optimize --json``
answer over one variable per *block*.  The checker trusts none of the
reduction:

1. every generator is a player permutation with bijective action maps, and
   preserves the common payoff on every pure profile, ``u(g.a) = u(a)`` with
   ``(g.a)_pi(i) = sigma_i(a_i)``, checked exactly on the payoff table;
2. the invariant subspace is derived from the generators alone: a profile is
   invariant under the group ``H`` they generate iff it is constant on the
   ``H``-orbits of the (player, action) points (union--find over the
   generators); a player orbit shares one strategy up to the action maps,
   and the points of one orbit inside a player are its *blocks* (the orbits of
   that player's stabiliser); the recorded ``blocks`` must be these;
3. the EU on the subspace is rebuilt from ``G``'s payoffs as a polynomial in
   one variable per (player orbit, block), ``y_t`` standing for the total
   probability of block ``t`` (each of its actions gets ``y_t / |t|``), and the
   reduced optimum is proved on it with the checker's own machinery
   (:func:`proofs_check.checker.optimum.check_optimum`: the branch and bound
   replayed or the checker's own subdivision);
4. ``value`` equals the proved maximum and ``profile`` is exactly the lift of
   the proved maximiser (so it lies on the subspace).

Not proved: that the generators generate the *whole* automorphism group when
``subgroup`` is ``"all"`` (use ``exactgames symmetries --actions``), and the
verdicts, as for every result.

This module never imports ``exactgames.optimize``, ``exactgames.certify`` or
``exactgames.symmetry``.

Examples
--------
>>> from exactgames.model.game import Game
>>> bos = Game.from_common([["O", "F"]] * 2, {("O", "O"): 3, ("F", "F"): 3, ("F", "O"): 1})
>>> gen = [{"players": [1, 0], "actions": [[1, 0], [1, 0]]}]
>>> subspace(bos, _generators(Field(gen, "generators"), bos), [])[1]
[[[0], [1]], [[1], [0]]]
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

from exactgames.model.game import AnonymousGame, Game
from proofs_check.checker.claims import _lift_read, _read
from proofs_check.checker.numbers import Field, Reject, multinomial
from proofs_check.checker.polynomial import MAX_PROFILES, Setup

__all__ = ["KIND", "check_automorphism", "subspace", "generator_text"]

KIND = "automorphism-invariant-v1"
NOT_PROVED_AUT = ("subgroup",)
MAX_GENERATORS = 1000


# --------------------------------------------------------------------------- generators
def _generators(f: Field, game: Game) -> list[tuple[list[int], list[list[int]]]]:
    """Read the generators and check each is a player permutation with bijective action maps between equal-size sets."""
    n = game.n_players
    sizes = [len(a) for a in game.actions]
    out = []
    for g in f.items(limit=MAX_GENERATORS):
        pl = [p.integer(0, n - 1) for p in g["players"].items(length=n)]
        if sorted(pl) != list(range(n)):
            raise Reject(f"{g.path}.players: {pl} is not a permutation of the {n} players")
        maps = []
        for i, m in enumerate(g["actions"].items(length=n)):
            if sizes[pl[i]] != sizes[i]:
                raise Reject(f"{g.path}: player {i + 1} ({sizes[i]} actions) goes to player {pl[i] + 1} ({sizes[pl[i]]} actions)")
            img = [k.integer(0, sizes[i] - 1) for k in m.items(length=sizes[i])]
            if sorted(img) != list(range(sizes[i])):
                raise Reject(f"{m.path}: {img} is not a bijection onto the actions of player {pl[i] + 1}")
            maps.append(img)
        out.append((pl, maps))
    return out


def generator_text(g: tuple[list[int], list[list[int]]], names: Any) -> str:
    """The notation ``symmetries --actions`` prints: player cycles (from 1), then action cycles not following names.

    Examples
    --------
    >>> generator_text(([1, 0], [[1, 0], [1, 0]]), [("H", "W"), ("H", "W")])
    '(1 2)(1:H 2:W)(1:W 2:H)'
    """
    pl, maps = g
    n = len(pl)
    pts = [(i, k) for i in range(n) for k in range(len(names[i]))]
    img = {(i, k): (pl[i], maps[i][k]) for i, k in pts}
    parts = []
    seen: set = set()
    for i in range(n):
        if i in seen or pl[i] == i:
            continue
        cyc, x = [], i
        while x not in seen:
            seen.add(x)
            cyc.append(x)
            x = pl[x]
        parts.append("(" + " ".join(str(x + 1) for x in cyc) + ")")
    seen = set()

    def show(p: tuple[int, int]) -> str:
        a = names[p[0]][p[1]]
        if not a or any(c in a for c in " \t\n():;#"):
            a = f"#{p[1] + 1}"
        return f"{p[0] + 1}:{a}"

    for p in pts:
        if p in seen or img[p] == p:
            continue
        cyc, x = [], p
        while x not in seen:
            seen.add(x)
            cyc.append(x)
            x = img[x]
        if all(names[y[0]][y[1]] == names[img[y][0]][img[y][1]] for y in cyc):
            continue  # follows the names: omitted
        parts.append("(" + " ".join(show(y) for y in cyc) + ")")
    return "".join(parts) or "()"


def _verify_on_table(game: Game, gens: list, checks: list) -> None:
    """Every generator preserves the common payoff on every pure profile (exact rationals)."""
    sizes = [len(a) for a in game.actions]
    n = len(sizes)
    strides = [1] * n
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    row = game.fmpq_payoffs[0]
    for k, (pl, maps) in enumerate(gens):
        # contribution of player i playing action a to the index of the image profile
        contrib = [[maps[i][a] * strides[pl[i]] for a in range(sizes[i])] for i in range(n)]
        for idx, prof in enumerate(itertools.product(*(range(s) for s in sizes))):
            j = sum(contrib[i][a] for i, a in enumerate(prof))
            if row[j] != row[idx]:
                img = [0] * n
                for i, a in enumerate(prof):
                    img[pl[i]] = maps[i][a]
                name = ", ".join(game.actions[i][a] for i, a in enumerate(prof))
                iname = ", ".join(game.actions[i][a] for i, a in enumerate(img))
                raise Reject(f"generators[{k}] ({generator_text((pl, maps), game.actions)}) is not an automorphism of the "
                             f"game: the payoff of ({name}) is {row[idx]}, of its image ({iname}) {row[j]}")
    checks.append(f"{len(gens)} generators over players and actions, each verified exactly on all "
                  f"{math.prod(sizes)} pure profiles")


# --------------------------------------------------------------------------- the invariant subspace
def subspace(game: Game, gens: list, checks: list) -> tuple[list[list[int]], list[list[list[int]]], list[list[int]]]:
    """Player orbits, blocks and block labels of the ``H``-invariant profiles, from the generators alone.

    Returns ``(orbits, blocks, which)``: ``orbits`` sorted player orbits;
    ``blocks[j]`` player ``j``'s blocks (sorted action lists) in the order of
    its orbit representative's (the orbit's first player) blocks, which are
    ordered by their first action; ``which[j][a]`` the block of action ``a``.
    """
    sizes = [len(a) for a in game.actions]
    n = len(sizes)
    off = [n + sum(sizes[:i]) for i in range(n)]
    parent = list(range(n + sum(sizes)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pl, maps in gens:
        for i in range(n):
            parent[find(i)] = find(pl[i])
            for a in range(sizes[i]):
                parent[find(off[i] + a)] = find(off[pl[i]] + maps[i][a])
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    orbits = sorted(groups.values())
    blocks: list[Any] = [None] * n
    which: list[Any] = [None] * n
    for orb in orbits:
        r = orb[0]
        order: dict[int, int] = {}
        for a in range(sizes[r]):
            order.setdefault(find(off[r] + a), len(order))
        for j in orb:
            bl: list[list[int]] = [[] for _ in order]
            for a in range(sizes[j]):
                root = find(off[j] + a)
                if root not in order:  # pragma: no cover - a group orbit meets every player of the orbit
                    raise Reject(f"player {j + 1}'s action {game.actions[j][a]} lies in no block of player {r + 1}")
                bl[order[root]].append(a)
            if any(len(b) != len(bl_r) for b, bl_r in zip(bl, blocks[r] or bl)):  # pragma: no cover
                raise Reject(f"players {r + 1} and {j + 1} share an orbit but their blocks differ in size")
            blocks[j] = bl
            which[j] = [order[find(off[j] + a)] for a in range(sizes[j])]
    checks.append(f"invariant subspace derived from the generators: player orbits {[[p + 1 for p in o] for o in orbits]}, "
                  f"{sum(len(blocks[o[0]]) for o in orbits)} blocks in all")
    return orbits, blocks, which


def _labels(game: Game, orb: list[int], blocks: list) -> tuple[str, ...]:
    r = orb[0]
    labels = tuple("+".join(game.actions[r][a] for a in b) for b in blocks[r])
    if len(set(labels)) != len(labels):
        raise Reject(f"the blocks of player {r + 1} have equal labels {labels}: the reduced strategies cannot be read by name")
    return labels


def reduced_setup(game: Game, orbits: list[list[int]], blocks: list, which: list) -> Setup:
    """The EU of invariant profiles as a polynomial in one variable per (orbit, block), from the payoffs.

    ``y`` is the total probability of a block; each action of block ``t`` has
    probability ``y_t / |t|``, so a pure profile ``a`` contributes
    ``u(a) prod_p y_{orbit(p), block(a_p)} / |block(a_p)|``.
    """
    sizes = [len(a) for a in game.actions]
    n = len(sizes)
    if math.prod(sizes) > MAX_PROFILES:
        raise Reject(f"the game has more than {MAX_PROFILES} pure profiles; the checker does not expand it")
    factor = {p: f for f, o in enumerate(orbits) for p in o}
    ms = [len(blocks[o[0]]) for o in orbits]
    foff = [sum(ms[:f]) for f in range(len(orbits))]
    var = [[foff[factor[j]] + which[j][a] for a in range(sizes[j])] for j in range(n)]
    wt = [[len(blocks[j][which[j][a]]) for a in range(sizes[j])] for j in range(n)]
    M = sum(ms)
    coef: dict = {}
    row = game.fmpq_payoffs[0]
    for idx, prof in enumerate(itertools.product(*(range(s) for s in sizes))):
        v = row[idx]
        if v == 0:
            continue
        e = [0] * M
        d = 1
        for j, a in enumerate(prof):
            e[var[j][a]] += 1
            d *= wt[j][a]
        key = tuple(e)
        coef[key] = coef.get(key, Fraction(0)) + Fraction(int(v.p), int(v.q) * d)
    return Setup.from_terms([len(o) for o in orbits], ms, [_labels(game, o, blocks) for o in orbits], coef)


# --------------------------------------------------------------------------- merged duplicate actions
def _check_merged(game: Game, data: Field, gens: list, blocks: list, checks: list) -> None:
    """``optimum_over: "P-invariant profiles"``: the optimum is also the one over the P-invariant profiles of ``G``.

    Sound when every generator either permutes players with action maps that follow the names (P, Definition
    3.2.1) or is *single-player* (identity on players, identity on every player's actions but one's): then the
    group is N x| P with N a product of groups acting on one player's actions each by automorphisms; the EU is
    linear in each player's strategy and invariant under N, so averaging a P-invariant profile over N keeps it
    P-invariant with the same EU.  Hence both maxima agree, and the EU depends on a player's strategy only
    through the totals of its blocks: every split of a block's probability is a maximiser (the continuum).
    """
    if data["optimum_over"].text(100) != "P-invariant profiles":
        raise Reject(f"optimum_over: {data['optimum_over'].value!r} (known: 'P-invariant profiles')")
    n = game.n_players
    names = game.actions
    for k, (pl, maps) in enumerate(gens):
        follows = all(names[pl[i]][maps[i][a]] == names[i][a] for i in range(n) for a in range(len(names[i])))
        moved = [i for i in range(n) if maps[i] != list(range(len(names[i])))]
        single = pl == list(range(n)) and len(moved) <= 1
        if not (follows or single):
            raise Reject(f"generators[{k}] ({generator_text((pl, maps), names)}) neither follows the action names nor moves "
                         "the actions of a single player: the optimum over the invariant profiles is not proved to be the "
                         "optimum over the P-invariant profiles")
    derived = [{"player": j + 1, "actions": [names[j][a] for a in b]} for j in range(n) for b in blocks[j] if len(b) > 1]
    rec = data["duplicates"].value if data.has("duplicates") else None
    if rec != derived:
        raise Reject(f"duplicates: the result records {str(rec)[:200]}, the single-player generators merge {str(derived)[:200]}")
    checks.append(f"every generator follows the action names or swaps payoff-equivalent actions of one player "
                  f"({len(derived)} merged classes): the optimum equals the optimum over the P-invariant profiles of the "
                  "game, attained on the whole continuum of splits of each merged class")


# --------------------------------------------------------------------------- anonymous games in count form
class _AnonView:
    """An anonymous game seen with per-player action lists (what the generator and subspace code reads)."""

    def __init__(self, anon: AnonymousGame) -> None:
        self.anon = anon
        self.n_players = anon.n_players
        self.actions = anon.player_actions


def _verify_on_counts(game: AnonymousGame, gens: list, checks: list) -> None:
    """Each generator renames actions alike for every player (``tau``); ``u(tau.c) = u(c)`` on every count vector."""
    table = game.fmpq_payoff
    m = len(game.actions)
    for k, (pl, maps) in enumerate(gens):
        tau = maps[0]
        for c, v in table.items():
            tc = [0] * m
            for a, ca in enumerate(c):
                tc[tau[a]] = ca
            if table[tuple(tc)] != v:
                raise Reject(f"generators[{k}] ({generator_text((pl, maps), game.player_actions)}) is not an automorphism "
                             f"of the game: the payoff at the counts {c} is {v}, at their image {tuple(tc)} {table[tuple(tc)]}")
    checks.append(f"{len(gens)} generators over players and actions, each renaming actions alike for every player and "
                  f"verified exactly on all {len(table)} count vectors (any player permutation keeps an anonymous payoff)")


def _reduced_counts(game: AnonymousGame, blocks: list) -> Setup:
    """The EU of symmetric profiles constant on ``blocks`` as a polynomial in the block totals, from the counts.

    ``EU(y) = sum_c u(c) multinomial(c) prod_a (y_block(a) / |block(a)|)^c_a``, terms collected by block counts.
    """
    which = {a: t for t, b in enumerate(blocks) for a in b}
    coef: dict = {}
    for c, v in game.fmpq_payoff.items():
        if v == 0:
            continue
        e = [0] * len(blocks)
        d = 1
        for a, ca in enumerate(c):
            e[which[a]] += ca
            d *= len(blocks[which[a]]) ** ca
        key = tuple(e)
        coef[key] = coef.get(key, Fraction(0)) + Fraction(int(v.p) * multinomial(c), int(v.q) * d)
    labels = tuple("+".join(game.actions[a] for a in b) for b in blocks)
    return Setup.from_terms([game.n_players], [len(blocks)], [labels], coef)


# --------------------------------------------------------------------------- the certificate
def _dense(game: Any) -> Game:
    if isinstance(game, AnonymousGame):
        return game.to_dense(MAX_PROFILES)
    if not isinstance(game, Game):
        raise Reject(f"an automorphism-invariant result needs a normal-form game, not a {type(game).__name__}")
    if not game.is_rational:
        raise Reject("the game has non-rational payoffs (or free parameters: give them with --set)")
    if not game.is_common_payoff:
        raise Reject("the game is not common-payoff")
    return game


def check_automorphism(game: Any, data: Field, checks: list, check_optimum: Any) -> tuple[Any, tuple[str, ...]]:
    """Check an ``automorphism-invariant-v1`` result (see the module docstring); returns the value enclosure.

    ``check_optimum`` is :func:`proofs_check.checker.optimum.check_optimum` (passed in to keep the import graph flat).
    """
    d = data.obj()
    if d.get("complete") is not True:
        raise Reject("complete: the result is marked incomplete (or does not say it is complete); nothing to check")
    anonymous = isinstance(game, AnonymousGame) and not game.parameters and game.is_rational
    if anonymous:
        gens = _generators(data["generators"], _AnonView(game))
        anonymous = all(m == maps[0] for _pl, maps in gens for m in maps)
    if anonymous:
        game = _AnonView(game)
        _verify_on_counts(game.anon, gens, checks)
    else:
        game = _dense(game)
        gens = _generators(data["generators"], game)
        _verify_on_table(game, gens, checks)
    n = game.n_players
    texts = [t.text(10_000) for t in data["automorphisms"].items()] if data.has("automorphisms") else None
    if texts is not None:
        mine = [generator_text(g, game.actions) for g in gens] or ["()"]
        if texts != mine:
            raise Reject(f"automorphisms: the result prints {texts[:4]}, the recorded generators read {mine[:4]}")
    orbits, blocks, which = subspace(game, gens, checks)
    if data.has("optimum_over"):
        _check_merged(game, data, gens, blocks, checks)
    claimed_orbits = sorted(sorted(p.integer(1, n) - 1 for p in o.items(limit=n)) for o in data["orbits"].items(limit=n))
    if claimed_orbits != orbits:
        raise Reject(f"orbits: the result claims {[[p + 1 for p in o] for o in claimed_orbits]}, the generators have the player "
                     f"orbits {[[p + 1 for p in o] for o in orbits]}")
    if data.has("blocks"):
        rec = [[sorted(a.integer(0, len(game.actions[j]) - 1) for a in b.items(limit=len(game.actions[j])))
                for b in bl.items(limit=len(game.actions[j]))] for j, bl in enumerate(data["blocks"].items(length=n))]
        if rec != blocks:
            raise Reject(f"blocks: the result records {rec}, the generators' invariant subspace has the blocks {blocks}")
    # ---- the reduced optimum, in the reduced result's orbit order
    red = data["reduced_result"]
    rd = red.obj()
    r_orbits = [sorted(p.integer(1, n) - 1 for p in o.items(limit=n)) for o in red["orbits"].items(limit=n)]
    if sorted(r_orbits) != orbits:
        raise Reject(f"reduced_result.orbits: {[[p + 1 for p in o] for o in r_orbits]}, not the generators' player orbits "
                     f"{[[p + 1 for p in o] for o in orbits]}")
    cert = red.get("certificate")
    order = r_orbits
    bnb = None if cert is None else (cert if cert.obj().get("kind") == "bnb-product-v1" else cert.get("bnb"))
    if bnb is not None and bnb.obj().get("kind") == "bnb-product-v1" and bnb.has("orbits"):
        c_orbits = [sorted(p.integer(0, n - 1) for p in o.items(limit=n)) for o in bnb["orbits"].items(limit=n)]
        if sorted(c_orbits) != orbits:
            raise Reject(f"reduced_result.certificate.orbits: {[[p + 1 for p in o] for o in c_orbits]}, not the player orbits "
                         f"{[[p + 1 for p in o] for o in orbits]}")
        order = c_orbits  # the factor order of the replayed subdivision
    if anonymous:
        if len(order) != 1 or any(b != blocks[0] for b in blocks):
            raise Reject("the generators rename actions alike for every player but do not make all players one orbit "
                         "with the same blocks: such a subgroup of an anonymous game is checked only on the dense table")
        st = _reduced_counts(game.anon, blocks[0])
    else:
        st = reduced_setup(game, order, blocks, which)
    pos = [r_orbits.index(o) for o in order]  # claimed orbit k -> factor
    strategies = [red["strategies"][k].value for k in pos]
    support = [red["support"][k].value for k in pos]
    ties = []
    for t in red["ties"].items(limit=10**4) if red.has("ties") else []:
        text = t.text()
        if not text.startswith("continuum") and len(order) > 1 and pos != list(range(len(pos))):
            raise Reject(f"{t.path}: ties in a reduced result whose orbits are not in the certificate's order are not checked")
        ties.append(text)
    synthetic = {"value": rd.get("value"), "value_interval": rd.get("value_interval"), "value_exact": rd.get("value_exact", True),
                 "complete": rd.get("complete"), "orbits": [[k + 1] for k in range(len(order))], "strategies": strategies,
                 "support": support, "mixed": rd.get("mixed"), "ties": ties, "certificate": rd.get("certificate")}
    if synthetic["value"] is None:
        raise Reject("reduced_result.value: missing")
    checks.append(f"EU of the invariant profiles rebuilt from the payoffs: {sum(st.ms)} block variables over "
                  f"{len(order)} player orbits")
    vi = check_optimum(None, Field(synthetic, "reduced_result"), checks, setup=st)
    # ---- the claims about G: value, and the profile is the lift of the proved maximiser
    if str(d.get("value")) != str(rd.get("value")):
        _, (mine, proved) = _lift_read([_read(data["value"]), _read(red["value"])], "value")
        if mine != proved:
            raise Reject(f"value: the result claims {str(d.get('value'))[:80]}, the proved reduced optimum is "
                         f"{str(rd.get('value'))[:80]}")
    prof = data["profile"].items(length=n)
    raw = []
    for j, s in enumerate(prof):
        raw.extend(_read(x) for x in s.items(length=len(game.actions[j])))
    for k in range(len(order)):
        obj = Field(strategies[k], f"reduced_result.strategies[{pos[k]}]")
        raw.extend(_read(obj[a]) for a in st.actions[k])
    _, elems = _lift_read(raw, "profile")
    flat_p = sum(len(a) for a in game.actions)
    ys, at = [], flat_p
    for m in st.ms:
        ys.append(elems[at:at + m])
        at += m
    factor = {p: f for f, o in enumerate(order) for p in o}
    at = 0
    for j in range(n):
        for a in range(len(game.actions[j])):
            x, t = elems[at], which[j][a]
            at += 1
            if x * len(blocks[j][t]) != ys[factor[j]][t]:
                raise Reject(f"profile[{j}]: player {j + 1}'s probability of {game.actions[j][a]} is {x}, but the proved "
                             f"maximiser gives its block {{{', '.join(game.actions[j][b] for b in blocks[j][t])}}} "
                             f"{ys[factor[j]][t]}, split equally: the profile is not the lift of the optimum (or not invariant)")
    checks.append("value equals the reduced optimum exactly; profile is exactly its lift to G (invariant under the generators)")
    return vi, NOT_PROVED_AUT
