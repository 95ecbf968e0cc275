"""Presence: beats keep a participant in (its own writes of ``presence/{uid}``, or the
``heartbeat`` callable); the sweep closes out the silent ones."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
#: Silent participants read per page of the sweep's query.
SWEEP_BATCH = 500
#: Seconds one sweep run keeps paging (the next run, a minute later, takes the rest): within the
#: scheduled function's 60 s timeout, so runs never overlap. At scale a run has more than one
#: page to close (docs/capacity.md, "The sweep"); one page a minute fell behind at about 1.3 M
#: participants a day.
SWEEP_BUDGET_SECONDS = 45.0
#: Participants closed out at once: each close-out is a few dependent round trips to Firestore.
SWEEP_WORKERS = 8


def heartbeat(caller: Caller, body: Heartbeat) -> HeartbeatResult:
    """A beat for clients without Firestore (the web client writes its presence document
    itself: one write instead of an invocation, a read and a write). Writes at most every half
    interval, as the rules allow a client."""
    interval = settings().heartbeat_seconds
    mine = store.presence(body.meeting_id, caller.uid)
    if mine is None:  # not joined: say why
        data = store.participant(body.meeting_id, caller.uid).doc
        if data is not None and data.get("state") == meetings.REMOVED:
            raise FailedPrecondition(
                "A host removed you from this meeting.", reason=ErrorReason.REMOVED
            )
        if data is not None and data.get("endCause") == "meeting-ended":
            raise FailedPrecondition("This meeting has ended.", reason=ErrorReason.MEETING_ENDED)
        raise FailedPrecondition(
            "You are not in this meeting; join again.", reason=ErrorReason.NOT_JOINED
        )
    now = clock.now()
    due = (now - mine["lastSeenAt"]).total_seconds() >= meetings.min_beat_gap(interval)
    if due and not store.touch_presence(body.meeting_id, caller.uid, now):
        # closed out between the read and the write
        raise FailedPrecondition(
            "You are not in this meeting; join again.", reason=ErrorReason.NOT_JOINED
        )
    return {"intervalSeconds": interval}


def sweep(
    now: datetime,
    *,
    batch: int = SWEEP_BATCH,
    budget_seconds: float = SWEEP_BUDGET_SECONDS,
    monotonic: Callable[[], float] = time.monotonic,
) -> int:
    """Close out participants whose heartbeat stopped (run every minute by the scheduler).

    Pages through the silent participants until a page is short, the time budget is spent, or
    a page brings nobody new (a close-out that keeps losing its race is left to the next run).
    """
    cutoff = now - timedelta(seconds=settings().heartbeat_timeout_seconds)
    deadline = monotonic() + budget_seconds
    seen: set[tuple[str, str]] = set()
    closed = 0
    groups = meetings.sweep_shard_groups()
    with ThreadPoolExecutor(max_workers=SWEEP_WORKERS) as pool:
        while True:
            page = store.silent_participants(cutoff, batch, groups)
            fresh = [s for s in page if (s.meeting_id, s.uid) not in seen]
            seen.update((s.meeting_id, s.uid) for s in fresh)
            closed += sum(pool.map(_close_silent, fresh))
            if len(page) < batch or not fresh or monotonic() >= deadline:
                return closed


def _close_silent(silent: store.Silent) -> bool:
    # In a meeting that ended, this one was left over by an end that died midway.
    meeting = store.meeting(silent.meeting_id).doc
    ended = meeting is not None and meeting.get("state") == "ended"
    cause: ParticipantEndCause = "meeting-ended" if ended else "heartbeat-timeout"
    if not close_participant(silent.meeting_id, silent.uid, silent.session, cause):
        # Nobody joined behind it (the leave deletes it with the participant; this one was
        # left by a session replaced without a leave): drop it, or every run finds it again.
        current = store.participant(silent.meeting_id, silent.uid).doc
        if current is None or current.get("state") != meetings.JOINED:
            store.delete_presence(silent.meeting_id, silent.uid)
        return False
    log.info(
        "closed out silent participant %s in %s",
        silent.uid,
        silent.meeting_id,
        extra={"meetingId": silent.meeting_id, "uid": silent.uid},
    )
    return True
