"""The adapter layer: Functions SDK requests in, domain calls, Firestore reads and writes out.

Each handler parses its input, reads what the domain needs, lets a pure module decide, and
writes the result (in a transaction where a decision depends on what it read). Domain errors
become ``HttpsError`` here and nowhere else.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from firebase_functions import firestore_fn, https_fn, identity_fn
from google.api_core import exceptions as gexc
from google.cloud import firestore

from . import cdr, clock, db, meeting_ids, meetings, passwords, payloads, signals, throttle
from .client_ip import client_ip
from .config import settings
from .errors import AvmeetsError, NotFound, PermissionDenied, ResourceExhausted, Unauthenticated
from .retention import expires_at, retention_days
from .sign_in import SignIn, check_policy, email_domain, identity_record

log = logging.getLogger("avmeets")

R = TypeVar("R")
_MAX_USER_AGENT = 512


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

    return wrapper


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
    return [dict(s) for s in settings().ice_servers]


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
        raise identity_fn.HttpsError(
            code=identity_fn.FunctionsErrorCode.PERMISSION_DENIED, message=err.message
        ) from None
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
    participants = meeting_ref.collection(db.PARTICIPANTS)
    joins = client.collection(db.JOINS)
    _, org = _org_for_email(caller.email)

    @firestore.transactional
    def admit(txn: firestore.Transaction) -> meetings.JoinPlan:
        current = meeting_ref.get(transaction=txn)
        fresh = meetings.check_joinable(current.to_dict() if current.exists else None)
        mine_snap = participants.document(caller.uid).get(transaction=txn)
        joined = [
            d.to_dict() or {}
            for d in txn.get(participants.where("state", "==", meetings.JOINED))
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
        txn.set(participants.document(caller.uid), plan.participant)
        txn.set(joins.document(plan.join_record_id), plan.join_record)
        if plan.replaced_session is not None:
            old = meetings.join_record_id(body.meeting_id, caller.uid, plan.replaced_session)
            txn.set(
                joins.document(old), {"leftAt": now, "endCause": "rejoined"}, merge=True
            )
        txn.update(meeting_ref, {"lastActivityAt": now, "expiresAt": max(fresh["expiresAt"], until)})
        return plan

    plan = admit(client.transaction())
    log.info("joined: %s uid=%s session=%s", body.meeting_id, caller.uid, session)
    return {
        "meetingId": body.meeting_id,
        "title": meeting.get("title"),
        "session": session,
        "participants": plan.others,
        "iceServers": _ice_servers(),
    }


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
    client = db.client()
    meeting_ref = _meeting_ref(body.meeting_id)
    mine_ref = meeting_ref.collection(db.PARTICIPANTS).document(caller.uid)

    @firestore.transactional
    def leave(txn: firestore.Transaction) -> bool:
        if not meeting_ref.get(transaction=txn).exists:
            raise NotFound("No meeting has this id.")
        mine = mine_ref.get(transaction=txn)
        data = mine.to_dict() if mine.exists else None
        if data is None or data.get("state") != meetings.JOINED:
            return False
        now = clock.now()
        txn.update(mine_ref, {"state": meetings.LEFT, "leftAt": now})
        record = meetings.join_record_id(body.meeting_id, caller.uid, data["session"])
        txn.set(
            client.collection(db.JOINS).document(record),
            {"leftAt": now, "endCause": "left"},
            merge=True,
        )
        return True

    if leave(client.transaction()):
        _delete_signals_of(meeting_ref, caller.uid)
        log.info("left: %s uid=%s", body.meeting_id, caller.uid)
    return {"left": True}


# --- signal trigger --------------------------------------------------------------------------


def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    """Check a new signal document and record the leg's progress for the CDR."""
    snap = event.data
    if snap is None or not snap.exists:
        return
    doc = snap.to_dict() or {}
    meeting_id = event.params["meetingId"]
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
    caller = {"uid": doc["from"], "session": doc["session"]}
    callee = {"uid": doc["to"], "session": doc["toSession"]}
    now = clock.now()
    leg = cdr.new_leg(meeting_id, caller, callee, now, expires_at(now, settings().retention_days))
    try:
        db.client().collection(db.CDRS).document(leg["legId"]).create(leg)
    except (gexc.AlreadyExists, gexc.Conflict):
        pass  # a renegotiation offer, or the same event delivered again
