"""Two peers meet: password-protected meeting, chat both ways, audio and video both ways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from .support.admin import dump_all, matching, signals_blocked_until
from .support.deadline import wait_for
from .support.factories import Peers
from .support.mesh import check_chat, describe, wait_full_mesh, wait_media
from .support.peer import MeetingPeer

PASSWORD = "correct horse battery staple"
#: How long the rules refuse Alice's signals below: past her answer, before Bob's repeat.
BLOCKED_S = 8.0


async def _meet(peers: Peers, *, trickle: bool) -> tuple[str, MeetingPeer, MeetingPeer]:
    alice = await peers("alice", trickle=trickle)
    bob = await peers("bob", trickle=trickle)
    meeting_id = await alice.create_meeting(title="Two peers", password=PASSWORD)

    first = await alice.join(meeting_id, password=PASSWORD)
    assert first["meetingId"] == meeting_id
    assert first["title"] == "Two peers"
    assert first["participants"] == []

    second = await bob.join(meeting_id, password=PASSWORD)
    assert [(p["uid"], p["session"]) for p in second["participants"]] == [
        (alice.uid, alice.session)
    ]
    assert bob.session != alice.session

    await wait_full_mesh([alice, bob])
    for peer in (alice, bob):
        await peer.flush()  # the tests read what each wrote: its offer may still be acknowledged
    return meeting_id, alice, bob


async def test_two_peers_chat_and_media(peers: Peers) -> None:
    _, alice, bob = await _meet(peers, trickle=False)
    assert alice.link(bob.uid).role == "answerer"
    assert bob.link(alice.uid).role == "offerer"

    await check_chat([alice, bob])
    await wait_media([alice, bob])

    for peer in (alice, bob):
        for signal in peer.sent_signals:
            assert signal.type in ("offer", "answer")
            assert signal.sdp is not None and "a=candidate:" in signal.sdp


async def test_two_peers_batched_trickle(peers: Peers, admin: firestore.AsyncClient) -> None:
    meeting_id, alice, bob = await _meet(peers, trickle=True)
    await check_chat([alice, bob])
    await wait_media([alice, bob])

    expected_deletions: list[tuple[MeetingPeer, str]] = []
    for me, other in ((alice, bob), (bob, alice)):
        descriptions = [s for s in me.sent_signals if s.type in ("offer", "answer")]
        assert len(descriptions) == 1
        sdp = descriptions[0].sdp
        assert sdp is not None and "a=candidate:" not in sdp
        batches = [s for s in me.sent_signals if s.type == "candidates"]
        assert len(batches) == 1, "one burst of candidates makes one candidates document"
        entries = batches[0].candidates or []
        assert entries[-1]["candidate"] == "", "the last batch ends with the end marker"
        assert all(e["candidate"].startswith("candidate:") for e in entries[:-1])
        assert len(entries) >= 2

        link = me.link(other.uid)
        assert link.candidates_docs_sent == 1
        assert link.candidates_docs_received == 1
        assert link.candidates_applied >= 1
        assert link.end_of_candidates

        # The addressee received the candidates document, applied it and deleted it.
        received_ids = {s.id for s in other.received_signals if s.type == "candidates"}
        assert batches[0].id in received_ids
        expected_deletions.append((other, batches[0].id))

    await wait_for(
        lambda: all(sid in peer.deleted_signal_ids for peer, sid in expected_deletions),
        timeout=10.0,
        what=f"the addressees to delete the candidates documents {expected_deletions}",
        describe=lambda: describe([alice, bob]),
    )

    async def no_signals_left() -> bool:
        return not matching(await dump_all(admin), "signals")

    await wait_for(
        no_signals_left,
        timeout=10.0,
        what=f"every signal document of {meeting_id} to be deleted",
        describe=lambda: describe([alice, bob]),
    )


async def test_an_offer_whose_answer_is_lost_is_sent_again(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    """Alice's answer never reaches Firestore (the rules refuse it: the server has her over a
    signal limit for a few seconds, docs/protocol.md section 3). Bob writes his offer again 15 s
    after it (section 4, step 3), Alice answers the same offer again, and they connect."""
    alice = await peers("alice")
    bob = await peers("bob")
    meeting_id = await alice.create_meeting(title="Lost answer")
    await alice.join(meeting_id)
    blocked_until = datetime.now(UTC) + timedelta(seconds=BLOCKED_S)
    participant = admin.document("meetings", meeting_id, "participants", alice.uid)
    await participant.update(signals_blocked_until(blocked_until))
    await bob.join(meeting_id)
    await wait_for(lambda: alice.errors, timeout=20.0, what="the rules to refuse Alice's answer")
    assert "PermissionDenied" in alice.errors[0] and datetime.now(UTC) < blocked_until, alice.errors
    alice.errors.clear()  # the refusal this test provokes
    await wait_full_mesh([alice, bob], timeout=45.0)
    assert any("sent again" in note for note in bob.notes), describe([alice, bob])
    assert any("answered again" in note for note in alice.notes), describe([alice, bob])
    await check_chat([alice, bob])
