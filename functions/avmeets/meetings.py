"""Meetings and their participants: the decisions behind create, join and leave.

Functions here take the current documents as plain dicts and return the documents to write;
``handlers`` reads and writes them inside Firestore transactions.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import FailedPrecondition, NotFound, ResourceExhausted

JOINED = "joined"
LEFT = "left"


@dataclass(frozen=True)
class Caller:
    """The signed-in user behind a callable request."""

    uid: str
    display_name: str
    email: str | None
    ip: str
    user_agent: str | None


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
) -> dict[str, Any]:
    return {
        "title": title,
        "createdBy": caller.uid,
        "createdAt": now,
        "hasPassword": has_password,
        "maxParticipants": max_participants,
        "state": "open",
        "orgId": org_id,
        "lastActivityAt": now,
        "expiresAt": expires_at,
    }


def check_joinable(meeting: dict[str, Any] | None) -> dict[str, Any]:
    if meeting is None:
        raise NotFound("No meeting has this id.")
    if meeting.get("state") != "open":
        raise FailedPrecondition("This meeting has ended.", reason="meeting-ended")
    return meeting


@dataclass(frozen=True)
class JoinPlan:
    participant: dict[str, Any]
    join_record_id: str
    join_record: dict[str, Any]
    # The join record of a previous session of the same caller, to close (re-join after reload).
    replaced_session: str | None
    others: list[dict[str, Any]] = field(default_factory=list)


def plan_join(
    meeting_id: str,
    meeting: dict[str, Any],
    mine: dict[str, Any] | None,
    joined: list[dict[str, Any]],
    caller: Caller,
    session: str,
    now: datetime,
    expires_at: datetime,
) -> JoinPlan:
    """Admit ``caller``; ``joined`` are the participant documents currently in the meeting."""
    others = [p for p in joined if p.get("uid") != caller.uid and p.get("state") == JOINED]
    rejoin = mine is not None and mine.get("state") == JOINED
    cap = int(meeting.get("maxParticipants", 0))
    if not rejoin and len(others) >= cap:
        raise ResourceExhausted("This meeting is full.", reason="meeting-full", maxParticipants=cap)
    participant = {
        "uid": caller.uid,
        "displayName": caller.display_name,
        "session": session,
        "state": JOINED,
        "joinedAt": now,
        "leftAt": None,
        "lastSeenAt": now,
        "expiresAt": expires_at,
    }
    record = {
        "meetingId": meeting_id,
        "uid": caller.uid,
        "session": session,
        "ip": caller.ip,
        "userAgent": caller.user_agent,
        "joinedAt": now,
        "leftAt": None,
        "endCause": None,
        "expiresAt": expires_at,
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


def relay_only(org: dict[str, Any] | None) -> bool:
    """Whether an organisation requires its members to hide their IP address (relay-only ICE)."""
    privacy = (org or {}).get("privacy")
    return isinstance(privacy, dict) and privacy.get("relayOnly") is True


def meeting_info(meeting: dict[str, Any] | None, joined: int, relay: bool) -> dict[str, Any]:
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
    state = "open" if meeting.get("state") == "open" else "ended"
    return {
        "exists": True,
        "state": state,
        "hasPassword": has_password,
        "title": None if has_password else meeting.get("title"),
        "full": state == "open" and joined >= int(meeting.get("maxParticipants", 0)),
        "relayOnly": relay,
    }
