"""The production build reads its Firebase config at run time, so one build serves any project.

Served from an address that is not the emulators' (127.0.0.2: loopback, but not one the app
treats as "local"), the very build the other browser tests use takes its Firebase config from
Hosting's reserved /__/firebase/init.json and AVMeets' settings from /avmeets.json, and renders
its first page. Without init.json it says so on the page instead of staying blank. A small
server here plays Hosting; nothing leaves the machine (the sign-in page makes no request).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.async_api import Browser, expect

from .support import DIST

HOST = "127.0.0.2"
INIT_JSON = {
    "apiKey": "runtime-config-test-key",
    "authDomain": f"{HOST}",
    "projectId": "avmeets-runtime-config-test",
    "appId": "1:000000000000:web:runtime-config-test",
}
APP_JSON = {"functionsRegion": "europe-west1"}


class _Hosting(http.server.SimpleHTTPRequestHandler):
    """web/dist plus the two config URLs; records every path asked for."""

    requested: list[str]
    serve_init: bool

    def do_GET(self) -> None:
        self.requested.append(self.path)
        bodies = {"/avmeets.json": APP_JSON}
        if self.serve_init:
            bodies["/__/firebase/init.json"] = INIT_JSON
        if self.path in bodies:
            body = json.dumps(bodies[self.path]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path.startswith("/__/"):
            self.send_error(404)
            return
        if not (DIST / self.path.lstrip("/").split("?")[0]).is_file():
            self.path = "/index.html"
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _hosting(serve_init: bool) -> Iterator[tuple[str, list[str]]]:
    requested: list[str] = []
    handler = functools.partial(
        type("Handler", (_Hosting,), {"requested": requested, "serve_init": serve_init}),
        directory=str(DIST),
    )
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="fake-hosting", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()


async def test_production_build_reads_its_config_from_hosting(browser: Browser) -> None:
    with _hosting(serve_init=True) as (url, requested):
        page = await browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(url + "/")
        await expect(
            page.get_by_role("button", name="Sign in with Google", exact=True)
        ).to_be_visible()
        await page.close()
    assert "/__/firebase/init.json" in requested
    assert "/avmeets.json" in requested
    assert errors == []


async def test_without_hosting_config_the_page_says_why(browser: Browser) -> None:
    with _hosting(serve_init=False) as (url, requested):
        page = await browser.new_page()
        await page.goto(url + "/")
        await expect(page.locator("#app")).to_contain_text("could not load its configuration")
        await page.close()
    assert "/__/firebase/init.json" in requested
