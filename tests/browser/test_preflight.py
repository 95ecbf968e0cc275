"""Chromium asks a callable's CORS preflight once, not before nearly every call.

The app's callables (Authorization header, JSON body) are preceded by an OPTIONS preflight,
a request to the function itself. The server's answer may be kept two hours
(avmeets.preflight); without it Chromium keeps it five seconds. Alice creates a meeting, joins,
leaves and, more than five seconds after her first calls, joins again: every callable the app
called was asked once (without the max age, meeting_info and join_meeting twice). Counted from
Chromium's own network events (DevTools protocol), which include preflights.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

from playwright.async_api import expect

from .conftest import PersonFactory

#: Past the five seconds a browser keeps a preflight answer that has no max age.
DEFAULT_PREFLIGHT_CACHE_SECONDS = 5.0


async def test_each_callable_is_preflighted_once(people: PersonFactory) -> None:
    alice = await people("alice")
    preflights: Counter[str] = Counter()
    calls: Counter[str] = Counter()
    first_call: dict[str, float] = {}

    def on_request(event: dict[str, Any]) -> None:
        request = event["request"]
        url = str(request["url"])
        if "/us-central1/" not in url:
            return
        name = url.rsplit("/", 1)[-1]
        if request["method"] == "OPTIONS":
            preflights[name] += 1
        elif request["method"] == "POST":
            calls[name] += 1
            first_call.setdefault(name, time.monotonic())

    cdp = await alice.page.context.new_cdp_session(alice.page)
    await cdp.send("Network.enable")
    cdp.on("Network.requestWillBeSent", on_request)

    meeting_id = await alice.create_meeting(title="Twice")
    await alice.join_now()
    await alice.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await expect(
        alice.page.get_by_role("heading", name="You left the meeting", exact=True)
    ).to_be_visible()
    # The second lobby and join come after a browser would have dropped an answer without a
    # max age, so each of their calls would be preflighted again.
    since_join = time.monotonic() - first_call["join_meeting"]
    await asyncio.sleep(max(0.0, DEFAULT_PREFLIGHT_CACHE_SECONDS + 1.0 - since_join))
    await alice.open_link(meeting_id)
    await alice.join_now()

    assert calls["meeting_info"] >= 2 and calls["join_meeting"] == 2, calls
    assert set(preflights) == set(calls), (preflights, calls)
    assert all(n == 1 for n in preflights.values()), (preflights, calls)
