"""Leaving and re-joining, and reloading without leaving: a new session replaces the old one."""

from __future__ import annotations

import time
from typing import Any

from google.cloud import firestore

from .support.admin import dump_all, under
from .support.deadline import wait_for
from .support.factories import Peers
from .support.mesh import check_chat, describe, wait_full_mesh
from .support.peer import MeetingPeer


async def _participant_docs(
    admin: firestore.AsyncClient, meeting_id: str
) -> dict[str, dict[str, Any]]:
    dump = await dump_all(admin)
    prefix = f"meetings/{meeting_id}/participants/"
    return {
        path[len(prefix) :]: data
        for path, data in under(dump, f"meetings/{meeting_id}/participants").items()
        if "/" not in path[len(prefix) :]
    }


async def _assert_one_participant_doc_per_uid(
    admin: firestore.AsyncClient, meeting_id: str, group: list[MeetingPeer]
) -> None:
    docs = await _participant_docs(admin, meeting_id)
    assert sorted(docs) == sorted(peer.uid for peer in group)
    for uid, data in docs.items():
        assert data["uid"] == uid


async def _three_in_a_meeting(peers: Peers) -> tuple[str, MeetingPeer, MeetingPeer, MeetingPeer]:
    alice, bob, carol = await peers("alice"), await peers("bob"), await peers("carol")
    meeting_id = await alice.create_meeting(title="Rejoin")
    await alice.join(meeting_id)
    await bob.join(meeting_id)
    await wait_full_mesh([alice, bob])
    # Carol joins late, once Alice and Bob are already talking.
    result = await carol.join(meeting_id)
    assert {p["uid"] for p in result["participants"]} == {alice.uid, bob.uid}
    await wait_full_mesh([alice, bob, carol])
    return meeting_id, alice, bob, carol


async def test_leave_and_rejoin(peers: Peers, admin: firestore.AsyncClient) -> None:
    meeting_id, alice, bob, carol = await _three_in_a_meeting(peers)
    first_session = carol.session

    assert await carol.leave() == {"left": True}

    def carol_dropped() -> bool:
        return carol.uid not in alice.links and carol.uid not in bob.links

    await wait_for(
        carol_dropped,
        timeout=15.0,
        what="Alice and Bob to close their connections to Carol after she left",
        describe=lambda: describe([alice, bob, carol]),
    )
    assert alice.connected_to(bob.uid) and bob.connected_to(alice.uid)
    docs = await _participant_docs(admin, meeting_id)
    assert docs[carol.uid]["state"] == "left"
    assert docs[carol.uid]["session"] == first_session

    asked = time.time() * 1000
    result = await carol.join(meeting_id)
    answered = time.time() * 1000
    # The server's clock as it answered (docs/protocol.md, join_meeting): this machine's here.
    assert asked - 1000 <= result["serverTime"] <= answered + 1000, (asked, result, answered)
    assert carol.session != first_session
    assert {p["uid"] for p in result["participants"]} == {alice.uid, bob.uid}
    await wait_full_mesh([alice, bob, carol])
    await check_chat([alice, bob, carol], tag="after rejoin")

    for other in (alice, bob):
        assert other.link(carol.uid).remote_session == carol.session
        closed = [link for link in other.closed_links if link.uid == carol.uid]
        assert [link.remote_session for link in closed] == [first_session]
        assert closed[0].closed_reason == "participant left"

    await _assert_one_participant_doc_per_uid(admin, meeting_id, [alice, bob, carol])
    docs = await _participant_docs(admin, meeting_id)
    assert docs[carol.uid]["state"] == "joined"
    assert docs[carol.uid]["session"] == carol.session


async def test_reload_without_leaving(peers: Peers, admin: firestore.AsyncClient) -> None:
    meeting_id, alice, bob, carol = await _three_in_a_meeting(peers)
    first_session = carol.session
    stale = {other.label: other.link(carol.uid).pc for other in (alice, bob)}

    # A reload: the tab's connections and listeners vanish; leave_meeting is never called.
    await carol.close()
    asked = time.time() * 1000
    result = await carol.join(meeting_id)
    answered = time.time() * 1000
    # The server's clock as it answered (docs/protocol.md, join_meeting): this machine's here.
    assert asked - 1000 <= result["serverTime"] <= answered + 1000, (asked, result, answered)
    assert carol.session != first_session
    assert {p["uid"] for p in result["participants"]} == {alice.uid, bob.uid}

    await wait_full_mesh([alice, bob, carol])
    await check_chat([alice, bob, carol], tag="after reload")

    for other in (alice, bob):
        assert other.link(carol.uid).remote_session == carol.session
        assert other.link(carol.uid).pc is not stale[other.label]
        assert stale[other.label].connectionState == "closed"
        assert [link.remote_session for link in other.closed_links if link.uid == carol.uid] == [
            first_session
        ]

    await _assert_one_participant_doc_per_uid(admin, meeting_id, [alice, bob, carol])
    docs = await _participant_docs(admin, meeting_id)
    assert docs[carol.uid]["state"] == "joined"
    assert docs[carol.uid]["session"] == carol.session
