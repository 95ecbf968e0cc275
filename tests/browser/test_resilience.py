"""Resilience: a reload re-joins with a new session and the others drop the stale connection."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.emulator.support.admin import admin_client
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


async def test_closed_out_by_the_sweep_rejoins(people: PersonFactory) -> None:
    """A tab that stops heartbeating is closed out by the server; it joins again by itself."""
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Sleepy laptop")
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    first_session = (await selected_pair(alice, bob.uid))["remoteSession"]

    # Bob's heartbeats stop reaching the server (as when a laptop sleeps).
    bob.allow_console_error(r"net::ERR_FAILED")
    await bob.page.route("**/us-central1/heartbeat", lambda route: route.abort())
    client = admin_client()
    participant = client.document("meetings", meeting_id, "participants", bob.uid)

    async def closed_out() -> bool:
        await run_scheduled("sweep")  # the test plays Cloud Scheduler
        data = (await participant.get()).to_dict() or {}
        return data.get("endCause") == "heartbeat-timeout" or data.get("session") != first_session

    await wait_for(closed_out, timeout=60.0, what="the sweep to close Bob out", interval=1.0)
    await bob.page.unroute("**/us-central1/heartbeat")

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
