"""What a steady meeting costs (issue 16): billed operations per participant-hour.

``people`` aiortc peers (the web client's way of beating: each writes its own presence document,
docs/protocol.md `heartbeat`) meet in a full mesh; once every connection is up and the server
has finished what the set-up started, everything is counted for ``minutes`` real minutes, with
the functions' settings as deployed (functions/.env: a beat every HEARTBEAT_SECONDS): Firestore
reads, writes and deletes by the clients and by the functions (bench/firestore_counting.py),
and function invocations (the callables the clients call, one trigger run per signal written).
The scheduled jobs are not part of a meeting: their fixed cost per hour is reported apart.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.emulator.support.mesh import wait_full_mesh
from tests.emulator.support.peer import MeetingPeer

from . import connect
from .counting import OPS, ClientCounter, CountingPeer, add, functions_ops


async def measure(people: int, minutes: float) -> dict[str, Any]:
    counter = ClientCounter()
    group: list[MeetingPeer] = [
        CountingPeer(f"s{i}", ip=connect.next_ip(), counter=counter) for i in range(people)
    ]
    try:
        meeting_id = await connect.meeting_of(group, f"steady {people}")
        for peer in group:
            await peer.join(meeting_id)
        await wait_full_mesh(group, timeout=120.0)
        # All but the beats.
        await connect.count_from_quiet(counter.moving, quiet=3.0, timeout=60.0)
        counter.counts.clear()
        started = time.monotonic()
        await asyncio.sleep(minutes * 60)
        elapsed = time.monotonic() - started
        server, per_function = functions_ops()
        client = dict(counter.counts)
        connected = all(
            peer.connected_to(other.uid) for peer in group for other in group if other is not peer
        )
    finally:
        await connect.dispose(group)
    total = add(counter.ops(), server)
    ops = {op: total["signalling"][op] + total["cdr"][op] for op in OPS}
    ops["writes"] += client.get("beats", 0)  # each beat is one write (CountingPeer)
    invocations = client.get("invocations", 0) + client.get("signals", 0)
    billed = sum(ops.values()) + invocations
    hours = elapsed / 3600 * people
    return {
        "people": people,
        "seconds": round(elapsed, 1),
        "still_connected": connected,
        "beats": client.get("beats", 0),
        "ops": ops,
        "invocations": invocations,
        "by_function": per_function,
        "billed": billed,
        "ops_per_participant_hour": round(billed / hours, 2),
    }
