"""One test per fault class of issue 17: bad input gets exit 2 and a short message naming the file and field,
legal input is accepted, nothing hangs, nothing is half-written, a bug exits 70 with one line.

Cases that could hang or exhaust memory before the fixes run in a forked child with limits
(``fuzz_harness.run_case``); the others call the console entry point in-process.
"""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

from exactgames.cli import main
from exactgames.cli.common import EXIT_INTERNAL, MAX_MESSAGE_CHARS

sys.path.insert(0, os.path.dirname(__file__))
from fuzz_harness import run_case  # noqa: E402

GAMES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "examples", "games")
TAXI = os.path.join(GAMES, "taxi_symmetric.nfg")
EX505 = os.path.join(GAMES, "example_5_0_5.toml")
ANON = 'players = {n}\nactions = {acts}\nform = "anonymous"\ndefault = "0"\n'
DENSE = 'players = 2\nactions = ["a", "b"]\nform = "dense"\ndefault = "0"\nparameters = {{ t = "{dom}" }}\n[[payoff]]\nprofile = ["a", "a"]\nvalue = "{v}"\n'


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


def child(argv, wall=20.0):
    o = run_case(argv, wall=wall, cpu=int(wall))
    assert o.code is not None, f"timed out: {argv}"
    assert "Traceback" not in o.stderr, o.stderr[-1000:]
    return o


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


# 1. integers beyond Python's 4300-digit str limit are legitimately large: read and printed
def test_huge_integers_are_read_and_printed(tmp_path, capsys):
    big = "1" + "0" * 5000
    nfg = write(tmp_path, "big.nfg", f'NFG 1 R "" {{ "1" "2" }} {{ 1 1 }} {big} {big}')
    code, out, err = run(["info", "--json", nfg], capsys)
    assert code == 0 and big in out
    toml = write(tmp_path, "big.toml", f'players = 2\nactions = ["a"]\nform = "dense"\n[[payoff]]\nprofile = ["a", "a"]\nvalue = {big}\n')
    code, out, err = run(["info", "--json", toml], capsys)
    assert code == 0 and big in out
    legal = write(tmp_path, "many.toml", ANON.format(n=15000, acts='["a", "b"]') + '[[payoff]]\ncounts = { a = 15000 }\nvalue = "1"\n')
    code, out, err = run(["info", legal], capsys)
    assert code == 0 and "pure profiles: 2^15000" in out


# 2. declared sizes are checked before anything is allocated
@pytest.mark.parametrize("text, needle", [
    ('NFG 1 R "" { ' + " ".join(f'"{i}"' for i in range(30)) + " } { " + " ".join(["10"] * 30) + " } 1", "more than the limit"),
    ('NFG 1 R "" { "1" "2" "3" } { 1000 1000 1000 } 1 2 3', "1000000000 pure profiles"),
    ('NFG 1 R "" { "1" "2" } { 99999999999999 2 } 1', "more than the limit"),
])
def test_nfg_declared_sizes_refused_before_allocation(tmp_path, text, needle):
    o = child(["info", "--json", write(tmp_path, "size.nfg", text)], wall=10)
    assert o.code == 2 and "size.nfg" in o.stderr and needle in o.stderr and o.seconds < 5


def test_toml_player_count_beyond_limit(tmp_path):
    o = child(["info", write(tmp_path, "p63.toml", ANON.format(n=2**63, acts='["a", "b"]'))], wall=10)
    assert o.code == 2 and "p63.toml" in o.stderr and "9223372036854775808" in o.stderr and "limit" in o.stderr


# 3. anonymous count vectors: refused with the size and the limit before enumerating; enumeration not recursive
@pytest.mark.parametrize("n, m", [(30, 10), (1000, 1000), (10**5, 3)])
def test_anonymous_count_vectors_bounded(tmp_path, n, m):
    acts = "[" + ", ".join(f'"a{k}"' for k in range(m)) + "]"
    o = child(["info", write(tmp_path, "anon.toml", ANON.format(n=n, acts=acts))], wall=10)
    assert o.code == 2 and "anon.toml" in o.stderr and "count vectors" in o.stderr and "limit of 1000000" in o.stderr
    assert o.seconds < 5


def test_count_vectors_without_recursion():
    from exactgames.model.counts import count_vectors

    assert sum(1 for _ in count_vectors(2, 300)) == 300 * 301 // 2
    assert sum(1 for _ in count_vectors(1, 5000)) == 5000  # far deeper than the recursion limit


# 4. deep nesting in TOML
@pytest.mark.parametrize("nest", ["[" * 5000 + "]" * 5000, "{a=" * 5000 + "1" + "}" * 5000])
def test_deep_toml_nesting_is_an_input_error(tmp_path, capsys, nest):
    path = write(tmp_path, "deep.toml", "x = " + nest + "\n")
    code, out, err = run(["info", path], capsys)
    assert code == 2 and "deep.toml" in err and "nested too deeply" in err


# 5. non-real payoffs refused with the file and the field
@pytest.mark.parametrize("value", ["(1/0)*0", "sqrt(-1)", "0**-1", "1/0", "sqrt(1 - sqrt(3))"])
def test_non_real_payoffs_refused(tmp_path, capsys, value):
    path = write(tmp_path, "cplx.toml", f'players = 2\nactions = ["a"]\nform = "dense"\n[[payoff]]\nprofile = ["a", "a"]\nvalue = "{value}"\n')
    code, out, err = run(["info", "--json", path], capsys)
    assert code == 2 and "cplx.toml: payoff entry 1 (profile [a, a]): value" in err
    assert "not a real number" in err or "division by zero" in err


# 6. exponent towers refused fast everywhere
TOWERS = ["10**10**10", "9**9**9", "2**2**2**2**2**2", "1e999999999"]


@pytest.mark.parametrize("tower", TOWERS)
def test_exponent_towers_refused_fast_everywhere(tmp_path, tower):
    t0 = time.monotonic()
    cases = [
        ["info", write(tmp_path, "tower.toml", DENSE.format(dom="real", v=tower))],
        ["info", write(tmp_path, "tower2.toml", DENSE.format(dom=f"[0, {tower}]", v="1"))],
        ["check", TAXI, "--profile", f"sym: H={tower}, W=0"],
        ["optimize", EX505, "--set", f"eps={tower}"],
    ]
    for argv in cases:
        o = child(argv, wall=10)
        assert o.code == 2, (argv, o.stderr)
        assert "limit" in o.stderr, o.stderr
    assert "tower.toml" in child(cases[0]).stderr and "tower2.toml" in child(cases[1]).stderr
    assert time.monotonic() - t0 < 30


# 7. overlong values are cut in messages
def test_overlong_messages_are_cut(tmp_path, capsys):
    path = write(tmp_path, "long.toml", DENSE.format(dom="real", v="x" * 1_000_000))
    code, out, err = run(["info", path], capsys)
    assert code == 2 and "long.toml" in err and len(err) < MAX_MESSAGE_CHARS + 200
    nfg = write(tmp_path, "long.nfg", 'NFG 1 R "" { "1" } { 1 } 1 ' + "y" * 1_000_000)
    code, out, err = run(["info", nfg], capsys)
    assert code == 2 and "long.nfg" in err and len(err) < 500


def test_overlong_arguments_cut_in_usage_errors(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["optimize", TAXI, "--time-limit", "x" * 100_000])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "--time-limit" in err and len(err) < 1500


# 8. special files: FIFO, /dev/zero behind a game-file name
def test_special_files_refused(tmp_path):
    fifo = str(tmp_path / "pipe.nfg")
    os.mkfifo(fifo)
    zero = str(tmp_path / "zero.toml")
    os.symlink("/dev/zero", zero)
    for argv, kind in ([["info", fifo], "FIFO"], [["check", zero, "--profile", "sym: a"], "character device"],
                       [["optimize", str(tmp_path)  + "/pipe.nfg"], "FIFO"]):
        o = child(argv, wall=10)
        assert o.code == 2 and "not a regular file" in o.stderr and kind in o.stderr and o.seconds < 5


def test_oversized_game_file_refused(tmp_path):
    from exactgames.io.nfg import MAX_NFG_BYTES

    p = tmp_path / "huge.nfg"
    with open(p, "wb") as fh:
        fh.truncate(MAX_NFG_BYTES + 1)
    o = child(["info", str(p)], wall=10)
    assert o.code == 2 and "huge.nfg" in o.stderr and "limit" in o.stderr


# 9. the other tracebacks listed
def test_sweep_out_missing_folder_and_bad_scheduler(tmp_path, capsys):
    missing = str(tmp_path / "no" / "r.sqlite")
    code, out, err = run(["sweep", "--players", "2", "--actions", "2", "--games", "1", "--out", missing, "--quiet"], capsys)
    assert code == 2 and missing in err and "does not exist" in err
    out_path = str(tmp_path / "s.sqlite")
    code, out, err = run(["sweep", "--players", "2", "--actions", "2", "--games", "1", "--out", out_path,
                          "--scheduler", "not an address", "--quiet"], capsys)
    assert code == 2 and "--scheduler" in err and not os.path.exists(out_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_sweep_out_read_only_folder(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    code, out, err = run(["sweep", "--players", "2", "--actions", "2", "--games", "1", "--out", str(ro / "r.sqlite"), "--quiet"], capsys)
    assert code == 2 and "not writable" in err


def test_check_set_non_real(capsys):
    code, out, err = run(["check", EX505, "--set", "eps=sqrt(-1)", "--profile", "sym: a"], capsys)
    assert code == 2 and "--set eps" in err and "not a real number" in err


# 10. bad input that used to be accepted with exit 0
@pytest.mark.parametrize("argv, needle", [
    (["check", EX505, "--set", "eps=-1", "--profile", "sym: a"], "outside the domain positive"),
    (["info", EX505, "--set", "eps=0"], "outside the domain positive"),
    (["optimize", TAXI, "--time-limit", "nan"], "--time-limit nan"),
    (["optimize", TAXI, "--time-limit", "inf"], "--time-limit inf"),
    (["optimize", TAXI, "--subgroup", ""], '--subgroup ""'),
    (["check", TAXI, "--profile", "sym: H", "--subgroup", " "], '--subgroup ""'),
    (["symmetries", TAXI, "--subgroup", ""], '--subgroup ""'),
])
def test_bad_arguments_refused(capsys, argv, needle):
    code, out, err = run(argv, capsys)
    assert code == 2 and needle in err


def test_set_inside_interval_domain(tmp_path, capsys):
    path = write(tmp_path, "dom.toml", DENSE.format(dom="(0, 1/2]", v="1 + t"))
    assert run(["info", path, "--set", "t=1/2"], capsys)[0] == 0
    code, out, err = run(["info", path, "--set", "t=3/5"], capsys)
    assert code == 2 and "outside the domain (0, 1/2]" in err and "dom.toml" in err


# 11. one atomic writer: a failing or killed write leaves the old file and no temporary file
def test_failed_writes_leave_old_files_and_no_temporaries(tmp_path):
    tex = tmp_path / "out.tex"
    tex.write_text("old")
    dot = tmp_path / "g.dot"
    dot.write_text("old")
    for argv, target in ([["latex", os.path.join(GAMES, "robot_butlers.nfg"), "-o", str(tex)], tex],
                         [["symmetries", os.path.join(GAMES, "robot_butlers.nfg"), "--dot", str(dot), "--tikz", str(dot)], dot],
                         [["convert", EX505, str(tmp_path / "c.toml")], tmp_path / "c.toml"]):
        o = run_case(argv, wall=60, cpu=60, fsize=100)  # writes beyond 100 bytes fail (EFBIG)
        assert o.code == 2 and "Traceback" not in o.stderr and str(target) in o.stderr, o.stderr
        assert "nothing was written" in o.stderr
    assert tex.read_text() == "old" and dot.read_text() == "old" and not (tmp_path / "c.toml").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot", "out.tex"]


def test_sigkill_mid_write_leaves_no_stray_file(tmp_path):
    from exactgames.io.files import atomic_output

    target = tmp_path / "plot.png"
    target.write_bytes(b"old")
    pid = os.fork()
    if pid == 0:
        try:
            with atomic_output(target, binary=True) as fh:
                fh.write(b"x" * 100000)
                fh.flush()
                os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["plot.png"]


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_report_plots_killed_mid_write_keep_old_pngs(tmp_path, monkeypatch):
    from exactgames.experiments import report as rep

    report = {"tables": {k: {"classes": {"random": []}} for k in ("3", "4", "5", "6", "7")}}
    (tmp_path / "mixed_fraction.png").write_bytes(b"old")

    import matplotlib.figure

    def failing(self, fh, **kw):
        fh.write(b"\x89PNG half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", failing)
    with pytest.raises(Exception, match="mixed_fraction.png: cannot write"):
        rep.write_plots(report, str(tmp_path))
    assert (tmp_path / "mixed_fraction.png").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["mixed_fraction.png"]


# 12. an unexpected internal error: one short line saying it is a bug, exit 70
def test_internal_error_is_one_line_with_its_own_exit_code(monkeypatch, capsys):
    import exactgames.cli.info as info

    def boom(game):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(info, "game_info", boom)
    code, out, err = run(["info", TAXI], capsys)
    assert code == EXIT_INTERNAL == 70
    assert "internal error" in err and "bug" in err and "ZeroDivisionError" in err and len(err.strip().splitlines()) == 1


# issue 14, item 13: Gambit files whose strategies share a label
GAMBIT_DUP = '''NFG 1 R "2x2 all zero" { "Player 1" "Player 2" }
{ { "cooperate" "defect" }
{ "defect" "defect" }
}
""

0 0 0 0 0 0 0 0
'''


def test_nfg_strategies_sharing_a_label_read_and_written_back(tmp_path, capsys):
    from exactgames.io import read_game

    src = write(tmp_path, "dup.nfg", GAMBIT_DUP)
    g = read_game(src)
    assert g.actions[1] == ("defect", "defect#2") and g.shape == (2, 2)
    code, out, err = run(["info", src], capsys)
    assert code == 0 and "defect#2" in out
    dst = str(tmp_path / "back.nfg")
    assert run(["convert", src, dst], capsys)[0] == 0
    assert open(dst).read() == GAMBIT_DUP
