"""``leave_meeting`` and closing a participant out (also the sweep's, after a heartbeat
time-out): the participant turns ``left``, its join record and legs end, its signals go."""

from __future__ import annotations

import logging

from .. import cdr, clock, meetings
from ..meetings import Caller
from ..payloads import LeaveMeeting
from ..protocol import LeaveMeetingResult, ParticipantEndCause
from ..store import meetings as store
from . import quotas
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, optimistic
from .connections import end_session_legs
from .lobby import withdraw

log = logging.getLogger("avmeets")


def leave(caller: Caller, body: LeaveMeeting) -> LeaveMeetingResult:
    quotas.check_probes(caller.uid)
    quotas.found_or_probe(caller.uid, store.meeting_exists(body.meeting_id) or None)
    withdraw(body.meeting_id, caller.uid)  # a knocker that gives up waiting
    if close_participant(body.meeting_id, caller.uid, None, "left"):
        log.info(
            "left: %s uid=%s",
            body.meeting_id,
            caller.uid,
            extra={"meetingId": body.meeting_id, "uid": caller.uid},
        )
    else:
        finish_close(body.meeting_id, caller.uid)
    return {"left": True}


def finish_close(meeting_id: str, uid: str) -> int:
    """What a leave repeated after its participant left still does: end the legs of the
    session it left and drop its signals. A leave that died between its commit and those steps
    (the emulator answered one with CANCELLED there) would otherwise leave them for good:
    nothing else closes out a participant who has left, its presence document having gone with
    the commit. Both steps are idempotent; returns the legs it ended."""
    data = store.participant(meeting_id, uid).doc
    if data is None or data.get("state") not in (meetings.LEFT, meetings.REMOVED):
        return 0
    session, cause = data.get("session"), data.get("endCause")
    if not isinstance(session, str) or cause is None:
        return 0
    ended = end_session_legs(meeting_id, uid, session, cdr.leave_cause(cause))
    if ended:
        log.warning(
            "leave: ended %d leg(s) an earlier close-out of %s in %s had left open",
            ended,
            uid,
            meeting_id,
            extra={"meetingId": meeting_id, "uid": uid},
        )
    store.delete_signals_of(meeting_id, uid)
    return ended


def close_participant(
    meeting_id: str,
    uid: str,
    expected_session: str | None,
    cause: ParticipantEndCause,
    *,
    closed_by: str | None = None,
) -> bool:
    """Mark a participant left (``removed`` for that cause), close its join record and legs,
    drop its signals. ``closed_by`` is the host who removed it or ended the meeting.

    Idempotent; with ``expected_session`` it only acts while that session is current (the
    sweep must not close a participant that re-joined meanwhile). True when it closed one.
    """

    def close() -> str | None:
        """The closed session, or None. Optimistic like the join: the update commits only if
        the participant document is unchanged since read (a heartbeat or a re-join in between
        makes it read again)."""
        mine = store.participant(meeting_id, uid)
        data = mine.doc
        if data is None or data.get("state") != meetings.JOINED:
            return None
        if expected_session is not None and data.get("session") != expected_session:
            return None
        session = str(data["session"])
        store.commit_leave(
            meeting_id,
            uid,
            mine.version,
            record_id=meetings.join_record_id(meeting_id, uid, session),
            now=clock.now(),
            cause=cause,
            closed_by=closed_by,
        )
        return session

    session = optimistic(
        close, attempts=JOIN_ATTEMPTS, backoff=JOIN_BACKOFF, busy="The meeting is busy; try again."
    )
    if session is None:
        return False
    end_session_legs(meeting_id, uid, session, cdr.leave_cause(cause))
    store.delete_signals_of(meeting_id, uid)
    return True
