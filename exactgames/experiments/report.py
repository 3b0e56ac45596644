"""Tables 3-8 of the paper from a sweep store, with 95% confidence intervals and the paper's numbers.

For every game class in the store and every cell (players x actions):

* **Table 3** fraction of games whose certified symmetric optimum is mixed
  (Wilson interval), beside the closed form where one is known
  (:mod:`exactgames.experiments.closed_forms`);
* **Tables 4 / 6** fraction of single SLSQP / replicator runs that found the
  certified optimum (mean of per-game fractions, t interval over games);
* **Tables 5 / 7** fraction of games where at least one of the runs found it
  (Wilson interval);
* **Table 8** mean relative EU decrease (:mod:`exactgames.experiments.perturbation`)
  over games with a mixed optimum (t interval);
* **Paper pipeline errors**: games where the paper's best-of-20 float answer
  missed the certified optimum, called a mixed optimum pure, or a pure one mixed.

The paper's published numbers come from ``paper_tables.json`` (see its
``notes`` for what could not be recovered from the text copy).

Examples
--------
>>> wilson(45, 100)  # doctest: +ELLIPSIS
(0.45, 0.356..., 0.547...)
>>> t_interval([0.5, 0.7, 0.6])  # doctest: +ELLIPSIS
(0.6..., 0.351..., 0.848...)
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from exactgames.experiments.closed_forms import cell_closed_form
from exactgames.experiments.store import FOUND_TOL, GameRecord, ResultStore

__all__ = [
    "TABLES",
    "wilson",
    "t_interval",
    "load_paper_tables",
    "Estimate",
    "CellSummary",
    "summarize",
    "build_report",
    "near_misses",
    "format_report",
    "write_plots",
]

Z95 = 1.959963984540054
TABLES = ("3", "4", "4p", "5", "6", "6p", "7", "8")
_PAPER_JSON = Path(__file__).with_name("paper_tables.json")


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float, float] | None:
    """Point estimate and Wilson score interval of a binomial fraction ``k / n`` (None when ``n = 0``)."""
    if n <= 0:
        return None
    p = k / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (p, min(p, max(0.0, centre - half)), max(p, min(1.0, centre + half)))


def t_interval(values: Sequence[float], level: float = 0.95) -> tuple[float, float | None, float | None] | None:
    """Mean and Student-t interval of ``values`` (bounds None for a single value; None when empty)."""
    xs = [float(v) for v in values]
    n = len(xs)
    if n == 0:
        return None
    mean = sum(xs) / n
    if n == 1:
        return (mean, None, None)
    from scipy.stats import t as student_t

    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    half = float(student_t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return (mean, mean - half, mean + half)


def load_paper_tables(path: str | os.PathLike | None = None) -> dict[str, Any]:
    """The paper's published Tables 3-8 (``paper_tables.json``).

    Examples
    --------
    >>> d = load_paper_tables()
    >>> d["tables"]["3"]["random"][0][0], d["players"], d["tables"]["5"]["random"] is None
    (0.36, [2, 3, 4, 5], True)
    """
    with open(path or _PAPER_JSON, encoding="utf-8") as fh:
        return json.load(fh)


def paper_value(paper: dict[str, Any], table: str, cls: str, n: int, m: int) -> float | None:
    """The paper's number for one cell, or None."""
    grid = paper["tables"].get(table, {}).get(cls)
    if grid is None or n not in paper["players"] or m not in paper["actions"]:
        return None
    return grid[paper["players"].index(n)][paper["actions"].index(m)]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with a 95% interval (bounds None when not defined) and its sample size."""

    value: float | None
    lo: float | None
    hi: float | None
    n: int
    method: str

    @classmethod
    def fraction(cls, k: int, n: int) -> "Estimate":
        w = wilson(k, n)
        return cls(None, None, None, 0, "wilson") if w is None else cls(w[0], w[1], w[2], n, "wilson")

    @classmethod
    def mean(cls, xs: Sequence[float], bounds: tuple[float, float] = (0.0, 1.0)) -> "Estimate":
        """Mean with a t interval clipped to ``bounds`` (every averaged quantity here lies in [0, 1])."""
        t = t_interval(xs)
        if t is None:
            return cls(None, None, None, 0, "t")
        lo = None if t[1] is None else max(bounds[0], t[1])
        hi = None if t[2] is None else min(bounds[1], t[2])
        return cls(t[0], lo, hi, len(xs), "t, clipped to [0, 1]")


@dataclass(frozen=True)
class CellSummary:
    """Every statistic of one (class, players, actions) cell."""

    cls: str
    n_players: int
    n_actions: int
    games: int
    incomplete: int
    errors: int
    mixed: Estimate
    slsqp_single: Estimate
    slsqp_any: Estimate
    replicator_single: Estimate
    replicator_any: Estimate
    decrease: Estimate
    paper_slsqp_single: Estimate
    paper_replicator_single: Estimate
    paper_mixed: Estimate
    missed: int
    above_optimum: int
    mixed_as_pure: int
    pure_as_mixed: int
    closed_form: str | None
    closed_form_float: float | None
    mean_seconds: dict[str, float]

    def table(self, name: str) -> Estimate:
        return {"3": self.mixed, "4": self.slsqp_single, "4p": self.paper_slsqp_single, "5": self.slsqp_any,
                "6": self.replicator_single, "6p": self.paper_replicator_single, "7": self.replicator_any,
                "8": self.decrease}[name]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _per_method(rec: GameRecord, method: str, attr: str = "found", found_tol: float | None = None) -> list[bool]:
    if attr == "found":
        sups = rec.optimal_supports()
        return [_found_at(rec, r, FOUND_TOL if found_tol is None else found_tol, sups) for r in rec.runs if r.method == method]
    return [getattr(r, attr) for r in rec.runs if r.method == method]


def _found_at(rec: GameRecord, run: Any, tol: float, supports: set | None = None) -> bool:
    """Whether a run reached a certified optimum within ``tol`` with its support (recomputed from the row).

    Tied optima count: every pure strategy whose exact payoff equals the
    optimum is optimal too (:meth:`GameRecord.optimal_supports`).
    """
    sups = rec.optimal_supports() if supports is None else supports
    return (run.value is not None and rec.value_float is not None and abs(run.value - rec.value_float) <= tol
            and tuple(run.support) in sups)


def near_misses(records: Iterable[GameRecord], loose: float = 1e-6) -> dict[str, int]:
    """Runs with the optimum's support within ``loose`` of its value but not within ``FOUND_TOL``, per method.

    SLSQP stops at scipy's default ``ftol`` of 1e-6, so at mixed optima it
    often lands 1e-8 .. 1e-6 below the exact value: counted as not found
    under the 1e-9 criterion.
    """
    out: dict[str, int] = {}
    for rec in records:
        if rec.status != "ok":
            continue
        for r in rec.runs:
            if _found_at(rec, r, loose) and not _found_at(rec, r, FOUND_TOL):
                out[r.method] = out.get(r.method, 0) + 1
    return out


def _missed(rec: GameRecord) -> bool:
    """The paper's best-of-20 answer missed the certified optimum (lower by > FOUND_TOL, or another support)."""
    if rec.paper_best_value is None or rec.value_float is None:
        return True
    return rec.paper_best_value < rec.value_float - FOUND_TOL or tuple(rec.paper_best_support or ()) not in rec.optimal_supports()


def _above(rec: GameRecord) -> bool:
    """The paper's best-of-20 float value exceeds the certified optimum by > FOUND_TOL.

    No point of the simplex can do that: the run's strategy is infeasible
    (SLSQP keeps points whose coordinates sum up to 0.01 away from 1).
    """
    return rec.paper_best_value is not None and rec.value_float is not None and rec.paper_best_value > rec.value_float + FOUND_TOL


def summarize(records: Iterable[GameRecord], found_tol: float | None = None) -> list[CellSummary]:
    """Per-cell statistics of a list of game records (sorted by class, players, actions).

    "Found" is recomputed from each row: within ``found_tol`` (default
    ``FOUND_TOL`` = 1e-9) of the certified value with the support of an
    optimum (tied pure optima included).

    Examples
    --------
    >>> from exactgames.experiments.store import GameRecord, RunRecord
    >>> run = lambda m, f: RunRecord(m, 0, 0.5 if f else 0.25, (0.5, 0.5), (0, 1), f, f)
    >>> recs = [GameRecord("random", 2, 2, t, t, (), value="1/2", value_float=0.5, support=(0, 1), mixed=t < 3,
    ...                    decrease="1/2", decrease_float=0.5, paper_best_value=0.5, paper_mixed=True,
    ...                    paper_best_support=(0, 1), runs=(run("slsqp", True), run("replicator", t % 2 == 0)))
    ...         for t in range(4)]
    >>> c = summarize(recs)[0]
    >>> c.games, c.mixed.value, c.replicator_any.value, c.pure_as_mixed
    (4, 0.75, 0.5, 1)
    """
    cells: dict[tuple[str, int, int], list[GameRecord]] = {}
    for r in records:
        cells.setdefault((r.cls, r.n_players, r.n_actions), []).append(r)
    out = []
    for (cls, n, m), recs in sorted(cells.items()):
        ok = [r for r in recs if r.status == "ok"]
        stats: dict[str, Any] = {}
        for method in ("slsqp", "replicator"):
            singles, anys, paper_singles = [], 0, []
            for r in ok:
                f = _per_method(r, method, found_tol=found_tol)
                if f:
                    singles.append(sum(f) / len(f))
                    anys += any(f)
                    pf = _per_method(r, method, "paper_found")
                    paper_singles.append(sum(pf) / len(pf))
            stats[f"{method}_single"] = Estimate.mean(singles)
            stats[f"{method}_any"] = Estimate.fraction(anys, len(singles))
            stats[f"paper_{method}_single"] = Estimate.mean(paper_singles)
        with_paper = [r for r in ok if r.paper_mixed is not None]
        cf = cell_closed_form(cls, n, m)
        secs = {k: (sum(getattr(r, k) for r in recs) / len(recs)) for k in ("t_generate", "t_certify", "t_baselines", "t_perturbation")}
        out.append(CellSummary(
            cls, n, m, len(ok),
            sum(r.status == "incomplete" for r in recs), sum(r.status == "error" for r in recs),
            Estimate.fraction(sum(bool(r.mixed) for r in ok), len(ok)),
            stats["slsqp_single"], stats["slsqp_any"], stats["replicator_single"], stats["replicator_any"],
            Estimate.mean([r.decrease_float for r in ok if r.mixed and r.decrease_float is not None]),
            stats["paper_slsqp_single"], stats["paper_replicator_single"],
            Estimate.fraction(sum(bool(r.paper_mixed) for r in with_paper), len(with_paper)),
            sum(_missed(r) for r in with_paper),
            sum(_above(r) for r in with_paper),
            sum(bool(r.mixed) and not r.paper_mixed for r in with_paper),
            sum((not r.mixed) and bool(r.paper_mixed) for r in with_paper),
            None if cf is None else str(cf.probability), None if cf is None else float(cf.probability),
            secs,
        ))
    return out


_TITLES = {
    "3": "Table 3: fraction of games whose certified symmetric optimum is mixed (Wilson 95% CI)",
    "4": "Table 4: fraction of single SLSQP runs that find the certified optimum (mean over games, t 95% CI)",
    "4p": "Table 4, the paper's criterion: fraction of single SLSQP runs within 1e-3 of the best of all runs (t 95% CI)",
    "6p": "Table 6, the paper's criterion: fraction of single replicator runs within 1e-3 of the best of all runs (t 95% CI)",
    "5": "Table 5: fraction of games where >= 1 of the SLSQP runs finds the certified optimum (Wilson 95% CI)",
    "6": "Table 6: fraction of single replicator runs that find the certified optimum (mean over games, t 95% CI)",
    "7": "Table 7: fraction of games where >= 1 of the replicator runs finds the certified optimum (Wilson 95% CI)",
    "8": "Table 8: mean relative EU decrease after worst-case perturbation + simultaneous best response, mixed optima (t 95% CI)",
}
_CLASS_NAMES = {"random": "RandomGame", "coordination": "CoordinationGame", "collaboration": "CollaborationGame"}


def build_report(store_path: str, paper: dict[str, Any] | None = None, found_tol: float | None = None) -> dict[str, Any]:
    """Everything ``exactgames report`` prints, as JSON-ready data (``found_tol``: see :func:`summarize`)."""
    with ResultStore.open(store_path) as store:
        records = store.read()
        meta = store.meta()
    paper = load_paper_tables() if paper is None else paper
    cells = summarize(records, found_tol)
    tables: dict[str, Any] = {}
    for name in TABLES:
        per_class: dict[str, Any] = {}
        for c in cells:
            e = c.table(name)
            per_class.setdefault(c.cls, []).append({
                "players": c.n_players, "actions": c.n_actions, "value": e.value, "ci": [e.lo, e.hi], "n": e.n,
                "paper": paper_value(paper, name.rstrip("p"), c.cls, c.n_players, c.n_actions),
                **({"closed_form": c.closed_form} if name == "3" else {}),
            })
        tables[name] = {"title": _TITLES[name], "classes": per_class}
    errors = {c.cls: {"games": 0, "missed_optimum": 0, "above_optimum": 0, "mixed_as_pure": 0, "pure_as_mixed": 0, "incomplete": 0, "errors": 0}
              for c in cells}
    for c in cells:
        e = errors[c.cls]
        e["games"] += c.games
        e["missed_optimum"] += c.missed
        e["above_optimum"] += c.above_optimum
        e["mixed_as_pure"] += c.mixed_as_pure
        e["pure_as_mixed"] += c.pure_as_mixed
        e["incomplete"] += c.incomplete
        e["errors"] += c.errors
    sweeps = meta.get("sweeps", [])
    return {
        "store": store_path,
        "games": len(records),
        "identity": meta.get("identity"),
        "wall_seconds": sum(s.get("wall_seconds", 0.0) for s in sweeps),
        "sweeps": sweeps,
        "tables": tables,
        "paper_pipeline_errors": errors,
        "found_tol": FOUND_TOL if found_tol is None else found_tol,
        "near_misses_1e-6": near_misses(records),
        "cells": [c.to_json() for c in cells],
        "paper_notes": paper.get("notes", []),
    }


def _fmt(x: float | None, pct: bool) -> str:
    if x is None:
        return "-"
    return f"{100 * x:.1f}%" if pct else f"{x:.2f}"


def _cell_text(entry: dict[str, Any] | None, pct: bool) -> str:
    if entry is None or entry["value"] is None:
        return "n/a"
    lo, hi = entry["ci"]
    ci = "" if lo is None else f" [{_fmt(lo, pct)},{_fmt(hi, pct)}]"
    return f"{_fmt(entry['value'], pct)}{ci}"


def format_report(report: dict[str, Any]) -> str:
    """The plain-text report: Tables 3-8 per class (rows players, columns actions), ours beside the paper's.

    Each cell reads ``ours [95% CI] | paper``; Table 3 adds the closed form
    where one is known (``cf=``).
    """
    lines = [f"exactgames report: {report['store']} ({report['games']} games; sweep wall time "
             f"{report['wall_seconds']:.0f} s)"]
    for name in TABLES:
        t = report["tables"][name]
        pct = name == "8"
        for cls, entries in t["classes"].items():
            lines.append("")
            lines.append(f"{t['title']} -- {_CLASS_NAMES.get(cls, cls)}")
            players = sorted({e["players"] for e in entries})
            actions = sorted({e["actions"] for e in entries})
            by = {(e["players"], e["actions"]): e for e in entries}
            texts = {}
            for key, e in by.items():
                txt = _cell_text(e, pct) + f" | p {_fmt(e['paper'], pct)}"
                if name == "3" and e.get("closed_form") is not None:
                    txt += f" cf={e['closed_form']}"
                texts[key] = txt
            width = max([len(x) for x in texts.values()] + [3])
            lines.append("N \\ A | " + " | ".join(f"{a:^{width}}" for a in actions))
            for n in players:
                lines.append(f"{n:>5} | " + " | ".join(f"{texts.get((n, a), 'n/a'):<{width}}" for a in actions).rstrip())
    lines.append("")
    lines.append("Paper pipeline (best of the float runs, float 'mixed' test) against the certified answer:")
    for cls, e in report["paper_pipeline_errors"].items():
        lines.append(f"  {_CLASS_NAMES.get(cls, cls)}: {e['games']} certified games; missed optimum {e['missed_optimum']}, "
                     f"mixed called pure {e['mixed_as_pure']}, pure called mixed {e['pure_as_mixed']}; "
                     f"best float value above the certified optimum (infeasible SLSQP point) {e['above_optimum']}; "
                     f"not certified: {e['incomplete']} incomplete, {e['errors']} errors")
    lines.append("")
    lines.append("'p' = the paper's published number ('-' where the text copy lost it; see paper_tables.json notes).")
    tol = report.get("found_tol", FOUND_TOL)
    lines.append(f"A run 'finds' the optimum when its value is within {tol:g} of the certified value with the same support.")
    nm = report.get("near_misses_1e-6") or {}
    if nm and tol < 1e-6:
        lines.append("Runs with the optimum's support within 1e-6 but not within 1e-9 of its value (e.g. SLSQP's default "
                     f"ftol is 1e-6): {', '.join(f'{k} {v}' for k, v in sorted(nm.items()))}; see --found-tol.")
    return "\n".join(lines)


def sympy_fraction(text: str) -> float:
    """Float of an exact closed-form string such as ``"1/3"`` (for plotting only)."""
    from fractions import Fraction

    return float(Fraction(text))


def _estimate_panel(ax: Any, entries: list[dict[str, Any]], title: str, ylabel: str, closed_forms: bool = False) -> None:
    """One panel: per player count, the estimate against the number of actions with 95% error bars, the
    paper's value dashed beside it (same colour), optionally the closed forms as stars."""
    for n in sorted({e["players"] for e in entries}):
        es = sorted((e for e in entries if e["players"] == n and e["value"] is not None), key=lambda e: e["actions"])
        xs = [e["actions"] for e in es]
        ys = [e["value"] for e in es]
        err = [[max(0.0, y - (e["ci"][0] if e["ci"][0] is not None else y)) for y, e in zip(ys, es)],
               [max(0.0, (e["ci"][1] if e["ci"][1] is not None else y) - y) for y, e in zip(ys, es)]]
        line = ax.errorbar(xs, ys, yerr=err, marker="o", capsize=3, label=f"{n} players (exact)")
        px = [(e["actions"], e["paper"]) for e in es if e["paper"] is not None]
        if px:
            ax.plot([p[0] for p in px], [p[1] for p in px], "x--", color=line[0].get_color(), alpha=0.6,
                    label=f"{n} players (paper)")
    if closed_forms:
        cfs = [(e["actions"], float(sympy_fraction(e["closed_form"]))) for e in entries if e.get("closed_form") is not None]
        if cfs:
            ax.plot([c[0] for c in cfs], [c[1] for c in cfs], "k*", markersize=10, label="closed form")
    ax.set_xticks(sorted({e["actions"] for e in entries}))
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("actions")
    ax.set_ylabel(ylabel)
    ax.set_ylim(-0.05, 1.05)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _save(fig: Any, path: str, dpi: int) -> None:
    from exactgames.io.files import atomic_output

    fig.tight_layout()
    with atomic_output(path, binary=True) as fh:  # a failed or killed write leaves no half-written PNG
        fig.savefig(fh, format="png", dpi=dpi)


def baseline_figure(report: dict[str, Any]) -> Any:
    """The baselines' success rates (Tables 4-7) drawn as the mixed-fraction plot is: a 2 x 2 grid of panels per
    class (SLSQP / replicator x single run / any run), 95% intervals, the paper's values dashed."""
    import matplotlib.pyplot as plt

    classes = list(report["tables"]["3"]["classes"])
    fig, axes = plt.subplots(2 * len(classes), 2, figsize=(13, 7.6 * len(classes)), squeeze=False)
    for k, cls in enumerate(classes):
        for t, name in enumerate(("4", "5", "6", "7")):
            ax = axes[2 * k + t // 2][t % 2]
            method = "SLSQP" if name in ("4", "5") else "replicator dynamics"
            what = "a single run" if name in ("4", "6") else "any of the runs"
            _estimate_panel(ax, report["tables"][name]["classes"].get(cls, []),
                            f"Table {name}, {_CLASS_NAMES.get(cls, cls)}: {method}, {what}",
                            "fraction finding the optimum (95% CI)")
    return fig


def write_plots(report: dict[str, Any], outdir: str) -> list[str]:
    """PNG plots (matplotlib Agg): the mixed fraction per class, and the baselines' success rates.

    Returns the paths written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(outdir, exist_ok=True)
    written = []
    classes = list(report["tables"]["3"]["classes"])
    fig, axes = plt.subplots(1, len(classes), figsize=(7 * len(classes), 4), squeeze=False)
    for ax, cls in zip(axes[0], classes):
        _estimate_panel(ax, report["tables"]["3"]["classes"][cls], f"{_CLASS_NAMES.get(cls, cls)}: mixed symmetric optima",
                        "fraction of games (95% CI)", closed_forms=True)
    path = os.path.join(outdir, "mixed_fraction.png")
    _save(fig, path, 110)
    plt.close(fig)
    written.append(path)

    fig = baseline_figure(report)
    path = os.path.join(outdir, "baseline_success.png")
    _save(fig, path, 100)
    plt.close(fig)
    written.append(path)
    return written
