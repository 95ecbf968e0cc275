"""Fixtures of the browser tests: Debian's Chromium, the built web app, clean emulators.

The web app is the Vite build in web/dist (`npm ci && npm run build` in web/). It is taken from,
in this order: AVMEETS_WEB_URL; the hosting emulator when it serves that build; else a small
static server started here on 127.0.0.1 (with the SPA fallback to index.html).
The emulators are found as the emulator tests find them (tests/emulator/support/config.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import urllib.parse
import urllib.request
import warnings
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import Protocol

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright, expect

from tests.emulator.support import coturn
from tests.emulator.support.admin import clean_all, emulators_reachable
from tests.emulator.support.config import AUTH_HOST, FIRESTORE_HOST, functions_host

from . import island as island_ns
from . import webserver
from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DIST,
    EXPECT_TIMEOUT_MS,
    ROOT,
    Emulators,
    Person,
    screenshot_path,
)

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
expect.set_options(timeout=EXPECT_TIMEOUT_MS)
#: Seconds one browser test may run before pytest-timeout stops it (a safety net for hangs).
TEST_TIMEOUT = 300


class PersonFactory(Protocol):
    """`await people("alice")`: a new participant, signed in unless sign_in=False."""

    def __call__(
        self, label: str, sign_in: bool = True, domain: str = "example.com"
    ) -> Awaitable[Person]: ...


async def meet(people: PersonFactory, *labels: str, title: str) -> tuple[str, list[Person]]:
    """The first of `labels` creates a meeting titled `title` and joins, the others join; back
    once everyone is connected to everyone."""
    persons = [await people(label) for label in labels]
    meeting_id = await persons[0].create_meeting(title=title)
    await persons[0].join_now()
    for person in persons[1:]:
        await person.join(meeting_id)
    for person in persons:
        await person.wait_connected(*(p for p in persons if p is not person))
    return meeting_id, persons


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("timeout"):
        return
    for item in items:
        if HERE in Path(str(item.fspath)).parents and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT))


def _hosting_address() -> str | None:
    hub = os.environ.get("FIREBASE_EMULATOR_HUB")
    if not hub:
        return None
    try:
        with urllib.request.urlopen(f"http://{hub}/emulators", timeout=5) as response:
            info = json.load(response)["hosting"]
        return f"{info['host']}:{info['port']}"
    except (OSError, KeyError, ValueError):
        return None


def _serves_the_app(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/m/abc-defg-hij", timeout=5) as response:
            body = response.read().decode("utf-8", "replace")
    except OSError:
        return False
    return 'id="app"' in body and "/assets/" in body


@pytest.fixture(scope="session")
def web_url() -> Iterator[str]:
    configured = os.environ.get("AVMEETS_WEB_URL")
    if configured:
        yield configured.rstrip("/")
        return
    hosting = _hosting_address()
    if hosting and _serves_the_app(f"http://{hosting}"):
        yield f"http://{hosting}"
        return
    if not (DIST / "index.html").is_file():
        pytest.fail("web/dist is missing: run `npm ci && npm run build` in web/", pytrace=False)
    with webserver.serve(DIST) as url:
        yield url


@pytest.fixture(scope="session")
def emulators() -> Emulators:
    return Emulators(auth=AUTH_HOST, firestore=FIRESTORE_HOST, functions=functions_host())


@pytest.fixture(scope="package", autouse=True)
def island(web_url: str, emulators: Emulators) -> Iterator[bool]:
    """Run the package's tests in a loopback-only network namespace (see island.py).

    Yields whether the island is in use; AVMEETS_BROWSER_ISLAND=0 turns it off, and where it is
    not possible (no root) the tests run in the machine's namespace with a warning.
    """
    problem = (
        "turned off by AVMEETS_BROWSER_ISLAND=0"
        if os.environ.get("AVMEETS_BROWSER_ISLAND") == "0"
        else None
    )
    problem = problem or island_ns.available()
    if problem:
        logger.warning("browser tests run without the loopback island: %s", problem)
        yield False
        return
    addresses = {
        island_ns.split(a) for a in (emulators.auth, emulators.firestore, emulators.functions)
    }
    for variable in ("FIREBASE_EMULATOR_HUB", "PUBSUB_EMULATOR_HOST"):
        if os.environ.get(variable):
            addresses.add(island_ns.split(os.environ[variable]))
    # fake-gcs-server (a URL): the browser uploads to it, the tests read the objects back.
    storage = urllib.parse.urlsplit(os.environ.get("STORAGE_EMULATOR_HOST") or "")
    if storage.hostname and storage.port:
        addresses.add((storage.hostname, storage.port))
    web = urllib.parse.urlsplit(web_url)
    addresses.add((web.hostname or "127.0.0.1", web.port or 80))
    for host, _ in addresses:
        if host not in ("127.0.0.1", "localhost"):
            pytest.fail(f"the browser tests only talk to loopback, not {host}", pytrace=False)
    region = island_ns.Island()
    region.enter(addresses)
    try:
        yield True
    finally:
        region.leave()


def _turn_secret() -> str | None:
    """The emulator's TURN_SECRET (tools/emulators.py writes it to functions/.secret.local)."""
    try:
        lines = (ROOT / "functions" / ".secret.local").read_text().splitlines()
    except OSError:
        return None
    values = dict(line.split("=", 1) for line in lines if "=" in line)
    return values.get("TURN_SECRET", "").strip() or None


@pytest.fixture(scope="package", autouse=True)
def relay(island: bool, tmp_path_factory: pytest.TempPathFactory) -> Iterator[coturn.Coturn | None]:
    """The TURN relay join_meeting hands out (noxfile: TURN_URLS), a coturn on loopback.

    Started after the island, so it lives in it with Chromium and the aiortc peers. None when
    the emulators were started without TURN (AVMEETS_TEST_TURN_PORT unset).
    """
    port = os.environ.get("AVMEETS_TEST_TURN_PORT")
    secret = _turn_secret()
    if not port or not secret:
        logger.warning("no TURN relay for the browser tests (AVMEETS_TEST_TURN_PORT, TURN_SECRET)")
        yield None
        return
    try:
        with coturn.running(
            tmp_path_factory.mktemp("coturn"), port=int(port), secret=secret
        ) as server:
            yield server
    except (coturn.CoturnMissing, coturn.CoturnFailed) as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture
def fresh_relay(relay: coturn.Coturn | None) -> coturn.Coturn | None:
    """The relay, restarted for a test that needs it (relay-only ICE): with no allocation left
    by an earlier test's browsers (`Coturn.restart` says why; a CI run's relay-only page got
    437 to every ALLOCATE and never connected)."""
    if relay is not None:
        relay.restart()
    return relay


@pytest_asyncio.fixture(autouse=True)
async def clean_emulators() -> AsyncIterator[None]:
    problem = await emulators_reachable()
    if problem is not None:
        pytest.fail(f"{problem}; run these tests with the emulators (nox -s tests)", pytrace=False)
    await clean_all()
    yield
    await clean_all()


@pytest_asyncio.fixture
async def browser() -> AsyncIterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM} (nox -s browser_tests installs it)", pytrace=False)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest_asyncio.fixture
async def people(
    browser: Browser, web_url: str, emulators: Emulators, request: pytest.FixtureRequest
) -> AsyncIterator[PersonFactory]:
    """`await people("alice")`: a signed-in participant in its own browser context.

    At the end every page is screenshotted (tests/browser/screenshots/) and closed, and the test
    fails if a page logged a console error.
    """
    made: list[Person] = []
    test_name = request.node.name

    async def make(label: str, sign_in: bool = True, domain: str = "example.com") -> Person:
        person = await Person.create(
            browser, label, web_url=web_url, emulators=emulators, test_name=test_name
        )
        made.append(person)
        if sign_in:
            await person.sign_in(domain)
        return person

    try:
        yield make
    finally:
        for person in made:
            with contextlib.suppress(Exception):
                await person.page.screenshot(
                    path=str(screenshot_path(test_name, f"{person.label}-end"))
                )
        for person in made:
            try:
                await person.close()
            except Exception:
                logger.exception("closing %s failed", person.label)
    for person in made:
        for line in person.server_errors:
            warnings.warn(f"{person.label}: known server error: {line}", stacklevel=1)
    errors = [f"{p.label}: {e}" for p in made for e in p.console_errors]
    if errors:
        pytest.fail("console errors in the app:\n" + "\n".join(errors), pytrace=False)
