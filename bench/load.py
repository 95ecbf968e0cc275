"""The capacity model's per-event counts, measured (issue 20): a scaled-down day on the emulators.

``simulate(meetings, size)`` runs many meetings at once with signalling-only aiortc peers (one
data channel, no media), phase by phase, and counts the Firestore operations of each phase: the
functions' through bench/firestore_counting.py (``nox -s bench`` loads it into the functions
emulator's workers), the clients' in the client (signal writes and deletes, and the documents
each listener delivers, participants and signals apart). From the counts and the number of
events of each phase it derives an ``EventCounts`` (bench/capacity.py) to set beside the model's.

Phases, in order: an empty purge and an empty sweep (their fixed cost per run); every meeting
created and joined at once, each a full mesh (joins and connections); heartbeat rounds (each
beat more than half an interval after the last, so each writes); half the meetings leave, the
other half's peers vanish and are closed out by the sweep; then every record is made due and
the purge deletes it. The scheduled functions are run through the emulator's trigger route as
Cloud Scheduler would (tools/local_scheduler.py), so they are counted like the callables.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from avmeets import meetings as meeting_rules
from tests.emulator.support.admin import admin_client, clean_all
from tests.emulator.support.callables import CallableError
from tests.emulator.support.config import PROJECT_ID, functions_host
from tests.emulator.support.mesh import wait_full_mesh
from tests.emulator.support.peer import MeetingPeer
from tests.emulator.support.warmup import start_workers
from tools import local_scheduler

from . import capacity, connect
from .capacity import EventCounts, Ops
from .counting import ClientCounter, CountingPeer, count_file, reset_count_file

#: Peers beat far less often than the phases last: heartbeats are sent by the simulation.
NO_AUTO_BEATS = 3600.0
#: The rules accept a beat once half of HEARTBEAT_SECONDS passed: beats are spaced that much
#: and this margin more.
BEAT_MARGIN_S = 0.5
#: Collections whose documents the purge deletes at ``expiresAt`` (made due before it runs).
DUE_COLLECTIONS = (
    "cdrs",
    "joins",
    "identities",
    "join_attempts",
    "meeting_attempts",
    "quotas",
    "meeting_secrets",
    "archives",
    "meetings",
)


class LoadPeer(CountingPeer):
    """A counting peer whose listener reads are kept apart: participants and signals."""

    def __init__(self, label: str, *, ip: str, counter: ClientCounter, beats: bool) -> None:
        super().__init__(label, ip=ip, counter=counter)
        self.heartbeat_seconds = None if beats else NO_AUTO_BEATS

    def _on_participants_snapshot(self, docs: Any, changes: Any, read_time: Any) -> None:
        self.counter.counts["participant_reads"] += (
            max(1, len(changes)) if not docs else len(changes)
        )
        # MeetingPeer's, not CountingPeer's: that one counts them as "reads" too.
        MeetingPeer._on_participants_snapshot(self, docs, changes, read_time)


def _log(message: str) -> None:
    print(f"bench > load: {message}", flush=True)


def functions_counts() -> dict[str, Ops]:
    """What each function counted since the last reset (sign-ins apart)."""
    out: dict[str, Ops] = {}
    path = count_file()
    if path is None or not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        ops = out.get(record["fn"], Ops())
        for op, _collection, n in record["counts"]:
            ops = ops + Ops(**{f"{op}s": float(n)})
        out[record["fn"]] = ops
    return out


def functions_writes_by_collection() -> dict[str, int]:
    """Writes and deletes by function and collection since the last reset (the breakdown)."""
    out: Counter[str] = Counter()
    path = count_file()
    if path is None or not path.exists():
        return {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            for op, collection, n in record["counts"]:
                out[f"{record['fn']}:{collection}:{op}"] += int(n)
    return dict(sorted(out.items()))


def run_scheduled(name: str) -> None:
    """Run scheduled function ``name`` once through the emulator's trigger route, as Cloud
    Scheduler does, and wait for it to finish."""
    base = f"http://{functions_host()}"
    with urllib.request.urlopen(f"{base}/backends", timeout=10) as answer:
        listing = json.load(answer)
    [function] = [f for f in local_scheduler.scheduled_functions(listing) if f.name == name]
    key = local_scheduler.trigger_key(function.id)
    headers = local_scheduler.scheduler_headers(function, datetime.now(UTC))
    for _attempt in range(2):
        url = f"{base}/functions/projects/{PROJECT_ID}/triggers/{key}"
        request = urllib.request.Request(url, data=b"", method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=function.timeout_seconds + 30) as r:
                r.read()
            return
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
            key = local_scheduler.trigger_key(function.id, error.read().decode("utf-8", "replace"))
    raise RuntimeError(f"could not run {name}")


#: Attempts of a call answered UNAVAILABLE (retryable, docs/protocol.md), and the pause between.
RETRIES = 4
RETRY_PAUSE_S = 1.0


async def _retrying(call: Callable[[], Awaitable[Any]]) -> Any:
    """``call()``, repeated while the answer is UNAVAILABLE (the emulator on 2 busy cores)."""
    for attempt in range(RETRIES):
        try:
            return await call()
        except CallableError as error:
            if error.status != "UNAVAILABLE" or attempt + 1 == RETRIES:
                raise
            _log(f"repeating a call answered UNAVAILABLE: {error}")
            await asyncio.sleep(RETRY_PAUSE_S * (attempt + 1))
    raise AssertionError("unreachable")


async def _settle(counter: ClientCounter) -> None:
    await connect.settle(counter.moving, quiet=2.0, timeout=60.0)


@dataclass
class Phase:
    functions: dict[str, Ops]
    client: Counter[str]
    breakdown: dict[str, int]

    def fn(self, *names: str) -> Ops:
        return capacity._sum(self.functions.get(n, Ops()) for n in names)

    def others(self, *names: str) -> dict[str, dict[str, float]]:
        return {k: v.rounded(1) for k, v in self.functions.items() if k not in names}


async def _phase(counter: ClientCounter, work: Any) -> Phase:
    counter.counts.clear()
    reset_count_file()
    await work()
    await _settle(counter)
    return Phase(functions_counts(), Counter(counter.counts), functions_writes_by_collection())


async def _age(admin: firestore.AsyncClient, field: str, when: datetime, *groups: str) -> int:
    """Set ``field`` to ``when`` on every document of the collection groups (admin, uncounted)."""
    n = 0
    for group in groups:
        batch = admin.batch()
        pending = 0
        async for snap in admin.collection_group(group).select([]).stream():
            batch.update(snap.reference, {field: when})
            pending += 1
            n += 1
            if pending == 400:
                await batch.commit()
                batch, pending = admin.batch(), 0
        if pending:
            await batch.commit()
    return n


async def simulate(meetings: int = 5, size: int = 4, beat_rounds: int = 3) -> dict[str, Any]:
    """Run the scaled-down day; return the measured EventCounts, the scenario and the phases."""
    started = time.perf_counter()
    await clean_all()
    await start_workers(
        {
            "join_meeting": min(10, meetings * size),
            "heartbeat": min(10, meetings * size),
            "report_connection": 10,
            "leave_meeting": 10,
        }
    )
    counter = ClientCounter()
    # Without counting (the test stack, whose heartbeat timeout is short) the peers beat on
    # their own so that no sweep closes them out midway; the counts mean nothing there.
    counting = count_file() is not None
    groups: list[list[MeetingPeer]] = [
        [
            LoadPeer(f"m{m}p{i}", ip=connect.next_ip(), counter=counter, beats=not counting)
            for i in range(size)
        ]
        for m in range(meetings)
    ]
    peers = [p for group in groups for p in group]
    admin = admin_client()
    try:
        await asyncio.gather(*(p.sign_in() for p in peers))
        empty_purge = await _phase(counter, lambda: asyncio.to_thread(run_scheduled, "purge"))
        empty_sweep = await _phase(counter, lambda: asyncio.to_thread(run_scheduled, "sweep"))

        ids: list[str] = []

        async def join_all() -> None:
            ids.extend(
                await asyncio.gather(
                    *(g[0].create_meeting(title=f"load {m}") for m, g in enumerate(groups))
                )
            )

            # Meetings at once; within one, people a moment apart, as they arrive (all at the
            # same instant, the serialising write's lost races would be counted as joins' cost).
            async def arrive(m: int, group: list[MeetingPeer]) -> None:
                for peer in group:
                    await _retrying(functools.partial(peer.join, ids[m]))

            await asyncio.gather(*(arrive(m, g) for m, g in enumerate(groups)))
            await asyncio.gather(*(wait_full_mesh(g, timeout=180.0) for g in groups))
            # The `connected` reports go after the state change, in the background: counted in
            # this phase, not in the next one's. A report the signal triggers have not caught up
            # with is repeated with a doubling back-off (a minute in all: REPORT_ATTEMPTS), and
            # the functions emulator's triggers queue behind its workers' cold starts (a busy
            # worker makes it start another): a full run once waited longer than 30 s here.
            await asyncio.gather(*(p.reports_sent(timeout=180.0) for p in peers))

        joined = await _phase(counter, join_all)
        reports = sum(len(p.reports) for p in peers)
        _log(f"{meetings} meetings of {size} joined and meshed")

        async def beat() -> None:
            # More than half an interval apart, so that every beat writes.
            interval = float(peers[0].join_results[-1].get("heartbeatSeconds") or 20)
            for _round in range(beat_rounds):
                await asyncio.sleep(interval / 2 + BEAT_MARGIN_S)
                await asyncio.gather(*(_retrying(p._write_presence) for p in peers))

        beats = await _phase(counter, beat)
        leaving = groups[: (meetings + 1) // 2]
        vanishing = groups[(meetings + 1) // 2 :]

        async def leave_all() -> None:
            # One after another within a meeting (the others still listening), meetings at once.
            async def depart(group: list[MeetingPeer]) -> None:
                for peer in group:
                    await _retrying(peer.leave)

            await asyncio.gather(*(depart(g) for g in leaving))

        left = await _phase(counter, leave_all)
        for g in vanishing:
            await asyncio.gather(*(p.close() for p in g))
        await connect.settle(counter.moving, quiet=2.0)
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        # The vanished peers' last beats, long ago (the sweep reads the presence documents).
        aged = await _age(admin, "lastSeenAt", long_ago, "presence")
        swept = await _phase(counter, lambda: asyncio.to_thread(run_scheduled, "sweep"))
        still = [
            p.uid
            for g in vanishing
            for p in g
            if (await admin.document(f"meetings/{p.meeting_id}/participants/{p.uid}").get()).get(
                "state"
            )
            != "left"
        ]
        if still:  # the sweep phase would have measured nothing
            raise RuntimeError(f"the sweep left {len(still)} vanished of {aged} aged joined")
        _log("leaves and sweep done")
        await _age(admin, "expiresAt", long_ago, *DUE_COLLECTIONS, "participants")
        purged = await _phase(counter, lambda: asyncio.to_thread(run_scheduled, "purge"))
        _log("purge done")
        errors = [e for p in peers for e in p.errors]
    finally:
        for p in peers:
            await p.dispose()
        admin.close()

    joins = meetings * size
    connections = meetings * size * (size - 1) // 2
    heartbeats = beat_rounds * len(peers)
    n_leaves = sum(len(g) for g in leaving)
    n_swept = sum(len(g) for g in vanishing)
    shard_groups = meeting_rules.sweep_shard_groups()
    busy_groups = {
        n
        for g in vanishing
        for p in g
        for n, group in enumerate(shard_groups)
        if meeting_rules.sweep_shard(p.uid) in group
    }
    purge_fixed = empty_purge.fn("purge")
    purge_ops = purged.fn("purge") + purge_fixed.times(-1)
    deleted = purged.fn("purge").deletes
    client_signalling = Ops(
        reads=joined.client["reads"],  # signals listeners (participants counted apart)
        writes=joined.client["writes"],
        deletes=joined.client["deletes"],
    )
    measured = EventCounts(
        create_meeting=joined.fn("create_meeting").times(1 / meetings),
        join=joined.fn("join_meeting").times(1 / joins),
        join_fanout=joined.client["participant_reads"] / (joins * size),
        connection=(joined.fn("on_signal", "report_connection") + client_signalling).times(
            1 / connections
        ),
        heartbeat=(beats.fn("heartbeat") + Ops(writes=beats.client["beats"])).times(1 / heartbeats),
        heartbeat_fanout=beats.client["participant_reads"] / (heartbeats * size),
        leave=(
            left.fn("leave_meeting", "report_connection", "on_signal")
            + Ops(
                reads=left.client["reads"],
                writes=left.client["writes"],
                deletes=left.client["deletes"],
            )
        ).times(1 / n_leaves),
        leave_fanout=left.client["participant_reads"] / (n_leaves * (size - 1) / 2),
        # The sweep's run asks every group of shards; a group that holds a silent participant
        # bills its documents instead of the one read of an empty answer.
        swept=(swept.fn("sweep") + Ops(reads=-(len(shard_groups) - len(busy_groups)))).times(
            1 / n_swept
        ),
        sweep_run=empty_sweep.fn("sweep"),
        purge_run=purge_fixed,
        purge_record=purge_ops.times(1 / deleted) if deleted else Ops(),
        purge_records_per_join=deleted / joins,
        signals_per_connection=joined.client["writes"] / connections,
        reports_per_connection=reports / connections,
    )
    scenario = {
        "size": float(size),
        "meetings": float(meetings),
        "joins": float(joins),
        "connections": float(connections),
        "heartbeats": float(heartbeats),
        "leaves": float(n_leaves),
        "swept": float(n_swept),
        "swept_seen": 0.0,
        "sweep_runs": 2.0 - len(busy_groups) / len(shard_groups),
        "purge_runs": 2.0,
        "purged": float(deleted),
    }
    phases = {"empty purge": empty_purge, "empty sweep": empty_sweep, "join and connect": joined,
              "heartbeats": beats, "leave": left, "sweep": swept, "purge": purged}  # fmt: skip
    counted = capacity._sum(
        capacity._sum(p.functions.values()) for name, p in phases.items() if name != "empty sweep"
    ) + empty_sweep.fn("sweep")
    client = capacity._sum(
        Ops(
            reads=p.client["reads"] + p.client["participant_reads"],
            writes=p.client["writes"],
            deletes=p.client["deletes"],
        )
        for p in phases.values()
    )
    return {
        "measured": measured,
        "scenario": scenario,
        "measured_total": counted + client,
        "unattributed": {name: p.others(*_ATTRIBUTED[name]) for name, p in phases.items()},
        "breakdown": {name: p.breakdown for name, p in phases.items()},
        "errors": errors,
        "seconds": time.perf_counter() - started,
        "peers": len(peers),
    }


#: The functions each phase's events are made of (anything else counted is listed apart).
_ATTRIBUTED: dict[str, tuple[str, ...]] = {
    "empty purge": ("purge",),
    "empty sweep": ("sweep",),
    "join and connect": ("create_meeting", "join_meeting", "on_signal", "report_connection"),
    "heartbeats": ("heartbeat",),
    "leave": ("leave_meeting", "report_connection", "on_signal"),
    "sweep": ("sweep",),
    "purge": ("purge",),
}
