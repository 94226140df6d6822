"""The L1 oracle fixture: installs (npm ci), compiles and deploys the original contracts once a session.

Without node/npm (or py-evm) the oracle tests skip with the reason; in CI (``CI=true``) they fail
instead, since CI must run them.
"""

from __future__ import annotations

import os
import time

import pytest
from l1_oracle import Oracle, OracleUnavailable


@pytest.fixture(scope="session")
def oracle(report_summary) -> Oracle:
    start = time.perf_counter()
    try:
        built = Oracle()
    except OracleUnavailable as exc:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"L1 oracle unavailable -- required in CI: {exc}")
        pytest.skip(f"L1 oracle unavailable: {exc}")
    report_summary(f"L1 oracle: contracts ready in {time.perf_counter() - start:.1f} s")
    return built
