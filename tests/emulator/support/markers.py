"""Markers that depend on optional pytest plugins."""

from __future__ import annotations

import importlib.util

import pytest


def timeout(seconds: float) -> list[pytest.MarkDecorator]:
    """`pytest.mark.timeout(seconds)` when pytest-timeout is installed, else no marker.

    pytest-timeout is optional (conftest.py applies its default only when the plugin is there),
    and under --strict-markers an unregistered `timeout` marker would fail the collection.
    """
    if importlib.util.find_spec("pytest_timeout") is None:
        return []
    return [pytest.mark.timeout(seconds)]
