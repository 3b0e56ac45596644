"""Fuzz test of the game-tree readers through ``exactgames info --json`` (issue 16), like the .nfg/.toml one.

Mutants (fixed seed) of the example ``.efg`` and of ``.dpomdp`` files (ours and the MADP toolbox's own, see
``tests/io/dpomdp_madp``), made by the same mutation operators as ``tests/cli/fuzz_harness.py`` (evil numbers,
deleted and duplicated tokens, truncation, byte flips) and run by its forked, memory- and CPU-capped children.  Every case
must exit 0 or 2 with no traceback, and an exit 2 must name the file; none may time out.  ``.dpomdp`` files are
unrolled to horizon 2.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")

ROOT = Path(__file__).resolve().parents[2]
SEEDS = [ROOT / "examples" / "games" / "veil_of_ignorance.efg", ROOT / "examples" / "games" / "dectiger.dpomdp",
         ROOT / "tests" / "io" / "dpomdp_madp" / "broadcastChannel.dpomdp",
         ROOT / "tests" / "io" / "dpomdp_madp" / "recycling.dpomdp"]
CASES = 240


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_harness", ROOT / "tests" / "cli" / "fuzz_harness.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_harness"] = mod  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_fuzz_mutants_of_tree_files_exit_cleanly():
    h = _harness()
    import exactgames.cli  # noqa: F401 - imported once, shared by the forked children
    import exactgames.cli.info  # noqa: F401
    import exactgames.io.dpomdp  # noqa: F401
    import exactgames.io.efg  # noqa: F401

    rng = random.Random(16)
    texts = {p: p.read_text(encoding="utf-8") for p in SEEDS}
    with tempfile.TemporaryDirectory() as d:
        argvs = []
        for k in range(CASES):
            src = SEEDS[k % len(SEEDS)]
            text = texts[src]
            for _ in range(rng.choice([1, 1, 2, 3])):
                text = h._mutate(text, rng)
            p = Path(d) / f"m{k:04d}_{src.name}"
            p.write_bytes(text.encode("utf-8", "surrogateescape"))
            argvs.append(["info", "--json", "--horizon", "2", str(p)] if src.suffix == ".dpomdp" else ["info", "--json", str(p)])
        outcomes = h.run_many(argvs, parallel=2, batch=20)
    kinds = [h.classify(o) for o in outcomes]
    bad = [(c, o) for c, o in zip(kinds, outcomes) if c != "clean"]
    detail = "\n".join(f"{c} exit={o.code} {os.path.basename(o.path)}: {o.stderr[-300:]}" for c, o in bad[:10])
    assert not bad, f"{len(bad)} of {CASES} not clean\n{detail}"
    assert sum(o.code == 2 for o in outcomes) > CASES // 4  # the mutants do reach the error paths
    assert sum(o.code == 0 for o in outcomes) > 10  # and some stay valid games
