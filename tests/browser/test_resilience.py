"""Resilience: a reload re-joins with a new session and the others drop the stale connection."""

from __future__ import annotations

import contextlib
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.async_api import Request, Route, expect

from tests.emulator.support.admin import admin_client, signals_blocked_until
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.scheduler import run_scheduled

from .conftest import PersonFactory
from .support import Person, selected_pair


async def test_reload_rejoins_with_a_new_session(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Flaky wifi")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    first_session = (await selected_pair(alice, bob.uid))["remoteSession"]

    # Bob reloads the meeting page: no lobby, straight back in, with a new session.
    await bob.page.reload()
    await bob.wait_in_room()
    await bob.wait_connected(alice)
    await alice.wait_connected(bob)

    async def alice_sees_new_session() -> bool:
        try:
            session = (await selected_pair(alice, bob.uid))["remoteSession"]
        except Exception:
            return False
        return bool(session) and session != first_session

    await wait_for(
        alice_sees_new_session,
        timeout=30.0,
        what="Alice's link to Bob's new session",
        interval=0.25,
    )
    await alice.wait_video(bob)
    await bob.wait_video(alice)
    await expect(alice.page.locator(".count")).to_have_text("2 people")

    await bob.send_chat("Sorry, I'm back")
    await alice.wait_chat("Sorry, I'm back")
    await alice.screenshot("after-reload")
    await bob.screenshot("after-reload")


async def _ufrag(person: Person, other_uid: str) -> str:
    sdp = await person.page.evaluate(
        """(uid) => window.__avmeets.currentView().meeting.links.get(uid)
                    .pc.localDescription.sdp""",
        other_uid,
    )
    match = re.search(r"^a=ice-ufrag:(\S+)", sdp, re.MULTILINE)
    assert match, sdp
    return match[1]


async def test_network_change_restarts_ice(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Switching networks")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    before = await _ufrag(alice, bob.uid)

    # The browser says the network changed: Alice restarts ICE and renegotiates (perfect
    # negotiation, whichever of the two is polite); the media and data channels carry on.
    await alice.page.evaluate("() => window.dispatchEvent(new Event('online'))")

    async def restarted() -> bool:
        return await _ufrag(alice, bob.uid) != before

    await wait_for(restarted, timeout=30.0, what="a new ICE ufrag after the restart", interval=0.25)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    await alice.send_chat("Still here after the switch?")
    await bob.wait_chat("Still here after the switch?")
    await bob.wait_video(alice)


#: The Firestore JS SDK's write stream (WebChannel) to the emulator.
WRITE_STREAM = "**/google.firestore.v1.Firestore/Write/**"


#: How long the rules refuse Alice's signals in the next test: past her answer to Bob's first
#: offer, well before his second (web/src/core/meeting/offerWatch.ts, REOFFER_AFTER_MS 15 s).
BLOCKED_S = 8.0


async def test_an_offer_whose_answer_is_lost_is_sent_again(people: PersonFactory) -> None:
    """Alice's answer to Bob's offer never reaches Firestore (the rules refuse it: the server has
    her over a signal limit, docs/protocol.md section 3), so nothing would ever move Bob's
    connection; Bob sends the offer again, Alice answers it again, and they connect. (Without
    the repeat Bob's tile says "Connecting…" for the whole minute.)"""
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Lost answer")
    await alice.join_now()
    said: list[str] = []
    alice.page.on("console", lambda message: said.append(message.text))

    # What the signal trigger writes on a sender it caught over a limit (signals.py).
    blocked_until = datetime.now(UTC) + timedelta(seconds=BLOCKED_S)
    participant = admin_client().document("meetings", meeting_id, "participants", alice.uid)
    await participant.update(signals_blocked_until(blocked_until))
    await bob.join(meeting_id)
    await wait_for(
        lambda: any("sending a answer signal failed" in line for line in said),
        timeout=30.0,
        what="the rules to refuse Alice's answer",
    )
    assert datetime.now(UTC) < blocked_until, "the answer came after the block: nothing tested"
    # The repeat goes 15 s after the offer (offerWatch.ts); the block ended before it.
    await bob.wait_connected(alice, timeout=60_000)
    await alice.wait_connected(bob)
    await bob.send_chat("Got through in the end")
    await alice.wait_chat("Got through in the end")


async def test_closed_out_by_the_sweep_rejoins(people: PersonFactory) -> None:
    """A tab that stops heartbeating is closed out by the server; it joins again by itself."""
    alice = await people("alice")
    bob = await people("bob")
    # Closed out, Bob's reports under way are refused: 403, not a participant (docs/protocol.md)
    bob.allow_console_error(r"status of 403 .*/report_connection\)$")
    meeting_id = await alice.create_meeting(title="Sleepy laptop")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    first_session = (await selected_pair(alice, bob.uid))["remoteSession"]

    # Bob's beats stop reaching the server (as when a laptop sleeps): they are Firestore writes
    # of his presence document (docs/protocol.md, `heartbeat`), so his Firestore write stream is
    # cut (his listeners and callables are not).
    bob.allow_console_error(r"net::ERR_FAILED")
    # What the SDK's WebChannel does about a cut stream: a connectivity probe (an image from
    # google.com, which the test network does not reach) and the old channel's terminate
    # request, answered 400 by the emulator once the route is back.
    bob.allow_console_error(r"ERR_INTERNET_DISCONNECTED \(https://www\.google\.com/images/cleardot")
    bob.allow_console_error(r"status of 400 .*/google\.firestore\.v1\.Firestore/Write/channel")
    await bob.page.route(WRITE_STREAM, lambda route: route.abort())
    client = admin_client()
    participant = client.document("meetings", meeting_id, "participants", bob.uid)
    # The first session's join record keeps why it ended, whatever Bob's page does next (it
    # joins again at once, so the participant document may already show the new session).
    first_join = client.document("joins", f"{meeting_id}_{bob.uid}_{first_session}")

    async def closed_out() -> bool:
        await run_scheduled("sweep")  # the test plays Cloud Scheduler
        data = (await first_join.get()).to_dict() or {}
        return data.get("leftAt") is not None

    # Only the sweep can end it: Bob's page never left, and nothing else ends a silent session.

    await wait_for(closed_out, timeout=60.0, what="the sweep to close Bob out", interval=1.0)
    ended = (await first_join.get()).to_dict() or {}
    assert ended.get("endCause") == "heartbeat-timeout", ended
    await bob.page.unroute(WRITE_STREAM)

    # Bob's page notices (its participant document turned "left") and joins with a new session;
    # Alice drops the stale connection and takes Bob's new offer.
    async def bob_back() -> bool:
        data = (await participant.get()).to_dict() or {}
        return data.get("state") == "joined" and data.get("session") != first_session

    await wait_for(bob_back, timeout=30.0, what="Bob to join again", interval=0.5)

    async def alice_on_new_session() -> bool:
        try:
            return bool((await selected_pair(alice, bob.uid))["remoteSession"] != first_session)
        except Exception:
            return False

    await wait_for(alice_on_new_session, timeout=30.0, what="Alice's link to Bob's new session")
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    await bob.send_chat("Back from sleep")
    await alice.wait_chat("Back from sleep")


# ------------------------------------------------------------------------------ leaving

LEAVE_ROUTE = "**/us-central1/leave_meeting"
#: What Chromium logs for a leave_meeting request the test aborts on purpose.
ABORTED_LEAVE = r"net::ERR_FAILED \(http://[^)]*/us-central1/leave_meeting\)$"
#: Longer than any leave with per-attempt timeouts may take; far shorter than the one 70 s
#: callable timeout that a hung first attempt used to wait out.
LEAVE_DEADLINE_S = 30.0


class _LeaveCalls:
    """Bob's leave_meeting POSTs, and any heartbeat he sends once the first of them went out."""

    def __init__(self, person: Person) -> None:
        self.posts = 0
        self.heartbeats_after_leave = 0
        person.page.on("request", self._on_request)

    def _on_request(self, request: Request) -> None:
        if request.method != "POST":
            return
        if request.url.endswith("/leave_meeting"):
            self.posts += 1
        elif request.url.endswith("/heartbeat") and self.posts:
            # The heartbeats stop before the first leave_meeting goes out.
            self.heartbeats_after_leave += 1


async def _in_meeting_together(people: PersonFactory, title: str) -> tuple[Person, Person, str]:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title=title)
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    return alice, bob, meeting_id


async def test_leave_is_retried_until_the_server_has_it(people: PersonFactory) -> None:
    """A hung and then a failed leave_meeting are retried; the server has Bob `left` at once."""
    alice, bob, meeting_id = await _in_meeting_together(people, "Patchy uplink")
    participant = admin_client().document("meetings", meeting_id, "participants", bob.uid)
    calls = _LeaveCalls(bob)
    bob.allow_console_error(ABORTED_LEAVE)

    # The first leave_meeting gets no answer at all, the second fails on the network, the
    # third goes through.
    seen: list[Route] = []

    async def flaky(route: Route) -> None:
        if route.request.method != "POST":
            await route.continue_()
            return
        seen.append(route)
        if len(seen) == 1:
            return  # held: no answer; the client's per-attempt timeout has to give up on it
        with contextlib.suppress(Exception):
            await seen[0].abort()  # the client has given up on it: let it go, never through
        if len(seen) == 2:
            await route.abort()
        else:
            await route.continue_()

    await bob.page.route(LEAVE_ROUTE, flaky)
    started = time.monotonic()
    await bob.page.get_by_role("button", name="Leave the meeting", exact=True).click()

    # While the first attempt hangs: "Leaving…", no claim yet, and Bob still in on the server.
    await expect(bob.page.get_by_role("status").filter(has_text="Leaving…")).to_be_visible()
    await wait_for(lambda: calls.posts >= 1, timeout=15.0, what="the first leave_meeting")
    await expect(bob.page.get_by_role("heading", name="You left")).to_have_count(0)
    assert ((await participant.get()).to_dict() or {}).get("state") == "joined"

    last: dict[str, Any] = {}

    async def left_on_the_server() -> bool:
        last.clear()
        last.update((await participant.get()).to_dict() or {})
        return last.get("state") == "left"

    await wait_for(
        left_on_the_server,
        timeout=LEAVE_DEADLINE_S,
        interval=0.25,
        what="Bob's participant document to turn left",
        describe=lambda: repr(last),
    )
    elapsed = time.monotonic() - started
    # leave_meeting closed Bob out, not the sweep, and promptly: well inside the suite's 20 s
    # heartbeat timeout after his last beat, so the scheduled sweep cannot have done it.
    assert last.get("endCause") == "left", last
    assert elapsed < LEAVE_DEADLINE_S, f"the leave took {elapsed:.1f}s"
    await expect(bob.page.get_by_role("heading", name="You left the meeting")).to_be_visible()
    assert calls.posts >= 3, f"{calls.posts} leave_meeting attempts"
    assert calls.heartbeats_after_leave == 0, "Bob kept heartbeating after he left"
    await expect(alice.tile(bob.uid)).to_have_count(0, timeout=20_000)
    await expect(alice.page.locator(".count")).to_have_text("1 person")
    await bob.screenshot("left-after-retries")


async def test_leave_that_never_reaches_the_server_says_so(people: PersonFactory) -> None:
    """Every leave_meeting fails: the page says so plainly; the sweep closes Bob out later."""
    alice, bob, meeting_id = await _in_meeting_together(people, "No way out")
    participant = admin_client().document("meetings", meeting_id, "participants", bob.uid)
    calls = _LeaveCalls(bob)
    bob.allow_console_error(ABORTED_LEAVE)

    async def unreachable(route: Route) -> None:
        if route.request.method != "POST":
            await route.continue_()
        else:
            await route.abort()

    await bob.page.route(LEAVE_ROUTE, unreachable)
    await bob.page.get_by_role("button", name="Leave the meeting", exact=True).click()

    heading = bob.page.get_by_role("heading", name="the others may still see you")
    await expect(heading).to_be_visible(timeout=int(LEAVE_DEADLINE_S * 1000))
    await expect(bob.page.get_by_role("alert")).to_contain_text("could not be reached")
    await expect(bob.page.get_by_role("heading", name="You left the meeting")).to_have_count(0)
    assert calls.posts >= 2, f"leave_meeting was not retried ({calls.posts} attempt)"
    # Honest: the server has not heard of it, and Bob's heartbeats stopped (the sweep's cue). He is
    # still joined, or the scheduled sweep has closed him out already: never "left" by a leave.
    now = (await participant.get()).to_dict() or {}
    assert now.get("state") == "joined" or now.get("endCause") == "heartbeat-timeout", now
    assert calls.heartbeats_after_leave == 0, "Bob kept heartbeating after he left"
    await bob.screenshot("leave-unconfirmed")

    last: dict[str, Any] = {}

    async def swept() -> bool:
        await run_scheduled("sweep")  # the test plays Cloud Scheduler
        last.clear()
        last.update((await participant.get()).to_dict() or {})
        return last.get("state") == "left"

    await wait_for(
        swept,
        timeout=60.0,
        interval=1.0,
        what="the sweep to close Bob out",
        describe=lambda: repr(last),
    )
    assert last.get("endCause") == "heartbeat-timeout", last
    assert calls.heartbeats_after_leave == 0
    await expect(alice.tile(bob.uid)).to_have_count(0, timeout=20_000)
