"""Offers sent with the join (docs/protocol.md section 4, step 1): `join_meeting` writes them
as the newcomer's offer signals in its own commit, the others answer, the CDR records the leg
as for an offer the client wrote; a participant whose signals the rules refuse gets none
written by re-joining."""

from __future__ import annotations

import datetime
from typing import Any

from google.cloud import firestore

from .support.admin import dump_all, leg_when, sides_are, signals_blocked_until
from .support.factories import Actors, Peers
from .support.mesh import check_chat, describe, wait_full_mesh, wait_media

#: The server does not read an offer's SDP (the peers do): any string within the limits.
SDP = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"


def _offers_from(
    dump: dict[str, dict[str, Any]], meeting_id: str, uid: str
) -> list[dict[str, Any]]:
    prefix = f"meetings/{meeting_id}/signals/"
    return [
        data
        for path, data in dump.items()
        if path.startswith(prefix) and data.get("from") == uid and data.get("type") == "offer"
    ]


async def test_the_offer_goes_with_the_join(peers: Peers, admin: firestore.AsyncClient) -> None:
    alice = await peers("alice")
    bob = await peers("bob", trickle=True, offer_in_join=True)
    meeting_id = await alice.create_meeting(title="Offers in the join")
    await alice.join(meeting_id)

    joined = await bob.join(meeting_id)  # one offer: meeting_info said one is present
    assert [(p["uid"], p.get("offer")) for p in joined["participants"]] == [(alice.uid, 0)]
    await wait_full_mesh([alice, bob])
    await check_chat([alice, bob])
    await wait_media([alice, bob])
    for peer in (alice, bob):
        await peer.flush()

    # Bob wrote no offer himself: the join did, from his new session, and Alice applied it.
    assert [s.id for s in bob.sent_signals if s.type == "offer"] == ["(join)"]
    offers = [s for s in alice.received_signals if s.type == "offer"]
    assert [(s.from_uid, s.session, s.to_session) for s in offers] == [
        (bob.uid, bob.session, alice.session)
    ]
    assert offers[0].data["sdp"] == bob.sent_signals[0].sdp
    # At the join's time (its participant document's joinedAt): what tells it from a client's.
    mine = await admin.document("meetings", meeting_id, "participants", bob.uid).get()
    assert offers[0].data["createdAt"] == mine.get("joinedAt")
    assert offers[0].id in alice.deleted_signal_ids
    # His candidates were trickled after the join, as for any offer without them.
    assert bob.link(alice.uid).candidates_docs_sent == 1

    # The CDR: the leg is Bob's (the caller), connected on both sides, as for any offer.
    leg = await leg_when(
        admin,
        f"{meeting_id}_{bob.session}_{alice.session}",
        lambda leg: sides_are(leg, "connected"),
        what="connected",
        describe=lambda: describe([alice, bob]),
    )
    assert (leg["caller"]["uid"], leg["callee"]["uid"]) == (bob.uid, alice.uid)
    assert [t["status"] for t in leg["caller"]["timeline"]] == ["connecting", "connected"]


async def test_fewer_or_more_offers_than_people_present(peers: Peers) -> None:
    """Participants beyond the offers are offered to after the join; offers beyond the
    participants are not used. Everyone ends up connected to everyone, once."""
    alice = await peers("alice", media=False)
    carol = await peers("carol", media=False)
    dave = await peers("dave", media=False, offer_in_join=True)
    erin = await peers("erin", media=False, offer_in_join=True)
    meeting_id = await alice.create_meeting(title="Guesses")
    await alice.join(meeting_id)
    await carol.join(meeting_id)

    few = await dave.join(meeting_id, expect=1)
    assert sorted(p.get("offer", -1) for p in few["participants"]) == [-1, 0]
    await wait_full_mesh([alice, carol, dave])

    many = await erin.join(meeting_id, expect=5)
    assert sorted(p["offer"] for p in many["participants"]) == [0, 1, 2]
    await wait_full_mesh([alice, carol, dave, erin])
    for peer in (dave, erin):
        await peer.flush()
        # Not trickling: their candidates are in the offers' SDP, and nothing else is sent.
        assert not [s for s in peer.sent_signals if s.type == "candidates"]
    offered_by_dave = [s for s in dave.sent_signals if s.type == "offer"]
    assert sorted(s.id == "(join)" for s in offered_by_dave) == [False, True]
    assert [s.id for s in erin.sent_signals if s.type == "offer"] == ["(join)"] * 3
    for peer in (alice, carol, dave, erin):
        assert not peer.errors, describe([alice, carol, dave, erin])


async def test_the_lobby_listener_is_the_joins(peers: Peers) -> None:
    """A lobby starts the signals listener before the click on Join (enter_lobby): the join
    uses that listener instead of starting one, and its offers, made at once, connect."""
    alice = await peers("alice", media=False)
    carol = await peers("carol", media=False)
    frank = await peers("frank", media=False, offer_in_join=True)
    meeting_id = await alice.create_meeting(title="Lobby first")
    await alice.join(meeting_id)
    await carol.join(meeting_id)

    info = await frank.enter_lobby(meeting_id)
    assert (info["present"], frank.signal_listens) == (2, 1)
    joined = await frank.join(meeting_id, expect=info["present"])
    assert sorted(p["offer"] for p in joined["participants"]) == [0, 1]
    assert frank.signal_listens == 1
    await wait_full_mesh([alice, carol, frank])
    await frank.flush()
    assert [s.id for s in frank.sent_signals if s.type == "offer"] == ["(join)"] * 2
    for peer in (alice, carol, frank):
        assert not peer.errors, describe([alice, carol, frank])


async def test_a_blocked_sender_gets_no_offers_written(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    """The attack: caught flooding (signalLimit.blockedUntil ahead, which the rules enforce
    and a re-join keeps), a participant re-joins with offers for the server to write."""
    alice, bob, carol = await actors("alice"), await actors("bob"), await actors("carol")
    meeting_id = await alice.create_meeting(title="Blocked")
    await alice.join(meeting_id)
    await bob.join(meeting_id)
    blocked_until = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=60)
    participant = admin.document("meetings", meeting_id, "participants", bob.uid)
    await participant.update(signals_blocked_until(blocked_until))

    again = await bob.call("join_meeting", {"meetingId": meeting_id, "offers": [SDP]})
    assert [p.get("offer") for p in again["participants"]] == [None]
    # Carol, not blocked, is the control: the same request has its offers written.
    joined = await carol.call("join_meeting", {"meetingId": meeting_id, "offers": [SDP, SDP]})
    assert sorted(p["offer"] for p in joined["participants"]) == [0, 1]

    dump = await dump_all(admin)
    assert _offers_from(dump, meeting_id, bob.uid) == []
    assert {(o["to"], o["session"]) for o in _offers_from(dump, meeting_id, carol.uid)} == {
        (alice.uid, joined["session"]),
        (bob.uid, joined["session"]),
    }
