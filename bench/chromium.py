"""The Chromium set-up the browser benchmarks share (bench/uplink_child.py,
bench/browser_join_child.py): the loopback island around the emulators (where this machine
allows one), the built app served, one Chromium launched."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from playwright.async_api import Browser, async_playwright

from tests.browser import island, webserver
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, DIST, Emulators
from tests.emulator.support.config import AUTH_HOST, FIRESTORE_HOST, functions_host


@asynccontextmanager
async def chromium_session(
    log: Callable[[str], None],
) -> AsyncIterator[tuple[Browser, str, Emulators]]:
    """Chromium, the app's URL and the emulators, inside the island; all torn down after."""
    emulators = Emulators(auth=AUTH_HOST, firestore=FIRESTORE_HOST, functions=functions_host())
    addresses = {
        island.split(a) for a in (emulators.auth, emulators.firestore, emulators.functions)
    }
    if os.environ.get("FIREBASE_EMULATOR_HUB"):
        addresses.add(island.split(os.environ["FIREBASE_EMULATOR_HUB"]))
    problem = island.available()
    region = island.Island() if problem is None else None
    if region is None:
        log(f"no loopback island ({problem}): Chromium may use other interfaces")
    else:
        region.enter(addresses)
    try:
        with webserver.serve(DIST) as web_url:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS
                )
                try:
                    yield browser, web_url, emulators
                finally:
                    await browser.close()
    finally:
        if region is not None:
            region.leave()
