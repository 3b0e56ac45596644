"""Test configuration: hypothesis profiles.

On CI (``CI`` set in the environment) property tests are derandomized so a
run is reproducible; locally every run explores new random cases.
"""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
