"""Which request a callable must refuse, and naming which field: an oracle written from the docs.

Every rule here is read from docs/protocol.md (section 2: "Meeting ids in requests", "How request
data is checked" and each callable's request table and text), not from the server: this module
imports nothing of `functions/avmeets` (tests/unit/test_shapes.py holds it to that), so a test that
grades the server by it does not grade the parser against itself. Where the docs and the parser
disagree, tests/unit/test_shapes.py shows it on generated payloads.

`validate(name, data)` answers what the server must do with `data` (the `data` of the callable
body): None when the request is well formed, else the `details.field` an `INVALID_ARGUMENT` must
carry ("" when it names none: `data` is not an object). When several things are wrong, the
first in the documented order is named: unknown keys, then missing required keys (each the first
in code-point order of the key names), then the fields in the order of the callable's table.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

# ------------------------------------------------------------------------- the documented words

#: report_connection: `role` and `status`; `stats`' and `path`'s candidate types and protocols.
ROLES: Final = ("caller", "callee")
STATUSES: Final = ("new", "connecting", "connected", "disconnected", "failed", "closed")
CANDIDATE_TYPES: Final = ("host", "srflx", "prflx", "relay")
TRANSPORTS: Final = ("udp", "tcp")
RELAY_TRANSPORTS: Final = ("udp", "tcp", "tls")
#: host_action: the actions about one person take `uid`, the others refuse it.
ACTIONS_ON_A_PERSON: Final = (
    "admit",
    "deny",
    "remove",
    "make-cohost",
    "revoke-cohost",
    "permit",
    "unpermit",
    "move",
    "help-later",
)
ACTIONS_ON_THE_MEETING: Final = ("admit-all", "lock", "unlock", "lobby-on", "lobby-off", "end")
#: ...and the actions about a permission take `what`, the others refuse it.
ACTIONS_ON_A_PERMISSION: Final = ("restrict", "allow", "permit", "unpermit")
PERMISSIONS: Final = ("present", "chat", "mic", "camera", "files", "reactions", "whiteboard")
#: ...and the breakout rooms: `rooms-open` takes `rooms` (and `assign`), `move` a `room`.
ACTIONS_ON_ROOMS: Final = ("rooms-open", "move", "rooms-close", "help-later")
#: ...and what anyone present asks for themselves (no `uid`): a host's help in a breakout room.
ACTIONS_FOR_ONESELF: Final = ("ask-help", "cancel-help")
HOST_ONLY_ACTIONS: Final = (
    ACTIONS_ON_A_PERSON[:5] + ACTIONS_ON_THE_MEETING + ACTIONS_ON_A_PERMISSION + ACTIONS_ON_ROOMS
)  # each once
ACTIONS: Final = HOST_ONLY_ACTIONS + ACTIONS_FOR_ONESELF
ROOMS: Final = 20
ROOM_NAME_CHARS: Final = 40
ASSIGN_ENTRIES: Final = 500
#: `rooms-open`'s timer: 1 to 240 minutes.
ROOM_MINUTES: Final = 240
ARCHIVE_KINDS: Final = ("chat", "attendance")
#: upload_object: the kinds of object; org_admin: the actions, the sign-in providers and the
#: storage opt-ins `changes` may name.
OBJECT_KINDS: Final = ("file", "recording", "whiteboard")
ORG_ACTIONS: Final = ("get", "set", "export")
PROVIDERS: Final = ("google.com", "phone", "password")
OPT_INS: Final = ("chat", "attendance", "engagement", "whiteboard", "files", "recordings")
ENGAGEMENT_KEYS: Final = ("visibleMs", "focusedMs", "cameraOnMs", "micOnMs")

TITLE_CHARS: Final = 100
PASSWORD_CHARS: Final = 128
NAME_CHARS: Final = 64
ID_CHARS: Final = 128
ID_INPUT_CHARS: Final = 64  # a typed meeting id: only its first 64 characters count
MEETING_ID_LETTERS: Final = (3, 4, 3)
CHAT_MESSAGES: Final = 1000
CHAT_TEXT_CHARS: Final = 4000
CHAT_AT_MAX: Final = 10**14
ARCHIVE_BYTES: Final = 800_000
ENGAGEMENT_MS: Final = 604_800_000
OBJECT_NAME_CHARS: Final = 200
CONTENT_TYPE_CHARS: Final = 100
OBJECT_BYTES: Final = 2 * 1024**3
ORG_NAME_CHARS: Final = 100
DOMAINS: Final = 50
DOMAIN_CHARS: Final = 253
LABEL_CHARS: Final = 63
RETENTION_DAYS: Final = 365
ADDRESS_CHARS: Final = 64
#: stats that are numbers, in the order they are checked: (least, most, whole numbers only,
#: null allowed).
STAT_NUMBERS: Final[dict[str, tuple[int, int, bool, bool]]] = {
    "rttMs": (0, 600_000, False, True),
    "bytesSent": (0, 10**15, True, False),
    "bytesReceived": (0, 10**15, True, False),
    "packetsLost": (-(10**12), 10**12, True, True),
    "durationMs": (0, 10**10, True, True),
}
STAT_KEYS: Final = (
    "localCandidateType",
    "remoteCandidateType",
    "protocol",
    "relayProtocol",
    "relayed",
    *STAT_NUMBERS,
)

#: What a value is when its key is not in the request at all.
ABSENT: Final[Any] = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()

# ----------------------------------------------------------------------------- small predicates


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return _is_integer(value) or isinstance(value, float)


def has_control(text: str) -> bool:
    """A control character (Unicode Cc) or a lone surrogate (Cs: not encodable as UTF-8)."""
    return any(unicodedata.category(c) in ("Cc", "Cs") for c in text)


def has_control_or_format(text: str) -> bool:
    """As `has_control`, and format characters too (Cf: bidi overrides, zero-width joiners)."""
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text)


def normalise_meeting_id(raw: str) -> str | None:
    """ "the first 64 characters are lower-cased, and when they hold exactly ten letters a-z …
    those letters become the id abc-defg-hij"; None for anything else."""
    letters = [c for c in raw[:ID_INPUT_CHARS].lower() if "a" <= c <= "z"]
    if len(letters) != sum(MEETING_ID_LETTERS):
        return None
    first, second, _ = MEETING_ID_LETTERS
    return "-".join(
        ["".join(letters[:first]), "".join(letters[first : first + second]),
         "".join(letters[first + second :])]
    )  # fmt: skip


def usable_id(text: str) -> bool:
    """An id the docs allow: 1-128 characters, a usable Firestore document id."""
    reserved = len(text) >= 4 and text[:2] == "__" and text[-2:] == "__"
    return (
        0 < len(text) <= ID_CHARS
        and "/" not in text
        and text not in (".", "..")
        and not reserved
        and not has_control(text)
    )


#: "an e-mail address": no white space or @ before the @, then a domain of at least two
#: dot-separated parts of letters, digits, `_` or `-`; white space around the @ and the dots.
_EMAIL_LIKE: Final = re.compile(r"[^\s@]\s*@\s*[\w-]+\s*\.\s*[\w-]")
#: What does not break a run of phone digits: white space, dots, dashes, slashes, round brackets.
_PHONE_SEPARATORS: Final = frozenset(".-/()")
PHONE_DIGITS: Final = 7


def looks_like_contact(name: str) -> bool:
    """ "is, or contains, an e-mail address, a phone number (seven or more digits in a row …)"."""
    if _EMAIL_LIKE.search(name):
        return True
    run = 0
    for c in name:
        if c.isspace() or c in _PHONE_SEPARATORS:
            continue
        run = run + 1 if c.isdecimal() else 0
        if run >= PHONE_DIGITS:
            return True
    return False


_MDNS_NAME: Final = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.local", re.IGNORECASE
)


def address_problem(address: str, candidate_type: str) -> bool:
    """A `PathEnd.address` the docs refuse: not "", an mDNS name of a host candidate, or an IP
    literal (white space around it ignored, no zone) that a connection can use."""
    if address == "":
        return False
    if _MDNS_NAME.fullmatch(address):
        return candidate_type != "host"
    if "%" in address:
        return True
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_unspecified or ip.is_multicast or ip == ipaddress.IPv4Address("255.255.255.255")


# ------------------------------------------------------------------------------- field rules

#: A field's rule: the value (ABSENT when the key is not there) and the whole request; the field
#: to name when it is wrong, else None.
Rule = Callable[[Any, Mapping[str, Any]], str | None]


def text(key: str, most: int, *, trimmed: bool) -> Rule:
    """An optional string: null is the same as leaving it out; 1-`most` characters (after
    trimming where the docs say so); no control characters."""

    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        if value is ABSENT or value is None:
            return None
        if not _is_string(value):
            return key
        value = value.strip() if trimmed else value
        return key if not 0 < len(value) <= most or has_control(value) else None

    return rule


def meeting_id(value: Any, _: Mapping[str, Any]) -> str | None:
    return None if _is_string(value) and normalise_meeting_id(value) is not None else "meetingId"


def display_name(value: Any, _: Mapping[str, Any]) -> str | None:
    if value is ABSENT or value is None:
        return None
    if not _is_string(value):
        return "displayName"
    name = " ".join(value.split())
    bad = not 0 < len(name) <= NAME_CHARS or has_control_or_format(name)
    return "displayName" if bad or looks_like_contact(name) else None


def flag(key: str) -> Rule:
    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        return None if value is ABSENT or value is None or isinstance(value, bool) else key

    return rule


def one_of(key: str, choices: tuple[str, ...]) -> Rule:
    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        return None if _is_string(value) and value in choices else key

    return rule


def identifier(key: str) -> Rule:
    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        return None if _is_string(value) and usable_id(value) else key

    return rule


def optional_identifier(key: str) -> Rule:
    """An id when present (absent is fine; null is not)."""
    present = identifier(key)

    def rule(value: Any, data: Mapping[str, Any]) -> str | None:
        return None if value is ABSENT else present(value, data)

    return rule


def _number(value: Any, least: int, most: int, *, whole: bool, nullable: bool) -> bool:
    if value is None:
        return nullable
    kind_ok = _is_integer(value) if whole else _is_number(value)
    return kind_ok and least <= value <= most


def stats(value: Any, _: Mapping[str, Any]) -> str | None:
    if value is ABSENT or value is None:
        return None
    if not isinstance(value, dict):
        return "stats"
    unknown = [k for k in value if k not in STAT_KEYS]
    if unknown:
        return str(min(unknown))
    for key in STAT_KEYS:
        if key not in value:
            continue
        item = value[key]
        if key in STAT_NUMBERS:
            least, most, whole, nullable = STAT_NUMBERS[key]
            ok = _number(item, least, most, whole=whole, nullable=nullable)
        elif key == "relayed":
            ok = isinstance(item, bool)
        elif key == "relayProtocol":
            ok = item is None or (_is_string(item) and item in RELAY_TRANSPORTS)
        elif key == "protocol":
            ok = _is_string(item) and item in TRANSPORTS
        else:
            ok = _is_string(item) and item in CANDIDATE_TYPES
        if not ok:
            return str(key)
    return None


def path(value: Any, _: Mapping[str, Any]) -> str | None:
    if value is ABSENT or value is None:
        return None
    if not isinstance(value, dict) or sorted(value) != ["local", "remote"]:
        return "path"
    for end in ("local", "remote"):
        where, item = f"path.{end}", value[end]
        if not isinstance(item, dict) or sorted(item) != ["address", "candidateType"]:
            return where
        kind, address = item["candidateType"], item["address"]
        if not (_is_string(kind) and kind in CANDIDATE_TYPES):
            return f"{where}.candidateType"
        if not _is_string(address) or len(address) > ADDRESS_CHARS:
            return f"{where}.address"
        if address_problem(address, kind):
            return f"{where}.address"
    return None


def host_uid(value: Any, request: Mapping[str, Any]) -> str | None:
    """`uid`: required by the actions about one person, refused (even null) by the others."""
    if request.get("action") in ACTIONS_ON_A_PERSON:
        return identifier("uid")(value, request)
    return None if value is ABSENT else "uid"


def host_what(value: Any, request: Mapping[str, Any]) -> str | None:
    """`what`: required by `restrict` and `allow`, refused (even null) by the others."""
    if request.get("action") in ACTIONS_ON_A_PERMISSION:
        return one_of("what", PERMISSIONS)(value, request)
    return None if value is ABSENT else "what"


def _room_names(value: Any) -> list[str] | None:
    """`rooms` as the server reads them (trimmed), or None when they break the table's rule."""
    if not isinstance(value, list) or not 1 <= len(value) <= ROOMS:
        return None
    names = [item.strip() if _is_string(item) else "" for item in value]
    if not all(0 < len(n) <= ROOM_NAME_CHARS and n.isprintable() for n in names):
        return None
    return names if len({n.casefold() for n in names}) == len(names) else None


def host_rooms(value: Any, request: Mapping[str, Any]) -> str | None:
    """`rooms`: required by `rooms-open`, refused (even null) by the others."""
    if request.get("action") != "rooms-open":
        return None if value is ABSENT else "rooms"
    return None if _room_names(value) is not None else "rooms"


def host_assign(value: Any, request: Mapping[str, Any]) -> str | None:
    """`assign`: optional with `rooms-open` (null is none), refused (even null) otherwise."""
    if request.get("action") != "rooms-open":
        return None if value is ABSENT else "assign"
    if value is ABSENT or value is None:
        return None
    rooms = len(_room_names(request.get("rooms")) or [])
    if not isinstance(value, dict) or len(value) > ASSIGN_ENTRIES:
        return "assign"
    for uid, room in value.items():
        if not (_is_string(uid) and usable_id(uid) and _is_integer(room) and 1 <= room <= rooms):
            return "assign"
    return None


def host_choose(value: Any, request: Mapping[str, Any]) -> str | None:
    """`choose`: optional with `rooms-open` (true, false or null), refused (even null) otherwise."""
    if request.get("action") != "rooms-open":
        return None if value is ABSENT else "choose"
    return None if value is ABSENT or value is None or isinstance(value, bool) else "choose"


def host_minutes(value: Any, request: Mapping[str, Any]) -> str | None:
    """`minutes`: optional with `rooms-open` and `rooms-close` (an int from 1 to 240, or
    null), refused (even null) otherwise."""
    if request.get("action") not in ("rooms-open", "rooms-close"):
        return None if value is ABSENT else "minutes"
    if value is ABSENT or value is None:
        return None
    return None if _is_integer(value) and 1 <= value <= ROOM_MINUTES else "minutes"


def host_room(value: Any, request: Mapping[str, Any]) -> str | None:
    """`room`: required by `move` (an int from 0 to 20), refused (even null) by the others."""
    if request.get("action") != "move":
        return None if value is ABSENT else "room"
    return None if _is_integer(value) and 0 <= value <= ROOMS else "room"


def _keys_problem(
    item: Mapping[str, Any], keys: tuple[str, ...], required: tuple[str, ...]
) -> str | None:
    """A nested object's unknown keys, then its missing ones, each the first in code-point
    order."""
    unknown = [k for k in item if k not in keys]
    missing = [k for k in required if k not in item]
    return min(unknown or missing) if unknown or missing else None


def _message(item: Any) -> str | None:
    """`{"text", "at", "to"?}`: no `from` (the server adds the author); `to` an id, not null."""
    if not isinstance(item, dict):
        return "messages"
    problem = _keys_problem(item, ("text", "at", "to"), ("text", "at"))
    if problem is not None:
        return problem
    body = item["text"]
    if not _is_string(body) or not 0 < len(body) <= CHAT_TEXT_CHARS:
        return "text"
    if any(unicodedata.category(c) == "Cs" for c in body):
        return "text"
    at = item["at"]
    if not (_is_integer(at) and 0 <= at <= CHAT_AT_MAX):
        return "at"
    if "to" in item and not (_is_string(item["to"]) and usable_id(item["to"])):
        return "to"
    return None


def messages(value: Any, request: Mapping[str, Any]) -> str | None:
    """Only with `kind: "chat"`, and then required: 1-1000 messages, 800,000 bytes in all."""
    if request.get("kind") != "chat":
        return None if value is ABSENT else "messages"
    if not isinstance(value, list) or not 0 < len(value) <= CHAT_MESSAGES:
        return "messages"
    for item in value:
        problem = _message(item)
        if problem is not None:
            return problem
    size = sum(len(m["text"].encode()) for m in value)
    return "messages" if size > ARCHIVE_BYTES else None


def engagement(value: Any, request: Mapping[str, Any]) -> str | None:
    """Only with `kind: "attendance"` (null refused too): four ints 0-604,800,000."""
    if value is ABSENT:
        return None
    if request.get("kind") != "attendance" or not isinstance(value, dict):
        return "engagement"
    problem = _keys_problem(value, ENGAGEMENT_KEYS, ENGAGEMENT_KEYS)
    if problem is not None:
        return problem
    for key in ENGAGEMENT_KEYS:
        if not _number(value[key], 0, ENGAGEMENT_MS, whole=True, nullable=False):
            return key
    return None


def printable(key: str, most: int) -> Rule:
    """A required string of 1-`most` characters (white space counted), not only white space,
    no control characters."""

    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        if not _is_string(value) or not value.strip() or len(value) > most:
            return key
        return key if has_control(value) else None

    return rule


def content_type(value: Any, request: Mapping[str, Any]) -> str | None:
    """Printable, 1-100; after trimming a `/` and no space."""
    if printable("contentType", CONTENT_TYPE_CHARS)(value, request) is not None:
        return "contentType"
    trimmed = value.strip()
    return None if "/" in trimmed and " " not in trimmed else "contentType"


def whole(key: str, least: int, most: int) -> Rule:
    def rule(value: Any, _: Mapping[str, Any]) -> str | None:
        return None if _number(value, least, most, whole=True, nullable=False) else key

    return rule


def domain_name(value: Any) -> bool:
    """Trimmed and lower-cased: two or more labels of ASCII letters, digits and `-`, each
    1-63 characters, 253 in all."""
    if not _is_string(value):
        return False
    name = value.strip().lower()
    labels = name.split(".")
    return (
        len(name) <= DOMAIN_CHARS
        and len(labels) >= 2
        and all(
            0 < len(label) <= LABEL_CHARS
            and label.isascii()
            and all(c.isalnum() or c == "-" for c in label)
            and any(c.isalnum() for c in label)
            for label in labels
        )
    )


def _storage(value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return "storage"
    problem = _keys_problem(value, OPT_INS, ())
    if problem is not None:
        return problem
    for key, item in value.items():  # in the order the request lists them
        if not isinstance(item, bool):
            return str(key)
    return None


CHANGE_KEYS: Final = ("name", "domains", "allowedProviders", "retentionDays", "storage")


def changes(value: Any, request: Mapping[str, Any]) -> str | None:
    """Required with `set`, refused otherwise (null too); at least one field, none null."""
    if request.get("action") != "set":
        return None if value is ABSENT else "changes"
    if not isinstance(value, dict) or not value:
        return "changes"
    problem = _keys_problem(value, CHANGE_KEYS, ())
    if problem is not None:
        return problem
    if "name" in value and printable("name", ORG_NAME_CHARS)(value["name"], value):
        return "name"
    if "domains" in value:
        domains = value["domains"]
        if not isinstance(domains, list) or len(domains) > DOMAINS:
            return "domains"
        if not all(domain_name(d) for d in domains):
            return "domains"
    if "allowedProviders" in value:
        providers = value["allowedProviders"]
        if not isinstance(providers, list) or not all(
            _is_string(p) and p in PROVIDERS for p in providers
        ):
            return "allowedProviders"
    if "retentionDays" in value and not _number(
        value["retentionDays"], 1, RETENTION_DAYS, whole=True, nullable=False
    ):
        return "retentionDays"
    if "storage" in value:
        return _storage(value["storage"])
    return None


def confirm(value: Any, _: Mapping[str, Any]) -> str | None:
    return None if value is True else "confirm"


# ---------------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Request:
    """A callable's request: its keys in the order they are checked, the required ones, and
    each key's rule."""

    rules: tuple[tuple[str, Rule], ...]
    required: frozenset[str] = frozenset()

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.rules)


_JOIN_LIKE: Final = Request(
    (
        ("meetingId", meeting_id),
        ("password", text("password", PASSWORD_CHARS, trimmed=False)),
        ("displayName", display_name),
    ),
    frozenset({"meetingId"}),
)
_MEETING_ID_ONLY: Final = Request((("meetingId", meeting_id),), frozenset({"meetingId"}))


def required_display_name(value: Any, request: Mapping[str, Any]) -> str | None:
    """`rename`'s name: as at a join, and `null` refused (it is required)."""
    return "displayName" if value is None else display_name(value, request)


REQUESTS: Final[dict[str, Request]] = {
    "create_meeting": Request(
        (
            ("title", text("title", TITLE_CHARS, trimmed=True)),
            ("password", text("password", PASSWORD_CHARS, trimmed=False)),
            ("lobby", flag("lobby")),
        )
    ),
    "meeting_info": _MEETING_ID_ONLY,
    "join_meeting": _JOIN_LIKE,
    "leave_meeting": _MEETING_ID_ONLY,
    "heartbeat": _MEETING_ID_ONLY,
    "report_connection": Request(
        (
            ("meetingId", meeting_id),
            ("peer", identifier("peer")),
            ("peerSession", identifier("peerSession")),
            ("role", one_of("role", ROLES)),
            ("status", one_of("status", STATUSES)),
            ("stats", stats),
            ("path", path),
        ),
        frozenset({"meetingId", "peer", "peerSession", "role", "status"}),
    ),
    "knock": _JOIN_LIKE,
    "host_action": Request(
        (
            ("action", one_of("action", ACTIONS)),
            ("uid", host_uid),
            ("what", host_what),
            ("rooms", host_rooms),
            ("assign", host_assign),
            ("choose", host_choose),
            ("minutes", host_minutes),
            ("room", host_room),
            ("meetingId", meeting_id),
        ),
        frozenset({"meetingId", "action"}),
    ),
    "rename": Request(
        (("meetingId", meeting_id), ("displayName", required_display_name)),
        frozenset({"meetingId", "displayName"}),
    ),
    "archive": Request(
        (
            ("kind", one_of("kind", ARCHIVE_KINDS)),
            ("messages", messages),
            ("engagement", engagement),
            ("meetingId", meeting_id),
        ),
        frozenset({"meetingId", "kind"}),
    ),
    "upload_object": Request(
        (
            ("kind", one_of("kind", OBJECT_KINDS)),
            ("name", printable("name", OBJECT_NAME_CHARS)),
            ("contentType", content_type),
            ("size", whole("size", 1, OBJECT_BYTES)),
            ("meetingId", meeting_id),
            ("requestId", optional_identifier("requestId")),
        ),
        frozenset({"meetingId", "kind", "name", "contentType", "size"}),
    ),
    "org_admin": Request(
        (
            ("action", one_of("action", ORG_ACTIONS)),
            ("changes", changes),
            ("orgId", identifier("orgId")),
        ),
        frozenset({"orgId", "action"}),
    ),
    "my_data": Request(()),
    "delete_me": Request((("confirm", confirm),), frozenset({"confirm"})),
}


def validate(name: str, data: Any) -> str | None:
    """None when `data` is a well-formed request of the callable `name`; else the field an
    `INVALID_ARGUMENT` names ("" for none: `data` is not an object)."""
    request = REQUESTS[name]
    if data is None:  # no data at all is an empty object
        data = {}
    if not isinstance(data, dict):
        return ""
    unknown = [key for key in data if key not in request.keys]
    if unknown:
        return str(min(unknown))
    missing = [key for key in request.required if key not in data]
    if missing:
        return min(missing)
    for key, rule in request.rules:
        problem = rule(data.get(key, ABSENT), data)
        if problem is not None:
            return problem
    return None
