"""The adapter layer: Functions SDK requests in, service calls, callable errors out.

Each handler parses its input (``avmeets.payloads``), hands it with the caller to one service
(``avmeets.services``) and returns the service's result. Domain errors become ``HttpsError``
here and nowhere else; so do Firestore's momentary failures (UNAVAILABLE, not INTERNAL).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from firebase_functions import firestore_fn, https_fn, identity_fn
from google.api_core import exceptions as gexc

from . import display_names, meetings, payloads
from .client_ip import client_ip
from .config import settings
from .errors import AvmeetsError, PermissionDenied, Unauthenticated, Unavailable
from .protocol import (
    ArchiveResult,
    CreateMeetingResult,
    DeleteMeResult,
    ErrorReason,
    HeartbeatResult,
    HostActionResult,
    JoinMeetingResult,
    KnockResult,
    LeaveMeetingResult,
    MeetingInfoResult,
    MyDataResult,
    OrgAdminResult,
    RenameResult,
    ReportConnectionResult,
    UploadObjectResult,
)
from .services import (
    archives,
    connections,
    hosts,
    joins,
    leaves,
    lobby,
    orgs,
    policy,
    presence,
    renames,
    sign_ins,
    signals,
)
from .services import meetings as meeting_service
from .services import my_data as my_data_service
from .sign_in import SignIn

log = logging.getLogger("avmeets")

R = TypeVar("R")
Request = https_fn.CallableRequest[Any]
_MAX_USER_AGENT = 512

#: Firestore errors that mean "try again", not "this request is wrong".
_TRANSIENT = (
    gexc.ServiceUnavailable,
    gexc.DeadlineExceeded,
    gexc.Aborted,
    gexc.Cancelled,
    gexc.TooManyRequests,
)


def _to_https_error(err: AvmeetsError) -> https_fn.HttpsError:
    return https_fn.HttpsError(
        code=https_fn.FunctionsErrorCode[err.code],
        message=err.message,
        details=err.details or None,
    )


def callable_handler(func: Callable[[Request], R]) -> Callable[[Request], R]:
    """Map the domain's exception tree to callable error codes."""

    @functools.wraps(func)
    def wrapper(req: Request) -> R:
        try:
            return func(req)
        except AvmeetsError as err:
            raise _to_https_error(err) from None
        except _TRANSIENT as err:
            # Firestore's own momentary failures: the client may retry, so say so (UNAVAILABLE)
            # rather than INTERNAL, which reads as a bug. The traceback says which step failed
            # (a leave cut off after its commit was found by it).
            log.warning(
                "%s: Firestore unavailable: %s", func.__name__, type(err).__name__, exc_info=True
            )
            busy = Unavailable(
                "The service is busy; try again.", reason=ErrorReason.BACKEND_UNAVAILABLE
            )
            raise _to_https_error(busy) from None

    return wrapper


def _user_agent(value: str | None) -> str | None:
    return (value or "")[:_MAX_USER_AGENT] or None


def _token(req: Request) -> policy.Token:
    if req.auth is None or not req.auth.uid:
        raise Unauthenticated("Sign in first.")
    claims = req.auth.token or {}
    email = claims.get("email")
    firebase = claims.get("firebase")
    provider = firebase.get("sign_in_provider") if isinstance(firebase, dict) else None
    issued_at = claims.get("iat")
    return policy.Token(
        uid=req.auth.uid,
        email=email if isinstance(email, str) else None,
        email_verified=claims.get("email_verified") is True,
        provider=provider if isinstance(provider, str) else "unknown",
        issued_at=issued_at if isinstance(issued_at, int) else None,
    )


def _caller(req: Request) -> meetings.Caller:
    """The signed-in caller, admitted by the organisation policy (``services.policy``): uid, the
    name others see, email, organisation, and the IP the front end saw."""
    token = _token(req)
    membership = policy.admit(token)
    claims = (req.auth.token if req.auth is not None else None) or {}
    headers = req.raw_request.headers
    phone = claims.get("phone_number") if isinstance(claims.get("phone_number"), str) else None
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    return meetings.Caller(
        uid=token.uid,
        # Never any part of the e-mail address or phone number: the others see this name.
        display_name=display_names.account_name(name, token.uid, email=token.email, phone=phone),
        email=token.email,
        phone=phone,
        ip=client_ip(
            headers.get("X-Forwarded-For"),
            req.raw_request.remote_addr,
            settings().xff_trusted_position,
        ),
        user_agent=_user_agent(headers.get("User-Agent")),
        org_id=membership.org_id,
        org=membership.org,
    )


# --- Auth blocking function ----------------------------------------------------------------------


def _sign_in(event: identity_fn.AuthBlockingEvent) -> SignIn:
    user = event.data
    provider = (
        event.additional_user_info.provider_id
        if event.additional_user_info is not None
        else (user.provider_data[0].provider_id if user.provider_data else "unknown")
    )
    return SignIn(
        uid=user.uid,
        name=user.display_name,
        email=user.email,
        email_verified=bool(user.email_verified),
        phone=user.phone_number,
        provider=provider,
        ip=client_ip(None, event.ip_address, 1),
        user_agent=_user_agent(event.user_agent),
    )


def _blocking(decide: Callable[[SignIn], None], event: identity_fn.AuthBlockingEvent) -> None:
    """Run a blocking function's decision; a refusal becomes the same HttpsError as a
    callable's, which Auth passes to the client."""
    try:
        decide(_sign_in(event))
    except PermissionDenied as err:
        raise _to_https_error(err) from None


def auth_callback(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeSignInResponse | None:
    """Record the identity for the CDR and enforce organisation sign-in policy."""
    _blocking(sign_ins.sign_in, event)
    return None


def before_create(event: identity_fn.AuthBlockingEvent) -> identity_fn.BeforeCreateResponse | None:
    """Refuse to create the account of a person the organisation policy would refuse."""
    _blocking(sign_ins.before_create, event)
    return None


# --- callables -----------------------------------------------------------------------------------


@callable_handler
def create_meeting(req: Request) -> CreateMeetingResult:
    caller = _caller(req)
    return meeting_service.create(caller, payloads.parse_create(req.data))


@callable_handler
def join_meeting(req: Request) -> JoinMeetingResult:
    caller = _caller(req)
    return joins.join(caller, payloads.parse_join(req.data))


@callable_handler
def knock(req: Request) -> KnockResult:
    caller = _caller(req)
    return lobby.knock(caller, payloads.parse_knock(req.data))


@callable_handler
def host_action(req: Request) -> HostActionResult:
    caller = _caller(req)
    return hosts.act(caller, payloads.parse_host_action(req.data))


@callable_handler
def rename(req: Request) -> RenameResult:
    caller = _caller(req)
    return renames.rename(caller, payloads.parse_rename(req.data))


@callable_handler
def meeting_info(req: Request) -> MeetingInfoResult:
    return meeting_service.info(_caller(req), payloads.parse_meeting_info(req.data))


@callable_handler
def leave_meeting(req: Request) -> LeaveMeetingResult:
    caller = _caller(req)
    return leaves.leave(caller, payloads.parse_leave(req.data))


@callable_handler
def heartbeat(req: Request) -> HeartbeatResult:
    caller = _caller(req)
    return presence.heartbeat(caller, payloads.parse_heartbeat(req.data))


@callable_handler
def report_connection(req: Request) -> ReportConnectionResult:
    caller = _caller(req)
    return connections.report(caller, payloads.parse_report(req.data))


@callable_handler
def archive(req: Request) -> ArchiveResult:
    caller = _caller(req)
    return archives.archive(caller, payloads.parse_archive(req.data))


@callable_handler
def upload_object(req: Request) -> UploadObjectResult:
    caller = _caller(req)
    body = payloads.parse_upload_object(req.data)
    # The browser uploads straight to the session: Cloud Storage answers CORS for this origin.
    return archives.upload_object(caller, body, req.raw_request.headers.get("Origin"))


@callable_handler
def org_admin(req: Request) -> OrgAdminResult:
    caller = _caller(req)
    body = payloads.parse_org_admin(req.data)
    return orgs.org_admin(caller, orgs.admin_of(caller.uid), body)


def _signed_in_at(req: Request) -> datetime | None:
    """When the caller last signed in (the ID token's ``auth_time``; refreshes keep it)."""
    auth_time = (req.auth.token or {}).get("auth_time") if req.auth is not None else None
    if isinstance(auth_time, int | float) and not isinstance(auth_time, bool):
        return datetime.fromtimestamp(auth_time, UTC)
    return None


@callable_handler
def my_data(req: Request) -> MyDataResult:
    caller = _caller(req)
    payloads.parse_my_data(req.data)
    return my_data_service.my_data(caller)


@callable_handler
def delete_me(req: Request) -> DeleteMeResult:
    caller = _caller(req)
    payloads.parse_delete_me(req.data)
    return my_data_service.delete_me(caller, _signed_in_at(req))


# --- Firestore trigger ---------------------------------------------------------------------------


def on_signal(event: firestore_fn.Event[firestore_fn.DocumentSnapshot | None]) -> None:
    """A new signal document: checked, and an offer's leg recorded for the CDR."""
    snap = event.data
    if snap is None or not snap.exists:
        return
    signals.on_signal(event.params["meetingId"], snap.id, snap.to_dict() or {}, event.id)
