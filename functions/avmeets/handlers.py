"""The adapter layer: Functions SDK requests in, domain calls, Firestore reads and writes out.

Each handler parses its input, reads what the domain needs, lets a pure module decide, and
writes the result (in a transaction where a decision depends on what it read). Domain errors
become ``HttpsError`` here and nowhere else.
"""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from firebase_functions import firestore_fn, https_fn, identity_fn
from google.api_core import exceptions as gexc
from google.cloud import firestore

from . import (
    cdr,
    clock,
    db,
    geo,
    meeting_ids,
    meetings,
    passwords,
    payloads,
    signals,
    throttle,
    turn,
)
from .client_ip import client_ip
from .config import settings
from .errors import (
    AvmeetsError,
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    Unauthenticated,
    Unavailable,
)
from .retention import expires_at, retention_days
from .sign_in import SignIn, check_policy, email_domain, identity_record

log = logging.getLogger("avmeets")

R = TypeVar("R")
_MAX_USER_AGENT = 512
_LEG_WRITE_ATTEMPTS = 10
#: Attempts of one join (or leave) against overlapping writes of the same document.
_JOIN_ATTEMPTS = 25
# A signal document older than this (by its createdAt) when its trigger runs is not live.
SIGNAL_HORIZON = timedelta(minutes=10)
#: What a write with a precondition (``create``, or ``last_update_time``) raises when another
#: writer got there first: read again and retry.
_LOST_RACE = (gexc.AlreadyExists, gexc.Conflict, gexc.FailedPrecondition, gexc.Aborted)
T = TypeVar("T")


def _optimistic(
    attempt: Callable[[], T], *, attempts: int, backoff: tuple[float, float], busy: str
) -> T:
    """Run ``attempt`` (read, decide, write with a precondition) until it does not lose a race.

    Joins, leaves and CDR legs are written this way rather than in transactions: in the
    emulator, transactions under overlapping writers deadlocked, timed out locks or were
    cancelled (tests/emulator/test_load.py). The back-off is jittered and grows, so a crowd
    spreads out; after ``attempts`` the caller is told to retry (UNAVAILABLE).
    """
    low, high = backoff
    for n in range(attempts):
        try:
            return attempt()
        except _LOST_RACE:
            time.sleep(random.uniform(low, high) * (n + 1))
    raise Unavailable(busy, reason="contended")


def _to_https_error(err: AvmeetsError) -> https_fn.HttpsError:
    return https_fn.HttpsError(
        code=https_fn.FunctionsErrorCode[err.code],
        message=err.message,
        details=err.details or None,
    )


def callable_handler(
    func: Callable[[https_fn.CallableRequest[Any]], R],
) -> Callable[[https_fn.CallableRequest[Any]], R]:
    """Map the domain's exception tree to callable error codes."""

    @functools.wraps(func)
    def wrapper(req: https_fn.CallableRequest[Any]) -> R:
        try:
            return func(req)
        except AvmeetsError as err:
            raise _to_https_error(err) from None
        except _TRANSIENT as err:
            # Firestore's own momentary failures: the client may retry, so say so (UNAVAILABLE)
            # rather than INTERNAL, which reads as a bug.
            log.warning("%s: Firestore unavailable: %s", func.__name__, type(err).__name__)
            busy = Unavailable("The service is busy; try again.", reason="backend-unavailable")
            raise _to_https_error(busy) from None

    return wrapper


#: Firestore errors that mean "try again", not "this request is wrong".
_TRANSIENT = (
    gexc.ServiceUnavailable,
    gexc.DeadlineExceeded,
    gexc.Aborted,
    gexc.Cancelled,
    gexc.TooManyRequests,
)


# --- shared look-ups -------------------------------------------------------------------------


def _caller(req: https_fn.CallableRequest[Any]) -> meetings.Caller:
    if req.auth is None or not req.auth.uid:
        raise Unauthenticated("Sign in first.")
    token = req.auth.token or {}
    headers = req.raw_request.headers
    email = token.get("email")
    return meetings.Caller(
        uid=req.auth.uid,
        display_name=meetings.display_name(token.get("name"), email, req.auth.uid),
        email=email if isinstance(email, str) else None,
        ip=client_ip(
            headers.get("X-Forwarded-For"),
            req.raw_request.remote_addr,
            settings().xff_trusted_position,
        ),
        user_agent=(headers.get("User-Agent") or "")[:_MAX_USER_AGENT] or None,
    )


def _org_for_email(email: str | None) -> tuple[str | None, dict[str, Any] | None]:
    domain = email_domain(email)
    if domain is None:
        return None, None
    query = db.client().collection(db.ORGS).where("domains", "array_contains", domain).limit(1)
    for snap in query.stream():
        return snap.id, snap.to_dict()
    return None, None


def _meeting_ref(meeting_id: str) -> firestore.DocumentReference:
    return db.client().collection(db.MEETINGS).document(meeting_id)


def _ice_servers() -> list[dict[str, Any]]:
    """The configured STUN servers: no credentials (create_meeting; the start of join_meeting)."""
    return [dict(s) for s in settings().ice_servers]


def _participant_ice_servers(uid: str) -> list[dict[str, Any]]:
    """STUN plus the TURN relays with a fresh ephemeral credential: for participants only."""
    s = settings()
    servers = _ice_servers()
    if s.turn_enabled and s.turn_secret is not None:
        now = int(clock.now().timestamp())
        servers += turn.ice_servers(s.turn_urls, s.turn_secret, uid, now, s.turn_ttl_seconds)
    elif s.turn_urls:
        log.warning("TURN_URLS is set but TURN_SECRET is not: no TURN relay offered")
    return servers


# --- Auth blocking function ------------------------------------------------------------------


def auth_callback(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeSignInResponse | None:
    """Record the identity for the CDR and enforce organisation sign-in policy."""
    user = event.data
    provider = (
        event.additional_user_info.provider_id
        if event.additional_user_info is not None
        else (user.provider_data[0].provider_id if user.provider_data else "unknown")
    )
    sign_in = SignIn(
        uid=user.uid,
        name=user.display_name,
        email=user.email,
        email_verified=bool(user.email_verified),
        phone=user.phone_number,
        provider=provider,
        ip=client_ip(None, event.ip_address, 1),
        user_agent=(event.user_agent or "")[:_MAX_USER_AGENT] or None,
    )
    org_id, org = _org_for_email(sign_in.email)
    try:
        check_policy(sign_in, org, settings().sign_in_org, org_id)
    except PermissionDenied as err:
        log.info("sign-in refused by policy: uid=%s org=%s", sign_in.uid, org_id)
        # Blocking functions refuse with the same HttpsError as callables.
        raise _to_https_error(err) from None
    now = clock.now()
    days = retention_days(settings().retention_days, org)
    record = identity_record(sign_in, org_id, now, expires_at(now, days))
    # A plain set: the same sign-in event twice writes the same document.
    db.client().collection(db.IDENTITIES).document(sign_in.uid).set(record)
    return None


# --- create_meeting --------------------------------------------------------------------------


@callable_handler
def create_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    caller = _caller(req)
    body = payloads.parse_create(req.data)
    s = settings()
    org_id, org = _org_for_email(caller.email)
    now = clock.now()
    until = expires_at(now, retention_days(s.retention_days, org))
    password_hash = passwords.hash_password(body.password) if body.password else None
    doc = meetings.meeting_doc(
        body.title, caller, password_hash is not None, s.max_participants, org_id, now, until
    )
    client = db.client()
    for _ in range(5):
        meeting_id = meeting_ids.new_meeting_id()
        batch = client.batch()
        batch.create(_meeting_ref(meeting_id), doc)
        if password_hash is not None:
            secret = {"passwordHash": password_hash, "expiresAt": until}
            batch.create(client.collection(db.MEETING_SECRETS).document(meeting_id), secret)
        try:
            batch.commit()
        except gexc.AlreadyExists:
            continue  # an id collision (astronomically rare): draw again
        log.info("meeting created: %s by %s", meeting_id, caller.uid)
        return {"meetingId": meeting_id, "iceServers": _ice_servers()}
    raise RuntimeError("could not allocate a meeting id")


# --- join_meeting ----------------------------------------------------------------------------


def _check_password(meeting_id: str, uid: str, password: str | None) -> None:
    """Throttled, constant-time password check; raises on refusal.

    Runs in a transaction on the attempts document so parallel guesses are serialised: only
    failures write (the counter), and a correct password clears it.
    """
    if password is None:
        raise PermissionDenied("This meeting needs a password.", reason="password-required")
    client = db.client()
    s = settings()
    attempts_ref = client.collection(db.JOIN_ATTEMPTS).document(f"{meeting_id}_{uid}")
    secret_snap = client.collection(db.MEETING_SECRETS).document(meeting_id).get()
    encoded = (secret_snap.to_dict() or {}).get("passwordHash", "") if secret_snap.exists else ""

    @firestore.transactional
    def attempt(txn: firestore.Transaction) -> tuple[str, int]:
        snap = attempts_ref.get(transaction=txn)
        state = snap.to_dict() if snap.exists else None
        now = clock.now()
        decision = throttle.reserve_attempt(
            state, now, s.password_max_failures, s.password_lockout_seconds
        )
        if not decision.allowed:
            return "locked", decision.retry_after_seconds
        if passwords.verify_password(password, encoded):
            if snap.exists:
                txn.delete(attempts_ref)
            return "ok", 0
        txn.set(attempts_ref, decision.state)
        return "wrong", 0

    outcome, retry_after = attempt(client.transaction())
    if outcome == "locked":
        minutes = max(1, round(retry_after / 60))
        raise ResourceExhausted(
            f"Too many wrong passwords. Try again in about {minutes} minute(s).",
            reason="too-many-attempts",
            retryAfterSeconds=retry_after,
        )
    if outcome == "wrong":
        raise PermissionDenied("Wrong password.", reason="wrong-password")


@callable_handler
def join_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    caller = _caller(req)
    body = payloads.parse_join(req.data)
    client = db.client()
    meeting_ref = _meeting_ref(body.meeting_id)
    snap = meeting_ref.get()
    meeting = meetings.check_joinable(snap.to_dict() if snap.exists else None)
    if meeting.get("hasPassword"):
        _check_password(body.meeting_id, caller.uid, body.password)

    session = meetings.new_session()
    ip_info = geo.lookup_configured(caller.ip)
    participants = meeting_ref.collection(db.PARTICIPANTS)
    joins = client.collection(db.JOINS)
    _, org = _org_for_email(caller.email)

    def admit() -> meetings.JoinPlan:
        """One attempt: read, plan, and commit only if the meeting is unchanged since read.

        The meeting document is the serialisation point: every join writes it, with its
        update time as read as the precondition, and reads the roster after it. Of two
        overlapping joins one commits first, which makes the other's precondition fail; that
        one reads again and sees the first. So the cap holds and, of every two joiners,
        exactly one finds the other present (and offers). Optimistic, not a transaction: a
        transaction's query locked in the emulator against writes to any meeting's
        participants, so overlapping joins waited out lock timeouts and failed (test_load.py).
        """
        current = meeting_ref.get()
        fresh = meetings.check_joinable(current.to_dict() if current.exists else None)
        mine_snap = participants.document(caller.uid).get()
        joined = [
            d.to_dict() or {} for d in participants.where("state", "==", meetings.JOINED).get()
        ]
        now = clock.now()
        until = expires_at(now, retention_days(settings().retention_days, org))
        plan = meetings.plan_join(
            body.meeting_id,
            fresh,
            mine_snap.to_dict() if mine_snap.exists else None,
            joined,
            caller,
            session,
            now,
            until,
        )
        batch = client.batch()
        batch.update(
            meeting_ref,
            {"lastActivityAt": now, "expiresAt": max(fresh["expiresAt"], until)},
            option=client.write_option(last_update_time=current.update_time),
        )
        batch.set(participants.document(caller.uid), plan.participant)
        batch.set(joins.document(plan.join_record_id), {**plan.join_record, "ipInfo": ip_info})
        if plan.replaced_session is not None:
            old = meetings.join_record_id(body.meeting_id, caller.uid, plan.replaced_session)
            batch.set(joins.document(old), {"leftAt": now, "endCause": "rejoined"}, merge=True)
        if fresh.get("hasPassword"):
            # The hash must live as long as the meeting, or the purge / TTL would drop it first
            # and lock everyone out of a meeting that still exists.
            secret_ref = client.collection(db.MEETING_SECRETS).document(body.meeting_id)
            batch.update(secret_ref, {"expiresAt": max(fresh["expiresAt"], until)})
        try:
            batch.commit()  # a lost race (another join committed in between) reads again
        except gexc.NotFound:
            # Purged since it was read (or its password hash was).
            raise NotFound("No meeting has this id.") from None
        return plan

    plan = _optimistic(
        admit,
        attempts=_JOIN_ATTEMPTS,
        backoff=(0.01, 0.05),
        busy="The meeting is busy with other joins; try again.",
    )
    if plan.replaced_session is not None:
        _end_session_legs(body.meeting_id, caller.uid, plan.replaced_session, "rejoined")
    log.info("joined: %s uid=%s session=%s", body.meeting_id, caller.uid, session)
    result = {
        "meetingId": body.meeting_id,
        "title": meeting.get("title"),
        "session": session,
        "participants": plan.others,
        # The caller has just become a participant: only now does it get TURN credentials.
        "iceServers": _participant_ice_servers(caller.uid),
        "heartbeatSeconds": settings().heartbeat_seconds,
    }
    if meetings.relay_only(org):
        result["relayOnly"] = True
    return result


# --- meeting_info ----------------------------------------------------------------------------


@callable_handler
def meeting_info(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """Read-only: whether the meeting exists, is open, needs a password, is full (no writes)."""
    caller = _caller(req)
    body = payloads.parse_meeting_info(req.data)
    meeting_ref = _meeting_ref(body.meeting_id)
    snap = meeting_ref.get()
    meeting = snap.to_dict() if snap.exists else None
    joined = 0
    if meeting is not None:
        query = meeting_ref.collection(db.PARTICIPANTS).where("state", "==", meetings.JOINED)
        joined = len(list(query.stream()))
    _, org = _org_for_email(caller.email)
    return meetings.meeting_info(meeting, joined, meetings.relay_only(org))


# --- leave_meeting ---------------------------------------------------------------------------


def _delete_signals_of(meeting_ref: firestore.DocumentReference, uid: str) -> int:
    """Delete signals from and to ``uid`` in pages; returns how many."""
    client = db.client()
    deleted = 0
    for field in ("from", "to"):
        while True:
            page = list(
                meeting_ref.collection(db.SIGNALS).where(field, "==", uid).limit(200).stream()
            )
            if not page:
                break
            batch = client.batch()
            for snap in page:
                batch.delete(snap.reference)
            batch.commit()
            deleted += len(page)
    return deleted


@callable_handler
def leave_meeting(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    caller = _caller(req)
    body = payloads.parse_leave(req.data)
    if not _meeting_ref(body.meeting_id).get().exists:
        raise NotFound("No meeting has this id.")
    if _close_participant(body.meeting_id, caller.uid, None, "left"):
        log.info("left: %s uid=%s", body.meeting_id, caller.uid)
    return {"left": True}


def _close_participant(meeting_id: str, uid: str, expected_session: str | None, cause: str) -> bool:
    """Mark a participant left, close its join record and legs, drop its signals.

    Idempotent; with ``expected_session`` it only acts while that session is current (the
    sweep must not close a participant that re-joined meanwhile). True when it closed one.
    """
    client = db.client()
    meeting_ref = _meeting_ref(meeting_id)
    mine_ref = meeting_ref.collection(db.PARTICIPANTS).document(uid)

    def close() -> str | None:
        """The closed session, or None. Optimistic like the join: the update commits only if
        the participant document is unchanged since read (a heartbeat or a re-join in between
        makes it read again)."""
        mine = mine_ref.get()
        data = mine.to_dict() if mine.exists else None
        if data is None or data.get("state") != meetings.JOINED:
            return None
        if expected_session is not None and data.get("session") != expected_session:
            return None
        now = clock.now()
        batch = client.batch()
        batch.update(
            mine_ref,
            {"state": meetings.LEFT, "leftAt": now, "endCause": cause},
            option=client.write_option(last_update_time=mine.update_time),
        )
        record = meetings.join_record_id(meeting_id, uid, data["session"])
        batch.set(
            client.collection(db.JOINS).document(record),
            {"leftAt": now, "endCause": cause},
            merge=True,
        )
        batch.commit()
        return str(data["session"])

    session = _optimistic(
        close, attempts=_JOIN_ATTEMPTS, backoff=(0.01, 0.05), busy="The meeting is busy; try again."
    )
    if session is None:
        return False
    _end_session_legs(meeting_id, uid, session, "hangup" if cause == "left" else cause)
    _delete_signals_of(meeting_ref, uid)
    return True


# --- signal trigger --------------------------------------------------------------------------


def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    """Check a new signal document and record the leg's progress for the CDR."""
    snap = event.data
    if snap is None or not snap.exists:
        return
    doc = snap.to_dict() or {}
    meeting_id = event.params["meetingId"]
    created = doc.get("createdAt")
    if isinstance(created, datetime) and abs(clock.now() - created) > SIGNAL_HORIZON:
        # Clients can only write createdAt == request.time (firestore.rules), so this was
        # written by an operator or a restore: not a live signal, and the purge's business.
        log.info("signal %s in %s is not live; left to the purge", snap.id, meeting_id)
        return
    participants = _meeting_ref(meeting_id).collection(db.PARTICIPANTS)

    def participant(uid: Any) -> dict[str, Any] | None:
        if not isinstance(uid, str) or not uid or "/" in uid:
            return None
        p = participants.document(uid).get()
        return p.to_dict() if p.exists else None

    sender = participant(doc.get("from"))
    recipient = participant(doc.get("to"))
    why = signals.problem(doc, sender, recipient)
    if why is not None:
        log.warning("invalid signal %s in %s removed: %s", snap.id, meeting_id, why)
        snap.reference.delete()
        return
    if doc["type"] != "offer":
        return
    # Idempotent on the event id: Eventarc delivers at least once, and a redelivered event
    # must not move the leg (cdr.offer_event returns None for an id the leg has recorded).
    _upsert_leg(
        meeting_id,
        (doc["from"], doc["session"]),
        (doc["to"], doc["toSession"]),
        lambda leg, now: cdr.offer_event(leg, now, event.id),
    )


# --- CDR legs --------------------------------------------------------------------------------


def _upsert_leg(
    meeting_id: str,
    caller: tuple[str, str],
    callee: tuple[str, str],
    mutate: Callable[[dict[str, Any], Any], dict[str, Any] | None],
) -> dict[str, Any]:
    """Create the leg if it is new (identities, IPs, sequence number), then apply ``mutate``.

    ``mutate`` returns the leg to write, or None when there is nothing to write.

    The signal trigger and both sides' ``report_connection`` race for the same leg. A
    read-then-write transaction per writer deadlocks under pessimistic locking (two readers
    each wait for the other to upgrade), so this is optimistic instead: read, compute, and
    write only if the document is unchanged since the read (``create`` for a new leg, an
    ``update_time`` precondition otherwise); on a lost race, read again.
    """
    client = db.client()
    ref = client.collection(db.CDRS).document(cdr.leg_id(meeting_id, caller[1], callee[1]))
    templates: list[Callable[[Any], dict[str, Any]]] = []  # read once, over all attempts

    def write() -> dict[str, Any]:
        snap = ref.get()
        now = clock.now()
        if not snap.exists:
            if not templates:
                templates.append(_leg_template(meeting_id, caller, callee))
            fresh = templates[0](now)
            leg = mutate(fresh, now)
            if leg is None:
                return fresh  # nothing to record, so no leg either
            ref.create(leg)
            return leg
        current = snap.to_dict() or {}
        leg = mutate(current, now)
        if leg is None:
            return current
        ref.update(leg, option=client.write_option(last_update_time=snap.update_time))
        return leg

    return _optimistic(
        write,
        attempts=_LEG_WRITE_ATTEMPTS,
        backoff=(0.005, 0.02),
        busy="The connection record is busy; try again.",
    )


def _leg_template(
    meeting_id: str, caller: tuple[str, str], callee: tuple[str, str]
) -> Callable[[Any], dict[str, Any]]:
    """Read what a new leg records about its two ends; return a builder for a given time."""
    client = db.client()
    refs = [
        client.collection(db.IDENTITIES).document(caller[0]),
        client.collection(db.IDENTITIES).document(callee[0]),
        client.collection(db.JOINS).document(meetings.join_record_id(meeting_id, *caller)),
        client.collection(db.JOINS).document(meetings.join_record_id(meeting_id, *callee)),
        _meeting_ref(meeting_id),
    ]
    got = {d.reference.path: d.to_dict() for d in client.get_all(refs)}
    ident_a, ident_b, join_a, join_b, meeting = (got.get(r.path) for r in refs)
    if join_a is None or join_b is None:
        # Sessions that never joined this meeting: no such connection to record.
        raise NotFound("No connection between these sessions in this meeting.")
    pair = sorted([caller[0], callee[0]])
    prior: Any = (
        client.collection(db.CDRS)
        .where("meetingId", "==", meeting_id)
        .where("uids", "==", pair)
        .count()
    )
    seq = int(prior.get()[0][0].value) + 1
    days = retention_days(settings().retention_days, _org((meeting or {}).get("orgId")))

    def build(now: Any) -> dict[str, Any]:
        return cdr.new_leg(
            meeting_id,
            cdr.side_info(caller[0], caller[1], ident_a, join_a),
            cdr.side_info(callee[0], callee[1], ident_b, join_b),
            seq=seq,
            now=now,
            expires_at=expires_at(now, days),
        )

    return build


def _org(org_id: Any) -> dict[str, Any] | None:
    if not isinstance(org_id, str) or not org_id:
        return None
    snap = db.client().collection(db.ORGS).document(org_id).get()
    return snap.to_dict() if snap.exists else None


def _end_session_legs(meeting_id: str, uid: str, session: str, cause: str) -> int:
    """End every open leg in which ``uid`` takes part with ``session``."""
    client = db.client()
    open_legs = (
        client.collection(db.CDRS)
        .where("meetingId", "==", meeting_id)
        .where("uids", "array_contains", uid)
        .where("state", "in", [cdr.CONNECTING, cdr.CONNECTED])
    )
    ended = 0
    for snap in open_legs.stream():
        leg = snap.to_dict() or {}
        ends = (leg["caller"]["uid"], leg["caller"]["session"])
        other = (leg["callee"]["uid"], leg["callee"]["session"])
        if session not in (ends[1], other[1]):
            continue
        _upsert_leg(meeting_id, ends, other, lambda current, now: cdr.end(current, now, cause))
        ended += 1
    return ended


@callable_handler
def report_connection(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """A client's connection state and stats for one leg (validated, rate-limited)."""
    caller = _caller(req)
    body = payloads.parse_report(req.data)
    mine = _meeting_ref(body.meeting_id).collection(db.PARTICIPANTS).document(caller.uid).get()
    if not mine.exists:
        raise PermissionDenied("You are not a participant of this meeting.")
    session = str((mine.to_dict() or {}).get("session"))
    me, peer = (caller.uid, session), (body.peer, body.peer_session)
    offerer, answerer = (me, peer) if body.role == "caller" else (peer, me)
    per_minute = settings().reports_per_minute
    leg = _upsert_leg(
        body.meeting_id,
        offerer,
        answerer,
        lambda leg, now: cdr.report_if_changed(
            leg, body.role, body.status, body.stats, now, per_minute
        ),
    )
    return {"legId": leg["legId"], "state": leg["state"]}


@callable_handler
def heartbeat(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """Keep the caller's participation alive; cheap: writes at most every half interval."""
    caller = _caller(req)
    body = payloads.parse_heartbeat(req.data)
    ref = _meeting_ref(body.meeting_id).collection(db.PARTICIPANTS).document(caller.uid)
    snap = ref.get()
    data = snap.to_dict() if snap.exists else None
    if data is None or data.get("state") != meetings.JOINED:
        raise FailedPrecondition("You are not in this meeting; join again.", reason="not-joined")
    now = clock.now()
    interval = settings().heartbeat_seconds
    last = data.get("lastSeenAt")
    if last is None or (now - last).total_seconds() >= interval / 2:
        ref.update({"lastSeenAt": now})
    return {"intervalSeconds": interval}


def sweep(now: Any = None) -> int:
    """Close out participants whose heartbeat stopped (run every minute by the scheduler)."""
    cutoff = (now or clock.now()) - timedelta(seconds=settings().heartbeat_timeout_seconds)
    silent = (
        db.client()
        .collection_group(db.PARTICIPANTS)
        .where("state", "==", meetings.JOINED)
        .where("lastSeenAt", "<", cutoff)
        .limit(500)
    )
    closed = 0
    for snap in silent.stream():
        data = snap.to_dict() or {}
        meeting_id = snap.reference.parent.parent.id
        if _close_participant(meeting_id, snap.id, data.get("session"), "heartbeat-timeout"):
            log.info("closed out silent participant %s in %s", snap.id, meeting_id)
            closed += 1
    return closed


# --- archive (organisation opt-in) -----------------------------------------------------------


@callable_handler
def archive(req: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """Store chat or attendance, only where the caller's organisation opted in to it."""
    caller = _caller(req)
    body = payloads.parse_archive(req.data)
    client = db.client()
    meeting_ref = _meeting_ref(body.meeting_id)
    if not meeting_ref.get().exists:
        raise NotFound("No meeting has this id.")
    mine = meeting_ref.collection(db.PARTICIPANTS).document(caller.uid).get()
    if not mine.exists:
        raise PermissionDenied("Only participants can archive a meeting.")
    org_id, org = _org_for_email(caller.email)
    allowed = bool(((org or {}).get("storage") or {}).get(body.kind))
    if org_id is None or not allowed:
        raise FailedPrecondition(
            f"Your organisation does not allow storing {body.kind}; nothing was stored.",
            reason="not-allowed-by-policy",
        )
    now = clock.now()
    if body.kind == "chat":
        items = [{**m, "at": datetime.fromtimestamp(m["at"] / 1000, tz=UTC)} for m in body.messages]
    else:
        items = [
            {
                "uid": p.get("uid"),
                "displayName": p.get("displayName"),
                "joinedAt": p.get("joinedAt"),
                "leftAt": p.get("leftAt"),
            }
            for p in (d.to_dict() or {} for d in meeting_ref.collection(db.PARTICIPANTS).stream())
        ]
    ref = client.collection(db.ARCHIVES).document()
    ref.set(
        {
            "orgId": org_id,
            "meetingId": body.meeting_id,
            "kind": body.kind,
            "archivedBy": caller.uid,
            "createdAt": now,
            "items": items,
            "expiresAt": expires_at(now, retention_days(settings().retention_days, org)),
        }
    )
    return {"archiveId": ref.id, "items": len(items)}
