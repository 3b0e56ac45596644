"""Orbit graphs: players as nodes, one coloured edge per generator move.

For a generating set P, the graph has an edge ``i -> g(i)`` for every
generator ``g`` and every player ``i`` that ``g`` moves (fixed points get no
self-loop).  Its connected components are exactly the orbits of ⟨P⟩
(Definition 3.2.5): ``j`` is reachable from ``i`` by applying generators, and
inverses are powers of generators in a finite group.

Exports: a networkx ``MultiDiGraph`` (:func:`orbit_graph`), a PNG/SVG drawing
(:func:`draw_orbit_graph`, matplotlib Agg), a TikZ picture
(:func:`orbit_graph_tikz`) and Graphviz DOT (:func:`orbit_graph_dot`).

Examples
--------
>>> from exactgames.symmetry.result import make_result
>>> r = make_result(4, [[2, 3, 0, 1]], "example")
>>> G = orbit_graph(r)
>>> sorted(G.nodes), sorted(G.edges(data="generator"))
([1, 2, 3, 4], [(1, 3, '(1 3)(2 4)'), (2, 4, '(1 3)(2 4)'), (3, 1, '(1 3)(2 4)'), (4, 2, '(1 3)(2 4)')])
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # networkx is imported where a graph is built: it costs 0.1 s of every command's start-up
    import networkx as nx

from exactgames.model.exact import ExactError
from exactgames.symmetry.permutations import cycle_string
from exactgames.symmetry.result import SymmetryResult

__all__ = ["orbit_graph", "draw_orbit_graph", "orbit_graph_tikz", "orbit_graph_dot", "GENERATOR_COLORS"]

GENERATOR_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)


def _color(k: int) -> str:
    return GENERATOR_COLORS[k % len(GENERATOR_COLORS)]


def orbit_graph(result: SymmetryResult) -> nx.MultiDiGraph:
    """The orbit graph of a symmetry result (nodes are players numbered from 1).

    Node attribute ``label`` (the player number as text); edge attributes
    ``generator`` (cycle string), ``index`` (generator number from 0) and
    ``color`` (hex).

    Examples
    --------
    >>> from exactgames.symmetry.result import make_result
    >>> import networkx as nx
    >>> r = make_result(5, [[1, 0, 2, 3, 4], [0, 1, 3, 4, 2]], "x")
    >>> sorted(sorted(c) for c in nx.weakly_connected_components(orbit_graph(r)))
    [[1, 2], [3, 4, 5]]
    """
    import networkx as nx

    G = nx.MultiDiGraph(name="orbit graph")
    for i in range(result.n_players):
        G.add_node(i + 1, label=str(i + 1))
    for k, g in enumerate(result.generators):
        arr = g.array_form + list(range(g.size, result.n_players))
        name = cycle_string(g)
        for i, j in enumerate(arr):
            if i != j:
                G.add_edge(i + 1, j + 1, key=k, generator=name, index=k, color=_color(k))
    return G


def _positions(n: int) -> dict[int, tuple[float, float]]:
    """Players on a circle, player 1 at the top, clockwise (layout only, no verdict)."""
    return {i + 1: (math.sin(2 * math.pi * i / n), math.cos(2 * math.pi * i / n)) for i in range(n)}


def draw_orbit_graph(result: SymmetryResult, path: str | Path, title: str | None = None) -> Path:
    """Draw the orbit graph to a PNG or SVG file (by suffix) with matplotlib's Agg backend.

    Examples
    --------
    >>> import tempfile, os
    >>> from exactgames.symmetry.result import make_result
    >>> d = tempfile.mkdtemp()
    >>> p = draw_orbit_graph(make_result(3, [[1, 2, 0]], "x"), os.path.join(d, "g.svg"))
    >>> p.read_text()[:5] in ("<?xml", "<svg ")
    True
    """
    p = Path(path)
    fmt = p.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ExactError(f"{p}: cannot draw to {p.suffix or 'a file without suffix'!r}; expected .png or .svg")
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    G = orbit_graph(result)
    n = result.n_players
    pos = _positions(n)
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    ax.set_aspect("equal")
    for u, v, k, data in G.edges(keys=True, data=True):
        rad = 0.12 + 0.08 * data["index"]
        ax.annotate(
            "",
            xy=pos[v],
            xytext=pos[u],
            arrowprops=dict(arrowstyle="-|>", color=data["color"], lw=1.6, shrinkA=13, shrinkB=13, connectionstyle=f"arc3,rad={rad}"),
        )
    for node, (x, y) in pos.items():
        ax.scatter([x], [y], s=500, color="white", edgecolors="black", zorder=3)
        ax.text(x, y, str(node), ha="center", va="center", fontsize=11, zorder=4)
    handles = [Line2D([0], [0], color=_color(k), lw=2) for k in range(len(result.generators))]
    labels = result.generator_strings()
    if handles:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(3, len(labels)), frameon=False, fontsize=8)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    orbs = ", ".join("{" + ",".join(str(i + 1) for i in o) + "}" for o in result.orbits)
    ax.set_title(title or f"orbits {orbs}; group order {result.order}", fontsize=9)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, format=fmt, bbox_inches="tight")
    return p


def _hex_to_rgb(h: str) -> tuple[int, int, int]:
    return int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16)


def orbit_graph_tikz(result: SymmetryResult, radius: float = 2.0) -> str:
    """A ``tikzpicture`` of the orbit graph (needs ``\\usepackage{tikz}``; colours via tikz's xcolor).

    Examples
    --------
    >>> from exactgames.symmetry.result import make_result
    >>> t = orbit_graph_tikz(make_result(2, [[1, 0]], "x"))
    >>> t.splitlines()[0], t.count("to[bend")
    ('\\\\begin{tikzpicture}[>=stealth]', 2)
    """
    G = orbit_graph(result)
    n = result.n_players
    lines = ["\\begin{tikzpicture}[>=stealth]"]
    for k in range(len(result.generators)):
        r, g, b = _hex_to_rgb(_color(k))
        lines.append(f"  \\definecolor{{gen{k}}}{{RGB}}{{{r},{g},{b}}}")
    for i in range(n):
        angle = 90 - 360 * i / n
        lines.append(f"  \\node[circle, draw, minimum size=6mm] (p{i + 1}) at ({angle:.4f}:{radius}) {{{i + 1}}};")
    for u, v, data in G.edges(data=True):
        bend = 10 + 6 * data["index"]
        lines.append(f"  \\draw[->, thick, gen{data['index']}] (p{u}) to[bend left={bend}] (p{v});")
    for k, s in enumerate(result.generator_strings()):
        y = -radius - 0.8 - 0.5 * k
        lines.append(f"  \\draw[->, thick, gen{k}] ({-radius:.2f},{y:.2f}) -- ({-radius + 0.6:.2f},{y:.2f}) node[right, black] {{{s}}};")
    lines.append("\\end{tikzpicture}")
    return "\n".join(lines) + "\n"


def orbit_graph_dot(result: SymmetryResult) -> str:
    """Graphviz DOT text of the orbit graph (one coloured edge per generator move).

    Examples
    --------
    >>> from exactgames.symmetry.result import make_result
    >>> print(orbit_graph_dot(make_result(2, [[1, 0]], "x")))
    digraph orbits {
      node [shape=circle];
      1;
      2;
      1 -> 2 [color="#1f77b4", label="(1 2)"];
      2 -> 1 [color="#1f77b4", label="(1 2)"];
    }
    """
    G = orbit_graph(result)
    lines = ["digraph orbits {", "  node [shape=circle];"]
    for node in sorted(G.nodes):
        lines.append(f"  {node};")
    for u, v, data in G.edges(data=True):
        lines.append(f"  {u} -> {v} [color=\"{data['color']}\", label=\"{data['generator']}\"];")
    lines.append("}")
    return "\n".join(lines)
