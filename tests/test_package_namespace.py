"""The package namespace resolves its public names lazily, so one layer can be imported without the others."""

import subprocess
import sys


def _modules_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code + "; import sys; print(sorted(m for m in sys.modules if m.startswith('exactgames')))"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip().splitlines()[-1])  # a printed list of module names


def test_importing_the_model_loads_no_higher_layer():
    mods = _modules_after("import exactgames.model")
    assert not [m for m in mods if m.split(".")[1:2] and m.split(".")[1] in ("optimize", "certify", "symmetry", "output")]


def test_public_names_and_the_callable_optimize_package():
    import exactgames as eg
    import exactgames.optimize.bnb  # noqa: F401  (rebinds the name 'optimize' to the sub-package)
    from exactgames.paper_games import taxi_symmetric

    assert eg.optimize(taxi_symmetric()).value == eg.parse_exact("3/2")
    assert "optimize" in eg.__all__ and "Game" in dir(eg) and len(eg.__all__) > 50
    try:
        eg.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("an unknown name must raise AttributeError")
