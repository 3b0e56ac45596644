"""``python -m proofs_check [--json] [--budget N]``: print the paper's claims ledger."""

import sys

from proofs_check.ledger import main

sys.exit(main())
