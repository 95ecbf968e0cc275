"""Shared pytest configuration for every test directory."""

from __future__ import annotations

from pathlib import Path

import pytest

EMULATOR_DIR = Path(__file__).parent / "emulator"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator: needs the Firebase emulators (run through `nox -s emulator_tests`)"
    )
    config.addinivalue_line(
        "markers",
        "sign_in_org: needs functions limited to one organisation (SIGN_IN_ORG); "
        "`nox -s emulator_tests` runs these in an emulator session of their own",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if EMULATOR_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.emulator)
