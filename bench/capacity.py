"""Capacity and cost at internet scale (issue 20): a pure model, plain data in, a table out.

``model(events, workload, prices, limits)`` takes the billed Firestore operations of each event
(what ``bench/load.py`` measures on the emulators, or ``CODE_READ``: the same counts read from
the code), the published prices and limits, and a workload (participants a day and the stated
assumptions: meeting size and length, rejoins, relayed share, peak factor), and returns for that
workload: reads, writes and deletes a day and at the peak second, function invocations and
compute, storage, TURN egress, the cost a day and per participant-hour, every limit with the
load it is at and the participants a day at which it is reached, and the first one reached.

Everything is linear in participants a day except the tiered egress price, so a limit at load
``u`` (1.0 = at the limit) is reached at ``participants / u`` a day. Nothing here reads a file,
the clock or Firestore: bench/run.py gathers the inputs, docs/capacity.md explains them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Final

SECONDS_PER_DAY: Final = 86_400
#: The scales the issue asks about: participants a day.
SCALES: Final = (1_000, 100_000, 10_000_000)
#: How far a measured count may be from the model's before the model is called wrong.
AGREEMENT_TOLERANCE: Final = 0.10
GIB: Final = 2**30


@dataclass(frozen=True)
class Ops:
    """Billed Firestore operations (reads as billed: a query matching nothing costs 1)."""

    reads: float = 0.0
    writes: float = 0.0
    deletes: float = 0.0

    def __add__(self, other: Ops) -> Ops:
        return Ops(
            self.reads + other.reads, self.writes + other.writes, self.deletes + other.deletes
        )

    def times(self, k: float) -> Ops:
        return Ops(self.reads * k, self.writes * k, self.deletes * k)

    @property
    def total(self) -> float:
        return self.reads + self.writes + self.deletes

    def rounded(self, digits: int = 2) -> dict[str, float]:
        return {k: round(v, digits) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class EventCounts:
    """Billed Firestore operations per event.

    ``*_fanout`` are the reads one event causes in each participants listener of its meeting
    (a participant document that changes is delivered to every listener on the collection): a
    meeting of n people pays ``n * fanout`` reads for it.
    """

    #: One create_meeting.
    create_meeting: Ops
    #: One join_meeting: the callable's reads and writes.
    join: Ops
    join_fanout: float
    #: One peer connection (CDR leg) from offer to both connected: the clients' signal writes,
    #: deletes and listener reads, the signal trigger and the reports.
    connection: Ops
    #: One heartbeat that writes ``lastSeenAt`` (a client beats every HEARTBEAT_SECONDS and the
    #: server writes when half of that has passed, so every beat writes).
    heartbeat: Ops
    heartbeat_fanout: float
    #: One leave_meeting, with the reports and signal deletes of the connections it ends.
    leave: Ops
    #: Reads per listener still in the meeting; people leave one by one, so a leave is seen by
    #: (n-1)/2 listeners on average.
    leave_fanout: float
    #: One silent participant closed out by the sweep.
    swept: Ops
    #: One run of the sweep that finds nobody silent.
    sweep_run: Ops
    #: One run of the purge that finds nothing due (each step's query, the cap's count).
    purge_run: Ops
    #: One document deleted by the purge (found by a names-only query, deleted in a batch).
    purge_record: Ops
    #: Documents the purge deletes per join (join record, participant, CDR legs, meeting, ...).
    purge_records_per_join: float
    #: Signal documents written per connection (offer, answer, candidate batches).
    signals_per_connection: float
    #: Reports (report_connection calls) per connection, both sides, leave excluded.
    reports_per_connection: float

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            out[key] = (
                {k: round(v, 3) for k, v in value.items()} if isinstance(value, dict) else value
            )
        return out

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> EventCounts:
        kwargs: dict[str, Any] = {}
        for name in EventCounts.__dataclass_fields__:
            value = data[name]
            kwargs[name] = Ops(**value) if isinstance(value, Mapping) else float(value)
        return EventCounts(**kwargs)


#: Reads firestore.rules makes (get()/exists() of distinct documents): per signal created, and
#: per join (the participants and signals listeners started, the meeting read).
RULES_READS_PER_SIGNAL: Final = 2.0
RULES_READS_PER_JOIN: Final = 3.0

#: The counts read from the code (functions/avmeets, firestore.rules, the clients), event by
#: event, for the default meeting of 4; ``bench/load.py`` measures the same events and the report
#: shows how far apart they are. The first simulation (2026-12-02) found what the first reading
#: had left out: the quota counters of issue 10 (read and incremented by create, join, every
#: signal and leave), the organisation policy's lookup on a cold per-instance cache, the legs'
#: reads by reports and the trigger, and the quota documents the purge then deletes. Each
#: number below says where it comes from.
CODE_READ: Final = EventCounts(
    # The policy's organisation lookup (1), the account's day counter of meetings (holding the
    # minute's count too) read and incremented (1 + 1), the meeting created (1; its password
    # hash too when it has one).
    create_meeting=Ops(reads=2, writes=2),
    # Reads, in one round trip (store.meetings.join_reads): the meeting, the caller's
    # participant and knock, two quota counters (probes, the account's joins); then the
    # roster (the people already there: 1.75 on average as four arrive one by one, a query
    # that finds nobody costing 1) and the organisation on a cold policy cache (a
    # quarter of the calls in the simulation; fewer on long-lived production instances).
    # Writes: presence, participant, join record, meeting (the serialising write, which also
    # counts the meeting's joins of the hour) and one quota counter (the account's day document
    # with the minute's count in it).
    join=Ops(reads=7, writes=5),
    # The new participant document reaches every listener once it is written ("joined").
    join_fanout=1.0,
    # Clients: offer and answer written (2), delivered (2) and deleted (2). The trigger, once a
    # signal: the signal, both participants, both join records and identities, the meeting, the open
    # legs and, for the offer, the pair's and the meeting's leg counts (aggregations), and once the
    # leg is made both participants and the callee's join record again (~11 reads:
    # services.connections._settle), the leg created, then moved on by the answer (its ICE
    # credentials and the callee's `connecting`) (2 writes), the offer's sender's signal counter (1
    # write; the callee's first answer is paid for by the offer and counted nowhere) and the
    # account's leg counter (1); the answer's update starts from the leg its lookup read (no second
    # read). Two reports (each side's connected; the first `connecting` is the trigger's to record,
    # clients do not send it): each reads the reporter's participant and looks the leg up (~5.8,
    # with the repeats of a report that came before the leg), and writes the leg from that read.
    connection=Ops(reads=35.6, writes=8, deletes=2),
    # a beat: the client's own write of its presence document's lastSeenAt (no invocation, no
    # read: the rules use no get()); no listener receives it (issue 16).
    heartbeat=Ops(reads=0, writes=1),
    heartbeat_fanout=0.0,
    # leave_meeting: the meeting, the participant, the open legs (a query), the pending signals
    # to and from it (two queries), two quota counters, the organisation on a cold cache (~7.8
    # reads; each open leg is ended from the query's read); the participant and the join
    # record written. The client's `closed` report for each of its n-1 connections: the
    # reporter, its open legs and the leg read (~3.3 each), the leg ended (1 write each). The
    # presence document is deleted in the leave's batch (1).
    leave=Ops(reads=19.6, writes=5, deletes=1),
    # The other participants still there see the change: (n-1)/2 listeners on average as people
    # leave one by one (the model multiplies this by (n-1)/2).
    leave_fanout=1.0,
    # The sweep (services.presence._close_silent): its query delivers the presence document (1),
    # the close-out reads the meeting (1: did it end?) and the participant (1), the open legs (a
    # query delivering n-1 = 3, each leg ended from its read) and the pending signals (two
    # queries matching nothing: 2): 8 for one person gone silent. When a whole meeting goes
    # silent, as in the simulation, its people are closed out side by side (SWEEP_WORKERS), so
    # each leg's two ends are written at once and one of the two loses its race and reads the
    # leg again: (n-1)/2 = 1.5 more each (counted here, an upper bound for one person alone).
    # The participant, the join record and each of its n-1 legs written, and its presence
    # document deleted (1).
    swept=Ops(reads=9.5, writes=5, deletes=1),
    # One query a group of 30 sweep shards (avmeets.meetings.SWEEP_SHARDS = 150) and the lobby's
    # query of stale knocks (services/lobby.sweep), each matching nothing: one read each.
    sweep_run=Ops(reads=6),
    # Each step's query matching nothing (one read each: the 11 collections of
    # avmeets.purge.plan.EXPIRING, 3 meeting queries, 2 orphan queries), the cap's count of the
    # legs (an aggregation: one read) and the usage roll-up's queries of the day's join records
    # and legs before the purge deletes any (avmeets.purge.rollup: 2).
    purge_run=Ops(reads=19),
    # A names-only query delivers each document (one read), a batch deletes it.
    purge_record=Ops(reads=1, deletes=1),
    # Per join (one join a participant a day): the join record, the participant, the identity
    # of the sign-in, the legs ((n-1)/2 = 1.5), the meeting and its password-less secret record
    # (1/n each: 0.5) and the quota counters of that day (the account's joins and legs of the
    # day, its signals' minutes, the meeting's creation: 3; a meeting's joins and legs need no
    # counter).
    purge_records_per_join=8.0,
    signals_per_connection=2.0,
    reports_per_connection=2.0,
)


@dataclass(frozen=True)
class Workload:
    """What a day of use looks like: the model's stated assumptions."""

    participants_per_day: int
    #: People per meeting (full mesh: n(n-1)/2 connections).
    meeting_size: float = 4.0
    #: Minutes a participant stays.
    meeting_minutes: float = 45.0
    #: Extra joins per participant (a reload, a network change): each is a new session with
    #: new connections to everyone present.
    rejoin_rate: float = 0.1
    #: Connections relayed through TURN (both sides behind symmetric NAT or UDP-blocking
    #: firewalls; published WebRTC figures are 10-20 %).
    relayed_share: float = 0.15
    #: Media bitrate of one direction of one connection (mesh: every sender encodes per peer).
    bitrate_mbps: float = 1.0
    #: The busiest second's rate divided by the day's mean rate (working hours of one region,
    #: meetings starting on the hour).
    peak_factor: float = 4.0
    #: Participants whose client vanished (closed by the sweep instead of leave_meeting).
    silent_share: float = 0.1
    #: Distinct accounts signing in a day, per participant.
    sign_ins_per_participant: float = 1.0
    heartbeat_seconds: float = 300.0
    retention_days: float = 7.0

    @property
    def meetings(self) -> float:
        return self.participants_per_day / self.meeting_size

    @property
    def joins(self) -> float:
        return self.participants_per_day * (1 + self.rejoin_rate)

    @property
    def connections(self) -> float:
        n = self.meeting_size
        per_meeting = n * (n - 1) / 2
        return self.meetings * per_meeting + self.participants_per_day * self.rejoin_rate * (n - 1)

    @property
    def participant_hours(self) -> float:
        return self.participants_per_day * self.meeting_minutes / 60

    @property
    def heartbeats(self) -> float:
        return self.participant_hours * 3600 / self.heartbeat_seconds

    @property
    def peak_concurrent(self) -> float:
        return self.participant_hours / 24 * self.peak_factor


@dataclass(frozen=True)
class Prices:
    """List prices in USD (docs/capacity.md, "Prices", has the sources and the date)."""

    read_per_100k: float = 0.06
    write_per_100k: float = 0.18
    delete_per_100k: float = 0.02
    storage_gib_month: float = 0.18
    invocation_per_million: float = 0.40
    vcpu_second: float = 0.000024
    gib_second: float = 0.0000025
    #: Internet egress of the TURN relay's VM (premium tier, worldwide but China and
    #: Australia): (GiB a month up to which, USD per GiB), the last tier open-ended.
    egress_tiers: tuple[tuple[float, float], ...] = ((1024.0, 0.12), (10240.0, 0.11), (0.0, 0.08))
    source: str = (
        "firebase.google.com/docs/firestore/pricing (nam5 multi-region), "
        "cloud.google.com/run/pricing (tier 1, request-based), "
        "cloud.google.com/vpc/network-pricing (premium tier internet egress)"
    )
    as_of: str = "2026-12-02 (list prices as published; the stored copies carry no region table)"

    def egress_cost_per_day(self, gib_per_day: float) -> float:
        """Tiered by the month's volume (30 days), returned per day."""
        left, cost, floor = gib_per_day * 30, 0.0, 0.0
        for ceiling, price in self.egress_tiers:
            size = (ceiling - floor) if ceiling > 0 else left
            take = min(left, size)
            cost += take * price
            left -= take
            floor = ceiling
            if left <= 0:
                break
        return cost / 30


@dataclass(frozen=True)
class FunctionLimit:
    """How many requests a second one function serves: max instances x concurrency / latency."""

    max_instances: int
    concurrency: int
    memory_mib: int = 512
    cpu: float = 1.0
    #: Mean seconds one request holds one of the instance's slots (production, warm).
    latency_s: float = 0.15

    @property
    def per_second(self) -> float:
        return self.max_instances * self.concurrency / self.latency_s


@dataclass(frozen=True)
class Limits:
    """Published Firestore limits and AVMeets' settings that bound the load."""

    #: Writes a second to a collection (a collection group's index counts as one) whose
    #: documents carry a monotonically increasing indexed field (sharded-timestamps page).
    sequential_index_writes_per_s: float = 500.0
    #: Sustained writes a second to one document.
    document_writes_per_s: float = 1.0
    #: The 500/50/5 rule: a new traffic pattern starts at 500 ops/s and grows 50 % every 5 min.
    ramp_start_ops_per_s: float = 500.0
    #: functions/.env MAX_STORED_CDRS: legs kept before the purge cuts the oldest.
    max_stored_cdrs: int = 1_000_000
    #: avmeets.meetings.SWEEP_SHARDS: the sweep index's shards.
    sweep_shards: int = 150
    #: services/presence.py: one sweep run's paging time, its close-outs at once, and the time
    #: one close-out takes in production (a few dependent Firestore round trips).
    sweep_budget_s: float = 45.0
    sweep_workers: int = 8
    sweep_close_latency_s: float = 0.1
    sweep_runs_per_minute: float = 1.0
    #: The purge: deletes a second it can sustain, its timeout and runs an hour. Deleting in
    #: index order of a sequential field is itself bound by the sequential-index limit.
    purge_deletes_per_s: float = 500.0
    purge_timeout_s: float = 540.0
    purge_runs_per_hour: float = 1.0
    #: Joins arriving within this many seconds of a meeting's start (the serialising write).
    join_burst_seconds: float = 30.0
    functions: Mapping[str, FunctionLimit] = field(default_factory=dict)


def _per_day(events: EventCounts, w: Workload) -> dict[str, Ops]:
    """The day's operations by event."""
    n = w.meeting_size
    silent = w.participants_per_day * w.silent_share
    leaves = w.joins - silent
    purged = w.joins * events.purge_records_per_join
    return {
        "create_meeting": events.create_meeting.times(w.meetings),
        "join": (events.join + Ops(reads=events.join_fanout * n)).times(w.joins),
        "connection": events.connection.times(w.connections),
        "heartbeat": (events.heartbeat + Ops(reads=events.heartbeat_fanout * n)).times(
            w.heartbeats
        ),
        "leave": (events.leave + Ops(reads=events.leave_fanout * (n - 1) / 2)).times(leaves),
        "sweep": (events.swept + Ops(reads=events.leave_fanout * (n - 1) / 2)).times(silent)
        + events.sweep_run.times(24 * 60),
        "purge": events.purge_record.times(purged) + events.purge_run.times(24),
        # firestore.rules: get() of the sender's and the addressee's participant documents per
        # signal written, isJoined() once per listener started (participants, signals) and
        # per meeting read. Billed in production, not counted by the emulator.
        "rules": Ops(
            reads=w.connections * events.signals_per_connection * RULES_READS_PER_SIGNAL
            + w.joins * RULES_READS_PER_JOIN
        ),
    }


def _sum(ops: Iterable[Ops]) -> Ops:
    total = Ops()
    for o in ops:
        total = total + o
    return total


def invocations(events: EventCounts, w: Workload) -> dict[str, float]:
    """Function invocations a day, by function."""
    silent = w.participants_per_day * w.silent_share
    return {
        "auth_callback": w.participants_per_day * w.sign_ins_per_participant,
        "create_meeting": w.meetings,
        "join_meeting": w.joins,
        "heartbeat": 0.0,  # clients beat by writing their presence document themselves
        "report_connection": w.connections * events.reports_per_connection,
        "on_signal": w.connections * events.signals_per_connection,
        "leave_meeting": w.joins - silent,
        "sweep": 24 * 60.0,
        "purge": 24.0,
    }


#: Functions run by the scheduler at a fixed rate, whatever the load.
SCHEDULED: Final = frozenset({"sweep", "purge"})

#: Bytes stored per document, index entries included (Firestore's storage-size rules: the
#: document's name and fields plus each index entry's name and values), as AVMeets writes them.
STORED_BYTES: Final = {"leg": 6_000, "join": 1_500, "identity": 1_000}


def _sequential_indexes(
    events: EventCounts, w: Workload, limits: Limits
) -> dict[str, tuple[float, int]]:
    """New entries a day in each sequential (timestamp-ordered) index that a query needs, and
    the shards (independent ranges) it is spread over."""
    # Signals carry no collection-group index on createdAt: the purge reads the (few, short-
    # lived) signals by name instead (avmeets.purge.plan, step 3).
    return {
        "presence (collection group): sweepShard, lastSeenAt": (
            w.heartbeats + w.joins,
            limits.sweep_shards,
        ),
        "participants (collection group): expiresAt": (w.joins, 1),
        "cdrs: startedAt, expiresAt": (w.connections, 1),
        "meetings: lastActivityAt, expiresAt": (w.joins + w.meetings, 1),
        "joins: expiresAt": (w.joins, 1),
    }


@dataclass(frozen=True)
class Limit:
    name: str
    kind: str  # "firestore", "function", "setting"
    peak: float
    capacity: float
    unit: str
    fix: str
    #: The load grows with participants a day (False: it is per meeting, the same at any scale).
    scales: bool = True

    @property
    def load(self) -> float:
        return self.peak / self.capacity if self.capacity else float("inf")


#: What fixes each kind of limit (docs/capacity.md has the details).
FIX_INDEX: Final = "shard the indexed timestamp (docs/capacity.md)"
FIX_FUNCTION: Final = "raise <FUNCTION>_MAX_INSTANCES (docs/deploy.md section 4)"


def limits_at(events: EventCounts, w: Workload, limits: Limits) -> list[Limit]:
    day = SECONDS_PER_DAY
    out = [
        Limit(
            f"sequential index {name}",
            "firestore",
            per_day / day * w.peak_factor,
            limits.sequential_index_writes_per_s * shards,
            "writes/s",
            FIX_INDEX,
        )
        for name, (per_day, shards) in _sequential_indexes(events, w, limits).items()
    ]
    # Joins to one meeting are serialised on its document: at most meeting_size (plus rejoins)
    # within the join burst, far below a write a second sustained; listed so it is watched.
    out.append(
        Limit(
            "meeting document (joins serialised)",
            "firestore",
            w.meeting_size * (1 + w.rejoin_rate) / limits.join_burst_seconds,
            limits.document_writes_per_s,
            "writes/s per meeting",
            "MAX_PARTICIPANTS bounds it",
            scales=False,
        )
    )
    calls = invocations(events, w)
    for name, limit in sorted(limits.functions.items()):
        if name in calls and name not in SCHEDULED:
            out.append(
                Limit(
                    f"function {name}",
                    "function",
                    calls[name] / day * w.peak_factor,
                    limit.per_second,
                    "requests/s",
                    FIX_FUNCTION.replace("<FUNCTION>", name.upper()),
                )
            )
    out.append(
        Limit(
            "MAX_STORED_CDRS (legs kept a full retention)",
            "setting",
            w.connections * w.retention_days,
            float(limits.max_stored_cdrs),
            "legs stored",
            "raise MAX_STORED_CDRS (docs/deploy.md)",
        )
    )
    silent_per_minute = w.participants_per_day * w.silent_share / (24 * 60) * w.peak_factor
    out.append(
        Limit(
            "sweep (silent participants closed a minute)",
            "setting",
            silent_per_minute,
            limits.sweep_budget_s
            * limits.sweep_workers
            / limits.sweep_close_latency_s
            * limits.sweep_runs_per_minute,
            "participants/min",
            "SWEEP_WORKERS, SWEEP_BUDGET_SECONDS (services/presence.py)",
        )
    )
    purged_per_hour = w.joins * events.purge_records_per_join / 24 * w.peak_factor
    out.append(
        Limit(
            "purge (documents deleted an hour)",
            "setting",
            purged_per_hour,
            limits.purge_deletes_per_s * limits.purge_timeout_s * limits.purge_runs_per_hour,
            "deletes/h",
            "TTL policies delete first; the purge is the check (docs/capacity.md)",
        )
    )
    return out


def _reached_at(w: Workload, limit: Limit) -> int | None:
    """Participants a day at which ``limit`` is reached (None: it does not grow with them)."""
    if not limit.scales or limit.load <= 0:
        return None
    return round(w.participants_per_day / limit.load)


def _ramp_minutes(peak_ops: float, start: float) -> float:
    """Minutes the 500/50/5 rule needs to go from ``start`` to ``peak_ops`` ops/s."""
    minutes, rate = 0.0, start
    while rate < peak_ops:
        rate *= 1.5
        minutes += 5
    return minutes


def model(
    events: EventCounts,
    workload: Workload,
    prices: Prices | None = None,
    limits: Limits | None = None,
) -> dict[str, Any]:
    """One scale: operations, invocations, compute, storage, egress, cost and limits."""
    prices = prices or Prices()
    limits = limits or Limits()
    w = workload
    by_event = _per_day(events, w)
    day_ops = _sum(by_event.values())
    calls = invocations(events, w)
    total_calls = sum(calls.values())
    vcpu_s = gib_s = 0.0
    for name, n in calls.items():
        f = limits.functions.get(name, FunctionLimit(max_instances=1, concurrency=1))
        # Instance time a request holds, shared by the requests running beside it.
        share = f.latency_s / max(1, f.concurrency)
        vcpu_s += n * share * f.cpu
        gib_s += n * share * f.memory_mib / 1024
    stored_bytes = w.retention_days * (
        w.connections * STORED_BYTES["leg"]
        + w.joins * STORED_BYTES["join"]
        + w.participants_per_day * w.sign_ins_per_participant * STORED_BYTES["identity"]
    )
    storage_gib = stored_bytes / GIB
    # A relayed connection's media crosses the relay twice (in and out) in each direction;
    # egress is what leaves the relay: both directions once.
    relayed_seconds = w.connections * w.relayed_share * w.meeting_minutes * 60
    egress_gib = relayed_seconds * 2 * w.bitrate_mbps * 1e6 / 8 / GIB
    cost = {
        "firestore_ops": day_ops.reads / 1e5 * prices.read_per_100k
        + day_ops.writes / 1e5 * prices.write_per_100k
        + day_ops.deletes / 1e5 * prices.delete_per_100k,
        "firestore_storage": storage_gib * prices.storage_gib_month / 30,
        "functions": total_calls / 1e6 * prices.invocation_per_million
        + vcpu_s * prices.vcpu_second
        + gib_s * prices.gib_second,
        "turn_egress": prices.egress_cost_per_day(egress_gib),
    }
    total_cost = sum(cost.values())
    found = limits_at(events, w, limits)
    reached = [lim for lim in found if lim.load >= 1]
    growing = [lim for lim in found if lim.scales]
    first = max(growing, key=lambda lim: lim.load)
    peak_ops = day_ops.total / SECONDS_PER_DAY * w.peak_factor
    hb = 3600 / w.heartbeat_seconds
    per_participant_hour = (
        events.heartbeat + Ops(reads=events.heartbeat_fanout * w.meeting_size)
    ).times(hb) + events.sweep_run.times(24 * 60 / max(1.0, w.participant_hours))
    return {
        "participants_per_day": w.participants_per_day,
        "assumptions": asdict(w),
        "meetings_per_day": round(w.meetings),
        "joins_per_day": round(w.joins),
        "connections_per_day": round(w.connections),
        "participant_hours_per_day": round(w.participant_hours, 1),
        "peak_concurrent_participants": round(w.peak_concurrent),
        "ops_per_day": day_ops.rounded(0),
        "ops_per_day_by_event": {k: v.rounded(0) for k, v in by_event.items()},
        "peak_ops_per_s": day_ops.times(w.peak_factor / SECONDS_PER_DAY).rounded(1),
        "ops_per_participant_hour_heartbeat_sweep": per_participant_hour.rounded(1),
        "ramp_minutes_500_50_5": _ramp_minutes(peak_ops, limits.ramp_start_ops_per_s),
        "invocations_per_day": {k: round(v) for k, v in calls.items()},
        "invocations_total_per_day": round(total_calls),
        "instances_needed_at_peak": {
            name: math.ceil(n / SECONDS_PER_DAY * w.peak_factor * fl.latency_s / fl.concurrency)
            for name, n in calls.items()
            if name not in SCHEDULED and (fl := limits.functions.get(name)) is not None
        },
        "peak_invocations_per_s": round(total_calls / SECONDS_PER_DAY * w.peak_factor, 1),
        "vcpu_seconds_per_day": round(vcpu_s),
        "gib_seconds_per_day": round(gib_s),
        "storage_gib": round(storage_gib, 3),
        "turn_egress_gib_per_day": round(egress_gib, 1),
        "cost_per_day_usd": {k: round(v, 2) for k, v in cost.items()},
        "cost_total_per_day_usd": round(total_cost, 2),
        "cost_per_participant_hour_usd": round(total_cost / w.participant_hours, 5),
        "limits": [
            {
                "name": lim.name,
                "kind": lim.kind,
                "peak": round(lim.peak, 2),
                "capacity": round(lim.capacity, 2),
                "unit": lim.unit,
                "load": round(lim.load, 3),
                "reached_at_participants_per_day": _reached_at(w, lim),
                "fix": lim.fix,
            }
            for lim in sorted(found, key=lambda lim: -lim.load)
        ],
        "limits_reached": [lim.name for lim in sorted(reached, key=lambda lim: -lim.load)],
        "first_limit": {
            "name": first.name,
            "load": round(first.load, 3),
            "reached": first.load >= 1,
            "reached_at_participants_per_day": _reached_at(w, first),
        },
    }


def scales(
    events: EventCounts,
    base: Workload | None = None,
    prices: Prices | None = None,
    limits: Limits | None = None,
    participants: Sequence[int] = SCALES,
) -> list[dict[str, Any]]:
    base = base or Workload(participants_per_day=1)
    return [
        model(events, replace(base, participants_per_day=p), prices, limits) for p in participants
    ]


# --- the simulation's agreement ------------------------------------------------------------


def agreement(
    predicted: EventCounts, measured: EventCounts, tolerance: float = AGREEMENT_TOLERANCE
) -> dict[str, Any]:
    """Measured / predicted for every count the model uses (an operation predicted as 0 agrees
    only when measured as 0), and whether all are within ``tolerance``."""
    rows: list[dict[str, Any]] = []
    for name in EventCounts.__dataclass_fields__:
        p, m = getattr(predicted, name), getattr(measured, name)
        pairs = (
            [
                (f"{name}.{op}", getattr(p, op), getattr(m, op))
                for op in ("reads", "writes", "deletes")
            ]
            if isinstance(p, Ops)
            else [(name, p, m)]
        )
        for key, pv, mv in pairs:
            ratio = (mv / pv) if pv else (1.0 if mv == 0 else float("inf"))
            rows.append(
                {
                    "count": key,
                    "model": round(pv, 3),
                    "measured": round(mv, 3),
                    "ratio": round(ratio, 3) if ratio != float("inf") else None,
                    "within": ratio != float("inf") and abs(ratio - 1) <= tolerance,
                }
            )
    return {"tolerance": tolerance, "rows": rows, "all_within": all(r["within"] for r in rows)}


def predict_totals(events: EventCounts, scenario: Mapping[str, float]) -> Ops:
    """The operations the model predicts for a counted scenario (what bench/load.py ran):
    ``meetings``, ``joins``, ``connections``, ``heartbeats``, ``leaves``, ``swept``,
    ``sweep_runs``, ``purge_runs``, ``purged``, with ``size`` people per meeting."""
    n = scenario["size"]
    return _sum(
        [
            events.create_meeting.times(scenario["meetings"]),
            (events.join + Ops(reads=events.join_fanout * n)).times(scenario["joins"]),
            events.connection.times(scenario["connections"]),
            (events.heartbeat + Ops(reads=events.heartbeat_fanout * n)).times(
                scenario["heartbeats"]
            ),
            (events.leave + Ops(reads=events.leave_fanout * (n - 1) / 2)).times(scenario["leaves"]),
            # The simulation's vanished meetings vanish whole: nobody is left to see it.
            (
                events.swept
                + Ops(reads=events.leave_fanout * (n - 1) / 2 * scenario.get("swept_seen", 1.0))
            ).times(scenario["swept"]),
            events.sweep_run.times(scenario["sweep_runs"]),
            events.purge_run.times(scenario["purge_runs"]),
            events.purge_record.times(scenario["purged"]),
        ]
    )


# --- the table ----------------------------------------------------------------------------------


def _n(value: float) -> str:
    """A count for a table: 1.2 k, 3.4 M, 5.6 B."""
    for size, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def markdown(capacity: Mapping[str, Any]) -> list[str]:
    """The capacity section of bench/results.md."""
    rows = capacity["scales"]
    head = "| | " + " | ".join(f"{_n(r['participants_per_day'])}/day" for r in rows) + " |"
    sep = "|---|" + "---|" * len(rows)

    def line(label: str, cell: Any) -> str:
        return f"| {label} | " + " | ".join(cell(r) for r in rows) + " |"

    table = [
        head,
        sep,
        line(
            "meetings / joins / connections a day",
            lambda r: (
                f"{_n(r['meetings_per_day'])} / {_n(r['joins_per_day'])} / "
                f"{_n(r['connections_per_day'])}"
            ),
        ),
        line("peak concurrent participants", lambda r: _n(r["peak_concurrent_participants"])),
        line(
            "reads / writes / deletes a day",
            lambda r: " / ".join(_n(r["ops_per_day"][k]) for k in ("reads", "writes", "deletes")),
        ),
        line(
            "peak reads / writes / deletes a second",
            lambda r: " / ".join(
                _n(r["peak_ops_per_s"][k]) for k in ("reads", "writes", "deletes")
            ),
        ),
        line(
            "heartbeat share of writes",
            _heartbeat_share,
        ),
        line(
            "invocations a day (peak /s)",
            lambda r: f"{_n(r['invocations_total_per_day'])} ({_n(r['peak_invocations_per_s'])})",
        ),
        line("vCPU-seconds a day", lambda r: _n(r["vcpu_seconds_per_day"])),
        line("storage (GiB, a full retention)", lambda r: f"{r['storage_gib']:.3g}"),
        line("TURN egress (GiB a day)", lambda r: _n(r["turn_egress_gib_per_day"])),
        line(
            "cost a day: Firestore ops / storage / functions / TURN (USD)",
            lambda r: " / ".join(
                f"{r['cost_per_day_usd'][k]:,.2f}"
                for k in ("firestore_ops", "firestore_storage", "functions", "turn_egress")
            ),
        ),
        line("cost a day (USD)", lambda r: f"{r['cost_total_per_day_usd']:,.2f}"),
        line(
            "cost per participant-hour (USD)", lambda r: f"{r['cost_per_participant_hour_usd']:.4f}"
        ),
        line(
            "first limit (load at peak; reached at)",
            _first_limit,
        ),
        line("limits reached", lambda r: "; ".join(r["limits_reached"]) or "none"),
    ]
    per_hour = rows[0]["ops_per_participant_hour_heartbeat_sweep"]
    out = [
        "## Capacity and cost (issue 20)",
        "",
        f"The model (bench/capacity.py, docs/capacity.md) with the per-event counts "
        f"{capacity['events_source']}. Assumptions: {_assumptions(rows[0]['assumptions'])}. "
        f"Prices: {capacity['prices']['source']}, as of {capacity['prices']['as_of']}. "
        f"Heartbeats and sweep cost {per_hour['reads']:g} reads and {per_hour['writes']:g} "
        "writes per participant-hour.",
        "",
        *table,
        "",
    ]
    sim = capacity.get("simulation")
    if sim:
        out += _simulation(sim)
    return out


def _first_limit(r: Mapping[str, Any]) -> str:
    first = r["first_limit"]
    reached = ", **reached**" if first["reached"] else ""
    at = first["reached_at_participants_per_day"]
    return f"{first['name']} ({first['load']:.2f}x{reached}; at {_n(at)}/day)"


def _heartbeat_share(r: Mapping[str, Any]) -> str:
    share = r["ops_per_day_by_event"]["heartbeat"]["writes"] / max(1, r["ops_per_day"]["writes"])
    return f"{share:.0%}"


def _assumptions(a: Mapping[str, Any]) -> str:
    return (
        f"{a['meeting_size']:g} people a meeting (full mesh), {a['meeting_minutes']:g} min, "
        f"{a['rejoin_rate']:.0%} rejoins, {a['relayed_share']:.0%} of connections relayed at "
        f"{a['bitrate_mbps']:g} Mbit/s each way, peak second {a['peak_factor']:g}x the mean, "
        f"{a['silent_share']:.0%} vanish (swept), heartbeat every {a['heartbeat_seconds']:g} s, "
        f"{a['retention_days']:g} days retention"
    )


def _simulation(sim: Mapping[str, Any]) -> list[str]:
    agree = sim["agreement"]
    rows = []
    for r in agree["rows"]:
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.3f}"
        within = "yes" if r["within"] else "**no**"
        rows.append(f"| {r['count']} | {r['model']:g} | {r['measured']:g} | {ratio} | {within} |")
    total = sim["totals"]
    return [
        "### The model against the load simulation",
        "",
        f"{sim['description']} Measured {sim['measured_at']} in {sim['seconds']:.0f} s. "
        f"Totals, model / measured: reads {total['model']['reads']:g} / "
        f"{total['measured']['reads']:g}, writes {total['model']['writes']:g} / "
        f"{total['measured']['writes']:g}, deletes {total['model']['deletes']:g} / "
        f"{total['measured']['deletes']:g} (ratio of all operations "
        f"{total['ratio']:.3f}). Every per-event count within "
        f"{agree['tolerance']:.0%}: {'yes' if agree['all_within'] else '**no**'}.",
        "",
        "| count | model | measured | ratio | within |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]
