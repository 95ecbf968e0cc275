"""CDR legs: start / answer / end, per-side timelines, stats phases, rate limit."""

import copy
from datetime import UTC, datetime, timedelta

import pytest

from avmeets import cdr
from avmeets.errors import FailedPrecondition, ResourceExhausted
from avmeets.protocol import ConnectionStatus
from avmeets.store.documents import LegDoc, LegEndCause

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


@pytest.mark.parametrize(
    ("peer", "cause"),
    [
        ({"state": "joined", "session": "sb"}, None),
        ({"state": "left", "session": "sb", "endCause": "heartbeat-timeout"}, "heartbeat-timeout"),
        ({"state": "left", "session": "sb", "endCause": "removed"}, "removed"),
        ({"state": "left", "session": "sb", "endCause": "meeting-ended"}, "meeting-ended"),
        ({"state": "left", "session": "sb", "endCause": "left"}, "hangup"),
        ({"state": "left", "session": "sb"}, "peer-left"),
        ({"state": "joined", "session": "sb2"}, "rejoined"),
        (None, "peer-left"),
    ],
)
def test_why_the_peer_is_gone(peer: dict[str, str] | None, cause: str | None) -> None:
    assert cdr.peer_gone_cause(peer, "sb", "joined") == cause


def test_a_survivors_closing_report_records_why_the_peer_went() -> None:
    x = cdr.report(cdr.offer_seen(leg(), at(0)), "callee", "connected", None, at(1), 30)
    # The sweep closed the caller out; the callee's link closes and it says so first.
    for status in ("closed", "failed"):
        gone: LegEndCause = "heartbeat-timeout"
        y = cdr.report(copy.deepcopy(x), "callee", status, None, at(40), 30, None, gone)
        assert (y["endCause"], y["disposition"]) == ("heartbeat-timeout", "ANSWERED")
    # Without a gone peer, the reporter's own cause.
    own = cdr.report(copy.deepcopy(x), "callee", "closed", None, at(40), 30)
    assert own["endCause"] == "hangup"
    # A leg that already ended keeps its cause.
    ended = cdr.end(copy.deepcopy(x), at(30), "ice-failed")
    late = cdr.report(ended, "callee", "closed", None, at(31), 30, None, "heartbeat-timeout")
    assert late["endCause"] == "ice-failed"


@pytest.mark.parametrize("cause", ["left", "heartbeat-timeout", "removed", "meeting-ended"])
def test_a_participants_end_carries_to_its_legs(cause: str) -> None:
    expected = "hangup" if cause == "left" else cause
    assert cdr.leave_cause(cause) == expected  # type: ignore[arg-type]


def test_ended_by_server_without_answer() -> None:
    x = cdr.end(cdr.offer_seen(leg(), at(0)), at(5), "heartbeat-timeout")
    assert x["disposition"] == "NO ANSWER" and x["endCause"] == "heartbeat-timeout"
    assert cdr.end(x, at(9), "hangup")["endedAt"] == at(5)  # ending twice changes nothing


def test_status_reports_never_count_ice_restarts() -> None:
    """Alternating reports (which any client can send) are not evidence of a restart."""
    x = cdr.report(leg(), "caller", "connected", None, at(1), 30)
    flapping: list[ConnectionStatus] = ["disconnected", "connecting"] * 5
    for n, status in enumerate(flapping):
        x = cdr.report(x, "caller", status, None, at(2 + n), 30)
    assert x["iceRestarts"] == 0


def test_an_offer_with_new_ice_credentials_on_an_answered_leg_is_a_restart() -> None:
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None and x["caller"]["iceUfrag"] == "ufrag-a"
    x = cdr.answer_event(x, at(1), "callee", "ufrag-b")
    assert x is not None and x["iceRestarts"] == 0
    x = cdr.report(x, "callee", "connected", None, at(2), 30)
    # The callee renegotiates (a screen share): same credentials, no restart.
    x = cdr.offer_event(x, at(3), "e2", "callee", "ufrag-b")
    assert x is not None and x["iceRestarts"] == 0
    # The caller restarts ICE: new credentials.
    x = cdr.offer_event(x, at(4), "e3", "caller", "ufrag-c")
    assert x is not None and x["iceRestarts"] == 1
    # Its answer carries the callee's new ones: remembered, not counted.
    x = cdr.answer_event(x, at(5), "callee", "ufrag-d")
    assert x is not None and x["iceRestarts"] == 1 and x["callee"]["iceUfrag"] == "ufrag-d"
    assert cdr.answer_event(x, at(6), "callee", "ufrag-d") is None  # nothing new


def test_only_the_callees_first_answer_on_an_open_leg_is_the_first() -> None:
    """One per leg: it sets the callee's ICE credentials, which the leg then keeps."""
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None
    assert cdr.is_first_answer(x, "callee", "ufrag-b")
    assert not cdr.is_first_answer(x, "caller", "ufrag-b")  # the caller, answering a renegotiation
    assert not cdr.is_first_answer(x, None, "ufrag-b")  # a session that is neither side
    assert not cdr.is_first_answer(x, "callee", None)  # no credentials: nothing to set
    x = cdr.answer_event(x, at(1), "callee", "ufrag-b")
    assert x is not None
    assert not cdr.is_first_answer(x, "callee", "ufrag-b")  # the same answer again
    assert not cdr.is_first_answer(x, "callee", "ufrag-c")  # an ICE restart's
    ended = cdr.end(cdr.offer_event(leg(), at(0), "e1") or leg(), at(2), "hangup")
    assert not cdr.is_first_answer(ended, "callee", "ufrag-b")


def test_new_credentials_before_an_answer_are_not_a_restart() -> None:
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None
    x = cdr.offer_event(x, at(1), "e2", "caller", "ufrag-z")
    assert x is not None and x["iceRestarts"] == 0


def test_ice_restarts_are_bounded() -> None:
    x = cdr.report(leg(), "callee", "connected", None, at(0), 30)
    for n in range(cdr.ICE_RESTARTS_MAX + 5):
        nxt = cdr.offer_event(x, at(n + 1), f"e{n}", "caller", f"ufrag-{n}")
        assert nxt is not None
        x = nxt
    assert x["iceRestarts"] == cdr.ICE_RESTARTS_MAX


def test_offer_on_an_ended_leg_writes_nothing() -> None:
    x = cdr.end(cdr.offer_seen(leg(), at(0)), at(5), "hangup")
    assert cdr.offer_event(x, at(6), "e9", "callee", "u") is None
    assert cdr.answer_event(x, at(6), "callee", "u") is None


def test_timeline_keeps_the_first_and_the_latest_changes() -> None:
    x = leg()
    statuses: list[ConnectionStatus] = ["connecting", "connected", "disconnected", "connected"]
    total = 0
    for n in range(100):
        x = cdr.report(x, "caller", statuses[n % 4] if n else "connecting", None, at(n * 3), 10**6)
        total += 1
    timeline = x["caller"]["timeline"]
    half = cdr.TIMELINE_ENTRIES // 2
    assert len(timeline) == cdr.TIMELINE_ENTRIES
    assert timeline[0] == {"status": "connecting", "at": at(0)}
    assert timeline[-1]["at"] == at(99 * 3) and timeline[-1]["status"] == x["caller"]["status"]
    assert timeline[half - 1]["at"] < timeline[half]["at"]
    assert x["caller"]["timelineDropped"] + cdr.TIMELINE_ENTRIES == total


def test_an_ended_leg_takes_only_a_sides_own_final_report_and_only_once() -> None:
    x = cdr.offer_seen(leg(), at(0))
    x = cdr.report(x, "callee", "connected", None, at(1), 30)
    x = cdr.report(x, "caller", "closed", {"bytesSent": 100}, at(10), 30)
    assert x["state"] == "ended"
    with pytest.raises(FailedPrecondition) as refused:
        cdr.report_if_changed(x, "caller", "closed", {"bytesSent": 10**12}, at(11), 30)
    assert refused.value.reason == "leg-ended"
    for status in ("connected", "connecting", "disconnected", "new"):
        with pytest.raises(FailedPrecondition):
            cdr.report_if_changed(x, "callee", status, None, at(11), 30)
    # The callee's own end, with its stats, just after: recorded, the leg stays as it ended.
    x2 = cdr.report_if_changed(x, "callee", "closed", {"bytesReceived": 90}, at(12), 30)
    assert x2 is not None and x2["callee"]["stats"]["end"]["bytesReceived"] == 90
    assert (x2["endedAt"], x2["endCause"], x2["disposition"]) == (at(10), "hangup", "ANSWERED")
    with pytest.raises(FailedPrecondition):  # and only once
        cdr.report_if_changed(x2, "callee", "failed", {"bytesReceived": 1}, at(13), 30)


def test_a_final_report_long_after_the_end_is_refused() -> None:
    x = cdr.end(cdr.offer_seen(leg(), at(0)), at(5), "peer-left")
    late = at(5) + cdr.END_REPORT_GRACE + timedelta(seconds=1)
    with pytest.raises(FailedPrecondition):
        cdr.report_if_changed(x, "callee", "closed", None, late, 30)
    assert cdr.report_if_changed(x, "callee", "closed", None, at(6), 30) is not None


def test_side_of() -> None:
    x = leg()
    assert cdr.side_of(x, "a", "sa") == "caller" and cdr.side_of(x, "b", "sb") == "callee"
    assert cdr.side_of(x, "a", "sb") is None and cdr.side_of(x, "c", "sa") is None


def test_rate_limit_per_minute() -> None:
    x = leg()
    for i in range(3):
        x = cdr.report(x, "caller", "connecting" if i % 2 else "connected", None, at(i), 3)
    with pytest.raises(ResourceExhausted) as limited:
        cdr.report(x, "caller", "connected", None, at(10), 3)
    assert limited.value.details["retryAfterSeconds"] == 50
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


def test_the_callees_answer_makes_it_connecting_at_the_answers_time() -> None:
    """Clients do not report their first `connecting`: the trigger records it from the answer."""
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None
    x = cdr.answer_event(x, at(3), "callee", "ufrag-b", sent_at=at(1))
    assert x is not None
    assert x["callee"]["status"] == "connecting"
    assert x["callee"]["timeline"] == [{"status": "connecting", "at": at(1)}]
    x = cdr.report(x, "callee", "connected", None, at(4), 30)
    # A renegotiation's answer (same or new credentials) adds no second `connecting`.
    again = cdr.answer_event(copy.deepcopy(x), at(9), "callee", "ufrag-c", sent_at=at(8))
    assert again is not None and again["callee"]["status"] == "connected"
    assert [t["status"] for t in again["callee"]["timeline"]] == ["connecting", "connected"]


def test_an_answer_seen_after_the_callees_connected_report_goes_first_in_its_timeline() -> None:
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None
    x = cdr.report(x, "callee", "connected", None, at(2), 30)
    late = cdr.answer_event(x, at(5), "callee", "ufrag-b", sent_at=at(1))
    assert late is not None and late["callee"]["status"] == "connected"
    assert late["callee"]["timeline"] == [
        {"status": "connecting", "at": at(1)},
        {"status": "connected", "at": at(2)},
    ]


def test_the_callers_answer_in_a_renegotiation_does_not_touch_the_callee() -> None:
    x = cdr.offer_event(leg(), at(0), "e1", "caller", "ufrag-a")
    assert x is not None
    x = cdr.answer_event(x, at(1), "caller", "ufrag-z")
    assert x is not None and x["callee"]["status"] == "new" and x["callee"]["timeline"] == []
