"""Background blur in Chromium: the others see the background blurred and the person sharp.

The camera is a still portrait (media/astronaut-384x216.y4m.gz: scikit-image's `astronaut.png`,
NASA's public-domain portrait of Eileen Collins, a 16:9 band of it scaled to 384 by 216, as I420):
a person in the middle, a flag on the left and a shuttle model on the right, both full of sharp
edges. Bob's page measures the edges (mean luminance step between neighbouring pixels) of each
region of Alice's picture as it arrives, with blur on and off.
"""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest_asyncio
from playwright.async_api import Browser, Request, async_playwright, expect

from .conftest import PersonFactory
from .support import CHROMIUM, CHROMIUM_ARGS, MEDIA_TIMEOUT_MS, Person

PORTRAIT = Path(__file__).parent / "media" / "astronaut-384x216.y4m.gz"

#: The regions, as fractions of the picture (left, top, right, bottom).
REGIONS = {
    "face": (0.36, 0.18, 0.56, 0.50),
    "flag": (0.0, 0.05, 0.15, 0.60),
    "shuttle": (0.70, 0.05, 0.90, 0.75),
}

EDGES = """([selector, regions]) => {
    const v = document.querySelector(selector);
    if (!v || v.readyState < 2 || !v.videoWidth) return null;
    const w = v.videoWidth, h = v.videoHeight;
    const c = document.createElement("canvas");
    c.width = w; c.height = h;
    const g = c.getContext("2d", { willReadFrequently: true });
    g.drawImage(v, 0, 0);
    const d = g.getImageData(0, 0, w, h).data;
    const lum = (x, y) => {
        const i = (y * w + x) * 4;
        return 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
    };
    const out = { width: w, height: h };
    for (const [name, [l, t, r, b]] of Object.entries(regions)) {
        let sum = 0, n = 0;
        for (let y = Math.floor(t * h); y < Math.floor(b * h) - 1; y++)
            for (let x = Math.floor(l * w); x < Math.floor(r * w) - 1; x++) {
                sum += Math.abs(lum(x + 1, y) - lum(x, y)) + Math.abs(lum(x, y + 1) - lum(x, y));
                n++;
            }
        out[name] = sum / n;
    }
    return out;
}"""


@pytest_asyncio.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    """Chromium whose fake camera films the portrait (replaces conftest's `browser`)."""
    video = tmp_path / "portrait.y4m"
    video.write_bytes(gzip.decompress(PORTRAIT.read_bytes()))
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, f"--use-file-for-fake-video-capture={video}"],
            headless=True,
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def edges_of(viewer: Person, other: Person) -> dict[str, float] | None:
    selector = f'.tile[data-uid="{other.uid}"] video'
    result: dict[str, float] | None = await viewer.page.evaluate(EDGES, [selector, REGIONS])
    return result


async def wait_edges(viewer: Person, other: Person, check: Any, what: str) -> dict[str, float]:
    """Polls the edges of `other`'s picture on `viewer`'s page until `check` holds."""
    seen: list[dict[str, float] | None] = []
    for _ in range(MEDIA_TIMEOUT_MS // 500):
        edges = await edges_of(viewer, other)
        seen.append(edges)
        if edges is not None and check(edges):
            return edges
        await viewer.page.wait_for_timeout(500)
    raise AssertionError(f"{what}: never seen; the last measures: {seen[-3:]}")


async def test_the_others_see_the_background_blurred_and_the_person_sharp(
    people: PersonFactory,
) -> None:
    alice = await people("alice")
    bob = await people("bob")
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    alice.page.on("request", record)
    meeting_id = await alice.create_meeting(title="Blur")

    # In the lobby: Alice asks for blur before anyone sees her; her preview shows it.
    blur = alice.page.get_by_label("Blur my background", exact=True)
    await expect(blur).to_be_enabled()
    await blur.check()
    await alice.check_accessibility("lobby with blur")
    await alice.join_now()
    await bob.join(meeting_id)
    await bob.wait_connected(alice)
    await bob.wait_video(alice)

    # The background's edges are gone, the face's are not (the face is measured again below,
    # sharp, for the comparison).
    blurred = await wait_edges(
        bob, alice, lambda e: e["flag"] < 0.5 * e["face"], "a blurred flag beside a sharp face"
    )
    await bob.screenshot("alice-blurred")

    # Off in the Devices dialog, where it shows as on: the flag's edges come back.
    await alice.page.get_by_role("button", name="Devices", exact=True).click()
    dialog = alice.page.get_by_role("dialog", name="Devices")
    in_dialog = dialog.get_by_label("Blur my background", exact=True)
    await expect(in_dialog).to_be_checked()
    await in_dialog.uncheck()
    await dialog.get_by_role("button", name="Done", exact=True).click()
    sharp = await wait_edges(
        bob,
        alice,
        lambda e: e["flag"] > 2 * blurred["flag"],
        f"the flag sharp again (blurred: {blurred})",
    )

    assert blurred["flag"] < 0.4 * sharp["flag"], (blurred, sharp)
    assert blurred["shuttle"] < 0.4 * sharp["shuttle"], (blurred, sharp)
    # The person was found: her face was as sharp blurred as not (a wholly blurred picture
    # would have lost its edges too).
    assert blurred["face"] > 0.6 * sharp["face"], (blurred, sharp)

    # The segmentation came with the app, from its own origin; nothing else was asked for.
    origin = urlsplit(alice.web_url).netloc
    model = [url for url in requests if url.split("?")[0].endswith(".tflite")]
    wasm = [url for url in requests if url.split("?")[0].endswith(".wasm")]
    assert model and wasm, requests
    assert all(urlsplit(url).netloc == origin for url in model + wasm), model + wasm
    elsewhere = {
        urlsplit(url).netloc
        for url in requests
        if urlsplit(url).scheme in ("http", "https")
        and urlsplit(url).hostname not in ("127.0.0.1", "localhost")
    }
    assert not elsewhere, elsewhere
