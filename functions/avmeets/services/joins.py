"""``join_meeting``: the password check, the admission (cap, session, join record) and what the
newcomer is told (the others present, TURN credentials)."""

from __future__ import annotations

import logging

from .. import clock, display_names, geo, hosting, meetings, passwords, quota, throttle
from ..config import settings
from ..errors import NotFound, PermissionDenied, ResourceExhausted, Unavailable
from ..meetings import Caller, JoinPlan
from ..payloads import JoinMeeting
from ..protocol import ErrorReason, JoinMeetingResult, Quotas
from ..store import core
from ..store import lobby as lobby_store
from ..store import meetings as store
from ..store.documents import AttemptDoc, MeetingAttemptDoc
from . import quotas
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, expiry, optimistic, participant_ice_servers
from .connections import end_session_legs

log = logging.getLogger("avmeets")


def check_password(meeting_id: str, uid: str, password: str | None) -> None:
    """Throttled, constant-time password check; raises on refusal.

    Runs in a transaction on the caller's and the meeting's attempt counters, so parallel
    guesses are serialised: only failures write (both counters), a correct password clears the
    caller's. A caller locked out, or any caller while the meeting makes guesses wait, is
    refused without the password being looked at. Too many guesses at once lose their
    transaction: ``Contended`` (UNAVAILABLE), never INTERNAL.
    """
    if password is None:
        raise PermissionDenied(
            "This meeting needs a password.", reason=ErrorReason.PASSWORD_REQUIRED
        )
    s = settings()
    secret = store.secret(meeting_id)
    encoded = secret.get("passwordHash", "") if secret is not None else ""

    def decide(
        state: AttemptDoc | None, meeting: MeetingAttemptDoc | None
    ) -> tuple[tuple[str, int], store.AttemptWrite]:
        now = clock.now()
        decision = throttle.reserve_attempt(
            state, now, s.password_max_failures, s.password_lockout_seconds
        )
        if not decision.allowed:
            return ("locked", decision.retry_after_seconds), store.AttemptWrite()
        wait = throttle.meeting_wait(meeting, now)
        if wait:
            return ("locked", wait), store.AttemptWrite()
        if passwords.verify_password(password, encoded):
            return ("ok", 0), store.AttemptWrite(clear=True)
        failed = throttle.meeting_failed(
            meeting,
            now,
            Quotas.PASSWORD_FREE_FAILURES_PER_MEETING,
            Quotas.PASSWORD_MAX_DELAY_SECONDS,
            s.password_lockout_seconds,
        )
        return ("wrong", 0), store.AttemptWrite(state=decision.state, meeting=failed)

    try:
        outcome, retry_after = store.throttled(meeting_id, uid, decide)
    except core.Contended:
        raise Unavailable(
            "Too many password attempts at once; try again.", reason=ErrorReason.CONTENDED
        ) from None
    if outcome == "locked":
        minutes = max(1, round(retry_after / 60))
        wait_text = f"{retry_after} s" if retry_after < 90 else f"about {minutes} minute(s)"
        raise ResourceExhausted(
            f"Too many wrong passwords. Try again in {wait_text}.",
            reason=ErrorReason.TOO_MANY_ATTEMPTS,
            retryAfterSeconds=retry_after,
        )
    if outcome == "wrong":
        raise PermissionDenied("Wrong password.", reason=ErrorReason.WRONG_PASSWORD)


def chosen_name(caller: Caller, typed: str | None) -> str | None:
    """The display name the caller typed, checked (None: it typed none)."""
    if typed is None:
        return None
    return display_names.check_chosen(typed, email=caller.email, phone=caller.phone)


def join(caller: Caller, body: JoinMeeting) -> JoinMeetingResult:
    name = chosen_name(caller, body.display_name)
    # Everything the checks below decide on, in one round trip (they used to read it one
    # document after another, and admission read it all again).
    join_charges = quotas.join_charges(caller.uid)
    reads = store.join_reads(
        body.meeting_id,
        caller.uid,
        [*quotas.probe_counter_ids(caller.uid), *(c.counter_id for c in join_charges)],
    )
    quotas.check_probes(caller.uid, reads.counters)
    found = quotas.found_or_probe(caller.uid, reads.meeting.doc)
    meeting = meetings.check_joinable(found)
    # A locked meeting, a refused knock or the lobby are said before any password is asked.
    first = hosting.gate(meeting, reads.participant.doc, reads.knock.doc, caller.uid)
    if first.kind == "knock":
        raise hosting.knock_required(first)
    if meeting.get("hasPassword"):
        check_password(body.meeting_id, caller.uid, body.password)
    # Said before the account's quota is charged (a refused join changes nothing); the
    # commit's own count below is the exact one.
    quota.check_meeting_joins(body.meeting_id, meeting, clock.now())
    quotas.charge(join_charges, reads.counters)

    session = meetings.new_session()
    ip_info = geo.lookup_configured(caller.ip)
    org = caller.org
    unused: store.JoinReads | None = reads  # the first attempt's reads

    def admit() -> JoinPlan:
        """One attempt: read, plan, and commit only if the meeting is unchanged since read.

        The meeting document is the serialisation point: every join writes it, with its
        update time as read as the precondition, and reads the roster after it. Of two
        overlapping joins one commits first, which makes the other's precondition fail; that
        one reads again and sees the first. So the cap holds and, of every two joiners,
        exactly one finds the other present (and offers). Optimistic, not a transaction: a
        transaction's query locked in the emulator against writes to any meeting's
        participants, so overlapping joins waited out lock timeouts and failed (test_load.py).
        The first attempt plans on the documents the checks read (the preconditions make
        that safe: anything that changed them since fails the commit, and the next attempt
        reads again).
        """
        nonlocal unused
        if unused is not None:
            current, mine, knock = unused.meeting, unused.participant, unused.knock.doc
            unused = None
        else:
            current = store.meeting(body.meeting_id)
            mine = store.participant(body.meeting_id, caller.uid)
            knock = lobby_store.knock(body.meeting_id, caller.uid).doc
        fresh = meetings.check_joinable(current.doc)
        # The lobby, the lock and removals (services.lobby has the knock's side).
        entry = hosting.gate(fresh, mine.doc, knock, caller.uid)
        if entry.kind == "knock":
            raise hosting.knock_required(entry)
        joined = store.participants(body.meeting_id, joined_only=True)
        now = clock.now()
        joins_since, joins = quota.check_meeting_joins(body.meeting_id, fresh, now)
        until = expiry(now, org)
        plan = meetings.plan_join(
            body.meeting_id,
            fresh,
            mine.doc,
            joined,
            caller,
            session,
            now,
            until,
            ip_info,
            display_name=name,
            admitted_by=entry.admitted_by,
            knocked_as=knock.get("displayName") if knock is not None else None,
            heartbeat_seconds=settings().heartbeat_seconds,
            offers=body.offers,
            room=hosting.room_on_join(fresh, mine.doc),
        )
        replaced = plan.replaced_session
        store.put_presence(body.meeting_id, plan.presence)
        try:
            store.commit_join(
                body.meeting_id,
                current.version,
                participant=plan.participant,
                participant_version=mine.version,
                record_id=plan.join_record_id,
                record=plan.join_record,
                replaced_record_id=(
                    meetings.join_record_id(body.meeting_id, caller.uid, replaced)
                    if replaced is not None
                    else None
                ),
                now=now,
                joins_since=joins_since,
                joins=joins + 1,
                expires_at=max(fresh["expiresAt"], until),
                renew_secret=bool(fresh.get("hasPassword")),
                offer_signals=plan.offer_signals,
            )
        except core.Gone:
            # Purged since it was read (or its password hash was).
            raise NotFound("No meeting has this id.") from None
        return plan

    plan = optimistic(
        admit,
        attempts=JOIN_ATTEMPTS,
        backoff=JOIN_BACKOFF,
        busy="The meeting is busy with other joins; try again.",
    )
    if plan.replaced_session is not None:
        end_session_legs(body.meeting_id, caller.uid, plan.replaced_session, "rejoined")
    log.info(
        "joined: %s uid=%s session=%s",
        body.meeting_id,
        caller.uid,
        session,
        extra={"meetingId": body.meeting_id, "uid": caller.uid, "session": session},
    )
    result: JoinMeetingResult = {
        "meetingId": body.meeting_id,
        "title": meeting.get("title"),
        "session": session,
        "participants": plan.others,
        # The caller has just become a participant: only now does it get TURN credentials.
        "iceServers": participant_ice_servers(caller.uid),
        "heartbeatSeconds": settings().heartbeat_seconds,
        "displayName": plan.participant["displayName"],
        "role": plan.participant["role"],
        "serverTime": int(clock.now().timestamp() * 1000),
    }
    if meetings.relay_only(org):
        result["relayOnly"] = True  # the organisation hides its members' IP addresses
    room = plan.participant.get("room")
    if room is not None:
        result["room"] = room
    return result
