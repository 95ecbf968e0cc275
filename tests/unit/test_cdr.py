"""CDR legs: start / answer / end, per-side timelines, stats phases, rate limit."""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from avmeets import cdr
from avmeets.errors import ResourceExhausted
from avmeets.store.documents import LegDoc

T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
IDENT = {"name": "Ada", "email": "ada@example.com", "phone": None, "provider": "google.com"}
JOIN = {"ip": "81.2.69.142", "ipInfo": {"kind": "public", "known": True}, "userAgent": "UA"}


def leg() -> LegDoc:
    caller = cdr.side_info("a", "sa", IDENT, JOIN)
    callee = cdr.side_info("b", "sb", None, None)
    return cdr.new_leg("abc-defg-hij", caller, callee, 1, T0, T0 + timedelta(days=7))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_new_leg_carries_both_ends() -> None:
    x = leg()
    assert x["legId"] == "abc-defg-hij_sa_sb" and x["uids"] == ["a", "b"]
    assert x["caller"]["email"] == "ada@example.com" and x["caller"]["ip"] == "81.2.69.142"
    assert x["callee"]["ipInfo"] == {"kind": "invalid", "known": False}
    assert x["state"] == "connecting" and x["disposition"] is None


def test_offer_seen_is_idempotent() -> None:
    x = cdr.offer_seen(leg(), at(0))
    x = cdr.offer_seen(x, at(1))
    assert x["caller"]["timeline"] == [{"status": "connecting", "at": at(0)}]


def test_offer_event_delivered_twice_is_applied_once() -> None:
    x = cdr.offer_event(leg(), at(0), "event-1")
    assert x is not None and x["signalEvents"] == ["event-1"]
    snapshot = copy.deepcopy(x)
    assert cdr.offer_event(x, at(5), "event-1") is None
    assert x == snapshot  # nothing moved, not even updatedAt


def test_a_new_event_is_recorded_and_old_ids_roll_off() -> None:
    x: LegDoc | None = leg()
    for n in range(cdr.EVENTS_KEPT + 3):
        assert x is not None
        x = cdr.offer_event(x, at(n), f"event-{n}")
    assert x is not None
    assert x["signalEvents"] == [f"event-{n}" for n in range(3, cdr.EVENTS_KEPT + 3)]
    assert x["caller"]["timeline"] == [{"status": "connecting", "at": at(0)}]


def test_a_report_that_changes_nothing_writes_nothing() -> None:
    x = cdr.offer_seen(leg(), at(0))
    # The trigger has set the caller connecting: its own "connecting" report is a no-op.
    assert cdr.report_if_changed(x, "caller", "connecting", None, at(1), 30) is None
    changed = cdr.report_if_changed(x, "callee", "connecting", None, at(1), 30)
    assert changed is not None and changed["callee"]["status"] == "connecting"
    # Stats are news even without a status change.
    stats = {"rttMs": 2.0}
    again = cdr.report_if_changed(changed, "callee", "connecting", stats, at(2), 30)
    assert again is not None


def test_answered_call_lifecycle() -> None:
    x = cdr.offer_seen(leg(), at(0))
    stats = {"localCandidateType": "host", "rttMs": 1.5, "bytesSent": 10}
    x = cdr.report(x, "callee", "connected", stats, at(2), 30)
    assert x["state"] == "connected" and x["answeredAt"] == at(2)
    assert x["callee"]["stats"]["connect"]["rttMs"] == 1.5
    x = cdr.report(x, "caller", "connected", None, at(3), 30)
    assert x["answeredAt"] == at(2)
    x = cdr.report(x, "caller", "closed", {"bytesSent": 999}, at(62), 30)
    assert x["state"] == "ended" and x["endCause"] == "hangup"
    assert (x["durationMs"], x["connectedMs"], x["disposition"]) == (62000, 60000, "ANSWERED")
    assert x["caller"]["stats"]["end"]["bytesSent"] == 999
    # A late report of the other side is still recorded, but does not reopen the leg.
    x = cdr.report(x, "callee", "closed", None, at(63), 30)
    assert x["state"] == "ended" and x["endedAt"] == at(62)
    assert [t["status"] for t in x["callee"]["timeline"]] == ["connected", "closed"]


def test_failed_before_answer() -> None:
    x = cdr.report(cdr.offer_seen(leg(), at(0)), "caller", "failed", None, at(30), 30)
    assert (x["disposition"], x["endCause"], x["connectedMs"]) == ("FAILED", "ice-failed", 0)


def test_ended_by_server_without_answer() -> None:
    x = cdr.end(cdr.offer_seen(leg(), at(0)), at(5), "heartbeat-timeout")
    assert x["disposition"] == "NO ANSWER" and x["endCause"] == "heartbeat-timeout"
    assert cdr.end(x, at(9), "hangup")["endedAt"] == at(5)  # ending twice changes nothing


def test_ice_restart_counted() -> None:
    x = cdr.report(leg(), "caller", "connected", None, at(1), 30)
    x = cdr.report(x, "caller", "disconnected", None, at(2), 30)
    x = cdr.report(x, "caller", "connecting", None, at(3), 30)
    assert x["iceRestarts"] == 1 and x["state"] == "connected"


def test_rate_limit_per_minute() -> None:
    x = leg()
    for i in range(3):
        x = cdr.report(x, "caller", "connecting" if i % 2 else "connected", None, at(i), 3)
    with pytest.raises(ResourceExhausted):
        cdr.report(x, "caller", "connected", None, at(10), 3)
    x = cdr.report(x, "caller", "connected", None, at(61), 3)  # a new window
    assert x["caller"]["reports"]["count"] == 1


def test_relayed_is_recorded_per_side_and_for_the_leg() -> None:
    x = cdr.offer_seen(leg(), at(0))
    assert x["relayed"] is None and x["caller"]["relayed"] is None
    # The caller hides behind the relay (privacy mode); the callee is direct to it.
    relayed = {"localCandidateType": "relay", "remoteCandidateType": "host", "relayed": True}
    x = cdr.report(x, "caller", "connected", relayed, at(1), 30)
    direct = {"localCandidateType": "host", "remoteCandidateType": "relay", "relayed": True}
    x = cdr.report(x, "callee", "connected", direct, at(1), 30)
    assert x["caller"]["relayed"] is True and x["callee"]["relayed"] is False
    assert x["relayed"] is True
    # A direct leg says so; a report without stats changes nothing.
    y = cdr.offer_seen(leg(), at(0))
    y = cdr.report(
        y, "caller", "connected", {"localCandidateType": "host", "relayed": False}, at(1), 30
    )
    y = cdr.report(y, "caller", "disconnected", None, at(2), 30)
    assert (
        y["relayed"] is False and y["caller"]["relayed"] is False and y["callee"]["relayed"] is None
    )
