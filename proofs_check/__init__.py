"""The paper's claims ledger and the certificate checker.

``python -m proofs_check [--json] [--budget N]`` (or ``exactgames paper``) runs
every registered claim: :mod:`proofs_check.ledger` holds the registry and the
:class:`~proofs_check.ledger.Claim` / :class:`~proofs_check.ledger.Verdict`
types; one module per paper section (``section2`` ... ``appendix_f``) registers
its claims; :mod:`proofs_check.helpers` holds the independent exact tools.
The certificate checker (the ``checker`` package) imports only ``exactgames.model``, sympy and
python-flint.
"""

from proofs_check.checker import CheckReport, check_certificate

__all__ = ["CheckReport", "check_certificate"]
