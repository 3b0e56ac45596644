"""The native game file: TOML for symbolic, anonymous and general-payoff games.

Three forms, chosen by the ``form`` key::

    title = "ten robots"
    players = 10                    # an int, or a list of player names
    actions = ["a", "b", "c"]       # one list for every player (dense/general: or one list per player)
    form = "anonymous"              # "anonymous" | "dense" | "general"
    parameters = { eps = "positive" }   # positive, nonnegative, real, or an interval "[0, 1]", "(0, 1/2]"
    default = "0"                   # value of every entry not listed (optional)

    [[payoff]]                      # anonymous: payoff by action counts (missing actions count 0)
    counts = { a = 10 }
    value = "1"

    [[payoff]]                      # dense (common payoff): one entry per pure profile
    profile = ["a", "b"]
    value = "1 + eps"

    [[payoff]]                      # general: one value per player
    profile = ["a", "b"]
    values = ["1", "-1"]

Values are exact: TOML integers, or strings read by
:func:`exactgames.model.parse.parse_exact` with the declared parameter names
only (``"3/4"``, ``"0.1"`` = 1/10, ``"1 + eps"``, ``"2 - sqrt(2)"``); nothing is
evaluated beyond arithmetic.  A bare TOML float such as ``0.1`` is refused
unless the file sets ``exact_decimals = true``; then the float's *source
text* is read exactly (the reader asks :mod:`tomllib` for the literal, so
``0.1`` is 1/10 and ``0.30000000000000001`` stays that decimal; ``inf`` and
``nan`` are refused).  Parameters become sympy symbols with the declared
assumptions (``positive=True``, ``nonnegative=True``, ``real=True``; an
interval gives ``real=True``) and the declarations are kept in the game's
``domains`` field.

Errors name the file and the entry, e.g. ``game.toml: payoff entry 3
(counts {b=1, c=8}): counts sum to 9, expected players = 10``.

Examples
--------
>>> g = parse_toml('''
... players = 3
... actions = ["a", "b"]
... form = "anonymous"
... parameters = { eps = "positive" }
... default = "0"
... [[payoff]]
... counts = { a = 3 }
... value = "1 + eps"
... ''')
>>> g.value((3, 0)), g.value((1, 2)), g.domains
(eps + 1, 0, (('eps', 'positive'),))
>>> print(format_toml(g))
players = 3
actions = ["a", "b"]
form = "anonymous"
parameters = { eps = "positive" }
default = "0"
<BLANKLINE>
[[payoff]]
counts = { a = 3 }
value = "eps + 1"
<BLANKLINE>
"""

from __future__ import annotations

import itertools
import json
import math
import re
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

import sympy

from exactgames.io import GameFileError
from exactgames.io.files import atomic_write, read_limited
from exactgames.model.exact import ExactError, compare, is_rational
from exactgames.model.game import AnonymousGame, Game, count_vectors
from exactgames.model.parse import parse_exact, short_text

__all__ = ["read_toml", "write_toml", "parse_toml", "format_toml", "parameter_symbol", "in_domain", "MAX_DENSE_PROFILES",
           "MAX_PLAYERS", "MAX_COUNT_VECTORS", "MAX_TOML_BYTES"]

MAX_DENSE_PROFILES = 1_000_000
"""Largest number of pure profiles a ``dense`` or ``general`` TOML game may have."""
MAX_PLAYERS = 100_000
"""Largest number of players of a TOML game (anonymous games: their count vectors are bounded too)."""
MAX_TOML_BYTES = 8 * 2**20
"""Largest TOML game file read (8 MiB: Python's TOML reader takes seconds per MiB)."""
MAX_COUNT_VECTORS = 1_000_000
"""Largest number of count vectors C(n + m - 1, m - 1) of an ``anonymous`` TOML game (checked before enumerating)."""

_TOP_KEYS = ("title", "players", "actions", "form", "parameters", "default", "exact_decimals", "payoff")
_FORMS = ("anonymous", "dense", "general")
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_RESERVED = {"sqrt", "Rational", "CRootOf", "rootof", "root"}
_INTERVAL_RE = re.compile(r"\s*([\[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*")
_BARE_KEY_RE = re.compile(r"[A-Za-z0-9_-]+")
_MAX_EXPONENT = 4000  # exact_decimals: a float exponent beyond this is refused (it would take forever to expand)


class _TomlFloat(str):
    """The source text of a TOML float literal (tomllib's ``parse_float`` hook)."""


# ---------------------------------------------------------------------- parameters
def _endpoint(text: str, where: str) -> sympy.Expr:
    t = text.strip()
    if t in ("oo", "+oo", "inf", "+inf"):
        return sympy.oo
    if t in ("-oo", "-inf"):
        return -sympy.oo
    try:
        v = parse_exact(t)
    except ExactError as exc:
        raise GameFileError(f"{where}: interval endpoint {t!r}: {exc}") from None
    if v.free_symbols or not v.is_real:
        raise GameFileError(f"{where}: interval endpoint {t!r} is not a real number")
    return v


def parameter_symbol(name: str, assumption: str, where: str = "parameters") -> sympy.Symbol:
    """The sympy symbol for a declared parameter.

    Parameters
    ----------
    name : str
        A Python identifier.
    assumption : str
        ``"positive"``, ``"nonnegative"``, ``"real"``, or an interval such as
        ``"[0, 1]"``, ``"(0, 1/2]"``, ``"(0, oo)"`` (an interval gives a real symbol).
    where : str
        Prefix of error messages.

    Examples
    --------
    >>> parameter_symbol("eps", "positive").is_positive
    True
    >>> parameter_symbol("t", "(0, 1/2]").is_real
    True
    >>> parameter_symbol("t", "[1, 0]")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: parameters: t = '[1, 0]': empty interval (lower end 1 above upper end 0)
    """
    if not _NAME_RE.fullmatch(name) or name in _RESERVED:
        raise GameFileError(f"{where}: {name!r} is not a usable parameter name (expected an identifier, not a function name)")
    if not isinstance(assumption, str):
        raise GameFileError(f"{where}: {name} = {assumption!r}: expected a string such as \"positive\" or \"[0, 1]\"")
    a = assumption.strip()
    if a == "positive":
        return sympy.Symbol(name, positive=True)
    if a == "nonnegative":
        return sympy.Symbol(name, nonnegative=True)
    if a == "real":
        return sympy.Symbol(name, real=True)
    m = _INTERVAL_RE.fullmatch(a)
    if not m:
        raise GameFileError(
            f"{where}: {name} = {assumption!r}: unknown assumption (expected positive, nonnegative, real, "
            f"or an interval such as \"[0, 1]\" or \"(0, 1/2]\")"
        )
    ctx = f"{where}: {name} = {assumption!r}"
    lo, hi = _endpoint(m.group(2), ctx), _endpoint(m.group(3), ctx)
    if (lo.is_infinite and m.group(1) == "[") or (hi.is_infinite and m.group(4) == "]"):
        raise GameFileError(f"{ctx}: an infinite end must be open")
    if lo == sympy.oo or hi == -sympy.oo:
        raise GameFileError(f"{ctx}: empty interval")
    if not (lo.is_infinite or hi.is_infinite):
        c = compare(lo, hi)
        if c > 0 or (c == 0 and (m.group(1) == "(" or m.group(4) == ")")):
            raise GameFileError(f"{ctx}: empty interval (lower end {lo} above upper end {hi})" if c > 0 else f"{ctx}: empty interval")
    return sympy.Symbol(name, real=True)


def in_domain(value: sympy.Expr, assumption: str) -> bool:
    """Whether an exact real constant lies in a declared parameter domain (decided exactly).

    Examples
    --------
    >>> in_domain(sympy.Integer(-1), "positive"), in_domain(sympy.Integer(0), "nonnegative")
    (False, True)
    >>> in_domain(sympy.Rational(1, 2), "(0, 1/2]"), in_domain(sympy.Integer(0), "(0, 1/2]")
    (True, False)
    """
    a = assumption.strip()
    if a == "real":
        return True
    if a in ("positive", "nonnegative"):
        s = compare(value, 0)
        return s > 0 or (s == 0 and a == "nonnegative")
    m = _INTERVAL_RE.fullmatch(a)
    if not m:
        return True
    lo, hi = _endpoint(m.group(2), "interval"), _endpoint(m.group(3), "interval")
    if not lo.is_infinite:
        c = compare(value, lo)
        if c < 0 or (c == 0 and m.group(1) == "("):
            return False
    if not hi.is_infinite:
        c = compare(value, hi)
        if c > 0 or (c == 0 and m.group(4) == ")"):
            return False
    return True


def _assumption_of(sym: sympy.Symbol) -> str:
    if sym.is_positive:
        return "positive"
    if sym.is_nonnegative:
        return "nonnegative"
    return "real"


# ---------------------------------------------------------------------- reading helpers
class _Reader:
    def __init__(self, source: str, symbols: dict[str, sympy.Symbol], exact_decimals: bool) -> None:
        self.source = source
        self.symbols = symbols
        self.exact_decimals = exact_decimals
        self._cache: dict[Any, sympy.Expr] = {}

    def error(self, where: str, message: str) -> GameFileError:
        return GameFileError(f"{self.source}: {where}: {message}")

    def value(self, raw: Any, where: str) -> sympy.Expr:
        key = (type(raw), raw) if isinstance(raw, (str, int)) else None
        hit = self._cache.get(key) if key is not None else None
        if hit is not None:
            return hit
        if isinstance(raw, _TomlFloat):
            if not self.exact_decimals:
                raise self.error(
                    where,
                    f"bare TOML float {raw} refused (floats are not exact): write it as a string \"{raw}\" "
                    f"or set exact_decimals = true to read decimal literals exactly",
                )
            text = raw.replace("_", "")
            exponent = re.search(r"[eE]([+-]?\d+)$", text)
            try:
                if exponent and abs(int(exponent.group(1))) > _MAX_EXPONENT:
                    raise ValueError(text)
                f = Fraction(text)
            except ValueError:
                raise self.error(where, f"float {raw} is not a finite decimal with exponent at most {_MAX_EXPONENT}") from None
            out: sympy.Expr = sympy.Rational(f.numerator, f.denominator)
        elif isinstance(raw, bool):
            raise self.error(where, f"{raw!r} is a boolean, expected a number or a string such as \"3/4\"")
        elif isinstance(raw, int):
            out = sympy.Integer(raw)
        elif isinstance(raw, str):
            try:
                out = parse_exact(raw, self.symbols)
            except ExactError as exc:
                raise self.error(where, str(exc)) from None
        else:
            raise self.error(where, f"{raw!r} is {_toml_type(raw)}, expected a number or a string such as \"3/4\"")
        if key is not None:
            self._cache[key] = out
        return out


def _toml_type(raw: Any) -> str:
    if isinstance(raw, dict):
        return "a table"
    if isinstance(raw, list):
        return "an array"
    if isinstance(raw, _TomlFloat):
        return "a float"
    return f"a {type(raw).__name__}"


def _names(raw: Any, what: str, err: Callable[[str], GameFileError]) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise err(f"expected a non-empty list of {what} names, found {raw!r}")
    out = []
    for x in raw:
        if not isinstance(x, str) or isinstance(x, _TomlFloat):
            raise err(f"{what} name {x!r} is not a string")
        out.append(x)
    dups = [x for x in out if out.count(x) > 1]
    if dups:
        raise err(f"duplicate {what} name {dups[0]!r}")
    return tuple(out)


def _count_text(k: int) -> str:
    return str(k) if k < 10**30 else f"about 10^{len(str(k)) - 1}"


def _counts_text(counts: dict) -> str:
    return "{" + ", ".join(f"{k}={v}" for k, v in counts.items()) + "}"


def _vector_text(actions: tuple[str, ...], c: tuple[int, ...]) -> str:
    return "{" + ", ".join(f"{a}={k}" for a, k in zip(actions, c) if k) + "}"


# ---------------------------------------------------------------------- reading
def parse_toml(text: str, source: str = "<string>") -> Game | AnonymousGame:
    """Read a game from the text of a native TOML game file.

    Parameters
    ----------
    text : str
        The file contents (see the module docstring for the format).
    source : str
        Name used in error messages (the file name).

    Returns
    -------
    Game or AnonymousGame
        ``form = "anonymous"`` gives an :class:`AnonymousGame`; ``"dense"``
        (common payoff) and ``"general"`` give a :class:`Game`.

    Raises
    ------
    GameFileError
        Invalid TOML, unknown keys, undeclared names, bare floats (unless
        ``exact_decimals = true``), missing or duplicate entries, counts that do
        not sum to ``players``, unknown actions; the message names the entry.

    Examples
    --------
    >>> g = parse_toml('''
    ... players = ["row", "col"]
    ... actions = [["u", "d"], ["l"]]
    ... form = "general"
    ... [[payoff]]
    ... profile = ["u", "l"]
    ... values = [1, "-1/2"]
    ... [[payoff]]
    ... profile = ["d", "l"]
    ... values = ["0.25", 0]
    ... ''')
    >>> g.players, g.payoffs
    (('row', 'col'), ((1, 1/4), (-1/2, 0)))
    >>> parse_toml('players = 2\\nactions = ["a"]\\nform = "dense"\\ndefault = 0.5', source="g.toml")
    Traceback (most recent call last):
    ...
    exactgames.io.GameFileError: g.toml: default: bare TOML float 0.5 refused (floats are not exact): write it as a string "0.5" or set exact_decimals = true to read decimal literals exactly
    """
    try:
        data = tomllib.loads(text, parse_float=_TomlFloat)
    except tomllib.TOMLDecodeError as exc:
        raise GameFileError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise GameFileError(f"{source}: not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # an integer literal beyond Python's digit limit
        raise GameFileError(f"{source}: not valid TOML: {str(exc)[:200]}") from None

    def top(message: str) -> GameFileError:
        return GameFileError(f"{source}: {message}")

    for key in data:
        if key not in _TOP_KEYS:
            raise top(f"unknown key {key!r} (allowed keys: {', '.join(_TOP_KEYS)})")
    form = data.get("form")
    if form is None:
        raise top(f"missing key 'form' (expected one of {', '.join(map(repr, _FORMS))})")
    if form not in _FORMS:
        raise top(f"form = {form!r}: expected one of {', '.join(map(repr, _FORMS))}")
    title = data.get("title", "")
    if not isinstance(title, str) or isinstance(title, _TomlFloat):
        raise top(f"title: expected a string, found {title!r}")
    exact_decimals = data.get("exact_decimals", False)
    if not isinstance(exact_decimals, bool):
        raise top(f"exact_decimals: expected true or false, found {exact_decimals!r}")

    # players
    if "players" not in data:
        raise top("missing key 'players' (an integer, or a list of player names)")
    raw_players = data["players"]
    if isinstance(raw_players, int) and not isinstance(raw_players, bool):
        if raw_players < 1:
            raise top(f"players = {short_text(raw_players, 30)[1:-1]}: expected at least 1 player")
        if raw_players > MAX_PLAYERS:
            raise top(f"players = {short_text(raw_players, 30)[1:-1]}: more than the limit of {MAX_PLAYERS} players")
        n, players = raw_players, ()
    elif isinstance(raw_players, list):
        players = _names(raw_players, "player", lambda m: top(f"players: {m}"))
        n = len(players)
    else:
        raise top(f"players: expected an integer or a list of player names, found {raw_players!r}")

    # parameters
    raw_params = data.get("parameters", {})
    if not isinstance(raw_params, dict):
        raise top(f"parameters: expected a table such as {{ eps = \"positive\" }}, found {raw_params!r}")
    symbols: dict[str, sympy.Symbol] = {}
    domains = []
    for name, assumption in raw_params.items():
        symbols[name] = parameter_symbol(name, assumption, where=f"{source}: parameters")
        domains.append((name, assumption.strip()))
    reader = _Reader(source, symbols, exact_decimals)
    default = reader.value(data["default"], "default") if "default" in data else None

    entries = data.get("payoff", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise top("payoff: expected [[payoff]] tables")
    if "actions" not in data:
        raise top("missing key 'actions' (a list of action names)")
    raw_actions = data["actions"]

    if form == "anonymous":
        if isinstance(raw_actions, list) and any(isinstance(a, list) for a in raw_actions):
            raise top("actions: the anonymous form takes one list of action names shared by all players")
        actions = _names(raw_actions, "action", lambda m: top(f"actions: {m}"))
        return _anonymous(reader, n, actions, players, title, tuple(domains), entries, default)
    if isinstance(raw_actions, list) and raw_actions and all(isinstance(a, list) for a in raw_actions):
        if len(raw_actions) != n:
            raise top(f"actions: {len(raw_actions)} action lists, expected {n} (one per player)")
        per_player = tuple(_names(a, "action", lambda m, i=i: top(f"actions of player {i + 1}: {m}")) for i, a in enumerate(raw_actions))
    else:
        per_player = (_names(raw_actions, "action", lambda m: top(f"actions: {m}")),) * n
    return _dense(reader, form, per_player, players, title, tuple(domains), entries, default)


def _anonymous(
    reader: _Reader,
    n: int,
    actions: tuple[str, ...],
    players: tuple[str, ...],
    title: str,
    domains: tuple,
    entries: list[dict],
    default: sympy.Expr | None,
) -> AnonymousGame:
    m = len(actions)
    expected = math.comb(n + m - 1, m - 1)
    if expected > MAX_COUNT_VECTORS:
        raise reader.error(
            "form = 'anonymous'", f"{n} players and {m} actions give {_count_text(expected)} count vectors, more than the "
            f"limit of {MAX_COUNT_VECTORS} (fewer players or actions)")
    pos = {a: k for k, a in enumerate(actions)}
    table: dict[tuple[int, ...], sympy.Expr] = {}
    first_at: dict[tuple[int, ...], int] = {}
    for e_no, entry in enumerate(entries, start=1):
        counts = entry.get("counts")
        label = f"payoff entry {e_no}" + (f" (counts {_counts_text(counts)})" if isinstance(counts, dict) else "")
        for key in entry:
            if key not in ("counts", "value"):
                raise reader.error(label, f"unknown key {key!r} (an anonymous payoff entry has 'counts' and 'value')")
        if not isinstance(counts, dict):
            raise reader.error(label, "expected counts = { action = number of players, ... }")
        if "value" not in entry:
            raise reader.error(label, "missing 'value'")
        vec = [0] * m
        for a, c in counts.items():
            if a not in pos:
                raise reader.error(label, f"unknown action {a!r} (actions: {', '.join(actions)})")
            if not isinstance(c, int) or isinstance(c, bool) or c < 0:
                raise reader.error(label, f"count of {a!r} is {c!r}, expected a non-negative integer")
            vec[pos[a]] = c
        if sum(vec) != n:
            raise reader.error(label, f"counts sum to {sum(vec)}, expected players = {n}")
        key_vec = tuple(vec)
        if key_vec in table:
            raise reader.error(label, f"duplicate count vector (already given by payoff entry {first_at[key_vec]})")
        table[key_vec] = reader.value(entry["value"], f"{label}: value")
        first_at[key_vec] = e_no
    if len(table) < expected:
        if default is None:
            missing = [c for c in count_vectors(n, m) if c not in table]
            more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
            raise reader.error(
                "payoff",
                f"no entry for count vector {_vector_text(actions, missing[0])}{more} and no 'default' "
                f"(list all {expected} count vectors or set default)",
            )
        for c in count_vectors(n, m):
            table.setdefault(c, default)
    return AnonymousGame(n, actions, table, players, title, domains)


def _dense(
    reader: _Reader,
    form: str,
    actions: tuple[tuple[str, ...], ...],
    players: tuple[str, ...],
    title: str,
    domains: tuple,
    entries: list[dict],
    default: sympy.Expr | None,
) -> Game:
    n = len(actions)
    size = math.prod(len(a) for a in actions)
    if size > MAX_DENSE_PROFILES:
        raise reader.error(
            f"form = {form!r}", f"{size} pure profiles exceed {MAX_DENSE_PROFILES}; use form = \"anonymous\" for large symmetric games"
        )
    strides = [1] * n
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * len(actions[i + 1])
    index = [{a: k for k, a in enumerate(acts)} for acts in actions]
    value_key = "value" if form == "dense" else "values"
    rows: list[list[Any]] = [[None] * size for _ in range(n if form == "general" else 1)]
    first_at: dict[int, int] = {}
    for e_no, entry in enumerate(entries, start=1):
        prof = entry.get("profile")
        label = f"payoff entry {e_no}" + (f" (profile [{', '.join(map(str, prof))}])" if isinstance(prof, list) else "")
        for key in entry:
            if key not in ("profile", value_key):
                raise reader.error(label, f"unknown key {key!r} (a {form} payoff entry has 'profile' and '{value_key}')")
        if not isinstance(prof, list):
            raise reader.error(label, "expected profile = [one action name per player]")
        if len(prof) != n:
            raise reader.error(label, f"profile has {len(prof)} actions, expected {n} (one per player)")
        k = 0
        for i, a in enumerate(prof):
            if a not in index[i]:
                raise reader.error(label, f"player {i + 1} has no action {a!r} (actions: {', '.join(actions[i])})")
            k += index[i][a] * strides[i]
        if k in first_at:
            raise reader.error(label, f"duplicate profile (already given by payoff entry {first_at[k]})")
        first_at[k] = e_no
        if value_key not in entry:
            raise reader.error(label, f"missing '{value_key}'")
        if form == "dense":
            rows[0][k] = reader.value(entry["value"], f"{label}: value")
        else:
            vals = entry["values"]
            if not isinstance(vals, list) or len(vals) != n:
                raise reader.error(label, f"values: expected a list of {n} values (one per player), found {vals!r}")
            for i, v in enumerate(vals):
                rows[i][k] = reader.value(v, f"{label}: value of player {i + 1}")
    if len(first_at) < size:
        if default is None:
            k = next(j for j in range(size) if j not in first_at)
            prof = next(itertools.islice(itertools.product(*actions), k, None))
            more = size - len(first_at) - 1
            raise reader.error(
                "payoff",
                f"no entry for profile [{', '.join(prof)}]" + (f" and {more} more" if more else "")
                + f" and no 'default' (list all {size} profiles or set default)",
            )
        for row in rows:
            for j in range(size):
                if row[j] is None:
                    row[j] = default
    if form == "dense":
        common = tuple(rows[0])
        payoffs = tuple(common for _ in range(n))
    else:
        payoffs = tuple(tuple(r) for r in rows)
    return Game(actions, payoffs, players, title, domains)


def read_toml(path: str | Path) -> Game | AnonymousGame:
    """Read a native TOML game file (see :func:`parse_toml`).

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "g.toml")
    >>> _ = open(path, "w").write('players = 2\\nactions = ["H", "W"]\\nform = "dense"\\ndefault = 1\\n'
    ...     '[[payoff]]\\nprofile = ["H", "W"]\\nvalue = 2\\n[[payoff]]\\nprofile = ["W", "H"]\\nvalue = 2\\n')
    >>> [read_toml(path).payoff(0, p) for p in [("H", "H"), ("H", "W")]]
    [1, 2]
    >>> d.cleanup()
    """
    try:
        text = read_limited(path, MAX_TOML_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GameFileError(f"{path}: not UTF-8 text (TOML files are UTF-8): byte {exc.start} cannot be decoded") from None
    return parse_toml(text, str(path))


# ---------------------------------------------------------------------- writing
def _toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_key(s: str) -> str:
    return s if _BARE_KEY_RE.fullmatch(s) else _toml_string(s)


def _toml_list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_string(x) for x in items) + "]"


def _value_text(v: sympy.Expr, symbols: dict[str, sympy.Symbol], where: str) -> str:
    if is_rational(v):
        r = sympy.Rational(v)
        return str(r.p) if r.q == 1 else f"{r.p}/{r.q}"
    text = str(v)
    try:
        back = parse_exact(text, symbols)
        ok = back == v or sympy.expand(back - v) == 0 or sympy.simplify(back - v) == 0
    except ExactError:
        ok = False
    if not ok:
        raise GameFileError(f"cannot write {where}: the value {v} has no exact text form that reads back (sympy prints {text!r})")
    return text


def _parameter_lines(game: Game | AnonymousGame) -> tuple[list[str], dict[str, sympy.Symbol]]:
    declared = dict(game.domains)
    for s in game.parameters:
        declared.setdefault(str(s), _assumption_of(s))
    symbols = {str(s): s for s in game.parameters}
    for name, a in declared.items():
        symbols.setdefault(name, parameter_symbol(name, a))
    if not declared:
        return [], symbols
    body = ", ".join(f"{name} = {_toml_string(a)}" for name, a in declared.items())
    return [f"parameters = {{ {body} }}"], symbols


def _players_line(game: Game | AnonymousGame) -> str:
    default_names = tuple(str(i + 1) for i in range(game.n_players))
    if tuple(game.players) == default_names:
        return f"players = {game.n_players}"
    return f"players = {_toml_list(tuple(game.players))}"


def format_toml(game: Game | AnonymousGame) -> str:
    """The text of a native TOML game file for ``game``.

    Parameters
    ----------
    game : Game or AnonymousGame
        Payoffs may be rational, algebraic (``sqrt``) or polynomial in parameters;
        every value is written as a string that :func:`parse_exact` reads back
        to the same number (checked; otherwise :class:`GameFileError`).

    Returns
    -------
    str

    Notes
    -----
    Anonymous games are written in anonymous form, common-payoff dense games
    in dense form, other games in general form.  If some value is 0, ``default
    = "0"`` is written and the zero entries are left out.  Parameters are
    declared from ``game.domains``, or else from the symbols' assumptions
    (positive, nonnegative, otherwise real).

    Examples
    --------
    >>> from exactgames.paper_games import taxi_large_groups
    >>> print(format_toml(taxi_large_groups()))
    title = "self-driving taxis, large groups (Table 1c)"
    players = ["Auto", "Mobile"]
    actions = ["H", "W"]
    form = "dense"
    default = "0"
    <BLANKLINE>
    [[payoff]]
    profile = ["H", "H"]
    value = "1"
    <BLANKLINE>
    [[payoff]]
    profile = ["W", "W"]
    value = "1"
    <BLANKLINE>
    """
    lines = []
    if game.title:
        lines.append(f"title = {_toml_string(game.title)}")
    lines.append(_players_line(game))
    params, symbols = _parameter_lines(game)
    zero = sympy.Integer(0)
    if isinstance(game, AnonymousGame):
        lines.append(f"actions = {_toml_list(game.actions)}")
        lines.append('form = "anonymous"')
        lines += params
        vectors = list(count_vectors(game.n_players, len(game.actions)))
        use_default = any(game.payoff[c] == zero for c in vectors)
        if use_default:
            lines.append('default = "0"')
        for c in vectors:
            v = game.payoff[c]
            if use_default and v == zero:
                continue
            counts = ", ".join(f"{_toml_key(a)} = {k}" for a, k in zip(game.actions, c) if k)
            where = f"count vector {_vector_text(game.actions, c)}"
            lines += ["", "[[payoff]]", f"counts = {{ {counts} }}", f"value = {_toml_string(_value_text(v, symbols, where))}"]
        return "\n".join(lines) + "\n"

    same = all(a == game.actions[0] for a in game.actions)
    if same:
        lines.append(f"actions = {_toml_list(game.actions[0])}")
    else:
        lines.append("actions = [" + ", ".join(_toml_list(a) for a in game.actions) + "]")
    common = game.is_common_payoff
    lines.append(f'form = "{"dense" if common else "general"}"')
    lines += params
    rows = game.payoffs[:1] if common else game.payoffs
    use_default = any(all(r[k] == zero for r in rows) for k in range(game.n_profiles))
    if use_default:
        lines.append('default = "0"')
    for k, prof in enumerate(game.profiles()):
        vals = [r[k] for r in rows]
        if use_default and all(v == zero for v in vals):
            continue
        texts = [_toml_string(_value_text(v, symbols, f"profile {list(prof)}")) for v in vals]
        lines += ["", "[[payoff]]", f"profile = {_toml_list(prof)}"]
        lines.append(f"value = {texts[0]}" if common else f"values = [{', '.join(texts)}]")
    return "\n".join(lines) + "\n"


def write_toml(game: Game | AnonymousGame, path: str | Path) -> None:
    """Write ``game`` to a native TOML file atomically (see :func:`format_toml`).

    Parameters
    ----------
    game : Game or AnonymousGame
    path : str or Path
        Written via a temporary file in the same folder and a rename, so a
        failed write leaves an existing file untouched.

    Examples
    --------
    >>> import tempfile, os
    >>> from exactgames.paper_games import ten_robots
    >>> d = tempfile.TemporaryDirectory()
    >>> path = os.path.join(d.name, "robots.toml")
    >>> write_toml(ten_robots(), path)
    >>> g = read_toml(path)
    >>> g.value((0, 1, 9)), g.value((10, 0, 0)), g.value((5, 5, 0)), g.domains
    (eps + 1, 1, 0, (('eps', 'positive'),))
    >>> d.cleanup()
    """
    try:
        text = format_toml(game)
    except GameFileError as exc:
        raise GameFileError(f"{path}: {exc}") from None
    atomic_write(Path(path), text)
