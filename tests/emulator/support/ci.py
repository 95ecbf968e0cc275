"""Tests that need a tool or a harness: skipped on a developer's machine, failed in CI.

CI (`.ci/run`, which sets CI=true) runs every suite through nox, which installs every tool, so a
missing prerequisite there is a broken setup, never a reason to skip.
"""

from __future__ import annotations

import os

import pytest


def require(problem: str | None) -> None:
    """Return when ``problem`` is None; else skip the test, or fail it under CI."""
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{problem} (CI must run this test)", pytrace=False)
    pytest.skip(problem)
