"""The ``.dpomdp`` format of the MADP toolbox (Dec-POMDPs), read exactly.

The format (Spaan and Oliehoek's extension of Cassandra's ``.pomdp``)::

    agents: 2                          (a count or names)
    discount: 1
    values: reward                     (or cost: rewards are negated)
    states: tiger-left tiger-right     (a count or names)
    start:                             (probabilities, "uniform", one state name,
    uniform                             or "start include: s1 s2" / "start exclude: s1")
    actions:                           (one line per agent: a count or names)
    listen open-left open-right
    listen open-left open-right
    observations:                      (one line per agent)
    hear-left hear-right
    hear-left hear-right
    T: <ja> : <s> : <s'> : p           T: <ja> : <s> :  then a row     T: <ja> :  then a matrix,
                                                                        "uniform" or "identity"
    O: <ja> : <s'> : <jo> : p          O: <ja> : <s'> : then a row     O: <ja> :  then a matrix or "uniform"
    R: <ja> : <s> : <s'> : <jo> : r    R: <ja> : <s> : <s'> : then a row over joint observations
                                       R: <ja> : <s> :  then a matrix (next states x joint observations)

A joint action ``<ja>`` is one action per agent (a name, an index or ``*``), a
single ``*`` for every joint action, or one joint index (the last agent's action
changing fastest, as in MADP); joint observations likewise; a state is a name,
an index or ``*``.  Later entries overwrite earlier ones.  ``#`` starts a comment.
Numbers are exact: ``0.85`` is ``17/20``; integers, decimals with exponents and
rationals ``a/b`` are accepted.  Every transition and observation row must sum to
exactly 1.  Errors name the file, line and column, and what was expected.

Examples
--------
>>> m = parse_dpomdp('''agents: 1
... discount: 1
... values: reward
... states: s
... start:
... uniform
... actions:
... a b
... observations:
... o
... T: * : identity
... O: * : uniform
... R: a : * : * : * : 0.5''')
>>> m.R[(0, (0,))], m.R[(0, (1,))]
(Fraction(1, 2), Fraction(0, 1))
>>> parse_dpomdp("agents: 2 b", source="x.dpomdp")
Traceback (most recent call last):
...
exactgames.io.GameFileError: x.dpomdp, line 1, column 9: expected the number of agents or their names, found '2'... (a name list needs at least 1 name and no name may be a number)
"""

from __future__ import annotations

import itertools
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from exactgames.io import GameFileError
from exactgames.model.decpomdp import DecPOMDP

__all__ = ["read_dpomdp", "parse_dpomdp"]

_KEY_RE = re.compile(r"^\s*(agents|discount|values|states|start(?:\s+include|\s+exclude)?|actions|observations|T|O|R)\s*:")
_TOKEN_RE = re.compile(r":|[^\s:]+")
_NUM_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,4})?|[+-]?\d+/\d+")


_ZERO = Fraction(0)


class _Tok:
    __slots__ = ("text", "line", "col")

    def __init__(self, text: str, line: int, col: int) -> None:
        self.text, self.line, self.col = text, line, col


class _Stmt:
    def __init__(self, key: str, line: int, col: int) -> None:
        self.key, self.line, self.col = key, line, col
        self.head: list[_Tok] = []  # tokens on the keyword's line after the colon
        self.rows: list[list[_Tok]] = []  # tokens of the following lines, one list per line


def _statements(text: str, source: str) -> list[_Stmt]:
    out: list[_Stmt] = []
    for ln, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.split("#", 1)[0]
        m = _KEY_RE.match(line)
        start = 0
        if m:
            key = " ".join(m.group(1).split())
            st = _Stmt(key, ln, m.start(1) + 1)
            out.append(st)
            start = m.end()
        elif not line.strip():
            continue
        elif not out:
            col = len(line) - len(line.lstrip()) + 1
            raise GameFileError(f"{source}, line {ln}, column {col}: expected a section such as 'agents:' at the start, "
                                f"found {line.strip()[:30]!r}")
        toks = [_Tok(t.group(0), ln, t.start() + 1) for t in _TOKEN_RE.finditer(line, start)]
        if m:
            out[-1].head = toks
        elif toks:
            out[-1].rows.append(toks)
    return out


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.stmts = _statements(text, source)
        self.end_line = max(1, text.count("\n") + 1)

    def fail(self, tok: _Tok | _Stmt | None, msg: str) -> GameFileError:
        if tok is None:
            return GameFileError(f"{self.source}, line {self.end_line}: {msg}")
        return GameFileError(f"{self.source}, line {tok.line}, column {tok.col}: {msg}")

    def number(self, tok: _Tok, what: str) -> Fraction:
        if not _NUM_RE.fullmatch(tok.text) or re.fullmatch(r"[+-]?\d+/0+", tok.text):
            raise self.fail(tok, f"expected {what} (an exact number such as 0.85, 17/20 or 1), found {tok.text!r}")
        return Fraction(tok.text)

    def section(self, key: str, required: bool = True) -> _Stmt | None:
        found = [s for s in self.stmts if s.key == key]
        if len(found) > 1:
            raise self.fail(found[1], f"a second '{key}:' section (expected one)")
        if not found and required:
            raise GameFileError(f"{self.source}: found no '{key}:' section (expected one)")
        return found[0] if found else None

    def names(self, toks: list[_Tok], what: str, owner: _Stmt) -> tuple[str, ...]:
        if not toks:
            raise self.fail(owner, f"expected {what}: a count or a list of names, found nothing")
        if len(toks) == 1 and toks[0].text.isdigit():
            k = int(toks[0].text)
            if k < 1:
                raise self.fail(toks[0], f"expected a positive number of {what}, found {k}")
            return tuple(str(i) for i in range(k))
        for t in toks:
            if t.text == ":" or t.text.isdigit():
                raise self.fail(t, f"expected {what}: a count or names (no name may be a number or ':'), found {t.text!r}")
        if len({t.text for t in toks}) != len(toks):
            raise self.fail(toks[0], f"repeated name in the {what}")
        return tuple(t.text for t in toks)


def _fields(toks: list[_Tok]) -> list[list[_Tok]]:
    out: list[list[_Tok]] = [[]]
    for t in toks:
        if t.text == ":":
            out.append([])
        else:
            out[-1].append(t)
    if len(out) > 1 and not out[-1]:
        out.pop()
    return out


def parse_dpomdp(text: str, source: str = "<string>") -> DecPOMDP:
    """Read a Dec-POMDP from the text of a ``.dpomdp`` file.

    Raises
    ------
    GameFileError
        Naming ``source``, the line and column, and what was expected.
    """
    rd = _Reader(text, source)
    ag = rd.section("agents")
    if ag.rows:
        raise rd.fail(ag.rows[0][0], "expected the agents on the 'agents:' line")
    if len(ag.head) == 1 and not ag.head[0].text.isdigit():
        agents = (ag.head[0].text,)
    elif len(ag.head) == 1:
        agents = tuple(str(i + 1) for i in range(int(ag.head[0].text)))
        if not agents:
            raise rd.fail(ag.head[0], "expected at least 1 agent, found 0")
    elif ag.head and not any(t.text.isdigit() or t.text == ":" for t in ag.head):
        agents = tuple(t.text for t in ag.head)
    else:
        tok = ag.head[0] if ag.head else ag
        raise rd.fail(tok, "expected the number of agents or their names" + (f", found {ag.head[0].text!r}..." if ag.head else "")
                      + " (a name list needs at least 1 name and no name may be a number)")
    n = len(agents)
    discount = Fraction(1)
    st = rd.section("discount", required=False)
    if st is not None:
        if len(st.head) != 1:
            raise rd.fail(st, "expected one number after 'discount:'")
        discount = rd.number(st.head[0], "the discount")
        if not 0 <= discount <= 1:
            raise rd.fail(st.head[0], f"expected a discount in [0, 1], found {discount}")
    sign = Fraction(1)
    st = rd.section("values", required=False)
    if st is not None:
        if len(st.head) != 1 or st.head[0].text not in ("reward", "cost"):
            raise rd.fail(st.head[0] if st.head else st, "expected 'reward' or 'cost' after 'values:'")
        sign = Fraction(1 if st.head[0].text == "reward" else -1)
    sst = rd.section("states")
    states = rd.names(sst.head + [t for r in sst.rows for t in r], "states", sst)
    S = len(states)
    acts = rd.section("actions")
    obs = rd.section("observations")

    def per_agent(stmt: _Stmt, what: str) -> tuple[tuple[str, ...], ...]:
        lines = ([stmt.head] if stmt.head else []) + stmt.rows
        if len(lines) != n:
            raise rd.fail(stmt, f"expected one line of {what} per agent ({n} lines), found {len(lines)}")
        return tuple(rd.names(line, what, stmt) for line in lines)

    actions = per_agent(acts, "actions")
    observations = per_agent(obs, "observations")
    start = _start(rd, states)

    joint_a = list(itertools.product(*(range(len(a)) for a in actions)))
    joint_o = list(itertools.product(*(range(len(o)) for o in observations)))

    def state_sel(f: list[_Tok], what: str) -> list[int]:
        if len(f) != 1:
            raise rd.fail(f[0] if f else None, f"expected one {what} (a name, an index or '*')")
        t = f[0].text
        if t == "*":
            return list(range(S))
        if t in states:
            return [states.index(t)]
        if t.isdigit() and int(t) < S:
            return [int(t)]
        raise rd.fail(f[0], f"expected {what} (one of {', '.join(states[:6])}{'...' if S > 6 else ''}, an index or '*'), found {t!r}")

    def joint_sel(f: list[_Tok], names: tuple[tuple[str, ...], ...], joint: list[tuple[int, ...]], what: str) -> list[tuple[int, ...]]:
        if not f:
            raise rd.fail(None, f"expected a joint {what}")
        if len(f) == 1 and f[0].text == "*":
            return list(joint)
        if len(f) == 1 and n > 1:
            if f[0].text.isdigit() and int(f[0].text) < len(joint):
                return [joint[int(f[0].text)]]
            raise rd.fail(f[0], f"expected a joint {what}: one per agent ({n}), '*' or a joint index below {len(joint)}, found {f[0].text!r}")
        if len(f) != n:
            raise rd.fail(f[0], f"expected a joint {what}: one per agent ({n}), found {len(f)}")
        choices = []
        for i, t in enumerate(f):
            if t.text == "*":
                choices.append(range(len(names[i])))
            elif t.text in names[i]:
                choices.append([names[i].index(t.text)])
            elif t.text.isdigit() and int(t.text) < len(names[i]):
                choices.append([int(t.text)])
            else:
                raise rd.fail(t, f"expected an {what} of agent {agents[i]} (one of {', '.join(names[i])}, an index or '*'), found {t.text!r}")
        return list(itertools.product(*choices))

    def values(stmt: _Stmt, rest: list[_Tok], count: int, what: str) -> list[_Tok]:
        toks = rest + [t for r in stmt.rows for t in r]
        if len(toks) != count:
            where = toks[count] if len(toks) > count else (toks[-1] if toks else stmt)
            raise rd.fail(where, f"expected {count} number{'s' if count != 1 else ''} for {what}, found {len(toks)}")
        return toks

    T: dict[tuple, list[Fraction]] = {}
    O: dict[tuple, dict[tuple, Fraction]] = {}  # noqa: E741 - the standard name
    rules: dict[tuple, list] = {}  # (s, ja) -> reward rules in file order (the last matching one wins)
    for stmt in rd.stmts:
        if stmt.key not in ("T", "O", "R"):
            continue
        fs = _fields(stmt.head)
        if len(fs) > 1 and len(fs[-1]) == 1 and fs[-1][0].text in ("uniform", "identity") and not stmt.rows:
            stmt.rows = [fs.pop()]  # "T: * : uniform" on one line
        if stmt.key == "T":
            jas = joint_sel(fs[0], actions, joint_a, "action")
            if len(fs) >= 4 or (len(fs) == 3 and stmt.rows):
                ss, s2s = state_sel(fs[1], "start state"), state_sel(fs[2], "end state")
                v = rd.number(values(stmt, fs[3] if len(fs) > 3 else [], 1, "the transition probability")[0], "a probability")
                for ja in jas:
                    for s in ss:
                        row = T.setdefault((s, ja), [_ZERO] * S)
                        for s2 in s2s:
                            row[s2] = v
            elif len(fs) == 2:
                ss = state_sel(fs[1], "start state")
                row = _row(rd, stmt, values, S, "a row of next-state probabilities", identity_ok=False)
                for ja in jas:
                    for s in ss:
                        T[(s, ja)] = list(row)
            elif len(fs) == 1:
                mat = _matrix(rd, stmt, S, S, "the transition matrix", identity_ok=True)
                for ja in jas:
                    for s in range(S):
                        T[(s, ja)] = list(mat[s])
            else:
                raise rd.fail(stmt, "expected 'T: ja : s : s\\' : p', 'T: ja : s' and a row, or 'T: ja' and a matrix")
        elif stmt.key == "O":
            jas = joint_sel(fs[0], actions, joint_a, "action")
            if len(fs) >= 4 or (len(fs) == 3 and stmt.rows):
                s2s = state_sel(fs[1], "end state")
                jos = joint_sel(fs[2], observations, joint_o, "observation")
                v = rd.number(values(stmt, fs[3] if len(fs) > 3 else [], 1, "the observation probability")[0], "a probability")
                for ja in jas:
                    for s2 in s2s:
                        d = O.setdefault((ja, s2), {})
                        for jo in jos:
                            d[jo] = v
            elif len(fs) == 2:
                s2s = state_sel(fs[1], "end state")
                row = _row(rd, stmt, values, len(joint_o), "a row of joint-observation probabilities", identity_ok=False)
                for ja in jas:
                    for s2 in s2s:
                        O[(ja, s2)] = dict(zip(joint_o, row))
            elif len(fs) == 1:
                mat = _matrix(rd, stmt, S, len(joint_o), "the observation matrix", identity_ok=False)
                for ja in jas:
                    for s2 in range(S):
                        O[(ja, s2)] = dict(zip(joint_o, mat[s2]))
            else:
                raise rd.fail(stmt, "expected 'O: ja : s\' : jo : p', 'O: ja : s\'' and a row, or 'O: ja' and a matrix")
        else:
            jas = joint_sel(fs[0], actions, joint_a, "action")
            if len(fs) < 2:
                raise rd.fail(stmt, "expected 'R: ja : s : s\\' : jo : r' (or a row or matrix form)")
            ss = state_sel(fs[1], "start state")
            # a rule (end states or None for all, joint observations or None for all, a value or a table); rules are kept
            # per (s, ja) in file order and looked up lazily: "R: ja : s : * : * : r" never expands to |S| x |O| entries
            if len(fs) >= 5 or (len(fs) == 4 and stmt.rows):
                s2s = state_sel(fs[2], "end state")
                jos = joint_sel(fs[3], observations, joint_o, "observation")
                v = rd.number(values(stmt, fs[4] if len(fs) > 4 else [], 1, "the reward")[0], "a reward")
                rule = (None if len(s2s) == S else frozenset(s2s), None if len(jos) == len(joint_o) else frozenset(jos), sign * v, None)
            elif len(fs) == 3:
                s2s = state_sel(fs[2], "end state")
                toks = values(stmt, [], len(joint_o), "a row of rewards over joint observations")
                table = {(s2, jo): sign * rd.number(t, "a reward") for s2 in s2s for jo, t in zip(joint_o, toks)}
                rule = (frozenset(s2s), None, None, table)
            else:
                toks = values(stmt, [], S * len(joint_o), "a matrix of rewards (next states x joint observations)")
                vals = [rd.number(t, "a reward") for t in toks]
                table = {(s2, jo): sign * vals[s2 * len(joint_o) + k] for s2 in range(S) for k, jo in enumerate(joint_o)}
                rule = (None, None, None, table)
            for ja in jas:
                for s in ss:
                    rules.setdefault((s, ja), []).append(rule)
    for ja in joint_a:
        for s in range(S):
            row = T.get((s, ja))
            nz = None if row is None else [p for p in row if p is not _ZERO]  # (sparse entries leave the shared zero)
            if nz is None or sum(nz, _ZERO) != 1:
                total = "no entries" if nz is None else f"sum {sum(nz, _ZERO)}"
                raise GameFileError(f"{source}: the transition probabilities from state {states[s]!r} under joint action "
                                    f"{_ja(actions, ja)} are not a distribution ({total}; expected sum 1)")
            if any(p < 0 for p in nz):
                raise GameFileError(f"{source}: a negative transition probability from state {states[s]!r} under {_ja(actions, ja)}")
        for s2 in range(S):
            d = O.get((ja, s2))
            if d is None or sum(d.values()) != 1 or any(p < 0 for p in d.values()):
                total = "no entries" if d is None else f"sum {sum(d.values())}"
                raise GameFileError(f"{source}: the observation probabilities after joint action {_ja(actions, ja)} into state "
                                    f"{states[s2]!r} are not a distribution ({total}; expected sum 1)")
    R: dict[tuple, Fraction] = {}
    for ja in joint_a:
        for s in range(S):
            total = Fraction(0)
            here = rules.get((s, ja), [])[::-1]
            if here:
                for s2, p in enumerate(T[(s, ja)]):
                    if p is _ZERO or not p:
                        continue
                    for jo, q in O[(ja, s2)].items():
                        if q:
                            r = _reward(here, s2, jo)
                            if r:
                                total += p * q * r
            R[(s, ja)] = total
    title = Path(source).stem if source != "<string>" else ""
    return DecPOMDP(agents, states, actions, observations, start, {k: tuple(v) for k, v in T.items()}, O, R, discount, title)


def _reward(rules: list, s2: int, jo: tuple) -> Fraction:
    """The reward of the last rule (``rules`` is reversed) covering end state ``s2`` and joint observation ``jo``."""
    for s2s, jos, v, table in rules:
        if table is not None:
            r = table.get((s2, jo))
            if r is not None:
                return r
        elif (s2s is None or s2 in s2s) and (jos is None or jo in jos):
            return v
    return Fraction(0)


def _ja(actions: tuple, ja: tuple) -> str:
    return "(" + ", ".join(actions[i][a] for i, a in enumerate(ja)) + ")"


def _row(rd: _Reader, stmt: _Stmt, values: Any, k: int, what: str, identity_ok: bool) -> list[Fraction]:
    toks = [t for r in stmt.rows for t in r]
    if len(toks) == 1 and toks[0].text == "uniform":
        return [Fraction(1, k)] * k
    return [rd.number(t, "a probability") for t in values(stmt, [], k, what)]


def _matrix(rd: _Reader, stmt: _Stmt, rows: int, cols: int, what: str, identity_ok: bool) -> list[list[Fraction]]:
    toks = [t for r in stmt.rows for t in r]
    if len(toks) == 1 and toks[0].text == "uniform":
        return [[Fraction(1, cols)] * cols for _ in range(rows)]
    if len(toks) == 1 and toks[0].text == "identity":
        if not identity_ok:
            raise rd.fail(toks[0], f"'identity' is not allowed for {what} (expected 'uniform' or {rows * cols} numbers)")
        return [[Fraction(int(i == j)) for j in range(cols)] for i in range(rows)]
    if len(toks) != rows * cols:
        where = toks[rows * cols] if len(toks) > rows * cols else (toks[-1] if toks else stmt)
        raise rd.fail(where, f"expected {what}: {rows} x {cols} numbers" + (", 'uniform' or 'identity'" if identity_ok else " or 'uniform'")
                      + f", found {len(toks)} entries")
    vals = [rd.number(t, "a probability") for t in toks]
    return [vals[i * cols:(i + 1) * cols] for i in range(rows)]


def _start(rd: _Reader, states: tuple[str, ...]) -> tuple[Fraction, ...]:
    S = len(states)
    inc = rd.section("start include", required=False)
    exc = rd.section("start exclude", required=False)
    st = rd.section("start", required=False)
    if sum(x is not None for x in (inc, exc, st)) > 1:
        raise rd.fail(inc or exc, "expected one of 'start:', 'start include:', 'start exclude:'")
    if st is None and inc is None and exc is None:
        return tuple([Fraction(1, S)] * S)
    which = st or inc or exc
    toks = which.head + [t for r in which.rows for t in r]
    if st is not None:
        if len(toks) == 1 and toks[0].text == "uniform":
            return tuple([Fraction(1, S)] * S)
        if len(toks) == 1 and toks[0].text in states:
            return tuple(Fraction(int(s == toks[0].text)) for s in states)
        if len(toks) != S:
            raise rd.fail(toks[S] if len(toks) > S else which, f"expected the start distribution: {S} probabilities, 'uniform' or a state name, found {len(toks)} entries")
        probs = tuple(rd.number(t, "a start probability") for t in toks)
        if sum(probs) != 1 or any(p < 0 for p in probs):
            raise rd.fail(toks[0], f"the start probabilities sum to {sum(probs)} (expected exactly 1)")
        return probs
    chosen = set()
    for t in toks:
        if t.text in states:
            chosen.add(states.index(t.text))
        elif t.text.isdigit() and int(t.text) < S:
            chosen.add(int(t.text))
        else:
            raise rd.fail(t, f"expected a state name or index, found {t.text!r}")
    keep = chosen if inc is not None else set(range(S)) - chosen
    if not keep:
        raise rd.fail(which, "no start state left")
    return tuple(Fraction(1, len(keep)) if s in keep else Fraction(0) for s in range(S))


def read_dpomdp(path: str | Path) -> DecPOMDP:
    """Read a ``.dpomdp`` file (see :func:`parse_dpomdp`)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise GameFileError(f"{path}: not a text file (expected UTF-8 text of a .dpomdp file): {exc}") from None
    return parse_dpomdp(text, source=str(path))
