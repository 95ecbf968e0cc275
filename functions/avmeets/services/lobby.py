"""The lobby: ``knock`` (ask to join and wait for a host), giving up, and the sweep of knocks
whose knocker went silent. A host's answer is ``host_action`` (``services.hosts``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from .. import clock, hosting, meetings
from ..config import settings
from ..meetings import Caller
from ..payloads import Knock
from ..protocol import KnockResult
from ..store import lobby as store
from ..store import meetings as meeting_store
from . import quotas
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, expiry, optimistic
from .joins import check_password, chosen_name

log = logging.getLogger("avmeets")
#: Silent knocks given up per sweep (the next sweep takes the rest).
SWEEP_BATCH = 500


def knock(caller: Caller, body: Knock) -> KnockResult:
    """Ask to join: ``admitted`` when nothing stands in the way (call ``join_meeting``), else
    a waiting knock the hosts see. The knocker repeats the call every ``heartbeatSeconds`` while
    it waits: each renews the knock (and may change the name); one not renewed for
    ``HEARTBEAT_TIMEOUT_SECONDS`` is withdrawn by the sweep."""
    name = chosen_name(caller, body.display_name)
    beat = settings().knock_seconds
    quotas.check_probes(caller.uid)
    found = quotas.found_or_probe(caller.uid, meeting_store.meeting(body.meeting_id).doc)
    meeting = meetings.check_joinable(found)
    mine = meeting_store.participant(body.meeting_id, caller.uid).doc
    previous = store.knock(body.meeting_id, caller.uid).doc
    entry = hosting.gate(meeting, mine, previous, caller.uid)
    if entry.kind == "in":
        return {"state": "admitted", "heartbeatSeconds": beat}
    already_waiting = previous is not None and previous.get("state") == hosting.WAITING
    if meeting.get("hasPassword") and not already_waiting:
        check_password(body.meeting_id, caller.uid, body.password)
    if not already_waiting:  # a new knock asks to join: the join quotas count it
        quotas.charge_knock(caller.uid, body.meeting_id)
    # The organisation as admitted at the boundary (a verified address), as hosts are told.
    org = caller.org
    same_org = caller.org_id is not None and caller.org_id == meeting.get("orgId")
    if name is None:
        name = str(previous["displayName"]) if already_waiting and previous else None
    earlier = mine.get("displayName") if mine is not None else None
    display_name = name or earlier or caller.display_name

    def write() -> KnockResult:
        current = store.knock(body.meeting_id, caller.uid)
        fresh = meetings.check_joinable(meeting_store.meeting(body.meeting_id).doc)
        again = hosting.gate(fresh, mine, current.doc, caller.uid)
        if again.kind == "in":  # a host answered, or switched the lobby off, meanwhile
            return {"state": "admitted", "heartbeatSeconds": beat}
        now = clock.now()
        doc = hosting.knock_doc(
            current.doc,
            uid=caller.uid,
            display_name=str(display_name),
            same_org=same_org,
            was_removed=again.was_removed,
            now=now,
            expires_at=max(expiry(now, org), fresh["expiresAt"]),
        )
        store.put_knock(body.meeting_id, doc, current.version)
        return {"state": "waiting", "heartbeatSeconds": beat}

    result = optimistic(
        write,
        attempts=JOIN_ATTEMPTS,
        backoff=JOIN_BACKOFF,
        busy="The meeting is busy; try again.",
    )
    if result["state"] == "waiting" and not already_waiting:
        log.info(
            "knock: %s uid=%s",
            body.meeting_id,
            caller.uid,
            extra={"meetingId": body.meeting_id, "uid": caller.uid},
        )
    return result


def withdraw(meeting_id: str, uid: str, cause: str = hosting.WITHDRAWN) -> bool:
    """A waiting knock ends (the knocker left or went silent, or the meeting ended): True when
    there was one."""

    def attempt() -> bool:
        current = store.knock(meeting_id, uid)
        if current.doc is None or current.doc.get("state") != hosting.WAITING:
            return False
        store.set_knock_state(
            meeting_id, uid, current.version, {"state": cause, "decidedAt": clock.now()}
        )
        return True

    return optimistic(
        attempt, attempts=JOIN_ATTEMPTS, backoff=JOIN_BACKOFF, busy="The meeting is busy."
    )


def sweep(now: datetime) -> int:
    """Withdraw the knocks whose knocker stopped knocking (run with the heartbeat sweep)."""
    cutoff = now - timedelta(seconds=settings().knock_timeout_seconds)
    return sum(withdraw(k.meeting_id, k.uid) for k in store.stale_knocks(cutoff, SWEEP_BATCH))
