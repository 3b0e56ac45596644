"""verify on sequential results: the behaviour-strategy polynomial rebuilt from the tree, the same proof as normal form."""

from __future__ import annotations

import copy
import json
import pathlib

from exactgames.cli import main
from exactgames.io.trees import read_tree
from proofs_check.checker import check_certificate

GAMES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "games"


def _optimize(args, capsys):
    assert main(["optimize", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_veil_efg_result_verifies_and_forgeries_are_refused(tmp_path, capsys):
    path = str(GAMES / "veil_of_ignorance.efg")
    data = _optimize([path], capsys)
    assert data["value"] == "121/24"  # Appendix A, corrected (the ledger's erratum), found without the normal form
    tree = read_tree(path)
    rep = check_certificate(tree, data)
    assert rep.ok and any("rebuilt from the tree" in c for c in rep.checks), rep.errors
    bad = copy.deepcopy(data)
    bad["policy"][1]["probabilities"] = {"C": "4/5", "A": "1/5"}  # not the maximiser
    assert not check_certificate(tree, bad).ok
    bad = copy.deepcopy(data)
    bad["value"] = bad["value_interval"][0] = bad["value_interval"][1] = "77/18"  # the paper's number
    assert not check_certificate(tree, bad).ok
    bad = copy.deepcopy(data)
    bad["policy"][0]["free"] = True  # the Low type's plan does matter
    assert "marked free" in check_certificate(tree, bad).errors[0]
    bad = copy.deepcopy(data)
    bad["policy"][0]["infosets"] = [0]  # classes no longer partition the information sets
    assert not check_certificate(tree, bad).ok
    f = tmp_path / "veil.json"
    f.write_text(json.dumps(data))
    assert main(["verify", path, str(f)]) == 0


def test_team_bound_certificates_recompute_the_team_optimum(tmp_path, capsys):
    path = str(GAMES / "dectiger.dpomdp")
    data = _optimize([path, "--horizon", "2"], capsys)
    assert data["value"] == "-4" and data["certificate"]["kind"] == "sequential-team-bound-v1"  # published: -4.000000
    tree = read_tree(path, 2)
    rep = check_certificate(tree, data)
    assert rep.ok and any("team optimum" in c for c in rep.checks), rep.errors
    f = tmp_path / "dt2.json"
    f.write_text(json.dumps(data))
    assert main(["verify", path, str(f), "--horizon", "2"]) == 0
    capsys.readouterr()
    bad = copy.deepcopy(data)
    first = bad["policy"][0]["probabilities"]
    names = list(first)
    first[names[0]], first[names[1]] = "0", "1"  # open a door at once: worse than listening
    rep = check_certificate(tree, bad)
    assert not rep.ok and "differs" in rep.errors[0]
    bad["value"] = bad["value_interval"][0] = bad["value_interval"][1] = str(rep.errors[0].split("exact value ")[1])
    assert "below the team optimum" in check_certificate(tree, bad).errors[0]
    bad = copy.deepcopy(data)
    k = next(k for k, e in enumerate(data["policy"]) if not e["free"] and k > 0)
    bad["policy"][k]["free"] = True
    assert not check_certificate(tree, bad).ok


def _refused(tree, data, edit, needle=""):
    bad = copy.deepcopy(data)
    edit(bad)
    rep = check_certificate(tree, bad)
    assert not rep.ok, f"forgery accepted: {edit.__doc__ or edit}"
    assert needle in rep.errors[0], rep.errors
    return rep.errors[0]


def _set(path, value):
    """bad[path...] = value (a forgery of one field)."""
    def edit(bad):
        obj = bad
        for k in path[:-1]:
            obj = obj[k]
        obj[path[-1]] = value
    edit.__doc__ = f"{path} = {value!r}"
    return edit


def test_every_field_of_a_team_bound_certificate_is_checked(capsys):
    """Dec-Tiger h=2: each proved field forged alone is refused; free classes really take any action; the rest is listed."""
    path = str(GAMES / "dectiger.dpomdp")
    data = _optimize([path, "--horizon", "2"], capsys)
    tree = read_tree(path, 2)
    rep = check_certificate(tree, data)
    assert rep.ok, rep.errors
    assert set(rep.not_proved) == {"agent_orbits", "method", "reason", "seconds", "certificate.claim",
                                   "certificate.symmetric_policies_enumerated", "certificate.tensor_size"}
    k = next(k for k, e in enumerate(data["policy"]) if not e["free"] and k > 0)
    kf = next(k for k, e in enumerate(data["policy"]) if e["free"])
    acts = list(data["policy"][k]["probabilities"])
    cur = next(a for a, p in data["policy"][k]["probabilities"].items() if p == "1")
    other = next(a for a in acts if a != cur)
    forgeries = [
        (_set(["title"], "dectiger, horizon 3"), "title"),
        (_set(["complete"], False), "incomplete"),
        (_set(["value_exact"], False), "value_exact"),
        (_set(["value"], "-3"), "value"),
        (_set(["value_interval"], ["-5", "-3"]), "value_interval"),
        (_set(["ties"], ["-4"]), "ties"),
        (_set(["nash"], False), "nash"),
        (_set(["nash_gain"], "1"), "nash_gain"),
        (_set(["deterministic"], False), "deterministic"),
        (_set(["agent_orbits"], [["1"], ["1", "2"]]), "agent_orbits"),
        (_set(["agent_orbits"], [["1"], ["2"]]), "different agent orbits"),
        (_set(["policy", k, "class"], k + 1), "class"),
        (_set(["policy", k, "history"], "start"), "history"),
        (_set(["policy", k, "agents"], ["1"]), "agents"),
        (_set(["policy", k, "infosets"], data["policy"][k]["infosets"][:1]), ""),
        (_set(["policy", k, "free"], True), "marked free"),
        (_set(["policy", kf, "free"], False), "not marked free"),
        (_set(["policy", k, "probabilities"], {a: str(int(a == other)) for a in acts}), "differs"),
        (_set(["policy", k, "probabilities"], {a: "1/2" for a in acts}), "distribution"),
        (_set(["certificate", "kind"], "bnb-product-v1"), ""),
        (_set(["certificate", "team_optimum"], "-3"), "team_optimum"),
        (_set(["certificate", "symmetric_value"], "-5"), "symmetric_value"),
        (_set(["certificate", "team_policies_enumerated"], data["certificate"]["team_policies_enumerated"] + 1),
         "team_policies_enumerated"),
        (_set(["certificate", "symmetric_policy", str(k)], acts.index(other)), "symmetric_policy"),
        (_set(["certificate", "team_profile", str(data["policy"][0]["infosets"][0])],
              1 - data["certificate"]["team_profile"][str(data["policy"][0]["infosets"][0])] or 1), "team_profile"),
    ]
    for edit, needle in forgeries:
        _refused(tree, data, edit, needle)
    # a free class is unreached: any action there keeps the (true) claim
    ok = copy.deepcopy(data)
    names = list(ok["policy"][kf]["probabilities"])
    ok["policy"][kf]["probabilities"] = {a: str(int(a == names[-1])) for a in names}
    assert check_certificate(tree, ok).ok


def test_every_field_of_a_bnb_tree_certificate_is_checked(capsys):
    """The veil .efg (mixed optimum 121/24): each proved field forged alone is refused."""
    path = str(GAMES / "veil_of_ignorance.efg")
    data = _optimize([path], capsys)
    tree = read_tree(path)
    rep = check_certificate(tree, data)
    assert rep.ok and set(rep.not_proved) == {"agent_orbits", "method", "reason", "seconds"}, rep
    forgeries = [
        _set(["title"], "veil"), _set(["complete"], False), _set(["value"], "5"), _set(["value_interval"], ["5", "5"]),  # (a looser true enclosure would be a true claim)
        _set(["ties"], ["5"]), _set(["nash"], False), _set(["nash_gain"], "1/7"), _set(["deterministic"], True),
        _set(["agent_orbits"], [["1"]]), _set(["policy", 1, "class"], 0), _set(["policy", 1, "history"], "type L"),
        _set(["policy", 1, "agents"], ["2"]), _set(["policy", 1, "infosets"], [3, 2, 2]),
        _set(["policy", 1, "free"], True), _set(["policy", 1, "probabilities"], {"C": "4/5", "A": "1/5"}),
        _set(["policy", 1, "probabilities"], {"C": "5/6"}), _set(["certificate", "kind"], "sequential-team-bound-v1"),
        _set(["certificate", "tree"], []),
    ]
    for edit in forgeries:
        _refused(tree, data, edit)
