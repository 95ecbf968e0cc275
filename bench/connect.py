"""Join to connected, 1:1: our stack, the FirebaseRTC codelab flow, and the in-process floor.

All three use the same aiortc configuration: one "chat" data channel, no media, loopback host
candidates only (tests/emulator/support/network.py), max-bundle. The time runs from the second
peer's join call to the data channel being open on both sides.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiortc import (
    RTCBundlePolicy,
    RTCConfiguration,
    RTCDataChannel,
    RTCPeerConnection,
    RTCSessionDescription,
)
from google.cloud import firestore

from tests.emulator.support.admin import admin_client
from tests.emulator.support.config import PROJECT_ID
from tests.emulator.support.deadline import wait_for
from tests.emulator.support.network import install_loopback_only
from tests.emulator.support.peer import MeetingPeer
from tests.emulator.support.sdp import extract_candidates, strip_candidates, to_rtc_candidate
from tests.emulator.support.userstore import close_client

from .counting import ClientCounter, CountingPeer, count_file_size, empty_ops, reset_count_file

CONNECT_TIMEOUT = 30.0
POLL = 0.002
_ips = itertools.count(10)


def next_ip() -> str:
    return f"198.51.100.{next(_ips) % 250 + 1}"


def configuration() -> RTCConfiguration:
    install_loopback_only()
    return RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE)


async def settle(counter_sizes: Any, quiet: float = 1.5, timeout: float = 30.0) -> None:
    """Wait until the functions' count file (and ``counter_sizes()``) stop changing."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last = (count_file_size(), counter_sizes())
    since = loop.time()
    while loop.time() - since < quiet and loop.time() < deadline:
        await asyncio.sleep(0.1)
        now = (count_file_size(), counter_sizes())
        if now != last:
            last, since = now, loop.time()


async def count_from_quiet(
    counter_sizes: Any = lambda: 0, quiet: float = 1.5, timeout: float = 30.0
) -> None:
    """Start the functions' count afresh once they have gone quiet: the functions emulator may
    still be delivering an earlier part's triggers (signals of meetings already cleaned away,
    each deleted as invalid), which are not the next measurement's."""
    await settle(counter_sizes, quiet=quiet, timeout=timeout)
    reset_count_file()


# --- our stack ------------------------------------------------------------------------------------


@dataclass
class OursRun:
    ms: float
    client: ClientCounter
    peers: list[CountingPeer] = field(default_factory=list)


async def ours_once(counter: ClientCounter | None = None, *, offer_in_join: bool = True) -> OursRun:
    """Alice creates and joins; the time runs from Bob's join to both chat channels open.

    Bob follows docs/protocol.md section 4: his signals listener started in the lobby with his
    ``meeting_info`` (not timed), his offer made when he joins and sent with the join.
    ``offer_in_join=False``: the offer written after the join returns instead (the protocol
    before, and still valid), to measure what the offer in the join gains."""
    counter = counter or ClientCounter()
    alice = CountingPeer("alice", ip=next_ip(), counter=counter)
    bob = CountingPeer(
        "bob", ip=next_ip(), counter=counter, listen_first=True, offer_in_join=offer_in_join
    )
    try:
        await alice.sign_in()
        await bob.sign_in()
        meeting_id = await alice.create_meeting(title="bench")
        await alice.join(meeting_id)
        # Bob's lobby, before the click (not timed): how many are in, and his signals listener
        # started, as a lobby can (docs/protocol.md section 4, step 1).
        present = (await bob.enter_lobby(meeting_id))["present"]
        expect = (1 if present is None else int(present)) if offer_in_join else None
        started = time.perf_counter()
        await bob.join(meeting_id, expect=expect)
        await wait_for(
            lambda: alice.connected_to(bob.uid) and bob.connected_to(alice.uid),
            timeout=CONNECT_TIMEOUT,
            what="alice and bob connected",
            describe=lambda: alice.describe() + "\n" + bob.describe(),
            interval=POLL,
        )
        ms = (time.perf_counter() - started) * 1000
    except BaseException:
        for peer in (alice, bob):
            await peer.dispose()
        raise
    return OursRun(ms=ms, client=counter, peers=[alice, bob])


async def meeting_of(group: Sequence[MeetingPeer], title: str) -> str:
    """Sign every peer of ``group`` in; the first creates a meeting (nobody joins yet)."""
    for peer in group:
        await peer.sign_in()
    return await group[0].create_meeting(title=title)


async def dispose(peers: Sequence[MeetingPeer]) -> None:
    for peer in peers:
        await peer.dispose()


# --- the FirebaseRTC codelab flow -------------------------------------------------------------


class _Listener:
    """A snapshot listener whose changes are handed to the event loop (as the JS SDK's are)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[list[Any]] = asyncio.Queue()
        self.reads = 0
        self.live = asyncio.Event()  # set at the first snapshot: the listen is up on the server

    def __call__(self, docs: Any, changes: Any, read_time: Any) -> None:
        self.reads += max(1, len(changes)) if not docs else len(changes)
        items = [(c.type.name, c.document.to_dict() or {}) for c in changes]
        self.loop.call_soon_threadsafe(self.queue.put_nowait, items)
        self.loop.call_soon_threadsafe(self.live.set)


@dataclass
class CodelabSide:
    pc: RTCPeerConnection
    channel: RTCDataChannel | None = None
    queued: list[dict[str, Any]] = field(default_factory=list)
    remote_set: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.channel is not None and self.channel.readyState == "open"

    async def add_candidate(self, data: dict[str, Any]) -> None:
        if not self.remote_set:  # a browser would queue (or fail); we queue
            self.queued.append(data)
            return
        await self.pc.addIceCandidate(to_rtc_candidate(_entry(data)))

    async def remote_description(self, description: RTCSessionDescription) -> None:
        await self.pc.setRemoteDescription(description)
        self.remote_set = True
        queued, self.queued = self.queued, []
        for data in queued:
            await self.pc.addIceCandidate(to_rtc_candidate(_entry(data)))


def _describe(caller: CodelabSide, callee: CodelabSide, listeners: list[_Listener]) -> str:
    """What each side of a stalled codelab run has and lacks (for the timeout message)."""
    lines = []
    for name, side in (("caller", caller), ("callee", callee)):
        pc = side.pc
        lines.append(
            f"{name}: ice={pc.iceConnectionState} gathering={pc.iceGatheringState} "
            f"conn={pc.connectionState} remote_set={side.remote_set} queued={len(side.queued)} "
            f"channel={side.channel.readyState if side.channel else None} "
            f"tasks={[t.done() and (t.cancelled() or t.exception()) for t in side.tasks]}"
        )
    lines.append("listener reads: " + ", ".join(str(listener.reads) for listener in listeners))
    return "\n".join(lines)


def _entry(data: dict[str, Any]) -> Any:
    return {
        "candidate": str(data["candidate"]),
        "sdpMid": data.get("sdpMid"),
        "sdpMLineIndex": data.get("sdpMLineIndex"),
    }


async def _trickle(pc: RTCPeerConnection, candidates: Any) -> int:
    """One document per candidate, as the codelab's onicecandidate handler writes them
    (``collection.add(event.candidate.toJSON())``, not awaited one after the other)."""
    description = pc.localDescription
    entries = extract_candidates(description.sdp)
    await asyncio.gather(*(candidates.add(dict(entry)) for entry in entries))
    return len(entries)


def _local(pc: RTCPeerConnection) -> dict[str, str]:
    description = pc.localDescription
    return {"type": description.type, "sdp": strip_candidates(description.sdp)}


async def _pump(listener: _Listener, handle: Any) -> None:
    while True:
        for kind, data in await listener.queue.get():
            await handle(kind, data)


@dataclass
class CodelabRun:
    ms: float
    ops: dict[str, dict[str, int]]
    candidates: int


async def firebasertc_once() -> CodelabRun:
    """createRoom() by the caller, then joinRoomById() by the callee (timed), on the emulator.

    Firestore as the codelab uses it: no rules of its own (the admin client), a `rooms`
    document with `offer` and `answer`, and a document per candidate in `callerCandidates` /
    `calleeCandidates`, all followed with snapshot listeners.
    """
    loop = asyncio.get_running_loop()
    store = admin_client()
    listen = firestore.Client(project=PROJECT_ID)
    writes = reads = 0
    watches: list[Any] = []
    caller = CodelabSide(RTCPeerConnection(configuration()))
    callee = CodelabSide(RTCPeerConnection(configuration()))
    try:
        # --- createRoom()
        room = store.collection("rooms").document()
        caller.channel = caller.pc.createDataChannel("chat")
        await caller.pc.setLocalDescription(await caller.pc.createOffer())
        await room.set({"offer": _local(caller.pc)})
        writes += 1
        sent = await _trickle(caller.pc, room.collection("callerCandidates"))
        writes += sent
        room_listener, callee_cands = _Listener(loop), _Listener(loop)
        listen_room = listen.collection("rooms").document(room.id)
        watches.append(listen_room.on_snapshot(room_listener))
        watches.append(listen_room.collection("calleeCandidates").on_snapshot(callee_cands))

        async def on_room(kind: str, data: dict[str, Any]) -> None:
            if not caller.remote_set and data.get("answer"):
                answer = data["answer"]
                await caller.remote_description(
                    RTCSessionDescription(sdp=answer["sdp"], type=answer["type"])
                )

        async def on_callee_candidate(kind: str, data: dict[str, Any]) -> None:
            if kind == "ADDED":
                await caller.add_candidate(data)

        caller.tasks += [
            asyncio.ensure_future(_pump(room_listener, on_room)),
            asyncio.ensure_future(_pump(callee_cands, on_callee_candidate)),
        ]

        # In the codelab the callee arrives long after createRoom(), when the caller's listeners
        # are live; wait for that here too. The Firestore emulator can lose changes written
        # while a listen is being set up (docs/protocol.md section 4, step 2): an answer
        # written 1 ms after the listener started was missed about once in 40 runs.
        await wait_for(
            lambda: room_listener.live.is_set() and callee_cands.live.is_set(),
            timeout=CONNECT_TIMEOUT,
            what="the caller's listeners live",
            interval=POLL,
        )

        # --- joinRoomById() by the callee: the timed part
        started = time.perf_counter()

        @callee.pc.on("datachannel")
        def on_datachannel(channel: RTCDataChannel) -> None:
            callee.channel = channel

        snapshot = await room.get()
        reads += 1
        offer = (snapshot.to_dict() or {})["offer"]
        await callee.remote_description(RTCSessionDescription(sdp=offer["sdp"], type="offer"))
        await callee.pc.setLocalDescription(await callee.pc.createAnswer())
        await room.update({"answer": _local(callee.pc)})
        writes += 1
        sent_back = await _trickle(callee.pc, room.collection("calleeCandidates"))
        writes += sent_back
        caller_cands = _Listener(loop)
        watches.append(listen_room.collection("callerCandidates").on_snapshot(caller_cands))

        async def on_caller_candidate(kind: str, data: dict[str, Any]) -> None:
            if kind == "ADDED":
                await callee.add_candidate(data)

        callee.tasks.append(asyncio.ensure_future(_pump(caller_cands, on_caller_candidate)))
        await wait_for(
            lambda: caller.open and callee.open,
            timeout=CONNECT_TIMEOUT,
            what="the codelab peers connected",
            describe=lambda: _describe(caller, callee, [room_listener, callee_cands, caller_cands]),
            interval=POLL,
        )
        ms = (time.perf_counter() - started) * 1000
        await settle(lambda: (room_listener.reads, callee_cands.reads, caller_cands.reads))
        reads += room_listener.reads + callee_cands.reads + caller_cands.reads
        ops = empty_ops()
        ops["signalling"].update(writes=writes, reads=reads, deletes=0)
        return CodelabRun(ms=ms, ops=ops, candidates=sent + sent_back)
    finally:
        for watch in watches:
            await asyncio.to_thread(watch.unsubscribe)
        for side in (caller, callee):
            for task in side.tasks:
                task.cancel()
            await asyncio.gather(*side.tasks, return_exceptions=True)
            await side.pc.close()
        await close_client(store)
        listen.close()


# --- the in-process floor ---------------------------------------------------------------------


async def floor_once() -> float:
    """Two peer connections handed each other's descriptions directly (no signalling server)."""
    a = RTCPeerConnection(configuration())
    b = RTCPeerConnection(configuration())
    opened: dict[str, RTCDataChannel] = {}
    try:
        started = time.perf_counter()
        opened["a"] = a.createDataChannel("chat")

        @b.on("datachannel")
        def on_datachannel(channel: RTCDataChannel) -> None:
            opened["b"] = channel

        await a.setLocalDescription(await a.createOffer())
        await b.setRemoteDescription(a.localDescription)
        await b.setLocalDescription(await b.createAnswer())
        await a.setRemoteDescription(b.localDescription)
        await wait_for(
            lambda: all(k in opened and opened[k].readyState == "open" for k in ("a", "b")),
            timeout=CONNECT_TIMEOUT,
            what="the in-process peers connected",
            interval=POLL,
        )
        return (time.perf_counter() - started) * 1000
    finally:
        await a.close()
        await b.close()
