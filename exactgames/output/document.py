"""What every LaTeX document of exactgames shares: the preamble, text escaping, and the document with its status.

Examples
--------
>>> escape("a_b & 50%")
'a\\\\_b \\\\& 50\\\\%'
>>> PREAMBLE.startswith("\\\\documentclass"), Derivation("...", complete=True).complete
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PREAMBLE", "escape", "Derivation"]

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage[T1]{fontenc}
\usepackage{amsmath,amssymb}
\usepackage{tikz}
\usepackage{longtable}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
\allowdisplaybreaks
"""


def escape(text: str) -> str:
    """Escape LaTeX special characters in plain text.

    Examples
    --------
    >>> escape("a_b & 50%")
    'a\\\\_b \\\\& 50\\\\%'
    """
    out = str(text)
    for a, b in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"),
                 ("{", r"\{"), ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}")):
        out = out.replace(a, b)
    return out


@dataclass(frozen=True)
class Derivation:
    """A derivation document and whether every section was proved (False: the optimiser ran out of time)."""

    document: str
    complete: bool
    reason: str = ""
