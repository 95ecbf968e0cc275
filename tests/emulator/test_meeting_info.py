"""meeting_info: what a client may know before joining (docs/protocol.md), and the organisation's
privacy policy that join_meeting hands on (relayOnly). meeting_info writes nothing."""

from __future__ import annotations

import pytest
from google.cloud import firestore

from .support.admin import dump_all, settled_dump
from .support.callables import CallableError, call
from .support.factories import Actors

PASSWORD = "plum 42"


async def test_meeting_info_tells_before_the_lobby(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    host, guest = await actors("host"), await actors("guest")
    open_id = await host.create_meeting(title="Open house")
    locked_id = await host.create_meeting(title="Secret plans", password=PASSWORD)
    before = await settled_dump(admin)

    info = await guest.call("meeting_info", {"meetingId": open_id})
    assert info == {
        "exists": True,
        "state": "open",
        "hasPassword": False,
        "title": "Open house",
        "full": False,
        "relayOnly": False,
    }
    # The password protects the title too.
    locked = await guest.call("meeting_info", {"meetingId": locked_id})
    assert locked["hasPassword"] is True and locked["title"] is None
    # A code nobody created (typed with capitals and spaces: read as people type codes).
    assert await guest.call("meeting_info", {"meetingId": "QQQ QQQQ QQQ"}) == {
        "exists": False,
        "state": None,
        "hasPassword": False,
        "title": None,
        "full": False,
        "relayOnly": False,
    }
    for bad in ("nope", "abc-defg-hi", "abcdefghijk", ""):
        with pytest.raises(CallableError) as refused:
            await guest.call("meeting_info", {"meetingId": bad})
        assert refused.value.status == "INVALID_ARGUMENT"
    with pytest.raises(CallableError) as anonymous:
        await call("meeting_info", {"meetingId": open_id})
    assert anonymous.value.status == "UNAUTHENTICATED"
    # Nothing was written by any of it.
    assert await dump_all(admin) == before

    # Ended: said before the lobby.
    await admin.collection("meetings").document(open_id).update({"state": "ended"})
    assert (await guest.call("meeting_info", {"meetingId": open_id}))["state"] == "ended"


async def test_full_meeting_and_its_cap(actors: Actors, admin: firestore.AsyncClient) -> None:
    host, second, late = await actors("host"), await actors("second"), await actors("late")
    meeting_id = await host.create_meeting(title="Two seats")
    await admin.collection("meetings").document(meeting_id).update({"maxParticipants": 2})
    await host.join(meeting_id)
    assert (await late.call("meeting_info", {"meetingId": meeting_id}))["full"] is False
    await second.join(meeting_id)
    assert (await late.call("meeting_info", {"meetingId": meeting_id}))["full"] is True
    with pytest.raises(CallableError) as full:
        await late.join(meeting_id)
    assert full.value.status == "RESOURCE_EXHAUSTED"
    assert full.value.details == {"reason": "meeting-full", "maxParticipants": 2}


async def test_organisation_requires_hidden_ip(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    await (
        admin.collection("orgs")
        .document("shield")
        .set({"name": "Shield", "domains": ["shield.example"], "privacy": {"relayOnly": True}})
    )
    member = await actors("member", email="member@shield.example")
    outsider = await actors("outsider", email="outsider@example.org")
    meeting_id = await outsider.create_meeting(title="Mixed")
    assert (await member.call("meeting_info", {"meetingId": meeting_id}))["relayOnly"] is True
    assert (await outsider.call("meeting_info", {"meetingId": meeting_id}))["relayOnly"] is False
    assert (await member.join(meeting_id))["relayOnly"] is True
    assert "relayOnly" not in await outsider.join(meeting_id)
