"""Meetings and their participants: the decisions behind create, join and leave.

Functions here take the current documents as plain data and the time as an argument, and return
the documents to write; the services (``avmeets.services``) read and write them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, TypeVar

from . import org_storage
from .errors import FailedPrecondition, NotFound, ResourceExhausted
from .protocol import (
    ErrorReason,
    HostPermission,
    MeetingDoc,
    MeetingEntry,
    MeetingInfoResult,
    MeetingState,
    ParticipantDoc,
    ParticipantRole,
    ParticipantSummary,
    PresenceDoc,
    SignalDoc,
    StoredBy,
)
from .store.documents import IpInfo, JoinRecordDoc, OrgDoc

JOINED: Final = "joined"
LEFT: Final = "left"
REMOVED: Final = "removed"
OPEN: Final = "open"
_UNKNOWN_IP: Final[IpInfo] = {"kind": "invalid", "known": False}
#: Shards of the sweep's index (presence by shard, lastSeenAt). Every beat rewrites
#: ``lastSeenAt``; an index ordered by it alone takes about 500 writes a second
#: (Firestore's limit for sequential indexed values), which heartbeats reach at about 80,000
#: participants a day. Each shard is a range of its own: 150 of them take 75,000 a second, the
#: heartbeats of over 10 M participants a day (docs/capacity.md). The sweep asks each shard,
#: up to 30 (Firestore's ``in`` limit) per query.
SWEEP_SHARDS: Final = 150

M = TypeVar("M", bound=Mapping[str, Any])
Role = ParticipantRole


def sweep_shard(uid: str) -> int:
    """The sweep shard of a participant: fixed by its uid, spread evenly."""
    digest = hashlib.sha256(uid.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % SWEEP_SHARDS


def min_beat_gap(heartbeat_seconds: int) -> int:
    """The least time between two beats the rules accept: half the interval, so a client on
    time is never refused and one beating faster gains nothing but refusals."""
    return max(1, heartbeat_seconds // 2)


def sweep_shard_groups(size: int = 30) -> list[list[int]]:
    """Every shard, in groups of at most ``size`` (one ``in`` filter each)."""
    shards = list(range(SWEEP_SHARDS))
    return [shards[i : i + size] for i in range(0, len(shards), size)]


@dataclass(frozen=True)
class Caller:
    """The signed-in user behind a callable request."""

    uid: str
    #: The account's name as others may see it (``display_names.account_name``).
    display_name: str
    email: str | None
    ip: str
    user_agent: str | None
    phone: str | None = None
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
    lobby: bool | None = None,
) -> MeetingDoc:
    """A new meeting; the lobby is on by default for a meeting without a password."""
    return {
        "title": title,
        "createdBy": caller.uid,
        "createdAt": now,
        "hasPassword": has_password,
        "maxParticipants": max_participants,
        "state": OPEN,
        "locked": False,
        "lobby": (not has_password) if lobby is None else lobby,
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
    presence: PresenceDoc
    join_record_id: str
    join_record: JoinRecordDoc
    # The join record of a previous session of the same caller, to close (re-join after reload).
    replaced_session: str | None
    others: list[ParticipantSummary] = field(default_factory=list)
    #: The caller's offers to those present (``offers`` of the request), as signal documents
    #: written in the join's commit; ``createdAt`` is the join's time (``joinedAt``).
    offer_signals: list[SignalDoc] = field(default_factory=list)


def signals_blocked(mine: Mapping[str, Any] | None, now: datetime) -> bool:
    """Whether the rules refuse this participant's signals now (its ``signalLimit``)."""
    limit = (mine or {}).get("signalLimit")
    until = limit.get("blockedUntil") if isinstance(limit, Mapping) else None
    return isinstance(until, datetime) and until > now


def seat_free(meeting: Mapping[str, Any], others: Sequence[Mapping[str, Any]], uid: str) -> bool:
    """Whether ``uid`` finds a seat among ``others`` (the joined participants but ``uid``).

    The host always has a seat: while the meeting's creator is not in it, one seat stays free
    for them, so the others count against one seat less than the cap.
    """
    creator = meeting.get("createdBy")
    kept = 0 if uid == creator or any(p.get("uid") == creator for p in others) else 1
    return len(others) + kept < int(meeting.get("maxParticipants", 0))


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
    *,
    display_name: str | None = None,
    admitted_by: str | None = None,
    knocked_as: str | None = None,
    heartbeat_seconds: int = 300,
    offers: Sequence[str] = (),
    room: int | None = None,
) -> JoinPlan:
    """Admit ``caller``; ``joined`` are the participant documents currently in the meeting.

    ``display_name`` is the name the caller chose; without one it keeps the name it had in this
    meeting, else the one it knocked with (``knocked_as``), else its account's. ``admitted_by``
    is the host who let it in from the lobby. ``offers`` go to those present in the order
    they are returned (by uid), one each; offers beyond them are not used. ``room`` is the
    breakout room the caller joins (``hosting.room_on_join``; None: the main room): it connects
    only to those present in it.
    """
    present = [p for p in joined if p.get("uid") != caller.uid and p.get("state") == JOINED]
    others = [p for p in present if room_of(p) == room]
    rejoin = mine is not None and mine.get("state") == JOINED
    if not rejoin and not seat_free(meeting, present, caller.uid):
        raise ResourceExhausted(
            "This meeting is full.",
            reason=ErrorReason.MEETING_FULL,
            maxParticipants=int(meeting.get("maxParticipants", 0)),
        )
    participant: ParticipantDoc = {
        "uid": caller.uid,
        "displayName": display_name
        or (str(mine["displayName"]) if mine and mine.get("displayName") else None)
        or knocked_as
        or caller.display_name,
        "session": session,
        "state": JOINED,
        "role": role_on_join(meeting, mine, caller.uid),
        "joinedAt": now,
        "leftAt": None,
        "endCause": None,
        # What the caller's organisation stores of them here, as its policy is now: shown to
        # everyone in the room, and the most that may be stored of them (org_storage).
        "storedBy": org_storage.stored_by(caller.org_id, caller.org),
        "expiresAt": expires_at,
    }
    if rejoin and mine is not None and mine.get("permitted"):  # a reload keeps it; a leave not
        participant["permitted"] = list(mine["permitted"])
    # A join writes the fields it names (an update): a room once set is written either way.
    if room is not None or (mine is not None and "room" in mine):
        participant["room"] = room
    record: JoinRecordDoc = {
        "meetingId": meeting_id,
        "uid": caller.uid,
        "session": session,
        "ip": caller.ip,
        "userAgent": caller.user_agent,
        "joinedAt": now,
        "leftAt": None,
        "endCause": None,
        "admittedBy": admitted_by,
        "closedBy": None,
        "expiresAt": expires_at,
        "ipInfo": ip_info,
    }
    presence: PresenceDoc = {
        "uid": caller.uid,
        "session": session,
        "lastSeenAt": now,
        "minGapSeconds": min_beat_gap(heartbeat_seconds),
        "sweepShard": sweep_shard(caller.uid),
        "expiresAt": expires_at,
    }
    summaries: list[ParticipantSummary] = [
        {
            "uid": p["uid"],
            "displayName": p.get("displayName", ""),
            "session": p["session"],
            "role": p.get("role", "participant"),
        }
        for p in sorted(others, key=lambda p: str(p.get("uid")))
    ]
    if signals_blocked(mine, now):
        # The rules refuse this participant's signals until then, and a re-join keeps its
        # signalLimit: the server does not write for it what the rules would refuse.
        offers = ()
    for index, summary in enumerate(summaries[: len(offers)]):
        summary["offer"] = index
    return JoinPlan(
        participant=participant,
        presence=presence,
        join_record_id=join_record_id(meeting_id, caller.uid, session),
        join_record=record,
        replaced_session=str(mine["session"]) if rejoin and mine else None,
        others=summaries,
        offer_signals=[
            {
                "from": caller.uid,
                "session": session,
                "to": other["uid"],
                "toSession": other["session"],
                "type": "offer",
                "sdp": sdp,
                "createdAt": now,
            }
            for other, sdp in zip(summaries, offers, strict=False)
        ],
    )


def room_of(participant: Mapping[str, Any] | None) -> int | None:
    """The breakout room a participant document places its person in (None: the main room)."""
    room = participant.get("room") if participant is not None else None
    return room if isinstance(room, int) and not isinstance(room, bool) and room > 0 else None


def role_on_join(meeting: Mapping[str, Any], mine: Mapping[str, Any] | None, uid: str) -> Role:
    """The creator is the host; a co-host stays one across leaving and re-joining (not across a
    removal, which makes them a participant)."""
    if uid == meeting.get("createdBy"):
        return "host"
    if mine is not None and mine.get("role") == "cohost" and mine.get("state") != REMOVED:
        return "cohost"
    return "participant"


def relay_only(org: Mapping[str, Any] | None) -> bool:
    """Whether an organisation requires its members to hide their IP address (relay-only ICE)."""
    privacy = (org or {}).get("privacy")
    return isinstance(privacy, dict) and privacy.get("relayOnly") is True


def meeting_info(
    meeting: Mapping[str, Any] | None,
    joined: Sequence[Mapping[str, Any]],
    relay: bool,
    uid: str,
    entry: MeetingEntry | None,
    stored_of_caller: StoredBy | None = None,
    turned_off: Sequence[HostPermission] = (),
) -> MeetingInfoResult:
    """``meeting_info``'s answer (docs/protocol.md): what a client may know before joining.

    The title only without a password (the password protects it too); ``joined`` are the
    participants in now; ``relay`` the caller's organisation's relay-only policy; ``entry``
    what joining would do for ``uid`` (``hosting.entry``). ``full``: no seat for ``uid`` (who
    is not in already), the host's seat kept as on a join. ``storage``: what the organisations
    of the people in now store of their members, like the title only without a password or
    to someone inside; ``storedOfYou``: what the caller's own organisation would store of them.
    ``turnedOff``: what the hosts turned off that would hold the caller on joining
    (``hosting.held_on_join``), like the title only without a password or to someone inside.
    """
    stored_of_you = list(stored_of_caller["kinds"]) if stored_of_caller is not None else []
    stored_by = stored_of_caller["orgName"] if stored_of_caller is not None else None
    if meeting is None:
        return {
            "exists": False,
            "state": None,
            "hasPassword": False,
            "title": None,
            "full": False,
            "relayOnly": relay,
            "entry": None,
            "storage": [],
            "storedOfYou": stored_of_you,
            "storedOfYouBy": stored_by,
            "present": None,
            "turnedOff": [],
        }
    has_password = bool(meeting.get("hasPassword"))
    state: MeetingState = "open" if meeting.get("state") == OPEN else "ended"
    others = [p for p in joined if p.get("uid") != uid]
    inside = len(others) < len(joined)
    return {
        "exists": True,
        "state": state,
        "hasPassword": has_password,
        "title": None if has_password else meeting.get("title"),
        "full": state == "open" and not inside and not seat_free(meeting, others, uid),
        "relayOnly": relay,
        "entry": entry if state == "open" else None,
        "storage": org_storage.notices(joined) if not has_password or inside else [],
        "storedOfYou": stored_of_you,
        "storedOfYouBy": stored_by,
        "present": len(others) if state == "open" and (not has_password or inside) else None,
        "turnedOff": list(turned_off) if state == "open" and (not has_password or inside) else [],
    }
