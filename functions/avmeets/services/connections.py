"""Connection legs of the CDR: the signal trigger's offers and answers (the only way a leg is
made), ``report_connection`` (each side moves its own side of an existing leg), and ending the
legs of a session that leaves, re-joins or times out.

Who may write what, and why a participant cannot forge the record:

* A leg is created only by the signal trigger, from an offer that the rules let through (both
  sessions joined when it was written) and that the trigger found valid, within the account's
  and the meeting's leg quotas. Two sessions have one leg whichever of them offers later: a
  renegotiation (a screen share, an ICE restart, from either side) belongs to it.
* A report moves only the reporting side of an existing leg of the caller's current session,
  while the caller is in the meeting and the leg has not ended (the one exception: a side's own
  final report just after the other side ended it). It never creates a leg.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime

from .. import cdr, clock, connection_path, geo, meetings, quota
from ..config import settings
from ..errors import InvalidArgument, NotFound, PermissionDenied
from ..meetings import Caller
from ..payloads import ConnectionReport
from ..protocol import ReportConnectionResult, Role
from ..store import core, people
from ..store import legs as store
from ..store import meetings as meeting_store
from ..store.core import Versioned
from ..store.documents import (
    EarlyAnswer,
    JoinRecordDoc,
    LegDoc,
    LegEndCause,
    ParticipantDoc,
)
from . import quotas
from .common import expiry, optimistic

log = logging.getLogger("avmeets")

#: Attempts of one leg write against the other writers of the same leg.
_LEG_WRITE_ATTEMPTS = 10
_LEG_BACKOFF = (0.005, 0.02)
_BUSY = "The connection record is busy; try again."

#: (uid, session) of one end of a leg.
End = tuple[str, str]
#: What a writer does to a leg: the leg to write, or None when there is nothing to write.
Mutation = Callable[[LegDoc, datetime], LegDoc | None]


class LegQuotaExceeded(Exception):
    """A new leg would exceed the offering account's or the meeting's leg quota."""


def report(caller: Caller, body: ConnectionReport) -> ReportConnectionResult:
    """A client's connection state and stats for its own side of one leg (rate-limited)."""
    if body.peer == caller.uid:
        raise InvalidArgument("'peer' must be another participant, not yourself.", field="peer")
    mine = meeting_store.participant(body.meeting_id, caller.uid).doc
    if mine is None or mine.get("state") != meetings.JOINED:
        raise PermissionDenied("You are not a participant of this meeting.")
    session = str(mine.get("session"))
    me, peer = (caller.uid, session), (body.peer, body.peer_session)
    # The direction the client believes first; the other one too (after a renegotiation the
    # callee may well think it offered).
    first, second = (me, peer) if body.role == "caller" else (peer, me)
    found = store.leg_between(
        cdr.leg_id(body.meeting_id, first[1], second[1]),
        cdr.leg_id(body.meeting_id, second[1], first[1]),
    )
    if found is None:
        raise NotFound(
            "The server has no record of this connection (no offer between these sessions "
            "seen yet); report again in a moment."
        )
    leg_id, read = found
    per_minute = settings().reports_per_minute
    peer_gone = None
    if body.status in cdr.FINAL_STATUSES:
        peer_doc = meeting_store.participant(body.meeting_id, body.peer).doc
        peer_gone = cdr.peer_gone_cause(peer_doc, body.peer_session, meetings.JOINED)

    def mutate(leg: LegDoc, now: datetime) -> LegDoc | None:
        side = cdr.side_of(leg, caller.uid, session)
        other: Role = "callee" if side == "caller" else "caller"
        if side is None or leg[other].get("uid") != body.peer:
            raise NotFound("No such connection of yours in this meeting.")
        path = None
        if body.path is not None:
            join_ip = leg[side].get("ip")
            path = connection_path.record(body.path, join_ip, now, geo.lookup_configured)
        return cdr.report_if_changed(
            leg, side, body.status, body.stats, now, per_minute, path, peer_gone
        )

    leg = update_leg(leg_id, mutate, read)
    return {"legId": leg["legId"], "state": leg["state"]}


def record_offer(
    meeting_id: str,
    sender: End,
    addressee: End,
    event_id: str,
    ufrag: str | None,
    sent_at: datetime | None = None,
) -> None:
    """The signal trigger saw a valid offer from ``sender`` to ``addressee``.

    A renegotiation of the leg these two sessions already have (either direction) is recorded
    on it; otherwise a new leg starts, the sender its caller, if the quotas allow
    (``LegQuotaExceeded``). Idempotent on the event id: Eventarc delivers at least once.
    """

    def renegotiate(leg: LegDoc, now: datetime) -> LegDoc | None:
        side = cdr.side_of(leg, *sender)
        if side is None:
            return None
        return cdr.offer_event(leg, now, event_id, side, ufrag)

    found = store.leg_between(*_leg_ids(meeting_id, sender, addressee))
    if found is not None:
        _update_if_there(*found, renegotiate, "its renegotiation was recorded")
        return

    def first(leg: LegDoc, now: datetime) -> LegDoc | None:
        return cdr.offer_event(leg, now, event_id, "caller", ufrag)

    _start_leg(meeting_id, sender, addressee, first, renegotiate, sent_at)


def record_answer(
    meeting_id: str,
    sender: End,
    addressee: End,
    ufrag: str | None,
    sent_at: datetime | None = None,
    *,
    first_only: bool = False,
) -> bool:
    """The signal trigger saw a valid answer: the callee is connecting, and the answer's ICE
    credentials tell later restarts.

    Triggers run in any order and side by side (Cloud Functions on as many instances as there
    are events; the functions emulator starts another worker for a trigger whose worker is
    busy): when the answer's runs before its offer's has made the leg, it keeps the answer on
    the answerer's join record, and the offer's trigger, which reads that record to make the
    leg and again once it is made (``_leg_template``, ``_settle``), takes it from there. Else
    the callee's `connecting` would be lost. An answer to no offer only ever sits there: no leg
    is made from it.

    ``first_only``: record it only if it is the callee's first answer on its leg
    (``cdr.is_first_answer``, decided in the leg's own transaction, so of two at once only one
    is); False, and nothing written, for any other. Else True."""
    first = False

    def remember(leg: LegDoc, now: datetime) -> LegDoc | None:
        nonlocal first
        side = cdr.side_of(leg, *sender)
        first = cdr.is_first_answer(leg, side, ufrag)
        if side is None or (first_only and not first):
            return None
        return cdr.answer_event(leg, now, side, ufrag, sent_at)

    found = store.leg_between(*_leg_ids(meeting_id, sender, addressee))
    if found is not None:
        _update_if_there(*found, remember, "its answer was recorded")
        return first or not first_only
    if first_only:
        return False
    early: EarlyAnswer = {"at": sent_at or clock.now(), "iceUfrag": ufrag}
    store.note_early_answer(meetings.join_record_id(meeting_id, *sender), addressee[1], early)
    # The offer's trigger, running beside this one, may have read the join record before the
    # answer was kept there and made the leg since the lookup above. It reads the record again
    # once the leg is made (``_start_leg``) and this looks for the leg again once the answer is
    # kept: of two writes each followed by a read of the other's, one read sees the other write.
    found = store.leg_between(*_leg_ids(meeting_id, sender, addressee))
    if found is not None:
        _update_if_there(*found, remember, "its answer was recorded")
    return True


def _leg_ids(meeting_id: str, one: End, other: End) -> tuple[str, str]:
    """The ids the leg of two sessions can have: either may be its caller."""
    return cdr.leg_id(meeting_id, one[1], other[1]), cdr.leg_id(meeting_id, other[1], one[1])


def _start_leg(
    meeting_id: str,
    caller: End,
    callee: End,
    first: Mutation,
    otherwise: Mutation,
    offered_at: datetime | None,
) -> None:
    """Make the leg of these sessions, ``first`` applied to it, if the quotas allow
    (``LegQuotaExceeded``); should another trigger have made it meanwhile (the same event
    delivered twice), apply ``otherwise`` to that."""
    template = _leg_template(meeting_id, caller, callee, offered_at)
    # The meeting's legs are counted from the record (a read; offers whose triggers run at
    # the same moment may pass the limit by a few); the account's in a counter, exactly, and
    # only once the meeting's allows the leg, so a refused one is not counted against it.
    today = quota.window_start(clock.now(), quota.MEETING_LEGS_PER_DAY.window)
    if store.count_meeting_legs(meeting_id, today) >= quota.MEETING_LEGS_PER_DAY.limit:
        raise LegQuotaExceeded(quota.MEETING_LEGS_PER_DAY.kind)
    over = quotas.tally(quotas.charges(caller[0], quota.LEGS_PER_DAY))
    if over is not None:
        raise LegQuotaExceeded(over.quota.kind)

    now = clock.now()
    leg = first(template(now), now)
    if leg is None:  # a fresh leg has seen no event and has not ended
        return
    try:
        store.create_leg(leg)
    except core.LOST_RACE:
        found = store.leg_between(*_leg_ids(meeting_id, caller, callee))
        if found is None:
            raise
        _update_if_there(*found, otherwise, "the event was recorded")
        return
    _settle(meeting_id, caller, callee, leg, offered_at)


def _settle(
    meeting_id: str, caller: End, callee: End, leg: LegDoc, offered_at: datetime | None
) -> None:
    """What happened while a leg was being made, read back once it is (one round trip).

    An answer to the offer whose trigger found no leg yet and kept it on the callee's join
    record after ``_leg_template`` had read that record: recorded now (``record_answer`` looks
    for the leg again too, so one of the two records it). And a session that has left
    meanwhile (its leave ended that session's legs before this one existed): the leg is ended
    now, as the leave would have."""
    leg_id = leg["legId"]
    back = store.made(
        meeting_id, (caller[0], callee[0]), meetings.join_record_id(meeting_id, *callee)
    )
    early = _answer_to(back.callee_join, caller[1], offered_at)
    if early is not None and leg["callee"].get("status") == "new":

        def answered(current: LegDoc, now: datetime) -> LegDoc | None:
            return cdr.answer_event(current, now, "callee", early["iceUfrag"], early["at"])

        _update_if_there(leg_id, None, answered, "its early answer was recorded")
    _end_if_gone(leg_id, caller, callee, back.participants)


def _answer_to(
    callee_join: JoinRecordDoc | None, caller_session: str, offered_at: datetime | None
) -> EarlyAnswer | None:
    """The answer kept on the callee's join record for an offer of ``caller_session`` made at
    ``offered_at``; one from before the offer was written is no answer to it."""
    if callee_join is None:
        return None
    early = (callee_join.get("earlyAnswers") or {}).get(caller_session)
    if early is not None and offered_at is not None and early["at"] < offered_at:
        return None
    return early


def _end_if_gone(
    leg_id: str, caller: End, callee: End, now_there: Mapping[str, ParticipantDoc | None]
) -> None:
    ends: tuple[tuple[End, LegEndCause], ...] = ((caller, "hangup"), (callee, "peer-left"))
    for (uid, session), cause in ends:
        current = now_there[uid]
        if (
            current is None
            or current.get("state") != meetings.JOINED
            or current.get("session") != session
        ):
            _update_if_there(leg_id, None, _ender(cause), "it was ended")
            return


def _update_if_there(
    leg_id: str, read: Versioned[LegDoc] | None, mutate: Mutation, what: str
) -> None:
    """``update_leg`` for a trigger that has just found (``read``) or made the leg: one deleted
    since (the purge, its owner's ``delete_me``, a clean-up) has nothing left to record, and
    that is not the trigger's error (Eventarc would redeliver the event for nothing); it is not
    made again."""
    try:
        update_leg(leg_id, mutate, read)
    except NotFound:
        log.info("leg %s gone before %s", leg_id, what)


def _ender(cause: LegEndCause) -> Mutation:
    def ending(leg: LegDoc, now: datetime) -> LegDoc:
        return cdr.end(leg, now, cause)

    return ending


def end_session_legs(meeting_id: str, uid: str, session: str, cause: LegEndCause) -> int:
    """End every open leg in which ``uid`` takes part with ``session``."""
    ended = 0
    for found in store.open_legs(meeting_id, uid, cdr.OPEN_STATES):
        leg = found.doc
        if leg is None or session not in (leg["caller"]["session"], leg["callee"]["session"]):
            continue
        update_leg(leg["legId"], _ender(cause), found)
        ended += 1
    return ended


def update_leg(leg_id: str, mutate: Mutation, read: Versioned[LegDoc] | None = None) -> LegDoc:
    """Apply ``mutate`` to an existing leg (``NotFound`` when there is none); never creates.
    ``read``: the leg as the caller has just read it, which the first attempt starts from
    instead of reading it again (a stale one only loses its race, like any other).

    The signal trigger and both sides' ``report_connection`` race for the same leg. A
    read-then-write transaction per writer deadlocks under pessimistic locking (two readers
    each wait for the other to upgrade), so this is optimistic instead: read, compute, and
    write only if the document is unchanged since the read (an ``update_time``
    precondition); on a lost race, read again.
    """

    first = [read] if read is not None else []

    def write() -> LegDoc:
        current = first.pop() if first else store.leg(leg_id)
        if current.doc is None:
            raise NotFound("No such connection in this meeting.")
        leg = mutate(current.doc, clock.now())
        if leg is None:
            return current.doc
        store.update_leg(leg, current.version)
        return leg

    return optimistic(write, attempts=_LEG_WRITE_ATTEMPTS, backoff=_LEG_BACKOFF, busy=_BUSY)


def _leg_template(
    meeting_id: str, caller: End, callee: End, offered_at: datetime | None = None
) -> Callable[[datetime], LegDoc]:
    """Read what a new leg records about its two ends; return a builder for a given time.

    An answer to this offer seen before the leg existed (``record_answer``; one from before
    the offer was written is no answer to it) says when the callee started connecting."""
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
    early = _answer_to(got.callee_join, caller[1], offered_at)

    def build(now: datetime) -> LegDoc:
        leg = cdr.new_leg(
            meeting_id,
            cdr.side_info(caller[0], caller[1], got.caller_identity, got.caller_join),
            cdr.side_info(callee[0], callee[1], got.callee_identity, got.callee_join),
            seq=seq,
            now=now,
            expires_at=expiry(now, org),
        )
        if early is not None:
            leg = cdr.answer_event(leg, now, "callee", early["iceUfrag"], early["at"]) or leg
        return leg

    return build
