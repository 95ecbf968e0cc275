"""Fixtures of the emulator tests: clean data before each test, peers and users that always close.

Every test starts from an empty Firestore and Auth emulator. Peers and actors made through the
factories below are closed at the end of the test whatever happened, and a peer whose background
event handling raised makes the test fail at teardown with the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from google.cloud import firestore

from .support.admin import admin_client, clean_all, emulators_reachable, settled_dump
from .support.factories import Actors, Addresses, Peers
from .support.userstore import close_client

logger = logging.getLogger(__name__)

#: Seconds one emulator test may run before pytest-timeout (when installed) stops it. The waits
#: in the tests have their own, shorter deadlines; this only catches a hang.
TEST_TIMEOUT = 300
HERE = Path(__file__).parent
#: After a test with peers, the database must be unchanged this long before the next test starts.
QUIET_SECONDS = 1.0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("timeout"):
        return
    for item in items:
        if HERE in Path(str(item.fspath)).parents and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT))


@pytest_asyncio.fixture(autouse=True)
async def clean_emulators() -> AsyncIterator[None]:
    problem = await emulators_reachable()
    if problem is not None:
        pytest.fail(f"{problem}; run these tests through `nox -s emulator_tests`", pytrace=False)
    await clean_all()
    yield


@pytest.fixture
def addresses() -> Addresses:
    return Addresses()


@pytest_asyncio.fixture
async def admin() -> AsyncIterator[firestore.AsyncClient]:
    """Admin Firestore client: fixtures and server-only assertions only (bypasses the rules)."""
    client = admin_client()
    yield client
    await close_client(client)


@pytest_asyncio.fixture
async def peers(addresses: Addresses) -> AsyncIterator[Peers]:
    factory = Peers(addresses)
    try:
        yield factory
    finally:
        for peer in reversed(factory.all):
            try:
                await peer.dispose()
            except Exception:
                logger.exception("closing %s failed", peer.label)
        if factory.all:
            await _quiesce()
    errors = [f"{peer.label}: {error}" for peer in factory.all for error in peer.errors]
    if errors:
        pytest.fail("peers hit errors in the background:\n" + "\n".join(errors), pytrace=False)


async def _quiesce() -> None:
    """Let the server finish what the peers set off (triggers, reports) before the next test,
    whose clean start it would otherwise spoil: wait until the database stops changing."""
    client = admin_client()
    try:
        await settled_dump(client, quiet=QUIET_SECONDS)
    except AssertionError as error:
        logger.warning("the database did not settle after the test: %s", error)
    finally:
        await close_client(client)


@pytest_asyncio.fixture
async def actors(addresses: Addresses) -> AsyncIterator[Actors]:
    factory = Actors(addresses)
    try:
        yield factory
    finally:
        for actor in factory.all:
            try:
                await actor.dispose()
            except Exception:
                logger.exception("closing the client of %s failed", actor.uid)
