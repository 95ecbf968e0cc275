"""Meetings and their participants: the decisions behind create, join and leave.

Functions here take the current documents as plain data and the time as an argument, and return
the documents to write; the services (``avmeets.services``) read and write them.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypeVar

from .errors import FailedPrecondition, NotFound, ResourceExhausted
from .protocol import (
    ErrorReason,
    MeetingDoc,
    MeetingInfoResult,
    MeetingState,
    ParticipantDoc,
    ParticipantSummary,
)
from .store.documents import IpInfo, JoinRecordDoc, OrgDoc

JOINED: Final = "joined"
LEFT: Final = "left"
OPEN: Final = "open"
_UNKNOWN_IP: Final[IpInfo] = {"kind": "invalid", "known": False}

M = TypeVar("M", bound=Mapping[str, Any])


@dataclass(frozen=True)
class Caller:
    """The signed-in user behind a callable request."""

    uid: str
    display_name: str
    email: str | None
    ip: str
    user_agent: str | None
    #: The organisation the caller belongs to (by a verified e-mail address), as admitted at
    #: the boundary (``services.policy``): its policy and retention apply.
    org_id: str | None = None
    org: OrgDoc | None = None


def new_session() -> str:
    return secrets.token_hex(16)


def join_record_id(meeting_id: str, uid: str, session: str) -> str:
    return f"{meeting_id}_{uid}_{session}"


def meeting_doc(
    title: str | None,
    caller: Caller,
    has_password: bool,
    max_participants: int,
    org_id: str | None,
    now: datetime,
    expires_at: datetime,
) -> MeetingDoc:
    return {
        "title": title,
        "createdBy": caller.uid,
        "createdAt": now,
        "hasPassword": has_password,
        "maxParticipants": max_participants,
        "state": OPEN,
        "orgId": org_id,
        "lastActivityAt": now,
        "expiresAt": expires_at,
    }


def check_joinable(meeting: M | None) -> M:
    if meeting is None:
        raise NotFound("No meeting has this id.")
    if meeting.get("state") != OPEN:
        raise FailedPrecondition("This meeting has ended.", reason=ErrorReason.MEETING_ENDED)
    return meeting


@dataclass(frozen=True)
class JoinPlan:
    participant: ParticipantDoc
    join_record_id: str
    join_record: JoinRecordDoc
    # The join record of a previous session of the same caller, to close (re-join after reload).
    replaced_session: str | None
    others: list[ParticipantSummary] = field(default_factory=list)


def plan_join(
    meeting_id: str,
    meeting: Mapping[str, Any],
    mine: Mapping[str, Any] | None,
    joined: Sequence[Mapping[str, Any]],
    caller: Caller,
    session: str,
    now: datetime,
    expires_at: datetime,
    ip_info: IpInfo = _UNKNOWN_IP,
) -> JoinPlan:
    """Admit ``caller``; ``joined`` are the participant documents currently in the meeting."""
    others = [p for p in joined if p.get("uid") != caller.uid and p.get("state") == JOINED]
    rejoin = mine is not None and mine.get("state") == JOINED
    cap = int(meeting.get("maxParticipants", 0))
    if not rejoin and len(others) >= cap:
        raise ResourceExhausted(
            "This meeting is full.", reason=ErrorReason.MEETING_FULL, maxParticipants=cap
        )
    participant: ParticipantDoc = {
        "uid": caller.uid,
        "displayName": caller.display_name,
        "session": session,
        "state": JOINED,
        "joinedAt": now,
        "leftAt": None,
        "lastSeenAt": now,
        "expiresAt": expires_at,
    }
    record: JoinRecordDoc = {
        "meetingId": meeting_id,
        "uid": caller.uid,
        "session": session,
        "ip": caller.ip,
        "userAgent": caller.user_agent,
        "joinedAt": now,
        "leftAt": None,
        "endCause": None,
        "expiresAt": expires_at,
        "ipInfo": ip_info,
    }
    return JoinPlan(
        participant=participant,
        join_record_id=join_record_id(meeting_id, caller.uid, session),
        join_record=record,
        replaced_session=str(mine["session"]) if rejoin and mine else None,
        others=[
            {"uid": p["uid"], "displayName": p.get("displayName", ""), "session": p["session"]}
            for p in sorted(others, key=lambda p: str(p.get("uid")))
        ],
    )


def display_name(name: str | None, email: str | None, uid: str) -> str:
    """What others see: the sign-in name, else the email's local part, else a short uid."""
    if name and name.strip():
        return name.strip()[:100]
    if email and "@" in email:
        return email.split("@", 1)[0][:100]
    return f"Guest {uid[:6]}"


def relay_only(org: Mapping[str, Any] | None) -> bool:
    """Whether an organisation requires its members to hide their IP address (relay-only ICE)."""
    privacy = (org or {}).get("privacy")
    return isinstance(privacy, dict) and privacy.get("relayOnly") is True


def meeting_info(meeting: Mapping[str, Any] | None, joined: int, relay: bool) -> MeetingInfoResult:
    """``meeting_info``'s answer (docs/protocol.md): what a client may know before joining.

    The title only without a password (the password protects it too); ``joined`` is how many
    participants are in now; ``relay`` the caller's organisation's relay-only policy.
    """
    if meeting is None:
        return {
            "exists": False,
            "state": None,
            "hasPassword": False,
            "title": None,
            "full": False,
            "relayOnly": relay,
        }
    has_password = bool(meeting.get("hasPassword"))
    state: MeetingState = "open" if meeting.get("state") == OPEN else "ended"
    return {
        "exists": True,
        "state": state,
        "hasPassword": has_password,
        "title": None if has_password else meeting.get("title"),
        "full": state == "open" and joined >= int(meeting.get("maxParticipants", 0)),
        "relayOnly": relay,
    }
