"""Signal documents live only until applied, and at the latest until the meeting is over.

An admin listener (support/signal_watch.py) records when each signal document of the meeting
appeared and disappeared, while trickle and non-trickle peers connect: every document must go
soon after it was written (the addressee applies and deletes it), none may remain once everyone
is connected, and a peer that never applies anything (it joined, then its tab died) leaves
documents addressed to it that only the server can clean up: the sweep that closes the dead peer
out, or the senders' `leave_meeting`. Either way nothing is left after the meeting
(docs/data-inventory.md, signals).

The stacks run the sweep every minute (tools/local_scheduler.py), so Dave is an actor that joins
and never listens: he heartbeats until the test lets him die, and the scheduled sweep cannot
close him out before the test means it to (a child process killed at the start would be closed
out by whichever sweep came first).
"""

from __future__ import annotations

from collections.abc import Collection

import pytest
from google.cloud import firestore

from .support.actors import Actor
from .support.admin import group_dump
from .support.deadline import wait_for
from .support.factories import Actors, Peers
from .support.mesh import describe, wait_full_mesh
from .support.peer import MeetingPeer
from .support.scheduler import run_scheduled
from .support.signal_watch import SignalWatch, watch_signals

#: How long an applied signal may stay: the addressee deletes it right after applying it.
SIGNAL_LIFETIME = 10.0
#: How long the server may take to drop the leftovers once it knows (sweep, leave).
CLEANUP_TIMEOUT = 30.0


async def signal_ids(admin: firestore.AsyncClient, meeting_id: str) -> set[str]:
    """The signal documents of the meeting now, read by the admin (not via the listener)."""
    prefix = f"meetings/{meeting_id}/signals/"
    return {p[len(prefix) :] for p in await group_dump(admin, "signals") if p.startswith(prefix)}


async def three_peers(peers: Peers) -> list[MeetingPeer]:
    # Alice and Carol trickle their candidates in `candidates` documents, Bob puts his in the SDP.
    return [
        await peers("alice", trickle=True),
        await peers("bob", trickle=False),
        await peers("carol", trickle=True),
    ]


def check_lifetimes(watch: SignalWatch, *, exempt: Collection[str] = ()) -> None:
    """Every signal the listener saw was removed within SIGNAL_LIFETIME (except `exempt`)."""
    late = [
        life.describe()
        for life in watch.lives
        if life.id not in exempt and (life.lifetime is None or life.lifetime > SIGNAL_LIFETIME)
    ]
    assert not late, f"signals that outlived {SIGNAL_LIFETIME}s:\n" + "\n".join(late)
    longest = max((life.lifetime or 0.0 for life in watch.lives), default=0.0)
    print(f"{len(watch.lives)} signals seen, longest-lived {longest:.2f}s")  # pytest -rP


async def test_signals_are_deleted_once_applied(peers: Peers, admin: firestore.AsyncClient) -> None:
    group = await three_peers(peers)
    meeting_id = await group[0].create_meeting(title="Signals")
    async with watch_signals(meeting_id) as watch:
        for peer in group:
            await peer.join(meeting_id)
        await wait_full_mesh(group)

        async def none_left() -> bool:
            return not await signal_ids(admin, meeting_id) and not watch.alive()

        await wait_for(
            none_left,
            timeout=SIGNAL_LIFETIME,
            what="no signal document left once everyone is connected",
            describe=watch.describe,
        )
        check_lifetimes(watch)
        # The peers delete beside their event processing (as the web client does): a delete
        # is in the database a moment before its peer has the answer to it.
        for peer in group:
            await peer.flush()

        sent = {s.id: (sender, s) for sender in group for s in sender.sent_signals}
        by_uid = {peer.uid: peer for peer in group}
        # The addressee of each signal received it and deleted it itself.
        for signal_id, (sender, signal) in sent.items():
            addressee = by_uid[signal.to]
            assert signal_id in {s.id for s in addressee.received_signals}, (sender.label, signal)
            assert signal_id in addressee.deleted_signal_ids, (addressee.label, signal)
        # One offer and one answer per pair; one candidates document per trickling side.
        types = sorted(s.type for _, s in sent.values())
        assert types.count("offer") == types.count("answer") == 3
        assert types.count("candidates") == 4, "alice and carol trickle on both their links"
        seen = {life.id for life in watch.lives}
        assert seen <= set(sent), "the listener saw only signals the peers wrote"

        for peer in group:
            await peer.leave()
        assert not await signal_ids(admin, meeting_id)
        assert not watch.alive()


@pytest.mark.parametrize("cleanup", ["sweep", "leave"])
async def test_signals_to_a_dead_peer_are_gone_after_the_meeting(
    peers: Peers, actors: Actors, admin: firestore.AsyncClient, cleanup: str
) -> None:
    group = await three_peers(peers)
    meeting_id = await group[0].create_meeting(title="Dead mid-negotiation")
    dave = await actors("dave")
    async with watch_signals(meeting_id) as watch:
        # Dave joins first and never applies a signal (his tab is dead to WebRTC): on the server
        # he is joined, so each newcomer offers to him and trickles.
        await dave.join(meeting_id)
        for peer in group:
            result = await peer.join(meeting_id)
            assert dave.uid in {p["uid"] for p in result["participants"]}
        await wait_full_mesh(group)

        # The peers write their offers beside their event processing (as the web client does):
        # the mesh can be up before the last write to Dave is answered.
        for peer in group:
            await peer.flush()
        to_dave = {s.id for peer in group for s in peer.sent_signals if s.to == dave.uid}
        types = sorted(s.type for peer in group for s in peer.sent_signals if s.to == dave.uid)
        assert types == ["candidates", "candidates", "offer", "offer", "offer"]

        async def only_daves_left() -> bool:
            return (
                await signal_ids(admin, meeting_id) == to_dave
                and {life.id for life in watch.alive()} == to_dave
            )

        # Everything the live peers exchanged is gone; what is addressed to Dave stays, as
        # nobody can apply it and the server does not know that he is gone.
        await wait_for(
            only_daves_left,
            timeout=SIGNAL_LIFETIME,
            what=f"only the {len(to_dave)} signals to the dead peer left",
            describe=lambda: watch.describe() + "\n" + describe(group),
        )
        check_lifetimes(watch, exempt=to_dave)
        assert not [life for life in watch.lives if life.sender == dave.uid]

        if cleanup == "sweep":
            dave.go_silent()  # his heartbeats stop too: only the sweep can notice
            await sweep_out(admin, meeting_id, dave)
            await wait_gone(admin, meeting_id, watch, "after the sweep closed the dead peer out")
        for peer in group:
            await peer.leave()
        await wait_gone(admin, meeting_id, watch, "after the meeting")
        if cleanup == "leave":
            # Dave still heartbeats, so no sweep took them: the senders' leave_meeting did.
            state = await admin.document(f"meetings/{meeting_id}/participants/{dave.uid}").get()
            assert state.get("state") == "joined"


async def sweep_out(admin: firestore.AsyncClient, meeting_id: str, dave: Actor) -> None:
    """Run the sweep (the test is the scheduler) until it has closed the silent peer out.

    The scheduled sweep may get there first; either way it is the sweep that closes him out.
    """
    ref = admin.document(f"meetings/{meeting_id}/participants/{dave.uid}")

    async def closed_out() -> bool:
        await run_scheduled("sweep")
        return bool((await ref.get()).get("state") == "left")

    await wait_for(
        closed_out, timeout=90.0, interval=1.0, what="the sweep to close out the silent peer"
    )
    assert (await ref.get()).get("endCause") == "heartbeat-timeout"


async def wait_gone(
    admin: firestore.AsyncClient, meeting_id: str, watch: SignalWatch, when: str
) -> None:
    async def gone() -> bool:
        return not await signal_ids(admin, meeting_id) and not watch.alive()

    await wait_for(
        gone,
        timeout=CLEANUP_TIMEOUT,
        what=f"no signal document left {when}",
        describe=watch.describe,
    )
