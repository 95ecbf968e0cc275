"""Connection legs of the CDR: ``report_connection``, the signal trigger's offers, and ending
the legs of a session that leaves, re-joins or times out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from .. import cdr, clock, meetings
from ..config import settings
from ..errors import NotFound, PermissionDenied
from ..meetings import Caller
from ..payloads import ConnectionReport
from ..protocol import ReportConnectionResult
from ..store import legs as store
from ..store import meetings as meeting_store
from ..store import people
from ..store.documents import LegDoc, LegEndCause
from .common import expiry, optimistic

#: Attempts of one leg write against the other writers of the same leg.
_LEG_WRITE_ATTEMPTS = 10
_LEG_BACKOFF = (0.005, 0.02)

#: (uid, session) of one end of a leg.
End = tuple[str, str]
#: What a writer does to a leg: the leg to write, or None when there is nothing to write.
Mutation = Callable[[LegDoc, datetime], LegDoc | None]


def report(caller: Caller, body: ConnectionReport) -> ReportConnectionResult:
    """A client's connection state and stats for one leg (validated, rate-limited)."""
    mine = meeting_store.participant(body.meeting_id, caller.uid).doc
    if mine is None:
        raise PermissionDenied("You are not a participant of this meeting.")
    me, peer = (caller.uid, str(mine.get("session"))), (body.peer, body.peer_session)
    offerer, answerer = (me, peer) if body.role == "caller" else (peer, me)
    per_minute = settings().reports_per_minute
    leg = upsert_leg(
        body.meeting_id,
        offerer,
        answerer,
        lambda leg, now: cdr.report_if_changed(
            leg, body.role, body.status, body.stats, now, per_minute
        ),
    )
    return {"legId": leg["legId"], "state": leg["state"]}


def record_offer(meeting_id: str, caller: End, callee: End, event_id: str) -> None:
    """The signal trigger saw an offer: the leg is connecting.

    Idempotent on the event id: Eventarc delivers at least once, and a redelivered event must
    not move the leg (``cdr.offer_event`` returns None for an id the leg has recorded).
    """
    upsert_leg(meeting_id, caller, callee, lambda leg, now: cdr.offer_event(leg, now, event_id))


def end_session_legs(meeting_id: str, uid: str, session: str, cause: LegEndCause) -> int:
    """End every open leg in which ``uid`` takes part with ``session``."""
    ended = 0
    for leg in store.open_legs(meeting_id, uid, cdr.OPEN_STATES):
        ends = (leg["caller"]["uid"], leg["caller"]["session"])
        other = (leg["callee"]["uid"], leg["callee"]["session"])
        if session not in (ends[1], other[1]):
            continue
        upsert_leg(meeting_id, ends, other, lambda current, now: cdr.end(current, now, cause))
        ended += 1
    return ended


def upsert_leg(meeting_id: str, caller: End, callee: End, mutate: Mutation) -> LegDoc:
    """Create the leg if it is new (identities, IPs, sequence number), then apply ``mutate``.

    The signal trigger and both sides' ``report_connection`` race for the same leg. A
    read-then-write transaction per writer deadlocks under pessimistic locking (two readers
    each wait for the other to upgrade), so this is optimistic instead: read, compute, and
    write only if the document is unchanged since the read (``create`` for a new leg, an
    ``update_time`` precondition otherwise); on a lost race, read again.
    """
    leg_id = cdr.leg_id(meeting_id, caller[1], callee[1])
    templates: list[Callable[[datetime], LegDoc]] = []  # read once, over all attempts

    def write() -> LegDoc:
        current = store.leg(leg_id)
        now = clock.now()
        if current.doc is None:
            if not templates:
                templates.append(_leg_template(meeting_id, caller, callee))
            fresh = templates[0](now)
            leg = mutate(fresh, now)
            if leg is None:
                return fresh  # nothing to record, so no leg either
            store.create_leg(leg)
            return leg
        leg = mutate(current.doc, now)
        if leg is None:
            return current.doc
        store.update_leg(leg, current.version)
        return leg

    return optimistic(
        write,
        attempts=_LEG_WRITE_ATTEMPTS,
        backoff=_LEG_BACKOFF,
        busy="The connection record is busy; try again.",
    )


def _leg_template(meeting_id: str, caller: End, callee: End) -> Callable[[datetime], LegDoc]:
    """Read what a new leg records about its two ends; return a builder for a given time."""
    got = store.ends(
        meeting_id,
        meetings.join_record_id(meeting_id, *caller),
        meetings.join_record_id(meeting_id, *callee),
        (caller[0], callee[0]),
    )
    if got.caller_join is None or got.callee_join is None:
        # Sessions that never joined this meeting: no such connection to record.
        raise NotFound("No connection between these sessions in this meeting.")
    seq = store.count_legs(meeting_id, sorted([caller[0], callee[0]])) + 1
    org = people.org(got.meeting.get("orgId") if got.meeting is not None else None)

    def build(now: datetime) -> LegDoc:
        return cdr.new_leg(
            meeting_id,
            cdr.side_info(caller[0], caller[1], got.caller_identity, got.caller_join),
            cdr.side_info(callee[0], callee[1], got.callee_identity, got.callee_join),
            seq=seq,
            now=now,
            expires_at=expiry(now, org),
        )

    return build
