"""Call Data Records: one document per connection leg between two participants.

A leg is one peer connection between two sessions: the offerer (``caller``) and the answerer
(``callee``), after telephony CDRs: *start* when the offer is seen, *answer* when a side first
reports ``connected``, *end* when a side closes, fails, leaves or vanishes. Status values are
``RTCPeerConnection.connectionState``; stats follow the W3C webrtc-stats dictionaries. Functions
here take a leg (``store.documents.LegDoc``) and return the leg to write; the services do the
I/O. Pure: the time comes in as an argument.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final, cast, get_args

from .errors import FailedPrecondition, ResourceExhausted
from .protocol import (
    CONNECTION_STATUSES,
    ROLES,
    ConnectionStatus,
    ErrorReason,
    LegState,
    Limits,
    ParticipantEndCause,
    Role,
)
from .store.documents import (
    IpInfo,
    LegDoc,
    LegEndCause,
    LegSide,
    LegStats,
    PathRecord,
    StatsSnapshot,
    StatusChange,
)

SIDES: Final = ROLES
STATUSES: Final = CONNECTION_STATUSES
CONNECTING: Final = "connecting"
CONNECTED: Final = "connected"
ENDED: Final = "ended"
#: Legs in these states are open: a leave or a time-out ends them.
OPEN_STATES: Final[tuple[LegState, ...]] = (CONNECTING, CONNECTED)
# A side reporting one of these has given up on the connection: the leg ends.
_FINAL: Final[dict[str, LegEndCause]] = {"closed": "hangup", "failed": "ice-failed"}
FINAL_STATUSES: Final = frozenset(_FINAL)
_UNKNOWN_IP: Final[IpInfo] = {"kind": "invalid", "known": False}
#: Signal-trigger event ids a leg remembers. A leg sees one offer per negotiation (the first
#: and the odd renegotiation), and at-least-once delivery repeats an event soon after the first.
EVENTS_KEPT = 8
END_CAUSES: Final[tuple[LegEndCause, ...]] = get_args(LegEndCause)
PARTICIPANT_END_CAUSES: Final[tuple[ParticipantEndCause, ...]] = get_args(ParticipantEndCause)
#: After a leg ends, a side that has not reported its own end may still send that one final
#: report (``closed`` / ``failed``, with its end stats) for this long: the other side's leave
#: or failure usually ends the leg a moment before this side notices.
END_REPORT_GRACE: Final = timedelta(seconds=60)
#: Status changes a side's timeline keeps: the first half and the latest half.
TIMELINE_ENTRIES: Final = Limits.TIMELINE_ENTRIES
ICE_RESTARTS_MAX: Final = Limits.ICE_RESTARTS_MAX


def leg_id(meeting_id: str, caller_session: str, callee_session: str) -> str:
    """Deterministic, so a redelivered event or a racing report finds the leg, not a twin."""
    return f"{meeting_id}_{caller_session}_{callee_session}"


def side_info(
    uid: str,
    session: str,
    identity: Mapping[str, Any] | None,
    join: Mapping[str, Any] | None,
) -> LegSide:
    """One end of a leg: who (from the sign-in identity) and from where (from the join)."""
    identity = identity or {}
    join = join or {}
    return {
        "uid": uid,
        "session": session,
        "name": identity.get("name"),
        "email": identity.get("email"),
        "phone": identity.get("phone"),
        "provider": identity.get("provider"),
        "ip": join.get("ip"),
        "ipInfo": join.get("ipInfo") or dict(_UNKNOWN_IP),  # type: ignore[typeddict-item]
        "userAgent": join.get("userAgent"),
        "status": "new",
        # This side's own end of the path is a relay candidate (its address hidden from the
        # other side, e.g. privacy mode): from its latest stats; None until it reports them.
        "relayed": None,
        "timeline": [],
        "reports": {"windowStart": None, "count": 0},
        "stats": {},
    }


def new_leg(
    meeting_id: str,
    caller: LegSide,
    callee: LegSide,
    seq: int,
    now: datetime,
    expires_at: datetime,
) -> LegDoc:
    """A leg as first seen: both sides ``new``; the caller's offer makes it connecting."""
    return {
        "meetingId": meeting_id,
        "legId": leg_id(meeting_id, caller["session"], callee["session"]),
        "seq": seq,
        "uids": sorted([caller["uid"], callee["uid"]]),
        "iceRestarts": 0,
        "state": CONNECTING,
        "startedAt": now,
        "answeredAt": None,
        "endedAt": None,
        "durationMs": None,
        "connectedMs": None,
        "disposition": None,
        "endCause": None,
        # Either side reported a relayed path (None until one reports its stats).
        "relayed": None,
        "updatedAt": now,
        "expiresAt": expires_at,
        "caller": caller,
        "callee": callee,
    }


def _ms(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() * 1000))


def _set_status(leg: LegDoc, side: Role, status: ConnectionStatus, now: datetime) -> bool:
    """Record a status change of one side; False when it is not a change.

    The timeline keeps the first and the latest ``TIMELINE_ENTRIES // 2`` changes and counts
    the ones in between (``timelineDropped``), so a side flapping for hours cannot grow it.
    ICE restarts are not counted from statuses (a client could report any sequence); the
    signal trigger counts them from the ICE credentials of the offers (``offer_event``).
    """
    info = leg[side]
    if info.get("status") == status:
        return False
    info["status"] = status
    _put_timeline(info, [*info.get("timeline", []), StatusChange(status=status, at=now)])
    return True


def _put_timeline(info: LegSide, timeline: list[StatusChange]) -> None:
    """Store a side's timeline, keeping the first and the latest ``TIMELINE_ENTRIES // 2``
    entries and counting the ones left out (``timelineDropped``)."""
    if len(timeline) > TIMELINE_ENTRIES:
        half = TIMELINE_ENTRIES // 2
        info["timelineDropped"] = int(info.get("timelineDropped", 0)) + len(timeline) - 2 * half
        timeline = timeline[:half] + timeline[-half:]
    info["timeline"] = timeline


def leave_cause(cause: ParticipantEndCause) -> LegEndCause:
    """How a participant's end ends its legs: its own leave is a hang-up, the rest carry over."""
    return "hangup" if cause == "left" else cause


def peer_gone_cause(
    peer: Mapping[str, Any] | None, peer_session: str, joined: str
) -> LegEndCause | None:
    """Why the other end of a leg is gone, from its participant document, or None while that
    session is still in the meeting. A survivor's closing report after the peer was closed out
    then records the peer's cause, not its own hang-up: the CDR says the same whichever of the
    two (the close-out's leg ends, the survivor's report) reaches the leg first."""
    if peer is None:
        return "peer-left"
    if peer.get("session") != peer_session:
        return "rejoined"
    if peer.get("state") == joined:
        return None
    cause = peer.get("endCause")
    return leave_cause(cause) if cause in PARTICIPANT_END_CAUSES else "peer-left"


def end(leg: LegDoc, now: datetime, cause: LegEndCause) -> LegDoc:
    """End the leg (no-op when it has ended already) with telephony-style totals."""
    if leg.get("state") == ENDED:
        return leg
    answered: datetime | None = leg.get("answeredAt")
    leg["state"] = ENDED
    leg["endedAt"] = now
    leg["durationMs"] = _ms(now - leg["startedAt"])
    leg["connectedMs"] = _ms(now - answered) if answered else 0
    if answered:
        leg["disposition"] = "ANSWERED"
    else:
        leg["disposition"] = "FAILED" if cause == "ice-failed" else "NO ANSWER"
    leg["endCause"] = cause
    leg["updatedAt"] = now
    return leg


def offer_seen(leg: LegDoc, now: datetime) -> LegDoc:
    """The caller's offer arrived: the caller side is connecting (a renegotiation offer of the
    same leg changes nothing)."""
    if leg["caller"].get("status") == "new" and leg.get("state") != ENDED:
        _set_status(leg, "caller", CONNECTING, now)
        leg["updatedAt"] = now
    return leg


def side_of(leg: Mapping[str, Any], uid: str, session: str) -> Role | None:
    """Which side of ``leg`` the session ``session`` of ``uid`` is, if either."""
    for side in SIDES:
        end_ = leg.get(side) or {}
        if end_.get("uid") == uid and end_.get("session") == session:
            return side
    return None


def offer_event(
    leg: LegDoc, now: datetime, event_id: str, side: Role = "caller", ufrag: str | None = None
) -> LegDoc | None:
    """An offer from ``side`` seen by the signal trigger (event ``event_id``): the first one
    makes the caller connecting; a later one, from either side, is a renegotiation of the same
    leg, and an ICE restart when it carries new ICE credentials (``ufrag``, a digest) on a leg
    that was answered. None when there is nothing to write: the event was applied already
    (delivered twice), or the leg has ended."""
    seen: list[str] = list(leg.get("signalEvents") or [])
    if event_id in seen or leg.get("state") == ENDED:
        return None
    if side == "caller":
        leg = offer_seen(leg, now)
    if ufrag is not None:
        previous = leg[side].get("iceUfrag")
        restarted = previous is not None and previous != ufrag and leg.get("answeredAt")
        if restarted and int(leg.get("iceRestarts", 0)) < ICE_RESTARTS_MAX:
            leg["iceRestarts"] = int(leg.get("iceRestarts", 0)) + 1
        leg[side]["iceUfrag"] = ufrag
    leg["signalEvents"] = [*seen, event_id][-EVENTS_KEPT:]
    leg["updatedAt"] = now
    return leg


def answer_event(
    leg: LegDoc, now: datetime, side: Role, ufrag: str | None, sent_at: datetime | None = None
) -> LegDoc | None:
    """An answer from ``side`` (written at ``sent_at``), seen by the signal trigger at ``now``.

    The callee's first answer is when it started connecting, as the offer is the caller's: a
    client need not report that. Should its own ``connected`` report have got to the leg
    before this trigger, that moment goes in front of the report in its timeline. The answer's
    ICE credentials are remembered, so that the side's next offer with the same ones is not
    mistaken for a restart. None when nothing changes."""
    if leg.get("state") == ENDED:
        return None
    changed = side == "callee" and _answer_connecting(leg, sent_at or now)
    if ufrag is not None and leg[side].get("iceUfrag") != ufrag:
        leg[side]["iceUfrag"] = ufrag
        changed = True
    if not changed:
        return None
    leg["updatedAt"] = now
    return leg


def is_first_answer(leg: Mapping[str, Any], side: Role | None, ufrag: str | None) -> bool:
    """Whether an answer from ``side`` with ICE credentials ``ufrag`` is the callee's first on
    an open leg: the one that gives the callee its ICE credentials, which the leg keeps from
    then on, so there is exactly one per leg. The offer that made the leg paid the signal
    quota for it (``services.signals``)."""
    return (
        side == "callee"
        and ufrag is not None
        and leg.get("state") != ENDED
        and not (leg.get("callee") or {}).get("iceUfrag")
    )


def _answer_connecting(leg: LegDoc, at: datetime) -> bool:
    info = leg["callee"]
    timeline = list(info.get("timeline") or [])
    if any(entry.get("status") == CONNECTING for entry in timeline):
        return False
    if info.get("status") == "new":
        return _set_status(leg, "callee", CONNECTING, at)
    if not timeline or timeline[0]["at"] < at:
        return False  # reported before it answered: not the start of this connection
    _put_timeline(info, [StatusChange(status=CONNECTING, at=at), *timeline])
    return True


def check_report(
    leg: Mapping[str, Any], side: Role, status: ConnectionStatus, now: datetime
) -> None:
    """Refuse a report the leg can no longer take (``FailedPrecondition``, ``leg-ended``).

    An open leg takes any report of either side. An ended one only the final report of a side
    that has not reported its own end yet, within ``END_REPORT_GRACE`` of the end; nothing
    reopens a leg or rewrites what a side said at its end.
    """
    if leg.get("state") != ENDED:
        return
    ended: datetime | None = leg.get("endedAt")
    own = (leg.get(side) or {}).get("status")
    if (
        status in _FINAL
        and own not in _FINAL
        and ended is not None
        and now - ended <= END_REPORT_GRACE
    ):
        return
    raise FailedPrecondition(
        "This connection's record has ended; there is nothing more to report for it.",
        reason=ErrorReason.LEG_ENDED,
    )


def report_if_changed(
    leg: LegDoc,
    side: Role,
    status: ConnectionStatus,
    stats: Mapping[str, Any] | None,
    now: datetime,
    per_minute: int,
    path: PathRecord | None = None,
    peer_gone: LegEndCause | None = None,
) -> LegDoc | None:
    """``report``, or None when the report would change nothing but its own rate-limit counter
    (the side already has this status and sends no stats): nothing to write. The caller's
    ``connecting`` usually is such a report, the signal trigger having recorded it first.
    Raises ``FailedPrecondition`` (``leg-ended``) as ``check_report`` says."""
    check_report(leg, side, status, now)
    if stats is None and path is None and leg[side].get("status") == status:
        return None
    return report(leg, side, status, stats, now, per_minute, path, peer_gone)


def report(
    leg: LegDoc,
    side: Role,
    status: ConnectionStatus,
    stats: Mapping[str, Any] | None,
    now: datetime,
    per_minute: int,
    path: PathRecord | None = None,
    peer_gone: LegEndCause | None = None,
) -> LegDoc:
    """Apply one client report of ``side``'s connection state (and stats, and the addresses
    its connection uses), rate-limited. A final report ends the leg with ``peer_gone`` when
    the other end had already left (``peer_gone_cause``), else with the report's own cause."""
    info = leg[side]
    window = cast(Mapping[str, Any] | None, info.get("reports")) or {}
    start: datetime | None = window.get("windowStart")
    if start is None or now - start >= timedelta(minutes=1):
        window = {"windowStart": now, "count": 0}
    if window["count"] >= per_minute:
        left = timedelta(minutes=1) - (now - window["windowStart"])
        raise ResourceExhausted(
            "Too many connection reports; slow down.",
            reason=ErrorReason.RATE_LIMITED,
            retryAfterSeconds=max(1, math.ceil(left.total_seconds())),
        )
    info["reports"] = {"windowStart": window["windowStart"], "count": window["count"] + 1}

    _set_status(leg, side, status, now)
    if stats is not None:
        snapshot = cast(StatsSnapshot, {**stats, "at": now})
        merged: LegStats = {**info.get("stats", {})}
        if status == CONNECTED:
            merged["connect"] = snapshot
        else:
            merged["end"] = snapshot
        info["stats"] = merged
        record_relayed(leg, side, stats)
    if path is not None:
        info["path"] = path
    if leg.get("state") != ENDED:
        if status == CONNECTED and leg.get("answeredAt") is None:
            leg["answeredAt"] = now
            leg["state"] = CONNECTED
        if status in _FINAL:
            end(leg, now, peer_gone or _FINAL[status])
    leg["updatedAt"] = now
    return leg


def record_relayed(leg: LegDoc, side: Role, stats: Mapping[str, Any]) -> None:
    """Whether ``side``'s own end goes through the relay, and whether the leg does at all."""
    local = stats.get("localCandidateType")
    if isinstance(local, str):
        leg[side]["relayed"] = local == "relay"
    if stats.get("relayed") is True or local == "relay":
        leg["relayed"] = True
    elif stats.get("relayed") is False and leg.get("relayed") is None:
        leg["relayed"] = False
