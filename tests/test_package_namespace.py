"""The package namespace: a short public API resolved lazily, so one layer can be imported without the others."""

import subprocess
import sys

import pytest


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(sorted(m for m in sys.modules if m.startswith('exactgames')))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip().splitlines()[-1])  # a printed list of module names


def test_importing_the_model_loads_no_higher_layer():
    mods = _modules_after("import exactgames.model")
    assert not [m for m in mods if m.split(".")[1:2] and m.split(".")[1] in ("optimize", "certify", "symmetry", "output")]


def test_importing_the_package_loads_no_layer():
    mods = _modules_after("import exactgames; exactgames.__all__")
    assert mods == ["exactgames"], mods


def test_public_names_and_the_callable_optimize_package():
    import exactgames as eg
    from exactgames.paper_games import taxi_symmetric

    assert eg.optimize(taxi_symmetric()).value == eg.parse_exact("3/2")
    assert "optimize" in eg.__all__ and "Game" in dir(eg) and len(eg.__all__) > 25
    try:
        eg.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown name must raise AttributeError")


def test_the_public_api_is_small_and_every_name_resolves():
    import exactgames as eg

    assert 25 <= len(eg.__all__) <= 40
    for name in eg.__all__:
        assert getattr(eg, name) is not None, name
    # internals are reached through their sub-package only
    for internal in ("to_fmpq", "escape", "count_vectors", "certified_optimum", "FieldElement", "kkt_points"):
        with pytest.raises(AttributeError):
            getattr(eg, internal)


@pytest.mark.parametrize("first", ["verb", "submodule"])
def test_optimize_is_one_object_whatever_is_imported_first(first):
    """The verb and the sub-package are one callable object: importing a sub-module cannot shadow the verb."""
    code = ("import exactgames as eg\n"
            + ("f = eg.optimize\nimport exactgames.optimize.kkt.route as bp\n" if first == "verb" else
               "import exactgames.optimize.kkt.route as bp\nf = eg.optimize\n")
            + "import exactgames.optimize\n"
            "from exactgames.paper_games import taxi_symmetric\n"
            "assert f is eg.optimize is exactgames.optimize, (f, eg.optimize)\n"
            "assert bp.kkt_optimum is not None and eg.optimize.kkt.route is bp\n"
            "import inspect\n"
            "assert list(inspect.signature(f).parameters)[:2] == ['game', 'orbits']\n"
            "print(f(taxi_symmetric()).value)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "3/2"
