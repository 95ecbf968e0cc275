"""The capacity model (bench/capacity.py): plain data in, numbers and a table out."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bench import capacity
from bench.capacity import CODE_READ, EventCounts, FunctionLimit, Limits, Ops, Prices, Workload

FUNCTIONS = {
    "heartbeat": FunctionLimit(max_instances=40, concurrency=8, latency_s=0.1),
    "join_meeting": FunctionLimit(max_instances=40, concurrency=8),
    "sweep": FunctionLimit(max_instances=1, concurrency=1),
}


def _limits(**kwargs: object) -> Limits:
    return replace(Limits(functions=FUNCTIONS), **kwargs)  # type: ignore[arg-type]


def _limit(result: dict[str, Any], prefix: str) -> dict[str, Any]:
    [row] = [r for r in result["limits"] if str(r["name"]).startswith(prefix)]
    return row  # type: ignore[no-any-return]


def test_workload_counts_a_full_mesh_with_rejoins() -> None:
    w = Workload(participants_per_day=1000, meeting_size=4, rejoin_rate=0.1, meeting_minutes=30)
    assert w.meetings == 250
    assert w.joins == pytest.approx(1100)
    # 6 connections a meeting of 4, and each rejoin connects again to the 3 others.
    assert w.connections == pytest.approx(250 * 6 + 100 * 3)
    assert w.participant_hours == pytest.approx(500)
    assert w.heartbeats == pytest.approx(500 * 3600 / 300)


def test_beats_cost_one_write_each_whatever_the_meeting_size() -> None:
    small = capacity.model(CODE_READ, Workload(participants_per_day=10_000, meeting_size=2))
    large = capacity.model(CODE_READ, Workload(participants_per_day=10_000, meeting_size=8))
    beats = 3600 / 300
    assert small["ops_per_participant_hour_heartbeat_sweep"]["writes"] == pytest.approx(beats)
    assert large["ops_per_participant_hour_heartbeat_sweep"]["writes"] == pytest.approx(beats)
    # A beat is the client's own write of its presence document: nobody's listener reads it.
    assert CODE_READ.heartbeat_fanout == 0
    read_small = small["ops_per_participant_hour_heartbeat_sweep"]["reads"]
    read_large = large["ops_per_participant_hour_heartbeat_sweep"]["reads"]
    # The sweep's runs, shared by the day's participant-hours.
    sweep = (
        CODE_READ.sweep_run.reads
        * 24
        * 60
        / Workload(participants_per_day=10_000).participant_hours
    )
    own = CODE_READ.heartbeat.reads
    assert own == 0
    assert read_small == pytest.approx(sweep, abs=0.05)
    assert read_large == pytest.approx(sweep, abs=0.05)


def test_operations_grow_linearly_with_participants_apart_from_the_schedules() -> None:
    a, b = capacity.scales(CODE_READ, participants=(10_000, 1_000_000), limits=_limits())
    fixed = CODE_READ.sweep_run.times(24 * 60) + CODE_READ.purge_run.times(24)
    for op in ("reads", "writes", "deletes"):
        grown = b["ops_per_day"][op] - getattr(fixed, op)
        base = a["ops_per_day"][op] - getattr(fixed, op)
        assert grown == pytest.approx(100 * base, rel=1e-3)
    assert b["storage_gib"] == pytest.approx(100 * a["storage_gib"], rel=1e-2)


def test_a_limit_is_reached_where_the_model_says() -> None:
    limits = _limits()
    result = capacity.model(CODE_READ, Workload(participants_per_day=1_000), limits=limits)
    first = result["first_limit"]
    assert not first["reached"]
    at = first["reached_at_participants_per_day"]
    there = capacity.model(CODE_READ, Workload(participants_per_day=at), limits=limits)
    assert _limit(there, first["name"])["load"] == pytest.approx(1.0, abs=1e-3)
    assert there["first_limit"]["name"] == first["name"]
    beyond = capacity.model(CODE_READ, Workload(participants_per_day=2 * at), limits=limits)
    assert beyond["first_limit"]["reached"]
    assert first["name"] in beyond["limits_reached"]


def test_the_heartbeat_index_unsharded_is_the_first_firestore_limit() -> None:
    """Every beat rewrites lastSeenAt, a sequential field of the sweep's collection-group index:
    in one range it is the first Firestore limit; sharded, each shard takes its own 500/s, and
    a slower heartbeat lowers the load too."""
    name = "sequential index presence (collection group): sweepShard"
    w = Workload(participants_per_day=20_000_000)
    one = capacity.model(CODE_READ, w, limits=_limits(sweep_shards=1))
    unsharded = _limit(one, name)
    assert unsharded["load"] > 1
    firestore = [r for r in one["limits"] if r["kind"] == "firestore"]
    assert max(firestore, key=lambda r: r["load"])["name"] == unsharded["name"]
    sharded = _limit(capacity.model(CODE_READ, w, limits=_limits(sweep_shards=150)), name)
    assert sharded["load"] == pytest.approx(unsharded["load"] / 150, rel=1e-2)
    slow_w = replace(w, heartbeat_seconds=900)
    slow = _limit(capacity.model(CODE_READ, slow_w, limits=_limits(sweep_shards=1)), name)
    assert slow["load"] < unsharded["load"] / 2  # the joins write their entries too


def test_settings_move_their_limits() -> None:
    w = Workload(participants_per_day=1_000_000)
    low = _limit(capacity.model(CODE_READ, w, limits=_limits()), "MAX_STORED_CDRS")
    high = _limit(
        capacity.model(CODE_READ, w, limits=_limits(max_stored_cdrs=200_000_000)), "MAX_STORED_CDRS"
    )
    assert low["reached_at_participants_per_day"] * 200 == pytest.approx(
        high["reached_at_participants_per_day"], rel=1e-3
    )
    more = {**FUNCTIONS, "heartbeat": replace(FUNCTIONS["heartbeat"], max_instances=400)}
    hb = _limit(capacity.model(CODE_READ, w, limits=_limits()), "function heartbeat")
    hb10 = _limit(
        capacity.model(CODE_READ, w, limits=_limits(functions=more)), "function heartbeat"
    )
    assert hb10["load"] == pytest.approx(hb["load"] / 10, rel=1e-2)
    # The instances the heartbeat needs at peak are what its limit's load says of 40.
    needed = capacity.model(CODE_READ, w, limits=_limits())["instances_needed_at_peak"]
    assert needed["heartbeat"] == pytest.approx(40 * hb["load"], abs=1)


def test_per_meeting_and_scheduled_limits_do_not_scale() -> None:
    result = capacity.model(CODE_READ, Workload(participants_per_day=10_000_000), limits=_limits())
    meeting = _limit(result, "meeting document")
    assert meeting["reached_at_participants_per_day"] is None
    assert meeting["load"] < 1  # at most a meeting's people within its first half-minute
    assert not any(str(r["name"]) == "function sweep" for r in result["limits"])


def test_egress_is_priced_by_tier() -> None:
    prices = Prices(egress_tiers=((100.0, 1.0), (200.0, 0.5), (0.0, 0.1)))
    # 10 GiB a day = 300 a month: 100 at 1.0, 100 at 0.5, 100 at 0.1 = 160 a month.
    assert prices.egress_cost_per_day(10) == pytest.approx(160 / 30)
    assert prices.egress_cost_per_day(0) == 0


def test_relayed_connections_make_the_egress() -> None:
    w = Workload(participants_per_day=1_000, relayed_share=0.0)
    assert capacity.model(CODE_READ, w)["turn_egress_gib_per_day"] == 0
    relayed = capacity.model(CODE_READ, replace(w, relayed_share=0.2))
    seconds = w.connections * 0.2 * w.meeting_minutes * 60
    expected = seconds * 2 * 1e6 / 8 / 2**30
    assert relayed["turn_egress_gib_per_day"] == pytest.approx(expected, abs=0.1)


def test_cost_per_participant_hour_is_the_day_over_its_hours() -> None:
    w = Workload(participants_per_day=50_000)
    result = capacity.model(CODE_READ, w)
    total = sum(result["cost_per_day_usd"].values())
    assert result["cost_per_participant_hour_usd"] == pytest.approx(
        total / w.participant_hours, rel=1e-3
    )


def test_agreement_flags_counts_outside_the_tolerance() -> None:
    off = replace(CODE_READ, join=CODE_READ.join + Ops(writes=1), signals_per_connection=2.1)
    result = capacity.agreement(CODE_READ, off)
    rows = {r["count"]: r for r in result["rows"]}
    assert rows["join.writes"]["within"] is False  # 5 for 4: 25 % over
    assert rows["signals_per_connection"]["within"] is True  # 5 % over
    assert rows["connection.deletes"]["within"] is True
    assert result["all_within"] is False
    assert capacity.agreement(CODE_READ, CODE_READ)["all_within"] is True
    zero = replace(CODE_READ, sweep_run=Ops(reads=1, writes=1))
    assert {r["count"]: r for r in capacity.agreement(CODE_READ, zero)["rows"]}["sweep_run.writes"][
        "within"
    ] is False


def test_predicted_totals_add_up_the_events() -> None:
    events = EventCounts.from_dict(CODE_READ.as_dict())
    assert events == CODE_READ
    scenario = {"size": 2.0, "meetings": 1.0, "joins": 2.0, "connections": 1.0, "heartbeats": 4.0,
                "leaves": 1.0, "swept": 1.0, "sweep_runs": 2.0, "purge_runs": 2.0,
                "purged": 5.0}  # fmt: skip
    got = capacity.predict_totals(events, scenario)
    e = events
    want = (
        e.create_meeting
        + (e.join + Ops(reads=2 * e.join_fanout)).times(2)
        + e.connection
        + (e.heartbeat + Ops(reads=2 * e.heartbeat_fanout)).times(4)
        + e.leave
        + Ops(reads=0.5 * e.leave_fanout)
        + e.swept
        + Ops(reads=0.5 * e.leave_fanout)
        + e.sweep_run.times(2)
        + e.purge_run.times(2)
        + e.purge_record.times(5)
    )
    assert got.rounded(6) == want.rounded(6)


def test_the_table_has_every_scale_and_the_simulation() -> None:
    scales = capacity.scales(CODE_READ, limits=_limits())
    sim = {
        "description": "2 meetings.",
        "measured_at": "now",
        "seconds": 1.0,
        "agreement": capacity.agreement(CODE_READ, CODE_READ),
        "totals": {"model": Ops(1, 2, 3).rounded(), "measured": Ops(1, 2, 3).rounded(), "ratio": 1},
    }
    lines = capacity.markdown(
        {
            "scales": scales,
            "events_source": "read from the code",
            "prices": {"source": "list", "as_of": "today"},
            "simulation": sim,
        }
    )
    text = "\n".join(lines)
    assert "| | 1 k/day | 100 k/day | 10 M/day |" in text
    assert "first limit" in text and "**reached**" in text
    assert "| join.writes | 5 | 5 | 1.000 | yes |" in text
