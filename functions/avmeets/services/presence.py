"""Presence: ``heartbeat`` keeps a participant in; the sweep closes out the silent ones."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .. import clock, meetings
from ..config import settings
from ..errors import FailedPrecondition
from ..meetings import Caller
from ..payloads import Heartbeat
from ..protocol import ErrorReason, HeartbeatResult, ParticipantEndCause
from ..store import meetings as store
from .leaves import close_participant

log = logging.getLogger("avmeets")
#: Silent participants closed out per sweep (the next sweep, a minute later, takes the rest).
SWEEP_BATCH = 500


def heartbeat(caller: Caller, body: Heartbeat) -> HeartbeatResult:
    """Keep the caller's participation alive; cheap: writes at most every half interval."""
    data = store.participant(body.meeting_id, caller.uid).doc
    if data is not None and data.get("state") == meetings.REMOVED:
        raise FailedPrecondition(
            "A host removed you from this meeting.", reason=ErrorReason.REMOVED
        )
    if data is not None and data.get("endCause") == "meeting-ended":
        raise FailedPrecondition("This meeting has ended.", reason=ErrorReason.MEETING_ENDED)
    if data is None or data.get("state") != meetings.JOINED:
        raise FailedPrecondition(
            "You are not in this meeting; join again.", reason=ErrorReason.NOT_JOINED
        )
    now = clock.now()
    interval = settings().heartbeat_seconds
    last = data.get("lastSeenAt")
    if last is None or (now - last).total_seconds() >= interval / 2:
        store.touch_participant(body.meeting_id, caller.uid, now)
    return {"intervalSeconds": interval}


def sweep(now: datetime) -> int:
    """Close out participants whose heartbeat stopped (run every minute by the scheduler)."""
    cutoff = now - timedelta(seconds=settings().heartbeat_timeout_seconds)
    closed = 0
    for silent in store.silent_participants(cutoff, SWEEP_BATCH):
        # In a meeting that ended, this one was left over by an end that died midway.
        meeting = store.meeting(silent.meeting_id).doc
        ended = meeting is not None and meeting.get("state") == "ended"
        cause: ParticipantEndCause = "meeting-ended" if ended else "heartbeat-timeout"
        if close_participant(silent.meeting_id, silent.uid, silent.session, cause):
            log.info(
                "closed out silent participant %s in %s",
                silent.uid,
                silent.meeting_id,
                extra={"meetingId": silent.meeting_id, "uid": silent.uid},
            )
            closed += 1
    return closed
