"""``exactgames optimize GAME``: the exact optimum among P-invariant profiles, with verdicts."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from exactgames.cli.common import EXIT_OK, InputError, load_game, print_json

EXIT_INCOMPLETE = 3
#: generous so that the README's examples (about 1-6 s each) also finish on a loaded machine; wall-clock seconds
DEFAULT_TIME_LIMIT = 60.0

EPILOG = """\
P defaults to Γ(G), the game's full symmetry group (all its symmetries); --subgroup
gives generators of a subgroup in cycle notation with players numbered from 1,
e.g. --subgroup "(1 3)(2 4)"; several generators separated by ";", e.g. "(1 2 3 4); (1 3)".
Every value is exact (rationals, radicals or CRootOf); value_interval is a proved
rational enclosure of width at most 1e-30.
A game with free parameters needs --set NAME=VALUE for each; without them the
parametric analysis prints the regimes of the optimum.
--time-limit (default 60 wall-clock seconds) is checked in every phase: the branch and bound,
the exact value derived on the proved support, and the verdicts.
exit codes: 0 success, 2 usage or input error, 3 time limit or solver limit reached
(the printed answer is then incomplete: it claims nothing beyond value_interval, which,
when not [0, 0], is still a proved enclosure of the optimum found so far; when the limit
passes while the verdicts are decided, or the closed form is not derived (--closed-form), the optimum is
proved and the verdicts say "not decided")"""


class _ProgressLine:
    """Status of the branch and bound on stderr: cells done and left, depth, and the gap still open."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.shown = False

    def __call__(self, st: dict) -> None:
        text = (f"branch and bound: {st['cells_done']} cells done, {st['cells_left']} left, depth {st['depth']}, "
                f"best proved {st['threshold']:.12g}, gap {st['gap']:.3g}")
        self.stream.write(("\r" + text + "\x1b[K") if self.tty else text + "\n")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _yesno(v: bool | None) -> str:
    return {True: "yes", False: "no", None: "not decided"}[v]


def _tie_text(result: Any, tie: Any) -> str:
    """One tie, each orbit named: ``orbit 1 (players 1,3): D=1; orbit 2 (players 2,4): F=1``."""
    from exactgames.optimize.result import TiedContinuum, as_tie, form_text, players_text

    tie = as_tie(tie)
    if isinstance(tie, TiedContinuum):
        return str(tie)
    return "; ".join(
        f"orbit {k + 1} (players {players_text(orb)}): " + ", ".join(f"{a}={form_text(p)}" for a, p in zip(acts, s) if p != 0)
        for k, (orb, acts, s) in enumerate(zip(result.orbits, result.actions, tie.strategies)))


def summary(result: Any, exact: bool = False) -> str:
    """The readable text printed without ``--json`` (long closed forms shortened unless ``exact``).

    ``result`` is an :class:`~exactgames.certify.verdicts.Analysis` (a bare optimum's verdicts read "not decided").
    """
    from exactgames.certify.verdicts import Analysis
    from exactgames.optimize.result import players_text

    verdicts = (dict(nash=result.nash, degenerate=result.degenerate, locally_optimal_asymmetric=result.locally_optimal_asymmetric)
                if isinstance(result, Analysis) else dict.fromkeys(("nash", "degenerate", "locally_optimal_asymmetric")))
    fields = result.text_fields(exact)
    lines = []
    if result.complete:
        lines.append("status:     proved optimum")
    else:
        lines.append("status:     INCOMPLETE (nothing is claimed beyond the enclosure)")
        lines.append(f"reason:     {fields['reason']}")
    lines.append(f"method:     {result.method}")
    lines.append("orbits:     " + "  ".join("{" + players_text(o) + "}" for o in result.orbits))
    lines.append(f"value:      {fields['value']}")
    lines.append(f"enclosure:  {fields['enclosure']}   (proved)")
    if not result.complete:
        lines.append("strategies: not proved")
        lines.append("support:    not proved")
        lines.append("mixed:      not proved")
    else:
        for key, text in fields.items():
            if key.startswith("orbit "):
                lines.append(f"{key}:  {text}")
        lines.append(f"support:    {fields['support']}")
        lines.append(f"mixed:      {_yesno(result.mixed)}")
    lines.append(f"Nash:       {_yesno(verdicts['nash'])}")
    lines.append(f"degenerate: {_yesno(verdicts['degenerate'])}")
    lines.append(f"locally optimal in asymmetric strategy space: {_yesno(verdicts['locally_optimal_asymmetric'])}")
    if result.complete and result.ties:
        lines.append("ties (other optimal P-invariant profiles or continua):")
        for t in result.ties:
            lines.append("  " + _tie_text(result, t))
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    # exact algebraic values can have minimal polynomials with more than 4300-digit coefficients
    sys.set_int_max_str_digits(0)
    from exactgames.cli import sequential

    if sequential.handles(args.game):  # .efg / .dpomdp game trees: symmetric behaviour strategies
        return sequential.run_optimize(args)
    game = load_game(args.game, args.set)
    if args.time_limit is not None and args.time_limit <= 0:
        raise InputError(f"--time-limit {args.time_limit}: expected a positive number of seconds")
    if getattr(args, "automorphisms", None):  # issue 15: profiles invariant under automorphisms over players and actions
        return _run_automorphisms(game, args)
    if not game.parameters and not args.keep_duplicates:  # issue 14 item 15: payoff-equivalent actions merged
        merged = _merged(game, args)
        if merged is not None:
            return _print_invariant(game, merged, args)
    from exactgames.certify.verdicts import analyze, verdicts_reason

    show = args.progress if args.progress is not None else sys.stderr.isatty()
    reporter = _ProgressLine(sys.stderr) if show and not game.parameters else None
    try:
        result = analyze(game, subgroup=args.subgroup, time_limit=args.time_limit, progress=reporter,
                         closed_form={"auto": None, "always": True, "never": False}[args.closed_form])
    finally:
        if reporter is not None:
            reporter.close()
    if game.parameters:
        return _print_regimes(result, args)
    if args.json:
        out = result.to_json()
        if args.set:  # recorded so that verify re-checks against the same substituted game
            out["parameters"] = dict(item.split("=", 1) for item in args.set)
        print_json(out)
    else:
        print(summary(result, exact=getattr(args, "exact", False)))
        why = verdicts_reason(result) if result.complete else None
        if result.verdicts_timed_out:
            print(f"verdicts:   not decided: the time limit ({args.time_limit:g} s) passed while deciding them")
        elif why:
            print(f"verdicts:   not decided: {why}")
    undecided = result.complete and verdicts_reason(result) is not None
    return EXIT_OK if result.complete and not undecided else EXIT_INCOMPLETE


def _print_regimes(res: Any, args: argparse.Namespace) -> int:
    """A game with a free parameter and no ``--set``: the regimes of the optimum, with verdicts at the samples."""
    from exactgames.optimize.result import players_text
    from exactgames.output.regimes import regimes_text

    reg = res.to_json()
    orbits = res.orbits
    out = {"orbits": [[i + 1 for i in o] for o in orbits], "parameter": reg.get("parameter"), "regimes": reg["regimes"],
           "complete": reg.get("complete"), "reason": reg.get("reason", "")}
    if args.json:
        print_json(out)
    else:
        names = [f"orbit {k + 1} (players {players_text(o)})" for k, o in enumerate(orbits)]
        print(f"parameter {out['parameter']} (no --set given): regimes of the optimum among P-invariant profiles, "
              f"orbits {'  '.join('{' + players_text(o) + '}' for o in orbits)}")
        print(regimes_text(out, names))
        if out["complete"] is False:
            print(f"INCOMPLETE: {out['reason']}")
    return EXIT_OK if out["complete"] is not False else EXIT_INCOMPLETE


def _merged(game: Any, args: argparse.Namespace) -> Any:
    """The optimum with payoff-equivalent actions merged (None when the game has none), P from --subgroup or Γ(G)."""
    from exactgames.invariant_optimum import merged_optimum

    gens = None
    if args.subgroup:
        from exactgames.symmetry import parse_permutations

        gens = [list(p.array_form) for p in parse_permutations(args.subgroup, game.n_players)]
    return merged_optimum(game, gens, time_limit=args.time_limit)


def _run_automorphisms(game: Any, args: argparse.Namespace) -> int:
    """``--automorphisms``: reduce to the game G' of the invariant profiles, optimise it, verdicts on G."""
    from exactgames.invariant_optimum import invariant_optimum
    from exactgames.symmetry.automorphisms import AutomorphismSyntaxError, NotAnAutomorphismError

    if game.parameters:
        raise InputError("--automorphisms needs every parameter set (--set NAME=VALUE)")
    try:
        opt = invariant_optimum(game, args.automorphisms, time_limit=args.time_limit)
    except (AutomorphismSyntaxError, NotAnAutomorphismError, ValueError) as e:
        raise InputError(f"--automorphisms: {e}") from None
    return _print_invariant(game, opt, args)


def _print_invariant(game: Any, opt: Any, args: argparse.Namespace) -> int:
    """Text or JSON of an :class:`~exactgames.invariant_optimum.InvariantOptimum` (a certificate ``verify`` checks)."""
    out = opt.to_json()
    if args.json:
        print_json(out)
    else:
        if opt.duplicates:
            print("duplicate actions: merged (payoff-equivalent, detected exactly; --keep-duplicates to optimise them apart)")
        print(f"automorphisms: {'; '.join(out['automorphisms'])}")
        print(f"status:     {'proved optimum' if out['complete'] else 'INCOMPLETE (nothing is claimed)'}")
        from exactgames.optimize.result import form_text

        exact = getattr(args, "exact", False)
        if out["complete"]:
            print(f"value:      {form_text(opt.value, exact)}")
        else:
            print(f"enclosure:  {opt.result.text_fields(exact)['enclosure']}   (proved; nothing else is claimed)")
        for i, s in enumerate(opt.profile):
            acts = opt.verdicts["_names"][i]
            print(f"player {i + 1}:   " + ", ".join(f"{a}={form_text(p, exact)}" for a, p in zip(acts, s) if p != 0))
        print(f"Nash:       {_yesno(out['nash'])}")
        print(f"degenerate: {_yesno(out['degenerate'])}")
        print(f"locally optimal in asymmetric strategy space: {_yesno(out['locally_optimal_asymmetric'])}")
        if opt.duplicates and out["complete"]:
            print(opt.continuum_text)
    return EXIT_OK if out["complete"] else EXIT_INCOMPLETE


def register(sub: Any) -> None:
    p = sub.add_parser(
        "optimize",
        help="exact optimal P-invariant (symmetric) profile, with Nash/degeneracy/stability verdicts",
        description="Find the global optimum of the expected utility among P-invariant profiles exactly "
        "(closed form by exact KKT enumeration, or a proved enclosure), then certify it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("game", help="game file (.nfg, .toml, .efg, or .dpomdp with --horizon)")
    p.add_argument("--subgroup", metavar="PERMS", help='generators of P in cycle notation, e.g. "(1 3)(2 4)"')
    p.add_argument("--automorphisms", metavar="GENS",
                   help='"all" or generators over players and actions as `symmetries --actions` prints them, '
                   'e.g. "(1 2)(1:O 2:F)(1:F 2:O)": optimum among the profiles they leave invariant')
    p.add_argument("--keep-duplicates", action="store_true",
                   help="do not merge payoff-equivalent actions (by default they are merged, the optimum found on the "
                   "merged game and the continuum of splits reported)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="give a parameter an exact value")
    p.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="S",
                   help=f"wall-clock seconds for every phase (branch and bound, exact value, verdicts) before the proved "
                   f"enclosure is returned with exit 3 (default {DEFAULT_TIME_LIMIT:g}, so that examples also finish on a busy machine)")
    p.add_argument("--json", action="store_true", help="print JSON (closed forms always in full)")
    p.add_argument("--closed-form", choices=("auto", "always", "never"), default="auto",
                   help="derive the exact closed form of the optimum from the KKT points of the proved support: "
                   "'auto' (default) when it costs no more than the proof (at least 3 s allowed), "
                   "else the proved support and enclosure only (verdicts then not decided, exit 3); 'always'; 'never'")
    p.add_argument("--exact", action="store_true",
                   help="print long closed forms in full (default: decimal, degree and isolating interval beyond 120 characters)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="status of the branch and bound on stderr about twice a second (default: when stderr is a terminal)")
    from exactgames.cli.sequential import add_horizon

    add_horizon(p)
    p.set_defaults(handler=_run)
