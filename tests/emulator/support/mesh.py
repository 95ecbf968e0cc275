"""Assertions over a group of peers: every pair connected, chatting and receiving media."""

from __future__ import annotations

import itertools

from google.cloud import firestore

from .deadline import wait_for
from .hosts import legs
from .peer import MeetingPeer

CONNECT_TIMEOUT = 45.0
MEDIA_TIMEOUT = 30.0
CHAT_TIMEOUT = 15.0


def describe(peers: list[MeetingPeer]) -> str:
    return "\n".join(peer.describe() for peer in peers)


def _pairs(peers: list[MeetingPeer]) -> list[tuple[MeetingPeer, MeetingPeer]]:
    return [(a, b) for a, b in itertools.permutations(peers, 2)]


async def wait_full_mesh(peers: list[MeetingPeer], timeout: float = CONNECT_TIMEOUT) -> None:
    """Wait until every peer has an open chat channel to every other peer's current session."""

    def done() -> bool:
        return all(
            a.connected_to(b.uid) and a.link(b.uid).remote_session == b.session
            for a, b in _pairs(peers)
        )

    await wait_for(
        done,
        timeout=timeout,
        what=f"a full mesh of {', '.join(p.label for p in peers)}",
        describe=lambda: describe(peers),
    )


async def wait_recorded(
    admin: firestore.AsyncClient,
    meeting_id: str,
    peers: list[MeetingPeer],
    timeout: float = CONNECT_TIMEOUT,
) -> None:
    """Wait until the signal trigger has recorded every connection of ``peers``' current
    sessions: a leg with the callee's answer on it. Peers connect before their triggers run (the
    functions emulator starts a worker for each trigger it runs at once, cold), and the trigger
    counts an offer before it makes the leg, so a database comparison started after this sees
    none of their writes."""

    async def recorded() -> bool:
        answered = {
            frozenset((leg["caller"]["session"], leg["callee"]["session"]))
            for leg in await legs(admin, meeting_id)
            if leg.get("callee", {}).get("iceUfrag") is not None
        }
        return all(
            frozenset((a.session, b.session)) in answered
            for a, b in itertools.combinations(peers, 2)
        )

    await wait_for(
        recorded,
        timeout=timeout,
        what=f"the legs of {', '.join(p.label for p in peers)} recorded",
        describe=lambda: describe(peers),
    )


async def check_chat(peers: list[MeetingPeer], tag: str = "hello") -> None:
    """Every peer sends one message to every other peer; each must arrive."""
    for a, b in _pairs(peers):
        a.send_chat(b.uid, f"{tag} from {a.label} to {b.label}")

    def done() -> bool:
        return all(
            f"{tag} from {a.label} to {b.label}" in b.messages_from(a.uid) for a, b in _pairs(peers)
        )

    await wait_for(
        done,
        timeout=CHAT_TIMEOUT,
        what=f"chat messages {tag!r} between every pair",
        describe=lambda: describe(peers) + "\nreceived: " + repr(_received(peers)),
    )


def _received(peers: list[MeetingPeer]) -> dict[str, dict[str, list[str]]]:
    return {b.label: {a.label: b.messages_from(a.uid) for a in peers if a is not b} for b in peers}


async def wait_media(peers: list[MeetingPeer], timeout: float = MEDIA_TIMEOUT) -> None:
    """Wait until every peer has received audio and video frames from every other peer."""
    await wait_for(
        lambda: all(b.receives_media_from(a.uid) for a, b in _pairs(peers)),
        timeout=timeout,
        what="audio and video frames on every connection",
        describe=lambda: describe(peers),
    )
