"""Mutation fuzzing of the game-file readers through ``exactgames info --json`` (used by test_fuzz_readers.py).

Each case runs the console entry point :func:`exactgames.cli.main` in a forked child with a
memory cap and a CPU-time limit; the parent records the exit code, stderr and whether the child
timed out.  Runnable as a script to print the counts: ``python tests/cli/fuzz_harness.py 3000``.
"""

from __future__ import annotations

import os
import random
import re
import resource
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "games"
SEEDS = [
    "taxi_symmetric.nfg", "taxi_permits.nfg", "robot_butlers.nfg", "veil_of_ignorance.nfg",
    "example_5_0_5_eps_half.nfg", "taxi_large_groups.nfg",
    "ten_robots.toml", "example_5_0_5.toml", "pure_coordination.toml", "face_continuum.toml",
]
EVIL = [
    "10**10**10", "9**9**9", "2**2**2**2**2**2", "1e999999999", "1e-999999999", "(1/0)*0", "0**-1", "sqrt(-1)",
    "1/0", "nan", "inf", "-1", "0", "99999999999999", "9223372036854775808", "1" + "0" * 5000, "-" + "7" * 4400,
    "2^63", "10**5000", "eps**eps", "sqrt(sqrt(-2))", "((((((((((1))))))))))", "(" * 500 + "1" + ")" * 500,
    "x" * 3000, "CRootOf(1, 0)", "rootof(eps, 0)", "0.1e4001", "1/3", "{", "}", "\"", "[", "]", "=", ",", "",
    "1000", "30", "1000000", "100000000000000000000", "\x00", "\udcff", "é", "__import__('os')", "().__class__",
    "lambda: 1", "3!", "Rational(1, 0)", "root(-8, 3)",
]
MEM_LIMIT = 1 << 30
CPU_LIMIT = 10
WALL_LIMIT = 12.0
MAX_MESSAGE = 2000


@dataclass
class Outcome:
    path: str
    code: int | None  # None: timed out / killed
    stderr: str
    seconds: float


def _mutate(text: str, rng: random.Random) -> str:
    kind = rng.randrange(9)
    tokens = re.findall(r"\s+|[^\s]+", text)
    if kind == 0 and tokens:  # replace a word by an evil value
        idx = [i for i, t in enumerate(tokens) if not t.isspace()]
        i = rng.choice(idx)
        word = tokens[i]
        evil = rng.choice(EVIL)
        if word.startswith('"') and word.endswith('"') and rng.random() < 0.6:
            evil = '"' + evil + '"'
        tokens[i] = evil
        return "".join(tokens)
    if kind == 1:  # replace a number inside the text
        nums = list(re.finditer(r"\d+", text))
        if nums:
            m = rng.choice(nums)
            return text[: m.start()] + rng.choice(EVIL) + text[m.end():]
    if kind == 2 and text:  # delete a span
        a = rng.randrange(len(text))
        return text[:a] + text[a + rng.randrange(1, 20):]
    if kind == 3 and text:  # insert characters
        a = rng.randrange(len(text) + 1)
        return text[:a] + rng.choice(['{', '}', '"', '[', ']', '=', ',', '\n', '#', '\\', '/', '*', '(', ')']) * rng.randrange(1, 4) + text[a:]
    if kind == 4:  # truncate
        return text[: rng.randrange(len(text) + 1)]
    if kind == 5:  # duplicate a line
        lines = text.splitlines(keepends=True)
        if lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            return "".join(lines)
    if kind == 6:  # deep nesting
        depth = rng.choice([100, 1000, 5000, 50000])
        if "=" in text and rng.random() < 0.7:
            lines = text.splitlines(keepends=True)
            i = rng.randrange(len(lines) + 1)
            nest = rng.choice(["x = " + "[" * depth + "]" * depth + "\n", "x = " + "{a=" * depth + "1" + "}" * depth + "\n"])
            lines.insert(i, nest)
            return "".join(lines)
        a = rng.randrange(len(text) + 1)
        return text[:a] + "{ " * depth + "}" * depth + text[a:]
    if kind == 7:  # size fields: a count or the players number
        m = list(re.finditer(r"(players = )(\d+)|\{ (\d+) (\d+)[^}]*\}|(counts = \{ \w+ = )(\d+)", text))
        if m:
            mm = rng.choice(m)
            big = rng.choice(["30", "1000", "99999999999999", "9223372036854775808", "1000000000000000000", "15000", "2000000"])
            g = next(k for k in (2, 3, 6) if mm.group(k) is not None)
            return text[: mm.start(g)] + big + text[mm.end(g):]
    if kind == 8 and text:  # random byte flips
        b = bytearray(text.encode("utf-8", "surrogateescape"))
        for _ in range(rng.randrange(1, 6)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return b.decode("utf-8", "surrogateescape")
    return text + rng.choice(EVIL)


def make_cases(n: int, seed: int, folder: Path) -> list[Path]:
    """``n`` mutant files (fixed seed) in ``folder``, named after the example they come from."""
    rng = random.Random(seed)
    texts = {name: (EXAMPLES / name).read_text(encoding="utf-8") for name in SEEDS}
    out = []
    for k in range(n):
        name = rng.choice(SEEDS)
        text = texts[name]
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            text = _mutate(text, rng)
        p = folder / f"m{k:05d}_{name}"
        p.write_bytes(text.encode("utf-8", "surrogateescape"))
        out.append(p)
    return out


_START, _END = b"\x1ecase-start\x1e", b"\x1ecase-end\x1e"


def _child(argvs: list[list[str]], w: int, mem: int, cpu: int, fsize: int | None) -> None:
    """Run each argv in turn in this (forked) process; frame each case's stderr and exit code on the pipe ``w``."""
    try:
        import gc

        gc.disable()  # fewer copy-on-write page faults; the process is short-lived
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu * len(argvs), cpu * len(argvs) + 1))
        if fsize is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(w, 2)
        sys.stdout = open(1, "w", closefd=False)
        sys.stderr = open(2, "w", closefd=False, errors="backslashreplace")  # as the real stderr
        from exactgames.cli import main

        for argv in argvs:
            sys.stderr.flush()
            os.write(2, _START)
            try:
                code = main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # what the console script would print
                import traceback

                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os.write(2, _END + str(code if isinstance(code, int) else 1).encode() + b"\n")
    finally:
        os._exit(0)


def run_many(argvs: list[list[str]], parallel: int = 2, wall: float = WALL_LIMIT, mem: int = MEM_LIMIT,
             cpu: int = CPU_LIMIT, fsize: int | None = None, batch: int = 1) -> list[Outcome]:
    """Run ``exactgames ARGV`` for each argv in forked children (in-process entry point, capped), ``parallel`` at a time.

    A child runs up to ``batch`` cases in turn (fewer forks); a case that runs past ``wall`` seconds is killed
    with its child (a timeout) and the rest of its batch goes to a new child.
    """
    out: list[Outcome | None] = [None] * len(argvs)
    running: dict[int, dict] = {}  # read fd -> state of one child
    todo = list(range(len(argvs)))[::-1]
    while todo or running:
        while todo and len(running) < parallel:
            ks = [todo.pop() for _ in range(min(batch, len(todo)))]
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(r)
                _child([argvs[k] for k in ks], w, mem, cpu, fsize)
            os.close(w)
            running[r] = {"ks": ks, "pid": pid, "t0": time.monotonic(), "buf": b""}
        now = time.monotonic()
        left = min(st["t0"] + wall for st in running.values()) - now
        ready, _, _ = select.select(list(running), [], [], max(0.0, left))
        for r in list(running):
            st = running[r]
            eof = False
            if r in ready:
                data = os.read(r, 65536)
                if data:
                    st["buf"] = (st["buf"] + data)[-(1 << 21):]
                else:
                    eof = True
            while True:  # every finished case in the buffer
                a = st["buf"].find(_START)
                b = st["buf"].find(_END, a + 1) if a >= 0 else -1
                nl = st["buf"].find(b"\n", b + len(_END)) if b >= 0 else -1
                if nl < 0:
                    break
                k = st["ks"].pop(0)
                text = st["buf"][a + len(_START):b].decode("utf-8", "replace")
                out[k] = Outcome(argvs[k][-1], int(st["buf"][b + len(_END):nl]), text, time.monotonic() - st["t0"])
                st["buf"] = st["buf"][nl + 1:]
                st["t0"] = time.monotonic()
            timed_out = not eof and st["ks"] and time.monotonic() - st["t0"] > wall
            if timed_out:
                os.kill(st["pid"], signal.SIGKILL)  # our own child, by pid
            if eof or timed_out or not st["ks"]:
                if not eof and not timed_out:
                    while os.read(r, 65536):
                        pass
                os.close(r)
                os.waitpid(st["pid"], 0)
                if st["ks"]:  # the current case died (killed, timed out, crashed): record it, requeue the rest
                    k = st["ks"].pop(0)
                    a = st["buf"].find(_START)
                    text = st["buf"][a + len(_START):].decode("utf-8", "replace") if a >= 0 else ""
                    out[k] = Outcome(argvs[k][-1], None, text, time.monotonic() - st["t0"])
                    todo.extend(st["ks"][::-1])
                del running[r]
    return out  # type: ignore[return-value]


def run_case(argv: list[str], wall: float = WALL_LIMIT, mem: int = MEM_LIMIT, cpu: int = CPU_LIMIT,
             fsize: int | None = None) -> Outcome:
    """Run ``exactgames ARGV`` once in a forked child (see :func:`run_many`)."""
    return run_many([argv], 1, wall, mem, cpu, fsize)[0]


def classify(o: Outcome) -> str:
    """``clean`` (exit 0, or exit 2 with a short message naming the file), ``traceback``, ``timeout``, ``bad``
    (a message too long or not naming the file) or ``internal`` (exit 70: a bug reported as one, without a traceback)."""
    if o.code is None:
        return "timeout"
    if "Traceback" in o.stderr:
        return "traceback"
    if o.code == 70 and "internal error" in o.stderr:
        return "internal"
    if o.code not in (0, 2):
        return "traceback"
    if o.code == 2 and (os.path.basename(o.path) not in o.stderr or len(o.stderr) > MAX_MESSAGE):
        return "bad"
    return "clean"


def fuzz(n: int, seed: int = 17, parallel: int = 2) -> tuple[dict[str, int], list[tuple[str, Outcome]]]:
    import gc

    import exactgames.cli  # noqa: F401 - imported once in the parent, shared by every forked child
    import exactgames.cli.info  # noqa: F401
    import exactgames.io.nfg  # noqa: F401
    import exactgames.io.toml_game  # noqa: F401

    gc.collect()
    gc.freeze()  # shared with the children without copy-on-write faults from the collector

    counts = {"cases": 0, "clean": 0, "traceback": 0, "timeout": 0, "bad": 0, "internal": 0}
    failures = []
    with tempfile.TemporaryDirectory() as d:
        for o in run_many([["info", "--json", str(p)] for p in make_cases(n, seed, Path(d))], parallel=parallel, batch=25):
            c = classify(o)
            counts["cases"] += 1
            counts[c] += 1
            if c != "clean":
                failures.append((c, o))
    return counts, failures


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "json":  # the test's entry: a small fresh parent
    import json

    counts, failures = fuzz(int(sys.argv[2]))
    print(json.dumps({"counts": counts, "failures": [
        {"kind": c, "code": o.code, "path": o.path, "stderr": o.stderr[-400:]} for c, o in failures[:20]]}))
elif __name__ == "__main__":  # pragma: no cover
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    t0 = time.monotonic()
    counts, failures = fuzz(n)
    print(counts, f"{time.monotonic() - t0:.1f} s")
    seen = set()
    for c, o in failures:
        last = (o.stderr.strip().splitlines() or [""])[-1][:200]
        key = (c, re.sub(r"\d+", "N", last)[:80])
        if key in seen:
            continue
        seen.add(key)
        print(c, o.code, os.path.basename(o.path), f"{o.seconds:.1f}s", last)
