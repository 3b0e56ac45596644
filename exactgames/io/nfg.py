"""Reading Gambit ``.nfg`` files exactly (payoff and outcome versions).

The format (Gambit's strategic-form file)::

    NFG 1 R "title" { "Player 1" "Player 2" } { 2 2 }      <- payoff version, counts only
    "optional comment"
    1 1  0 2  2 0  1 1                                    <- one number per player per profile

    NFG 1 R "title" { "P1" "P2" }
    { { "H" "W" } { "H" "W" } }                           <- strategy names instead of counts
    ""
    { { "" 1, 1 } { "" 2, 2 } }                           <- outcome version: outcomes ...
    1 2 2 1                                               <- ... then one outcome index per profile

Profiles are listed with the FIRST player's strategy changing fastest (our
:class:`~exactgames.model.game.Game` stores them the other way round: first
player slowest); the reader and the writer convert.  Outcome index ``0`` is
the null outcome (every payoff 0).  ``NFG 1 D`` is accepted as well as
``NFG 1 R``.

Numbers are exact: integers (``-3``), rationals (``3/4``), decimals
(``0.1`` is read as exactly ``1/10``; an exponent such as ``1e-3`` is allowed).
Errors name the file, the line and column, and what was expected.  The
writer, :mod:`exactgames.io.nfg_write`, writes integers as integers and other
rationals as ``a/b``, so write-then-read is the identity (symbolic or
irrational payoffs cannot be written to ``.nfg``).

Examples
--------
>>> g = parse_nfg('NFG 1 R "taxis" { "Auto" "Mobile" } { { "H" "W" } { "H" "W" } } 1 1 2 2 2 2 1 1')
>>> g.actions, g.payoff(0, ("H", "W"))
((('H', 'W'), ('H', 'W')), 2)
"""

from __future__ import annotations

import itertools
import math
import re
import weakref
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import sympy

from exactgames.io import GameFileError
from exactgames.io.files import read_limited
from exactgames.model.game import Game
from exactgames.model.parse import MAX_INTEGER_DIGITS, _LiftedDigitLimit, short_text

__all__ = ["read_nfg", "parse_nfg", "file_labels", "MAX_READ_PROFILES", "MAX_READ_ENTRIES", "MAX_NFG_BYTES"]

MAX_READ_PROFILES = 1_000_000
"""Largest number of pure profiles of a ``.nfg`` file read (checked from the header, before anything is allocated)."""
MAX_READ_ENTRIES = 2_000_000
"""Largest number of payoffs (players x pure profiles) of a ``.nfg`` file read (about 10-20 s of reading)."""
MAX_NFG_BYTES = 32 * 2**20
"""Largest ``.nfg`` file read (32 MiB)."""

_FILE_LABELS: "weakref.WeakKeyDictionary[Game, tuple]" = weakref.WeakKeyDictionary()

_INT_RE = re.compile(r"[+-]?\d+")
_RATIO_RE = re.compile(r"([+-]?\d+)/(\d+)")
_DECIMAL_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_MAX_EXPONENT = 4000  # a decimal exponent beyond this is refused (1e999999999 would take forever to expand)


# ---------------------------------------------------------------------- tokens
_LEX_RE = re.compile(r'(?P<sym>[{},])|"(?P<str>(?:[^"\\]|\\.)*)"|(?P<word>[^\s{},"]+)|(?P<open>")', re.S)
_UNESCAPE_RE = re.compile(r"\\(.)", re.S)


def _quote(s: str) -> str:
    """``s`` as a Gambit quoted string (the inverse of the lexer's unescaping)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Token(NamedTuple):
    kind: str  # "{", "}", ",", "str", "word", "eof"
    text: str
    offset: int  # position in the text (0-based); line and column are computed on error only

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        if self.kind == "str":
            return f"string {_quote(self.text)}" if len(self.text) <= 60 else f"string {_quote(self.text[:60] + '...')} ({len(self.text)} characters)"
        return short_text(self.text)


def _token_stream(text: str, source: str) -> Iterator[_Token]:
    """Split ``.nfg`` text into tokens (braces, commas, quoted strings, words) lazily; ``eof`` last."""
    end = 0
    for m in _LEX_RE.finditer(text):
        kind = m.lastgroup
        end = m.end()
        if kind == "word":
            yield _Token("word", m.group("word"), m.start())
        elif kind == "sym":
            yield _Token(m.group("sym"), m.group("sym"), m.start())
        elif kind == "str":
            yield _Token("str", _UNESCAPE_RE.sub(r"\1", m.group("str")), m.start())
        else:
            line, col = _line_col(text, m.start())
            raise GameFileError(
                f"{source}, line {line}, column {col}: unterminated string "
                f"(expected a closing '\"' before the end of the file)"
            )
    yield _Token("eof", "", end)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


class _Parser:
    """A recursive-descent reader over a lazy token stream (memory grows with the table, not with the tokens)."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.text = text.lstrip("\ufeff")
        self._stream = _token_stream(self.text, source)
        self._ahead: list[_Token] = []
        self.last: _Token | None = None
        self.pos = 0
        self._numbers: dict[str, sympy.Rational] = {}

    def peek(self, k: int = 0) -> _Token:
        while len(self._ahead) <= k:
            if self._ahead and self._ahead[-1].kind == "eof":
                return self._ahead[-1]
            self._ahead.append(next(self._stream))
        return self._ahead[k]

    def next(self) -> _Token:
        tok = self.peek()
        if tok.kind != "eof":
            self._ahead.pop(0)
            self.pos += 1
        self.last = tok
        return tok

    def fail(self, tok: _Token, message: str) -> GameFileError:
        line, col = _line_col(self.text, tok.offset)
        return GameFileError(f"{self.source}, line {line}, column {col}: {message}")

    def expect(self, kind: str, what: str) -> _Token:
        tok = self.next()
        if tok.kind != kind:
            raise self.fail(tok, f"expected {what}, found {tok.describe()}")
        return tok

    def number(self, tok: _Token, what: str) -> sympy.Rational:
        if tok.kind == "eof":
            raise self.fail(tok, f"file ends early: expected {what}")
        if tok.kind != "word":
            raise self.fail(tok, f"expected {what}, found {tok.describe()}")
        cached = self._numbers.get(tok.text)
        if cached is not None:
            return cached
        value = _parse_number(tok.text)
        if value is None:
            raise self.fail(
                tok,
                f"bad number {short_text(tok.text)} in {what} (expected an integer, a rational such as 3/4 or a decimal such as 0.25, "
                f"exponent at most {_MAX_EXPONENT}, at most {MAX_INTEGER_DIGITS} digits)",
            )
        self._numbers[tok.text] = value
        return value

    def integer(self, what: str) -> tuple[int, _Token]:
        tok = self.next()
        if tok.kind == "word" and _INT_RE.fullmatch(tok.text):
            if len(tok.text) > 30:
                raise self.fail(tok, f"{what}: {short_text(tok.text)} is far too large")
            return int(tok.text), tok
        if tok.kind == "eof":
            raise self.fail(tok, f"file ends early: expected {what}")
        raise self.fail(tok, f"expected {what} (an integer), found {tok.describe()}")

    def strings_in_braces(self, what: str) -> list[str]:
        self.expect("{", f"'{{' opening the list of {what}")
        out = []
        while True:
            tok = self.next()
            if tok.kind == "}":
                return out
            if tok.kind != "str":
                raise self.fail(tok, f"expected a quoted name in the list of {what} or '}}', found {tok.describe()}")
            out.append(tok.text)


def _parse_number(text: str) -> sympy.Rational | None:
    """Exact value of a Gambit number token, or None if it is not one (or beyond the size limits)."""
    if len(text) > MAX_INTEGER_DIGITS + 10:
        return None
    with _LiftedDigitLimit():
        if _INT_RE.fullmatch(text):
            return sympy.Integer(int(text))
        m = _RATIO_RE.fullmatch(text)
        if m:
            den = int(m.group(2))
            if den == 0:
                return None
            return sympy.Rational(int(m.group(1)), den)
        m = _DECIMAL_RE.fullmatch(text)
        if m:
            if m.group(2) and (len(m.group(2)) > 8 or abs(int(m.group(2)[1:])) > _MAX_EXPONENT):
                return None
            f = Fraction(text)
            return sympy.Rational(f.numerator, f.denominator)
    return None


# ---------------------------------------------------------------------- reading
def _file_order(shape: tuple[int, ...]) -> Iterator[tuple[int, ...]]:
    """Pure profiles (action indices) in ``.nfg`` order: the first player's strategy changes fastest."""
    for rev in itertools.product(*(range(m) for m in reversed(shape))):
        yield rev[::-1]


def _storage_index(profile: tuple[int, ...], shape: tuple[int, ...]) -> int:
    k = 0
    for a, m in zip(profile, shape):
        k = k * m + a
    return k


def parse_nfg(text: str, source: str = "<string>") -> Game:
    """Read a game from the text of a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    text : str
        The file contents.
    source : str
        Name used in error messages (the file name).

    Returns
    -------
    Game
        A dense game with exact rational payoffs; player and action names are kept
        (actions are named ``"1"``, ``"2"``, ... when the file gives only counts).
        The file's comment string is not kept.

    Raises
    ------
    GameFileError
        If the text is not a valid ``.nfg`` file; the message names ``source``,
        the line and column, and what was expected.

    Examples
    --------
    Outcome version; the first player's strategy changes fastest in the file:

    >>> g = parse_nfg('''NFG 1 R "" { "A" "B" } { 2 1 }
    ... { { "" 1, 2 } { "x" 3/4, 0.5 } }
    ... 2 0''')
    >>> g.payoffs
    ((3/4, 0), (1/2, 0))
    >>> parse_nfg('NFG 1 R "" { "A" "B" } { 2 2 } 1 2 3', source="t.nfg")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: t.nfg, line 1, column 37: file ends early: expected 8 payoff numbers (2 players x 4 profiles), found 3
    """
    p = _Parser(text, source)
    tok = p.next()
    if tok.kind != "word" or tok.text != "NFG":
        raise p.fail(tok, f"expected the header 'NFG 1 R' (a Gambit strategic-form file), found {tok.describe()}")
    tok = p.next()
    if tok.kind != "word" or tok.text != "1":
        raise p.fail(tok, f"expected format version 1 after 'NFG', found {tok.describe()}")
    tok = p.next()
    if tok.kind != "word" or tok.text not in ("R", "D"):
        raise p.fail(tok, f"expected 'R' or 'D' after 'NFG 1', found {tok.describe()}")
    title = p.expect("str", "the quoted game title").text
    players = p.strings_in_braces("player names")
    if not players:
        raise p.fail(p.last or tok, "expected at least one player")
    n = len(players)

    # strategies: { 2 2 } or { { "a" "b" } { "c" "d" } }
    open_tok = p.expect("{", "'{' opening the strategy counts or strategy names")
    actions: list[tuple[str, ...]] = []
    labels: list[tuple[str, ...] | None] = []  # the file's own labels of players with repeated strategy names
    if p.peek().kind == "{":
        while p.peek().kind == "{":
            start = p.peek()
            names = p.strings_in_braces(f"strategy names of player {len(actions) + 1}")
            if not names:
                raise p.fail(start, f"player {len(actions) + 1} has no strategies (expected at least one name)")
            if len(names) > MAX_READ_PROFILES:
                raise p.fail(start, f"player {len(actions) + 1} has {len(names)} strategies, more than the limit {MAX_READ_PROFILES}")
            if len(set(names)) != len(names):  # Gambit allows it: strategies are identified by position
                labels = labels or [None] * len(actions)
                labels.append(tuple(names))
                names = _distinct_names(names)
            elif labels:
                labels.append(None)
            actions.append(tuple(names))
        p.expect("}", "'}' closing the list of strategy names")
    else:
        while p.peek().kind != "}":
            count, ctok = p.integer(f"the number of strategies of player {len(actions) + 1} or '}}'")
            if count < 1:
                raise p.fail(ctok, f"player {len(actions) + 1}: {count} strategies (expected a positive count)")
            if count > MAX_READ_PROFILES:
                raise p.fail(ctok, f"player {len(actions) + 1}: {_size_text(count)} strategies, more than the limit "
                                   f"{MAX_READ_PROFILES} (pure profiles of a .nfg file)")
            actions.append(tuple(str(k + 1) for k in range(count)))
        p.next()
    if len(actions) != n:
        raise p.fail(open_tok, f"strategies given for {len(actions)} players, expected {n} (one entry per player)")
    shape = tuple(len(a) for a in actions)
    n_prof = math.prod(shape)
    if n_prof > MAX_READ_PROFILES or n * n_prof > MAX_READ_ENTRIES:
        raise p.fail(open_tok, f"{n} players with {' x '.join(map(str, shape)) if n <= 12 else _size_text(n_prof)} strategies: "
                               f"{_size_text(n_prof)} pure profiles and {_size_text(n * n_prof)} payoffs, more than the limit of "
                               f"{MAX_READ_PROFILES} profiles and {MAX_READ_ENTRIES} payoffs for a .nfg file "
                               f"(keep large symmetric games in the compact anonymous .toml form)")

    if p.peek().kind == "str":  # optional comment
        p.next()

    columns: list[list[Any]] = [[sympy.Integer(0)] * n_prof for _ in range(n)]
    order = [_storage_index(prof, shape) for prof in _file_order(shape)]
    if p.peek().kind == "{":
        _read_outcome_version(p, n, n_prof, order, columns)
    else:
        total = n * n_prof
        for f, k in enumerate(order):
            for i in range(n):
                tok = p.next()
                if tok.kind == "eof":
                    raise p.fail(
                        tok,
                        f"file ends early: expected {total} payoff numbers ({n} players x {n_prof} profiles), "
                        f"found {f * n + i}",
                    )
                columns[i][k] = p.number(tok, f"payoff of player {i + 1} at profile {f + 1} of {n_prof}")
    tok = p.next()
    if tok.kind != "eof":
        raise p.fail(tok, f"expected the end of the file after the payoffs, found {tok.describe()}")
    rows = [tuple(c) for c in columns]
    if all(r == rows[0] for r in rows[1:]):  # common payoff: share one row (cheap is_common_payoff)
        rows = [rows[0]] * n
    game = Game(tuple(actions), tuple(rows), tuple(players), title)
    if labels:
        labels += [None] * (n - len(labels))
        _FILE_LABELS[game] = tuple(lab if lab is not None else acts for lab, acts in zip(labels, actions))
    return game


def _distinct_names(names: list[str]) -> list[str]:
    """Display names for strategies sharing a label: the first keeps it, a later one gets ``#k`` (its position).

    Examples
    --------
    >>> _distinct_names(["defect", "defect"])
    ['defect', 'defect#2']
    """
    out: list[str] = []
    seen = set(names)
    used: set[str] = set()
    for k, x in enumerate(names, start=1):
        name = x
        if name in used:
            name = f"{x}#{k}"
            while name in used or name in seen:
                name += "'"
        used.add(name)
        out.append(name)
    return out


def file_labels(game: Game) -> tuple[tuple[str, ...], ...]:
    """The strategy labels as the ``.nfg`` file gave them (repeated labels kept), else the action names.

    Examples
    --------
    >>> g = parse_nfg('NFG 1 R "" { "1" "2" } { { "c" "d" } { "d" "d" } } 0 0 0 0 0 0 0 0')
    >>> g.actions[1], file_labels(g)[1]
    (('d', 'd#2'), ('d', 'd'))
    """
    return _FILE_LABELS.get(game, tuple(game.actions))


def _size_text(n: int) -> str:
    """A count for a message: digits when short, else about 10^k."""
    s = str(n) if n < 10**30 else f"about 10^{len(str(n)) - 1}"
    return s


def _read_outcome_version(p: _Parser, n: int, n_prof: int, order: list[int], columns: list[list[Any]]) -> None:
    p.expect("{", "'{' opening the outcome list")
    outcomes: list[tuple[sympy.Rational, ...]] = []
    while True:
        tok = p.next()
        if tok.kind == "}":
            break
        if tok.kind != "{":
            raise p.fail(tok, f"expected '{{' opening outcome {len(outcomes) + 1} or '}}' closing the outcome list, "
                         f"found {tok.describe()}")
        label = p.expect("str", f"the quoted name of outcome {len(outcomes) + 1}")
        vals = []
        while True:
            t = p.next()
            if t.kind == "}":
                break
            if t.kind == ",":
                continue
            if t.kind == "eof":
                raise p.fail(t, f"file ends early: outcome {len(outcomes) + 1} (line {_line_col(p.text, label.offset)[0]}) is not closed by '}}'")
            vals.append(p.number(t, f"payoff of player {len(vals) + 1} in outcome {len(outcomes) + 1}"))
        if len(vals) != n:
            raise p.fail(label, f"outcome {len(outcomes) + 1} has {len(vals)} payoffs, expected {n} (one per player)")
        outcomes.append(tuple(vals))
    for f, k in enumerate(order):
        tok = p.next()
        if tok.kind == "eof":
            raise p.fail(tok, f"file ends early: expected {n_prof} outcome indices (one per profile), found {f}")
        if tok.kind != "word" or not _INT_RE.fullmatch(tok.text):
            raise p.fail(tok, f"expected the outcome index of profile {f + 1} of {n_prof} (an integer), found {tok.describe()}")
        if len(tok.text) > 30:
            raise p.fail(tok, f"outcome index {short_text(tok.text)} out of range (expected 0..{len(outcomes)})")
        idx = int(tok.text)
        if not 0 <= idx <= len(outcomes):
            raise p.fail(tok, f"outcome index {idx} out of range (expected 0..{len(outcomes)}; 0 is the null outcome)")
        if idx:
            for i in range(n):
                columns[i][k] = outcomes[idx - 1][i]


def read_nfg(path: str | Path) -> Game:
    """Read a Gambit ``.nfg`` file exactly.

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Game

    Raises
    ------
    GameFileError
        Malformed file (the message names the file, line and problem).
    OSError
        The file cannot be read.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "g.nfg")
    >>> _ = open(path, "w").write('NFG 1 R "pd" { "1" "2" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g = read_nfg(path)     # file order: (1,1) (2,1) (1,2) (2,2), player 1 fastest
    >>> g.payoff(0, ("2", "1")), g.payoff(1, ("2", "1"))
    (5, 0)
    >>> d.cleanup()
    """
    raw = read_limited(path, MAX_NFG_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return parse_nfg(text, str(path))
