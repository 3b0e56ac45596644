"""benchmarks/scale_bench.py: the JSONL store, --resume, the report from the file alone, Ctrl-C (no timing asserts)."""

from __future__ import annotations

import importlib.util
import json
import os
import sys

import pytest

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "scale_bench.py")
_spec = importlib.util.spec_from_file_location("scale_bench", _PATH)
sb = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sb)


def _rec(seed, wall, cls="random", size="2x3", status="certified", phases=("opt", "verify"), **extra):
    rec = {"v": 1, "class": cls, "size": size, "seed": seed, "scale": "appendix", "load1": 1.0, "phases": list(phases),
           "opt": {"wall": wall, "cpu": wall, "status": status, "lo": 1.0, "hi": 1.0, "cert_bytes": 2048, "rss_mb": 50.0}}
    if "verify" in phases:
        rec["verify"] = {"status": "accepted", "ok": True, "wall": wall / 2}
    rec.update(extra)
    return rec


def test_append_and_load_tolerate_a_line_cut_short(tmp_path):
    path = str(tmp_path / "r.jsonl")
    sb.append_record(path, _rec(0, 1.0))
    with open(path, "a") as f:
        f.write('{"class": "random", "size": "2x3", "se')  # a run killed mid-write
    assert [r["seed"] for r in sb.load_records(path)] == [0]
    sb.append_record(path, _rec(1, 2.0))  # the half line is dropped, the new record is whole
    assert [r["seed"] for r in sb.load_records(path)] == [0, 1]
    assert sb.load_records(str(tmp_path / "missing.jsonl")) == []


def test_a_bad_line_inside_the_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_rec(0, 1.0)) + "\nnot json\n" + json.dumps(_rec(1, 1.0)) + "\n")
    with pytest.raises(SystemExit, match=r"r\.jsonl:2: not a JSON line"):
        sb.load_records(str(path))


def test_plan_skips_finished_games_and_runs_missing_phases_only():
    merged = sb.merge_records([_rec(0, 1.0), _rec(1, 1.0, phases=("opt", "verify", "scip"), scip={"status": "optimal"})])
    todo = sb.plan([(2, 3)], ["random"], 3, 0, "appendix", {"opt", "verify", "scip"}, merged)
    assert [(s, sorted(need)) for _, _, _, s, need in todo] == [(0, ["scip"]), (2, ["opt", "scip", "verify"])]
    # a later record's phases are merged into the game's record
    m2 = sb.merge_records([_rec(0, 1.0), {"class": "random", "size": "2x3", "seed": 0, "phases": ["scip"],
                                          "scip": {"status": "timelimit"}}])
    rec = m2[("random", "2x3", 0, "appendix")]
    assert rec["phases"] == ["opt", "scip", "verify"] and rec["scip"]["status"] == "timelimit" and rec["opt"]["wall"] == 1.0


def test_report_from_the_file_alone():
    recs = [_rec(s, float(s + 1)) for s in range(10)]
    recs[9]["opt"]["status"] = "killed"
    recs[3]["scip"] = {"status": "optimal", "wall": 40.0, "primal_eval": 1.0, "dual": 1.0}
    recs[4]["scip"] = {"status": "timelimit", "wall": 120.0, "primal_eval": 0.25, "dual": 2.0}
    recs[5]["scip"] = {"status": "timelimit", "wall": 120.0, "dual": 3.0}  # no primal solution at all
    recs[6]["scip"] = {"status": "optimal", "wall": 1.0, "primal_eval": 1.5, "dual": 1.5}  # above our proved max
    rows, text = sb.report(recs)
    (r,) = rows
    assert (r["games"], r["certified"], r["median"], r["max"]) == (10, 9, 5.5, 10.0)
    assert r["p90"] == pytest.approx(9.1)
    assert r["not_certified"] == [(9, "killed")]
    assert (r["verify_ok"], r["verify_n"], r["verify_slower"]) == (10, 10, 0)
    assert r["scip_status"] == {"optimal": 2, "timelimit": 2}
    assert (r["scip_finished"], r["scip_agree"], r["scip_unfinished"], r["scip_unfinished_nosol"]) == (2, 1, 2, 1)
    assert r["scip_unfinished_gap_max"] == pytest.approx(0.75)
    assert r["speedup_median"] == pytest.approx(20.5 / 5.5)  # SCIP's median over ours on the same games (4 s and 7 s)
    assert r["bugs"] == [(6, "scip primal above the proved upper bound")]
    assert r["acceptance"] is False  # one game not certified
    assert "seed 9 (killed)" in text and "SCIP contradicts a proved bound" in text


def test_acceptance_bounds_per_size():
    fast = sb.summarise([_rec(s, 1.0) for s in range(10)])
    slow = sb.summarise([_rec(s, 1.0) for s in range(9)] + [_rec(9, 31.0)])
    big = sb.summarise([_rec(s, 99.0, size="50x4") for s in range(3)])
    assert (fast["acceptance"], slow["acceptance"], "acceptance" in big) == (True, False, False)


def test_resume_and_interrupt(tmp_path, capsys):
    out = str(tmp_path / "r.jsonl")
    seen = []

    def runner(cls, n, m, seed, need, args):
        seen.append((cls, seed))
        if seed == 2 and not args.resume:
            raise KeyboardInterrupt
        return _rec(seed, 0.5, cls=cls, size=f"{n}x{m}", phases=sorted(need))

    argv = ["--out", out, "--sizes", "2x3", "--classes", "random,smallint", "--games", "3", "--no-scip", "--no-paper"]
    assert sb.main(argv, runner=runner) == 130  # Ctrl-C: the file keeps every finished game
    assert [r["seed"] for r in sb.load_records(out)] == [0, 1]
    with pytest.raises(SystemExit):  # an existing file is never silently appended to
        sb.main(argv, runner=runner)
    seen.clear()
    assert sb.main(argv + ["--resume"], runner=runner) == 0
    assert seen == [("random", 2), ("smallint", 0), ("smallint", 1), ("smallint", 2)]
    seen.clear()
    assert sb.main(argv + ["--resume"], runner=runner) == 0 and seen == []
    assert sb.main(["--report", out], runner=runner) == 0
    text = capsys.readouterr().out
    assert "2x3    random" in text and "2x3    smallint" in text


def test_one_real_game_end_to_end(tmp_path):
    """The real phases in child processes on a tiny game: certified, verified by the checker, fields recorded."""
    out = str(tmp_path / "r.jsonl")
    assert sb.main(["--out", out, "--sizes", "2x3", "--classes", "smallint", "--games", "1", "--no-scip", "--no-paper",
                    "--time-limit", "20"]) == 0
    (rec,) = sb.load_records(out)
    assert rec["opt"]["status"] == "certified" and rec["opt"]["cert_bytes"] > 0 and rec["opt"]["rss_mb"] > 0
    assert rec["verify"]["status"] == "accepted"
    # the verify child is forked from this process: it holds exactgames.optimize only if this process imported it
    assert rec["verify"]["imports_optimize"] is ("exactgames.optimize" in sys.modules)
    assert rec["opt"]["lo"] <= rec["opt"]["hi"]


def test_a_hanging_child_is_killed_at_its_cap():
    import time

    def hang():
        time.sleep(60)
        return {}

    msg = sb._run_child(hang, (), 0.5)
    assert msg["killed"] and msg["wall_outer"] < 30
    assert sb._failed(msg, 0.5)["status"] == "killed"


def test_append_drops_only_the_half_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(_rec(0, 1.0)) + "\n" + '{"half')
    sb.append_record(str(path), _rec(1, 1.0))
    lines = path.read_text().split("\n")
    assert len(lines) == 3 and lines[-1] == "" and [json.loads(x)["seed"] for x in lines[:2]] == [0, 1]
