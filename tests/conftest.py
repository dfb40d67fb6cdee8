"""Hypothesis profiles: `ci` (fixed examples, deadline suited to a shared 2-core machine, no database) and
`deep` for local exploration (HYPOTHESIS_PROFILE=deep). The database stays out of the repository."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=2000)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
