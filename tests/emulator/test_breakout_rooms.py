"""Breakout rooms with aiortc peers (docs/protocol.md section 5, "Breakout rooms"): a host splits
the meeting into rooms, people connect only within their room (``join_meeting`` offers and
returns only their room's people, the rules refuse a signal across rooms), a host moves someone
and visits a room, and closing the rooms brings everyone back. The peers re-join when their own
room changes, as the protocol asks (``close`` then ``join``: a page's re-join, a new session).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from .support.actors import Actor
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.hosts import host_action, legs, stored
from .support.mesh import describe, wait_full_mesh
from .support.peer import MeetingPeer
from .support.refusals import database_unchanged, refused
from .support.scheduler import run_scheduled
from .test_hosts import signal_refused


async def rejoin(peer: MeetingPeer, meeting_id: str) -> dict[str, Any]:
    """The peer's room changed: it joins again (a new session), as a page does."""
    await peer.close()
    return await peer.join(meeting_id)


async def rooms_of(
    admin: firestore.AsyncClient, meeting_id: str, *peers: MeetingPeer
) -> list[int | None]:
    found: list[int | None] = []
    for peer in peers:
        doc = await stored(admin, f"meetings/{meeting_id}/participants/{peer.uid}") or {}
        found.append(doc.get("room"))
    return found


async def test_breakout_rooms_connect_people_only_within_a_room(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    host, ann, ben, cy = [await peers(n) for n in ("host", "ann", "ben", "cy")]
    meeting_id = await host.create_meeting(title="Workshop", lobby=False)
    for peer in (host, ann, ben, cy):
        await peer.join(meeting_id)
    await wait_full_mesh([host, ann, ben, cy])

    # Ann and Ben to Red, Cy to Blue; the host stays in the main room.
    placed = {ann.uid: 1, ben.uid: 1, cy.uid: 2}
    opened = await host_action(
        host, meeting_id, "rooms-open", rooms=[" Red ", "Blue"], assign=placed
    )
    assert opened == {"action": "rooms-open", "changed": True}
    meeting = await stored(admin, f"meetings/{meeting_id}") or {}
    assert meeting["rooms"] == ["Red", "Blue"]
    assert await rooms_of(admin, meeting_id, host, ann, ben, cy) == [None, 1, 1, 2]
    again = await host_action(host, meeting_id, "rooms-open", rooms=["Red", "Blue"], assign=placed)
    assert again["changed"] is False

    # Each re-joins into its room: told its room, given only its room's people.
    joined = {p.label: await rejoin(p, meeting_id) for p in (ann, ben, cy)}
    assert (joined["ann"]["room"], joined["ben"]["room"], joined["cy"]["room"]) == (1, 1, 2)
    assert [p["uid"] for p in joined["ben"]["participants"]] == [ann.uid]
    assert joined["cy"]["participants"] == []
    await wait_full_mesh([ann, ben])
    red, blue = {str(ann.session), str(ben.session)}, str(cy.session)
    await wait_for(
        lambda: not host.links and not cy.links,
        timeout=20.0,
        what="the host and Cy to hold no connection",
        describe=lambda: describe([host, ann, ben, cy]),
    )
    # Nobody can signal across rooms, whatever their client does.
    await signal_refused(cy, ann, "a signal from Blue to Red")
    await signal_refused(host, ann, "a signal from the main room to Red")
    await signal_refused(ann, cy, "a signal from Red to Blue")

    # The host moves Cy to Red, then visits Red: each re-joins, and Red meshes.
    assert (await host_action(host, meeting_id, "move", cy.uid, room=1))["changed"] is True
    assert (await rejoin(cy, meeting_id))["room"] == 1
    await wait_full_mesh([ann, ben, cy])
    assert (await host_action(host, meeting_id, "move", host.uid, room=1))["changed"] is True
    assert len((await rejoin(host, meeting_id))["participants"]) == 3
    await wait_full_mesh([host, ann, ben, cy])

    # Closed: everyone back in the main room, the meeting's rooms empty.
    assert (await host_action(host, meeting_id, "rooms-close"))["changed"] is True
    assert (await stored(admin, f"meetings/{meeting_id}") or {})["rooms"] == []
    assert await rooms_of(admin, meeting_id, host, ann, ben, cy) == [None] * 4
    for peer in (host, ann, ben, cy):
        assert "room" not in await rejoin(peer, meeting_id)
    await wait_full_mesh([host, ann, ben, cy])
    assert (await host_action(host, meeting_id, "rooms-close"))["changed"] is False
    async with database_unchanged(admin, exempt=("cdrs",)):
        await refused(
            host_action(host, meeting_id, "move", ann.uid, room=1),
            "FAILED_PRECONDITION",
            "no-rooms",
        )

    # The CDR holds the connections as they were made: Red's, and none from Blue to Red. (Only
    # that the leg exists, made from the offer: not its answer, whose trigger the emulator once
    # lost when it answered the answer's write "call already cancelled" in a full CI run.)
    record: list[str] = []

    async def red_recorded() -> bool:
        record[:] = [str(leg["legId"]) for leg in await legs(admin, meeting_id)]
        return any(all(s in leg for s in red) for leg in record)

    await wait_for(red_recorded, timeout=45.0, what="Red's leg", describe=lambda: str(record))
    assert not [leg for leg in record if blue in leg and any(s in leg for s in red)]
    for peer in (host, ann, ben, cy):
        assert not peer.errors, peer.errors


async def test_participants_choose_their_room_only_when_let_and_a_timer_closes_the_rooms(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    host, ann, ben = [await peers(n) for n in ("host", "ann", "ben")]
    meeting_id = await host.create_meeting(title="Timed workshop", lobby=False)
    for peer in (host, ann, ben):
        await peer.join(meeting_id)
    path = f"meetings/{meeting_id}"

    # Opened without `choose`: a participant moves nobody, not even themselves, into a room.
    await host_action(host, meeting_id, "rooms-open", rooms=["Red", "Blue"])
    async with database_unchanged(admin, exempt=("cdrs",)):
        for uid in (ann.uid, ben.uid):
            await refused(
                host_action(ann, meeting_id, "move", uid, room=1), "PERMISSION_DENIED", "not-a-host"
            )
    # Back to the main room, though, a participant may always go (as Meet's "Return to main
    # call"): placed in Red, Ann returns by herself; Ben she still cannot send back.
    await host_action(host, meeting_id, "move", ann.uid, room=1)
    await host_action(host, meeting_id, "move", ben.uid, room=1)
    async with database_unchanged(admin, exempt=("cdrs",)):
        await refused(
            host_action(ann, meeting_id, "move", ben.uid, room=0), "PERMISSION_DENIED", "not-a-host"
        )
    assert (await host_action(ann, meeting_id, "move", ann.uid, room=0))["changed"] is True
    assert await rooms_of(admin, meeting_id, host, ann, ben) == [None, None, 1]
    assert (await host_action(ann, meeting_id, "move", ann.uid, room=0))["changed"] is False
    await host_action(host, meeting_id, "move", ben.uid, room=0)

    # Opened anew with `choose` and a 30-minute timer: Ann goes to Blue and comes back by
    # herself, but moves nobody else; Ben chooses Red.
    before = datetime.now(UTC)
    await host_action(
        host, meeting_id, "rooms-open", rooms=["Red", "Blue"], choose=True, minutes=30
    )
    meeting = await stored(admin, path) or {}
    assert meeting["roomsChoice"] is True
    left = meeting["roomsCloseAt"] - before
    assert timedelta(minutes=29) < left < timedelta(minutes=31), left
    assert (await host_action(ann, meeting_id, "move", ann.uid, room=2))["changed"] is True
    assert await rooms_of(admin, meeting_id, host, ann, ben) == [None, 2, None]
    assert (await rejoin(ann, meeting_id))["room"] == 2  # a reload keeps her choice
    assert (await host_action(ann, meeting_id, "move", ann.uid, room=0))["changed"] is True
    await refused(
        host_action(ann, meeting_id, "move", ben.uid, room=2), "PERMISSION_DENIED", "not-a-host"
    )
    assert (await host_action(ben, meeting_id, "move", ben.uid, room=1))["changed"] is True

    # "Close in 1 minute" (rooms-close with minutes) brings the timer forward, the rooms still
    # open; a later countdown, or one without rooms, changes nothing; a participant may not.
    before = datetime.now(UTC)
    countdown = await host_action(host, meeting_id, "rooms-close", minutes=1)
    assert countdown == {"action": "rooms-close", "changed": True}
    meeting = await stored(admin, path) or {}
    assert meeting["rooms"] == ["Red", "Blue"] and meeting["roomsChoice"] is True
    left = meeting["roomsCloseAt"] - before
    assert timedelta(seconds=50) < left < timedelta(seconds=70), left
    assert (await host_action(host, meeting_id, "rooms-close", minutes=5))["changed"] is False
    async with database_unchanged(admin, exempt=("cdrs",)):
        await refused(
            host_action(ann, meeting_id, "rooms-close", minutes=1),
            "PERMISSION_DENIED",
            "not-a-host",
        )
    # The sweep leaves rooms with time left alone...
    await run_scheduled("sweep")
    assert (await stored(admin, path) or {})["rooms"] == ["Red", "Blue"]
    # ...and closes them once their time is up (30 minutes on: the test moves the clock of the
    # record, not the machine's), with nobody's page asking: everyone back in the main room.
    await admin.document(path).update({"roomsCloseAt": before - timedelta(seconds=1)})
    await run_scheduled("sweep")
    meeting = await stored(admin, path) or {}
    assert (meeting["rooms"], meeting["roomsChoice"], meeting["roomsCloseAt"]) == ([], False, None)
    assert await rooms_of(admin, meeting_id, host, ann, ben) == [None] * 3
    assert (await host_action(host, meeting_id, "rooms-close", minutes=1))["changed"] is False
    await refused(  # closed, the choice went with them
        host_action(ben, meeting_id, "move", ben.uid, room=1), "PERMISSION_DENIED", "not-a-host"
    )
    for peer in (host, ann, ben):
        assert not peer.errors, peer.errors


async def test_someone_in_a_breakout_room_asks_the_hosts_for_help(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """Nobody in a room is connected to the hosts in the main room: a participant asks for them
    through the server (``ask-help``: its ``helpAt``), and a host's visit answers it; a host too
    busy answers it "later" (``help-later``: its ``helpLaterAt``), the call standing."""
    host, ann, ben, cy = [await actors(n) for n in ("host", "ann", "ben", "cy")]
    stranger = await actors("stranger")
    meeting_id = await host.create_meeting(title="Help", lobby=False)
    for who in (host, ann, ben, cy):
        await who.join(meeting_id)

    async def help_of(*people: Actor) -> list[Any]:
        found = []
        for who in people:
            doc = await stored(admin, f"meetings/{meeting_id}/participants/{who.uid}") or {}
            found.append(doc.get("helpAt"))
        return found

    async def later_of(*people: Actor) -> list[Any]:
        docs = [await stored(admin, f"meetings/{meeting_id}/participants/{w.uid}") for w in people]
        return [(doc or {}).get("helpLaterAt") for doc in docs]

    async with database_unchanged(admin):  # no rooms open: nobody can ask
        await refused(host_action(ann, meeting_id, "ask-help"), "FAILED_PRECONDITION", "no-rooms")
    placed = {ann.uid: 1, cy.uid: 2}
    await host_action(host, meeting_id, "rooms-open", rooms=["Red", "Blue"], assign=placed)
    async with database_unchanged(admin):
        # Ben is in the main room, with the hosts; the stranger is in no room; nobody asks for
        # someone else.
        await refused(host_action(ben, meeting_id, "ask-help"), "FAILED_PRECONDITION", "no-rooms")
        await refused(
            host_action(stranger, meeting_id, "ask-help"), "FAILED_PRECONDITION", "not-joined"
        )
        wrong = await refused(host_action(ann, meeting_id, "ask-help", cy.uid), "INVALID_ARGUMENT")
        assert wrong.details.get("field") == "uid"
        assert (await host_action(ann, meeting_id, "cancel-help"))["changed"] is False

    before = datetime.now(UTC)
    assert await host_action(ann, meeting_id, "ask-help") == {"action": "ask-help", "changed": True}
    asked_at = (await help_of(ann))[0]
    assert asked_at is not None and before - timedelta(seconds=5) < asked_at < datetime.now(UTC)
    assert (await host_action(ann, meeting_id, "ask-help"))["changed"] is False
    assert await help_of(ann) == [asked_at]  # asking again keeps the first time
    assert (await host_action(cy, meeting_id, "ask-help"))["changed"] is True
    assert (await host_action(cy, meeting_id, "cancel-help"))["changed"] is True
    assert (await help_of(cy)) == [None]
    await host_action(cy, meeting_id, "ask-help")

    # Too busy for Cy's call, the host answers it "later": it stands, with the time of the answer.
    async with database_unchanged(admin):
        await refused(
            host_action(ben, meeting_id, "help-later", cy.uid), "PERMISSION_DENIED", "not-a-host"
        )
        await refused(host_action(host, meeting_id, "help-later", stranger.uid), "NOT_FOUND")
        assert (await host_action(host, meeting_id, "help-later", ben.uid))["changed"] is False
    before = datetime.now(UTC)
    assert (await host_action(host, meeting_id, "help-later", cy.uid))["changed"] is True
    later_at = (await later_of(cy))[0]
    assert later_at is not None and before - timedelta(seconds=5) < later_at
    assert (await help_of(cy))[0] is not None
    assert (await host_action(host, meeting_id, "help-later", cy.uid))["changed"] is False

    # The host visits Red: Ann's call is answered; Cy, in Blue, still asks.
    assert (await host_action(host, meeting_id, "move", host.uid, room=1))["changed"] is True
    assert (await help_of(ann))[0] is None and (await help_of(cy))[0] is not None
    # Moved, Cy asks no more (the call was about the room she left); asking again, leaving ends it.
    await host_action(host, meeting_id, "move", cy.uid, room=1)
    assert await help_of(cy) == [None] and await later_of(cy) == [None]
    await host_action(cy, meeting_id, "ask-help")
    await cy.leave(meeting_id)
    assert await help_of(cy) == [None]
    # The rooms' closing brings everyone back, and ends every call for help.
    await host_action(host, meeting_id, "move", host.uid, room=0)
    await host_action(ann, meeting_id, "ask-help")
    assert await host_action(host, meeting_id, "rooms-close") == {
        "action": "rooms-close",
        "changed": True,
    }
    assert await help_of(host, ann, ben, cy) == [None] * 4
