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
ACTIONS_ON_A_PERSON: Final = ("admit", "deny", "remove", "make-cohost", "revoke-cohost")
ACTIONS_ON_THE_MEETING: Final = ("lock", "unlock", "lobby-on", "lobby-off", "end")
ACTIONS: Final = ACTIONS_ON_A_PERSON + ACTIONS_ON_THE_MEETING
ARCHIVE_KINDS: Final = ("chat", "attendance")

TITLE_CHARS: Final = 100
PASSWORD_CHARS: Final = 128
NAME_CHARS: Final = 64
ID_CHARS: Final = 128
ID_INPUT_CHARS: Final = 64  # a typed meeting id: only its first 64 characters count
MEETING_ID_LETTERS: Final = (3, 4, 3)
CHAT_MESSAGES: Final = 1000
CHAT_FROM_CHARS: Final = 100
CHAT_TEXT_CHARS: Final = 4000
CHAT_AT_MAX: Final = 10**14
ARCHIVE_BYTES: Final = 800_000
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


def _message(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "messages"
    unknown = [k for k in item if k not in ("from", "text", "at")]
    missing = [k for k in ("from", "text", "at") if k not in item]
    if unknown or missing:
        return min(unknown or missing)
    sender = item["from"]
    if sender is None or text("from", CHAT_FROM_CHARS, trimmed=True)(sender, item):
        return "from"
    body = item["text"]
    if not _is_string(body) or not 0 < len(body) <= CHAT_TEXT_CHARS:
        return "text"
    if any(unicodedata.category(c) == "Cs" for c in body):
        return "text"
    at = item["at"]
    return None if _is_integer(at) and 0 <= at <= CHAT_AT_MAX else "at"


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
    size = sum(len(m["from"].strip().encode()) + len(m["text"].encode()) for m in value)
    return "messages" if size > ARCHIVE_BYTES else None


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
        (("action", one_of("action", ACTIONS)), ("uid", host_uid), ("meetingId", meeting_id)),
        frozenset({"meetingId", "action"}),
    ),
    "archive": Request(
        (
            ("kind", one_of("kind", ARCHIVE_KINDS)),
            ("messages", messages),
            ("meetingId", meeting_id),
        ),
        frozenset({"meetingId", "kind"}),
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
