"""Certified optimum at scale, side by side with SCIP's global solver and the paper's pipeline (issue 18).

Usage::

    python benchmarks/scale_bench.py --out R.jsonl [--resume] [--sizes 2x10,3x15] [--games N] [--seed S]
                                     [--classes random,coordination,smallint] [--time-limit T] [--scip-limit S]
                                     [--paper-limit P] [--no-scip] [--no-paper] [--mem-limit-mb M] [--quick]
    python benchmarks/scale_bench.py --report R.jsonl

A tool to run for hours: every game's measurements are appended to the JSONL
file ``--out`` as one line as soon as the game is done (one ``write`` of a
whole line, flushed and fsynced), so Ctrl-C, a kill or a crash leaves a valid
file that holds every finished game.  ``--resume`` skips the games (and the
phases) already in the file; ``--report`` prints the summary table from the
file alone.  One progress line per game goes to stderr.

Games, for every size (players x actions; default the issue's list 2x10 ... 100x3),
class and seed ``--seed`` ... ``--seed + N - 1``:

* ``random``: GAMUT RandomGame (``exactgames.experiments.generators``, scale
  ``appendix`` by default: exact rationals on a grid in [-100, 100]);
* ``coordination``: GAMUT CoordinationGame (same scale);
* ``smallint``: payoffs drawn uniformly from {0, 1, 2} (many ties, degenerate
  faces and continua of optima).

Phases of one game, each in its own forked child process killed at a hard cap
(so a phase that ignores its time limit cannot stall the run):

1. ``opt``: ``exactgames.optimize.optimize(game, time_limit=T)``: wall and CPU
   time, status (``certified``, ``incomplete`` = returned at its limit, claiming
   only its enclosure, ``killed`` = hard cap ``T + 30 s`` reached, ``error``),
   the proved enclosure, certificate size (JSON bytes), the child's peak RSS
   (``ru_maxrss``; ``rss_start_mb`` is what the forked child inherited);
2. ``verify``: ``proofs_check.checker.check_certificate`` on the certificate's
   JSON in a fresh child forked from this process (which never imports
   ``exactgames.optimize``): wall time and whether it accepts (it must);
   skipped for an incomplete result, which claims nothing;
3. ``scip``: SCIP (pyscipopt, the ``bench`` extra, never a runtime dependency)
   on the same symmetric EU polynomial ``sum_c payoff(c) * multinomial(c) *
   prod_a x_a^c_a`` over the simplex (an epigraph variable ``t <= poly``,
   default gaps, time cap ``--scip-limit``): status, time, primal and dual
   bound; SCIP's point is clipped to the simplex and its EU re-evaluated (float);
4. ``paper``: the paper's pipeline (10 SLSQP + 10 replicator runs,
   :func:`exactgames.experiments.baselines.run_baselines`), capped at
   ``--paper-limit``: time and best value.

The report compares in floats only (a benchmark, never a verdict): SCIP
*agrees* when its re-evaluated primal value lies within 1e-6 of our proved
enclosure; for a SCIP run that did not finish, ``scip_gap`` is how far its best
value lies below our proved lower bound; ``BUG?`` flags SCIP's primal above our
proved upper bound or its "optimal" dual bound below our proved lower bound
(one of the two solvers would then be wrong).  Times are wall clock on a
possibly shared machine; CPU time of the child is recorded beside them.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from fractions import Fraction
from typing import Any, Callable, Iterable

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from exactgames.experiments.generators import action_names, generate  # noqa: E402
from exactgames.model.counts import count_vectors, multinomial  # noqa: E402
from exactgames.model.game import AnonymousGame  # noqa: E402

SIZES = [(2, 10), (2, 20), (2, 30), (3, 10), (3, 15), (5, 8), (8, 6), (10, 5), (10, 6), (10, 10),
         (20, 4), (20, 5), (50, 3), (50, 4), (100, 3)]
QUICK_SIZES = [(2, 10), (3, 10), (5, 8), (10, 5), (20, 4), (50, 3)]
CLASSES = ("random", "coordination", "smallint")
PHASES = ("opt", "verify", "scip", "paper")
TOL = 1e-6
#: sizes the issue's acceptance bounds apply to (p90 < 10 s, max < 30 s): up to 10x10, and 2x30
ACCEPT_P90, ACCEPT_MAX = 10.0, 30.0
FORMAT = 1

_CTX = mp.get_context("fork")


# ---------------------------------------------------------------- games


def make_game(kind: str, n: int, m: int, seed: int, scale: str) -> AnonymousGame:
    if kind in ("random", "coordination", "collaboration"):
        return generate(kind, n, m, seed, scale=scale)
    if kind == "smallint":
        rng = np.random.RandomState(seed)
        table = {c: int(rng.randint(0, 3)) for c in count_vectors(n, m)}
        return AnonymousGame.from_function(n, action_names(m), table, title=f"small integers {{0,1,2}} {n}x{m}, seed {seed}")
    raise SystemExit(f"unknown class {kind!r}: expected one of {', '.join(CLASSES)}")


def accepted_size(size: str) -> bool:
    """True for the sizes the acceptance bounds apply to: the issue's sizes "up to 10x10 and 2x30" (at most 10 players)."""
    n, _ = (int(x) for x in size.split("x"))
    return n <= 10


def eu_terms(game: AnonymousGame) -> tuple[np.ndarray, np.ndarray]:
    """Count matrix (K x m) and float coefficients payoff(c) * multinomial(c) of the symmetric EU polynomial."""
    counts, coefs = [], []
    for c, v in game.payoff.items():
        q = Fraction(int(v.p), int(v.q)) * multinomial(c)
        if q != 0:
            counts.append(c)
            coefs.append(float(q))
    return np.array(counts, dtype=np.int64).reshape(-1, len(game.actions)), np.array(coefs, dtype=float)


def eval_eu(counts: np.ndarray, coefs: np.ndarray, x: np.ndarray) -> float:
    return float(np.dot(coefs, np.prod(np.power(x[None, :], counts), axis=1)))


# ---------------------------------------------------------------- the JSONL store


def record_key(rec: dict) -> tuple:
    """The identity of one game: class, size, seed, payoff scale."""
    return (rec["class"], rec["size"], int(rec["seed"]), rec.get("scale", "appendix"))


def load_records(path: str) -> list[dict]:
    """Every complete line of the JSONL file (a last line cut short by a kill is ignored; a missing file is empty)."""
    out: list[dict] = []
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return out
    for k, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            if k == len(lines):  # the unterminated last line of a killed run
                continue
            raise SystemExit(f"{path}:{k}: not a JSON line (was the file written by scale_bench.py?)")
        if not isinstance(rec, dict) or "class" not in rec or "size" not in rec or "seed" not in rec:
            raise SystemExit(f"{path}:{k}: expected a game record with fields class, size, seed")
        out.append(rec)
    return out


def append_record(path: str, rec: dict) -> None:
    """Append one record as one line: one write, flushed and fsynced (a last line cut short by a kill is dropped first)."""
    line = (json.dumps(rec, default=str, separators=(",", ":")) + "\n").encode()
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            keep = size
            while keep > 0 and os.pread(fd, 1, keep - 1) != b"\n":
                keep -= 1
            os.ftruncate(fd, keep)  # the killed run's half line was never a record
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def merge_records(records: Iterable[dict]) -> dict[tuple, dict]:
    """One merged record per game: a later record's phases replace an earlier one's (``--resume`` adds phases)."""
    out: dict[tuple, dict] = {}
    for rec in records:
        key = record_key(rec)
        cur = out.setdefault(key, {})
        for k, v in rec.items():
            if k == "phases":
                cur["phases"] = sorted(set(cur.get("phases", [])) | set(v))
            else:
                cur[k] = v
    return out


def phases_done(merged: dict[tuple, dict], key: tuple) -> set[str]:
    rec = merged.get(key)
    return set(rec.get("phases", [])) if rec else set()


def plan(sizes, classes, games: int, seed: int, scale: str, phases: set[str], merged: dict[tuple, dict]):
    """The games still to run and, for each, the phases missing from the store (``verify`` goes with ``opt``)."""
    todo = []
    for n, m in sizes:
        for cls in classes:
            for s in range(seed, seed + games):
                key = (cls, f"{n}x{m}", s, scale)
                done = phases_done(merged, key)
                need = {p for p in phases if p not in done}
                if "verify" in need and "opt" not in need:  # verify checks the stored run's certificate only
                    need.add("opt")
                if need:
                    todo.append((cls, n, m, s, need))
    return todo


# ---------------------------------------------------------------- children


def _run_child(target: Callable, args: tuple, cap: float, mem_mb: float | None = None) -> dict:
    """Run ``target(conn, *args)`` in a forked child and return its one message, or ``killed`` after ``cap`` seconds."""
    parent, child = _CTX.Pipe(duplex=False)
    p = _CTX.Process(target=_child_main, args=(child, target, args, mem_mb), daemon=True)
    t0 = time.perf_counter()
    p.start()
    child.close()
    try:
        if parent.poll(cap):
            try:
                msg = parent.recv()
            except EOFError:
                msg = {"error": f"child died (exit code {p.exitcode})"}
        else:
            msg = {"killed": True}
    finally:
        if p.is_alive():
            p.kill()
        p.join()
        parent.close()
    msg.setdefault("wall_outer", time.perf_counter() - t0)
    if "error" in msg and p.exitcode is not None and p.exitcode < 0:
        msg["error"] += f" (signal {-p.exitcode})"
    return msg


def _child_main(conn, target: Callable, args: tuple, mem_mb: float | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle (it kills us)
    try:
        if mem_mb:
            lim = int(mem_mb * 2**20)
            resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        conn.send(target(*args))
    except MemoryError:
        conn.send({"error": f"MemoryError (address space capped at {mem_mb:g} MB)"})
    except BaseException as exc:  # report, never crash the run
        conn.send({"error": f"{type(exc).__name__}: {exc}"[:300]})
    finally:
        conn.close()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def opt_phase(game: AnonymousGame, time_limit: float) -> dict:
    rss0 = _rss_mb()
    from exactgames.optimize import optimize

    t0, c0 = time.perf_counter(), time.process_time()
    r = optimize(game, time_limit=time_limit)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    data = r.to_json()
    text = json.dumps(data, default=str)
    lo, hi = r.value_interval
    return {"wall": wall, "cpu": cpu, "status": "certified" if r.complete else "incomplete", "reason": r.reason,
            "method": r.method, "lo": float(lo), "hi": float(hi), "lo_exact": str(lo), "hi_exact": str(hi),
            "value_exact": bool(r.value_exact), "value": str(r.value)[:200], "support": [list(s) for s in r.support],
            "cert_bytes": len(text), "rss_mb": _rss_mb(), "rss_start_mb": rss0,
            "_cert": data if r.complete else None}


def verify_phase(game: AnonymousGame, data: dict) -> dict:
    rss0 = _rss_mb()
    from proofs_check.checker import check_certificate

    t0, c0 = time.perf_counter(), time.process_time()
    rep = check_certificate(game, data)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "ok": bool(rep.ok),
            "errors": [str(e) for e in rep.errors][:3], "rss_mb": _rss_mb(), "rss_start_mb": rss0,
            "imports_optimize": "exactgames.optimize" in sys.modules}


def scip_phase(game: AnonymousGame, cap: float) -> dict:
    from pyscipopt import Model, quicksum
    from pyscipopt.scip import Expr, Term

    counts, coefs = eu_terms(game)
    t0 = time.perf_counter()
    m = len(game.actions)
    model = Model()
    model.hideOutput()
    x = [model.addVar(lb=0.0, ub=1.0, name=f"x{a}") for a in range(m)]
    vals = [float(v) for v in game.payoff.values()]
    t = model.addVar(lb=min(vals) - 1.0, ub=max(vals) + 1.0, name="t")
    terms = {}
    for row, q in zip(counts, coefs):
        vs = []
        for a, k in enumerate(row):
            vs.extend([x[a]] * int(k))
        terms[Term(*vs)] = q
    model.addCons(t - Expr(terms) <= 0)
    model.addCons(quicksum(x) == 1)
    model.setObjective(t, "maximize")
    model.setParam("limits/time", cap)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    model.optimize()
    out = {"wall": time.perf_counter() - t0, "build": build, "status": str(model.getStatus()),
           "solving_time": model.getSolvingTime(), "dual": float(model.getDualbound())}
    if model.getNSols() > 0:
        xs = np.array([max(model.getVal(v), 0.0) for v in x])
        xs = xs / xs.sum() if xs.sum() > 0 else xs
        out["primal"] = float(model.getObjVal())
        out["primal_eval"] = eval_eu(counts, coefs, xs)
    return out


def paper_phase(game: AnonymousGame, seed: int) -> dict:
    from exactgames.experiments.baselines import run_baselines

    t0 = time.perf_counter()
    b = run_baselines(game, seed)
    return {"wall": time.perf_counter() - t0, "best": float(b.best_value), "mixed": bool(b.mixed)}


def scip_available() -> bool:
    try:
        import pyscipopt  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- one game


def _failed(msg: dict, cap: float) -> dict | None:
    if msg.get("killed"):
        return {"status": "killed", "wall": msg["wall_outer"], "error": f"hard cap {cap:g} s reached"}
    if msg.get("error"):
        return {"status": "error", "wall": msg["wall_outer"], "error": msg["error"]}
    return None


def run_game(cls: str, n: int, m: int, seed: int, need: set[str], args: Any) -> dict:
    """Every phase in ``need`` on one game; the record to append."""
    game = make_game(cls, n, m, seed, args.scale)
    rec: dict = {"v": FORMAT, "class": cls, "size": f"{n}x{m}", "seed": seed, "scale": args.scale,
                 "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "load1": os.getloadavg()[0],
                 "phases": sorted(need)}
    mem = args.mem_limit_mb
    if "opt" in need:
        rec["time_limit"] = args.time_limit
        cap = args.time_limit + 30.0
        msg = _run_child(opt_phase, (game, args.time_limit), cap, mem)
        cert = msg.pop("_cert", None)
        rec["opt"] = _failed(msg, cap) or msg
        if "verify" in need:
            if cert is None:
                rec["verify"] = {"status": "skipped", "why": "nothing proved to check"}
            else:
                vcap = max(3 * args.time_limit, 120.0)
                vm = _run_child(verify_phase, (game, cert), vcap, mem)
                rec["verify"] = _failed(vm, vcap) or dict(vm, status="accepted" if vm["ok"] else "refused")
    if "scip" in need:
        cap = args.scip_limit
        sm = _run_child(scip_phase, (game, cap), cap * 1.5 + 60.0, mem)
        rec["scip"] = _failed(sm, cap * 1.5 + 60.0) or sm
    if "paper" in need:
        cap = args.paper_limit
        pm = _run_child(paper_phase, (game, seed), cap, mem)
        rec["paper"] = _failed(pm, cap) or dict(pm, status="finished")
    return rec


def progress_line(rec: dict, k: int, total: int) -> str:
    parts = [f"[{k}/{total}] {rec['size']} {rec['class']} seed {rec['seed']}:"]
    o = rec.get("opt")
    if o:
        parts.append(f"opt {o['wall']:.2f}s {o['status']}" + (f" ({o.get('error') or o.get('reason')})"[:90]
                                                               if o["status"] != "certified" else ""))
    v = rec.get("verify")
    if v:
        parts.append(f"verify {v['status']}" + (f" {v['wall']:.2f}s" if "wall" in v else ""))
    s = rec.get("scip")
    if s:
        parts.append(f"scip {s.get('status')} {s.get('wall', 0):.1f}s")
    p = rec.get("paper")
    if p:
        parts.append(f"paper {p['status']} {p.get('wall', 0):.1f}s")
    return " ".join(parts)


# ---------------------------------------------------------------- the report (from the JSONL alone)


def _pct(xs: list[float], q: float) -> float | None:
    return float(np.percentile(np.array(xs, dtype=float), q)) if xs else None


def _med(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def scip_compare(rec: dict) -> dict:
    """SCIP against our proved enclosure (floats; a benchmark, never a verdict)."""
    o, s = rec.get("opt") or {}, rec.get("scip") or {}
    out: dict = {}
    if o.get("status") != "certified" or not s or "status" not in s:
        return out
    finished = s["status"] == "optimal"
    out["finished"] = finished
    if "primal_eval" in s:
        pe = s["primal_eval"]
        out["agree"] = o["lo"] - TOL <= pe <= o["hi"] + TOL
        out["gap"] = max(o["lo"] - pe, 0.0)
        if pe > o["hi"] + TOL * max(1.0, abs(o["hi"])):
            out["bug"] = "scip primal above the proved upper bound"
    else:
        out["agree"] = False
    if finished and s.get("dual") is not None and s["dual"] < o["lo"] - TOL * max(1.0, abs(o["lo"])):
        out["bug"] = "scip 'optimal' dual bound below the proved lower bound"
    return out


def summarise(recs: list[dict]) -> dict:
    """One row of the table: one size and class."""
    ops = [r["opt"] for r in recs if "opt" in r]
    walls = [o["wall"] for o in ops]
    cert = [o for o in ops if o["status"] == "certified"]
    vs = [r["verify"] for r in recs if r.get("verify", {}).get("status") in ("accepted", "refused")]
    vwalls = [v["wall"] for v in vs]
    slower = sum(1 for r in recs if r.get("verify", {}).get("status") in ("accepted", "refused")
                 and r["verify"]["wall"] > r["opt"]["wall"])
    row: dict = {
        "size": recs[0]["size"], "class": recs[0]["class"], "games": len(ops), "certified": len(cert),
        "not_certified": [(r["seed"], r["opt"]["status"]) for r in recs if "opt" in r and r["opt"]["status"] != "certified"],
        "median": _med(walls), "p90": _pct(walls, 90), "max": max(walls) if walls else None,
        "cpu_max": max((o["cpu"] for o in ops if "cpu" in o), default=None),
        "slowest_seed": recs[int(np.argmax(walls))]["seed"] if walls else None,
        "verify_median": _med(vwalls), "verify_max": max(vwalls) if vwalls else None,
        "verify_ok": sum(1 for v in vs if v["status"] == "accepted"), "verify_n": len(vs), "verify_slower": slower,
        "rss_max": max((o.get("rss_mb", 0.0) for o in ops), default=None),
        "cert_kb_max": max((o.get("cert_bytes", 0) for o in ops), default=0) / 1024.0,
        "load_max": max((r.get("load1", 0.0) for r in recs), default=None),
    }
    sc = [(r, scip_compare(r)) for r in recs if "scip" in r]
    if sc:
        st: dict[str, int] = {}
        for r, _ in sc:
            st[r["scip"].get("status", "?")] = st.get(r["scip"].get("status", "?"), 0) + 1
        fin = [r["scip"]["wall"] for r, c in sc if r["scip"].get("status") == "optimal"]
        fin_ours = [r["opt"]["wall"] for r, c in sc if r["scip"].get("status") == "optimal" and "opt" in r]
        unfinished = [(r, c) for r, c in sc if r["scip"].get("status") != "optimal"]
        row.update({
            "scip_n": len(sc), "scip_status": st, "scip_finished": len(fin), "scip_median": _med(fin),
            "scip_agree": sum(1 for _, c in sc if c.get("agree")), "scip_compared": sum(1 for _, c in sc if c),
            "scip_unfinished": len(unfinished),
            "scip_unfinished_nosol": sum(1 for r, _ in unfinished if "primal_eval" not in r["scip"]),
            "scip_unfinished_gap_max": max((c["gap"] for _, c in unfinished if "gap" in c), default=None),
            "scip_unfinished_gap_median": _med([c["gap"] for _, c in unfinished if "gap" in c]),
            "speedup_median": (_med(fin) / _med(fin_ours)) if fin and fin_ours and _med(fin_ours) > 0 else None,
            "bugs": [(r["seed"], c["bug"]) for r, c in sc if "bug" in c],
        })
    pp = [r for r in recs if "paper" in r]
    if pp:
        fin = [r for r in pp if r["paper"]["status"] == "finished"]
        hit = [r for r in fin if r.get("opt", {}).get("status") == "certified"
               and r["paper"]["best"] >= r["opt"]["lo"] - TOL]
        row.update({"paper_n": len(pp), "paper_finished": len(fin), "paper_median": _med([r["paper"]["wall"] for r in fin]),
                    "paper_found_optimum": len(hit)})
    if walls and accepted_size(row["size"]):
        row["acceptance"] = (len(cert) == len(ops) and row["p90"] < ACCEPT_P90 and row["max"] < ACCEPT_MAX)
    return row


def _f(v: Any, spec: str = ".2f") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    return format(v, spec)


def _size_order(size: str) -> tuple[int, int]:
    n, m = size.split("x")
    return int(n), int(m)


def report(records: list[dict]) -> tuple[list[dict], str]:
    """The summary rows and the table printed from the store's records alone."""
    merged = merge_records(records)
    groups: dict[tuple, list[dict]] = {}
    for rec in merged.values():
        groups.setdefault((rec["size"], rec["class"]), []).append(rec)
    rows = [summarise(sorted(groups[k], key=lambda r: r["seed"]))
            for k in sorted(groups, key=lambda k: (_size_order(k[0]), CLASSES.index(k[1]) if k[1] in CLASSES else 9, k[1]))]
    head = ("size   class         games cert  med_s  p90_s  max_s  verify med/max  vok  v>opt  rssMB  certKB"
            " | scip n  fin agree  med_s  speedup  unfin nosol gap_med  gap_max | paper fin  med_s  found | accept")
    lines = [head]
    for r in rows:
        line = (f"{r['size']:<6} {r['class']:<13} {r['games']:>5} {r['certified']:>4} {_f(r['median']):>6} {_f(r['p90']):>6}"
                f" {_f(r['max']):>6} {_f(r['verify_median']):>7}/{_f(r['verify_max']):<7}"
                f" {r['verify_ok']:>2}/{r['verify_n']:<2} {r['verify_slower']:>5} {_f(r['rss_max'], '.0f'):>6} {_f(r['cert_kb_max'], '.0f'):>7}")
        if "scip_n" in r:
            line += (f" | {r['scip_n']:>6} {r['scip_finished']:>4} {r['scip_agree']:>2}/{r['scip_compared']:<2} {_f(r['scip_median']):>6}"
                     f" {_f(r['speedup_median'], '.1f'):>8} {r['scip_unfinished']:>6} {r['scip_unfinished_nosol']:>5}"
                     f" {_f(r['scip_unfinished_gap_median'], '.3g'):>7} {_f(r['scip_unfinished_gap_max'], '.3g'):>8}")
        else:
            line += " | " + "-".center(64)
        if "paper_n" in r:
            line += f" | {r['paper_finished']:>3}/{r['paper_n']:<3} {_f(r['paper_median'], '.1f'):>6} {r['paper_found_optimum']:>5}"
        else:
            line += " | " + "-".center(20)
        line += " | " + {True: "yes", False: "NO", None: "-"}[r.get("acceptance")]
        lines.append(line)
    notes = []
    for r in rows:
        if r["not_certified"]:
            notes.append(f"{r['size']} {r['class']}: not certified: "
                         + ", ".join(f"seed {s} ({st})" for s, st in r["not_certified"]))
        if r["verify_ok"] < r["verify_n"]:
            notes.append(f"{r['size']} {r['class']}: verify REFUSED {r['verify_n'] - r['verify_ok']} certificates")
        if r.get("bugs"):
            notes.append(f"{r['size']} {r['class']}: SCIP contradicts a proved bound: {r['bugs']}")
    loads = [rec.get("load1") for rec in merged.values() if rec.get("load1") is not None]
    if loads:
        notes.append(f"{len(merged)} games; 1-minute load average at the start of each game: median {statistics.median(loads):.2f},"
                     f" max {max(loads):.2f} ({os.cpu_count()} cpus here)")
    text = "\n".join(lines + ([""] + notes if notes else []))
    return rows, text


# ---------------------------------------------------------------- main


def parse_sizes(text: str) -> list[tuple[int, int]]:
    out = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        a, sep, b = part.partition("x")
        if not sep or not a.isdigit() or not b.isdigit() or int(a) < 2 or int(b) < 2:
            raise argparse.ArgumentTypeError(f"size {part!r}: expected PLAYERSxACTIONS, e.g. 2x10 (at least 2x2)")
        out.append((int(a), int(b)))
    return out


def parse_classes(text: str) -> list[str]:
    out = [k.strip() for k in text.split(",") if k.strip()]
    bad = [k for k in out if k not in CLASSES]
    if bad:
        raise argparse.ArgumentTypeError(f"class {bad[0]!r}: expected some of {','.join(CLASSES)}")
    return out


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=None, help="JSONL file the games are appended to (required unless --report)")
    ap.add_argument("--resume", action="store_true", help="skip the games and phases already in --out")
    ap.add_argument("--report", metavar="JSONL", default=None, help="print the summary table of this file and exit")
    ap.add_argument("--games", type=int, default=None, help="seeded games per size and class (default 10; --quick 3)")
    ap.add_argument("--seed", type=int, default=0, help="first seed")
    ap.add_argument("--sizes", type=parse_sizes, default=None, help="comma-separated PxA, e.g. 2x10,3x15 (default: the issue's list)")
    ap.add_argument("--classes", "--kinds", type=parse_classes, default=None, help=f"comma-separated subset of {','.join(CLASSES)}")
    ap.add_argument("--scale", default="appendix", choices=["code", "appendix"], help="GAMUT payoff scale")
    ap.add_argument("--time-limit", type=float, default=None, help="our time limit per game, seconds (default 120; --quick 30)")
    ap.add_argument("--scip-limit", type=float, default=None, help="SCIP's time cap per game, seconds (default 120; --quick 10)")
    ap.add_argument("--paper-limit", type=float, default=120.0, help="cap on the paper's pipeline per game, seconds")
    ap.add_argument("--no-scip", action="store_true", help="skip SCIP")
    ap.add_argument("--no-paper", action="store_true", help="skip the paper's pipeline")
    ap.add_argument("--no-verify", action="store_true", help="skip verify")
    ap.add_argument("--mem-limit-mb", type=float, default=None, help="address-space cap of each child (MB)")
    ap.add_argument("--quick", action="store_true", help=f"{len(QUICK_SIZES)} sizes, 3 games, short caps")
    return ap


def main(argv: list[str] | None = None, runner: Callable[..., dict] = run_game) -> int:
    ap = build_parser()
    args = ap.parse_args(argv)
    if args.report:
        if not os.path.exists(args.report):
            print(f"scale_bench: --report {args.report}: no such file", file=sys.stderr)
            return 2
        print(report(load_records(args.report))[1])
        return 0
    if not args.out:
        ap.error("--out FILE.jsonl is required (or --report FILE.jsonl)")
    q = args.quick
    args.games = args.games if args.games is not None else (3 if q else 10)
    args.time_limit = args.time_limit if args.time_limit is not None else (30.0 if q else 120.0)
    args.scip_limit = args.scip_limit if args.scip_limit is not None else (10.0 if q else 120.0)
    if args.games < 1 or not args.time_limit > 0 or not args.scip_limit > 0 or not args.paper_limit > 0:
        ap.error("--games, --time-limit, --scip-limit and --paper-limit must be positive")
    sizes = args.sizes or (QUICK_SIZES if q else SIZES)
    classes = args.classes or list(CLASSES)
    phases = {"opt"} | ({"verify"} if not args.no_verify else set())
    use_scip = not args.no_scip and scip_available()
    if use_scip:
        phases.add("scip")
    if not args.no_paper:
        phases.add("paper")
    existing = load_records(args.out)
    if existing and not args.resume:
        ap.error(f"{args.out} already holds {len(existing)} records: give --resume to continue it, or another --out")
    merged = merge_records(existing)
    todo = plan(sizes, classes, args.games, args.seed, args.scale, phases, merged)
    note = "" if use_scip or args.no_scip else "; scip not installed (pip install -e '.[bench]')"
    print(f"scale_bench: {len(todo)} games to run ({len(merged)} already in {args.out}); sizes"
          f" {','.join(f'{n}x{m}' for n, m in sizes)}; classes {','.join(classes)}; phases {','.join(p for p in PHASES if p in phases)};"
          f" our limit {args.time_limit:g}s, scip {args.scip_limit:g}s, paper {args.paper_limit:g}s{note};"
          f" {os.cpu_count()} cpus, load {os.getloadavg()[0]:.2f}", file=sys.stderr, flush=True)
    interrupted = False
    for k, (cls, n, m, seed, need) in enumerate(todo, 1):
        try:
            rec = runner(cls, n, m, seed, need, args)
        except KeyboardInterrupt:
            interrupted = True
            print(f"scale_bench: interrupted during {n}x{m} {cls} seed {seed}; {args.out} holds every finished game"
                  " (run again with --resume)", file=sys.stderr, flush=True)
            break
        append_record(args.out, rec)
        print(progress_line(rec, k, len(todo)), file=sys.stderr, flush=True)
    rows, text = report(load_records(args.out))
    print(text, flush=True)
    if interrupted:
        return 130
    bad = sum(r["verify_n"] - r["verify_ok"] for r in rows) + sum(len(r.get("bugs", [])) for r in rows)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
