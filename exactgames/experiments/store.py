"""The on-disk store of a GAMUT sweep: one SQLite file, one row per game.

A sweep writes each game in its own transaction as soon as the game is done,
so an interrupted sweep loses nothing that was already written, and a resumed
sweep skips every finished key ``(class, players, actions, index)``.

Tables
------
``meta``
    ``key -> JSON value``: the store format, the seed and seed mode, the
    payoff scale and the list of sweep invocations (their parameters).
``games``
    One row per game: the key, the seed that drew it, its exact payoffs, the
    certified symmetric optimum (exact value string, proved value interval,
    support, mixed or pure, exact strategy), the Table 8 quantity (exact and
    as a proved interval), the paper pipeline's float verdicts (best of the
    20 runs and its "mixed" classification) and timings.
``runs``
    One row per baseline run: method, float value, strategy, numeric support,
    whether it found the certified optimum (value within ``FOUND_TOL`` of the
    optimum *and* the same support) and whether it counts as "optimal" under
    the paper's own criterion (value above best-of-20 minus ``PAPER_EPS``).

Results are :class:`GameRecord` / :class:`RunRecord` frozen dataclasses; the
store turns them into rows and back.

Examples
--------
>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "r.sqlite")
>>> store = ResultStore.create(path, {"seed": 1, "seed_mode": "derived", "scale": "code"})
>>> rec = GameRecord(cls="random", n_players=2, n_actions=2, index=0, seed=7,
...     payoffs=(((2, 0), "1/2"), ((1, 1), "1"), ((0, 2), "1/4")),
...     value="9/16", value_lo="9/16", value_hi="9/16", value_float=0.5625, value_exact=True,
...     strategy=("3/4", "1/4"), support=(0, 1), mixed=True, method="test")
>>> store.write(rec)
>>> store.done_keys()
{('random', 2, 2, 0)}
>>> store.read()[0] == rec
True
>>> store.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field, fields, replace
from fractions import Fraction
from typing import Any, Iterable

from exactgames.model.exact import ExactError

__all__ = [
    "FORMAT",
    "FOUND_TOL",
    "PAPER_EPS",
    "SUPPORT_TOL",
    "StoreError",
    "RunRecord",
    "GameRecord",
    "ResultStore",
    "open_store",
    "records_equal",
]

FORMAT = "exactgames-sweep-1"
FOUND_TOL = 1e-9
"""A run found the certified optimum when its value is within this of the optimum (and the support agrees)."""
PAPER_EPS = 1e-3
"""The paper's ``analyze.py`` counts a run optimal when its value exceeds best-of-20 minus this."""
SUPPORT_TOL = 1e-6
"""A coordinate of a float strategy above this counts as in its numeric support."""


class StoreError(ExactError):
    """A results store that cannot be created, opened or resumed (names the file and the problem)."""


@dataclass(frozen=True)
class RunRecord:
    """One baseline run of one game.

    Attributes
    ----------
    method : str
        ``"slsqp"`` or ``"replicator"`` (as the baseline reported it).
    index : int
        Position of the run among the game's runs.
    value : float | None
        Float expected utility reached (None when the run was discarded, as
        the paper discards SLSQP results off the simplex).
    strategy : tuple of float
    support : tuple of int
        Coordinates above :data:`SUPPORT_TOL`.
    found : bool
        Value within :data:`FOUND_TOL` of the certified optimum and the same support.
    paper_found : bool
        The paper's criterion: value > best-of-20 - :data:`PAPER_EPS`.
    """

    method: str
    index: int
    value: float | None
    strategy: tuple[float, ...]
    support: tuple[int, ...]
    found: bool
    paper_found: bool


@dataclass(frozen=True)
class GameRecord:
    """Everything a sweep records about one game (exact values as strings).

    Timings ``t_*`` are wall seconds of each stage; ``cpu_seconds`` is the
    worker's CPU time for the whole game (robust to a busy machine).

    The key is ``(cls, n_players, n_actions, index)``; ``seed`` is the seed
    the generator was called with.  ``status`` is ``"ok"`` when the optimum
    was certified; otherwise ``"incomplete"`` or ``"error"`` with ``message``
    and the game is left out of the tables.
    """

    cls: str
    n_players: int
    n_actions: int
    index: int
    seed: int
    payoffs: tuple[tuple[tuple[int, ...], str], ...]
    value: str = ""
    value_lo: str = ""
    value_hi: str = ""
    value_float: float | None = None
    value_exact: bool = True
    strategy: tuple[str, ...] = ()
    support: tuple[int, ...] = ()
    mixed: bool | None = None
    method: str = ""
    min_support_payoff: str | None = None
    decrease: str | None = None
    decrease_lo: str | None = None
    decrease_hi: str | None = None
    decrease_float: float | None = None
    paper_best_value: float | None = None
    paper_mixed: bool | None = None
    paper_best_support: tuple[int, ...] | None = None
    runs: tuple[RunRecord, ...] = ()
    status: str = "ok"
    message: str = ""
    t_generate: float = 0.0
    t_certify: float = 0.0
    t_baselines: float = 0.0
    t_perturbation: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def key(self) -> tuple[str, int, int, int]:
        return (self.cls, self.n_players, self.n_actions, self.index)

    def optimal_supports(self) -> set[tuple[int, ...]]:
        """Supports of optimal strategies: the stored one, plus every pure strategy whose payoff equals the optimum.

        The certified solver reports one representative optimum; when several
        pure strategies tie (every CollaborationGame: all all-same outcomes pay
        the maximum 1), each of them is optimal too.  Ties are detected exactly
        from the stored payoffs (an irrational optimum cannot tie with a pure
        payoff).  Mixed ties between different supports are not detected (a
        measure-zero event for the GAMUT generators).

        Examples
        --------
        >>> r = GameRecord("collaboration", 2, 2, 0, 0, (((2, 0), "1"), ((1, 1), "1/3"), ((0, 2), "1")),
        ...                value="1", support=(0,), mixed=False)
        >>> sorted(r.optimal_supports())
        [(0,), (1,)]
        """
        out = {tuple(self.support)}
        try:
            v = Fraction(self.value)
        except (ValueError, ZeroDivisionError):
            return out
        for counts, pay in self.payoffs:
            if max(counts) == self.n_players and Fraction(pay) == v:
                out.add((counts.index(self.n_players),))
        return out

    def without_timings(self) -> "GameRecord":
        """The record with every timing set to 0 (for comparing two sweeps' results)."""
        return replace(self, t_generate=0.0, t_certify=0.0, t_baselines=0.0, t_perturbation=0.0, cpu_seconds=0.0)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["payoffs"] = {",".join(map(str, c)): v for c, v in self.payoffs}
        return d


_GAME_COLUMNS = [f.name for f in fields(GameRecord) if f.name != "runs"]
_JSON_COLUMNS = {"payoffs", "strategy", "support", "paper_best_support"}
_BOOL_COLUMNS = {"value_exact", "mixed", "paper_mixed"}
_RUN_COLUMNS = [f.name for f in fields(RunRecord)]

def _q(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS games ({_q(_GAME_COLUMNS)},
    PRIMARY KEY ("cls", "n_players", "n_actions", "index"));
CREATE TABLE IF NOT EXISTS runs ("cls", "n_players", "n_actions", "game_index", {_q(_RUN_COLUMNS)},
    PRIMARY KEY ("cls", "n_players", "n_actions", "game_index", "index"));
"""


def _game_row(rec: GameRecord) -> list[Any]:
    row = []
    for name in _GAME_COLUMNS:
        v = getattr(rec, name)
        if name in _JSON_COLUMNS:
            v = None if v is None else json.dumps([[list(c), s] for c, s in v] if name == "payoffs" else list(v))
        elif name in _BOOL_COLUMNS:
            v = None if v is None else int(bool(v))
        row.append(v)
    return row


def _game_from_row(row: sqlite3.Row, runs: tuple[RunRecord, ...]) -> GameRecord:
    kw: dict[str, Any] = {}
    for name in _GAME_COLUMNS:
        v = row[name]
        if name in _JSON_COLUMNS and v is not None:
            data = json.loads(v)
            v = tuple((tuple(c), s) for c, s in data) if name == "payoffs" else tuple(data)
        elif name in _BOOL_COLUMNS and v is not None:
            v = bool(v)
        kw[name] = v
    return GameRecord(runs=runs, **kw)


def _run_row(rec: GameRecord, run: RunRecord) -> list[Any]:
    return [rec.cls, rec.n_players, rec.n_actions, rec.index, run.method, run.index, run.value,
            json.dumps(list(run.strategy)), json.dumps(list(run.support)), int(run.found), int(run.paper_found)]


def _run_from_row(row: sqlite3.Row) -> RunRecord:
    return RunRecord(row["method"], row["index"], row["value"], tuple(json.loads(row["strategy"])),
                     tuple(json.loads(row["support"])), bool(row["found"]), bool(row["paper_found"]))


@dataclass
class ResultStore:
    """An open results store (SQLite).  Use :meth:`create` or :meth:`open`; close with :meth:`close`.

    Writes happen only through :meth:`write` (one transaction per game) and
    :meth:`set_meta`; reads return :class:`GameRecord` values.
    """

    path: str
    conn: sqlite3.Connection = field(repr=False)

    @classmethod
    def create(cls, path: str, meta: dict[str, Any]) -> "ResultStore":
        """Create a new store at ``path`` (refused if the file exists), crash-safe.

        The tables and the format marker are written to a temporary file in the
        same folder, which is then linked to ``path`` in one step (``os.link``
        fails if ``path`` exists, so two creators cannot both win): a kill at any
        moment leaves either no store or a complete one.
        """
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise StoreError(f"{path}: cannot create the results store: folder {folder} does not exist")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StoreError(f"{path}: cannot create the results store: folder {folder} is not writable")
        if os.path.exists(path):
            raise StoreError(f"{path}: results store already exists (resume it, or choose another path)")
        tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.creating")
        try:
            if os.path.exists(tmp):
                os.unlink(tmp)
            conn = sqlite3.connect(tmp)
            try:
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                     [(k, json.dumps(v, default=str)) for k, v in {"format": FORMAT, **meta}.items()])
            finally:
                conn.close()
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise StoreError(f"{path}: results store already exists (resume it, or choose another path)") from None
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"{path}: cannot create the results store ({getattr(exc, 'strerror', None) or exc})") from None
        finally:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return cls.open(path)

    @classmethod
    def open(cls, path: str) -> "ResultStore":
        """Open an existing store (refused if missing or not a sweep store)."""
        if not os.path.exists(path):
            raise StoreError(f"{path}: no such results store")
        if not os.path.isfile(path):
            raise StoreError(f"{path}: not a regular file, so not a results store")
        try:
            conn = sqlite3.connect(path, timeout=60)
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a results store ({exc})") from None
        if not rows or json.loads(rows[0][0]) != FORMAT:
            conn.close()
            raise StoreError(f"{path}: not a results store of format {FORMAT!r}")
        conn.execute(_CLAIMS)
        return cls(path, conn)

    # -- claims: concurrent runs on one store do not compute the same game ---------
    def claim(self, key: tuple[str, int, int, int], owner: str) -> bool:
        """Claim the game ``key`` for ``owner`` (``"PID:TOKEN"``); False if it is done or claimed by a live process.

        A claim of a process that no longer runs (killed) is taken over.
        """
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            if self.conn.execute('SELECT 1 FROM games WHERE cls = ? AND n_players = ? AND n_actions = ? AND "index" = ? '
                                 "AND status != 'error'", key).fetchone():
                return False
            row = self.conn.execute("SELECT owner FROM claims WHERE cls = ? AND n_players = ? AND n_actions = ? "
                                    "AND game_index = ?", key).fetchone()
            if row is not None and row[0] != owner and _owner_alive(row[0]):
                return False
            self.conn.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?, ?)", (*key, owner))
            return True

    def release(self, owner: str) -> None:
        """Drop every claim of ``owner`` (at the end of a run, finished or interrupted)."""
        with self.conn:
            self.conn.execute("DELETE FROM claims WHERE owner = ?", (owner,))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- metadata ---------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        """All metadata as a dict of decoded JSON values."""
        return {r["key"]: json.loads(r["value"]) for r in self.conn.execute("SELECT key, value FROM meta")}

    def set_meta(self, values: dict[str, Any]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, json.dumps(v, default=str)) for k, v in values.items()],
            )

    # -- games ------------------------------------------------------------
    def write(self, rec: GameRecord) -> None:
        """Write one game and its runs in a single transaction (replacing an earlier row of the same key)."""
        cols = _q(_GAME_COLUMNS)
        marks = ", ".join("?" for _ in _GAME_COLUMNS)
        run_marks = ", ".join("?" for _ in range(4 + len(_RUN_COLUMNS)))
        with self.conn:
            self.conn.execute(
                'DELETE FROM runs WHERE cls = ? AND n_players = ? AND n_actions = ? AND game_index = ?', rec.key
            )
            self.conn.execute(f"INSERT OR REPLACE INTO games ({cols}) VALUES ({marks})", _game_row(rec))
            self.conn.executemany(f"INSERT INTO runs VALUES ({run_marks})", [_run_row(rec, r) for r in rec.runs])

    def done_keys(self) -> set[tuple[str, int, int, int]]:
        """Keys of every game already written."""
        return {tuple(r) for r in self.conn.execute('SELECT cls, n_players, n_actions, "index" FROM games')}

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM games").fetchone()[0])

    def read(self, cls: str | None = None) -> list[GameRecord]:
        """Every game record (optionally of one class), sorted by key."""
        runs: dict[tuple, list[RunRecord]] = {}
        for r in self.conn.execute('SELECT * FROM runs ORDER BY cls, n_players, n_actions, game_index, "index"'):
            runs.setdefault((r["cls"], r["n_players"], r["n_actions"], r["game_index"]), []).append(_run_from_row(r))
        q = 'SELECT * FROM games' + (" WHERE cls = ?" if cls else "") + ' ORDER BY cls, n_players, n_actions, "index"'
        out = []
        for row in self.conn.execute(q, (cls,) if cls else ()):
            key = (row["cls"], row["n_players"], row["n_actions"], row["index"])
            out.append(_game_from_row(row, tuple(runs.get(key, ()))))
        return out


_CLAIMS = ('CREATE TABLE IF NOT EXISTS claims (cls TEXT, n_players INTEGER, n_actions INTEGER, game_index INTEGER, '
           'owner TEXT, PRIMARY KEY (cls, n_players, n_actions, game_index))')


def _owner_alive(owner: str) -> bool:
    """Whether the process of a claim (``"PID:TOKEN"``) still runs on this machine."""
    try:
        pid = int(owner.split(":", 1)[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def open_store(path: str) -> ResultStore:
    """Open an existing store for reading (same as :meth:`ResultStore.open`)."""
    return ResultStore.open(path)


def records_equal(a: Iterable[GameRecord], b: Iterable[GameRecord]) -> bool:
    """Whether two collections of records hold the same results (timings ignored)."""
    return [r.without_timings() for r in a] == [r.without_timings() for r in b]
