"""``join_meeting``: the password check, the admission (cap, session, join record) and what the
newcomer is told (the others present, TURN credentials)."""

from __future__ import annotations

import logging

from .. import clock, geo, meetings, passwords, throttle
from ..config import settings
from ..errors import NotFound, PermissionDenied, ResourceExhausted
from ..meetings import Caller, JoinPlan
from ..payloads import JoinMeeting
from ..protocol import ErrorReason, JoinMeetingResult
from ..sign_in import email_domain
from ..store import core, people
from ..store import meetings as store
from ..store.documents import AttemptDoc
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, expiry, optimistic, participant_ice_servers
from .connections import end_session_legs

log = logging.getLogger("avmeets")


def check_password(meeting_id: str, uid: str, password: str | None) -> None:
    """Throttled, constant-time password check; raises on refusal.

    Runs in a transaction on the attempts document so parallel guesses are serialised: only
    failures write (the counter), and a correct password clears it.
    """
    if password is None:
        raise PermissionDenied(
            "This meeting needs a password.", reason=ErrorReason.PASSWORD_REQUIRED
        )
    s = settings()
    secret = store.secret(meeting_id)
    encoded = secret.get("passwordHash", "") if secret is not None else ""

    def decide(state: AttemptDoc | None) -> tuple[tuple[str, int], store.AttemptWrite]:
        decision = throttle.reserve_attempt(
            state, clock.now(), s.password_max_failures, s.password_lockout_seconds
        )
        if not decision.allowed:
            return ("locked", decision.retry_after_seconds), store.AttemptWrite()
        if passwords.verify_password(password, encoded):
            return ("ok", 0), store.AttemptWrite(clear=True)
        return ("wrong", 0), store.AttemptWrite(state=decision.state)

    outcome, retry_after = store.throttled(meeting_id, uid, decide)
    if outcome == "locked":
        minutes = max(1, round(retry_after / 60))
        raise ResourceExhausted(
            f"Too many wrong passwords. Try again in about {minutes} minute(s).",
            reason=ErrorReason.TOO_MANY_ATTEMPTS,
            retryAfterSeconds=retry_after,
        )
    if outcome == "wrong":
        raise PermissionDenied("Wrong password.", reason=ErrorReason.WRONG_PASSWORD)


def join(caller: Caller, body: JoinMeeting) -> JoinMeetingResult:
    meeting = meetings.check_joinable(store.meeting(body.meeting_id).doc)
    if meeting.get("hasPassword"):
        check_password(body.meeting_id, caller.uid, body.password)

    session = meetings.new_session()
    ip_info = geo.lookup_configured(caller.ip)
    _, org = people.org_of_domain(email_domain(caller.email))

    def admit() -> JoinPlan:
        """One attempt: read, plan, and commit only if the meeting is unchanged since read.

        The meeting document is the serialisation point: every join writes it, with its
        update time as read as the precondition, and reads the roster after it. Of two
        overlapping joins one commits first, which makes the other's precondition fail; that
        one reads again and sees the first. So the cap holds and, of every two joiners,
        exactly one finds the other present (and offers). Optimistic, not a transaction: a
        transaction's query locked in the emulator against writes to any meeting's
        participants, so overlapping joins waited out lock timeouts and failed (test_load.py).
        """
        current = store.meeting(body.meeting_id)
        fresh = meetings.check_joinable(current.doc)
        mine = store.participant(body.meeting_id, caller.uid).doc
        joined = store.participants(body.meeting_id, joined_only=True)
        now = clock.now()
        until = expiry(now, org)
        plan = meetings.plan_join(
            body.meeting_id, fresh, mine, joined, caller, session, now, until, ip_info
        )
        replaced = plan.replaced_session
        try:
            store.commit_join(
                body.meeting_id,
                current.version,
                participant=plan.participant,
                record_id=plan.join_record_id,
                record=plan.join_record,
                replaced_record_id=(
                    meetings.join_record_id(body.meeting_id, caller.uid, replaced)
                    if replaced is not None
                    else None
                ),
                now=now,
                expires_at=max(fresh["expiresAt"], until),
                renew_secret=bool(fresh.get("hasPassword")),
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
    }
    if meetings.relay_only(org):
        result["relayOnly"] = True  # the organisation hides its members' IP addresses
    return result
