"""Recordings expire in the browser after the period the person chose (7 days by default), and
the person is told the day before. Recordings of known ages are put in the app's IndexedDB
store as the recorder writes them (a metadata record and a chunk)."""

from __future__ import annotations

import re
import time

from playwright.async_api import expect

from .conftest import PersonFactory
from .support import Person

DAY_MS = 24 * 3600 * 1000

PUT = """async ([id, startedAt]) => {
    const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open("avmeets-recordings", 1);
        open.onupgradeneeded = () => {
            open.result.createObjectStore("recordings", { keyPath: "id" });
            open.result.createObjectStore("chunks");
        };
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
    });
    await new Promise((resolve, reject) => {
        const tx = db.transaction(["recordings", "chunks"], "readwrite");
        tx.objectStore("recordings").put({
            id, meetingId: "abc-defg-hij", title: id, startedAt, durationMs: 1000, size: 4,
            mime: "video/webm", chunks: 1, complete: true,
        });
        tx.objectStore("chunks").put(new Blob(["webm"]), [id, 0]);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
    });
    db.close();
}"""

STORED = """async () => {
    const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open("avmeets-recordings", 1);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
    });
    const read = (store) => new Promise((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAllKeys();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const out = { recordings: await read("recordings"), chunks: (await read("chunks")).length };
    db.close();
    return out;
}"""


async def stored(person: Person) -> dict[str, object]:
    result: dict[str, object] = await person.page.evaluate(STORED)
    return result


async def test_recordings_expire_after_the_chosen_period(people: PersonFactory) -> None:
    alice = await people("alice")
    now = time.time() * 1000
    for name, age_days in (("eight-days-old", 8), ("going-tomorrow", 6.5), ("new", 1)):
        await alice.page.evaluate(PUT, [name, now - age_days * DAY_MS])
    await alice.page.reload()

    notice = alice.page.locator(".recordings-notice")
    await expect(notice).to_contain_text("1 recording was deleted from this browser: 7 days")
    await expect(notice).to_contain_text("1 recording will be deleted from this browser from")
    assert await stored(alice) == {"recordings": ["going-tomorrow", "new"], "chunks": 2}
    await alice.screenshot("notice")
    await alice.check_accessibility("home with the recordings notice")

    await alice.page.get_by_role("button", name="Recordings in this browser", exact=True).click()
    rows = alice.page.locator(".recording-row")
    await expect(rows).to_have_count(2)
    await expect(rows.first.locator("[data-expires-at]")).to_contain_text(
        "Deleted from this browser on"
    )

    # A shorter period applies at once.
    await alice.page.get_by_label(
        re.compile("^Keep recordings in this browser for ")
    ).select_option("1")
    await expect(rows).to_have_count(0)
    assert await stored(alice) == {"recordings": [], "chunks": 0}
    await alice.page.reload()
    await alice.page.get_by_role("button", name="Recordings in this browser", exact=True).click()
    select = alice.page.get_by_label(re.compile("^Keep recordings in this browser for "))
    await expect(select).to_have_value("1")
