"""Gambit ``.efg`` files (extensive form, version 2), read exactly into a :class:`~exactgames.model.tree.TeamTree`.

The format lists the nodes in depth-first order, one per line::

    EFG 2 R "title" { "Player 1" "Player 2" }
    "optional comment"
    c "name" 1 "types" { "LL" 1/4 "LH" 1/4 "HL" 1/4 "HH" 1/4 } 0        <- chance: infoset, actions with probabilities
    p "name" 1 1 "low" { "C" "A" } 0                                    <- player 1, its information set 1
    t "name" 1 "outcome 1" { 4, 4 }                                     <- terminal: outcome number, name, payoffs

The information set's name and action list may be left out after its first
node; an outcome's name and payoffs likewise after its first use (outcome ``0``:
none).  Any node may carry an outcome (collected when play passes).  Numbers are
exact: integers, rationals ``3/4`` and decimals (``0.1`` is exactly 1/10).  Errors
name the file, the line and column, and what was expected.

Examples
--------
>>> t = parse_efg('''EFG 2 R "coordination" { "1" "2" } ""
... p "" 1 1 "" { "a" "b" } 0
... p "" 2 1 "" { "a" "b" } 0
... t "" 1 "aa" { 1, 1 }
... t "" 0
... p "" 2 1 0
... t "" 0
... t "" 2 "bb" { 2 2 }''')
>>> [(i.player, i.actions) for i in t.infosets], t.is_common_payoff, t.has_perfect_recall()
([(0, ('a', 'b')), (1, ('a', 'b'))], True, True)
>>> parse_efg('EFG 2 R "" { "1" } "" p "" 1 1 "" { "a" } 0', source="x.efg")
Traceback (most recent call last):
...
exactgames.io.GameFileError: x.efg, line 1, column 44: file ends early: expected a node ('c', 'p' or 't') for action 'a' of information set 1 of player 1
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from exactgames.io import GameFileError
from exactgames.io.nfg import _Parser
from exactgames.model.tree import Chance, Decision, InfoSet, Node, TeamTree, Terminal, TreeError

__all__ = ["read_efg", "parse_efg"]

_MAX_DEPTH = 10_000


class _EfgParser(_Parser):
    def frac(self, what: str) -> Fraction:
        v = self.number(self.next(), what)
        return Fraction(int(v.p), int(v.q))


def parse_efg(text: str, source: str = "<string>") -> TeamTree:
    """Read a game tree from the text of a Gambit ``.efg`` file (version 2).

    Raises
    ------
    GameFileError
        If the text is not a valid ``.efg`` file (file, line, column and what was expected).
    """
    p = _EfgParser(text, source)
    tok = p.next()
    if tok.kind != "word" or tok.text != "EFG":
        raise p.fail(tok, f"expected the header 'EFG 2 R' (a Gambit extensive-form file), found {tok.describe()}")
    tok = p.next()
    if tok.kind != "word" or tok.text != "2":
        raise p.fail(tok, f"expected format version 2 after 'EFG', found {tok.describe()}")
    tok = p.next()
    if tok.kind != "word" or tok.text not in ("R", "D"):
        raise p.fail(tok, f"expected 'R' (rational) or 'D' after 'EFG 2', found {tok.describe()}")
    title = p.expect("str", "the quoted title").text
    players = tuple(p.strings_in_braces("players"))
    if not players:
        raise p.fail(p.peek(), "expected at least one player in the player list")
    n = len(players)
    if p.peek().kind == "str":
        p.next()  # comment
    infosets: list[InfoSet] = []
    index: dict[tuple[int, int], int] = {}
    chance_sets: dict[int, tuple[tuple[str, ...], tuple[Fraction, ...]]] = {}
    outcomes: dict[int, tuple[Fraction, ...]] = {0: None}  # type: ignore[dict-item]

    def outcome(what: str) -> tuple[Fraction, ...] | None:
        k, ktok = p.integer(f"the outcome number of {what}")
        if k < 0:
            raise p.fail(ktok, f"expected an outcome number >= 0, found {k}")
        if p.peek().kind == "str":
            p.next()
            if p.peek().kind == "{":
                p.next()
                vals: list[Fraction] = []
                while True:
                    t = p.peek()
                    if t.kind == "}":
                        p.next()
                        break
                    if t.kind == ",":
                        p.next()
                        continue
                    if t.kind == "eof":
                        raise p.fail(t, f"file ends early: expected the payoffs of outcome {k} and '}}'")
                    vals.append(p.frac(f"a payoff of outcome {k}"))
                if len(vals) != n:
                    raise p.fail(ktok, f"outcome {k} has {len(vals)} payoffs, expected {n} (one per player)")
                if k == 0:
                    raise p.fail(ktok, "outcome 0 is the null outcome and cannot have payoffs (expected a number >= 1)")
                if k in outcomes and outcomes[k] != tuple(vals):
                    raise p.fail(ktok, f"outcome {k} is defined twice with different payoffs")
                outcomes[k] = tuple(vals)
        if k not in outcomes:
            raise p.fail(ktok, f"outcome {k} is used before its payoffs are given (expected a name and {{ payoffs }})")
        return outcomes[k]

    def node(depth: int, context: str) -> Node:
        if depth > _MAX_DEPTH:
            raise p.fail(p.peek(), f"the tree is deeper than {_MAX_DEPTH} levels")
        tok = p.next()
        if tok.kind == "eof":
            raise p.fail(tok, f"file ends early: expected a node ('c', 'p' or 't') for {context}")
        if tok.kind != "word" or tok.text not in ("c", "p", "t"):
            raise p.fail(tok, f"expected a node ('c' chance, 'p' player or 't' terminal) for {context}, found {tok.describe()}")
        kind = tok.text
        p.expect("str", f"the quoted name of the {kind!r} node")
        if kind == "t":
            return Terminal(outcome("a terminal node"))
        if kind == "c":
            k, ktok = p.integer("the chance information set number")
            if p.peek().kind == "str":
                p.next()
            if p.peek().kind == "{":
                p.next()
                names: list[str] = []
                probs: list[Fraction] = []
                while p.peek().kind != "}":
                    t = p.next()
                    if t.kind != "str":
                        raise p.fail(t, f"expected a quoted chance action name or '}}', found {t.describe()}")
                    names.append(t.text)
                    probs.append(p.frac(f"the probability of chance action {t.text!r}"))
                p.next()
                if not names:
                    raise p.fail(ktok, "a chance node needs at least one action")
                if any(q < 0 for q in probs) or sum(probs) != 1:
                    raise p.fail(ktok, f"the chance probabilities sum to {sum(probs)} (expected nonnegative numbers summing to exactly 1)")
                chance_sets[k] = (tuple(names), tuple(probs))
            if k not in chance_sets:
                raise p.fail(ktok, f"chance information set {k} is used before its actions are given")
            names_t, probs_t = chance_sets[k]
            pay = outcome("a chance node")
            kids = tuple(node(depth + 1, f"chance action {a!r}") for a in names_t)
            return Chance(probs_t, kids, names_t, pay)
        pl, ptok = p.integer("the player number")
        if not 1 <= pl <= n:
            raise p.fail(ptok, f"expected a player number from 1 to {n}, found {pl}")
        k, ktok = p.integer("the information set number")
        label = None
        if p.peek().kind == "str":
            label = p.next().text
        acts = None
        if p.peek().kind == "{":
            acts = tuple(p.strings_in_braces("actions"))
            if not acts:
                raise p.fail(ktok, "an information set needs at least one action")
        key = (pl - 1, k)
        if key not in index:
            if acts is None:
                raise p.fail(ktok, f"information set {k} of player {pl} is used before its actions are given")
            index[key] = len(infosets)
            infosets.append(InfoSet(pl - 1, label if label else f"{players[pl - 1]}:{k}", acts))
        elif acts is not None and acts != infosets[index[key]].actions:
            raise p.fail(ktok, f"information set {k} of player {pl} is given different actions {list(acts)} "
                         f"(first {list(infosets[index[key]].actions)})")
        inf = index[key]
        pay = outcome("a player node")
        kids = tuple(node(depth + 1, f"action {a!r} of information set {k} of player {pl}") for a in infosets[inf].actions)
        return Decision(inf, kids, pay)

    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 4 * _MAX_DEPTH + 100))
    try:
        root = node(0, "the root")
    finally:
        sys.setrecursionlimit(old)
    tok = p.peek()
    if tok.kind != "eof":
        raise p.fail(tok, f"expected the end of the file after the last node, found {tok.describe()}")
    tree = TeamTree(players, tuple(infosets), root, title)
    try:
        tree.validate()
    except TreeError as exc:
        raise GameFileError(f"{source}: {exc}") from None
    return tree


def read_efg(path: str | Path) -> TeamTree:
    """Read a Gambit ``.efg`` file (see :func:`parse_efg`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GameFileError(f"{path}: not a text file (expected UTF-8 text of a .efg file): {exc}") from None
    return parse_efg(text, source=str(path))
