"""Parsing of callable request data into typed requests.

Every callable accepts exactly the keys of its request in ``avmeets.protocol`` (the required ones
must be there), with the documented types, choices and limits; anything else is an
``InvalidArgument`` that names the field, raised before anything is read or written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from . import connection_path, display_names, meeting_ids, protocol
from .errors import InvalidArgument
from .protocol import (
    ARCHIVE_KINDS,
    CANDIDATE_TYPES,
    CHAT_AT_MAX,
    CONNECTION_STATUSES,
    ENGAGEMENT_FIELDS,
    HOST_ACTIONS,
    HOST_PERMISSIONS,
    OBJECT_KINDS,
    ORG_ADMIN_ACTIONS,
    PERMISSION_ACTIONS,
    PERSON_ACTIONS,
    RELAY_PROTOCOLS,
    ROLES,
    SIGN_IN_PROVIDERS,
    STAT_RANGES,
    STORAGE_KINDS,
    TRANSPORT_PROTOCOLS,
    ArchiveKind,
    ArchiveMessage,
    ArchiveRequest,
    ConnectionPath,
    ConnectionStats,
    ConnectionStatus,
    CreateMeetingRequest,
    DeleteMeRequest,
    Engagement,
    HeartbeatRequest,
    HostActionName,
    HostActionRequest,
    HostPermission,
    JoinMeetingRequest,
    KnockRequest,
    LeaveMeetingRequest,
    Limits,
    MeetingInfoRequest,
    MyDataRequest,
    ObjectKind,
    OrgAdminAction,
    OrgAdminRequest,
    OrgPolicyChanges,
    OrgStorageChanges,
    RenameRequest,
    ReportConnectionRequest,
    Role,
    UploadObjectRequest,
)

MAX_TITLE: Final = Limits.TITLE_MAX_CHARS
MAX_ROOMS: Final = protocol.MAX_ROOMS
MAX_ROOM_NAME: Final = protocol.MAX_ROOM_NAME
MAX_ROOM_MINUTES: Final = protocol.MAX_ROOM_MINUTES
MAX_PASSWORD: Final = Limits.PASSWORD_MAX_CHARS
MAX_ID: Final = Limits.ID_MAX_CHARS
MAX_CHAT_ITEMS: Final = Limits.CHAT_MESSAGES_MAX
MAX_CHAT_TEXT: Final = Limits.CHAT_TEXT_MAX_CHARS
STATUSES: Final = CONNECTION_STATUSES


def _keys(shape: Any) -> tuple[set[str], set[str]]:
    """The keys a request ``TypedDict`` allows, and those it requires."""
    return set(shape.__annotations__), set(shape.__required_keys__)


@dataclass(frozen=True)
class CreateMeeting:
    title: str | None
    password: str | None
    lobby: bool | None = None


@dataclass(frozen=True)
class JoinMeeting:
    meeting_id: str
    password: str | None
    #: Checked; ``services.joins.chosen_name`` checks it against the caller's contact details.
    display_name: str | None = None
    #: Offers to write to those present, in the join's commit (docs/protocol.md section 4).
    offers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Knock:
    meeting_id: str
    password: str | None
    display_name: str | None


@dataclass(frozen=True)
class HostAction:
    meeting_id: str
    action: HostActionName
    uid: str | None
    what: HostPermission | None = None
    #: ``rooms-open``: the rooms' names and the first placement (uid to room number).
    rooms: tuple[str, ...] = ()
    assign: Mapping[str, int] | None = None
    #: ``rooms-open``: participants choose their own room; the rooms' timer (None: none).
    choose: bool = False
    minutes: int | None = None
    #: ``move``: the room number (0: the main room).
    room: int | None = None


@dataclass(frozen=True)
class Rename:
    meeting_id: str
    display_name: str


@dataclass(frozen=True)
class LeaveMeeting:
    meeting_id: str


@dataclass(frozen=True)
class MeetingLookup:
    meeting_id: str


def _object(data: Any, allowed: set[str], required: set[str] | None = None) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidArgument("The request data must be an object.")
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidArgument(f"Unknown field: {extra[0]!r}.", field=extra[0])
    missing = sorted((required or set()) - set(data))
    if missing:
        raise InvalidArgument(f"Missing field: {missing[0]!r}.", field=missing[0])
    return data


def _request(data: Any, shape: Any) -> dict[str, Any]:
    return _object(data, *_keys(shape))


def _text(data: Mapping[str, Any], key: str, max_len: int, *, strip: bool) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgument(f"{key!r} must be a string.", field=key)
    if strip:
        value = value.strip()
    if not value:
        raise InvalidArgument(f"{key!r} must not be empty.", field=key)
    if len(value) > max_len:
        raise InvalidArgument(f"{key!r} must be at most {max_len} characters.", field=key)
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise InvalidArgument(f"{key!r} must not contain control characters.", field=key)
    return value


def _meeting_id(data: Mapping[str, Any]) -> str:
    value = data.get("meetingId")
    if not isinstance(value, str):
        raise InvalidArgument("'meetingId' must be a string.", field="meetingId")
    normalised = meeting_ids.normalise(value[: Limits.MEETING_ID_INPUT_MAX_CHARS])
    if not meeting_ids.is_valid(normalised):
        raise InvalidArgument(
            "'meetingId' must look like abc-defg-hij (ten letters).", field="meetingId"
        )
    return normalised


def _flag(data: Mapping[str, Any], key: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidArgument(f"{key!r} must be true or false.", field=key)
    return value


def _display_name(data: Mapping[str, Any]) -> str | None:
    """A typed name, normalised and checked (``display_names.check_chosen``); the service
    checks it once more against the caller's own e-mail address and phone number."""
    value = data.get("displayName")
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgument("'displayName' must be a string.", field="displayName")
    return display_names.check_chosen(value, email=None, phone=None)


def parse_create(data: Any) -> CreateMeeting:
    obj = _request(data, CreateMeetingRequest)
    return CreateMeeting(
        title=_text(obj, "title", MAX_TITLE, strip=True),
        password=_text(obj, "password", MAX_PASSWORD, strip=False),
        lobby=_flag(obj, "lobby"),
    )


def parse_join(data: Any) -> JoinMeeting:
    obj = _request(data, JoinMeetingRequest)
    return JoinMeeting(
        meeting_id=_meeting_id(obj),
        password=_text(obj, "password", MAX_PASSWORD, strip=False),
        display_name=_display_name(obj),
        offers=_offers(obj),
    )


def _offers(data: Mapping[str, Any]) -> tuple[str, ...]:
    """``offers``: SDP strings held to what the rules hold an offer signal's ``sdp`` to."""
    value = data.get("offers")
    if value is None:
        return ()
    if not isinstance(value, list) or len(value) > Limits.OFFERS_PER_JOIN:
        raise InvalidArgument(
            f"'offers' must be a list of at most {Limits.OFFERS_PER_JOIN} strings.",
            field="offers",
        )
    for sdp in value:
        if not isinstance(sdp, str) or not 0 < len(sdp) <= Limits.SDP_MAX_CHARS:
            raise InvalidArgument(
                f"Each of 'offers' must be a session description of 1 to "
                f"{Limits.SDP_MAX_CHARS} characters.",
                field="offers",
            )
    return tuple(value)


def parse_knock(data: Any) -> Knock:
    obj = _request(data, KnockRequest)
    return Knock(
        meeting_id=_meeting_id(obj),
        password=_text(obj, "password", MAX_PASSWORD, strip=False),
        display_name=_display_name(obj),
    )


def parse_host_action(data: Any) -> HostAction:
    obj = _request(data, HostActionRequest)
    action = _choice(obj, "action", HOST_ACTIONS)
    if action in PERSON_ACTIONS:
        uid: str | None = _identifier(obj, "uid")
    elif "uid" in obj:
        raise InvalidArgument(f"'uid' is not taken by the action {action!r}.", field="uid")
    else:
        uid = None
    if action in PERMISSION_ACTIONS:
        what: HostPermission | None = _choice(obj, "what", HOST_PERMISSIONS)
    elif "what" in obj:
        raise InvalidArgument(f"'what' is not taken by the action {action!r}.", field="what")
    else:
        what = None
    _only_with(obj, "rooms", action, "rooms-open")
    rooms = _room_names(obj.get("rooms")) if action == "rooms-open" else ()
    _only_with(obj, "assign", action, "rooms-open")
    assign = _assignment(obj.get("assign"), len(rooms)) if action == "rooms-open" else None
    _only_with(obj, "choose", action, "rooms-open")
    choose = _flag(obj, "choose") is True
    _only_with(obj, "minutes", action, "rooms-open", "rooms-close")
    if obj.get("minutes") is not None:
        _number(obj, "minutes", 1, MAX_ROOM_MINUTES, integer=True, nullable=False)
    _only_with(obj, "room", action, "move")
    room = None
    if action == "move":
        _number({"room": obj.get("room")}, "room", 0, MAX_ROOMS, integer=True, nullable=False)
        room = int(obj["room"])
    return HostAction(
        meeting_id=_meeting_id(obj),
        action=action,
        uid=uid,
        what=what,
        rooms=rooms,
        assign=assign,
        choose=choose,
        minutes=obj.get("minutes"),
        room=room,
    )


def _only_with(obj: Mapping[str, Any], key: str, action: str, *takers: str) -> None:
    """``key`` belongs to the actions ``takers``: refused (even null) with any other."""
    if key in obj and action not in takers:
        raise InvalidArgument(f"{key!r} is not taken by the action {action!r}.", field=key)


def _room_names(value: Any) -> tuple[str, ...]:
    """``rooms``: 1 to MAX_ROOMS names, each one line of 1 to MAX_ROOM_NAME characters
    (trimmed), no two the same (letter case aside)."""
    wrong = InvalidArgument(
        f"'rooms' must be a list of 1 to {MAX_ROOMS} different names of 1 to {MAX_ROOM_NAME}"
        " printable characters.",
        field="rooms",
    )
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_ROOMS:
        raise wrong
    names = []
    for item in value:
        name = item.strip() if isinstance(item, str) else ""
        if not name or len(name) > MAX_ROOM_NAME or not name.isprintable():
            raise wrong
        names.append(name)
    if len({name.casefold() for name in names}) != len(names):
        raise wrong
    return tuple(names)


def _assignment(value: Any, rooms: int) -> dict[str, int]:
    """``assign``: uid to a room number from 1 to ``rooms`` (absent: nobody placed)."""
    if value is None:
        return {}
    wrong = InvalidArgument(
        f"'assign' must map participants' uids to room numbers from 1 to {rooms}.",
        field="assign",
    )
    if not isinstance(value, dict) or len(value) > Limits.ASSIGN_MAX:
        raise wrong
    for uid, room in value.items():
        valid_room = isinstance(room, int) and not isinstance(room, bool) and 1 <= room <= rooms
        if not (isinstance(uid, str) and uid and len(uid) <= MAX_ID and _usable_id(uid)):
            raise wrong
        if not valid_room:
            raise wrong
    return dict(value)


def parse_rename(data: Any) -> Rename:
    obj = _request(data, RenameRequest)
    meeting_id = _meeting_id(obj)
    name = _display_name(obj)
    if name is None:
        raise InvalidArgument("'displayName' is required.", field="displayName")
    return Rename(meeting_id=meeting_id, display_name=name)


def parse_leave(data: Any) -> LeaveMeeting:
    obj = _request(data, LeaveMeetingRequest)
    return LeaveMeeting(meeting_id=_meeting_id(obj))


def parse_meeting_info(data: Any) -> MeetingLookup:
    obj = _request(data, MeetingInfoRequest)
    return MeetingLookup(meeting_id=_meeting_id(obj))


# --- connection reports, heartbeats, archives ------------------------------------------------


@dataclass(frozen=True)
class ConnectionReport:
    meeting_id: str
    peer: str
    peer_session: str
    role: Role
    status: ConnectionStatus
    stats: ConnectionStats | None
    path: ConnectionPath | None = None


@dataclass(frozen=True)
class Heartbeat:
    meeting_id: str


@dataclass(frozen=True)
class Archive:
    meeting_id: str
    kind: ArchiveKind
    messages: list[ArchiveMessage]
    engagement: Engagement | None = None


@dataclass(frozen=True)
class UploadObject:
    meeting_id: str
    kind: ObjectKind
    name: str
    content_type: str
    size: int
    request_id: str | None = None


@dataclass(frozen=True)
class OrgAdmin:
    org_id: str
    action: OrgAdminAction
    changes: OrgPolicyChanges | None


def _choice(data: Mapping[str, Any], key: str, choices: tuple[str, ...]) -> Any:
    value = data.get(key)
    if value not in choices:
        raise InvalidArgument(f"{key!r} must be one of {', '.join(choices)}.", field=key)
    return str(value)


def _number(
    data: Mapping[str, Any], key: str, lo: float, hi: float, *, integer: bool, nullable: bool
) -> None:
    value = data[key]
    if value is None and nullable:
        return
    numeric = isinstance(value, int) or (not integer and isinstance(value, float))
    if isinstance(value, bool) or not numeric or not lo <= value <= hi:
        kind = "an integer" if integer else "a number"
        raise InvalidArgument(f"{key!r} must be {kind} from {lo:g} to {hi:g}.", field=key)


def _stats(value: Any) -> ConnectionStats | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidArgument("'stats' must be an object.", field="stats")
    obj = _request(value, ConnectionStats)
    for key in ("localCandidateType", "remoteCandidateType"):
        if key in obj:
            _choice(obj, key, CANDIDATE_TYPES)
    if "protocol" in obj:
        _choice(obj, "protocol", TRANSPORT_PROTOCOLS)
    if "relayProtocol" in obj and obj["relayProtocol"] is not None:
        _choice(obj, "relayProtocol", RELAY_PROTOCOLS)
    if "relayed" in obj and not isinstance(obj["relayed"], bool):
        raise InvalidArgument("'relayed' must be true or false.", field="relayed")
    for key, (lo, hi, integer, nullable) in STAT_RANGES.items():
        if key in obj:
            _number(obj, key, lo, hi, integer=integer, nullable=nullable)
    stats: ConnectionStats = obj  # type: ignore[assignment]  # checked key by key above
    return stats


def _usable_id(value: str) -> bool:
    """A Firestore document id: no "/", not "." or "..", not __reserved__, no control
    characters or lone surrogates (which cannot be encoded as UTF-8)."""
    return (
        "/" not in value
        and value not in (".", "..")
        and not (len(value) >= 4 and value.startswith("__") and value.endswith("__"))
        and not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)
    )


def _identifier(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > MAX_ID or not _usable_id(value):
        raise InvalidArgument(f"{key!r} must be an id of 1 to {MAX_ID} characters.", field=key)
    return value


def parse_report(data: Any) -> ConnectionReport:
    obj = _request(data, ReportConnectionRequest)
    return ConnectionReport(
        meeting_id=_meeting_id(obj),
        peer=_identifier(obj, "peer"),
        peer_session=_identifier(obj, "peerSession"),
        role=_choice(obj, "role", ROLES),
        status=_choice(obj, "status", STATUSES),
        stats=_stats(obj.get("stats")),
        path=connection_path.parse(obj.get("path")),
    )


def parse_heartbeat(data: Any) -> Heartbeat:
    obj = _request(data, HeartbeatRequest)
    return Heartbeat(meeting_id=_meeting_id(obj))


def _chat_messages(value: Any) -> list[ArchiveMessage]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_CHAT_ITEMS:
        raise InvalidArgument(
            f"'messages' must be a list of 1 to {MAX_CHAT_ITEMS} messages.", field="messages"
        )
    out: list[ArchiveMessage] = []
    for item in value:
        if not isinstance(item, dict):  # null included: a message is not an empty object
            raise InvalidArgument("Each of 'messages' must be an object.", field="messages")
        msg = _request(item, ArchiveMessage)
        text = msg.get("text")
        if (
            not isinstance(text, str)
            or not text
            or len(text) > MAX_CHAT_TEXT
            or any(unicodedata.category(ch) == "Cs" for ch in text)
        ):
            raise InvalidArgument(
                f"'text' must be a string of 1 to {MAX_CHAT_TEXT} characters.", field="text"
            )
        _number(msg, "at", 0, CHAT_AT_MAX, integer=True, nullable=False)
        message: ArchiveMessage = {"text": text, "at": msg["at"]}
        if "to" in msg:
            message["to"] = _identifier(msg, "to")
        out.append(message)
    size = sum(len(m["text"].encode()) for m in out)
    if size > Limits.ARCHIVE_MAX_BYTES:
        raise InvalidArgument(
            f"'messages' must hold at most {Limits.ARCHIVE_MAX_BYTES:,} bytes of text "
            f"(UTF-8) in all, not {size:,}; archive them in parts.",
            field="messages",
        )
    return out


def _engagement(value: Any) -> Engagement:
    if not isinstance(value, dict):
        raise InvalidArgument("'engagement' must be an object.", field="engagement")
    obj = _request(value, Engagement)
    for key in ENGAGEMENT_FIELDS:
        _number(obj, key, 0, Limits.ENGAGEMENT_MAX_MS, integer=True, nullable=False)
    engagement: Engagement = {key: obj[key] for key in ENGAGEMENT_FIELDS}  # type: ignore[assignment]
    return engagement


def parse_archive(data: Any) -> Archive:
    obj = _request(data, ArchiveRequest)
    kind = _choice(obj, "kind", ARCHIVE_KINDS)
    if kind == "chat":
        messages = _chat_messages(obj.get("messages"))
    elif "messages" in obj:
        raise InvalidArgument("'messages' is only for kind 'chat'.", field="messages")
    else:
        messages = []
    engagement = None
    if "engagement" in obj:
        if kind != "attendance":
            raise InvalidArgument("'engagement' is only for kind 'attendance'.", field="engagement")
        engagement = _engagement(obj["engagement"])
    return Archive(meeting_id=_meeting_id(obj), kind=kind, messages=messages, engagement=engagement)


def _printable(data: Mapping[str, Any], key: str, max_len: int) -> str:
    """A non-empty single-line string without control characters, at most ``max_len``."""
    value = data.get(key)
    if (
        not isinstance(value, str)
        or not value.strip()
        or len(value) > max_len
        or any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value)
    ):
        raise InvalidArgument(
            f"{key!r} must be a string of 1 to {max_len} printable characters.", field=key
        )
    return value.strip()


def parse_upload_object(data: Any) -> UploadObject:
    obj = _request(data, UploadObjectRequest)
    kind = _choice(obj, "kind", OBJECT_KINDS)
    name = _printable(obj, "name", Limits.OBJECT_NAME_MAX_CHARS)
    content_type = _printable(obj, "contentType", Limits.CONTENT_TYPE_MAX_CHARS)
    if "/" not in content_type or " " in content_type:
        raise InvalidArgument(
            "'contentType' must be a media type such as image/png.", field="contentType"
        )
    _number(obj, "size", 1, Limits.OBJECT_MAX_BYTES, integer=True, nullable=False)
    return UploadObject(
        meeting_id=_meeting_id(obj),
        kind=kind,
        name=name,
        content_type=content_type.lower(),
        size=obj["size"],
        request_id=_identifier(obj, "requestId") if "requestId" in obj else None,
    )


def _org_id(obj: Mapping[str, Any]) -> str:
    value = obj.get("orgId")
    if not isinstance(value, str) or not value or len(value) > MAX_ID or not _usable_id(value):
        raise InvalidArgument(f"'orgId' must be an id of 1 to {MAX_ID} characters.", field="orgId")
    return value


def _domains(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > Limits.ORG_DOMAINS_MAX:
        raise InvalidArgument(
            f"'domains' must be a list of at most {Limits.ORG_DOMAINS_MAX} domains.",
            field="domains",
        )
    out: list[str] = []
    for item in value:
        domain = item.strip().lower() if isinstance(item, str) else ""
        labels = domain.split(".")
        if (
            len(domain) > 253
            or len(labels) < 2
            or not all(
                label and len(label) <= 63 and label.replace("-", "").isalnum() and label.isascii()
                for label in labels
            )
        ):
            raise InvalidArgument(
                "Each of 'domains' must be a domain name such as example.com.", field="domains"
            )
        if domain not in out:
            out.append(domain)
    return out


def _policy_changes(value: Any) -> OrgPolicyChanges:
    if not isinstance(value, dict) or not value:
        raise InvalidArgument(
            "'changes' must be an object with at least one field.", field="changes"
        )
    obj = _request(value, OrgPolicyChanges)
    out: OrgPolicyChanges = {}
    if "name" in obj:
        out["name"] = _printable(obj, "name", Limits.ORG_NAME_MAX_CHARS)
    if "domains" in obj:
        out["domains"] = _domains(obj["domains"])
    if "allowedProviders" in obj:
        providers = obj["allowedProviders"]
        if not isinstance(providers, list) or any(p not in SIGN_IN_PROVIDERS for p in providers):
            raise InvalidArgument(
                f"'allowedProviders' must be a list of {', '.join(SIGN_IN_PROVIDERS)}.",
                field="allowedProviders",
            )
        out["allowedProviders"] = sorted(set(providers))
    if "retentionDays" in obj:
        _number(obj, "retentionDays", 1, 365, integer=True, nullable=False)
        out["retentionDays"] = obj["retentionDays"]  # the service maximum: services.orgs
    if "storage" in obj:
        storage = obj["storage"]
        if not isinstance(storage, dict) or not storage:
            raise InvalidArgument(
                "'storage' must be an object with at least one opt-in.", field="storage"
            )
        flags = _request(storage, OrgStorageChanges)
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                raise InvalidArgument(f"{key!r} must be true or false.", field=key)
        changes: OrgStorageChanges = {k: flags[k] for k in STORAGE_KINDS if k in flags}  # type: ignore[assignment]
        out["storage"] = changes
    return out


def parse_org_admin(data: Any) -> OrgAdmin:
    obj = _request(data, OrgAdminRequest)
    action = _choice(obj, "action", ORG_ADMIN_ACTIONS)
    changes = None
    if action == "set":
        if "changes" not in obj:
            raise InvalidArgument("Missing field: 'changes'.", field="changes")
        changes = _policy_changes(obj["changes"])
    elif "changes" in obj:
        raise InvalidArgument("'changes' is only for action 'set'.", field="changes")
    return OrgAdmin(org_id=_org_id(obj), action=action, changes=changes)


# --- a person's own data ------------------------------------------------------------------------


def parse_my_data(data: Any) -> None:
    """``my_data`` takes no fields (``{}`` or no data at all)."""
    _request(data, MyDataRequest)


def parse_delete_me(data: Any) -> None:
    """``delete_me`` must say ``confirm: true``: it cannot be undone."""
    obj = _request(data, DeleteMeRequest)
    if obj["confirm"] is not True:
        raise InvalidArgument("'confirm' must be true.", field="confirm")
