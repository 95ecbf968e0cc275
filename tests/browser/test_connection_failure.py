"""A connection that fails and is restarted stays on the record (docs/protocol.md,
report_connection: `failed` is a side's last word on a connection, so it is reported when the
side gives the connection up, not while it restarts ICE)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import expect

from tests.emulator.support import coturn
from tests.emulator.support.admin import admin_client, dump_all, matching
from tests.emulator.support.deadline import wait_for

from .conftest import PersonFactory
from .support import Person

HIDE_IP = "Hide my IP address from the other participants"

#: How long ICE may take to give the connection up once the relay is gone (Chromium: about
#: 10 s after it noticed, ICE restarts included, on this machine).
FAIL_TIMEOUT_S = 60.0

#: How long the web client may take to give the connection up for good: four ICE restarts 15 s
#: apart, none bringing it back (web/src/core/meeting/iceRestarts.ts), after noticing the drop.
GIVE_UP_TIMEOUT_S = 100.0

#: Records a connection's state changes on the page, for the message of a test that times out.
_RECORD_STATES = """(uid) => {
    const pc = window.__avmeets.currentView().meeting.links.get(uid).pc;
    const t0 = performance.now();
    window.__states = [];
    const note = () => window.__states.push([Math.round(performance.now() - t0),
        pc.connectionState, pc.iceConnectionState, pc.signalingState]);
    for (const kind of ["connection", "iceconnection", "signaling"])
        pc.addEventListener(`${kind}statechange`, note);
}"""


async def _session(client: Any, meeting_id: str, person: Person) -> str:
    """The person's session, as the server has it (their participant document)."""
    participant = client.document("meetings", meeting_id, "participants", person.uid)
    return str((await participant.get()).get("session"))


async def _states(person: Person) -> str:
    return repr(await person.page.evaluate("() => window.__states"))


async def _connection_state(person: Person, other_uid: str) -> str:
    return str(
        await person.page.evaluate(
            "(uid) => window.__avmeets.currentView().meeting.links.get(uid)?.pc.connectionState",
            other_uid,
        )
    )


async def _the_leg(client: Any) -> dict[str, Any]:
    """The meeting's one CDR leg; empty until the signal trigger has made it."""
    legs = list(matching(await dump_all(client), "cdrs").values())
    assert len(legs) <= 1, legs  # a restart is recorded on its leg, never as a new one
    return dict(legs[0]) if legs else {}


def _statuses(leg: dict[str, Any], side: str) -> list[str]:
    return [change["status"] for change in leg[side].get("timeline", [])]


def _the_relay(relay: coturn.Coturn | None) -> coturn.Coturn:
    if relay is None:
        pytest.fail("no TURN relay: run the browser tests with nox (TURN_URLS)", pytrace=False)
    return relay


async def _alice_hidden_with_bob(people: PersonFactory, title: str) -> tuple[str, Person, Person]:
    """Alice, hiding her IP (relay only), and Bob, connected in a meeting."""
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title=title)
    await alice.page.get_by_role("switch", name=HIDE_IP).check()
    await alice.join_now()
    await bob.join(meeting_id)
    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    return meeting_id, alice, bob


async def test_a_connection_that_fails_and_is_restarted_keeps_its_record(
    people: PersonFactory, fresh_relay: coturn.Coturn | None
) -> None:
    """Alice hides her IP (relay only). The relay stops, her allocation, the only path between
    them, with it: the connection drops, the web client restarts ICE, which finds no path, and
    the connection fails. The relay starts again; a later restart gets a new allocation and
    they connect again. The CDR leg stayed open throughout and holds the outage
    (`disconnected`) and the reconnection. Reporting `failed` at the first failure, as the
    client did, ended the leg (`ice-failed`) and left the rest of the call unrecorded, its
    reports refused `leg-ended`."""
    relay = _the_relay(fresh_relay)
    _, alice, bob = await _alice_hidden_with_bob(people, "Relay outage")
    client = admin_client()

    async def both_connected() -> bool:
        leg = await _the_leg(client)
        sides = [leg.get(side) or {} for side in ("caller", "callee")]
        return bool(leg) and all(side.get("status") == "connected" for side in sides)

    await wait_for(both_connected, timeout=30.0, what="both sides' connected on the leg")

    for person, other in ((alice, bob), (bob, alice)):
        await person.page.evaluate(_RECORD_STATES, other.uid)

    async def alice_failed() -> bool:
        return await _connection_state(alice, bob.uid) == "failed"

    relay.stop()  # Alice's allocation, the only path between them, is gone
    try:
        await wait_for(alice_failed, timeout=FAIL_TIMEOUT_S, what="the connection to fail")
    except AssertionError as timed_out:
        seen = f"Alice {await _states(alice)}, Bob {await _states(bob)}"
        problem = f"{timed_out}; [ms, connection, ICE, signalling]: {seen}"
        raise AssertionError(problem) from None
    finally:
        relay.start()  # the other tests' relay

    await alice.wait_connected(bob, timeout=90_000)
    await bob.wait_connected(alice, timeout=30_000)
    await alice.send_chat("Back after the relay went down")
    await bob.wait_chat("Back after the relay went down")

    async def reconnected_on_record() -> bool:
        leg = await _the_leg(client)
        return await both_connected() and all(
            "disconnected" in _statuses(leg, side) for side in ("caller", "callee")
        )

    await wait_for(reconnected_on_record, timeout=30.0, what="the reconnection on the leg")
    leg = await _the_leg(client)
    assert leg["state"] == "connected" and leg["endCause"] is None, leg
    for side in ("caller", "callee"):
        assert "failed" not in _statuses(leg, side), leg
    assert leg["iceRestarts"] >= 1, leg  # the signal trigger saw the restart's new credentials


async def test_a_connection_given_up_is_tried_again_from_its_tile(
    people: PersonFactory, fresh_relay: coturn.Coturn | None
) -> None:
    """The relay stays down until Alice's connection to Bob is given up (its restarts spent):
    Bob's tile says so and offers "Try again", which joins the meeting again with a new
    session. They connect, on a new leg; the old one ended as failed."""
    relay = _the_relay(fresh_relay)
    meeting_id, alice, bob = await _alice_hidden_with_bob(people, "Relay down")
    await alice.page.evaluate(_RECORD_STATES, bob.uid)
    client = admin_client()
    first_session = await _session(client, meeting_id, alice)
    tile = alice.tile(bob.uid)
    retry = tile.get_by_role("button", name="Try again to connect to Bob", exact=True)
    relay.stop()
    try:
        await expect(tile).to_have_attribute(
            "data-state", "failed", timeout=GIVE_UP_TIMEOUT_S * 1000
        )
    except AssertionError as timed_out:
        problem = f"{timed_out}; [ms, connection, ICE, signalling]: {await _states(alice)}"
        raise AssertionError(problem) from None
    finally:
        relay.start()
    await expect(tile).to_contain_text("Connection failed")
    await alice.screenshot("given-up")
    await alice.check_accessibility("a connection given up")
    await retry.click()

    await alice.wait_connected(bob)
    await bob.wait_connected(alice)
    assert await _session(client, meeting_id, alice) != first_session
    await bob.send_chat("You are back")
    await alice.wait_chat("You are back")
    await expect(retry).to_have_count(0)

    async def two_legs() -> list[dict[str, Any]]:
        legs = [dict(leg) for leg in matching(await dump_all(client), "cdrs").values()]
        return legs if len(legs) == 2 else []

    legs = await wait_for(two_legs, timeout=30.0, what="a new leg for the new session")
    ended = [leg for leg in legs if leg["state"] == "ended"]
    assert len(ended) == 1 and ended[0]["endCause"] == "ice-failed", legs
