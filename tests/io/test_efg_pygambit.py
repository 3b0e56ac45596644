"""pygambit as a peer of our ``.efg`` reader (issue 16): every ``.efg`` file of the tests and examples, read both ways.

Compared, all exactly (pygambit's ``Rational`` is a ``fractions.Fraction``): the players; every chance node
(found by following pygambit's history of action labels in our tree) with its labels and probabilities;
the information sets of each player with their actions and their member nodes; the payoff of every play
(the sum of the outcomes along the path, outcomes at decision and chance nodes included); perfect recall;
the expected payoff of every pure strategy profile (pygambit computes it from its own tree, we evaluate
our tree with the behaviour pygambit's strategy prescribes); and for common-payoff games the team optimum
(the best pure profile by pygambit against ``exactgames.model.tree_pure.team_optimum_value``), the value of
our proved best symmetric behaviour strategy evaluated by pygambit's rational behaviour profile, and
Nash (pygambit's ``max_regret`` is 0 exactly when ours says Nash).

The module skips without pygambit, or with a pygambit older than 17 (its label-based API is 17's; the
test extra pins ``pygambit==17.0.0b2``); ``test_module_skips_cleanly_without_pygambit`` checks the skip.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted({*ROOT.joinpath("tests").rglob("*.efg"), *ROOT.joinpath("examples").rglob("*.efg")})


def test_the_files_are_found():
    names = {p.name for p in FILES}
    assert {"veil_of_ignorance.efg", "team_signal.efg", "three_agents_chance.efg", "small_general.efg"} <= names


def test_module_skips_cleanly_without_pygambit(tmp_path):
    """With pygambit made unimportable the peer tests are skipped (exit 0), never errors."""
    code = ("import sys; sys.modules['pygambit'] = None; import pytest; "
            f"sys.exit(pytest.main([{str(Path(__file__))!r}, '-q', '-p', 'no:cacheprovider', '-k', 'not skips_cleanly', "
            "'-o', 'addopts=', '--rootdir', " + repr(str(tmp_path)) + "]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    tail = r.stdout.strip().splitlines()[-1]
    assert r.returncode == 0 and "skipped" in tail and "passed" in tail, r.stdout + r.stderr
    assert "error" not in tail and "failed" not in tail, tail


def _gambit():
    gbt = pytest.importorskip("pygambit")
    if int(gbt.__version__.split(".")[0]) < 17:
        pytest.skip(f"pygambit {gbt.__version__}: the peer tests use pygambit 17's label-based API")
    return gbt


def _ours(path: Path):
    from exactgames.io.efg import read_efg

    return read_efg(path)


def _follow(tree, actions):
    """Our node reached by a sequence of action labels (chance outcome labels or action names) from the root."""
    from exactgames.model.tree import Chance, Decision

    node = tree.root
    for a in actions:
        if isinstance(node, Chance):
            assert list(node.labels).count(a) == 1, (a, node.labels)
            node = node.children[node.labels.index(a)]
        else:
            assert isinstance(node, Decision), f"history {actions} goes past a leaf of our tree"
            names = tree.infosets[node.infoset].actions
            assert list(names).count(a) == 1, (a, names)
            node = node.children[names.index(a)]
    return node


def _acts(history):
    return tuple(t.action for t in history)


@pytest.fixture(params=FILES, ids=lambda p: p.name)
def both(request):
    gbt = _gambit()
    return gbt, gbt.read_efg(str(request.param)), _ours(request.param)


def test_players_and_perfect_recall(both):
    gbt, g, ours = both
    assert list(g.players) == list(ours.players) and g.title == ours.title
    assert g.is_perfect_recall == ours.has_perfect_recall()


def test_chance_moves_and_their_exact_probabilities(both):
    from exactgames.model.tree import Chance

    gbt, g, ours = both
    H = gbt.H
    seen = set()
    for event in g.get_events():
        for member in g.get_members(H.path(*_acts(event))):
            probs = g.get_action_probs(H.path(*_acts(member)))
            node = _follow(ours, _acts(member))
            assert isinstance(node, Chance)
            assert list(node.labels) == list(probs) and list(node.probs) == [Fraction(p) for p in probs.values()]
            assert all(type(p) is not float for p in probs.values())
            seen.add(id(node))
    assert len(seen) == sum(isinstance(n, Chance) for n in ours.nodes())


def test_information_sets_actions_and_members(both):
    from exactgames.model.tree import Decision

    gbt, g, ours = both
    H = gbt.H
    for p, player in enumerate(g.players):
        got = []
        for rep in g.get_infosets(player):
            members = g.get_members(H.path(*_acts(rep)))
            nodes = [_follow(ours, _acts(m)) for m in members]
            assert all(isinstance(n, Decision) for n in nodes)
            ids = {n.infoset for n in nodes}
            assert len(ids) == 1, f"one pygambit information set spans our sets {ids}"
            i = ids.pop()
            assert ours.infosets[i].player == p and list(ours.infosets[i].actions) == g.get_actions(H.path(*_acts(rep)))
            # every node of our information set is one of pygambit's members
            ours_members = sum(1 for n in ours.nodes() if isinstance(n, Decision) and n.infoset == i)
            assert ours_members == len(members)
            got.append(i)
        assert sorted(got) == ours.player_infosets(p)  # same sets, each once, in the file's (depth-first) order


def test_payoff_of_every_play(both):
    from exactgames.model.tree import Terminal

    gbt, g, ours = both
    H = gbt.H
    players = list(g.players)
    plays = g.get_histories(H.plays)
    assert len(plays) == sum(isinstance(n, Terminal) for n in ours.nodes())
    for h in plays:
        acts = _acts(h)
        theirs = [Fraction(0)] * len(players)
        for k in range(len(acts) + 1):
            label = g.get_outcome(H.path(*acts[:k]))
            if label is not None:
                pay = g.get_outcome_payoffs(label)
                theirs = [t + Fraction(pay[pl]) for t, pl in zip(theirs, players)]
        mine = [Fraction(0)] * len(players)
        node = ours.root
        for k in range(len(acts) + 1):
            node = _follow(ours, acts[:k])
            if node.payoff is not None:
                mine = [m + v for m, v in zip(mine, node.payoff)]
        assert isinstance(node, Terminal) and theirs == mine, acts


def _behaviour_of(g, ours, contingency, H):
    """Our behaviour profile (information set -> pure distribution) for pygambit's pure strategies."""
    beh = {}
    for player, strategy in contingency.items():
        for rep, action in g.get_behavior(player, strategy).items():
            node = _follow(ours, _acts(rep))
            names = ours.infosets[node.infoset].actions
            beh[node.infoset] = tuple(Fraction(int(a == action)) for a in names)
    return beh


MAX_PROFILES = 5000


def test_expected_payoff_of_pure_strategy_profiles(both):
    from exactgames.model.tree_eu import evaluate

    gbt, g, ours = both
    H = gbt.H
    players = list(g.players)
    strategies = [g.get_strategies(p) for p in players]
    profiles = list(itertools.islice(itertools.product(*strategies), MAX_PROFILES))
    assert profiles
    for combo in profiles:
        contingency = dict(zip(players, combo))
        theirs = g.get_payoffs(contingency)
        beh = _behaviour_of(g, ours, contingency, H)
        assert len(beh) == len(ours.infosets)
        for p, pl in enumerate(players):
            assert Fraction(theirs[pl]) == evaluate(ours, beh, p), (contingency, pl)


def test_common_payoff_team_optimum_symmetric_value_and_nash(both):
    from exactgames.model.tree_pure import team_optimum_value
    from exactgames.sequential.brute import team_optimum
    from exactgames.sequential.optimize import optimize_tree

    gbt, g, ours = both
    if not ours.is_common_payoff:
        assert len({tuple(Fraction(g.get_payoffs(dict(zip(g.players, c)))[pl]) for pl in g.players)
                    for c in itertools.product(*(g.get_strategies(p) for p in g.players))}) > 1
        pytest.skip("not a common-payoff game")
    H = gbt.H
    players = list(g.players)
    best = max(Fraction(g.get_payoffs(dict(zip(players, c)))[players[0]])
               for c in itertools.product(*(g.get_strategies(p) for p in players)))
    assert best == team_optimum(ours).value  # enumeration with backward-induction best responses
    if ours.n_players == 2:
        assert best == team_optimum_value(ours)[0]  # the checker's sequence-form route (two agents)
    r = optimize_tree(ours)
    assert r.complete and r.value_exact and r.value <= best
    prof = g.mixed_behavior_profile(rational=True)
    beh = r.behaviour()
    for p, player in enumerate(players):
        for rep in g.get_infosets(player):
            node = _follow(ours, _acts(rep))
            dist = beh[node.infoset]
            prof.set_mixed_action(H.path(*_acts(rep)),
                                  {a: gbt.Rational(q.numerator, q.denominator) for a, q in zip(ours.infosets[node.infoset].actions, dist)})
    assert all(Fraction(prof.payoffs[pl]) == r.value for pl in players)
    assert (prof.max_regret() == 0) is bool(r.nash)


def test_veil_values_from_pygambit():
    """The veil game: pygambit's exact payoff of the proved symmetric optimum is 121/24 (Appendix A, corrected)."""
    gbt = _gambit()
    from exactgames.sequential.optimize import optimize_tree

    path = ROOT / "examples" / "games" / "veil_of_ignorance.efg"
    g, ours = gbt.read_efg(str(path)), _ours(path)
    r = optimize_tree(ours)
    assert r.value == Fraction(121, 24)
    prof = g.mixed_behavior_profile(rational=True)
    H = gbt.H
    for player in g.players:
        for rep in g.get_infosets(player):
            node = _follow(ours, _acts(rep))
            prof.set_mixed_action(H.path(*_acts(rep)), dict(zip(ours.infosets[node.infoset].actions,
                                                               (gbt.Rational(q.numerator, q.denominator) for q in r.behaviour()[node.infoset]))))
    assert prof.payoffs["1"] == gbt.Rational(121, 24)


def test_a_file_written_by_pygambit_reads_the_same(tmp_path):
    """pygambit's own writer (to_efg) and our reader: same plays and payoffs as the original file."""
    gbt = _gambit()
    from exactgames.model.tree_eu import evaluate

    for path in FILES:
        g = gbt.read_efg(str(path))
        out = tmp_path / path.name
        out.write_text(g.to_efg())
        a, b = _ours(path), _ours(out)
        assert a.players == b.players and [(i.player, i.actions) for i in a.infosets] == [(i.player, i.actions) for i in b.infosets]
        for k in range(3):  # a few behaviour profiles, mixed, exact
            beh = {i: tuple(Fraction(1 + (i + j + k) % 3, 1) for j in range(len(inf.actions))) for i, inf in enumerate(a.infosets)}
            beh = {i: tuple(x / sum(d) for x in d) for i, d in beh.items()}
            assert all(evaluate(a, beh, p) == evaluate(b, beh, p) for p in range(a.n_players)), path.name
