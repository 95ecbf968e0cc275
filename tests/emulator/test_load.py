"""Load: 50 signed-in users join 10 meetings (5 each) at the same moment, mesh, then all leave.

Everything is started at once (sign-ins, meeting creations, joins, leaves) so the server's
transactions and triggers race as they would when a class or a company all-hands starts on
the hour. Peers carry the chat data channel only (no media): the 200 peer connections then
cost the test process well under one core. What must hold under that load:

* each meeting's joins are serialised: of every pair, exactly one saw the other in its
  `join_meeting` result (so exactly one offers), and each meeting becomes a full mesh;
* the server's records are complete and consistent: 5 participant documents and 5 join records
  per meeting, one CDR leg per pair (10 per meeting, 100 in all, no twins), every leg's ends
  matching the participants, identities and join records of that meeting;
* after everyone leaves at once, every leg has ended with an end cause, no participant is
  joined, every join record is closed, and no signal document is left.

The users belong to an organisation that opted in to attendance archives, so every peer archives
its own attendance (docs/data-inventory.md, `archives`) during and after the meeting, all at once.

What it took (measured here): `join_meeting` used to admit in a Firestore transaction whose
roster query, in the emulator, conflicted with writes to any meeting's participants, so 43 of
the 50 joins failed with INTERNAL; joins are now serialised optimistically on the meeting
document. The functions emulator runs at most FUNCTIONS_EMULATOR_PARALLEL=10 invocations at once
(tools/emulators.py), its workers are started before the clock runs (support/warmup.py), and
the peers beat every 6 s: 50 peers at the suite's 2 s made the Firestore emulator time out locks.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from google.cloud import firestore

from .support.admin import Dump, group_dump
from .support.auth import sign_in_with_google
from .support.callables import USER_AGENT, CallableError
from .support.concurrency import gather_all
from .support.deadline import wait_for
from .support.factories import Peers
from .support.markers import timeout
from .support.peer import MeetingPeer
from .support.warmup import start_workers

MEETINGS = 10
PER_MEETING = 5
LEGS_PER_MEETING = PER_MEETING * (PER_MEETING - 1) // 2
ORG_ID = "loadco"
ORG = {
    "name": "Load Co",
    "domains": ["load.example"],
    "storage": {"attendance": True},
}

#: The peers' heartbeat here (the suite's functions say 2 s, for the killed-peer tests). The
#: scheduled sweep runs every minute during this test too, and closes out a participant silent
#: for the suite's heartbeat timeout (20 s, tools/emulators.py): a beat every 6 s leaves room
#: for two lost or late ones.
LOAD_HEARTBEAT_SECONDS = 6.0
#: How the peers beat here: through the `heartbeat` callable (docs/protocol.md: for clients
#: without Firestore), as this test's peers always did, so that it keeps measuring the server
#: under the same load. (While the burst of joins failed here, for a reason found later in the
#: join's batch, direct beats were ruled out by a run with this setting that failed the same
#: way; with the fix, only this setting has been run.)
LOAD_BEAT = "callable"
# Deadlines of the waits, generous for a 2-core machine running the emulators and all peers.
MESH_TIMEOUT = 240.0
RECORDS_TIMEOUT = 120.0
#: Idle functions workers started before the clock runs (see support/warmup.py): about the
#: most requests of each callable in flight at once in this test.
WORKERS = {
    "join_meeting": 50,
    "report_connection": 50,
    "heartbeat": 25,
    "leave_meeting": 50,
    "archive": 10,
}


class JoinsRefused(Exception):
    """Some of the simultaneous `join_meeting` calls failed (see the docstring's history)."""


pytestmark = [
    # Generous: the whole run takes about 100 s once joins succeed (conftest's default: 300 s).
    *timeout(900),
]


@dataclass
class Meeting:
    id: str
    peers: list[MeetingPeer]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def uids(self) -> set[str]:
        return {peer.uid for peer in self.peers}

    def by_uid(self, uid: str) -> MeetingPeer:
        return next(peer for peer in self.peers if peer.uid == uid)


@dataclass
class Server:
    """What the server stores, collection by collection (admin reads, one query each)."""

    meetings: Dump
    participants: Dump
    joins: Dump
    cdrs: Dump
    signals: Dump

    def participants_of(self, meeting_id: str) -> dict[str, dict[str, Any]]:
        prefix = f"meetings/{meeting_id}/participants/"
        return {p[len(prefix) :]: d for p, d in self.participants.items() if p.startswith(prefix)}

    def legs_of(self, meeting_id: str) -> dict[str, dict[str, Any]]:
        return {p: d for p, d in self.cdrs.items() if d.get("meetingId") == meeting_id}

    def joins_of(self, meeting_id: str) -> dict[str, dict[str, Any]]:
        return {p: d for p, d in self.joins.items() if d.get("meetingId") == meeting_id}

    def summary(self) -> str:
        legs: dict[str, int] = {}
        for leg in self.cdrs.values():
            key = f"{leg.get('state')}/{leg['caller'].get('status')}/{leg['callee'].get('status')}"
            legs[key] = legs.get(key, 0) + 1
        states: dict[str, int] = {}
        for doc in self.participants.values():
            states[str(doc.get("state"))] = states.get(str(doc.get("state")), 0) + 1
        return (
            f"meetings={len(self.meetings)} participants={states} joins={len(self.joins)} "
            f"legs={legs} signals={len(self.signals)}"
        )


async def read_server(admin: firestore.AsyncClient) -> Server:
    return Server(
        meetings=await group_dump(admin, "meetings"),
        participants=await group_dump(admin, "participants"),
        joins=await group_dump(admin, "joins"),
        cdrs=await group_dump(admin, "cdrs"),
        signals=await group_dump(admin, "signals"),
    )


class Phases:
    """Wall-clock time of each phase, logged and kept for the failure message."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.times[name] = time.monotonic() - start
            print(f"load phase {name}: {self.times[name]:.1f}s")  # shown by pytest -rP

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.times.items())


def pairs(meeting: Meeting) -> Iterator[tuple[MeetingPeer, MeetingPeer]]:
    return itertools.combinations(meeting.peers, 2)


def meshed(meeting: Meeting) -> bool:
    return all(
        a.connected_to(b.uid) and a.link(b.uid).remote_session == b.session
        for a, b in itertools.permutations(meeting.peers, 2)
    )


def describe_unmeshed(meetings: list[Meeting]) -> str:
    lines = []
    for meeting in meetings:
        if not meshed(meeting):
            lines.append(f"meeting {meeting.id}:")
            lines.extend(peer.describe() for peer in meeting.peers)
    return "\n".join(lines)


async def test_fifty_peers_join_ten_meetings_at_once(
    peers: Peers, admin: firestore.AsyncClient
) -> None:
    phases = Phases()
    with phases.phase("start workers"):
        await start_workers(WORKERS)
    await admin.collection("orgs").document(ORG_ID).set(ORG)
    tag = secrets.token_hex(3)
    labels = [f"m{m}p{i}" for m in range(MEETINGS) for i in range(PER_MEETING)]
    with phases.phase("sign in 50"):
        users = await gather_all(
            *(sign_in_with_google(label, f"{label}.{tag}@load.example") for label in labels)
        )
    group = [
        await peers(
            label,
            media=False,
            user=user,
            heartbeat_seconds=LOAD_HEARTBEAT_SECONDS,
            beat=LOAD_BEAT,
        )
        for label, user in zip(labels, users, strict=True)
    ]
    chunks = [group[m * PER_MEETING : (m + 1) * PER_MEETING] for m in range(MEETINGS)]
    with phases.phase("create 10"):
        ids = await gather_all(
            *(chunk[0].create_meeting(title=f"Load {m}") for m, chunk in enumerate(chunks))
        )
    meetings = [Meeting(id=i, peers=chunk) for i, chunk in zip(ids, chunks, strict=True)]

    # All 50 joins at once: within a meeting they race for the same documents.
    with phases.phase("join 50"):
        results = await join_all(meetings)
    for peer, result in zip((p for m in meetings for p in m.peers), results, strict=True):
        next(m for m in meetings if peer in m.peers).results[peer.uid] = result
    for meeting in meetings:
        check_join_results(meeting)

    with phases.phase("full mesh"):
        await wait_for(
            lambda: all(meshed(m) for m in meetings),
            timeout=MESH_TIMEOUT,
            interval=0.5,
            what=f"a full mesh in each of the {MEETINGS} meetings",
            describe=lambda: describe_unmeshed(meetings),
        )

    latest: list[Server] = []  # the last read, for the failure message

    async def poll_connected() -> Server | None:
        server = await read_server(admin)
        latest[:] = [server]
        done = (
            len(server.cdrs) == MEETINGS * LEGS_PER_MEETING
            and all(
                leg["state"] == "connected"
                and leg["caller"]["status"] == leg["callee"]["status"] == "connected"
                for leg in server.cdrs.values()
            )
            and not server.signals  # every signal was applied and deleted by its addressee
        )
        return server if done else None

    with phases.phase("records connected"):
        server = await wait_for(
            poll_connected,
            timeout=RECORDS_TIMEOUT,
            interval=1.0,
            what=f"{MEETINGS * LEGS_PER_MEETING} connected legs and no signal left",
            describe=lambda: latest[-1].summary() if latest else "no read yet",
        )
    assert server is not None and len(server.meetings) == MEETINGS
    for meeting in meetings:
        check_meeting_while_joined(server, meeting)

    with phases.phase("attendance while joined"):
        await archive_attendance(meetings)

    # Everyone leaves at once.
    with phases.phase("leave 50"):
        left = await gather_all(*(peer.leave() for peer in group))
    assert left == [{"left": True}] * len(group)

    async def poll_ended() -> Server | None:
        server = await read_server(admin)
        latest[:] = [server]
        done = (
            len(server.cdrs) == MEETINGS * LEGS_PER_MEETING
            and all(leg["state"] == "ended" for leg in server.cdrs.values())
            and all(doc["state"] == "left" for doc in server.participants.values())
            and all(doc["leftAt"] is not None for doc in server.joins.values())
            and not server.signals
        )
        return server if done else None

    with phases.phase("records ended"):
        server = await wait_for(
            poll_ended,
            timeout=RECORDS_TIMEOUT,
            interval=1.0,
            what="every leg ended, every participant left, every join closed, no signal",
            describe=lambda: latest[-1].summary() if latest else "no read yet",
        )
    assert server is not None
    for meeting in meetings:
        check_meeting_after_leaving(server, meeting)

    with phases.phase("attendance after"):
        await archive_attendance(meetings)
    await check_archives(admin, meetings, server)
    print(f"load test phases: {phases}")


async def archive_attendance(meetings: list[Meeting]) -> None:
    """Every peer archives its own attendance, all at once (one record per session: sent again
    after leaving, it is replaced)."""
    rolls = await gather_all(
        *(
            peer.call("archive", {"meetingId": m.id, "kind": "attendance"})
            for m in meetings
            for peer in m.peers
        )
    )
    assert [roll["items"] for roll in rolls] == [1] * (MEETINGS * PER_MEETING)


async def join_all(meetings: list[Meeting]) -> list[dict[str, Any]]:
    """Every peer joins its meeting, all at once; JoinsRefused if the server refused any."""
    group = [peer for meeting in meetings for peer in meeting.peers]
    outcomes = await asyncio.gather(
        *(peer.join(m.id) for m in meetings for peer in m.peers), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, CallableError)]
    others = [o for o in outcomes if isinstance(o, BaseException) and o not in refused]
    if others:
        raise others[0]
    if refused:
        # The heartbeats of those admitted meanwhile hit the same lock timeouts: they are
        # this failure, reported here rather than as the peers' background errors.
        lost, symptom = 0, "heartbeat failed: CallableError('INTERNAL"
        for peer in group:
            kept = [e for e in peer.errors if not e.startswith(symptom)]
            lost += len(peer.errors) - len(kept)
            peer.errors[:] = kept
        codes = Counter(error.status for error in refused)
        raise JoinsRefused(
            f"{len(refused)} of {len(group)} joins refused {dict(codes)}; "
            f"{lost} heartbeats failed meanwhile"
        )
    return [o for o in outcomes if isinstance(o, dict)]


def check_join_results(meeting: Meeting) -> None:
    """The joins of one meeting were serialised: a total order in which each saw those before."""
    seen = {
        uid: {(p["uid"], p["session"]) for p in result["participants"]}
        for uid, result in meeting.results.items()
    }
    for a, b in pairs(meeting):
        a_saw_b = (b.uid, b.session) in seen[a.uid]
        b_saw_a = (a.uid, a.session) in seen[b.uid]
        assert a_saw_b != b_saw_a, (
            f"{meeting.id}: exactly one of {a.label} and {b.label} must see the other "
            f"({a.label} saw {b.label}: {a_saw_b}, {b.label} saw {a.label}: {b_saw_a})"
        )
    assert sorted(len(s) for s in seen.values()) == list(range(PER_MEETING)), seen
    for uid, others in seen.items():
        assert {u for u, _ in others} <= meeting.uids - {uid}


def check_meeting_while_joined(server: Server, meeting: Meeting) -> None:
    doc = server.meetings[f"meetings/{meeting.id}"]
    participants = server.participants_of(meeting.id)
    assert set(participants) == meeting.uids, f"{meeting.id}: exactly its 5 users"
    assert doc["state"] == "open" and doc["orgId"] == ORG_ID and doc["hasPassword"] is False
    assert doc["createdBy"] == meeting.peers[0].uid
    # No count is stored: what must agree with the participants is the cap and the last join.
    assert len(participants) <= doc["maxParticipants"]
    assert doc["lastActivityAt"] == max(p["joinedAt"] for p in participants.values())

    for uid, part in participants.items():
        peer = meeting.by_uid(uid)
        assert peer.user is not None
        assert part["uid"] == uid and part["session"] == peer.session
        assert part["state"] == "joined" and part["leftAt"] is None
        assert part.get("endCause") is None
        assert part["displayName"] == peer.user.name
        assert "lastSeenAt" not in part  # liveness is on the presence document
        assert part["expiresAt"] > part["joinedAt"]

    joins = server.joins_of(meeting.id)
    assert set(joins) == {f"joins/{meeting.id}_{p.uid}_{p.session}" for p in meeting.peers}
    for join in joins.values():
        peer = meeting.by_uid(join["uid"])
        assert join["session"] == peer.session and join["ip"] == peer.ip
        assert join["userAgent"] == USER_AGENT
        assert join["joinedAt"] == participants[peer.uid]["joinedAt"]
        assert join["leftAt"] is None and join["endCause"] is None
        assert join["ipInfo"]["kind"] == "reserved"  # TEST-NET-3, never looked up

    legs = server.legs_of(meeting.id)
    assert len(legs) == LEGS_PER_MEETING
    pair_keys = [frozenset(leg["uids"]) for leg in legs.values()]
    assert len(set(pair_keys)) == LEGS_PER_MEETING, f"{meeting.id}: one leg per pair, no twin"
    assert set(pair_keys) == {frozenset((a.uid, b.uid)) for a, b in pairs(meeting)}
    for path, leg in legs.items():
        check_leg(path, leg, meeting, participants, joins)
        assert leg["state"] == "connected" and leg["endCause"] is None
        assert leg["startedAt"] <= leg["answeredAt"]


def check_leg(
    path: str,
    leg: dict[str, Any],
    meeting: Meeting,
    participants: dict[str, dict[str, Any]],
    joins: dict[str, dict[str, Any]],
) -> None:
    caller, callee = leg["caller"], leg["callee"]
    assert leg["legId"] == f"{meeting.id}_{caller['session']}_{callee['session']}"
    assert path == f"cdrs/{leg['legId']}"
    assert leg["uids"] == sorted([caller["uid"], callee["uid"]])
    assert leg["seq"] == 1 and leg["iceRestarts"] == 0
    # The caller is the side that offered: the later joiner, the one that saw the other.
    seen = meeting.results[caller["uid"]]["participants"]
    assert {"uid": callee["uid"], "session": callee["session"]} in [
        {"uid": p["uid"], "session": p["session"]} for p in seen
    ], f"{path}: the caller did not join after the callee"
    for end in (caller, callee):
        peer = meeting.by_uid(end["uid"])
        assert peer.user is not None
        assert end["session"] == participants[peer.uid]["session"] == peer.session
        assert (end["name"], end["email"]) == (peer.user.name, peer.user.email)
        assert end["provider"] == "google.com"
        join = joins[f"joins/{meeting.id}_{peer.uid}_{peer.session}"]
        assert (end["ip"], end["ipInfo"], end["userAgent"]) == (
            join["ip"],
            join["ipInfo"],
            join["userAgent"],
        )
        assert end["status"] == [t["status"] for t in end["timeline"]][-1]


def check_meeting_after_leaving(server: Server, meeting: Meeting) -> None:
    participants = server.participants_of(meeting.id)
    assert set(participants) == meeting.uids
    for uid, part in participants.items():
        assert part["state"] == "left" and part["endCause"] == "left"
        assert part["session"] == meeting.by_uid(uid).session
        assert part["leftAt"] >= part["joinedAt"]
    for join in server.joins_of(meeting.id).values():
        assert join["endCause"] == "left"
        assert join["leftAt"] == participants[join["uid"]]["leftAt"]
    legs = server.legs_of(meeting.id)
    assert len(legs) == LEGS_PER_MEETING
    for path, leg in legs.items():
        check_leg(path, leg, meeting, participants, server.joins_of(meeting.id))
        # Each side reported `closed` before leaving (protocol section 4.9): a hang-up.
        assert leg["endCause"] == "hangup", (path, leg["endCause"])
        assert leg["disposition"] == "ANSWERED"
        assert leg["answeredAt"] <= leg["endedAt"]
        assert leg["durationMs"] >= leg["connectedMs"] >= 0
    assert server.meetings[f"meetings/{meeting.id}"]["state"] == "open"


async def check_archives(
    admin: firestore.AsyncClient, meetings: list[Meeting], server: Server
) -> None:
    """One attendance record per peer, its own, as sent after leaving (it replaced the one
    sent while joined)."""
    archives = await group_dump(admin, "archives")
    assert len(archives) == MEETINGS * PER_MEETING
    for meeting in meetings:
        participants = server.participants_of(meeting.id)
        rolls = [a for a in archives.values() if a["meetingId"] == meeting.id]
        assert {roll["archivedBy"] for roll in rolls} == meeting.uids
        for roll in rolls:
            assert roll["kind"] == "attendance" and roll["orgId"] == ORG_ID
            (item,) = roll["items"]
            part = participants[roll["archivedBy"]]
            assert item["uid"] == roll["archivedBy"]
            assert item["displayName"] == part["displayName"]
            assert item["joinedAt"] == part["joinedAt"]
            assert part["leftAt"] is not None and item["leftAt"] == part["leftAt"]
